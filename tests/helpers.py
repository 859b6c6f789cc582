"""Small builders shared by the tests."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from .conftest import CASES

EXAMPLE = CASES / "examples" / "gongmao-self-check.yaml"


def example_checklist() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return copy.deepcopy(data["checklist"])


def minimal_checklist(findings: list[dict[str, Any]], **enterprise: Any) -> dict[str, Any]:
    ent = {"name": "测试企业", "uscc": "91350100M000100Y43", "sector": "工贸",
           "industries": ["机械"]}
    ent.update(enterprise)
    return {
        "schema_version": 1,
        "enterprise": ent,
        "inspection": {"date": "2026-03-10", "kind": "企业自查"},
        "findings": findings,
    }


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
