"""Penalty paths: the articles they cite exist, the 第113条 count, one act one fine."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hazardrules.penalties as penalties
from hazardrules.catalog import load_catalog
from hazardrules.checklist import parse_checklist
from hazardrules.judge import check
from hazardrules.penalties import repeated_penalties, year_before

from .helpers import criteria_copy, minimal_checklist

ARTICLE_ID = re.compile(r'"((?:aqsf|xzcf|xingfa|lianggao|ling16)-\d{4}/[0-9a-z-]+)"')


def test_every_article_a_path_step_can_name_is_in_the_data(catalog):
    source = Path(penalties.__file__).read_text("utf-8")
    named = set(ARTICLE_ID.findall(source))
    assert len(named) > 15
    missing = sorted(a for a in named if a not in catalog.articles)
    assert not missing, missing


def test_every_criterion_penalty_names_an_article_in_the_data(catalog):
    for c in catalog.criteria.values():
        for p in c.penalties:
            assert p.article in catalog.articles, (c.id, p.article)


def test_every_penalty_article_has_text_dates_and_sources(catalog):
    for a in catalog.articles.values():
        assert a.text and a.effective and a.sources, a.id
        assert a.clause.startswith("第"), a.id
        if a.verified:
            assert any(s.cls == "official" for s in a.sources) or \
                [s.cls for s in a.sources].count("secondary") >= 2, a.id


def test_fine_amounts_appear_in_the_article_text(catalog):
    """Typed fines are transcriptions: every bound must be written in the text."""
    numerals = {0: None, 1000: "一千", 5000: "五千", 10000: "一万", 20000: "二万", 30000: "三万",
                50000: "五万", 100000: "十万", 200000: "二十万", 300000: "三十万", 500000: "五十万",
                1000000: "一百万", 2000000: "二百万", 5000000: "五百万", 10000000: "一千万",
                20000000: "二千万"}
    for a in catalog.articles.values():
        for s in a.sanctions:
            for bound in (s.fine or {}).get("range", []):
                word = numerals.get(int(bound), "?")
                if word is None:
                    continue
                # 部门规章 often write Arabic numerals: 5万元
                arabic = f"{int(bound) // 10000}万" if bound % 10000 == 0 else str(int(bound))
                assert word in a.text or str(int(bound)) in a.text or arabic in a.text, (a.id, bound)


# --- 第113条第（一）项 counting -----------------------------------------------------------

DAY = dt.date(2026, 4, 8)


def test_exactly_180_days_counts_and_181_does_not():
    three = [DAY - dt.timedelta(days=180), DAY - dt.timedelta(days=90), DAY]
    assert repeated_penalties(three, DAY)["within_180_days"] == 3
    assert repeated_penalties(three, DAY)["met"]
    older = [DAY - dt.timedelta(days=181)] + three[1:]
    assert repeated_penalties(older, DAY)["within_180_days"] == 2
    assert not repeated_penalties(older, DAY)["met"]


def test_one_year_across_a_leap_day():
    assert year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert year_before(dt.date(2025, 3, 1)) == dt.date(2024, 3, 1)
    day = dt.date(2024, 2, 29)
    four = [dt.date(2023, 2, 28), dt.date(2023, 6, 1), dt.date(2023, 12, 1), day]
    assert repeated_penalties(four, day)["within_one_year"] == 4
    assert repeated_penalties(four, day)["met"]
    four[0] = dt.date(2023, 2, 27)
    assert repeated_penalties(four, day)["within_one_year"] == 3


dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@given(st.lists(dates, max_size=8), dates)
def test_counts_match_their_definition(penalty_dates, day):
    got = repeated_penalties(penalty_dates, day)
    past = [d for d in penalty_dates if d <= day]
    assert got["within_180_days"] == sum(1 for d in past if 0 <= (day - d).days <= 180)
    one_year_back = year_before(day)
    assert got["within_one_year"] == sum(1 for d in past if d >= one_year_back)
    assert got["within_180_days"] <= got["within_one_year"] or (day - one_year_back).days < 180
    assert got["met"] == (got["within_180_days"] >= 3 or got["within_one_year"] >= 4)


@given(st.lists(dates, max_size=8), dates, dates)
def test_a_later_penalty_never_lowers_the_count(penalty_dates, extra, day):
    before = repeated_penalties(penalty_dates, day)
    after = repeated_penalties(penalty_dates + [extra], day)
    assert after["within_180_days"] >= before["within_180_days"]
    assert after["within_one_year"] >= before["within_one_year"]
    assert after["met"] or not before["met"]


def test_only_penalties_under_the_work_safety_law_count(catalog):
    data = minimal_checklist([{"id": "F1", "facts": {"special_ops_workers_certified": "否"}}])
    data["inspection"]["kind"] = "执法检查"
    data["enterprise"]["penalties"] = [
        {"date": "2026-01-10", "article": "xiaofang-2021/60"},
        {"date": "2026-02-10", "article": "xiaofang-2021/60"},
        {"date": "2026-03-01", "article": "aqsf-2021/102"},
    ]
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert "aqsf-2021/113-item1" not in [s.article for s in v.path.steps]
    assert any("180 日内受到安全生产法行政处罚 1 次" in n for n in v.path.notes)


# --- 行政处罚法第二十九条: one act, one fine ------------------------------------------------

TWO_ARTICLES = """schema_version: 1
standard: gongmao-2023
criteria:
  - id: gongmao-2023/3-1
    clause: 第三条第（一）项
    title: 测试：一项情形对应两个罚则
    text: 未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的；
    condition: {fact: contractors_coordinated, eq: false}
    penalties:
      - {article: aqsf-2021/103-para2, basis: 测试, verified: true}
      - {article: aqsf-2021/97-item7, basis: 测试, verified: true}
    sources: [{citation: 测试, class: copy, seen: "2026-11-23"}]
    verified: false
