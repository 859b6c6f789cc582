"""The rectification lifecycle as pure rules: what each step requires, and invariants that hold
after any sequence of steps the rules accept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hazardrules.ledger import lifecycle as lc
from hazardrules.ledger.lifecycle import Actor, LifecycleError

ENT, INSP, DEPT = Actor("企业甲", lc.ENTERPRISE), Actor("检查员乙", lc.INSPECTOR), Actor("部门丙", lc.DEPARTMENT)
PLAN = {"responsibility": "设备部", "measures": "更换", "funds": "1 万元", "deadline": "2026-04-30",
        "contingency": "停用"}


def state(level: str, status: str, **extra) -> dict:
    return {**dict.fromkeys(lc.STATE_FIELDS), "level": level, "status": status, "status_on": "2026-03-10",
            **extra}


def test_actor_roles_in_either_language():
    assert Actor.of("张三", "监管部门") == Actor("张三", lc.DEPARTMENT)
    with pytest.raises(LifecycleError, match="未知的角色"):
        Actor.of("张三", "路人")
    with pytest.raises(LifecycleError, match="须写明办理人"):
        Actor.of("  ", "企业")


def test_plan_needs_all_five_elements():
    s = state(lc.MAJOR, lc.PENDING)
    for missing in lc.PLAN_KEYS:
        plan = {k: v for k, v in PLAN.items() if k != missing}
        with pytest.raises(LifecycleError, match=lc.PLAN_TEXT[missing]):
            lc.transition(s, lc.IN_PROGRESS, ENT, "2026-03-12", plan=plan)
    with pytest.raises(LifecycleError, match="预案"):
        lc.transition(s, lc.IN_PROGRESS, ENT, "2026-03-12", plan={**PLAN, "contingency": "  "})
    changes = lc.transition(s, lc.IN_PROGRESS, ENT, "2026-03-12", plan=PLAN)
    assert changes["status"] == (lc.PENDING, lc.IN_PROGRESS) and changes["deadline"] == (None, "2026-04-30")
    with pytest.raises(LifecycleError, match="早于办理日期"):
        lc.transition(s, lc.IN_PROGRESS, ENT, "2026-05-01", plan=PLAN)


def test_deadline_rules():
    s = state(lc.GENERAL, lc.FIX_NOW)
    with pytest.raises(LifecycleError, match="须写明整改期限"):
        lc.transition(s, lc.FIX_BY_DEADLINE, INSP, "2026-03-11")
    later = lc.fold(s, lc.transition(s, lc.FIX_BY_DEADLINE, INSP, "2026-03-11", deadline=dt.date(2026, 3, 20)))
    with pytest.raises(LifecycleError, match="须晚于原期限"):
        lc.extend(later, "2026-03-20", "理由", INSP, "2026-03-12")
    with pytest.raises(LifecycleError, match="延期理由"):
        lc.extend(later, "2026-03-30", "", INSP, "2026-03-12")
    assert lc.extend(later, "2026-03-30", "备件未到", ENT, "2026-03-12") == {"deadline": ("2026-03-20", "2026-03-30")}
    supervised = state(lc.MAJOR, lc.IN_PROGRESS, deadline="2026-03-20", plan=PLAN, supervised_by="区应急管理局")
    with pytest.raises(LifecycleError, match="须由监管部门"):
        lc.extend(supervised, "2026-03-30", "备件未到", INSP, "2026-03-12")
    assert lc.extend(supervised, "2026-03-30", "备件未到", DEPT, "2026-03-12")["plan"][1]["deadline"] == "2026-03-30"


def test_suspension_and_review_before_resumption():
    s = state(lc.MAJOR, lc.IN_PROGRESS, plan=PLAN, deadline="2026-04-30")
    with pytest.raises(LifecycleError, match="未知的措施"):
        lc.suspend(s, "关闭", DEPT, "2026-03-12")
    ordered = lc.fold(s, lc.suspend(s, "停止使用", INSP, "2026-03-12", "区应急管理局"))
    assert ordered["suspension"] == {"kind": "停止使用", "on": "2026-03-12", "by": lc.AUTHORITY,
                                     "department": "区应急管理局"}
    with pytest.raises(LifecycleError, match="须先“已整改”"):
        lc.resume(ordered, DEPT, "2026-03-20", "同意")
    fixed = lc.fold(ordered, lc.transition(ordered, lc.RECTIFIED, ENT, "2026-03-25"))
    accepted = lc.fold(fixed, lc.transition(fixed, lc.ACCEPTED, ENT, "2026-03-26"))
    with pytest.raises(LifecycleError, match="经审查同意恢复"):
        lc.transition(accepted, lc.CLOSED, DEPT, "2026-03-27")
    with pytest.raises(LifecycleError, match="须由监管部门"):
        lc.resume(accepted, INSP, "2026-03-27", "同意")
    with pytest.raises(LifecycleError, match="审查意见"):
        lc.resume(accepted, DEPT, "2026-03-27", None)
    resumed = lc.fold(accepted, lc.resume(accepted, DEPT, "2026-03-27", "复查合格"))
    assert resumed["suspension"] is None and resumed["resumed_on"] == "2026-03-27"
    assert lc.transition(resumed, lc.CLOSED, ENT, "2026-03-28")["status"] == (lc.ACCEPTED, lc.CLOSED)
    # an enterprise that stopped on its own may resume on its own
    own = lc.fold(s, lc.suspend(s, "局部停产停业", ENT, "2026-03-12"))
    own = lc.fold(own, lc.transition(own, lc.RECTIFIED, ENT, "2026-03-20"))
    assert lc.resume(own, ENT, "2026-03-21", None)["suspension"][1] is None
    with pytest.raises(LifecycleError, match="一般事故隐患不适用"):
        lc.suspend(state(lc.GENERAL, lc.FIX_NOW), "停止使用", DEPT, "2026-03-12")


def test_supervision_is_for_major_hazards_by_a_department():
    s = state(lc.MAJOR, lc.PENDING)
    with pytest.raises(LifecycleError, match="须由监管部门"):
        lc.supervise(s, "区应急管理局", INSP, "2026-03-11")
    with pytest.raises(LifecycleError, match="督办部门"):
        lc.supervise(s, " ", DEPT, "2026-03-11")
    done = lc.fold(s, lc.supervise(s, "区应急管理局", DEPT, "2026-03-11"))
    with pytest.raises(LifecycleError, match="已由区应急管理局挂牌督办"):
        lc.supervise(done, "市应急管理局", DEPT, "2026-03-12")
    # downgraded to general: supervision ends
    general = lc.fold(done, lc.reclassify(done, "一般", "经专家论证可立即整改", DEPT, "2026-03-12"))
    assert general["supervised_by"] is None and general["status"] == lc.FIX_NOW


def test_reopening_after_follow_up_needs_a_reason():
    s = state(lc.GENERAL, lc.RECTIFIED)
    with pytest.raises(LifecycleError, match="须由检查人员或监管部门"):
        lc.transition(s, lc.FIX_NOW, ENT, "2026-03-12", note="没改好")
    with pytest.raises(LifecycleError, match="重新整改的理由"):
        lc.transition(s, lc.FIX_NOW, INSP, "2026-03-12")
    assert lc.transition(s, lc.FIX_NOW, INSP, "2026-03-12", note="回头看：仍未整改")["status"][1] == lc.FIX_NOW


def test_a_major_hazard_reopened_without_a_plan_needs_one():
    """Found by the property test below: rectified as general, raised to major, reopened."""
    s = state(lc.GENERAL, lc.RECTIFIED)
    s = lc.fold(s, lc.reclassify(s, "重大", "复核为重大", ENT, "2026-03-12"))
    assert s["status"] == lc.RECTIFIED and s["plan"] is None
    with pytest.raises(LifecycleError, match="尚缺：责任、措施、资金、时限、预案"):
        lc.transition(s, lc.IN_PROGRESS, INSP, "2026-03-13", note="回头看：未整改到位")
    reopened = lc.transition(s, lc.IN_PROGRESS, INSP, "2026-03-13", note="回头看：未整改到位", plan=PLAN)
    assert reopened["plan"][1] == PLAN
    # a plan kept from before needs a time limit that is not already past
    kept = state(lc.MAJOR, lc.RECTIFIED, plan={**PLAN, "deadline": "2026-03-20"}, deadline="2026-03-20")
    with pytest.raises(LifecycleError, match="请用 --deadline 写明新的时限"):
        lc.transition(kept, lc.IN_PROGRESS, INSP, "2026-03-25", note="回头看")
    assert lc.transition(kept, lc.IN_PROGRESS, INSP, "2026-03-25", note="回头看",
                         deadline="2026-04-15")["deadline"] == ("2026-03-20", "2026-04-15")


def test_overdue():
    assert lc.overdue(state(lc.GENERAL, lc.FIX_NOW), "2026-03-11")
    assert not lc.overdue(state(lc.GENERAL, lc.FIX_NOW), "2026-03-10")
    assert lc.overdue(state(lc.MAJOR, lc.IN_PROGRESS, deadline="2026-03-31"), "2026-04-01")
    assert not lc.overdue(state(lc.MAJOR, lc.IN_PROGRESS, deadline="2026-03-31"), "2026-03-31")
    assert not lc.overdue(state(lc.MAJOR, lc.RECTIFIED, deadline="2026-03-01"), "2026-04-01")
    assert not lc.overdue(state(lc.MAJOR, lc.PENDING), "2027-01-01")  # no deadline set yet
    assert not lc.overdue(state(lc.UNDETERMINED, lc.UNCLASSIFIED), "2027-01-01")


# --- any accepted sequence keeps the invariants -------------------------------------------------------

ACTORS = st.sampled_from([ENT, INSP, DEPT])
# a status picked mostly among the ones the rules allow next, so walks get deep
TRANSITION = st.tuples(st.just("transition"), st.integers(0, 99), ACTORS, st.sampled_from([None, "2026-06-30"]),
                       st.booleans(), st.sampled_from([None, "理由"]))
STEPS = st.one_of(
    TRANSITION, TRANSITION, TRANSITION,
    st.tuples(st.just("supervise"), st.sampled_from(["区应急管理局", ""]), ACTORS),
    st.tuples(st.just("suspend"), st.sampled_from(lc.SUSPENSION_KINDS), ACTORS),
    st.tuples(st.just("resume"), ACTORS, st.sampled_from([None, "复查合格"])),
    st.tuples(st.just("extend"), st.sampled_from(["2026-05-31", "2026-12-31"]), ACTORS),
    st.tuples(st.just("reclassify"), st.sampled_from(["重大", "一般", "待判定"]), ACTORS,
              st.sampled_from([None, "2026-07-31"])),
)
STARTS = st.sampled_from([state(lc.MAJOR, lc.PENDING), state(lc.GENERAL, lc.FIX_NOW),
                          state(lc.GENERAL, lc.FIX_BY_DEADLINE, deadline="2026-04-10"),
                          state(lc.UNDETERMINED, lc.UNCLASSIFIED)])


def apply(s: dict, step: tuple, day: str) -> lc.Changes:
    kind, *args = step
    if kind == "transition":
        pick, actor, deadline, with_plan, note = args
        allowed = [t for (lv, frm, t) in lc.TRANSITIONS if lv == s["level"] and frm == s["status"]]
        to = allowed[pick % len(allowed)] if allowed and pick < 80 else lc.STATUSES[pick % len(lc.STATUSES)]
        return lc.transition(s, to, actor, day, deadline=deadline, plan=PLAN if with_plan else None, note=note,
                             review="专家论证意见" if note else None)
    if kind == "supervise":
        return lc.supervise(s, args[0], args[1], day)
    if kind == "suspend":
        return lc.suspend(s, args[0], args[1], day)
    if kind == "resume":
        return lc.resume(s, args[0], day, args[1])
    if kind == "extend":
        return lc.extend(s, args[0], "延期理由", args[1], day)
    return lc.reclassify(s, args[0], "定级理由", args[1], day, args[2])


@settings(max_examples=400, deadline=None)
@given(STARTS, st.lists(STEPS, max_size=40))
def test_accepted_steps_keep_the_invariants(start, steps):
    s = dict(start)
    history = [{k: (None, v) for k, v in s.items() if v is not None}]
    for i, step in enumerate(steps):
        day = (dt.date(2026, 3, 11) + dt.timedelta(days=i)).isoformat()
        before = dict(s)
        try:
            changes = apply(s, step, day)
        except LifecycleError:
            assert s == before  # a refused step changes nothing
            continue
        assert changes and all(old != new for old, new in changes.values())
        assert before["status"] not in lc.TERMINAL  # nothing moves once closed or withdrawn
        s = lc.fold(s, changes)
        history.append(changes)
        assert s["status"] in lc.STATUSES and s["level"] in lc.LEVEL_TEXT
        if s["level"] == lc.UNDETERMINED:
            assert s["status"] in (lc.UNCLASSIFIED, lc.WITHDRAWN)
        if s["status"] in (lc.PENDING, lc.IN_PROGRESS):
            assert s["level"] == lc.MAJOR
        if s["status"] in (lc.FIX_NOW, lc.FIX_BY_DEADLINE):
            assert s["level"] == lc.GENERAL
        if s["status"] == lc.IN_PROGRESS and s["level"] == lc.MAJOR:
            assert not lc.plan_problems(s["plan"])
        if s["status"] == lc.FIX_BY_DEADLINE:
            assert s["deadline"]
        if s["supervised_by"]:
            assert s["level"] == lc.MAJOR
        if step[0] == "resume":
            assert s["status"] in (lc.RECTIFIED, lc.ACCEPTED) and s["suspension"] is None
        if s["status"] == lc.CLOSED and before["status"] != lc.CLOSED:
            assert s["suspension"] is None
            assert not before["supervised_by"] or step[2].role == lc.DEPARTMENT
    rebuilt: dict = dict.fromkeys(lc.STATE_FIELDS)
    for changes in history:
        rebuilt = lc.fold(rebuilt, changes)
    assert rebuilt == s
