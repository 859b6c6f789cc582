from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"


@pytest.fixture(scope="session")
def catalog():
    from hazardrules.catalog import load_catalog

    return load_catalog(ROOT / "criteria")