"""


def test_one_act_is_not_fined_under_two_articles(tmp_path):
    catalog = load_catalog(criteria_copy(tmp_path / "criteria", {"gongmao-2023/article-03.yaml": TWO_ARTICLES}))
    data = minimal_checklist([{"id": "F1", "facts": {"contractors_coordinated": "否"}}])
    data["inspection"]["kind"] = "执法检查"
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    steps = {s.article: s for s in v.path.steps}
    # 97(七) fines up to 10万, 103第二款 up to 5万: the act is fined once, under 97(七)
    assert "10万元以下罚款" in steps["aqsf-2021/97-item7"].sanction
    assert steps["aqsf-2021/103-para2"].sanction == "（不另行罚款）"
    assert "xzcf-2021/29" in steps


@pytest.mark.parametrize("kind, first", [("企业自查", "aqsf-2021/41-para2"),
                                         ("执法检查", "aqsf-2021/65-item3")])
def test_who_found_it_decides_the_major_path(catalog, kind, first):
    data = minimal_checklist([{"id": "F1", "facts": {"special_ops_workers_certified": "否"}}])
    data["inspection"]["kind"] = kind
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert v.path.steps[0].article == first
    assert any("五落实" in s for s in v.path.next_steps)


def test_violation_before_the_2021_law_names_the_rule_on_old_and_new_law(catalog):
    data = minimal_checklist([{"id": "F1", "observed_on": "2021-08-01",
                               "facts": {"special_ops_workers_certified": "否"}}])
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert v.level == "undetermined"  # 2017 工贸 edition, not encoded
    assert v.path.steps[0].article == "xzcf-2021/37"


def test_a_violation_with_its_own_article_stays_general_with_that_article(tmp_path):
    root = criteria_copy(tmp_path / "criteria")
    path = root / "facts" / "personnel.yaml"
    text = path.read_text("utf-8").replace(
        "  - id: construction_special_ops_certified\n",
        "  - id: construction_special_ops_certified\n"
        "    penalties: [{article: aqsf-2021/97-item7, basis: 测试用对应, verified: false}]\n", 1)
    path.write_text(text, "utf-8")
    catalog = load_catalog(root, cache=False)
    data = minimal_checklist([{"id": "F1", "facts": {"construction_special_ops_certified": "否",
                                                     "needs_shutdown_to_fix": "否",
                                                     "cannot_remove_alone": "否"}}])
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert v.level == "general"  # no 判定标准 item reads it, and the definition says not major
    # two fines for what may be one act: 行政处罚法第二十九条 is shown even where one rests on a reading
    assert [s.article for s in v.path.steps] == ["aqsf-2021/102", "aqsf-2021/97-item7", "xzcf-2021/29"]
    assert v.path.steps[1].basis == "interpretation"


def test_limitation_is_shown_for_a_violation_older_than_two_years(catalog):
    data = minimal_checklist([{"id": "F1", "observed_on": "2023-06-01",
                               "facts": {"special_ops_workers_certified": "否"}}])
    data["inspection"]["date"] = "2026-03-10"
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert "xzcf-2021/36" in [s.article for s in v.path.steps]


@pytest.mark.parametrize("staff, certified, expected", [
    ("否", "是", ["jsgc-tiaoli-2004/62-item1"]),
    ("是", "否", ["jsgc-tiaoli-2004/62-item2"]),
    ("否", "否", ["jsgc-tiaoli-2004/62-item1", "jsgc-tiaoli-2004/62-item2"]),
    ("否", "不清楚", ["jsgc-tiaoli-2004/62-item1"]),  # the other limb's article needs its own limb to hold
])
def test_an_article_tied_to_one_limb_is_cited_only_where_that_limb_holds(catalog, staff, certified, expected):
    """房屋市政 2024 第四条第（二）项 lists two acts, each mapped to its own item of 条例第六十二条."""
    data = minimal_checklist([{"id": "F1", "subject": {"project": "P1"},
                               "facts": {"construction_safety_staff_adequate": staff,
                                         "construction_key_personnel_valid_certificate": certified}}],
                             sector="建筑施工", industries=[])
    data["projects"] = [{"id": "P1", "name": "某住宅工程", "parties": {"施工": "测试企业"}}]
    data["inspection"] = {"date": "2026-03-10", "kind": "执法检查"}
    v = check(parse_checklist(data, catalog, "<t>", {}), catalog).verdicts[0]
    assert [r.criterion.id for r in v.met] == ["jianzhu-2024/4-2"]
    cited = [s.article for s in v.path.steps if s.article.startswith("jsgc-tiaoli-2004/62")]
    assert cited == expected
    # two limbs are two acts: neither is marked as not fined again
    assert not any("不另行罚款" in s.sanction for s in v.path.steps if s.article in cited)
