"""From a judged checklist (a Report) to what the ledger stores: the content hash that
recognises a checklist recorded twice, the rows of each finding's verdict, and the state
each hazard starts in (read from the checklist's rectification and situation)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import lifecycle as lc

if TYPE_CHECKING:
    from ..judge import Report, Verdict

# The inspection kind says in what capacity the inspector acted when the checklist was filled.
KIND_ROLE = {"企业自查": lc.ENTERPRISE, "部门帮扶": lc.INSPECTOR, "执法检查": lc.INSPECTOR,
             "专家查": lc.INSPECTOR}
FROM_CHECKLIST = "检查表记载已落实"


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def content_hash(raw: dict[str, Any], enterprise_key: str, inspection_date: dt.date) -> str:
    """The same checklist is the same content (however the YAML or JSON is laid out) for the
    same enterprise on the same inspection day."""
    text = "\n".join((canonical_json(raw), enterprise_key, inspection_date.isoformat()))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class FindingRows:
    ref: str
    values: dict[str, Any]  # the findings row (verdict and initial state)
    criteria: list[tuple[Any, ...]] = field(default_factory=list)
    standards: list[tuple[Any, ...]] = field(default_factory=list)
    initial: dict[str, Any] = field(default_factory=dict)  # the state the record event sets
    note: str | None = None


def finding_rows(verdict: Verdict, inspection_date: dt.date) -> FindingRows:
    f = verdict.finding
    initial, note = initial_state(verdict, inspection_date)
    values = {
        "ref": f.id,
        "description": f.description,
        "location": f.location,
        "site": f.subject.get("site"),
        "observed_on": f.observed_on.isoformat(),
        "judged_on": verdict.judged_on.isoformat(),
        "assessed_level": verdict.level,
        "unverified": int(verdict.unverified),
        "by_definition": int(verdict.by_definition),
        "undetermined_reason": verdict.undetermined_reason,
    }
    criteria = [(r.criterion.id, r.criterion.standard, r.criterion.clause, r.criterion.title, r.status,
                 int(r.criterion.verified)) for r in verdict.results]
    standards = [(s.id, s.title, s.document, s.effective.isoformat() if s.effective else None)
                 for s in verdict.standards]
    return FindingRows(f.id, values, criteria, standards, initial, note)


def initial_state(verdict: Verdict, inspection_date: dt.date) -> tuple[dict[str, Any], str | None]:
    """Where the hazard starts, from what the checklist records about it."""
    f = verdict.finding
    rect = f.rectification
    situation = f.situation
    deadline = rect.get("deadline")
    recorded = rect.get("status")
    note = None
    plan = None
    if verdict.level == lc.GENERAL:
        if recorded == "已验收":
            status = lc.ACCEPTED
        elif situation.get("fixed_on_spot") or recorded == "已整改":
            status = lc.RECTIFIED
        else:
            status = lc.FIX_BY_DEADLINE if deadline else lc.FIX_NOW
    elif verdict.level == lc.MAJOR:
        marks = situation.get("plan") or {}
        if any(marks.get(k) for k in lc.PLAN_KEYS):
            plan = {k: (deadline.isoformat() if k == "deadline" and deadline else FROM_CHECKLIST)
                    for k in lc.PLAN_KEYS if marks.get(k)}
        missing = lc.plan_problems(plan)
        if recorded == "已验收":
            status = lc.ACCEPTED
        elif recorded == "已整改":
            status = lc.RECTIFIED
        elif recorded == "整改中" and not missing:
            status = lc.IN_PROGRESS
        else:
            status = lc.PENDING
            if recorded == "整改中":
                note = f"检查表记载“整改中”，但治理方案五落实不全（尚缺：{'、'.join(missing)}），记为“待整改”"
    else:
        status = lc.UNCLASSIFIED
    state: dict[str, Any] = {
        "level": verdict.level,
        "status": status,
        "status_on": inspection_date.isoformat(),
        "deadline": deadline.isoformat() if deadline else None,
        "plan": plan,
    }
    order = situation.get("order") or {}
    if order.get("kind") in lc.SUSPENSION_KINDS and status not in lc.DONE:
        given = order.get("given_on") or inspection_date
        state["suspension"] = {"kind": order["kind"], "on": given.isoformat(), "by": lc.AUTHORITY}
    return {k: v for k, v in state.items() if v is not None}, note


def report_json(report: Report) -> str:
    from ..report.json_out import report_dict

    return canonical_json(report_dict(report))
