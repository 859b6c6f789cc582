"""Penalty paths: from a verdict and the situation around it to the cited legal steps.

Every step names its article (an id in criteria/penalties/), who acts, the typed sanction,
whether the article says "shall" or "may", and whether the step is the law itself or an
interpretation of it. The paths follow the law's own triggers: a general hazard fixed on
the spot or not; a major hazard self-reported and under a plan, or found by inspection; a
device closed or destroyed; an order refused; penalties repeated within 180 days or a year.
Enterprise history (recorded penalties) comes from the checklist, never from engine state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import conditions as cond
from .catalog import Catalog
from .errors import DataError
from .judge import GENERAL, MAJOR, UNDETERMINED, Verdict
from .model import Article, Sanction

LAW, INTERPRETATION = "law", "interpretation"
PLAN_ELEMENTS = {"responsibility": "责任", "measures": "措施", "funds": "资金", "deadline": "时限",
                 "contingency": "预案"}
ON_TEXT = {"unit": "生产经营单位", "responsible_persons": "直接负责的主管人员和其他直接责任人员",
           "principal": "主要负责人", "other_managers": "其他负责人和安全生产管理人员",
           "person": "个人", "authority": "负有安全生产监督管理职责的部门",
           "government": "县级以上地方人民政府", "court": "司法机关"}
FIXED = ("已整改", "已验收")


@dataclass
class PenaltyStep:
    step: str
    article: str
    actor: str
    sanction: str
    mandatory: bool | None
    basis: str  # law | interpretation
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "article": self.article, "actor": self.actor,
                "sanction": self.sanction, "mandatory": self.mandatory, "basis": self.basis,
                "note": self.note}


@dataclass
class PenaltyPath:
    steps: list[PenaltyStep] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fine_text(fine: dict[str, Any] | None) -> str:
    if not fine:
        return ""
    if "range" in fine:
        low, high = fine["range"]
        if not low:
            return f"{_yuan(high)}以下罚款"
        return f"{_yuan(low)}以上{_yuan(high)}以下罚款"
    if "income_share" in fine:
        low, high = fine["income_share"]
        share = f"{low:g}%" if low == high else f"{low:g}%至{high:g}%"
        return f"上一年年收入{share}的罚款"
    if "gains_multiple" in fine:
        low, high = fine["gains_multiple"]
        return f"违法所得{low:g}倍以上{high:g}倍以下罚款"
    if "per_day" in fine:
        return f"按日连续处罚（{fine['per_day']}）"
    return ""


def _yuan(amount: float) -> str:
    if amount >= 10000 and amount % 10000 == 0:
        return f"{amount / 10000:g}万元"
    return f"{amount:g}元"


def _max_fine(article: Article, when: str) -> float:
    """The highest fixed fine an article imposes at `when` (0: none, or not a fixed range)."""
    top = 0.0
    for s in article.sanctions:
        if s.when == when and s.fine and "range" in s.fine:
            top = max(top, s.fine["range"][1])
    return top


ACTS = ("authority", "government", "court")  # sanctions these bodies carry out, not suffer


def _whom(on: str) -> str:
    return ("由" if on in ACTS else "对") + ON_TEXT.get(on, on)


def sanction_text(s: Sanction) -> str:
    return f"{_whom(s.on)}：{_measure(s)}"


def _measure(s: Sanction) -> str:
    fine = fine_text(s.fine)
    if s.measure == "罚款" and fine:
        text = "处" + fine
    else:
        text = s.measure + (f"，{fine}" if fine and fine not in s.measure else "")
    if s.prison and s.prison not in text:
        text += f"，{s.prison}"
    return text


def sanctions_text(sanctions: list[Sanction]) -> str:
    """Sanctions grouped by whom they fall on, in the article's order."""
    groups: dict[str, list[str]] = {}
    for s in sanctions:
        groups.setdefault(s.on, []).append(_measure(s))
    return "；".join(f"{_whom(on)}：{'，'.join(parts)}" for on, parts in groups.items())


# --- 第113条: repeated penalties ---------------------------------------------------------


