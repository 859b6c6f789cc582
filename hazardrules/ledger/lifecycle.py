"""The rectification lifecycle of a hazard: states, who may move it, and what each step changes.

Pure rules, no database: every step takes the hazard's current state (a dict of the fields
in STATE_FIELDS) and returns the changes as {field: (old, new)}; the ledger stores those
changes as an event and never edits an event afterwards, so the state on any day is the
fold of the events up to that day.

General hazards (一般事故隐患) are fixed at once (立即整改) or by a deadline (限期整改).
Major hazards (重大事故隐患) go 待整改 → 整改中 (a plan with its five elements, 五落实) →
已整改 → 已验收 → 销号 (令第16号 第十五条; 安全生产法第四十一条). Beside the status run the
things the law and the 2023 action add: 挂牌督办 by a named department (第四十一条第三款),
an order to suspend production or use and the authority's review before resumption
(第六十五条第（三）项), deadline extension, reclassification, and withdrawal after expert
review. An undetermined finding waits (待判定) until someone classifies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

MAJOR, GENERAL, UNDETERMINED = "major", "general", "undetermined"
LEVEL_TEXT = {MAJOR: "重大", GENERAL: "一般", UNDETERMINED: "待判定"}
LEVEL_NAMES = {"重大": MAJOR, "一般": GENERAL, "待判定": UNDETERMINED, MAJOR: MAJOR, GENERAL: GENERAL,
               UNDETERMINED: UNDETERMINED}

ENTERPRISE, INSPECTOR, DEPARTMENT = "enterprise", "inspector", "department"
ROLE_TEXT = {ENTERPRISE: "企业", INSPECTOR: "检查人员", DEPARTMENT: "监管部门"}
ROLE_NAMES = {"企业": ENTERPRISE, "检查人员": INSPECTOR, "监管部门": DEPARTMENT,
              ENTERPRISE: ENTERPRISE, INSPECTOR: INSPECTOR, DEPARTMENT: DEPARTMENT}
ANYONE = frozenset(ROLE_TEXT)
OFFICIALS = frozenset((INSPECTOR, DEPARTMENT))

UNCLASSIFIED = "待判定"
FIX_NOW = "立即整改"
FIX_BY_DEADLINE = "限期整改"
PENDING = "待整改"
IN_PROGRESS = "整改中"
RECTIFIED = "已整改"
ACCEPTED = "已验收"
CLOSED = "销号"
WITHDRAWN = "已撤销"
STATUSES = (UNCLASSIFIED, FIX_NOW, FIX_BY_DEADLINE, PENDING, IN_PROGRESS, RECTIFIED, ACCEPTED, CLOSED,
            WITHDRAWN)
OPEN = frozenset((UNCLASSIFIED, FIX_NOW, FIX_BY_DEADLINE, PENDING, IN_PROGRESS))  # not yet rectified
DONE = frozenset((RECTIFIED, ACCEPTED, CLOSED))  # counted as rectified (已整改) in statistics
TERMINAL = frozenset((CLOSED, WITHDRAWN))

# Orders that stop production or use until the authority's review (安全生产法第六十五条第（三）项).
SUSPENSION_KINDS = ("暂时停产停业", "局部停产停业", "停产停业整顿", "停止使用", "停止施工")
AUTHORITY = "authority"  # a suspension ordered by an inspector or department, not by the enterprise

PLAN_KEYS = ("responsibility", "measures", "funds", "deadline", "contingency")
PLAN_TEXT = {"responsibility": "责任", "measures": "措施", "funds": "资金", "deadline": "时限",
             "contingency": "预案"}

# The projection a hazard's events fold into. Dates are ISO strings, so they compare as text.
STATE_FIELDS = ("level", "status", "status_on", "deadline", "plan", "supervised_by", "supervised_on",
                "suspension", "resumed_on", "review")

ACTION_TEXT = {"record": "记录", "transition": "状态变更", "supervise": "挂牌督办", "suspend": "责令停产停业或停止使用",
               "resume": "审查同意恢复", "extend": "延长整改期限", "reclassify": "重新定级",
               "withdraw": "撤销"}

# (level, from, to) → roles that may take the step. 回头看 may reopen a rectified hazard.
TRANSITIONS: dict[tuple[str, str, str], frozenset[str]] = {
    (GENERAL, FIX_NOW, FIX_BY_DEADLINE): ANYONE,
    (GENERAL, FIX_NOW, RECTIFIED): frozenset((ENTERPRISE, INSPECTOR)),
    (GENERAL, FIX_BY_DEADLINE, RECTIFIED): frozenset((ENTERPRISE, INSPECTOR)),
    (GENERAL, RECTIFIED, ACCEPTED): ANYONE,
    (GENERAL, RECTIFIED, CLOSED): ANYONE,
    (GENERAL, ACCEPTED, CLOSED): ANYONE,
    (GENERAL, RECTIFIED, FIX_NOW): OFFICIALS,
    (GENERAL, RECTIFIED, FIX_BY_DEADLINE): OFFICIALS,
    (MAJOR, PENDING, IN_PROGRESS): frozenset((ENTERPRISE,)),  # the principal organises the plan
    (MAJOR, IN_PROGRESS, RECTIFIED): frozenset((ENTERPRISE,)),
    (MAJOR, RECTIFIED, ACCEPTED): ANYONE,  # the enterprise's experts or an assessment body, or the department
    (MAJOR, ACCEPTED, CLOSED): ANYONE,  # narrowed below when supervised
    (MAJOR, RECTIFIED, IN_PROGRESS): OFFICIALS,
}
REOPENING = frozenset(((RECTIFIED, FIX_NOW), (RECTIFIED, FIX_BY_DEADLINE), (RECTIFIED, IN_PROGRESS)))

# Who normally takes a step: the CLI's default when --role is not given.
DEFAULT_ROLE = {FIX_NOW: INSPECTOR, FIX_BY_DEADLINE: INSPECTOR, IN_PROGRESS: ENTERPRISE,
                RECTIFIED: ENTERPRISE, ACCEPTED: ENTERPRISE, CLOSED: DEPARTMENT, WITHDRAWN: DEPARTMENT,
                "supervise": DEPARTMENT, "suspend": DEPARTMENT, "resume": DEPARTMENT,
                "extend": DEPARTMENT, "reclassify": DEPARTMENT}

Changes = dict[str, tuple[Any, Any]]


class LifecycleError(InputError):
    """A step the lifecycle does not allow (the CLI exits with code 2)."""


@dataclass(frozen=True)
class Actor:
    """Who takes a step, and in what capacity."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise LifecycleError("须写明办理人姓名或单位", position="--by")
        if self.role not in ROLE_TEXT:
            raise LifecycleError(f"未知的角色“{self.role}”；可用：{'、'.join(ROLE_TEXT.values())}",
                                 position="--role")

    @classmethod
    def of(cls, name: str, role: str) -> Actor:
        """An actor from user input: the role in English or Chinese."""
        if role not in ROLE_NAMES:
            raise LifecycleError(f"未知的角色“{role}”；可用：{'、'.join(ROLE_TEXT.values())}",
                                 position="--role")
        return cls(name.strip() if name else name, ROLE_NAMES[role])

    @property
    def label(self) -> str:
        return f"{self.name}（{ROLE_TEXT[self.role]}）"


