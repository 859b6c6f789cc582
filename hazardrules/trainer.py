"""Trainer mode: the case library, a case told step by step, and a quiz over its findings.

Teaching cases are realistic scenes with a source (an accident report, an enforcement case, a
published 解读 example); unit cases exercise one criterion. Both are checked by `run`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cases import Case, case_files, load_case, run_case
from .catalog import Catalog
from .errors import InputError
from .judge import Report, Verdict

LEVEL_WORDS = {"重大": "major", "一般": "general", "无法判定": "undetermined",
               "1": "major", "2": "general", "3": "undetermined",
               "major": "major", "general": "general", "undetermined": "undetermined"}


def default_cases_dir() -> Path:
    from .catalog import shipped_dir

    return shipped_dir("cases", "HAZARDRULES_CASES")


@dataclass
class CaseEntry:
    case: Case
    kind: str
    sector: str | None
    criteria: set[str] = field(default_factory=set)  # expected to fire in it

    @property
    def id(self) -> str:
        return self.case.id


def library(catalog: Catalog, root: Path | None = None) -> list[CaseEntry]:
    root = root or default_cases_dir()
    out: list[CaseEntry] = []
    for path in case_files(root):
        case = load_case(path, catalog)
        meta = case.raw["case"]
        kind = meta.get("kind") or ("example" if "examples" in path.parts else "unit")
        fired = {e.get("fires") for e in case.expect["findings"] if e.get("fires")}
        fired |= {cid for e in case.expect["findings"] if e["level"] == "major" for cid in e.get("met", [])}
        out.append(CaseEntry(case, kind, meta.get("sector") or _sector(case), fired))
    return out


def _sector(case: Case) -> str:
    return "、".join(case.checklist.enterprise.sectors)


def find(entries: Iterable[CaseEntry], case_id: str) -> CaseEntry:
    entries = list(entries)
    for e in entries:
        if e.id == case_id:
            return e
    raise InputError(f"没有编号为“{case_id}”的案例（可用 hazardrules cases list 查看）")


def teaching_gaps(catalog: Catalog, entries: list[CaseEntry]) -> list[str]:
    """Criteria that no sourced teaching case illustrates yet (report them; no filler)."""
    covered = {cid for e in entries if e.kind == "teaching" for cid in e.criteria}
    return [cid for cid in catalog.criteria if cid not in covered
            and catalog.criteria[cid].role != "site_rule"]


@dataclass
class RunResult:
    passed: list[str] = field(default_factory=list)
    failed: dict[str, list[str]] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)


def run(catalog: Catalog, entries: list[CaseEntry]) -> RunResult:
    result = RunResult()
    for e in entries:
        pending = e.case.raw["case"].get("pending")
        if pending:
            result.pending[e.id] = pending
            continue
        _, problems = run_case(e.case, catalog)
        if problems:
            result.failed[e.id] = problems
        else:
            result.passed.append(e.id)
    return result


# --- the quiz -------------------------------------------------------------------------------


@dataclass
class QuizScore:
    asked: int = 0
    right: int = 0


def quiz(report: Report, ask: Callable[[str], str], say: Callable[[str], None]) -> QuizScore:
    """For each finding: 重大 / 一般 / 无法判定, and for 重大 the clause; then right or wrong
    with the clause text. `ask` returns the user's answer (re-asked while it is invalid)."""
    from .report.common import LEVEL_TEXT

    score = QuizScore()
    catalog = report.catalog
    for v in report.verdicts:
        score.asked += 1
        say(f"\n检查发现 {v.finding.id}：{v.finding.location or ''} {v.finding.description or ''}".rstrip())
        for k, a in v.finding.facts.items():
            from .answers import display

            say(f"  · {catalog.facts[k].question} —— {display(a)}")
        level = _ask_until(ask, "判定（1 重大 / 2 一般 / 3 无法判定）", lambda s: LEVEL_WORDS.get(s.strip()))
        ok = level == v.level
        if ok and level == "major" and v.met:
            expected = {r.criterion.id for r in v.met}
            clauses = {r.criterion.clause: r.criterion.id for r in v.met}
            got = _ask_until(ask, "依据哪一条款？（条款编号如 gongmao-2023/3-2，或条款号如 第三条第（二）项）",
                             lambda s: s.strip() or None)
            ok = got in expected or clauses.get(got) in expected
        if ok:
            score.right += 1
        say(("✔ 正确。" if ok else "✘ 不对。") + f"答案：{LEVEL_TEXT[v.level]}")
        say(explain_answer(v, catalog))
    say(f"\n得分：{score.right} / {score.asked}")
    return score


def _ask_until(ask: Callable[[str], str], prompt: str, parse: Callable[[str], str | None]) -> str:
    while True:
        answer = parse(ask(prompt))
        if answer is not None:
            return answer


def explain_answer(v: Verdict, catalog: Catalog) -> str:
    lines = []
    for r in v.met:
        std = catalog.standards[r.criterion.standard]
        lines.append(f"  依据：{std.name}{r.criterion.clause}：{r.criterion.text}")
    if v.site is not None:
        lines.append(f"  依据：所在场所“{v.site.name}”综合判定成立")
    if v.by_definition:
        lines.append(f"  依据：{catalog.definition.document}{catalog.definition.clause}（定义）")
    if v.level == "undetermined":
        lines.append("  缺少：" + "；".join(m["question"] for m in v.missing_facts)
                     if v.missing_facts else "  原因：" + "；".join(v.reason_text or v.reasons))
    if v.level == "general":
        lines.append("  未构成所列情形，且不需停产停业整改、企业自身能够排除")
    return "\n".join(lines)
