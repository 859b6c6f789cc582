"""The law as data: standards, criteria, facts, articles and the major-hazard definition."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from . import conditions as cond


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass(frozen=True)
class Source:
    citation: str
    cls: str  # official | secondary | copy (EVIDENCE.md)
    seen: str
    url: str | None = None
    shows: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(d["citation"], d["class"], d["seen"], d.get("url"), d.get("shows"))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"citation": self.citation}
        if self.url is not None:
            out["url"] = self.url
        out["class"] = self.cls
        out["seen"] = self.seen
        if self.shows is not None:
            out["shows"] = self.shows
        return out


@dataclass(frozen=True)
class Fact:
    id: str
    type: str  # bool | number | choice | date
    question: str
    scope: str  # enterprise | finding
    violates: cond.Compare | None  # None: a descriptive fact (e.g. 是否属于金属冶炼企业)
    help: str | None = None
    unit: str | None = None
    choices: tuple[str, ...] = ()
    monotone: bool = True
    aliases: tuple[str, ...] = ()
    note: str | None = None
    device: bool = False  # 未设置 / 失效 / 正常: a failed device counts as missing where a
    # standard says so (工贸 第十四条), modelled once here instead of in every item
    penalties: tuple[PenaltyRef, ...] = ()  # articles a violating answer breaches on its own


DEVICE_STATES = ("未设置", "失效", "正常")


@dataclass(frozen=True)
class Provision:
    """A general article of a standard that verdicts cite beside an item (工贸 第十四条)."""

    clause: str
    text: str
    applies_to: str
    sources: tuple[Source, ...]
    verified: bool
    verification_note: str | None = None


@dataclass(frozen=True)
class PenaltyRef:
    article: str
    basis: str  # who published this mapping, or the reasoning if it is a reading
    verified: bool
    # on a fact only: which enterprises the article binds (a 部门规章 scoped to 工贸 enterprises),
    # and whether it is the duty breached or the article that penalises the breach
    applies_when: cond.Node | None = None
    role: str = "penalty"  # duty | penalty

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PenaltyRef:
        applies = d.get("applies_when")
        return cls(d["article"], d["basis"], d["verified"],
                   cond.parse(applies, ("applies_when",)) if applies is not None else None,
                   d.get("role", "penalty"))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article, "basis": self.basis, "verified": self.verified}
        if self.applies_when is not None:
            out["applies_when"] = self.applies_when.to_dict()
        if self.role != "penalty":
            out["role"] = self.role
        return out


_CRITERION_KEYS = (
    "id", "clause", "title", "text", "role", "applies_when", "applies_note", "condition", "reached_by",
    "penalties", "keywords", "sources", "verified", "verification_note",
)


@dataclass(frozen=True)
class ReachedBy:
    """Facts outside a criterion's condition whose violating answer brings the criterion up
    for the finding, so its own open questions are asked (e.g. a 七不准 violation in a
    危险化学品 enterprise brings up item 18 and asks whether the rules are carried out).
    They never decide it: the condition alone does."""

    facts: tuple[str, ...]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"facts": list(self.facts), "note": self.note}


@dataclass(frozen=True)
class Criterion:
    id: str
    standard: str
    clause: str
    title: str
    text: str
    condition: cond.Node
    sources: tuple[Source, ...]
    verified: bool
    applies_when: cond.Node | None = None
    applies_note: str | None = None
    penalties: tuple[PenaltyRef, ...] = ()
    keywords: tuple[str, ...] = ()
    verification_note: str | None = None
    role: str = "decides"  # decides | element | site_rule
    reached_by: ReachedBy | None = None
    file: str | None = field(default=None, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any], standard: str, file: str | None = None) -> Criterion:
        return cls(
            id=d["id"],
            standard=standard,
            clause=d["clause"],
            title=d["title"],
            text=d["text"],
            condition=cond.parse(d["condition"], ("condition",)),
            sources=tuple(Source.from_dict(s) for s in d["sources"]),
            verified=d["verified"],
            applies_when=cond.parse(d["applies_when"], ("applies_when",))
            if "applies_when" in d
            else None,
            applies_note=d.get("applies_note"),
            penalties=tuple(
                PenaltyRef.from_dict(p) for p in d.get("penalties", [])
            ),
            keywords=tuple(d.get("keywords", ())),
            verification_note=d.get("verification_note"),
            role=d.get("role", "decides"),
            reached_by=ReachedBy(tuple(d["reached_by"]["facts"]), d["reached_by"]["note"])
            if "reached_by" in d
            else None,
            file=file,
        )

    def to_dict(self) -> dict[str, Any]:
        """The record as it is written in YAML (inverse of from_dict)."""
        full: dict[str, Any] = {
            "id": self.id,
            "clause": self.clause,
            "title": self.title,
            "text": self.text,
            "role": None if self.role == "decides" else self.role,
            "applies_when": self.applies_when.to_dict() if self.applies_when else None,
            "applies_note": self.applies_note,
            "condition": self.condition.to_dict(),
            "reached_by": self.reached_by.to_dict() if self.reached_by else None,
            "penalties": [p.to_dict() for p in self.penalties] or None,
            "keywords": list(self.keywords) or None,
            "sources": [s.to_dict() for s in self.sources],
            "verified": self.verified,
            "verification_note": self.verification_note,
        }
        return {k: full[k] for k in _CRITERION_KEYS if full[k] is not None}

    @functools.cached_property
    def facts(self) -> list[str]:
        """Fact ids the criterion reads (condition, then applicability); computed once."""
        found = cond.facts_of(self.condition)
        if self.applies_when is not None:
            found += [f for f in cond.facts_of(self.applies_when) if f not in found]
        return found

    @functools.cached_property
    def judgment_ids(self) -> frozenset[str]:
        return frozenset(j.id for j in cond.judgments_of(self.condition))

    @property
    def article_number(self) -> str:
        """第三条 for 第三条第（一）项; 4.1 for a standard's clause 4.1 a); 一、 as written."""
        if self.clause.startswith("第") and "条" in self.clause:
            return self.clause.split("条", 1)[0] + "条"
        return self.clause.split(" ", 1)[0]


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    document: str
    issuer: str
    effective: dt.date | None  # None: no source gives the first day (see effective_note)
    scope: dict[str, Any]
    applies_when: cond.Node | None  # None: every enterprise
    regime: dict[str, Any]
    items_in_standard: int
    sources: tuple[Source, ...]
    issued: dt.date | None = None
    last_day: dt.date | None = None
    replaces: str | None = None
    replaced_by: str | None = None
    short_title: str | None = None
    note: str | None = None
    effective_note: str | None = None
    in_force_by: dt.date | None = None
    provisions: tuple[Provision, ...] = ()
    procedure: str | None = None
    hazard_term: str = "重大事故隐患"
    criteria: list[Criterion] = field(default_factory=list, compare=False)
    articles: dict[str, str] = field(default_factory=dict, compare=False)  # 第N条 → 序文

    def in_force(self, day: dt.date) -> bool:
        if self.effective is not None:
            started = self.effective <= day
        else:  # first day unknown: in force only from a date a source shows it was
            started = self.in_force_by is not None and self.in_force_by <= day
        return started and (self.last_day is None or day <= self.last_day)

    def uncertain(self, day: dt.date) -> bool:
        """Whether it was in force on `day` cannot be told from the sources (no first day)."""
        if self.effective is not None or self.in_force(day):
            return False
        return self.last_day is None or day <= self.last_day

    def status(self, today: dt.date) -> str:
        if self.effective is not None and today < self.effective:
            return "尚未施行"
        if self.last_day is not None and today > self.last_day:
            return "已废止"
        return "现行有效"

    @property
    def finding_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.role != "site_rule"]

    @property
    def site_rules(self) -> list[Criterion]:
        return [c for c in self.criteria if c.role == "site_rule"]

    @property
    def items(self) -> list[Criterion]:
        """The numbered items of the standard (site rules are its counting method)."""
        return [c for c in self.criteria if c.role != "site_rule"]

    @property
    def fully_encoded(self) -> bool:
        return len(self.items) >= self.items_in_standard

    @property
    def verified_count(self) -> int:
        return sum(1 for c in self.criteria if c.verified)

    @property
    def name(self) -> str:
        return f"《{self.title}》（{self.document}）"


