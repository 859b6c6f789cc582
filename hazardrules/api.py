"""Library calls the CLI is a thin layer over."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .catalog import Catalog
from .checklist import Checklist
from .errors import InputError
from .judge import Report, Verdict, check
from .model import Standard


def explain_finding(checklist: Checklist, catalog: Catalog, finding_id: str,
                    as_of: dt.date | None = None) -> tuple[Report, Verdict]:
    report = check(checklist, catalog, as_of)
    for verdict in report.verdicts:
        if verdict.finding.id == finding_id:
            return report, verdict
    known = "、".join(v.finding.id for v in report.verdicts) or "（无）"
    raise InputError(f"检查表中没有编号为“{finding_id}”的检查发现；已有：{known}",
                     file=checklist.source)


def standards_table(catalog: Catalog, today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or dt.date.today()
    rows = []
    for s in sorted(catalog.standards.values(), key=_order):
        rows.append({
            "id": s.id,
            "title": s.title,
            "document": s.document,
            "effective": s.effective.isoformat() if s.effective else None,
            "last_day": s.last_day.isoformat() if s.last_day else None,
            "status": s.status(today),
            "replaced_by": s.replaced_by,
            "criteria": len(s.items),
            "verified": s.verified_count,
            "items_in_standard": s.items_in_standard,
        })
    return rows


def _order(s: Standard) -> tuple:
    return (s.id.rsplit("-", 1)[0], s.effective or dt.date.min)


def parse_day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期“{text}”写法不对，应为 YYYY-MM-DD", position="--as-of") from None