def parse_level(text: str) -> str:
    if text not in LEVEL_NAMES:
        raise LifecycleError(f"未知的隐患级别“{text}”；可用：重大、一般、待判定", position="--level")
    return LEVEL_NAMES[text]


def parse_status(text: str) -> str:
    if text not in STATUSES:
        raise LifecycleError(f"未知的状态“{text}”；可用：{'、'.join(STATUSES)}", position="--status")
    return text


def fold(state: dict[str, Any], changes: Changes) -> dict[str, Any]:
    """The state after an event: each changed field takes its new value."""
    out = dict(state)
    for key, (_old, new) in changes.items():
        out[key] = new
    return out


def _diff(state: dict[str, Any], new: dict[str, Any]) -> Changes:
    return {k: (state.get(k), v) for k, v in new.items() if state.get(k) != v}


def _iso(day: dt.date | str | None) -> str | None:
    if day is None or isinstance(day, str):
        return day
    return day.isoformat()


def _roles(roles: frozenset[str]) -> str:
    return "或".join(ROLE_TEXT[r] for r in sorted(roles, key=list(ROLE_TEXT).index))


def _require_role(actor: Actor, roles: frozenset[str], what: str) -> None:
    if actor.role not in roles:
        raise LifecycleError(f"{what}须由{_roles(roles)}办理，{ROLE_TEXT[actor.role]}不能办理", position="--role")