def year_before(day: dt.date) -> dt.date:
    """The corresponding day a year earlier; where there is none (29 February), the last day
    of that month."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def repeated_penalties(dates: list[dt.date], day: dt.date) -> dict[str, Any]:
    """Counts for 安全生产法第一百一十三条第（一）项, looking back from `day`.

    Interpretation (stated in every path that uses it): a penalty decision counts toward
    "一百八十日内" when it was made at most 180 days before the judging day (the 180th day
    included), and toward "一年内" when it was made on or after the corresponding day one year
    earlier (no corresponding day: the month's last day); decisions after `day` do not count.
    """
    past = [d for d in dates if d <= day]
    within_180 = [d for d in past if (day - d).days <= 180]
    within_year = [d for d in past if d >= year_before(day)]
    return {
        "within_180_days": len(within_180),
        "within_one_year": len(within_year),
        "met": len(within_180) >= 3 or len(within_year) >= 4,
    }


# --- building the path -------------------------------------------------------------------


class PathBuilder:
    def __init__(self, catalog: Catalog, verdict: Verdict, enterprise: Any, inspection_kind: str,
                 inspection_date: dt.date):
        self.catalog = catalog
        self.verdict = verdict
        self.enterprise = enterprise
        self.self_check = inspection_kind == "企业自查"
        self.inspection_date = inspection_date
        self.finding = verdict.finding
        self.situation = verdict.finding.situation
        self.path = PenaltyPath()

    def article(self, article_id: str) -> Article:
        art = self.catalog.articles.get(article_id)
        if art is None:
            raise DataError(f"处罚路径引用了未收录的法条 {article_id}")
        return art

    def add(self, step: str, article_id: str, actor: str, basis: str, *, when: str | None = None,
            on: str | None = None, sanction: str | None = None, mandatory: bool | None = None,
            note: str | None = None) -> None:
        art = self.article(article_id)
        sanctions = [s for s in art.sanctions if (when is None or s.when == when)
                     and (on is None or s.on == on)]
        text = sanction if sanction is not None else sanctions_text(sanctions)
        if mandatory is None and sanctions:
            mandatory = all(s.mandatory for s in sanctions)
        if not art.verified:
            note = (note.rstrip("。") + "；" if note else "") + "法条文本待核实"
        self.path.steps.append(PenaltyStep(step, article_id, actor, text, mandatory, basis, note))

    # -- entry --

    def build(self) -> PenaltyPath:
        v = self.verdict
        regimes = self._regimes()
        work_safety = not regimes or any(r.get("law_id", "aqsf-2021") == "aqsf-2021" for r in regimes)
        for regime in regimes:
            if regime.get("law_id", "aqsf-2021") != "aqsf-2021":
                self._other_regime(regime)
        if work_safety:
            self._law_in_force()
            self._limitation()
            if v.level == GENERAL:
                self._general()
            elif v.level == MAJOR:
                self._major()
            self._device_tampered()
            self._order_refused()
            self._accident()
            if v.level == MAJOR:
                self._repeated()
        if v.level != MAJOR:
            self._fact_articles()
        if len(self.path.steps) > 1:
            self._one_act_one_fine()
        self._next_steps()
        return self.path

    def _regimes(self) -> list[dict[str, Any]]:
        """The governing regimes of the standards that decide the finding (several where
        several standards decide it, e.g. a filling station under 燃气 and 特种设备)."""
        standards = [self.catalog.standards[r.criterion.standard] for r in self.verdict.met]
        if self.verdict.site is not None:
            standards.append(self.verdict.site.standard)
        if not standards:  # the standards the finding reached, else those its sector names
            standards = [self.catalog.standards[r.criterion.standard] for r in self.verdict.results]
        if not standards:
            standards = [s for s in self.verdict.standards + self.verdict.uncertain
                         if s.applies_when is not None][:1]
        standards = standards or self.verdict.standards[:1]
        out: list[dict[str, Any]] = []
        for std in standards:
            if std.regime not in out:
                out.append(std.regime)
        return out

    def _other_regime(self, regime: dict[str, Any]) -> None:
        if self.verdict.level == UNDETERMINED:
            return
        steps = (regime.get("paths") or {}).get(self.verdict.level, [])
        if not steps:
            self.path.notes.append(f"该隐患由《{regime['law']}》调整（{regime['authority']}），"
                                   "其处罚步骤尚未收录。")
            return
        self.path.notes.append(f"以下第 {len(self.path.steps) + 1} 步起按《{regime['law']}》"
                               f"（{regime['authority']}）。")
        for step in steps:
            self.add(step["step"], step["article"], step["actor"], step["basis"], when=step.get("when"),
                     note=step.get("note"))

    def _law_in_force(self) -> None:
        observed = self.finding.observed_on
        first = self.article("aqsf-2021/102")
        if observed < first.effective:
            self.path.notes.append(
                f"违法行为发生于 {observed}，早于现行安全生产法（2021年修正）施行日 {first.effective}："
                "应适用行为时的法律（2014年修正文本，未收录），新法较轻的适用新法（行政处罚法第三十七条）。"
                "以下按现行法列出，仅供参考。")
            self.add("从旧兼从轻：行为时法与现行法比较，适用较轻者", "xzcf-2021/37", "执法部门",
                     INTERPRETATION, sanction="")

    def _criterion_articles(self, when: str) -> list[str]:
        """The penalty articles mapped to each met criterion. One criterion is one act: where
        it maps to several articles that each fine it, only the highest fine is imposed
        (行政处罚法第二十九条), and the others are listed as not fined again."""
        out: list[str] = []
        ctx = cond.Context(self.finding.facts, attrs=self.enterprise.attrs())
        for r in self.verdict.met:
            refs = [p for p in r.criterion.penalties if p.article not in out and (
                p.applies_when is None or cond.evaluate(p.applies_when, ctx).value is cond.Truth.TRUE)]
            # an article tied to one limb penalises that limb's act, not the item's one act
            fines = {p.article: _max_fine(self.article(p.article), when) for p in refs if p.applies_when is None}
            top = max(fines.values(), default=0)
            kept = next((a for a, f in fines.items() if f == top and f > 0), None)
            for p in refs:
                out.append(p.article)
                if fines.get(p.article, 0) > 0 and p.article != kept:
                    self.add(f"{r.criterion.clause}所列行为同时违反本条：同一个违法行为不得给予两次以上罚款，"
                             "按罚款数额高的规定处罚，本条不另行罚款", p.article,
                             "负有安全生产监督管理职责的部门", LAW, sanction="（不另行罚款）",
                             mandatory=None, note=f"见行政处罚法第二十九条；按 {kept} 处罚")
                    continue
                self.add(f"{r.criterion.clause}所列行为的罚则", p.article, "负有安全生产监督管理职责的部门",
                         LAW if p.verified else INTERPRETATION, when=when,
                         note=None if p.verified else f"条款与罚则的对应为解读：{p.basis}")
        return out

    def _fixed(self) -> bool:
        return bool(self.situation.get("fixed_on_spot")) or \
            self.finding.rectification.get("status") in FIXED

    def _general(self) -> None:
        if self._fixed():
            self.add("检查中发现的事故隐患，当场予以纠正或者责令立即排除", "aqsf-2021/65-item3",
                     "负有安全生产监督管理职责的部门", LAW, sanction="责令立即排除", mandatory=True)
            self.add("当场整改完毕：第一百零二条“未采取措施消除事故隐患”的前提不成立", "aqsf-2021/102",
                     "负有安全生产监督管理职责的部门", INTERPRETATION, sanction="（不触发）",
                     mandatory=None)
            self.add("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚；初次违法且危害后果轻微并及时改正的，"
                     "可以不予行政处罚（是否“轻微”“初次”由执法部门认定）", "xzcf-2021/33",
                     "负有安全生产监督管理职责的部门", INTERPRETATION, sanction="不予行政处罚或可以不予行政处罚",
                     mandatory=None)
            self._criterion_articles("initial")
            return
        self.add("未采取措施消除事故隐患：责令立即消除或者限期消除，并处罚款", "aqsf-2021/102",
                 "负有安全生产监督管理职责的部门", LAW, when="initial")
        self._criterion_articles("initial")

    def _fact_articles(self) -> None:
        """A violating answer that breaches an article on its own (no standard lists it as
        major): a recorded violation with that article."""
        profile = cond.Context({}, attrs=self.enterprise.attrs())
        for fact_id, value in self.finding.facts.items():
            fact = self.catalog.facts.get(fact_id)
            if fact is None or fact.violates is None or not fact.penalties:
                continue
            if cond.evaluate(fact.violates, cond.Context({fact_id: value})).value is not cond.Truth.TRUE:
                continue
            for p in fact.penalties:
                art = self.article(p.article)
                if not art.in_force(self.verdict.judged_on):
                    note = (f"{art.name}施行期间为 {art.effective} 至 {art.last_day or '今'}，"
                            f"{self.verdict.judged_on} 不适用；当时适用的规定未收录")
                    if note not in self.path.notes:
                        self.path.notes.append(note)
                    continue
                if any(step.article == p.article for step in self.path.steps):
                    continue  # two answers breaching one article (辨识 and 台账: 第六条第一款)
                if p.applies_when is not None and \
                        cond.evaluate(p.applies_when, profile).value is not cond.Truth.TRUE:
                    continue
                what = "该行为违反的义务条款" if p.role == "duty" else "该行为适用的罚则"
                self.add(f"“{fact.question}”回答为违规：{what}", p.article,
                         "负有安全生产监督管理职责的部门", LAW if p.verified else INTERPRETATION,
                         when="initial", sanction="" if p.role == "duty" else None,
                         note=None if p.verified else f"对应关系为解读：{p.basis}")

    def _limitation(self) -> None:
        observed = self.finding.observed_on
        if (self.inspection_date - observed).days > 730:
            self.add("违法行为在二年内未被发现的，不再给予行政处罚；有连续或者继续状态的，从行为终了之日起计算",
                     "xzcf-2021/36", "负有安全生产监督管理职责的部门", INTERPRETATION, sanction="",
                     mandatory=None, note=f"发现日期 {observed} 距检查日 {self.inspection_date} 已逾二年；"
                                         "事故隐患持续存在的，一般属于继续状态（解读）")

    def _major(self) -> None:
        if self.self_check:
            self._major_self_check()
        else:
            self._major_found_by_inspection()

    def _plan_missing(self) -> list[str]:
        plan = self.situation.get("plan", {})
        return [name for key, name in PLAN_ELEMENTS.items() if not plan.get(key)]

    def _major_found_by_inspection(self) -> None:
        self.add("责令立即排除；排除前或者排除过程中无法保证安全的，责令从危险区域内撤出作业人员，"
                 "责令暂时停产停业或者停止使用相关设施、设备；排除后经审查同意，方可恢复",
                 "aqsf-2021/65-item3", "负有安全生产监督管理职责的部门", LAW,
                 sanction="责令立即排除；必要时撤出人员、暂时停产停业或者停止使用", mandatory=True,
                 note=self._safety_note())
        self._supervision()
        self.add("未采取措施消除事故隐患：责令立即消除或者限期消除，并处罚款", "aqsf-2021/102",
                 "负有安全生产监督管理职责的部门", LAW, when="initial")
        if not self._reported_before_found():
            self.add("重大事故隐患排查治理情况未按照规定报告", "aqsf-2021/101-item5",
                     "负有安全生产监督管理职责的部门", LAW, when="initial",
                     note="检查表未记载检查前已向负有安全生产监督管理职责的部门和职工大会或者职工代表大会报告")
        self._criterion_articles("initial")
        self.add("主要负责人未履行“及时消除生产安全事故隐患”职责（第二十一条第（五）项）的罚则",
                 "aqsf-2021/94-para1", "负有安全生产监督管理职责的部门", INTERPRETATION,
                 when="initial", note="是否未履行职责须执法部门认定；逾期未改正的加重并责令停产停业整顿")

    def _major_self_check(self) -> None:
        r = self.finding.reported
        if r.get("authority") and r.get("workers"):
            self.add(f"已于 {r['authority']} 向负有安全生产监督管理职责的部门、于 {r['workers']} 向职工大会或者"
                     "职工代表大会报告重大事故隐患排查治理情况", "aqsf-2021/41-para2", "生产经营单位", LAW,
                     sanction="（报告义务已履行）", mandatory=True)
            self.add("已按规定报告：第一百零一条第（五）项（未按照规定报告）的前提不成立", "aqsf-2021/101-item5",
                     "负有安全生产监督管理职责的部门", INTERPRETATION, sanction="（不触发）", mandatory=None)
        else:
            missing = "、".join(name for key, name in (("authority", "负有安全生产监督管理职责的部门"),
                                                       ("workers", "职工大会或者职工代表大会")) if not r.get(key))
            self.add("重大事故隐患排查治理情况应当及时报告", "aqsf-2021/41-para2", "生产经营单位", LAW,
                     sanction=f"及时向{missing}报告", mandatory=True, note="检查表尚未记载报告日期")
            self.add("未按照规定报告的罚则（未及时报告时适用）", "aqsf-2021/101-item5",
                     "负有安全生产监督管理职责的部门", LAW, when="initial")
        missing_plan = self._plan_missing()
        if missing_plan or self.finding.rectification.get("status") == "未整改":
            self.add("未采取措施消除事故隐患的罚则（治理方案未落实、整改未开展时适用）", "aqsf-2021/102",
                     "负有安全生产监督管理职责的部门", LAW, when="initial",
                     note=f"治理方案尚缺：{'、'.join(missing_plan)}" if missing_plan else "整改状态：未整改")
        else:
            self.add("正在按五落实的方案整改：第一百零二条（未采取措施消除事故隐患）的前提不成立，"
                     "前提是整改措施持续落实、按时限完成", "aqsf-2021/102", "负有安全生产监督管理职责的部门",
                     INTERPRETATION, sanction="（不触发）", mandatory=None)
        self.add("排除前或者排除过程中无法保证安全的，责令撤出作业人员、暂时停产停业或者停止使用；"
                 "排除后经审查同意，方可恢复", "aqsf-2021/65-item3", "负有安全生产监督管理职责的部门", LAW,
                 sanction="必要时撤出人员、暂时停产停业或者停止使用；经审查同意方可恢复", mandatory=True,
                 note=self._safety_note())
        self._supervision()
        self._criterion_articles("initial")
        self.add("主动消除或者减轻违法行为危害后果的，应当从轻或者减轻行政处罚", "xzcf-2021/32",
                 "负有安全生产监督管理职责的部门", INTERPRETATION, sanction="从轻或者减轻",
                 mandatory=True, note="企业自查发现并整改，是否构成“主动消除或者减轻”由执法部门认定")
        self.path.notes.append(
            "须保持：整改方案的责任、措施、资金、时限、预案持续落实；按时限完成并经验收销号。"
            "一旦逾期或者措施中断，适用第一百零二条。各地专项行动中“自查自改从轻或不予处罚”等政策"
            "属于阶段性地方政策，不是法律规定。")

    def _supervision(self) -> None:
        self.add("将重大事故隐患纳入信息系统并督办", "aqsf-2021/41-para3",
                 "县级以上地方人民政府负有安全生产监督管理职责的部门", LAW, sanction="督办（挂牌督办）",
                 mandatory=True)

    def _reported_before_found(self) -> bool:
        """Reported to both the authority and the workers on or before the inspection."""
        authority = self.finding.reported.get("authority")
        workers = self.finding.reported.get("workers")
        return bool(authority and workers and authority <= self.inspection_date
                    and workers <= self.inspection_date)

    def _safety_note(self) -> str | None:
        ensured = self.situation.get("safety_ensured")
        if ensured is False:
            return "检查表记载：排除过程中无法保证安全——应责令撤出作业人员、暂时停产停业或者停止使用"
        if ensured is None:
            return "能否保证安全未记载，由执法部门现场判断"
        return None

    def _device_tampered(self) -> None:
        if not self.situation.get("device_tampered"):
            return
        self.add("关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关数据、信息",
                 "aqsf-2021/99-item4", "负有安全生产监督管理职责的部门", LAW)
        danger = self.situation.get("real_danger")
        self.add("危险作业罪风险：关闭、破坏直接关系生产安全的设备、设施，具有发生重大伤亡事故或者其他严重后果的"
                 "现实危险", "xingfa-2021/134-1-item1", "司法机关", LAW,
                 note="以“现实危险”为构成要件；检查表"
                      + ("记载存在现实危险" if danger else "未记载现实危险，须另行认定"))

    def _order_refused(self) -> None:
        order = self.situation.get("order") or {}
        if not order.get("refused"):
            return
        self.add("拒不执行消除事故隐患的决定", "aqsf-2021/102", "负有安全生产监督管理职责的部门", LAW,
                 when="refused")
        self.add("受到罚款处罚后被责令改正、拒不改正的，可以按日连续处罚", "aqsf-2021/112",
                 "作出处罚决定的行政机关", LAW,
                 note=f"自作出责令改正之日（{order.get('given_on', '未记载')}）的次日起计算")
        if order.get("kind") in ("停产停业整顿", "暂时停产停业", "停止使用", "停止施工"):
            self.add("拒不执行停产停业、停止施工、停止使用决定，有发生生产安全事故的现实危险的，可以通知停止供电、"
                     "停止供应民用爆炸物品等", "aqsf-2021/70", "负有安全生产监督管理职责的部门", LAW)
        if order.get("kind") == "停产停业整顿":
            self.add("拒不执行停产停业整顿决定：提请关闭", "aqsf-2021/113-item4",
                     "负有安全生产监督管理职责的部门", LAW)
        self.add("危险作业罪风险：因存在重大事故隐患被依法责令停产停业、停止施工、停止使用有关设备、设施、场所"
                 "或者立即采取排除危险的整改措施，而拒不执行", "xingfa-2021/134-1-item2", "司法机关", LAW,
                 note="“拒不执行”的含义见两高解释（二）第三条；须具有现实危险")
        if "lianggao-2022/3" in self.catalog.articles:
            self.add("“拒不执行”的认定", "lianggao-2022/3", "司法机关", LAW, sanction="")

    def _accident(self) -> None:
        level = self.situation.get("accident")
        if not level:
            return
        self.add(f"发生{level}：对生产经营单位的罚款", "aqsf-2021/114", "应急管理部门", LAW)
        self.add(f"发生{level}：主要负责人未履行职责导致事故的罚款", "aqsf-2021/95", "应急管理部门", LAW,
                 note="以主要负责人未履行安全生产管理职责为前提")

    def _repeated(self) -> None:
        # 第一百一十三条 counts the penalties the unit received under this law
        dates = [p["date"] for p in self.enterprise.penalties
                 if str(p.get("article", "")).startswith("aqsf-") and p.get("on", "unit") == "unit"]
        if not dates:
            return
        counts = repeated_penalties(dates, self.verdict.judged_on)
        how = (f"判定日前 180 日内受到安全生产法行政处罚 {counts['within_180_days']} 次，"
               f"一年内 {counts['within_one_year']} 次")
        if counts["met"]:
            self.add("存在重大事故隐患，一百八十日内三次或者一年内四次受到本法规定的行政处罚：提请地方人民政府予以关闭",
                     "aqsf-2021/113-item1", "负有安全生产监督管理职责的部门", LAW,
                     note=how + "。计数方法为解读：以判定日为终点回溯，第180日计入；一年以前一年的对应日起算"
                               "（无对应日的取月末日）；只计安全生产法的处罚决定")
        else:
            self.path.notes.append(how + "，未达到第一百一十三条第（一）项的次数（计数方法为解读）。")

    def _one_act_one_fine(self) -> None:
        # interpretation steps count too: a fine proposed by a reading is still a second fine
        fines = [s for s in self.path.steps if "罚款" in s.sanction]
        if len(fines) > 1:
            self.add("同一个违法行为不得给予两次以上罚款：上列罚款中属于同一行为的，只按罚款数额高的规定处罚一次",
                     "xzcf-2021/29", "负有安全生产监督管理职责的部门", LAW, sanction="", mandatory=True,
                     note="不消除隐患、未报告、特定违法行为等是否属于同一行为，由执法部门认定（解读）")

    def _next_steps(self) -> None:
        v = self.verdict
        if v.level == GENERAL:
            deadline = self.finding.rectification.get("deadline")
            self.path.next_steps.append(
                f"限期整改，期限：{deadline}" if deadline else "立即整改，或者确定整改期限并落实")
            self.path.next_steps.append("如实记录隐患排查治理情况，并向从业人员通报（安全生产法第四十一条第二款）")
        elif v.level == MAJOR:
            self.path.next_steps += [
                "及时向负有安全生产监督管理职责的部门和职工大会或者职工代表大会报告（安全生产法第四十一条第二款）",
                "制定并落实治理方案：责任、措施、资金、时限、预案（五落实）",
                "排除前或者排除过程中无法保证安全的，从危险区域内撤出作业人员，局部或者全部停产停业、停止使用相关设施设备",
                "整改完成后申请审查，经审查同意方可恢复生产经营和使用（安全生产法第六十五条第（三）项）",
            ]
        else:
            self.path.next_steps.append("补充待回答的问题或者判断后重新判定")


def penalty_path(catalog: Catalog, verdict: Verdict, checklist: Any) -> PenaltyPath:
    return PathBuilder(catalog, verdict, checklist.enterprise, checklist.inspection["kind"],
                       checklist.inspection_date).build()
