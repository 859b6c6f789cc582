"""Small builders shared by the tests."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

from .conftest import CASES, ROOT

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


def criteria_copy(target: Path, files: dict[str, str] | None = None) -> Path:
    """The shipped criteria copied to `target`, with `files` (relative path → YAML text) added
    or replaced: a catalog a test may change without touching the project's data."""
    shutil.copytree(ROOT / "criteria", target)
    for name, text in (files or {}).items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return target


def first_compliant(fact: Any, candidates: list[Any]) -> Any:
    """The first candidate answer that does not violate `fact` (descriptive facts: the first)."""
    from hazardrules import conditions as cond

    if fact.violates is None:
        return candidates[0]
    for value in candidates:
        if cond.evaluate(fact.violates, cond.Context({fact.id: value})).value is cond.Truth.FALSE:
            return value
    raise AssertionError(f"no compliant answer for {fact.id}")


def check_json(run: Any, path: Any) -> tuple[int, dict[str, Any]]:
    """`hazardrules check PATH --format json` through the CLI runner, without the generator
    stamp (which names the version and time), for comparing two inputs."""
    import json

    code, out, err = run("check", path, "--format", "json")
    assert code in (0, 1, 3), err
    data = json.loads(out)
    data.pop("generator")
    return code, data
