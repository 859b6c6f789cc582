"""Ranking criteria by relevance to a finding's free text: BM25 over weighted character
n-grams of each criterion's official text, title, keywords, extra vocabulary and fact
questions (see tokens.py for how a text is read).

IDF is computed over the criteria being ranked (those of the standards passed in), so a
ranking depends only on those standards' data and the vocabulary: new standards elsewhere
in the catalog change nothing unless they are passed in.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

from .. import conditions as cond
from ..catalog import Catalog
from ..conditions import Context, Truth
from ..model import Criterion, Standard
from .tokens import Reader, Reading, matched_spans
from .vocabulary import Vocabulary

ROLES = ("decides", "element")  # site rules are counting methods, not situations to match
# Field weights: how much an n-gram found in each part of a criterion counts (tuned on dev).
WEIGHTS = {"title": 1.0, "text": 1.0, "keywords": 1.5, "extra": 1.5, "questions": 0.3}
K1 = 1.2
B = 0.5
EXCLUDED_FACTOR = 0.2  # a finding naming an excluded word keeps only this share of its score
UNSURE_FACTOR = 0.9  # the profile leaves applicability open: ranks below an item it confirms


@dataclass(frozen=True)
class Candidate:
    """A criterion the text may describe: its relevance score and the words that matched."""

    criterion_id: str
    score: float
    # the matched words are worked out only for the candidates that are shown (most are not)
    _query: Reading = field(repr=False, compare=False)
    _content: frozenset[str] = field(repr=False, compare=False)

    @functools.cached_property
    def terms(self) -> tuple[str, ...]:
        return _why(self._query, self._content)

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion_id, "score": round(self.score, 2), "terms": list(self.terms)}


@dataclass
class _Doc:
    criterion: Criterion
    tf: dict[str, float]
    length: float
    exclude: tuple[str, ...]


class Matcher:
    """An index over the finding-level criteria of some standards."""

    def __init__(self, catalog: Catalog, standards: list[Standard], vocabulary: Vocabulary):
        criteria = [c for s in standards for c in s.criteria if c.role in ROLES]
        known = [w for g in vocabulary.groups for w in g]
        known += [k for c in criteria for k in c.keywords]
        known += [w for words in (*vocabulary.extra.values(), *vocabulary.exclude.values()) for w in words]
        self.reader = Reader(vocabulary.groups, known, list(vocabulary.generic))
        self.docs = [self._doc(catalog, c, vocabulary) for c in criteria]
        df: dict[str, int] = {}
        for d in self.docs:
            for g in d.tf:
                df[g] = df.get(g, 0) + 1
        n = len(self.docs)
        self.idf = {g: math.log(1 + (n - k + 0.5) / (k + 0.5)) for g, k in df.items()}
        self.avg = sum(d.length for d in self.docs) / n if n else 1.0
        # a finding's text is ranked twice (with and without the profile) and the same profile
        # rules the same criteria in or out for every finding of a checklist
        self.read = functools.lru_cache(maxsize=256)(self.reader.read)
        self._profiles: dict[tuple, dict[str, Truth]] = {}

    def _doc(self, catalog: Catalog, c: Criterion, vocabulary: Vocabulary) -> _Doc:
        questions = [catalog.facts[f].question for f in cond.facts_of(c.condition) if f in catalog.facts]
        fields = {
            "title": c.title,
            "text": c.text,
            "keywords": "，".join(c.keywords),
            "extra": "，".join(vocabulary.extra.get(c.id, ())),
            "questions": "，".join(questions),
        }
        tf: dict[str, float] = {}
        for name, value in fields.items():
            for g, w in self.reader.read(value, counts=True).grams.items():
                tf[g] = tf.get(g, 0.0) + WEIGHTS[name] * w
        exclude = tuple(self.reader.read(w).text for w in vocabulary.exclude.get(c.id, ()))
        return _Doc(c, tf, sum(tf.values()), exclude)

    def rank(self, text: str, attrs: dict[str, Any] | None = None, limit: int | None = None) -> list[Candidate]:
        """Every criterion with any overlap, best first. With `attrs` (an enterprise profile,
        as Enterprise.attrs()), criteria whose applicability the profile rules out are left out."""
        query = self.read(text)
        ruled = self._ruled(attrs)
        out: list[Candidate] = []
        for d in self.docs:
            applies = ruled.get(d.criterion.id, Truth.TRUE)
            if applies in (Truth.FALSE, Truth.NA):
                continue
            shared = query.grams.keys() & d.tf.keys()
            if not shared:
                continue
            score = 0.0
            norm = K1 * (1 - B + B * d.length / self.avg)
            for g in shared:
                tf = d.tf[g]
                score += query.grams[g] * self.idf[g] * tf * (K1 + 1) / (tf + norm)
            if any(w and w in query.text for w in d.exclude):
                score *= EXCLUDED_FACTOR
            if applies is Truth.UNKNOWN:
                score *= UNSURE_FACTOR
            content = {g for g in shared if query.grams[g] >= 1.0}
            out.append(Candidate(d.criterion.id, score, query, frozenset(content)))
        out.sort(key=lambda c: (-c.score, c.criterion_id))
        return out[:limit] if limit is not None else out


    def _ruled(self, attrs: dict[str, Any] | None) -> dict[str, Truth]:
        """What the profile makes of each criterion's applicability, worked out once per profile."""
        if attrs is None:
            return {}
        # profile values are strings or lists of strings (checklist schema)
        key = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in attrs.items()))
        ruled = self._profiles.get(key)
        if ruled is None:
            if len(self._profiles) > 1024:
                self._profiles.clear()
            ruled = self._profiles[key] = {d.criterion.id: _applies(d.criterion, attrs) for d in self.docs
                                           if d.criterion.applies_when is not None}
        return ruled


def _applies(c: Criterion, attrs: dict[str, Any] | None) -> Truth:
    """Whether the enterprise profile alone makes the criterion apply: FALSE rules it out,
    UNKNOWN (no profile, or facts still open) keeps it. Without a profile nothing is ruled
    out and nothing is preferred."""
    if c.applies_when is None or attrs is None:
        return Truth.TRUE
    return cond.evaluate(c.applies_when, Context({}, attrs=attrs)).value


def _why(query: Reading, content: set[str]) -> tuple[str, ...]:
    out = []
    for span in matched_spans(query.text, content):
        originals = [r.original for r in query.replaced if r.canonical in span]
        out.append(f"{span}（原文：{'、'.join(dict.fromkeys(originals))}）" if originals else span)
    return tuple(out)
