"""Classification paths not covered by the shipped cases: judgments, counting, question lists."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hazardrules.catalog import load_catalog
from hazardrules.checklist import parse_checklist
from hazardrules.judge import check

from .helpers import EXAMPLE, criteria_copy, minimal_checklist

TEST_STANDARD = """schema_version: 1
standard:
  id: test-2026
  title: 测试用判定标准
  document: 测试文号
  issuer: 测试
  effective: "2026-01-01"
  scope: {sectors: [测试]}
  applies_when: {attr: enterprise.sector, in: [测试]}
  regime: {law: 测试法, authority: 测试部门}
  items_in_standard: 3
  sources: []
"""

TEST_CRITERIA = """schema_version: 1
standard: test-2026
criteria:
  - id: test-2026/1-1
    clause: 第一条第（一）项
    title: 兜底条款
    text: 其他严重违反规定、经判断可能导致事故的情形。
    condition: {judgment: catch_all, question: 是否属于可能导致重特大事故的其他情形？}
    sources: [{citation: 自拟, class: copy, seen: "2026-11-23"}]
    verified: false
  - id: test-2026/1-2
    clause: 第一条第（二）项
    title: 四项中至少三项
    text: 下列四项中有三项以上的。
    condition:
      at_least: 3
      of:
        - {fact: special_ops_workers_certified, eq: false}
        - {fact: contractors_coordinated, eq: false}
        - {fact: contractors_inspected_regularly, eq: false}
        - {fact: managers_assessed, eq: false}
    sources: [{citation: 自拟, class: copy, seen: "2026-11-23"}]
    verified: false
  - id: test-2026/1-3
    clause: 第一条第（三）项
    title: 只适用于起重机械
    text: 起重机械的特种设备作业人员无证作业的。
    applies_when: {attr: subject.equipment_category, in: [起重机械]}
    condition: {fact: special_equipment_operators_certified, eq: false}
    sources: [{citation: 自拟, class: copy, seen: "2026-11-23"}]
    verified: false
