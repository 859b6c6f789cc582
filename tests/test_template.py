"""`hazardrules template`: only the questions that apply, and it reads back as a checklist."""

from __future__ import annotations

import datetime as dt

import yaml

from hazardrules.checklist import Enterprise, parse_checklist
from hazardrules.judge import check
from hazardrules.template import applicable_questions, render_yaml

from .helpers import first_compliant

DAY = dt.date(2026, 3, 10)


def _fact_ids(catalog, industries, features):
    qs = applicable_questions(catalog, Enterprise("", ["工贸"], industries, features), DAY)
    return {q.fact.id for q in qs}, qs


def test_only_applicable_questions_are_asked(catalog):
    ids, questions = _fact_ids(catalog, ["有色"], ["粉尘爆炸危险"])
    assert "special_ops_workers_certified" in ids  # 第三条 applies to every 工贸 enterprise
    for q in questions:
        for c in q.criteria:
            if c.applies_when is None:
                continue
            industries = {n.value for n in _attr_leaves(c.applies_when, "enterprise.industries")}
            if industries and not any("有色" in v for v in industries):
                # only 冶金-type items may remain, and only through an unanswered enterprise question
                assert any(n.kind == "fact" for n in _compares(c.applies_when)), c.id
    other_industry = [c for c in catalog.criteria.values() if c.applies_when is not None
                      and _attr_leaves(c.applies_when, "enterprise.industries")
                      and all("机械" in n.value for n in _attr_leaves(c.applies_when, "enterprise.industries"))]
    for c in other_industry:  # 机械 items are not asked of a 有色 enterprise
        assert not any(c in q.criteria for q in questions), c.id


def _compares(node):
    from hazardrules import conditions as cond

    return [n for n in cond.walk(node) if isinstance(n, cond.Compare)]


def _attr_leaves(node, name):
    return [n for n in _compares(node) if n.kind == "attr" and n.name == name]


def test_blank_template_reads_back_and_every_open_question_is_reported(catalog):
    text = render_yaml(catalog, ["工贸"], ["有色"], [], DAY)
    data = yaml.safe_load(text)
    data["enterprise"]["name"] = "填好的企业"
    data["enterprise"]["uscc"] = "91350100M000100Y43"
    data["inspection"]["inspector"] = "王工"
    report = check(parse_checklist(data, catalog, "<模板>", {}), catalog)
    assert report.verdicts, "blank answers must be reported as open, not silently passed"
    assert all(v.level == "undetermined" for v in report.verdicts)


def test_filled_template_gives_verdicts(catalog):
    text = render_yaml(catalog, ["工贸"], ["纺织"], [], DAY)
    data = yaml.safe_load(text)
    data["enterprise"].update(name="填好的企业", uscc="91350100M000100Y43")
    data["enterprise"]["answers"] = {k: _compliant(catalog.facts[k])
                                     for k in data["enterprise"]["answers"] or {}}
    answers = {k: _compliant(catalog.facts[k]) for k in data["answers"]}
    answers["special_ops_workers_certified"] = "否"
    data["answers"] = answers
    report = check(parse_checklist(data, catalog, "<模板>", {}), catalog)
    levels = {v.finding.id: v.level for v in report.verdicts}
    assert levels.get("Q-gongmao-2023-3-2") == "major"


def _compliant(fact):
    """An answer that does not violate the fact (descriptive facts: 否)."""
    if fact.type == "bool":
        candidates = [False, True]
    elif fact.type == "choice":
        candidates = list(reversed(fact.choices))
    elif fact.type == "number":
        candidates = [0, 1, 10**6]
    else:
        candidates = ["2026-01-01"]
    return first_compliant(fact, candidates)


def test_hazchem_template_without_key_processes_asks_no_automation_questions(catalog):
    qs = applicable_questions(catalog, Enterprise("", ["危险化学品"], [], []), DAY)
    ids = {q.fact.id for q in qs}
    assert "hazchem_key_process_automation" not in ids and "hazchem_key_process_esd" not in ids
    assert "hazchem_special_ops_workers_licensed" in ids  # items for every such enterprise stay
    with_process = applicable_questions(catalog, Enterprise("", ["危险化学品"], [], ["硝化工艺"]), DAY)
    assert "hazchem_key_process_automation" in {q.fact.id for q in with_process}