def _require_open(state: dict[str, Any], what: str) -> None:
    if state["status"] in TERMINAL:
        raise LifecycleError(f"该隐患已“{state['status']}”，不能再{what}")


def _require_text(value: str | None, what: str, option: str) -> str:
    if value is None or not value.strip():
        raise LifecycleError(f"须写明{what}", position=option)
    return value.strip()


def _require_deadline_after(deadline: str, on: str, option: str = "--deadline") -> None:
    if deadline < on:
        raise LifecycleError(f"整改期限 {deadline} 早于办理日期 {on}", position=option)


def plan_problems(plan: dict[str, Any] | None) -> list[str]:
    """The five elements a plan still lacks (empty: complete)."""
    plan = plan or {}
    return [PLAN_TEXT[k] for k in PLAN_KEYS if not str(plan.get(k) or "").strip()]


# --- the steps ---------------------------------------------------------------------------


def transition(state: dict[str, Any], to: str, actor: Actor, on: dt.date | str, *,
               deadline: dt.date | str | None = None, plan: dict[str, Any] | None = None,
               note: str | None = None, review: str | None = None) -> Changes:
    """A status change. 整改中 (major) needs the plan's five elements; 限期整改 needs a deadline;
    销号 needs no suspension in force, and the department's hand when the hazard is supervised."""
    on = _iso(on)
    deadline = _iso(deadline)
    level, status = state["level"], state["status"]
    to = parse_status(to)
    if to == WITHDRAWN:
        return withdraw(state, note, review, actor, on)
    _require_open(state, f"变为“{to}”")
    if to == status:
        raise LifecycleError(f"该隐患已是“{to}”")
    if level == UNDETERMINED:
        raise LifecycleError("该检查发现尚未定级（待判定）：请先用 ledger reclassify 定为重大或一般")
    roles = TRANSITIONS.get((level, status, to))
    if roles is None:
        allowed = [t for (lv, s, t) in TRANSITIONS if lv == level and s == status] + [WITHDRAWN]
        raise LifecycleError(f"{LEVEL_TEXT[level]}事故隐患不能从“{status}”直接变为“{to}”；"
                             f"可变为：{'、'.join(allowed)}", position="--status")
    if to == CLOSED and state.get("supervised_by"):
        roles = frozenset((DEPARTMENT,))
        what = f"挂牌督办（{state['supervised_by']}）的重大事故隐患销号"
    else:
        what = f"变为“{to}”"
    _require_role(actor, roles, what)
    if (status, to) in REOPENING:
        _require_text(note, "重新整改的理由（如回头看发现的问题）", "--note")
    new: dict[str, Any] = {"status": to, "status_on": on}
    if to == FIX_BY_DEADLINE:
        deadline = deadline or state.get("deadline")
        if deadline is None:
            raise LifecycleError("限期整改须写明整改期限", position="--deadline")
        _require_deadline_after(deadline, on)
        new["deadline"] = deadline
    elif to == IN_PROGRESS:
        # a first plan, or (reopened after 回头看) the plan kept with what is given now
        plan = {**(state.get("plan") or {}), **(plan or {})}
        if deadline is not None:
            plan["deadline"] = deadline
        missing = plan_problems(plan)
        if missing:
            raise LifecycleError("重大事故隐患治理方案须五落实（责任、措施、资金、时限、预案），"
                                 f"尚缺：{'、'.join(missing)}")
        plan = {k: _iso(plan[k]) if k == "deadline" else str(plan[k]).strip() for k in PLAN_KEYS}
        _validate_day(plan["deadline"], "--deadline")
        if plan["deadline"] < on:
            raise LifecycleError(f"治理方案的时限 {plan['deadline']} 早于办理日期 {on}；请用 --deadline 写明新的时限",
                                 position="--deadline")
        new["plan"] = plan
        new["deadline"] = plan["deadline"]
    elif deadline is not None:
        raise LifecycleError(f"变为“{to}”时不设整改期限（延期请用 ledger extend）", position="--deadline")
    if to == CLOSED and state.get("suspension"):
        s = state["suspension"]
        raise LifecycleError(f"该隐患尚在“{s['kind']}”中（{s['on']} 起）：须经审查同意恢复（ledger resume）后方可销号")
    return _diff(state, new)