@dataclass(frozen=True)
class Sanction:
    """What an article imposes, typed (the sanction expression of a penalty step)."""

    when: str  # initial | overdue | refused | serious | accident | condition
    on: str  # unit | responsible_persons | principal | other_managers | person | authority | ...
    measure: str
    mandatory: bool
    fine: dict[str, Any] | None = None
    prison: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sanction:
        return cls(d["when"], d["on"], d["measure"], d["mandatory"], d.get("fine"),
                   d.get("prison"), d.get("note"))


@dataclass(frozen=True)
class Article:
    """A legal article (or item) that a penalty path cites."""

    id: str
    law: str
    clause: str
    text: str
    effective: dt.date
    sources: tuple[Source, ...]
    verified: bool
    last_day: dt.date | None = None
    verification_note: str | None = None
    sanctions: tuple[Sanction, ...] = ()
    kind: str = "law"

    def in_force(self, day: dt.date) -> bool:
        return self.effective <= day and (self.last_day is None or day <= self.last_day)

    @property
    def name(self) -> str:
        return f"《{self.law}》{self.clause}"


@dataclass(frozen=True)
class Definition:
    """令第16号 第三条: what makes a hazard major when no standard lists it."""

    id: str
    document: str
    title: str
    clause: str
    text: str
    effective: dt.date
    questions: tuple[str, ...]
    sources: tuple[Source, ...]
    verified: bool
    verification_note: str | None = None
