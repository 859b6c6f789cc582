"""Statistics against hand-counted figures on a generated ledger of 25 enterprises.

Each enterprise's checklists are generated, judged by hazardrules.judge.check and recorded;
then each hazard follows a short script (a code below) through the lifecycle. The figures
the seed reports use are counted by hand from the table and compared with Ledger.stats.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from openpyxl import load_workbook

from hazardrules.checklist import parse_checklist
from hazardrules.judge import check
from hazardrules.ledger import Actor, Ledger
from hazardrules.ledger.xlsx import workbook_bytes
from hazardrules.uscc import check_character

from .helpers import minimal_checklist

ENT, INSP, DEPT = Actor("企业负责人", "enterprise"), Actor("检查员", "inspector"), Actor("区应急管理局", "department")
START, END = "2026-03-01", "2026-04-30"
GENERAL = {"special_ops_workers_certified": "是", "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}
MAJOR = {"special_ops_workers_certified": "否"}  # 工贸 第三条第（二）项
BY_DEFINITION = {"needs_shutdown_to_fix": "是"}  # 令第16号 第三条: needs shutdown and time to fix
UNDETERMINED = {"contractors_coordinated": "是", "contractors_inspected_regularly": "不清楚"}

# What each script leaves on 2026-04-30, counted by hand:
# (general, general rectified, major, major rectified, in progress, closed, supervised,
#  supervised closed, overdue, undetermined, withdrawn)
CONTRIB = {
    "G": (1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),       # 立即整改, still open: overdue since the inspection
    "G+": (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),      # rectified
    "G++": (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),     # rectified and closed
    "Gd": (1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),      # 限期整改 by 2026-04-15, not done
    "M": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),       # 待整改, no deadline yet
    "M~": (0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0),      # 整改中 until 2026-05-31
    "M!": (0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0),      # 整改中 until 2026-04-10: overdue
    "M+": (0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0),      # rectified
    "M#": (0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0),      # accepted and closed
    "SM#": (0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0),     # supervised, closed by the department
    "SM~": (0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0),
    "SM!": (0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0),
    "Mz": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),      # suspended by an inspector in the period
    "Mo": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),      # suspension order written in the checklist
    "Mzlate": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),  # suspended on 2026-05-03: after the period
    "M+late": (0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0),  # rectified on 2026-05-10: still 整改中 on 04-30
    "U": (0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
    "U>G": (1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),     # classified general (立即整改) in March
    "U>M": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    "G>M": (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    "MX": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),      # withdrawn after expert review
}
FIELDS = ("general", "general_rectified", "major", "major_rectified", "major_in_progress", "major_closed",
          "supervised", "supervised_closed", "overdue", "undetermined", "withdrawn")

# sector, inspection kind, March findings, April findings (a second inspection)
ROWS = [
    ("工贸", "企业自查", ["G", "G+", "M#"], None),
    ("工贸", "部门帮扶", ["G", "Gd", "SM#"], ["G+"]),
    ("工贸", "执法检查", ["G+", "G++", "M~"], None),
    ("工贸", "专家查", ["Gd", "M!", "U"], None),
    ("工贸", "企业自查", ["G+", "M"], ["G", "M+"]),
    ("工贸", "执法检查", ["Mz", "G+"], None),
    ("工贸", "部门帮扶", ["U>G", "U>M"], None),
    ("工贸", "企业自查", ["G>M", "G+"], None),
    ("工贸", "执法检查", ["MX", "G"], None),
    ("工贸", "专家查", ["SM~", "G++"], None),
    ("工贸", "企业自查", ["M+late", "G+"], None),
    ("工贸", "部门帮扶", ["Mo", "G"], None),
    ("工贸", "执法检查", ["G+", "G+", "G+"], None),
    ("工贸", "企业自查", ["Gd", "M#"], ["G+"]),
    ("工贸", "专家查", ["G", "SM!"], None),
    ("工贸", "部门帮扶", ["G++", "M+"], None),
    ("工贸", "企业自查", ["G+"], None),
    ("工贸", "执法检查", ["U", "G"], None),
    ("工贸", "企业自查", ["M~", "Gd"], ["M#"]),
    ("工贸", "部门帮扶", ["G+", "G", "Mzlate"], None),
    ("危险化学品", "执法检查", ["M#", "U"], None),
    ("危险化学品", "企业自查", ["M", "U>G"], None),
    ("危险化学品", "专家查", ["Mz", "M~"], None),
    ("危险化学品", "部门帮扶", ["U>M", "M+"], None),
]
# (enterprise row, date, article, amount, party, decision, measure)
PENALTIES = [
    (0, "2026-03-15", "aqsf-2021/102", 30000, "unit", "罚〔2026〕1号", "罚款"),
    (0, "2026-03-15", "aqsf-2021/94-para1", 20000, "principal", "罚〔2026〕1号", "罚款"),  # 一案双罚
    (1, "2026-04-01", "aqsf-2021/102", 50000, "unit", None, "罚款"),
    (1, "2026-04-01", "aqsf-2021/96", 10000, "responsible_persons", None, "罚款"),  # same day: 一案双罚
    (2, "2026-04-20", "aqsf-2021/97-item7", 12000, "unit", "罚〔2026〕5号", "停产停业整顿"),
    (3, "2026-02-10", "aqsf-2021/102", 99999, "unit", None, "罚款"),  # before the period
    (4, "2026-05-02", "aqsf-2021/102", 88888, "unit", None, "罚款"),  # after it
    (5, "2026-03-20", "aqsf-2021/94-para1", 20000, "principal", "罚〔2026〕8号", "罚款"),  # a person only
]

# The totals, counted by hand from ROWS, CONTRIB and PENALTIES (see the module docstring).
EXPECTED = {
    "enterprises": 24, "inspections": 28,
    "general": 30, "general_rectified": 16,
    "major": 24, "major_rectified": 8, "major_in_progress": 7, "major_closed": 5,
    "supervised": 3, "supervised_closed": 1, "overdue": 16, "undetermined": 3, "withdrawn": 1,
    "penalties": 6, "fines": 142000, "dual_penalties": 2, "suspended_enterprises": 4,
}


def uscc(i: int) -> str:
    base = f"913501000000{i:05d}"
    return base + check_character(base)


def day(text: str, plus: int) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=plus)).isoformat()


def finding(code: str, n: int, sector: str, on: str) -> dict:
    base = code.lstrip("S")
    if base.startswith("U"):
        facts = UNDETERMINED if sector == "工贸" else {}
    elif base.startswith("M"):
        facts = MAJOR if sector == "工贸" else BY_DEFINITION
    else:
        facts = GENERAL
    f = {"id": f"F{n}", "description": f"脚本 {code}", "facts": facts}
    if code == "Gd":
        f["rectification"] = {"status": "未整改", "deadline": "2026-04-15"}
    if code == "Mo":
        f["situation"] = {"order": {"given_on": on, "kind": "停止使用"}}
    return f


def expected_level(code: str) -> str:
    base = code.lstrip("S")
    return {"U": "undetermined", "M": "major"}.get(base[0], "general")


def plan(deadline: str) -> dict:
    return {"responsibility": "主要负责人", "measures": "整改措施", "funds": "已落实", "deadline": deadline,
            "contingency": "应急预案"}


def run_script(book: Ledger, hid: int, code: str, on: str) -> None:
    """Take a recorded hazard through the steps its code names."""
    d = lambda n: day(on, n)  # noqa: E731
    if code in ("G+", "G++"):
        book.update(hid, "已整改", ENT, on=d(1))
        if code == "G++":
            book.update(hid, "销号", INSP, on=d(2))
    elif code in ("M~", "SM~", "M+late"):
        book.update(hid, "整改中", ENT, on=d(1), plan=plan("2026-05-31"))
        if code == "M+late":
            book.update(hid, "已整改", ENT, on="2026-05-10")
    elif code in ("M!", "SM!"):
        book.update(hid, "整改中", ENT, on=d(1), plan=plan("2026-04-10"))
    elif code in ("M+", "M#", "SM#"):
        book.update(hid, "整改中", ENT, on=d(1), plan=plan("2026-04-30"))
        book.update(hid, "已整改", ENT, on=d(2))
        if code != "M+":
            book.update(hid, "已验收", ENT, on=d(3))
            book.update(hid, "销号", DEPT if code == "SM#" else ENT, on=d(4))
    elif code == "Mz":
        book.suspend(hid, "暂时停产停业", INSP, on=d(1))
    elif code == "Mzlate":
        book.suspend(hid, "停止使用", INSP, on="2026-05-03")
    elif code == "U>G":
        book.reclassify(hid, "一般", "检查人员补充判断", DEPT, on=d(1))
    elif code == "U>M":
        book.reclassify(hid, "重大", "经专家判断为重大", INSP, on=d(1))
    elif code == "G>M":
        book.reclassify(hid, "重大", "需停产整改", ENT, on=d(1))
    elif code == "MX":
        book.update(hid, "已撤销", DEPT, on=d(2), note="不构成隐患", review="专家论证意见（2026）1号")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, catalog):
    path = tmp_path_factory.mktemp("stats") / "台账.sqlite3"
    book = Ledger(path, today=lambda: dt.date(2026, 6, 1))
    inspections: list[tuple[int, str, str, list[str], str]] = []
    for i, (sector, kind, march, april) in enumerate(ROWS):
        inspections.append((i, sector, kind, march, f"2026-03-{i % 20 + 2:02d}"))
        if april:
            inspections.append((i, sector, kind, april, f"2026-04-{i % 20 + 2:02d}"))
    inspections += [(24, "工贸", "执法检查", ["G", "M"], "2026-02-20"),  # before the period
                    (0, "工贸", "企业自查", ["G"], "2026-05-05")]        # after it
    for i, sector, kind, codes, on in inspections:
        industries = ["机械", "有色", "轻工", "纺织"][i % 4:i % 4 + 1] if sector == "工贸" else []
        data = minimal_checklist([finding(c, n, sector, on) for n, c in enumerate(codes, 1)],
                                 name=f"测试企业{i:02d}", uscc=uscc(i), sector=sector, industries=industries)
        data["inspection"] = {"date": on, "kind": kind, "inspector": "检查员"}
        report = check(parse_checklist(data, catalog, f"<企业{i}>", {}), catalog)
        assert [v.level for v in report.verdicts] == [expected_level(c) for c in codes], (i, codes)
        ids = book.record(report).hazard_ids
        for hid, code in zip(ids, codes, strict=True):
            if code.startswith("S"):  # supervised the day after the inspection, before any close-out
                book.supervise(hid, "区应急管理局", DEPT, on=day(on, 1))
            run_script(book, hid, code, on)
    for i, on, article, amount, party, decision, measure in PENALTIES:
        book.add_penalty(uscc(i), on, article, amount=amount, on=party, decision=decision, measure=measure)
    yield book
    book.close()


def by_hand(rows: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """Sum the hand-counted contributions of (sector, kind, codes) rows."""
    total = Counter()
    for _sector, _kind, codes in rows:
        for code in codes:
            total.update(dict(zip(FIELDS, CONTRIB[code], strict=True)))
    return {f: total[f] for f in FIELDS}


def all_rows() -> list[tuple[str, str, list[str]]]:
    return [(s, k, codes) for s, k, march, april in ROWS for codes in (march, april) if codes]


def test_the_hand_count_is_consistent():
    assert by_hand(all_rows()) == {f: EXPECTED[f] for f in FIELDS}
    assert len(ROWS) >= 20


def test_totals_match_the_hand_count(ledger):
    stats = ledger.stats(START, END)
    got = stats.figures.to_dict()
    assert {k: got[k] for k in EXPECTED} == EXPECTED
    assert got["rate"] == pytest.approx((16 + 8) / (30 + 24))
    assert got["major_open"] == 24 - 8
    assert len(stats.majors) == 24 and len(stats.overdue) == 16
    assert all(r["overdue_days"] > 0 for r in stats.overdue)


def test_the_period_and_the_end_day_matter(ledger):
    # after the period closes, the May steps count: M+late rectified, no more 整改中 for it
    later = ledger.stats(START, "2026-05-31").figures
    assert later.major_rectified == 9 and later.major_in_progress == 6
    # the enterprise inspected in February and the May inspection now count; so do May penalties
    everything = ledger.stats(None, "2026-05-31").figures
    assert everything.enterprises == 25 and everything.inspections == 30
    assert everything.penalties == 8 and everything.suspended_enterprises == 5  # + the 2026-05-03 order
    march = ledger.stats(START, "2026-03-31").figures
    assert march.inspections == 24 and march.penalties == 3 and march.fines == 70000


def test_by_sector_and_kind(ledger):
    for by, key in (("sector", 0), ("kind", 1)):
        groups = dict(ledger.stats(START, END, by).groups)
        names = sorted({row[key] for row in ROWS})
        assert sorted(groups) == names
        for name in names:
            want = by_hand([r for r in all_rows() if r[key] == name])
            got = groups[name].to_dict()
            assert {f: got[f] for f in FIELDS} == want, (by, name)
    sectors = dict(ledger.stats(START, END, "sector").groups)
    assert sectors["工贸"].enterprises == 20 and sectors["危险化学品"].enterprises == 4
    assert sectors["工贸"].penalties == 6 and sectors["危险化学品"].penalties == 0
    assert dict(ledger.stats(START, END, "kind").groups)["执法检查"].penalties is None  # not split by kind


def test_by_month_and_enterprise(ledger):
    months = dict(ledger.stats(START, END, "month").groups)
    assert sorted(months) == ["2026-03", "2026-04"]
    march = by_hand([(s, k, m) for s, k, m, _a in ROWS])
    april = by_hand([(s, k, a) for s, k, _m, a in ROWS if a])
    assert {f: months["2026-03"].to_dict()[f] for f in FIELDS} == march
    assert {f: months["2026-04"].to_dict()[f] for f in FIELDS} == april
    assert (months["2026-03"].penalties, months["2026-03"].fines) == (3, 70000)
    assert (months["2026-04"].penalties, months["2026-04"].fines) == (3, 72000)
    assert months["2026-04"].inspections == 4
    enterprises = dict(ledger.stats(START, END, "enterprise").groups)
    assert len(enterprises) == 24
    one = enterprises[f"测试企业01（{uscc(1)}）"]
    assert (one.general, one.general_rectified, one.major, one.supervised, one.inspections) == (3, 1, 1, 1, 2)
    assert (one.penalties, one.fines, one.dual_penalties) == (2, 60000, 1)
    assert enterprises[f"测试企业02（{uscc(2)}）"].suspended_enterprises == 1


def test_by_standard(ledger):
    groups = dict(ledger.stats(START, END, "standard").groups)
    gongmao = groups["gongmao-2023"].to_dict()
    want = by_hand([r for r in all_rows() if r[0] == "工贸"])
    assert {f: gongmao[f] for f in FIELDS} == want
    assert gongmao["penalties"] is None
    # every hazard is in some group
    assert sum(g.major for g in groups.values()) >= EXPECTED["major"]


def test_text_json_and_workbook_show_the_same_figures(ledger):
    from hazardrules.ledger.stats import render_text

    stats = ledger.stats(START, END, "sector")
    text = render_text(stats)
    assert "排查企业 24 家（检查 28 次）" in text
    assert "一般隐患 30 项，已整改 16 项；重大事故隐患 24 项，已整改 8 项" in text
    assert "整改率 44.4%" in text and "挂牌督办 3 项（已销号 1 项）" in text
    assert "行政处罚 6 次，罚没款共计 14.2 万元，“一案双罚” 2 起；责令停产停业或停止使用 4 家" in text
    assert stats.to_dict()["figures"]["fines"] == 142000
    import io

    book = load_workbook(io.BytesIO(workbook_bytes(stats)))
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert summary["排查企业"] == 24 and summary["一般隐患已整改"] == 16 and summary["整改率"] == 44.4
    assert summary["罚没款"] == 14.2 and summary["责令停产停业或停止使用"] == 4
    sectors = {r[0]: r for r in book["按行业领域"].iter_rows(min_row=2, values_only=True)}
    assert sectors["危险化学品"][1] == 4
    majors = list(book["重大事故隐患清单"].iter_rows(min_row=2, values_only=True))
    assert len(majors) == 24
    assert sum(1 for r in majors if r[10] == "区应急管理局") == 3
