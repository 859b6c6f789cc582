"""The machine-readable report; its shape is schemas/report.schema.json."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..answers import display
from ..conditions import NOT_APPLICABLE, UNKNOWN
from ..judge import NOTICE, Report, Verdict

SCHEMA_VERSION = 5  # 2: penalty_path, next_steps; 3: sites; 4: candidates, summary.unmapped; 5: sites[].notes


def _answer(value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if value is NOT_APPLICABLE:
        return "不适用"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def verdict_dict(v: Verdict, report: Report) -> dict[str, Any]:
    catalog = report.catalog
    definition = catalog.definition
    out: dict[str, Any] = {
        "id": v.finding.id,
        "level": v.level,
        "criteria": [
            {
                "id": r.criterion.id,
                "standard": r.criterion.standard,
                "clause": r.criterion.clause,
                "title": r.criterion.title,
                "status": r.status,
                "verified": r.criterion.verified,
            }
            for r in v.results
        ],
        "undetermined_reason": v.undetermined_reason,
        "missing_facts": [
            {"fact": m["fact"], "question": m["question"], "criteria": m["criteria"]}
            for m in v.missing_facts
        ],
        "penalty_articles": v.penalty_articles,
        "description": v.finding.description,
        "location": v.finding.location,
        "observed_on": v.finding.observed_on.isoformat(),
        "judged_on": v.judged_on.isoformat(),
        "generated": v.finding.generated,
        "rectification_status": v.finding.rectification.get("status"),
        "unverified": v.unverified,
        "by_definition": v.by_definition,
        "undetermined_reasons": v.reasons,
        "reason_text": v.reason_text,
        "open_judgments": v.open_judgments,
        "standards": [s.id for s in v.standards],
        "candidates": v.candidates,
        "provisions": [{"standard": s.id, "clause": p.clause, "verified": p.verified}
                       for s, p in v.provisions(catalog)],
        "claimed_criterion": None if v.claim is None else {
            "id": v.claim.criterion_id, "status": v.claim.status, "message": v.claim.message},
        "definition": None if definition is None else {
            "id": definition.id,
            "answers": {k: _answer(a) for k, a in v.definition_answers.items()},
        },
        "penalty_path": [s.to_dict() for s in v.path.steps] if v.path else [],
        "next_steps": list(v.path.next_steps) if v.path else [],
        "penalty_notes": list(v.path.notes) if v.path else [],
        "site": None if v.site is None else {"id": v.site.site_id, "standard": v.site.standard.id,
                                             "rules": [r.criterion.id for r in v.site.met]},
        "answers": {k: _answer(a) for k, a in v.finding.facts.items()},
        "answers_display": {k: display(a) for k, a in v.finding.facts.items()},
    }
    return out


def site_dict(sv) -> dict[str, Any]:
    return {
        "id": sv.site_id,
        "name": sv.name,
        "place_types": sv.place_types,
        "standard": sv.standard.id,
        "level": sv.level,
        "rules": [{"id": r.criterion.id, "clause": r.criterion.clause, "title": r.criterion.title,
                   "status": r.status, "verified": r.criterion.verified} for r in sv.rules],
        "elements_present": sorted(k for k, v in sv.elements.items() if v is True),
        "elements_open": sorted(k for k, v in sv.elements.items() if v is UNKNOWN),
        "contributing": sv.contributing,
        "missing_facts": [{"fact": m["fact"], "question": m["question"], "criteria": m["criteria"]}
                          for m in sv.missing_facts],
        "open_judgments": sv.open_judgments,
        "notes": sv.notes,
    }


def report_dict(report: Report) -> dict[str, Any]:
    c = report.checklist
    e = c.enterprise
    return {
        "schema_version": SCHEMA_VERSION,
        "data_version": report.catalog.version.to_dict(),
        "generator": {"name": "hazardrules", "version": __version__, "engine": report.engine},
        "notice": NOTICE,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "enterprise": {
            "name": e.name,
            "uscc": e.uscc,
            "other_key": e.other_key,
            "sector": e.sectors,
            "industries": e.industries,
            "features": e.features,
        },
        "inspection": {
            "date": c.inspection_date.isoformat(),
            "kind": c.inspection["kind"],
            "inspector": c.inspection.get("inspector"),
        },
        "findings": [verdict_dict(v, report) for v in report.verdicts],
        "sites": [site_dict(sv) for sv in report.sites],
        "summary": report.summary(),
    }
