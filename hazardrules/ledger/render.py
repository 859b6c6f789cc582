"""Ledger entries for people: the list table, one hazard with its history, the overdue list."""

from __future__ import annotations

from typing import Any

from . import lifecycle as lc
from .ledger import Event, Hazard, Penalty
from .stats import table, wan

CRITERION_STATUS = {"met": "成立", "not_met": "不成立", "undetermined": "待确定", "not_applicable": "不适用"}
FIELD_TEXT = {"level": "级别", "status": "状态", "status_on": "状态日期", "deadline": "整改期限", "plan": "治理方案",
              "supervised_by": "督办部门", "supervised_on": "督办日期", "suspension": "停产停业/停止使用",
              "resumed_on": "恢复日期", "review": "专家论证意见"}


def short(text: str | None, limit: int = 24) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def flags(h: Hazard | dict[str, Any]) -> str:
    state = h.state if isinstance(h, Hazard) else h
    out = []
    if state.get("supervised_by"):
        out.append(f"督办：{state['supervised_by']}")
    if state.get("suspension"):
        out.append(state["suspension"]["kind"])
    return "；".join(out)


def list_lines(hazards: list[Hazard]) -> list[str]:
    if not hazards:
        return ["（没有符合条件的隐患）"]
    header = ["编号", "企业", "检查日期", "级别", "状态", "期限", "督办/停产", "检查发现"]
    rows = [[str(h.id), short(h.enterprise_name, 16), h.inspection_date, lc.LEVEL_TEXT[h.level], h.status,
             h.due or "", flags(h), f"{h.ref} {short(h.description)}"] for h in hazards]
    return table(header, rows) + [f"共 {len(hazards)} 项"]


def overdue_lines(hazards: list[Hazard], day: str) -> list[str]:
    if not hazards:
        return [f"截至 {day} 没有逾期未整改的隐患"]
    import datetime as dt

    header = ["编号", "企业", "级别", "状态", "期限", "逾期天数", "督办/停产", "检查发现"]
    rows = [[str(h.id), short(h.enterprise_name, 16), lc.LEVEL_TEXT[h.level], h.status, h.due or "",
             str((dt.date.fromisoformat(day) - dt.date.fromisoformat(h.due)).days), flags(h),
             f"{h.ref} {short(h.description)}"] for h in hazards]
    return [f"截至 {day} 逾期未整改的隐患（供回头看）："] + table(header, rows) + [f"共 {len(hazards)} 项"]


def hazard_lines(h: Hazard) -> list[str]:
    level = {lc.MAJOR: "重大事故隐患", lc.GENERAL: "一般事故隐患", lc.UNDETERMINED: "待判定"}[h.level]
    assessed = {lc.MAJOR: "重大", lc.GENERAL: "一般", lc.UNDETERMINED: "无法判定"}[h.assessed_level]
    key = h.enterprise_key.removeprefix("other:")
    lines = [
        f"隐患 #{h.id}  {level}  状态：{h.status}（{h.state.get('status_on')} 起）",
        f"企业：{h.enterprise_name}（{key}）",
        f"检查：#{h.inspection_id} {h.inspection_date} {h.inspection_kind}"
        + (f" {h.inspector}" if h.inspector else "") + f"，检查发现 {h.ref}",
    ]
    if h.location or h.description:
        lines.append("描述：" + "，".join(x for x in (h.location, h.description) if x))
    flag = "（条文待核实）" if h.unverified else ""
    flag += "（依令第16号第三条的定义）" if h.by_definition else ""
    lines.append(f"判定建议：{assessed}{flag}（判定日 {h.judged_on}）")
    for c in h.criteria:
        if c["status"] in ("met", "undetermined") or h.assessed_level != lc.MAJOR:
            status = CRITERION_STATUS.get(c["status"], c["status"])
            verified = "已核实" if c["verified"] else "条文待核实"
            lines.append(f"  条款：{c['id']} {c['clause']} {c['title']}（{status}；{verified}）")
    if h.standards:
        lines.append("  标准：" + "；".join(f"{s['id']}（{s['document']}，{s['effective'] or '施行日未记录'} 起）"
                                          for s in h.standards))
    lines.append(f"  判定数据：{h.data_hash}（截至 {h.data_as_of}）")
    if h.deadline:
        lines.append(f"整改期限：{h.deadline}")
    if h.plan:
        elements = "；".join(f"{lc.PLAN_TEXT[k]}：{h.plan.get(k, '（缺）')}" for k in lc.PLAN_KEYS)
        lines.append(f"治理方案（五落实）：{elements}")
    if h.supervised_by:
        lines.append(f"挂牌督办：{h.supervised_by}（{h.state.get('supervised_on')} 起）")
    if h.suspension:
        s = h.suspension
        authority = s.get("department") or "负有安全生产监督管理职责的部门"
        by = "企业自行" if s["by"] == lc.ENTERPRISE else authority + "责令"
        lines.append(f"停产停业/停止使用：{by}{s['kind']}（{s['on']} 起），经审查同意方可恢复")
    if h.state.get("resumed_on"):
        lines.append(f"恢复生产经营和使用：{h.state['resumed_on']}")
    if h.state.get("review"):
        lines.append(f"专家论证意见：{h.state['review']}")
    lines.append("历史：")
    lines += ["  " + event_line(e) for e in h.history]
    return lines


def event_line(e: Event) -> str:
    parts = [e.on_date, lc.ACTION_TEXT.get(e.action, e.action), f"{e.actor}（{lc.ROLE_TEXT[e.role]}）"]
    changes = []
    for key, (old, new) in e.changes.items():
        if key in ("status_on", "supervised_on"):
            continue
        changes.append(f"{FIELD_TEXT.get(key, key)}：{_value(key, old)} → {_value(key, new)}"
                       if old is not None else f"{FIELD_TEXT.get(key, key)}：{_value(key, new)}")
    text = "  ".join(parts)
    if changes:
        text += "  " + "；".join(changes)
    if e.note:
        text += f"  说明：{e.note}"
    return text


def _value(key: str, value: Any) -> str:
    if value is None:
        return "无"
    if key == "level":
        return lc.LEVEL_TEXT[value]
    if key == "plan":
        return "、".join(lc.PLAN_TEXT[k] for k in lc.PLAN_KEYS if value.get(k)) + "已落实"
    if key == "suspension":
        return f"{value['kind']}（{value['on']} 起）"
    return str(value)


def penalty_lines(penalties: list[Penalty]) -> list[str]:
    if not penalties:
        return ["（没有登记的行政处罚）"]
    from .ledger import PENALTY_ON_TEXT

    header = ["编号", "企业", "决定日期", "法条", "对象", "措施", "罚款（万元）", "决定书文号"]
    rows = [[str(p.id), short(p.enterprise_name, 16), p.decided_on, p.article,
             PENALTY_ON_TEXT[p.on] + (f" {p.person}" if p.person else ""), p.measure,
             "" if p.amount is None else wan(p.amount), p.decision or ""] for p in penalties]
    return table(header, rows)
