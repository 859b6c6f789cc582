"""Properties of the logic, over generated conditions and answers (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hazardrules import conditions as cond
from hazardrules.checklist import parse_checklist
from hazardrules.conditions import NOT_APPLICABLE, UNKNOWN, Context, Truth
from hazardrules.engine import durable_available
from hazardrules.engine.python_eval import PythonEvaluator
from hazardrules.judge import LEVEL_RANK, Judge
from hazardrules.model import Criterion, Source, Standard

BOOLS = ["b0", "b1", "b2", "b3"]
NUMBERS = ["n0", "n1"]
CHOICES = ["c0"]
CHOICE_VALUES = ["甲", "乙", "丙"]
ALL_FACTS = BOOLS + NUMBERS + CHOICES

labels = st.one_of(st.none(), st.sampled_from(["未设置", "或者一支", "并且一支"]))


def leaves(with_elements=False):
    if with_elements:
        element = st.builds(lambda i: cond.Compare("element", f"prop-2026/7-{i}", "eq", True),
                            st.integers(1, 4))
        bool_leaf = st.builds(lambda f, v: cond.Compare("fact", f, "eq", v),
                              st.sampled_from(BOOLS), st.booleans())
        return st.one_of(element, element, bool_leaf)
    bool_leaf = st.builds(lambda f, v, lab: cond.Compare("fact", f, "eq", v, label=lab),
                          st.sampled_from(BOOLS), st.booleans(), labels)
    num_leaf = st.builds(lambda f, op, v: cond.Compare("fact", f, op, v),
                         st.sampled_from(NUMBERS), st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]),
                         st.integers(0, 20))
    choice_leaf = st.one_of(
        st.builds(lambda v: cond.Compare("fact", "c0", "eq", v), st.sampled_from(CHOICE_VALUES)),
        st.builds(lambda vs: cond.Compare("fact", "c0", "in", tuple(vs)),
                  st.lists(st.sampled_from(CHOICE_VALUES), min_size=1, max_size=3, unique=True)),
    )
    compare = st.one_of(bool_leaf, num_leaf, choice_leaf)
    negated = st.builds(cond.Not, compare)
    judgment = st.builds(lambda i: cond.Judgment(f"j{i}", "由专家判断是否成立？"), st.integers(0, 2))
    return st.one_of(compare, compare, negated, judgment)


def trees(allow_counting=True, with_elements=False):
    def extend(children):
        nodes = st.lists(children, min_size=1, max_size=4).map(tuple)
        options = [st.builds(cond.All, nodes), st.builds(cond.Any_, nodes)]
        return st.one_of(*options)

    base = st.recursive(leaves(with_elements), extend, max_leaves=8)
    if not allow_counting:
        return base
    counting = st.lists(base, min_size=1, max_size=5).flatmap(
        lambda kids: st.builds(lambda k: cond.AtLeast(k, tuple(kids)), st.integers(1, len(kids))))
    return st.one_of(base, base, counting, st.builds(lambda a, b: cond.Any_((a, b)), counting, base))


def answers():
    def value_for(name):
        if name in BOOLS:
            real = st.booleans()
        elif name in NUMBERS:
            real = st.integers(0, 20)
        else:
            real = st.sampled_from(CHOICE_VALUES)
        return st.one_of(real, real, st.just(UNKNOWN), st.just(NOT_APPLICABLE))

    return st.fixed_dictionaries({n: value_for(n) for n in ALL_FACTS})


judgment_sets = st.dictionaries(st.sampled_from(["j0", "j1", "j2"]), st.booleans(), max_size=3)


def completions(facts):
    """Every unknown answer filled in with a real value."""
    def fill(name):
        if name in BOOLS:
            return st.booleans()
        if name in NUMBERS:
            return st.integers(0, 20)
        return st.sampled_from(CHOICE_VALUES)

    unknown = [n for n, v in facts.items() if v is UNKNOWN]
    return st.fixed_dictionaries({n: fill(n) for n in unknown}).map(lambda f: {**facts, **f})


def _ctx(facts, judgments):
    return Context(facts, judgments={k: {"decision": v} for k, v in judgments.items()})


@given(trees())
def test_condition_round_trips_through_its_mapping_form(tree):
    assert cond.parse(tree.to_dict()) == tree


@given(trees(), answers(), judgment_sets, st.data())
def test_unknown_facts_never_turn_into_false(tree, facts, judgments, data):
    """A decided value stays decided whatever the unknown answers turn out to be."""
    partial = _status(cond.evaluate(tree, _ctx(facts, judgments)).value)
    full = data.draw(completions(facts))
    complete = _status(cond.evaluate(tree, _ctx(full, judgments)).value)
    if partial != "open":
        assert complete == partial
    else:  # open only because something is unanswered or undecided
        assert any(v is UNKNOWN for v in facts.values()) or len(judgments) < 3


def _status(value):
    """What a verdict rests on: met, not met (false or 不适用), or still open."""
    if value is Truth.TRUE:
        return "met"
    if value is Truth.UNKNOWN:
        return "open"
    return "not_met"


def _standard(criteria_trees, role="decides"):
    std = Standard(
        id="prop-2026", title="性质测试", document="无", issuer="无",
        effective=dt.date(2020, 1, 1), scope={"sectors": ["测试"]},
        applies_when=cond.Compare("attr", "enterprise.sector", "in", ("测试",)),
        regime={"law": "无", "authority": "无"}, items_in_standard=len(criteria_trees),
        sources=(),
    )
    for i, tree in enumerate(criteria_trees):
        std.criteria.append(Criterion(
            id=f"prop-2026/1-{i + 1}", standard=std.id, clause=f"第一条第（{i + 1}）项",
            title="测试", text="测试条文", condition=tree,
            sources=(Source("自拟", "copy", "2026-11-23"),), verified=False, role=role))
    return std


element_sets = st.fixed_dictionaries(
    {f"prop-2026/7-{i}": st.sampled_from([True, False, UNKNOWN]) for i in range(1, 5)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(with_elements=True), min_size=1, max_size=3),
       st.lists(st.tuples(answers(), element_sets), min_size=1, max_size=5))
def test_site_rules_fire_exactly_when_the_explanation_says_met(durable, rule_trees, runs):
    std = _standard(rule_trees, role="site_rule")
    python = PythonEvaluator()
    for facts, elements in runs:
        ctx = Context(facts, elements=elements)
        expected = {c.id for c in std.site_rules if cond.evaluate(c.condition, ctx).value is Truth.TRUE}
        assert durable.met(std, facts, {}, elements) == expected
        assert python.met(std, facts, {}, elements) == expected


@pytest.fixture(scope="module")
def durable():
    if not durable_available():
        pytest.skip("durable_rules 未安装")
    from hazardrules.engine.durable_adapter import DurableEvaluator

    return DurableEvaluator()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(), min_size=1, max_size=4), st.lists(st.tuples(answers(), judgment_sets),
                                                          min_size=1, max_size=6))
def test_rules_engine_fires_exactly_when_the_explanation_says_met(durable, criteria_trees, runs):
    std = _standard(criteria_trees)
    python = PythonEvaluator()
    for facts, judgments in runs:
        by_engine = durable.met(std, facts, judgments)
        by_explanation = {c.id for c in std.criteria
                          if cond.evaluate(c.condition, _ctx(facts, judgments)).value is Truth.TRUE}
        assert by_engine == by_explanation
        assert python.met(std, facts, judgments) == by_explanation


# --- the real catalog -------------------------------------------------------------------


def _real_answer(fact, draw):
    if fact.type == "bool":
        return draw(st.booleans())
    if fact.type == "number":
        return draw(st.integers(-5, 200))
    if fact.type == "choice":
        return draw(st.sampled_from(fact.choices))
    return draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))


@st.composite
def catalog_answers(draw, catalog, ids=None):
    out = {}
    for fact_id in ids or sorted(catalog.facts):
        kind = draw(st.sampled_from(["known", "known", "unknown", "na"]))
        if kind == "known":
            out[fact_id] = _real_answer(catalog.facts[fact_id], draw)
        elif kind == "na":
            out[fact_id] = NOT_APPLICABLE
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_engine_and_explanation_agree_on_every_criterion(durable, catalog, data):
    facts = data.draw(catalog_answers(catalog))
    for std in catalog.standards.values():
        by_engine = durable.met(std, facts, {})
        by_explanation = {c.id for c in std.criteria
                          if cond.evaluate(c.condition, Context(facts)).value is Truth.TRUE}
        assert by_engine == by_explanation, std.id


def _violating(fact, draw):
    v = fact.violates
    if v.op == "eq":
        return v.value
    if v.op == "in":
        return draw(st.sampled_from(v.value))
    if v.op in ("gt", "ge"):
        return v.value + (1 if v.op == "gt" else 0)
    if v.op in ("lt", "le"):
        return v.value - (1 if v.op == "lt" else 0)
    assume(False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_a_violating_answer_never_lowers_the_level(catalog, data):
    """general < undetermined < major: answering an open question with a violating answer
    can only keep or raise the level of a finding."""
    monotone = sorted(f.id for f in catalog.facts.values() if f.monotone and f.violates)
    facts = data.draw(catalog_answers(catalog))
    unknown = [f for f in monotone if f not in facts]
    assume(unknown)
    target = data.draw(st.sampled_from(unknown))
    value = _violating(catalog.facts[target], data.draw)
    industries = data.draw(st.lists(st.sampled_from(
        ["冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸"]), max_size=2, unique=True))
    features = data.draw(st.lists(st.sampled_from(["粉尘爆炸危险", "液氨制冷", "有限空间中毒风险"]),
                                  max_size=3, unique=True))
    judge = Judge(catalog)

    def level(answers):
        raw = {k: ("不适用" if v is NOT_APPLICABLE else v) for k, v in answers.items()}
        ent = {k: raw.pop(k) for k in list(raw) if catalog.facts[k].scope == "enterprise"}
        checklist = parse_checklist({
            "schema_version": 1,
            "enterprise": {"name": "性质测试企业", "uscc": "91350100M000100Y43", "sector": "工贸",
                           "industries": industries, "features": features,
                           "answers": _json(ent)},
            "inspection": {"date": "2026-03-10", "kind": "企业自查"},
            "findings": [{"id": "F1", "facts": _json(raw)}],
        }, catalog, "<性质测试>", {})
        return judge.check(checklist).verdicts[0].level

    before = level(facts)
    after = level({**facts, target: value})
    assert LEVEL_RANK[after] >= LEVEL_RANK[before], (target, value, before, after)


def _json(answers):
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in answers.items()}