"""


@pytest.fixture(scope="module")
def test_catalog(tmp_path_factory):
    root = criteria_copy(tmp_path_factory.mktemp("data") / "criteria",
                         {"test-2026/standard.yaml": TEST_STANDARD, "test-2026/article-01.yaml": TEST_CRITERIA})
    return load_catalog(root)


def judge(catalog, findings, **enterprise):
    data = minimal_checklist(findings, **{"sector": "测试", "industries": [], **enterprise})
    return check(parse_checklist(data, catalog, "<测试>", {}), catalog)


def test_judgment_node_waits_for_a_person(test_catalog):
    report = judge(test_catalog, [{"id": "F1", "claimed_criterion": "test-2026/1-1"}])
    v = report.verdicts[0]
    assert v.level == "undetermined" and v.undetermined_reason == "needs_judgment"
    assert v.open_judgments[0]["id"] == "catch_all"


def test_recorded_judgment_decides_and_is_shown(test_catalog):
    from hazardrules.explain import trace_lines

    record = {"decision": True, "by": "专家组 李工", "on": "2026-03-11", "reason": "多处违规叠加"}
    report = judge(test_catalog, [{"id": "F1", "judgments": {"catch_all": record}}])
    v = report.verdicts[0]
    assert v.level == "major" and v.unverified
    text = "\n".join(trace_lines(v.met[0].trace))
    assert "专家组 李工" in text and "2026-03-11" in text and "多处违规叠加" in text
    assert report.summary()["major_unverified"] == 1


@pytest.mark.parametrize("violations, unknown, expected", [
    (2, 0, "general"),       # k − 1 held, nothing open: not met
    (3, 0, "major"),         # k held
    (2, 1, "undetermined"),  # k − 1 held, one open: could still reach k
])
def test_at_least_counts(test_catalog, violations, unknown, expected):
    facts = ["special_ops_workers_certified", "contractors_coordinated",
             "contractors_inspected_regularly", "managers_assessed"]
    answers = {f: "否" for f in facts[:violations]}
    answers.update({f: "不清楚" for f in facts[violations:violations + unknown]})
    answers.update({f: "是" for f in facts[violations + unknown:]})
    answers.update(needs_shutdown_to_fix="否", cannot_remove_alone="否")
    enterprise_facts = {"managers_assessed": answers.pop("managers_assessed")}
    report = judge(test_catalog, [{"id": "F1", "facts": answers}], answers=enterprise_facts)
    assert report.verdicts[0].level == expected


def test_definition_yes_makes_major_by_definition(catalog):
    data = minimal_checklist([{"id": "F1", "description": "厂区围墙外高压线下堆放原料，需供电部门配合迁改",
                               "facts": {"contractors_coordinated": "是",
                                         "contractors_inspected_regularly": "是",
                                         "cannot_remove_alone": "是"}}])
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert v.level == "major" and v.by_definition and not v.met


def test_question_list_makes_findings(catalog):
    data = minimal_checklist([])
    data["enterprise"]["answers"] = {"metal_smelting_enterprise": "是", "managers_assessed": "否"}
    data["answers"] = {"special_ops_workers_certified": "是", "contractors_coordinated": "是",
                       "contractors_inspected_regularly": "不清楚"}
    report = check(parse_checklist(data, catalog, "<t>", {}), catalog)
    by_id = {v.finding.id: v for v in report.verdicts}
    # 3-3 met from the enterprise answers; compliant answers make no finding; the question
    # answered 不清楚 leaves 3-1 open, and that is reported with the question to answer.
    assert set(by_id) == {"Q-gongmao-2023-3-3", "Q-gongmao-2023-3-1"}
    assert by_id["Q-gongmao-2023-3-3"].level == "major"
    assert by_id["Q-gongmao-2023-3-1"].level == "undetermined"
    assert [m["fact"] for m in by_id["Q-gongmao-2023-3-1"].missing_facts] == [
        "contractors_inspected_regularly"]


def test_question_list_violation_deciding_nothing_major_is_its_own_finding(catalog):
    data = minimal_checklist([])
    data["enterprise"]["answers"] = {"metal_smelting_enterprise": "否", "managers_assessed": "否"}
    data["answers"] = {"needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}
    report = check(parse_checklist(data, catalog, "<t>", {}), catalog)
    [v] = report.verdicts
    assert v.finding.id == "Q-managers_assessed" and v.level == "general"


def test_pure_python_engine_gives_the_same_report():
    import json

    outputs = {}
    for engine in ("python", "durable"):
        proc = subprocess.run(
            [sys.executable, "-m", "hazardrules", "check", str(EXAMPLE), "--format", "json"],
            capture_output=True, text=True, timeout=120,
            env={**__import__("os").environ, "HAZARDRULES_ENGINE": engine})
        if engine == "durable" and "未安装" in proc.stderr:
            pytest.skip("durable_rules 未安装")
        assert proc.returncode == 1, proc.stderr
        data = json.loads(proc.stdout)
        del data["generator"]
        outputs[engine] = data
    assert outputs["python"] == outputs["durable"]


@pytest.mark.parametrize("subject, expected", [
    ({"equipment": "E1"}, "major"),        # a crane
    ({"equipment": "E2"}, "general"),      # a forklift: the item does not apply
    (None, "undetermined"),                # no subject named: which equipment is it?
])
def test_subject_decides_applicability(test_catalog, subject, expected):
    finding = {"id": "F1", "facts": {"special_equipment_operators_certified": "否",
                                     "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}}
    if subject:
        finding["subject"] = subject
    data = minimal_checklist([finding], sector="测试", industries=[])
    data["equipment"] = [{"id": "E1", "name": "桥式起重机", "category": "起重机械"},
                         {"id": "E2", "name": "叉车", "category": "场（厂）内专用机动车辆"}]
    v = check(parse_checklist(data, test_catalog, "<t>", {}), test_catalog).verdicts[0]
    assert v.level == expected
    if expected == "undetermined":
        assert v.missing_facts[0]["fact"] == "attr:subject.equipment_category"
        assert "设备" in v.missing_facts[0]["question"]