def supervise(state: dict[str, Any], department: str, actor: Actor, on: dt.date | str) -> Changes:
    """挂牌督办 of a major hazard by a named department (安全生产法第四十一条第三款)."""
    _require_open(state, "挂牌督办")
    department = _require_text(department, "督办部门", "--department")
    if state["level"] != MAJOR:
        raise LifecycleError("挂牌督办只适用于重大事故隐患")
    _require_role(actor, frozenset((DEPARTMENT,)), "挂牌督办")
    if state.get("supervised_by"):
        raise LifecycleError(f"该隐患已由{state['supervised_by']}挂牌督办（{state['supervised_on']} 起）")
    return _diff(state, {"supervised_by": department, "supervised_on": _iso(on)})


def suspend(state: dict[str, Any], kind: str, actor: Actor, on: dt.date | str,
            department: str | None = None) -> Changes:
    """An order to suspend production or use while a major hazard is removed
    (安全生产法第六十五条第（三）项), or the enterprise stopping on its own (令第16号)."""
    _require_open(state, "责令停产停业或停止使用")
    if kind not in SUSPENSION_KINDS:
        raise LifecycleError(f"未知的措施“{kind}”；可用：{'、'.join(SUSPENSION_KINDS)}", position="--order")
    if state["level"] == GENERAL:
        raise LifecycleError("一般事故隐患不适用停产停业、停止使用（第六十五条第（三）项针对重大事故隐患）")
    if state.get("suspension"):
        s = state["suspension"]
        raise LifecycleError(f"该隐患已在“{s['kind']}”中（{s['on']} 起）")
    if state["status"] in DONE:
        raise LifecycleError(f"该隐患已“{state['status']}”，不再责令停产停业")
    by = ENTERPRISE if actor.role == ENTERPRISE else AUTHORITY
    order = {"kind": kind, "on": _iso(on), "by": by}
    if department:
        order["department"] = department.strip()
    return _diff(state, {"suspension": order})


def resume(state: dict[str, Any], actor: Actor, on: dt.date | str, note: str | None) -> Changes:
    """Resumption after the hazard is removed: where an authority ordered the suspension, only
    after its review and consent (经审查同意，方可恢复生产经营和使用)."""
    s = state.get("suspension")
    if not s:
        raise LifecycleError("该隐患没有在停产停业或停止使用中")
    if state["status"] not in (RECTIFIED, ACCEPTED):
        raise LifecycleError(f"重大事故隐患排除后方可恢复：当前状态为“{state['status']}”，须先“已整改”")
    if s["by"] == AUTHORITY:
        _require_role(actor, frozenset((DEPARTMENT,)), "责令停产停业后恢复生产经营和使用的审查同意")
        _require_text(note, "审查意见", "--note")
    return _diff(state, {"suspension": None, "resumed_on": _iso(on)})


