"""The library behind `hazardrules ask`: which questions would decide a finding, and writing
typed answers back into a copy of the checklist document.

An Interview holds the checklist as a plain document (what the file says) and re-reads it
after every answer, so the verdict it shows is exactly what `hazardrules check` gives for
the written file.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..answers import coerce, file_value
from ..catalog import Catalog
from ..checklist import Checklist, Finding, checklist_from_document
from ..errors import InputError
from ..judge import UNDETERMINED, Judge, Report, Verdict, standards_covering
from ..model import Fact
from ..safeyaml import Positions, load_document
from .suggestions import Suggestion, suggest


@dataclass
class Question:
    """One fact to ask: where the answer goes (a finding's facts or the enterprise's answers)."""

    fact: Fact
    criteria: list[str]

    @property
    def scope(self) -> str:
        return self.fact.scope


class Interview:
    def __init__(self, catalog: Catalog, path: Path, as_of: dt.date | None = None):
        self.catalog = catalog
        self.path = path
        self.as_of = as_of
        data, positions = load_document(path)
        self.original = copy.deepcopy(data)
        self.data = data
        self.positions: Positions = positions
        self.checklist = checklist_from_document(data, positions, catalog, str(path))
        self.judge = Judge(catalog)

    # -- reading the current state -------------------------------------------------

    def reload(self) -> Checklist:
        self.checklist = checklist_from_document(self.data, self.positions, self.catalog, str(self.path))
        return self.checklist

    def report(self) -> Report:
        return self.judge.check(self.checklist, self.as_of)

    def finding(self, finding_id: str) -> Finding:
        for f in self.checklist.findings:
            if f.id == finding_id:
                return f
        known = "、".join(f.id for f in self.checklist.findings) or "（无）"
        raise InputError(f"检查表中没有编号为“{finding_id}”的检查发现；已有：{known}", file=str(self.path))

    def verdict(self, finding_id: str) -> Verdict:
        for v in self.report().verdicts:
            if v.finding.id == finding_id:
                return v
        raise InputError(f"检查表中没有编号为“{finding_id}”的检查发现", file=str(self.path))

    def open_findings(self) -> list[str]:
        """Findings written in the file (not generated from a question list) still undetermined."""
        return [v.finding.id for v in self.report().verdicts
                if v.level == UNDETERMINED and not v.finding.generated]

    def in_force(self, finding: Finding):
        day = self.as_of or finding.observed_on
        return [s for s in standards_covering(self.catalog, self.checklist.enterprise) if s.in_force(day)]

    def suggestion(self, finding_id: str) -> Suggestion:
        """What the finding's description points to (candidates with their open questions,
        or unmapped with the standard that would govern)."""
        f = self.finding(finding_id)
        return suggest(self.catalog, f.description or "", self.in_force(f),
                       answers=self.checklist.facts_for(f), attrs=self.checklist.attrs(f),
                       day=self.as_of or f.observed_on, sectors=self.checklist.enterprise.sectors)

    def questions(self, verdict: Verdict) -> list[Question]:
        """The verdict's missing facts that a typed answer can give (not subject attributes)."""
        out = []
        for m in verdict.missing_facts:
            fact = self.catalog.facts.get(m["fact"])
            if fact is not None:
                out.append(Question(fact, list(m["criteria"])))
        return out

    def candidate_questions(self, suggestion: Suggestion, criterion_id: str) -> list[Question]:
        return [Question(self.catalog.facts[q["fact"]], [criterion_id])
                for q in suggestion.questions.get(criterion_id, [])]

    def definition_questions(self, finding_id: str) -> list[Question]:
        """令第16号 第三条's two questions, where still unanswered for this finding."""
        d = self.catalog.definition
        if d is None:
            return []
        facts = self.checklist.facts_for(self.finding(finding_id))
        return [Question(self.catalog.facts[q], [d.id]) for q in d.questions if q not in facts]

    # -- writing ----------------------------------------------------------------------

    def _node(self, path: tuple) -> dict[str, Any]:
        node: Any = self.data
        for key in self.checklist.base + path:
            node = node[key]
        return node

    def answer(self, finding_id: str, fact_id: str, text: Any) -> Any:
        """Type `text` for the fact (AnswerError with a Chinese reason if it does not fit)
        and write it where the fact belongs; returns the typed value."""
        fact = self.catalog.facts[self.catalog.canonical_fact_id(fact_id)]
        value = coerce(fact, text)
        if fact.scope == "enterprise":
            target = self._node(("enterprise",)).setdefault("answers", {})
        else:
            target = self._node(self.finding(finding_id).path).setdefault("facts", {})
        for key in [k for k in target if self.catalog.canonical_fact_id(k) == fact.id]:
            del target[key]  # an alias of the same fact would make the file ambiguous
        target[fact.id] = file_value(value)
        self.reload()
        return value

    def claim(self, finding_id: str, criterion_id: str) -> None:
        """Record the clause the user chose as the one that applies (claimed_criterion)."""
        node = self._node(self.finding(finding_id).path)
        node["claimed_criterion"] = criterion_id
        self.reload()

    @property
    def changed(self) -> bool:
        return self.data != self.original

    def dump(self, target: Path) -> str:
        """The answered document: JSON for a .json target, YAML otherwise."""
        if target.suffix.lower() == ".json":
            return json.dumps(self.data, ensure_ascii=False, indent=2) + "\n"
        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, default_flow_style=False,
                              width=1000)


def default_output(path: Path) -> Path:
    """<name>.answered.yaml beside the input."""
    return path.with_name(f"{path.stem}.answered.yaml")
