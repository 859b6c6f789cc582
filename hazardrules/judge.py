"""Classifying findings: the standards in force on the day, the criteria a finding touches,
the rules engine's decision, the explanation beside it, and the level with its reasons.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from . import conditions as cond
from .catalog import Catalog
from .checklist import Checklist, Enterprise, Finding
from .conditions import Context, Trace, Truth
from .engine import Evaluator, get_engine
from .errors import EngineError, InputError
from .model import Criterion, Standard
from .safeyaml import position

MAJOR, GENERAL, UNDETERMINED = "major", "general", "undetermined"
ATTR_QUESTIONS = {
    "attr:subject.kind": "这条检查发现涉及哪个场所、设备或项目？（在 subject 中注明）",
    "attr:subject.place_types": "这条检查发现涉及的场所是什么类型？（在 subject.site 中注明，场所须有 place_types）",
    "attr:subject.equipment_category": "这条检查发现涉及哪台特种设备？（在 subject.equipment 中注明，设备须有类别）",
    "attr:subject.equipment_sub_type": "这台设备的品种是什么？（设备的 sub_type）",
}
LEVEL_RANK = {GENERAL: 0, UNDETERMINED: 1, MAJOR: 2}

MISSING_FACTS = "missing_facts"
NEEDS_JUDGMENT = "needs_judgment"
NOT_ENCODED = "not_encoded"
UNMAPPED = "unmapped"

NOTICE = (
    "本结果为依据已收录判定标准作出的判定建议，不是官方认定；重大事故隐患的认定以"
    "负有安全生产监督管理职责的部门的决定为准。"
)


@dataclass
class CriterionResult:
    criterion: Criterion
    status: str  # met | not_met | undetermined | not_applicable
    trace: Trace
    applies: Trace | None = None
    missing: list[str] = field(default_factory=list)
    open_judgments: list[cond.Judgment] = field(default_factory=list)

    def failing(self) -> list[Trace]:
        """The leaves that keep a not-met criterion from being met."""
        out: list[Trace] = []

        def visit(t: Trace) -> None:
            if t.value in (Truth.TRUE, Truth.UNKNOWN):
                return
            if not t.children:
                out.append(t)
            for child in t.children:
                visit(child)

        if self.applies is not None and self.applies.value in (Truth.FALSE, Truth.NA):
            visit(self.applies)
        visit(self.trace)
        return out


@dataclass
class Claim:
    criterion_id: str
    status: str  # confirmed | not_confirmed | undetermined | not_in_force | not_applicable
    message: str


@dataclass
class Verdict:
    finding: Finding
    level: str
    judged_on: dt.date
    as_of: dt.date | None
    standards: list[Standard]
    results: list[CriterionResult]
    reasons: list[str] = field(default_factory=list)
    reason_text: list[str] = field(default_factory=list)
    missing_facts: list[dict[str, Any]] = field(default_factory=list)
    open_judgments: list[dict[str, Any]] = field(default_factory=list)
    by_definition: bool = False
    definition_answers: dict[str, Any] = field(default_factory=dict)
    claim: Claim | None = None
    path: Any = None  # penalties.PenaltyPath, set by Judge.check
    uncertain: list[Standard] = field(default_factory=list)  # in force that day? unknown
    candidates: list[dict[str, Any]] = field(default_factory=list)  # clauses a sentence may match

    site: Any = None  # the SiteVerdict that made this finding major, if any

    @functools.cached_property
    def met(self) -> list[CriterionResult]:
        """Criteria met that decide (elements only count at their site). Computed once:
        `results` is complete when the verdict is made and never changes."""
        return [r for r in self.results if r.status == "met" and r.criterion.role == "decides"]

    def standards_term(self, standard_id: str) -> str | None:
        for s in self.standards:
            if s.id == standard_id:
                return s.hazard_term
        return None

    @property
    def elements(self) -> list[CriterionResult]:
        return [r for r in self.results if r.criterion.role == "element"]

    def provisions(self, catalog: Catalog) -> list[tuple[Standard, Any]]:
        """General provisions a met criterion rests on, e.g. 工贸 第十四条 where a required
        device is installed but failed (answered 失效)."""
        out: list[tuple[Standard, Any]] = []
        for r in self.met:
            failed = [t for t in _leaves(r.trace) if t.value is Truth.TRUE
                      and isinstance(t.node, cond.Compare)
                      and getattr(catalog.facts.get(t.node.name), "device", False)
                      and t.answer == "失效"]
            if not failed:
                continue
            std = catalog.standards[r.criterion.standard]
            for p in std.provisions:
                if p.applies_to == "device_failure" and (std, p) not in out:
                    out.append((std, p))
        return out

    @property
    def unverified(self) -> bool:
        """Major only on texts not yet verified (条文待核实)."""
        if self.level != MAJOR:
            return False
        if self.met:
            return not any(r.criterion.verified for r in self.met)
        if self.site is not None:
            return self.site.unverified
        return False

    @property
    def undetermined_reason(self) -> str | None:
        return self.reasons[0] if self.reasons else None

    @property
    def penalty_articles(self) -> list[str]:
        out: dict[str, None] = {}
        for r in self.met:
            for p in r.criterion.penalties:
                out.setdefault(p.article, None)
        return list(out)


@dataclass
class SiteVerdict:
    """GB 35181-style counting: elements found at one place, judged together."""

    site_id: str
    name: str
    place_types: list[str]
    standard: Standard
    level: str  # major | undetermined | none
    rules: list[CriterionResult]
    elements: dict[str, Any]  # element id → True / False / UNKNOWN
    contributing: dict[str, list[str]]  # element id → finding ids
    missing_facts: list[dict[str, Any]] = field(default_factory=list)
    open_judgments: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader must know to trust the level

    @property
    def met(self) -> list[CriterionResult]:
        return [r for r in self.rules if r.status == "met"]

    @property
    def unverified(self) -> bool:
        return bool(self.met) and not any(r.criterion.verified for r in self.met)


@dataclass
class Report:
    checklist: Checklist
    catalog: Catalog
    verdicts: list[Verdict]
    as_of: dt.date | None
    engine: str
    sites: list[SiteVerdict] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        levels = [v.level for v in self.verdicts]
        return {
            "major": levels.count(MAJOR),
            "major_unverified": sum(1 for v in self.verdicts if v.unverified),
            "general": levels.count(GENERAL),
            "undetermined": levels.count(UNDETERMINED),
            "unmapped": sum(1 for v in self.verdicts if UNMAPPED in v.reasons),
        }

    def exit_code(self) -> int:
        s = self.summary()
        if s["major"]:
            return 1
        if s["undetermined"]:
            return 3
        return 0


def standards_covering(catalog: Catalog, enterprise: Enterprise) -> list[Standard]:
    """Every edition of every standard whose scope covers this enterprise."""
    ctx = Context(enterprise.answers, attrs=enterprise.attrs())
    return [s for s in catalog.standards.values()
            if s.applies_when is None or cond.evaluate(s.applies_when, ctx).value is Truth.TRUE]


class Judge:
    """Judges the findings of one checklist against a catalog."""

    def __init__(self, catalog: Catalog, engine: Evaluator | None = None):
        self.catalog = catalog
        self.engine = engine or get_engine()
        # which criteria a fact or a judgment reaches: a finding touches only those
        self._by_fact: dict[str, set[str]] = {}
        self._by_judgment: dict[str, set[str]] = {}
        self._by_violation: dict[str, set[str]] = {}  # reached_by: only a violating answer reaches
        for c in catalog.criteria.values():
            for f in c.facts:
                self._by_fact.setdefault(f, set()).add(c.id)
            for f in c.reached_by.facts if c.reached_by else ():
                self._by_violation.setdefault(f, set()).add(c.id)
            for j in c.judgment_ids:
                self._by_judgment.setdefault(j, set()).add(c.id)
        self._families: dict[str, frozenset[str]] = {}

    # -- entry points -------------------------------------------------------------

    def check(self, checklist: Checklist, as_of: dt.date | None = None) -> Report:
        covering = standards_covering(self.catalog, checklist.enterprise)
        findings = list(checklist.findings) + self.question_list_findings(checklist, covering, as_of)
        verdicts = [self.judge(checklist, f, covering, as_of) for f in findings]
        sites = self.judge_sites(checklist, verdicts, covering)
        from .penalties import penalty_path

        for verdict in verdicts:
            verdict.path = penalty_path(self.catalog, verdict, checklist)
        return Report(checklist, self.catalog, verdicts, as_of, self.engine.name, sites)

    # -- sites: elements counted together ----------------------------------------------

    def judge_sites(self, checklist: Checklist, verdicts: list[Verdict],
                    covering: list[Standard]) -> list[SiteVerdict]:
        """Per site and standard with site rules: which elements its findings show, and
        whether together they make the site (and the contributing findings) major."""
        out: list[SiteVerdict] = []
        by_site: dict[str, list[Verdict]] = {}
        for v in verdicts:
            if v.elements and "site" in v.finding.subject:
                by_site.setdefault(v.finding.subject["site"], []).append(v)
            elif v.elements and v.level != MAJOR:
                self._element_without_site(v)
        sites = {s["id"]: s for s in checklist.raw.get("sites", [])}
        for site_id, site_verdicts in by_site.items():
            site = sites[site_id]
            answers = checklist.site_answers.get(site_id, {})
            facts = {**checklist.enterprise.answers, **answers}
            attrs = {**checklist.enterprise.attrs(), "subject.kind": "site",
                     "subject.place_types": site.get("place_types", [])}
            days = {v.judged_on for v in site_verdicts}
            for std in covering:
                if not std.site_rules or not any(std.in_force(d) for d in days):
                    continue
                elements, contributing = self._site_elements(std, site_verdicts)
                if not elements:
                    continue
                judgments = {**{k: rec for v in site_verdicts for k, rec in v.finding.judgments.items()},
                             **checklist.site_judgments.get(site_id, {})}
                ctx = Context(facts, attrs=attrs, judgments=judgments, elements=elements)
                met = self.engine.met(std, facts, {k: r["decision"] for k, r in judgments.items()},
                                      elements)
                rules = [self._result(c, ctx, c.id in met) for c in std.site_rules]
                sv = SiteVerdict(site_id, site.get("name", site_id), site.get("place_types", []), std,
                                 "none", rules, elements, contributing)
                sv.notes += _category_notes(std, site.get("place_types", []))
                self._site_level(sv, site_verdicts)
                out.append(sv)
        return out

    def _site_elements(self, std: Standard, site_verdicts: list[Verdict]):
        elements: dict[str, Any] = {}
        contributing: dict[str, list[str]] = {}
        for v in site_verdicts:
            for r in v.elements:
                if r.criterion.standard != std.id:
                    continue
                cid = r.criterion.id
                if r.status == "met":
                    elements[cid] = True
                    contributing.setdefault(cid, []).append(v.finding.id)
                elif r.status == "undetermined" and elements.get(cid) is not True:
                    elements[cid] = cond.UNKNOWN
                else:
                    elements.setdefault(cid, False)
        # elements no finding at this site shows count as absent: the site's findings are
        # what the inspection found there
        for c in std.finding_criteria:
            if c.role == "element":
                elements.setdefault(c.id, False)
        return elements, contributing

    def _site_level(self, sv: SiteVerdict, site_verdicts: list[Verdict]) -> None:
        if sv.met:
            sv.level = MAJOR
            involved = {f for ids in sv.contributing.values() for f in ids}
            for v in site_verdicts:
                if v.finding.id in involved and v.level != MAJOR:
                    v.level = MAJOR
                    v.site = sv
                    v.reasons, v.reason_text, v.missing_facts = [], [], []
                    v.open_judgments = []
            return
        open_rules = [r for r in sv.rules if r.status == "undetermined"]
        if not open_rules:
            return
        sv.level = UNDETERMINED
        missing: dict[str, list[str]] = {}
        for r in open_rules:
            for f in r.missing:
                if not f.startswith("element:"):
                    missing.setdefault(f, []).append(r.criterion.id)
            for j in r.open_judgments:
                sv.open_judgments.append({"id": j.id, "question": j.question,
                                          "criterion": r.criterion.id})
        sv.missing_facts = [self._question(f, crits) for f, crits in missing.items()]
        site_reason = MISSING_FACTS if sv.missing_facts or not sv.open_judgments else NEEDS_JUDGMENT
        site_text = f"所在场所“{sv.name}”的综合判定尚无法确定（见场所综合判定）"
        for v in site_verdicts:
            if not any(r.status in ("met", "undetermined") for r in v.elements):
                continue
            if v.level == GENERAL:
                v.level = UNDETERMINED
                v.reasons, v.reason_text = [site_reason], [site_text]
                v.missing_facts = list(sv.missing_facts)
                v.open_judgments = list(sv.open_judgments)
            elif v.level == UNDETERMINED:
                # already open for another reason: the questions a user can answer come first
                # (its own, then the site's), what nobody can answer here (not encoded) after
                merged = v.reasons + [site_reason] if site_reason not in v.reasons else v.reasons
                v.reasons = sorted(merged, key=lambda r: r not in (MISSING_FACTS, NEEDS_JUDGMENT))
                v.reason_text = v.reason_text + [site_text]
                asked = {m["fact"] for m in v.missing_facts}
                v.missing_facts = v.missing_facts + [m for m in sv.missing_facts if m["fact"] not in asked]
                seen = {j["id"] for j in v.open_judgments}
                v.open_judgments = v.open_judgments + [j for j in sv.open_judgments if j["id"] not in seen]

    def _element_without_site(self, v: Verdict) -> None:
        """An element can only be counted at a place: ask which one."""
        if any(r.status in ("met", "undetermined") for r in v.elements) and v.level == GENERAL:
            v.level = UNDETERMINED
            v.reasons = [MISSING_FACTS]
            v.reason_text = ["该发现属于按场所综合判定的要素，须注明所在场所"]
            v.missing_facts = [self._question("attr:subject.kind", [r.criterion.id
                                                                    for r in v.elements])]

    def question_list_findings(self, checklist: Checklist, covering: list[Standard],
                               as_of: dt.date | None) -> list[Finding]:
        """A filled-in question list (`answers`, plus the enterprise's own answers): a
        finding per met criterion and per criterion its unanswered questions leave open,
        then one per violating answer that decides none. Compliant answers produce nothing;
        what explicit findings already cover is skipped."""
        answered = {**checklist.enterprise.answers, **checklist.answers}
        if not answered:
            return []
        day = as_of or checklist.inspection_date
        ctx = Context(answered, attrs=checklist.enterprise.attrs())
        explicit_facts = {k for f in checklist.findings for k in f.facts}
        explicit_claims = {f.claimed_criterion for f in checklist.findings}
        definition = set(self.catalog.definition.questions) if self.catalog.definition else set()
        shared = {k: v for k, v in checklist.answers.items() if k in definition}
        out: list[Finding] = []
        used: set[str] = set()
        for std in covering:
            if not std.in_force(day):
                continue
            met = self.engine.met(std, answered, {})
            for c in std.finding_criteria:
                if c.role != "decides":
                    continue  # elements count per site, not in a question list
                if c.id in explicit_claims or explicit_facts & set(c.facts):
                    continue
                applies = cond.evaluate(c.applies_when, ctx).value if c.applies_when else Truth.TRUE
                if applies in (Truth.FALSE, Truth.NA):
                    continue
                value = cond.evaluate(c.condition, ctx).value
                asked = any(f in checklist.answers for f in c.facts)
                decided_major = c.id in met and applies is Truth.TRUE
                # left open by a question the list asks but does not answer: report it
                left_open = (c.id in met or (value is Truth.UNKNOWN and asked))
                if not (decided_major or left_open):
                    continue
                own = {k: v for k, v in answered.items() if k in c.facts}
                # a violation that brings this item up belongs to its finding, not to one of its own
                own.update({k: answered[k] for k in (c.reached_by.facts if c.reached_by else ())
                            if self._violates(k, answered)})
                used.update(own)
                out.append(Finding(id="Q-" + c.id.replace("/", "-"), facts=own, raw={},
                                   observed_on=checklist.inspection_date, description=c.title,
                                   claimed_criterion=c.id, generated=True,
                                   path=("answers",)))
        for fact_id, value in answered.items():
            if fact_id in used or fact_id in definition or fact_id in explicit_facts:
                continue
            if self._violates(fact_id, answered):
                fact = self.catalog.facts[fact_id]
                out.append(Finding(id="Q-" + fact_id, facts={fact_id: value, **shared}, raw={},
                                   observed_on=checklist.inspection_date, description=fact.question,
                                   generated=True, path=("answers", fact_id)))
        return out

    def _violates(self, fact_id: str, answers: dict[str, Any]) -> bool:
        fact = self.catalog.facts[fact_id]
        if fact.violates is None or fact_id not in answers:
            return False
        return cond.evaluate(fact.violates, Context({fact_id: answers[fact_id]})).value \
            is Truth.TRUE

    # -- one finding --------------------------------------------------------------

    def judge(self, checklist: Checklist, finding: Finding, covering: list[Standard],
              as_of: dt.date | None) -> Verdict:
        day = as_of or finding.observed_on
        earliest = self.earliest_day(covering)
        if earliest is not None and day < earliest[0]:
            raise InputError(
                f"检查发现 {finding.id} 的日期 {day} 早于{earliest[1]}的施行日 {earliest[0]}；"
                "已收录的数据不能判定这一日期，也不以后来的标准判定",
                file=checklist.source,
                position=position(checklist.positions,
                                  checklist.base + finding.path + ("observed_on",)),
            )
        in_force = [s for s in covering if s.in_force(day)]
        facts = checklist.facts_for(finding)
        judgments = checklist.judgments_for(finding)
        ctx = Context(facts, attrs=checklist.attrs(finding), judgments=judgments)
        decisions = {k: v["decision"] for k, v in judgments.items()}

        results: list[CriterionResult] = []
        reached = self._reached(finding)
        for std in in_force:
            touched = [c for c in std.finding_criteria if c.id in reached]
            if not touched:
                continue
            met = self.engine.met(std, facts, decisions)
            for c in touched:
                results.append(self._result(c, ctx, c.id in met))

        verdict = Verdict(finding, UNDETERMINED, day, as_of, in_force, results)
        verdict.uncertain = [s for s in covering if s.uncertain(day)]
        self._claim(verdict, covering, ctx)
        self._level(verdict, checklist, in_force, facts)
        return verdict

    def earliest_day(self, covering: list[Standard]) -> tuple[dt.date, str] | None:
        """The first day anything encoded can judge: the earliest edition covering the
        enterprise, or — where an edition's first day is unknown — 令第16号 itself."""
        days = [(s.effective, s.name) for s in covering if s.effective is not None]
        d = self.catalog.definition
        if d is not None and (not days or any(s.effective is None for s in covering)):
            return (d.effective, f"{d.document}")
        return min(days) if days else None

    def _reached(self, finding: Finding) -> set[str]:
        """Ids of the criteria a finding touches: its answered facts, the violating answers that
        bring a criterion up (reached_by), its judgments, its claim."""
        out: set[str] = set()
        for f in finding.facts:
            out |= self._by_fact.get(f, set())
            if f in self._by_violation and self._violates(f, finding.facts):
                out |= self._by_violation[f]
        for j in finding.judgments:
            out |= self._by_judgment.get(j, set())
        if finding.claimed_criterion:
            out.add(finding.claimed_criterion)
        return out

    def _result(self, c: Criterion, ctx: Context, engine_met: bool) -> CriterionResult:
        trace = cond.evaluate(c.condition, ctx)
        if engine_met != (trace.value is Truth.TRUE):
            raise EngineError(
                f"规则引擎与解释层对 {c.id} 的结论不一致（引擎：{engine_met}，解释：{trace.value.value}）"
            )
        applies = cond.evaluate(c.applies_when, ctx) if c.applies_when is not None else None
        app = applies.value if applies is not None else Truth.TRUE
        missing = trace.unknown_facts()
        judgments = trace.open_judgments()
        if app in (Truth.FALSE, Truth.NA):
            status = "not_applicable"
        elif trace.value in (Truth.FALSE, Truth.NA):
            status = "not_met"
        elif app is Truth.UNKNOWN:
            status = "undetermined"
            missing = applies.unknown_facts() + [f for f in missing
                                                 if f not in applies.unknown_facts()]
        elif engine_met:
            status = "met"
        else:
            status = "undetermined"
        if status != "undetermined":
            missing, judgments = [], []
        return CriterionResult(c, status, trace, applies, missing, judgments)

    def _claim(self, verdict: Verdict, covering: list[Standard], ctx: Context) -> None:
        claimed = verdict.finding.claimed_criterion
        if claimed is None or verdict.finding.generated:
            return
        c = self.catalog.criteria[claimed]
        std = self.catalog.standards[c.standard]
        for r in verdict.results:
            if r.criterion.id != claimed:
                continue
            if r.status == "met":
                verdict.claim = Claim(claimed, "confirmed", f"检查人员认为适用的 {c.clause} 成立")
            elif r.status == "undetermined":
                verdict.claim = Claim(claimed, "undetermined",
                                      f"{c.clause} 是否成立尚无法判定，缺少的信息见下")
            elif r.status == "not_applicable":
                verdict.claim = Claim(claimed, "not_applicable",
                                      f"{c.clause} 不适用于本企业：{_describe_failing(r)}")
            else:
                verdict.claim = Claim(claimed, "not_confirmed",
                                      f"{c.clause} 不成立：{_describe_failing(r)}")
            return
        if std not in covering:
            verdict.claim = Claim(claimed, "not_applicable",
                                  f"{std.name}的适用范围不包括本企业")
        else:
            last = std.last_day.isoformat() if std.last_day else "今"
            verdict.claim = Claim(claimed, "not_in_force",
                                  f"{std.name}在 {verdict.judged_on} 不在施行期间"
                                  f"（{std.effective} 至 {last}），不据此判定")

    def _level(self, verdict: Verdict, checklist: Checklist, in_force: list[Standard],
               facts: dict[str, Any]) -> None:
        results = verdict.results
        definition = self.catalog.definition
        questions = definition.questions if definition else ()
        verdict.definition_answers = {q: facts.get(q, cond.UNKNOWN) for q in questions}
        if verdict.met:
            verdict.level = MAJOR
            return
        if any(v is True for v in verdict.definition_answers.values()):
            verdict.level = MAJOR
            verdict.by_definition = True
            return
        open_results = [r for r in results if r.status == "undetermined"]
        if open_results:
            missing: dict[str, list[str]] = {}
            for r in open_results:
                for f in r.missing:
                    missing.setdefault(f, []).append(r.criterion.id)
                for j in r.open_judgments:
                    verdict.open_judgments.append(
                        {"id": j.id, "question": j.question, "criterion": r.criterion.id})
            if missing:
                verdict.reasons.append(MISSING_FACTS)
                verdict.missing_facts = [self._question(f, crits) for f, crits in missing.items()]
            for r in open_results:
                reached = r.criterion.reached_by
                if reached and any(self._violates(f, verdict.finding.facts) for f in reached.facts):
                    std = self.catalog.standards[r.criterion.standard]
                    where = f"{std.short_title or std.name} {r.criterion.clause.rstrip('、')}"
                    verdict.reason_text.append(f"为何提出{where}：{reached.note}")
            if verdict.open_judgments:
                verdict.reasons.append(NEEDS_JUDGMENT)
            return
        # a finding that answers nothing and claims nothing could fall under any text in force;
        # one whose answers reach no criterion is about what those answers say
        described_only = not verdict.finding.facts and not verdict.finding.claimed_criterion \
            and not verdict.finding.judgments
        if described_only and verdict.finding.description:
            self._from_text(verdict, checklist, in_force, facts)
            return
        pending = self._pending(verdict, in_force + verdict.uncertain, results,
                                covering_only=described_only)
        if pending:
            verdict.reasons.append(NOT_ENCODED)
            verdict.reason_text.append("；".join(self._pending_text(s, verdict.judged_on)
                                                for s in pending))
            return
        if not in_force:
            verdict.reasons.append(NOT_ENCODED)
            sectors = "、".join(checklist.enterprise.sectors)
            verdict.reason_text.append(f"“{sectors}”行业领域在 {verdict.judged_on} 没有已收录的判定标准")
            return
        if not results:
            coverage = "；".join(f"{s.name}已收录 {len(s.items)}/{s.items_in_standard} 项"
                                 for s in in_force)
            if described_only:
                verdict.reasons.append(UNMAPPED)
                verdict.reason_text.append(f"未能对应任何已收录的判定条款（{coverage}）")
                return
            # answered facts that no criterion in force reads: a known situation no standard
            # lists — the 令第16号 definition decides between general and major
            unanswered = [q for q, v in verdict.definition_answers.items() if v is not False]
            if not unanswered:
                verdict.level = GENERAL
                return
            verdict.reasons += [UNMAPPED, MISSING_FACTS]
            verdict.reason_text.append(
                f"所答事实不属于任何已收录的判定条款（{coverage}）；判定为一般事故隐患前，须按"
                f"{definition.document}{definition.clause}回答以下问题")
            verdict.missing_facts = [self._question(q, [definition.id]) for q in unanswered]
            return
        unanswered = [q for q, v in verdict.definition_answers.items() if v is not False]
        if unanswered:
            verdict.reasons.append(MISSING_FACTS)
            verdict.reason_text.append(
                "未构成所列重大事故隐患情形；判定为一般事故隐患前，须按"
                f"{definition.document}{definition.clause}回答以下问题")
            verdict.missing_facts = [self._question(q, [definition.id]) for q in unanswered]
            return
        verdict.level = GENERAL

    def _family(self, std: Standard) -> frozenset[str]:
        """Every edition of a standard (linked by replaces / replaced_by)."""
        if std.id in self._families:
            return self._families[std.id]
        seen: set[str] = set()
        todo = [std.id]
        while todo:
            sid = todo.pop()
            if sid in seen or sid not in self.catalog.standards:
                continue
            seen.add(sid)
            s = self.catalog.standards[sid]
            todo += [x for x in (s.replaces, s.replaced_by) if x]
        self._families[std.id] = frozenset(seen)
        return self._families[std.id]

    def _from_text(self, verdict: Verdict, checklist: Checklist, in_force: list[Standard],
                   facts: dict[str, Any]) -> None:
        """A finding written only as a sentence: the clauses it may fall under and the
        questions that decide them — never a major verdict from text alone."""
        from .textmatch import suggest

        finding = verdict.finding
        s = suggest(self.catalog, finding.description, in_force, answers=facts,
                    attrs=checklist.attrs(finding), day=verdict.judged_on,
                    sectors=checklist.enterprise.sectors)
        verdict.candidates = [{"criterion": c.criterion_id, "score": round(c.score, 2),
                               "terms": list(c.terms)} for c in s.candidates]
        verdict.reason_text += s.reason_text(self.catalog)
        partial = [x for x in in_force + verdict.uncertain
                   if not x.fully_encoded or x.uncertain(verdict.judged_on)]
        if s.unmapped:
            # nothing encoded matches; where texts in force are not fully encoded, the
            # sentence may well be one of their missing items
            verdict.reasons += [NOT_ENCODED, UNMAPPED] if partial else [UNMAPPED]
        else:
            verdict.reasons.append(MISSING_FACTS)
            verdict.missing_facts = s.missing_facts(self.catalog)
        verdict.reason_text += [self._pending_text(x, verdict.judged_on) for x in partial]

    @staticmethod
    def _pending_text(s: Standard, day: dt.date) -> str:
        if s.uncertain(day):
            known = f"，来源只能证明其最迟于 {s.in_force_by} 已施行" if s.in_force_by else ""
            return f"{s.name}的施行日期未能核实{known}，无法确定 {day} 是否已施行，不据此判定"
        if not s.items:
            return f"{s.name}在 {day} 施行，但其条款尚未收录"
        return f"{s.name}在 {day} 施行，仅收录 {len(s.items)}/{s.items_in_standard} 项，未收录的条款可能适用"

    def _pending(self, verdict: Verdict, in_force: list[Standard], results: list[CriterionResult],
                 covering_only: bool) -> list[Standard]:
        """In-force editions the finding may fall under but whose text is not (fully)
        encoded: those of a family whose criteria (any edition) the finding touches, or —
        when it touches nothing — every in-force edition covering the enterprise."""
        finding = verdict.finding
        touched = {self._family(self.catalog.standards[self.catalog.criteria[cid].standard])
                   for cid in self._reached(finding)}
        # a partially encoded edition the finding reaches may still apply through an item not
        # encoded yet, even where the encoded items it reached are not met
        out = []
        for s in in_force:
            if s.fully_encoded and not s.uncertain(verdict.judged_on):
                continue
            if self._family(s) in touched or (covering_only and not touched):
                out.append(s)
        return out

    def _question(self, fact_id: str, criteria: list[str]) -> dict[str, Any]:
        if fact_id.startswith("attr:"):
            return {"fact": fact_id, "question": ATTR_QUESTIONS.get(fact_id, f"请补充 {fact_id[5:]}"),
                    "criteria": criteria, "type": "subject", "unit": None}
        fact = self.catalog.facts[fact_id]
        return {"fact": fact_id, "question": fact.question, "criteria": criteria,
                "type": fact.type, "unit": fact.unit}


def _category_notes(std: Standard, place_types: list[str]) -> list[str]:
    """A site naming none of the place categories the standard's rules distinguish is judged
    as none of them: say so, since the label may just be missing or be a narrower name
    (公共娱乐场所 is a 人员密集场所) that the rules cannot see."""
    categories: list[str] = []
    for rule in std.site_rules:
        for n in cond.walk(rule.applies_when) if rule.applies_when is not None else ():
            leaf = n.child if isinstance(n, cond.Not) else n
            if isinstance(leaf, cond.Compare) and leaf.kind == "attr" and leaf.name == "subject.place_types":
                categories += [v for v in (leaf.value if leaf.op == "in" else (leaf.value,)) if v not in categories]
    if not categories or set(categories) & set(place_types):
        return []
    named = "、".join(place_types) if place_types else "未注明"
    return [f"本场所的类别（{named}）不含{'、'.join(categories)}中的任何一类，已按不属于这些类别的场所判定；"
            "场所实际属于其中一类的，请在 place_types 中注明该类别（工具不识别类别的下位名称），结论可能不同。"]


def _leaves(trace: Trace):
    if not trace.children:
        yield trace
    for child in trace.children:
        yield from _leaves(child)


def _describe_failing(result: CriterionResult) -> str:
    from .explain import describe_leaf

    leaves = result.failing()
    return "；".join(describe_leaf(t) for t in leaves) or "条件不满足"


def check(checklist: Checklist, catalog: Catalog, as_of: dt.date | None = None,
          engine: Evaluator | None = None) -> Report:
    return Judge(catalog, engine).check(checklist, as_of)
