"""Checking many checklists at once: files, folders or a JSON Lines stream, in one or several
processes, with the combined figures district reports use.

One bad checklist is reported and skipped; it never stops the batch. Each worker process
loads the (cached) catalog once; what travels between processes is the report as plain data.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")
FIXED = ("已整改", "已验收")


@dataclass
class Source:
    """One checklist to check: a file, or one line of a JSON Lines stream."""

    name: str
    path: Path | None = None
    text: str | None = None  # a JSON Lines record


@dataclass
class BatchItem:
    source: str
    report: dict[str, Any] | None = None
    error: str | None = None
    exit_code: int = 0


@dataclass
class BatchResult:
    items: list[BatchItem] = field(default_factory=list)

    @property
    def errors(self) -> list[BatchItem]:
        return [i for i in self.items if i.error is not None]

    def exit_code(self) -> int:
        if self.errors:
            return 2
        codes = {i.exit_code for i in self.items}
        for code in (1, 3):
            if code in codes:
                return code
        return 0

    def summary(self) -> dict[str, Any]:
        return district_summary([i.report for i in self.items if i.report is not None])


def iter_sources(paths: Iterable[str], stdin=None) -> Iterator[Source]:
    """Expand files, folders (their checklist files, sorted), .jsonl files and `-` (JSON
    Lines on standard input) into sources."""
    for raw in paths:
        if raw == "-":
            yield from _jsonl(stdin or sys.stdin, "<标准输入>")
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield Source(str(child), path=child)
                elif child.is_file() and child.suffix.lower() == ".jsonl":
                    with child.open(encoding="utf-8") as handle:
                        yield from _jsonl(handle, str(child))
        elif path.suffix.lower() == ".jsonl" and path.is_file():
            with path.open(encoding="utf-8") as handle:
                yield from _jsonl(handle, str(path))
        else:
            yield Source(str(path), path=path)


def _jsonl(handle, name: str) -> Iterator[Source]:
    for number, line in enumerate(handle, 1):
        if line.strip():
            yield Source(f"{name} 第 {number} 行", text=line)


# --- checking, in this process or a worker ------------------------------------------------

_catalog = None
_criteria_dir: str | None = None


def _init(criteria_dir: str | None) -> None:
    global _catalog, _criteria_dir
    from .catalog import load_catalog

    _criteria_dir = criteria_dir
    _catalog = load_catalog(criteria_dir)


def check_source(source: Source, as_of: dt.date | None = None) -> BatchItem:
    """Judge one source; an InputError becomes an error item, never an exception."""
    from .checklist import load_checklist, parse_checklist_text
    from .judge import check
    from .report.json_out import report_dict

    if _catalog is None:
        _init(_criteria_dir)
    try:
        if source.text is not None:
            checklist = parse_checklist_text(source.text, _catalog, source.name)
        else:
            checklist = load_checklist(source.path, _catalog)
        report = check(checklist, _catalog, as_of)
    except InputError as exc:
        return BatchItem(source.name, error=str(exc), exit_code=2)
    data = report_dict(report)
    data["source"] = source.name
    return BatchItem(source.name, report=data, exit_code=report.exit_code())


def _check_pair(args: tuple[Source, dt.date | None]) -> BatchItem:
    return check_source(*args)


def check_many(sources: Iterable[Source], jobs: int = 1, as_of: dt.date | None = None,
               criteria_dir: str | None = None) -> BatchResult:
    """Judge every source, in order, with `jobs` processes."""
    global _criteria_dir
    _criteria_dir = criteria_dir
    work = [(s, as_of) for s in sources]
    if jobs <= 1 or len(work) < 2:
        return BatchResult([_check_pair(w) for w in work])
    import multiprocessing

    # not "fork": the parent may hold durable_rules timer threads and their locks
    ctx = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(jobs, initializer=_init, initargs=(criteria_dir,)) as pool:
        chunk = max(1, len(work) // (jobs * 8))
        return BatchResult(list(pool.imap(_check_pair, work, chunksize=chunk)))


# --- the figures district reports use -------------------------------------------------------


def district_summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """排查企业 N 家, 一般隐患 X 项（已整改 Y 项）, 重大隐患 Z 项（已整改 W 项）, 整改率, and the
    same broken down by sector and by standard."""
    enterprises = {_key(r) for r in reports}
    totals = _count(f for r in reports for f in r["findings"])
    by_sector: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_standard: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in reports:
        for f in r["findings"]:
            for sector in r["enterprise"]["sector"]:
                by_sector[sector].append(f)
            standards = {c["standard"] for c in f["criteria"] if c["status"] == "met"} or {"（未对应标准）"}
            for std in standards:
                by_standard[std].append(f)
    return {
        "enterprises": len(enterprises),
        "checklists": len(reports),
        **totals,
        "by_sector": {k: _count(v) for k, v in sorted(by_sector.items())},
        "by_standard": {k: _count(v) for k, v in sorted(by_standard.items())},
    }


def _key(report: dict[str, Any]) -> str:
    e = report["enterprise"]
    return e.get("uscc") or f"other:{e.get('other_key')}"


def _count(findings: Iterable[dict[str, Any]]) -> dict[str, Any]:
    levels: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    for f in findings:
        levels[f["level"]] += 1
        if f.get("rectification_status") in FIXED:
            fixed[f["level"]] += 1
    hazards = levels["general"] + levels["major"]
    done = fixed["general"] + fixed["major"]
    return {
        "general": levels["general"], "general_fixed": fixed["general"],
        "major": levels["major"], "major_fixed": fixed["major"],
        "undetermined": levels["undetermined"],
        "rectification_rate": round(done / hazards, 4) if hazards else None,
    }


def summary_text(summary: dict[str, Any]) -> str:
    """The summary line as district reports write it."""
    rate = summary["rectification_rate"]
    rate_text = f"{rate * 100:.1f}%" if rate is not None else "—"
    return (f"排查企业 {summary['enterprises']} 家，一般隐患 {summary['general']} 项（已整改 "
            f"{summary['general_fixed']} 项），重大隐患 {summary['major']} 项（已整改 "
            f"{summary['major_fixed']} 项），整改率 {rate_text}；无法判定 {summary['undetermined']} 项")


def to_json(result: BatchResult) -> str:
    return json.dumps({
        "checklists": [i.report if i.report is not None else {"source": i.source, "error": i.error}
                       for i in result.items],
        "errors": [{"source": i.source, "error": i.error} for i in result.errors],
        "summary": result.summary(),
    }, ensure_ascii=False, indent=2) + "\n"