def extend(state: dict[str, Any], deadline: dt.date | str, reason: str | None, actor: Actor,
           on: dt.date | str) -> Changes:
    """A later deadline, with the reason."""
    _require_open(state, "延期")
    deadline, on = _iso(deadline), _iso(on)
    _require_text(reason, "延期理由", "--reason")  # the ledger keeps it as the event's note
    if state["status"] not in (FIX_BY_DEADLINE, PENDING, IN_PROGRESS):
        raise LifecycleError(f"“{state['status']}”的隐患没有可延长的整改期限")
    old = state.get("deadline")
    if old is None:
        raise LifecycleError("该隐患尚未确定整改期限，无从延期")
    if deadline <= old:
        raise LifecycleError(f"新期限 {deadline} 须晚于原期限 {old}", position="--deadline")
    _require_deadline_after(deadline, on)
    roles = frozenset((DEPARTMENT,)) if state.get("supervised_by") else ANYONE
    _require_role(actor, roles, "挂牌督办隐患的延期" if state.get("supervised_by") else "延期")
    new: dict[str, Any] = {"deadline": deadline}
    if state.get("plan"):
        new["plan"] = {**state["plan"], "deadline": deadline}
    return _diff(state, new)


def reclassify(state: dict[str, Any], level: str, reason: str | None, actor: Actor, on: dt.date | str,
               deadline: dt.date | str | None = None) -> Changes:
    """一般 ↔ 重大, or a first classification of an undetermined finding, with the reason.
    Anyone may raise a hazard to major; only an inspector or department may call one general."""
    _require_open(state, "重新定级")
    on, deadline = _iso(on), _iso(deadline)
    level = parse_level(level)
    _require_text(reason, "定级理由", "--reason")
    old = state["level"]
    if level == UNDETERMINED:
        raise LifecycleError("只能定为重大或一般", position="--level")
    if level == old:
        raise LifecycleError(f"该隐患已是{LEVEL_TEXT[level]}事故隐患", position="--level")
    if level == GENERAL:
        _require_role(actor, OFFICIALS, "定为一般事故隐患")
    new: dict[str, Any] = {"level": level}
    status = state["status"]
    if deadline is not None:
        _require_deadline_after(deadline, on)
        new["deadline"] = deadline
    due = new.get("deadline", state.get("deadline"))
    if status in OPEN:
        if level == MAJOR:
            target = PENDING
        else:
            target = FIX_BY_DEADLINE if due else FIX_NOW
        if target != status:
            new.update(status=target, status_on=on)
    if level == GENERAL and state.get("supervised_by"):
        new["supervised_by"] = None  # no longer a major hazard: supervision ends (the history keeps it)
        new["supervised_on"] = None
    return _diff(state, new)


def withdraw(state: dict[str, Any], reason: str | None, review: str | None, actor: Actor,
             on: dt.date | str) -> Changes:
    """Not a hazard after all, on an expert review (专家论证); the record stays, marked 已撤销."""
    _require_open(state, "撤销")
    _require_text(reason, "撤销理由", "--note")
    review = _require_text(review, "专家论证意见（文号或结论）", "--review")
    _require_role(actor, OFFICIALS, "撤销")
    return _diff(state, {"status": WITHDRAWN, "status_on": _iso(on), "review": review})


def _validate_day(text: str, option: str) -> None:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise LifecycleError(f"日期“{text}”写法不对，应为 YYYY-MM-DD", position=option) from None


def overdue(state: dict[str, Any], day: str) -> bool:
    """Past its deadline and not rectified; a 立即整改 hazard is due the day it was ordered."""
    if state["status"] not in OPEN or state["status"] == UNCLASSIFIED:
        return False
    if state.get("deadline"):
        return state["deadline"] < day
    return state["status"] == FIX_NOW and state["status_on"] < day


def due_date(state: dict[str, Any]) -> str | None:
    if state.get("deadline"):
        return state["deadline"]
    if state["status"] == FIX_NOW:
        return state["status_on"]
    return None
