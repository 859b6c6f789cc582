"""Loading the criteria: lossless, and every broken reference refused with its place."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hazardrules.catalog import load_catalog
from hazardrules.errors import DataError, InputError
from hazardrules.model import Criterion
from hazardrules.uscc import CHARSET, check_character, problem

from .conftest import ROOT
from .helpers import criteria_copy
from .test_properties import trees

texts = st.text(alphabet="安全生产特种作业人员未按照规定经考核合格的，；（）一二三", min_size=4, max_size=30)
sources = st.fixed_dictionaries(
    {"citation": texts, "class": st.sampled_from(["official", "secondary", "copy"]),
     "seen": st.just("2026-11-23")},
    optional={"url": st.just("https://example.invalid/x"), "shows": texts})


@st.composite
def criterion_dicts(draw):
    d = {
        "id": f"test-2026/{draw(st.integers(3, 20))}-{draw(st.integers(1, 20))}",
        "clause": "第三条第（一）项",
        "title": draw(texts),
        "text": draw(texts),
    }
    if draw(st.booleans()):
        d["applies_when"] = {"attr": "enterprise.industries", "in": ["冶金"]}
    if draw(st.booleans()):
        d["applies_note"] = draw(texts)
    d["condition"] = draw(trees()).to_dict()
    if draw(st.booleans()):
        d["reached_by"] = {"facts": draw(st.lists(st.sampled_from(["confined_space_identified",
                                                                   "confined_space_entry_approved"]),
                                                  min_size=1, max_size=2, unique=True)),
                           "note": draw(texts)}
    if draw(st.booleans()):
        d["penalties"] = [{"article": "aqsf-2021/97-item7", "basis": draw(texts),
                           "verified": draw(st.booleans())}]
        if draw(st.booleans()):
            d["penalties"][0]["applies_when"] = draw(trees()).to_dict()
    if draw(st.booleans()):
        d["keywords"] = draw(st.lists(texts, min_size=1, max_size=3))
    d["sources"] = draw(st.lists(sources, min_size=1, max_size=3))
    d["verified"] = draw(st.booleans())
    if draw(st.booleans()):
        d["verification_note"] = draw(texts)
    return d


@settings(max_examples=200)
@given(criterion_dicts())
def test_loading_and_dumping_a_criterion_is_lossless(d):
    criterion = Criterion.from_dict(d, "test-2026")
    assert criterion.to_dict() == d
    again = Criterion.from_dict(yaml.safe_load(yaml.safe_dump(criterion.to_dict(),
                                                              allow_unicode=True)), "test-2026")
    assert again == criterion


def test_shipped_criteria_dump_back_to_their_files(catalog):
    for c in catalog.criteria.values():
        data = yaml.safe_load(open(catalog.root / c.file, encoding="utf-8"))
        original = next(d for d in data["criteria"] if d["id"] == c.id)
        assert c.to_dict() == original, c.id


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_uscc_check_character_makes_a_valid_code(first17):
    code = first17 + check_character(first17)
    assert problem(code) is None
    wrong = next(ch for ch in CHARSET if ch != code[17])
    assert "校验位" in problem(code[:17] + wrong)


def test_uscc_examples():
    assert problem("91350100M000100Y43") is None
    assert "18 位" in problem("91350100M000100Y4")
    assert "非法字符" in problem("91350100M000100YI3")


# --- broken data is refused with file and place --------------------------------------------


@pytest.fixture()
def data_copy(tmp_path):
    return criteria_copy(tmp_path / "criteria")


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_cached_catalog_equals_a_fresh_load(tmp_path, monkeypatch):
    monkeypatch.setenv("HAZARDRULES_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load_catalog(ROOT / "criteria", cache=False)
    first = load_catalog(ROOT / "criteria")  # writes the cache
    assert list((tmp_path / "cache").iterdir())
    cached = load_catalog(ROOT / "criteria")  # reads it
    assert cached.version == fresh.version
    assert [c.to_dict() for c in cached.criteria.values()] == [c.to_dict() for c in fresh.criteria.values()]
    assert first.criteria.keys() == cached.criteria.keys()


@pytest.mark.parametrize("path, old, new, message", [
    (("gongmao-2023", "article-03.yaml"), "fact: special_ops_workers_certified, eq: false}",
     "fact: no_such_fact, eq: false}", "未知事实编号 no_such_fact"),
    (("gongmao-2023", "article-03.yaml"), "article: aqsf-2021/97-item7", "article: aqsf-2021/999",
     "未收录的法条 aqsf-2021/999"),
    # reached_by names an unknown fact / a fact the condition already reads
    (("weihua-2017", "items.yaml"), "    - confined_space_ppe_worn\n", "    - no_such_fact\n",
     "reached_by 引用了未知事实 no_such_fact"),
    (("weihua-2017", "items.yaml"), "    - confined_space_ppe_worn\n", "    - hazchem_special_work_rules\n",
     "已在条件中"),
    # a fact penalty's scope is read on the profile only: a fact there could never hold
    (("facts", "gongmao-special.yaml"), "applies_when: {attr: enterprise.sector, in: [工贸]}",
     "applies_when: {fact: confined_space_identified, eq: false}", "applies_when"),
    (("gongmao-2023", "article-03.yaml"), "id: gongmao-2023/3-2", "id: gongmao-2023/3-1", "重复"),
    (("gongmao-2023", "article-03.yaml"), "fact: special_ops_workers_certified, eq: false}",
     "fact: special_ops_workers_certified, eq: 否}", "是/否题"),
    (("gongmao-2017", "standard.yaml"), 'last_day: "2023-05-14"', 'last_day: "2023-05-13"', "last_day"),
], ids=["unknown-fact", "unknown-article", "reached-by-unknown", "reached-by-in-condition",
        "fact-penalty-scope", "duplicate-id", "wrong-value-type", "successor-dates"])
def test_broken_data_is_refused(data_copy, path, old, new, message):
    _edit(data_copy.joinpath(*path), old, new)
    with pytest.raises(DataError, match=message):
        load_catalog(data_copy)


def test_schema_error_names_the_line(data_copy):
    _edit(data_copy / "gongmao-2023" / "article-03.yaml", "    verified: true\n",
          "    verified: 是的\n")
    with pytest.raises(InputError) as err:
        load_catalog(data_copy)
    assert "article-03.yaml" in str(err.value) and "第 " in str(err.value)


def test_not_in_a_standard_folder(data_copy):
    (data_copy / "gongmao-2017" / "article-03.yaml").write_text(
        (data_copy / "gongmao-2023" / "article-03.yaml").read_text("utf-8"), "utf-8")
    with pytest.raises(DataError, match="目录"):
        load_catalog(data_copy)
