"""The durable_rules adapter: verdicts come from rule firings, and the traps are handled."""

from __future__ import annotations

import pytest

from hazardrules.engine import durable_available
from hazardrules.errors import EngineError

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable_rules 未安装")


@pytest.fixture(scope="module")
def evaluator():
    from hazardrules.engine.durable_adapter import DurableEvaluator

    return DurableEvaluator()


def test_met_comes_from_rule_firings(evaluator, catalog, monkeypatch):
    std = catalog.standards["gongmao-2023"]
    facts = {"special_ops_workers_certified": False, "contractors_coordinated": False}
    assert evaluator.met(std, facts, {}) == {"gongmao-2023/3-1", "gongmao-2023/3-2"}
    # With the adapter's record of firings stubbed out, nothing is met: the decision is the
    # engine's, not the explanation layer's.
    monkeypatch.setattr(type(evaluator.adapter), "_record", lambda self, sid, rule: None)
    assert evaluator.met(std, facts, {}) == set()


def test_judge_refuses_to_answer_when_engine_and_explanation_disagree(catalog, monkeypatch):
    from hazardrules.checklist import parse_checklist
    from hazardrules.engine.durable_adapter import DurableAdapter, DurableEvaluator
    from hazardrules.judge import Judge

    from .helpers import minimal_checklist

    data = minimal_checklist([{"id": "F1", "facts": {"special_ops_workers_certified": "否"}}])
    checklist = parse_checklist(data, catalog, "<t>", {})
    monkeypatch.setattr(DurableAdapter, "_record", lambda self, sid, rule: None)
    with pytest.raises(EngineError):
        Judge(catalog, DurableEvaluator()).check(checklist)


def test_a_standard_is_registered_once(evaluator, catalog):
    std = catalog.standards["gongmao-2023"]
    first = evaluator.compiled(std)
    again = evaluator.compiled(std)
    assert first is again
    for chunk in first.chunks:
        evaluator.adapter.register(chunk.name, chunk.rules)  # a second registration is a no-op


def test_many_answers_at_once_are_split_across_chunks(evaluator, catalog):
    """A fact of more than ~128 attributes crashes durable_rules; a whole answered question
    list must still evaluate (each chunk is asserted only the answers it reads)."""
    from hazardrules.engine.durable_adapter import MAX_ATTRIBUTES

    std = catalog.standards["gongmao-2023"]
    assert all(len(c.attributes) <= MAX_ATTRIBUTES for c in evaluator.compiled(std).chunks)
    facts = {}
    for fact in catalog.facts.values():
        if fact.type == "bool":
            facts[fact.id] = False
        elif fact.type == "choice":
            facts[fact.id] = fact.choices[0]
        elif fact.type == "number":
            facts[fact.id] = 10**6
    assert len(facts) > 130
    for _ in range(20):
        evaluator.met(std, facts, {})


def test_every_assert_is_handled_by_the_catch_all(evaluator, catalog):
    std = catalog.standards["gongmao-2023"]
    # The first assert on a fresh ruleset matching no criterion: the case that crashed
    # delete_state before the catch-all rule existed.
    from hazardrules.engine.durable_adapter import DurableEvaluator

    fresh = DurableEvaluator()
    assert fresh.met(std, {"metal_smelting_enterprise": False}, {}) == set()
    assert fresh.met(std, {}, {}) == set()


def test_action_exception_is_raised_and_state_deleted(evaluator):
    adapter = evaluator.adapter

    def fail(_c):
        raise ValueError("动作失败")

    adapter.register_raw("hr_test_failing", {
        "bad": {"all": [{"m": {"boom": True}}], "run": fail},
        "ok": {"all": [{"m": {"$gte": {"hr_phase": 0}}}], "run": lambda c: None},
    })
    with pytest.raises(EngineError, match="动作出错"):
        adapter.assert_fact("hr_test_failing", {"boom": True, "hr_phase": 2})


@pytest.mark.soak
def test_soak_5000_evaluations_with_unmatched_and_failing(evaluator, catalog):
    """Far beyond the 1,024 live-sid limit: every path deletes its state."""
    std = catalog.standards["gongmao-2023"]
    adapter = evaluator.adapter

    def fail(_c):
        raise ValueError("x")

    adapter.register_raw("hr_soak_failing", {
        "bad": {"all": [{"m": {"boom": True}}], "run": fail},
        "ok": {"all": [{"m": {"$gte": {"hr_phase": 0}}}], "run": lambda c: None},
    })
    counts = {"met": 0, "none": 0, "failed": 0}
    for i in range(5000):
        kind = i % 3
        if kind == 0:
            counts["met"] += len(evaluator.met(std, {"special_ops_workers_certified": False}, {}))
        elif kind == 1:
            counts["none"] += not evaluator.met(std, {"special_ops_workers_certified": True}, {})
        else:
            with pytest.raises(EngineError):
                adapter.assert_fact("hr_soak_failing", {"boom": True, "hr_phase": 2})
            counts["failed"] += 1
    assert counts == {"met": 1667, "none": 1667, "failed": 1666}
    assert adapter._fired == {}
