"""Counting per site (GB 35181-style 综合判定): k − 1 elements no, k elements yes, excluded
elements do not count, and contributing findings are named."""

from __future__ import annotations

import pytest

from hazardrules.catalog import load_catalog
from hazardrules.checklist import parse_checklist
from hazardrules.judge import check
from hazardrules.report.json_out import report_dict

from .helpers import criteria_copy

STANDARD = """schema_version: 1
standard:
  id: sitetest-2026
  title: 场所综合判定测试标准
  document: 测试
  issuer: 测试
  effective: "2026-01-01"
  scope: {sectors: []}
  regime: {law: 测试法, authority: 测试}
  items_in_standard: 5
  procedure: 须经集体讨论作出结论（测试）。
  sources: []
"""

ELEMENTS = "\n".join(f"""  - id: sitetest-2026/7-{i}
    clause: "7.{i}"
    title: 要素{i}
    text: 测试要素{i}。
    role: element
    condition: {{fact: {fact}, eq: false}}
    sources: [{{citation: 自拟, class: copy, seen: "2026-11-23"}}]
    verified: false""" for i, fact in enumerate(
    ["contractors_coordinated", "contractors_inspected_regularly", "special_ops_workers_certified",
     "special_equipment_operators_certified", "construction_special_ops_certified"], start=1))

CRITERIA = f"""schema_version: 1
standard: sitetest-2026
criteria:
{ELEMENTS}
  - id: sitetest-2026/5-3-3
    clause: 5.3.3 a)
    title: 人员密集场所三项以上
    text: 人员密集场所存在综合判定要素3条以上（含本数）。
    role: site_rule
    applies_when: {{attr: subject.place_types, in: [人员密集场所]}}
    condition:
      all:
        - {{fact: needs_shutdown_to_fix, ne: true, label: 测试用排除条件（已停产停业时不判定）}}
        - at_least: 3
          of: [{{element: sitetest-2026/7-1}}, {{element: sitetest-2026/7-2}}, {{element: sitetest-2026/7-3}},
               {{element: sitetest-2026/7-4}}, {{element: sitetest-2026/7-5}}]
    sources: [{{citation: 自拟, class: copy, seen: "2026-11-23"}}]
    verified: false
  - id: sitetest-2026/5-3-4
    clause: 5.3.3 d)
    title: 其他场所五项
    text: 其他场所存在综合判定要素5条以上（含本数）。
    role: site_rule
    condition:
      at_least: 5
      of: [{{element: sitetest-2026/7-1}}, {{element: sitetest-2026/7-2}}, {{element: sitetest-2026/7-3}},
           {{element: sitetest-2026/7-4}}, {{element: sitetest-2026/7-5}}]
    sources: [{{citation: 自拟, class: copy, seen: "2026-11-23"}}]
    verified: false
"""

FACTS = ["contractors_coordinated", "contractors_inspected_regularly", "special_ops_workers_certified",
         "special_equipment_operators_certified", "construction_special_ops_certified"]


@pytest.fixture(scope="module")
def site_catalog(tmp_path_factory):
    root = criteria_copy(tmp_path_factory.mktemp("sites") / "criteria",
                         {"sitetest-2026/standard.yaml": STANDARD, "sitetest-2026/article-07.yaml": CRITERIA})
    return load_catalog(root)


def judge(catalog, n_violations, unknown=0, place="人员密集场所", site_answers=None, with_site=True):
    findings = []
    for i, fact in enumerate(FACTS):
        answer = "否" if i < n_violations else ("不清楚" if i < n_violations + unknown else "是")
        f = {"id": f"F{i + 1}", "facts": {fact: answer, "cannot_remove_alone": "否",
                                          "needs_shutdown_to_fix": "否"}}
        if with_site:
            f["subject"] = {"site": "S1"}
        findings.append(f)
    data = {
        "schema_version": 1,
        "enterprise": {"name": "测试商场", "uscc": "91350100M000100Y43", "sector": "商贸服务"},
        "sites": [{"id": "S1", "name": "一层营业厅", "place_types": [place],
                   "answers": {"needs_shutdown_to_fix": "否"} if site_answers is None
                   else site_answers}],
        "inspection": {"date": "2026-03-10", "kind": "执法检查"},
        "findings": findings,
    }
    return check(parse_checklist(data, catalog, "<t>", {}), catalog)


def test_k_minus_one_elements_is_not_major(site_catalog):
    report = judge(site_catalog, 2)
    [site] = report.sites
    assert site.level == "none"
    assert [v.level for v in report.verdicts] == ["general"] * 5


def test_k_elements_make_the_site_and_its_contributing_findings_major(site_catalog):
    report = judge(site_catalog, 3)
    [site] = report.sites
    assert site.level == "major"
    assert [r.criterion.id for r in site.met] == ["sitetest-2026/5-3-3"]
    assert site.contributing == {"sitetest-2026/7-1": ["F1"], "sitetest-2026/7-2": ["F2"],
                                 "sitetest-2026/7-3": ["F3"]}
    levels = {v.finding.id: v.level for v in report.verdicts}
    assert levels == {"F1": "major", "F2": "major", "F3": "major", "F4": "general", "F5": "general"}
    assert report.verdicts[0].site is site and report.verdicts[0].unverified
    data = report_dict(report)
    assert data["sites"][0]["level"] == "major"
    assert data["findings"][0]["site"]["rules"] == ["sitetest-2026/5-3-3"]


def test_an_open_element_leaves_the_site_undetermined(site_catalog):
    report = judge(site_catalog, 2, unknown=1)
    [site] = report.sites
    assert site.level == "undetermined"
    v = {v.finding.id: v for v in report.verdicts}
    assert v["F1"].level == "undetermined" and "所在场所" in v["F1"].reason_text[0]


def test_the_threshold_depends_on_the_place_type(site_catalog):
    assert judge(site_catalog, 3, place="其他场所").sites[0].level == "none"
    assert judge(site_catalog, 5, place="其他场所").sites[0].level == "major"


def test_an_exclusion_stops_the_count(site_catalog):
    report = judge(site_catalog, 4, site_answers={"needs_shutdown_to_fix": "是"})
    assert report.sites[0].level == "none"


def test_elements_without_a_site_ask_for_it(site_catalog):
    report = judge(site_catalog, 3, with_site=False)
    assert report.sites == []
    v = report.verdicts[0]
    assert v.level == "undetermined" and v.missing_facts[0]["fact"] == "attr:subject.kind"


def test_an_unanswered_exclusion_leaves_the_site_open(site_catalog):
    report = judge(site_catalog, 3, site_answers={})
    [site] = report.sites
    assert site.level == "undetermined"
    assert [m["fact"] for m in site.missing_facts] == ["needs_shutdown_to_fix"]
