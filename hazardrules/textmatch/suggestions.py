"""From a finding's description to an honest verdict proposal: the candidate clauses with
the unanswered questions that would decide each, or "未能对应任何判定条款" with the
standard that would govern if one is known. Text alone never makes a finding major.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import conditions as cond
from ..catalog import Catalog
from ..conditions import Context, Truth
from ..model import Criterion, Standard
from .matcher import Candidate, Matcher
from .registry import Governing, RegistryEntry, governing, load_registry
from .vocabulary import Vocabulary, load_vocabulary

# The decision "unmapped": a best BM25 score below UNMAPPED_BELOW means the text matches no
# clause (tuned on tests/textmatch/dev-set.yaml; see docs/textmatch.md).
UNMAPPED_BELOW = 6.5
RELATIVE = 0.5  # further candidates are shown while they score at least this share of the best
SHOWN = 3
UNMAPPED_TEXT = "未能对应任何判定条款"


@dataclass
class Suggestion:
    text: str
    candidates: list[Candidate]  # above the threshold, best first
    questions: dict[str, list[dict[str, Any]]]  # criterion id → the unanswered questions deciding it
    governing: list[Governing] = field(default_factory=list)  # only when unmapped
    ruled_out: list[Candidate] = field(default_factory=list)  # would match, but the profile rules them out

    @property
    def unmapped(self) -> bool:
        return not self.candidates

    def missing_facts(self, catalog: Catalog) -> list[dict[str, Any]]:
        """The questions of every candidate, merged, in the judge's `missing_facts` shape."""
        merged: dict[str, dict[str, Any]] = {}
        for c in self.candidates:
            for q in self.questions.get(c.criterion_id, []):
                item = merged.setdefault(q["fact"], {**q, "criteria": []})
                item["criteria"].append(c.criterion_id)
        return list(merged.values())

    def reason_text(self, catalog: Catalog) -> list[str]:
        """Chinese sentences for a report."""
        if not self.unmapped:
            listed = "；".join(
                f"{catalog.criteria[c.criterion_id].clause}（{catalog.criteria[c.criterion_id].title}，"
                f"相关度 {c.score:.1f}，匹配：{'、'.join(c.terms) or '—'}）" for c in self.candidates)
            out = [f"仅凭描述文字不能判定；可能对应的条款：{listed}。请回答各条款的问题"]
        else:
            out = [UNMAPPED_TEXT]
        for g in self.governing:
            kind = "" if g.note else "尚未收录的"
            out.append(f"可能适用{kind}{g.describe()}（依据：{'、'.join(g.terms)}）")
        for c in self.ruled_out:
            cr = catalog.criteria[c.criterion_id]
            out.append(f"描述与 {cr.clause}（{cr.title}）相近，但按企业概况该条不适用；如概况有误请更正")
        return out


_CACHE: dict[tuple, Any] = {}


def _cached(key: tuple, make):
    if key not in _CACHE:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = make()
    return _CACHE[key]


def vocabulary_of(catalog: Catalog) -> Vocabulary:
    return _cached(("vocabulary", str(catalog.root), catalog.version.hash),
                   lambda: load_vocabulary(catalog.root))


def registry_of(catalog: Catalog) -> list[RegistryEntry]:
    return _cached(("registry", str(catalog.root), catalog.version.hash),
                   lambda: load_registry(catalog.root))


def matcher_for(catalog: Catalog, standards: list[Standard]) -> Matcher:
    key = ("matcher", id(catalog), catalog.version.hash, tuple(s.id for s in standards))
    return _cached(key, lambda: Matcher(catalog, standards, vocabulary_of(catalog)))


def candidates(catalog: Catalog, text: str, standards: list[Standard],
               attrs: dict[str, Any] | None = None, limit: int | None = None) -> list[Candidate]:
    """The criteria (role decides or element) of `standards` ranked by relevance to `text`,
    best first, with their scores and matching words; no threshold applied."""
    return matcher_for(catalog, standards).rank(text, attrs, limit)


def suggest(catalog: Catalog, text: str, standards: list[Standard], answers: dict[str, Any] | None = None,
            attrs: dict[str, Any] | None = None, day: dt.date | None = None,
            sectors: tuple[str, ...] | list[str] = ()) -> Suggestion:
    """What a finding's description points to, for the judge and the `ask` command.

    `standards`: those in force for the enterprise on the day (judge.standards_covering and
    Standard.in_force); `answers`: facts already answered (typed); `attrs`: the enterprise
    profile (Enterprise.attrs()), which rules out other industries' items; `day` and
    `sectors` choose the unencoded standards named when nothing matches."""
    ranked = candidates(catalog, text or "", standards, attrs)
    shown = _above_threshold(ranked)
    ruled_out: list[Candidate] = []
    if attrs is not None:  # closer matches the profile excludes: the profile may be incomplete
        allowed = {c.criterion_id for c in ranked}
        best = shown[0].score if shown else 0.0
        ruled_out = [c for c in _above_threshold(candidates(catalog, text or "", standards, None))
                     if c.criterion_id not in allowed and c.score > best]
    questions = {c.criterion_id: open_questions(catalog, catalog.criteria[c.criterion_id], answers or {}, attrs)
                 for c in shown}
    found = governing(registry_of(catalog), text or "", sectors, day, catalog,
                      judged={s.id for s in standards}) if not shown else []
    return Suggestion(text, shown, questions, found, ruled_out)


def _above_threshold(ranked: list[Candidate]) -> list[Candidate]:
    if not ranked or ranked[0].score < UNMAPPED_BELOW:
        return []
    best = ranked[0].score
    return [c for c in ranked[:SHOWN] if c.score >= UNMAPPED_BELOW and c.score >= RELATIVE * best]


def open_questions(catalog: Catalog, criterion: Criterion, answers: dict[str, Any],
                   attrs: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The facts still unanswered that decide `criterion`: its applicability where the
    profile leaves it open, then its condition (in the order the clause reads)."""
    ctx = Context(answers, attrs=attrs or {})
    wanted: list[str] = []
    if criterion.applies_when is not None:
        applies = cond.evaluate(criterion.applies_when, ctx)
        if applies.value in (Truth.FALSE, Truth.NA):
            return []
        if applies.value is Truth.UNKNOWN:
            wanted += [f for f in applies.unknown_facts() if not f.startswith("attr:")]
    trace = cond.evaluate(criterion.condition, ctx)
    if trace.value is Truth.UNKNOWN:
        wanted += [f for f in trace.unknown_facts() if f not in wanted and not f.startswith("attr:")]
    out = []
    for fact_id in wanted:
        fact = catalog.facts.get(fact_id)
        if fact is None:
            continue
        out.append({"fact": fact.id, "question": fact.question, "criteria": [criterion.id],
                    "type": fact.type, "unit": fact.unit, "choices": list(fact.choices)})
    return out


def unmapped_count(verdicts: list[Any]) -> int:
    """Findings reported as matching no clause (reason `unmapped`), for the report summary."""
    return sum(1 for v in verdicts if "unmapped" in getattr(v, "reasons", ()))
