"""有限空间“七不准”: each of the seven violations, in each setting, judged by every standard that
applies there through the shared confined_space_* facts — never through a hand-written table.

The seven questions come from the question-list template
templates/confined-space-seven-prohibitions.yaml (a checklist, not a standard: no national issuer of
the 七不准 was found, see shared/reference/youxian-kongjian.md §A). Each row builds one checklist with
hazardrules.checklist.parse_checklist — one finding answering all seven questions, one of them
violated, plus the setting's own context facts — and judges it with hazardrules.judge.check.

Parameter ids carry a mark where the expectation rests on a text that is not verified or is
ambiguous:
  unverified      the deciding criterion's text is verified: false (工贸 第十三条 and 房屋市政 2024
                  第十条、第十一条 are known only from copies);
  single-limb     工贸 第十三条第（二）项's middle limb (先通风、再检测、后作业) is single-source;
  ambiguous       房屋市政 2024 第十一条第（二）项 joins its three failures with "，": read as "any one",
                  an interpretation recorded in criteria/jianzhu-2024/article-11.yaml;
  needs-answer    危化品 item 18 (weihua-2017/18) is brought up by any 七不准 violation (its reached_by
                  facts) but never decided by it: whether one violating entry means "制度未有效执行" is
                  not defined by the standard and no official interpretation was found, so the item
                  stays undetermined until a person answers hazchem_special_work_rules_executed.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from hazardrules.checklist import parse_checklist
from hazardrules.judge import check

from .conftest import ROOT

TEMPLATE = ROOT / "templates" / "confined-space-seven-prohibitions.yaml"
DAY = "2026-09-01"
DEFINITION_NO = {"needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}

# The seven questions, in the template's order, with the compliant answer and the violation.
SEVEN = {
    1: ("confined_space_identified", "是", "否"),               # 未经风险辨识
    2: ("confined_space_ventilated_and_tested", "是", "否"),    # 未经通风和检测合格
    3: ("confined_space_ppe_worn", "是", "否"),                 # 不佩戴劳动防护用品
    4: ("confined_space_attendant_present", "是", "否"),        # 没有监护
    5: ("confined_space_electrical_ok", "是", "否"),            # 电气设备不符合规定
    6: ("confined_space_entry_approved", "是", "否"),           # 未经审批
    7: ("confined_space_training_drill", "已培训并演练", "未培训"),  # 未经培训演练
}
SLUG = {1: "identification", 2: "ventilation-testing", 3: "ppe", 4: "attendant", 5: "electrical",
        6: "approval", 7: "training"}

P1 = {"id": "P1", "name": "某区雨污分流改造工程", "parties": {"建设": "某区城市建设投资有限公司",
                                                            "施工": "某建工集团有限公司", "监理": "某工程监理有限公司"}}

# Each setting: the enterprise profile, the facts that describe the place (compliant, so each row
# isolates one violation), and whether findings name a construction project.
SETTINGS = {
    "gongmao-poison": {
        "enterprise": {"name": "某纸业有限公司", "uscc": "91350100M000100Y43", "sector": "工贸",
                       "industries": ["轻工"], "features": ["有限空间中毒风险"]},
        "context": {"confined_space_ledger_kept": "是", "confined_space_warning_signs_posted": "是"},
    },
    "gongmao-no-poison": {
        "enterprise": {"name": "某机械加工有限公司", "uscc": "91110000600037341L", "sector": "工贸",
                       "industries": ["机械"], "features": []},
        "context": {"confined_space_ledger_kept": "是", "confined_space_warning_signs_posted": "是"},
    },
    "construction": {
        "enterprise": {"name": "某建工集团有限公司", "uscc": "91110000600037341L", "sector": "建筑施工"},
        "projects": [P1],
        # a sewer manhole on a 房屋市政 site: poorly ventilated, lit at safe voltage, all four kinds of
        # equipment of 第十一条第（四）项 on site, a full-time safety officer supervising.
        "context": {"confined_space_warning_signs_posted": "是",
                    "construction_confined_space_safety_officer": "是",
                    "construction_confined_space_gas_detection": "正常",
                    "construction_confined_space_mechanical_ventilation": "正常",
                    "construction_confined_space_respiratory_protection": "正常",
                    "construction_confined_space_rescue_equipment": "正常",
                    "construction_env_poorly_ventilated": "是",
                    "construction_special_env_lighting_safe_voltage": "是"},
    },
    "hazchem": {
        "enterprise": {"name": "某化工有限公司", "uscc": "91350100M000100Y43", "sector": "危险化学品"},
        # the 特殊作业管理制度 exists and follows the national standard; whether it is carried out
        # is the open question a violating entry raises
        "context": {"hazchem_special_work_rules": "是"},
    },
    "other": {
        "enterprise": {"name": "某物业服务有限公司", "uscc": "91110000600037341L", "sector": "物业管理"},
        "context": {},
    },
}

GONGMAO_13_1, GONGMAO_13_2 = "gongmao-2023/13-1", "gongmao-2023/13-2"
JZ = "jianzhu-2024/"
HAZCHEM_18 = "weihua-2017/18"

EXECUTED = "hazchem_special_work_rules_executed"


def row(setting, n, level, met, *marks, extra=None, variant=None, reasons=None, asks=None):
    """One expectation. `marks` are the text-status marks put in the parameter id; `asks` is a
    question (fact id) an undetermined verdict must put to the user."""
    tail = "-".join(marks)
    pid = f"{setting}-{n}-{variant or SLUG[n]}" + (f"-{tail}" if tail else "")
    return pytest.param(setting, n, level, met, extra or {}, reasons, asks, id=pid)


MATRIX = [
    # ---------------------------------------------------------- 工贸, space with a poisoning risk
    # （一）uses "并且": not identified alone, with a conspicuous sign and a ledger, is not 13-1.
    row("gongmao-poison", 1, "general", [], "unverified"),
    row("gongmao-poison", 1, "major", [GONGMAO_13_1], "unverified", variant="identification-and-no-sign",
        extra={"confined_space_warning_signs_posted": "否"}),
    # （二）'s middle limb "未执行“先通风、再检测、后作业”要求" is single-source (a code copy only).
    row("gongmao-poison", 2, "major", [GONGMAO_13_2], "unverified", "single-limb"),
    row("gongmao-poison", 3, "general", [], "unverified"),
    row("gongmao-poison", 4, "major", [GONGMAO_13_2], "unverified"),
    # No 第十三条 item on electrical equipment; whether 第十四条 (devices) reaches it is not encoded.
    row("gongmao-poison", 5, "general", [], "unverified"),
    row("gongmao-poison", 6, "major", [GONGMAO_13_2], "unverified"),
    row("gongmao-poison", 7, "general", [], "unverified"),

    # ---------------------------------------------------------- 工贸, no poisoning risk: 第十三条 does not
    # apply; each violation is a general hazard against 《工贸企业有限空间作业安全规定》（应急管理部令第13号）.
    # The articles its path cites are pinned in test_ling13_articles_are_cited_for_gongmao_enterprises_only
    # (LING13 below): 辨识 第六条第一款; 监护 第五条第一款 + 第二十一条第（一）项; none for the others, whose
    # 13号令 articles the reference only reconstructs.
    *[row("gongmao-no-poison", n, "general", [], "unverified") for n in range(1, 8)],

    # ---------------------------------------------------------- 房屋市政 construction site (2024版)
    # 第十一条第（一）项 uses "且": not identified, but the sign is conspicuous → not 11-1.
    row("construction", 1, "general", [], "unverified"),
    row("construction", 1, "major", [JZ + "11-1"], "unverified", variant="identification-and-no-sign",
        extra={"confined_space_warning_signs_posted": "否"}),
    # 第十一条第（二）项: each of the three failures alone is read as major (ambiguous, see module doc).
    row("construction", 2, "major", [JZ + "11-2"], "unverified", "ambiguous"),
    # Not wearing PPE is not 11-4 (which asks whether the equipment is on site) …
    row("construction", 3, "general", [], "unverified"),
    # … but where the respiratory protection is not on site at all, 11-4 applies.
    row("construction", 3, "major", [JZ + "11-4"], "unverified", variant="ppe-not-provided",
        extra={"construction_confined_space_respiratory_protection": "未设置"}),
    row("construction", 4, "major", [JZ + "11-3"], "unverified"),
    # The electrical violation is lighting not at safe voltage in a poorly ventilated space: 第十条（一）.
    row("construction", 5, "major", [JZ + "10-1"], "unverified", variant="lighting-not-safe-voltage",
        extra={"construction_special_env_lighting_safe_voltage": "否"}),
    # Any other electrical nonconformity (the lighting is at safe voltage): no item lists it.
    row("construction", 5, "general", [], "unverified", variant="other-electrical"),
    row("construction", 6, "major", [JZ + "11-2"], "unverified", "ambiguous"),
    row("construction", 7, "major", [JZ + "11-2"], "unverified", "ambiguous"),
    # 第十一条第（二）项 says 培训 only: trained but never drilled is general.
    row("construction", 7, "general", [], "unverified", variant="drill-only",
        extra={"confined_space_training_drill": "已培训、未演练"}),

    # ---------------------------------------------------------- 危险化学品 enterprise: item 18
    # Each violation brings up item 18 and asks whether the rules are carried out; nothing is inferred.
    *[row("hazchem", n, "undetermined", [], "unverified", "needs-answer", reasons={"missing_facts"},
          asks=EXECUTED) for n in range(1, 8)],
    # The person's answer decides: 未有效执行 → item 18, major; 有效执行 → no item, general.
    row("hazchem", 6, "major", [HAZCHEM_18], "unverified", variant="approval-judged-not-executed",
        extra={EXECUTED: "否"}),
    row("hazchem", 6, "general", [], "unverified", variant="approval-judged-executed",
        extra={EXECUTED: "是"}),
    row("hazchem", 2, "major", [HAZCHEM_18], "unverified", variant="ventilation-testing-judged-not-executed",
        extra={EXECUTED: "否"}),

    # ---------------------------------------------------------- anywhere else (here a property-management
    # company cleaning a septic tank): no standard lists the 七不准, so no major item may be invented.
    # The answered facts reach no criterion in force, and both 令第16号 第三条 questions are answered
    # 否: a general hazard, with no criterion met.
    *[row("other", n, "general", []) for n in range(1, 8)],
]


def template() -> dict:
    return yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))


def filled_template(setting: str, **answers: str):
    """The question list filled in as a self-check in `setting`: every answer compliant except
    `answers`; judged as shipped (each violation becomes a finding of the list)."""
    data = template()
    data["enterprise"] = dict(SETTINGS[setting]["enterprise"])
    data["inspection"] = {"date": DAY, "kind": "企业自查"}
    data["answers"] = {**{fact: ok for fact, ok, _ in SEVEN.values()}, **answers}
    return data


def checklist_for(setting: str, n: int, extra: dict) -> dict:
    spec = SETTINGS[setting]
    data = copy.deepcopy(template())
    data["enterprise"] = dict(spec["enterprise"])
    data["inspection"] = {"date": DAY, "kind": "执法检查"}
    if "projects" in spec:
        data["projects"] = copy.deepcopy(spec["projects"])
    answers = {fact: ok for fact, ok, _ in SEVEN.values()}
    fact, _, bad = SEVEN[n]
    answers[fact] = bad
    facts = {**answers, **spec["context"], **extra, **DEFINITION_NO}
    finding = {"id": "F1", "description": f"七不准第（{n}）项", "facts": facts}
    if "projects" in spec:
        finding["subject"] = {"project": "P1"}
    data["answers"] = {}  # the question list is answered inside the finding
    data["findings"] = [finding]
    return data


def test_template_is_a_checklist_listing_the_seven_questions(catalog):
    data = template()
    assert list(data["answers"]) == [fact for fact, _, _ in SEVEN.values()]
    for fact_id in data["answers"]:
        assert fact_id in catalog.facts, fact_id
    checklist = parse_checklist(data, catalog, str(TEMPLATE), {})
    assert checklist.findings == [] and all(v is not None for v in checklist.answers.values())


@pytest.mark.parametrize("setting, n, level, met, extra, reasons, asks", MATRIX)
def test_seven_prohibitions_matrix(catalog, setting, n, level, met, extra, reasons, asks):
    data = checklist_for(setting, n, extra)
    report = check(parse_checklist(data, catalog, f"<七不准 {setting} {n}>", {}), catalog)
    [verdict] = report.verdicts
    assert verdict.level == level, (verdict.level, verdict.reasons, verdict.reason_text)
    assert sorted(r.criterion.id for r in verdict.met) == sorted(met)
    if reasons is not None:
        assert verdict.undetermined_reason in reasons
    if asks is not None:
        assert asks in [q["fact"] for q in verdict.missing_facts]
        # the verdict says why the item came up and that the violation alone does not decide it
        assert any("不据该违规推定" in t for t in verdict.reason_text), verdict.reason_text
    assert not (setting == "other" and verdict.met), "no major item may be invented for other settings"


def test_filled_template_question_list_reports_the_major_item(catalog):
    """The template itself, filled in for a construction site, yields the 第十一条第（二）项 finding."""
    data = filled_template("construction", confined_space_ventilated_and_tested="否")
    report = check(parse_checklist(data, catalog, str(TEMPLATE), {}), catalog)
    levels = {v.finding.id: v.level for v in report.verdicts}
    assert levels.get("Q-jianzhu-2024-11-2") == "major"
    assert "major" not in {lvl for fid, lvl in levels.items() if fid != "Q-jianzhu-2024-11-2"}


def test_matrix_covers_every_violation_in_every_setting():
    seen = {(p.values[0], p.values[1]) for p in MATRIX}
    assert seen == {(s, n) for s in SETTINGS for n in SEVEN}
    assert Path(TEMPLATE).is_file()


# 《工贸企业有限空间作业安全规定》（应急管理部令第13号） binds 工贸 enterprises only (its 第二条) and from
# 2024-01-01. Where a violation is a general hazard, its path cites the articles a source shows
# (criteria/penalties/ling13-2023.yaml); those known only from the reference's reconstructions
# (先通风再检测后作业、审批、培训、防护用品) are not cited at all.
LING13 = {
    1: ["ling13-2023/6-para1"],                               # 辨识：第六条第一款（义务）
    2: [], 3: [],
    4: ["ling13-2023/5-para1", "ling13-2023/21-item1"],       # 监护：第五条第一款、第二十一条第（一）项
    5: [], 6: [], 7: [],
}


def ling13_steps(catalog, setting: str, n: int, extra: dict | None = None, day: str = DAY) -> list[str]:
    data = checklist_for(setting, n, extra or {})
    data["inspection"]["date"] = day
    [verdict] = check(parse_checklist(data, catalog, f"<七不准 {setting} {n}>", {}), catalog).verdicts
    assert verdict.level == "general", (verdict.level, verdict.reason_text)
    return [s.article for s in verdict.path.steps if s.article.startswith("ling13-2023/")]


# every general row of the settings other than 工贸 with a poisoning risk (a major hazard's path
# is the major-hazard path, without the articles of single answers)
GENERAL_ROWS = [(s, n) for s in ("gongmao-no-poison", "construction", "other") for n in sorted(SEVEN)
                if not (s == "construction" and n in (2, 4, 6, 7))]


@pytest.mark.parametrize("setting, n", GENERAL_ROWS)
def test_ling13_articles_are_cited_for_gongmao_enterprises_only(catalog, setting, n):
    expected = LING13[n] if setting.startswith("gongmao") else []
    assert ling13_steps(catalog, setting, n) == expected


def test_missing_warning_sign_cites_ling13_article_19_in_a_gongmao_enterprise(catalog):
    steps = ling13_steps(catalog, "gongmao-no-poison", 1, {"confined_space_identified": "是",
                                                          "confined_space_warning_signs_posted": "否"})
    assert steps == ["ling13-2023/19-item1"]


def test_ling13_is_cited_from_the_day_it_took_effect(catalog):
    assert ling13_steps(catalog, "gongmao-no-poison", 4, day="2023-12-31") == []
    assert ling13_steps(catalog, "gongmao-no-poison", 4, day="2024-01-01") == LING13[4]


def test_the_day_before_says_the_earlier_rule_is_not_encoded(catalog):
    data = checklist_for("gongmao-no-poison", 4, {})
    data["inspection"]["date"] = "2023-12-31"
    [verdict] = check(parse_checklist(data, catalog, "<七不准>", {}), catalog).verdicts
    assert any("2024-01-01" in n and "未收录" in n for n in verdict.path.notes), verdict.path.notes


def test_two_answers_breaching_one_article_cite_it_once(catalog):
    steps = ling13_steps(catalog, "gongmao-no-poison", 1, {"confined_space_ledger_kept": "否"})
    assert steps == ["ling13-2023/6-para1"]


def test_question_list_answers_reach_the_item_a_violation_brings_up(catalog):
    """Answers given in the list to item 18's own questions are used by the finding the 七不准
    violation makes, so only what is still open is asked."""
    data = filled_template("hazchem", confined_space_entry_approved="否", **{EXECUTED: "否"})
    report = check(parse_checklist(data, catalog, str(TEMPLATE), {}), catalog)
    # one hazard, one finding: the violation is part of item 18's finding, not a second one
    [verdict] = report.verdicts
    assert verdict.finding.id == "Q-weihua-2017-18"
    assert verdict.finding.facts["confined_space_entry_approved"] is False
    assert verdict.level == "major" and [r.criterion.id for r in verdict.met] == [HAZCHEM_18]


def test_question_list_violation_alone_brings_up_item_18_once(catalog):
    data = filled_template("hazchem", confined_space_entry_approved="否", hazchem_special_work_rules="是")
    report = check(parse_checklist(data, catalog, str(TEMPLATE), {}), catalog)
    [verdict] = report.verdicts
    assert verdict.level == "undetermined"
    assert [q["fact"] for q in verdict.missing_facts] == [EXECUTED]
    assert any("不据该违规推定" in t for t in verdict.reason_text)
