"""A blank checklist for one enterprise profile: only the questions that apply to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import conditions as cond
from .catalog import Catalog
from .checklist import Enterprise
from .conditions import Context, Truth
from .judge import standards_covering
from .model import Criterion, Fact


@dataclass
class Question:
    fact: Fact
    criteria: list[Criterion] = field(default_factory=list)


def applicable_questions(catalog: Catalog, enterprise: Enterprise, day: dt.date) -> list[Question]:
    """Facts read by the criteria in force for this profile, in clause order. A criterion
    whose applicability depends on an unanswered enterprise question is kept (with it)."""
    ctx = Context(enterprise.answers, attrs=enterprise.attrs())
    questions: dict[str, Question] = {}
    for std in standards_covering(catalog, enterprise):
        if not std.in_force(day):
            continue
        for c in std.finding_criteria + std.site_rules:
            if c.applies_when is not None and cond.evaluate(c.applies_when, ctx).value in (
                    Truth.FALSE, Truth.NA):
                continue
            for fact_id in c.facts:
                questions.setdefault(fact_id, Question(catalog.facts[fact_id])).criteria.append(c)
    if catalog.definition is not None:
        for fact_id in catalog.definition.questions:
            questions.setdefault(fact_id, Question(catalog.facts[fact_id]))
    return list(questions.values())


def _hint(fact: Fact) -> str:
    if fact.type == "bool":
        return "是 / 否 / 不清楚 / 不适用"
    if fact.type == "number":
        return f"数值（单位：{fact.unit}）/ 不清楚 / 不适用"
    if fact.type == "choice":
        return " / ".join(fact.choices) + " / 不清楚 / 不适用"
    return "日期 YYYY-MM-DD / 不清楚 / 不适用"


def render_yaml(catalog: Catalog, sectors: list[str], industries: list[str],
                features: list[str], day: dt.date) -> str:
    enterprise = Enterprise("", sectors, industries, features)
    questions = applicable_questions(catalog, enterprise, day)
    v = catalog.version
    lines = [
        "# hazardrules 检查表模板（填写后用 hazardrules check 判定）",
        f"# 企业概况：{'、'.join(sectors)}"
        + (f" / {'、'.join(industries)}" if industries else "")
        + (f" / {'、'.join(features)}" if features else ""),
        f"# 适用日期：{day}；判定数据版本：{v.hash}（截至 {v.as_of}）",
        "# 每个问题填写：是 / 否 / 不清楚 / 不适用（或数值、选项）。留空等于“不清楚”。",
        "# “答案”一节是整张问题清单：每个成立的条款生成一条重大事故隐患，其余违规回答各生成一条检查发现。",
        "schema_version: 1",
        "enterprise:",
        "  name: 待填写企业名称",
        "  uscc: 待填写统一社会信用代码   # 无统一社会信用代码时删去本行，改填 other_key",
        f"  sector: [{', '.join(sectors)}]",
        f"  industries: [{', '.join(industries)}]",
        f"  features: [{', '.join(features)}]",
        "  answers:",
    ]
    enterprise_q = [q for q in questions if q.fact.scope == "enterprise"]
    finding_q = [q for q in questions if q.fact.scope == "finding"]
    lines += _block(catalog, enterprise_q, "    ") or ["    {}"]
    lines += [
        "inspection:",
        f'  date: "{day}"',
        "  kind: 企业自查   # 企业自查 / 部门帮扶 / 执法检查 / 专家查",
        "  inspector: 待填写",
        "answers:",
    ]
    lines += _block(catalog, finding_q, "  ") or ["  {}"]
    lines.append("findings: []")
    return "\n".join(lines) + "\n"


def _block(catalog: Catalog, questions: list[Question], pad: str) -> list[str]:
    out: list[str] = []
    for q in questions:
        out.append("")
        clauses = "、".join(f"{catalog.standards[c.standard].short_title or c.standard}"
                           f"{c.clause}" for c in q.criteria) or "令第16号第三条（重大事故隐患定义）"
        out.append(f"{pad}# 问：{q.fact.question}")
        out.append(f"{pad}# 依据：{clauses}")
        if q.fact.help:
            out.append(f"{pad}# 说明：{q.fact.help}")
        out.append(f"{pad}{q.fact.id}:   # {_hint(q.fact)}")
    return out
