"""Worked cases: a checklist plus the verdicts it must produce. Every case is a test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schemas
from .catalog import Catalog
from .checklist import Checklist, checklist_from_document
from .errors import InputError
from .judge import Report, check
from .safeyaml import load_document, position


@dataclass
class Case:
    path: Path
    id: str
    name: str
    source: str
    as_of: dt.date | None
    checklist: Checklist
    expect: dict[str, Any]
    raw: dict[str, Any]


def load_case(path: Path, catalog: Catalog) -> Case:
    data, pos = load_document(path)
    schemas.check("case", data, str(path), pos)
    checklist = checklist_from_document(data, pos, catalog, str(path))
    meta = data["case"]
    expected_ids = [f["id"] for f in data["expect"]["findings"]]
    for i, fid in enumerate(expected_ids):
        if expected_ids.count(fid) > 1:
            raise InputError(f"期望结果中检查发现编号重复：{fid}", file=str(path),
                             position=position(pos, ("expect", "findings", i)))
    for i, f in enumerate(data["expect"]["findings"]):
        for key in ("fires", "near_miss"):
            if key in f and f[key] not in catalog.criteria:
                raise InputError(f"{key} 指向未知条款 {f[key]}", file=str(path),
                                 position=position(pos, ("expect", "findings", i, key)))
        for cid in f.get("met", []):
            if cid not in catalog.criteria:
                raise InputError(f"met 指向未知条款 {cid}", file=str(path),
                                 position=position(pos, ("expect", "findings", i, "met")))
    as_of = dt.date.fromisoformat(meta["as_of"]) if "as_of" in meta else None
    return Case(path, meta["id"], meta["name"], meta["source"], as_of, checklist,
                data["expect"], data)


def case_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def run_case(case: Case, catalog: Catalog) -> tuple[Report, list[str]]:
    """The report, and every way it differs from the case's expectations (empty: pass)."""
    report = check(case.checklist, catalog, case.as_of)
    problems: list[str] = []
    verdicts = {v.finding.id: v for v in report.verdicts}
    for exp in case.expect["findings"]:
        v = verdicts.get(exp["id"])
        if v is None:
            problems.append(f"{exp['id']}：没有这条检查发现（实有：{', '.join(verdicts)}）")
            continue
        if v.level != exp["level"]:
            problems.append(f"{exp['id']}：期望 {exp['level']}，实为 {v.level}")
        met = sorted(r.criterion.id for r in v.met)
        if "met" in exp and sorted(exp["met"]) != met:
            problems.append(f"{exp['id']}：期望成立条款 {sorted(exp['met'])}，实为 {met}")
        held = {r.criterion.id for r in v.results if r.status == "met"}  # elements too
        if "fires" in exp and exp["fires"] not in held:
            problems.append(f"{exp['id']}：{exp['fires']} 应成立，实际未成立")
        if "near_miss" in exp and exp["near_miss"] in held:
            problems.append(f"{exp['id']}：{exp['near_miss']} 不应成立（近似反例），实际成立")
        if "undetermined_reason" in exp and v.undetermined_reason != exp["undetermined_reason"]:
            problems.append(f"{exp['id']}：期望原因 {exp['undetermined_reason']}，"
                            f"实为 {v.undetermined_reason}")
        if "missing_facts" in exp:
            got = sorted(m["fact"] for m in v.missing_facts)
            if sorted(exp["missing_facts"]) != got:
                problems.append(f"{exp['id']}：期望待回答 {sorted(exp['missing_facts'])}，实为 {got}")
        if "claim" in exp and (v.claim is None or v.claim.status != exp["claim"]):
            problems.append(f"{exp['id']}：期望条款确认结果 {exp['claim']}，"
                            f"实为 {v.claim.status if v.claim else None}")
        steps = v.path.steps if v.path else []
        if "path" in exp and [st.article for st in steps] != exp["path"]:
            problems.append(f"{exp['id']}：期望处罚路径 {exp['path']}，实为 {[st.article for st in steps]}")
        if "path_basis" in exp and [st.basis for st in steps] != exp["path_basis"]:
            problems.append(f"{exp['id']}：期望路径依据 {exp['path_basis']}，实为 {[st.basis for st in steps]}")
        for key in ("by_definition", "unverified"):
            if key in exp and getattr(v, key) != exp[key]:
                problems.append(f"{exp['id']}：期望 {key}={exp[key]}，实为 {getattr(v, key)}")
    for exp in case.expect.get("sites", []):
        found = [sv for sv in report.sites if sv.site_id == exp["id"]
                 and ("standard" not in exp or sv.standard.id == exp["standard"])]
        if not found:
            problems.append(f"场所 {exp['id']}：没有场所综合判定结果")
            continue
        sv = found[0]
        rules = sorted(r.criterion.id for r in sv.met)
        if sv.level != exp["level"]:
            problems.append(f"场所 {exp['id']}：期望 {exp['level']}，实为 {sv.level}")
        if "met" in exp and sorted(exp["met"]) != rules:
            problems.append(f"场所 {exp['id']}：期望成立规则 {sorted(exp['met'])}，实为 {rules}")
        present = sorted(k for k, x in sv.elements.items() if x is True)
        if "elements" in exp and sorted(exp["elements"]) != present:
            problems.append(f"场所 {exp['id']}：期望要素 {sorted(exp['elements'])}，实为 {present}")
        if "fires" in exp and exp["fires"] not in rules:
            problems.append(f"场所 {exp['id']}：{exp['fires']} 应成立，实际未成立")
        if "near_miss" in exp and exp["near_miss"] in rules:
            problems.append(f"场所 {exp['id']}：{exp['near_miss']} 不应成立（近似反例），实际成立")
    if "summary" in case.expect:
        summary = report.summary()
        for key, value in case.expect["summary"].items():
            if summary[key] != value:
                problems.append(f"汇总 {key}：期望 {value}，实为 {summary[key]}")
    if "exit_code" in case.expect and report.exit_code() != case.expect["exit_code"]:
        problems.append(f"退出码：期望 {case.expect['exit_code']}，实为 {report.exit_code()}")
    return report, problems
