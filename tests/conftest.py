from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"


@pytest.fixture(scope="session")
def catalog():
    from hazardrules.catalog import load_catalog

    return load_catalog(ROOT / "criteria")


@pytest.fixture
def run(catalog, monkeypatch):
    """The CLI exactly as the console script runs it (main(): exit codes, messages), on the
    session's catalog; returns (exit code, stdout, stderr)."""
    import click
    from click.testing import CliRunner

    from hazardrules.cli import main

    monkeypatch.setattr("hazardrules.catalog.load_catalog", lambda root=None: catalog)

    @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.pass_context
    def entry(ctx):
        main(list(ctx.args))

    def invoke(*args):
        result = CliRunner().invoke(entry, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke
