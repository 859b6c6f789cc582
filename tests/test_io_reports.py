"""`check --format html` (a self-contained printable report) and `check --format xlsx` (the
隐患台账): produced through the CLI and read back; well-formed HTML, escaped user text, evidence
thumbnails, counts, ledger columns in order."""

from __future__ import annotations

import copy
import hashlib
import re
from html.parser import HTMLParser

import yaml
from openpyxl import load_workbook

from hazardrules.checklist import load_checklist
from hazardrules.io.html_report import render_html
from hazardrules.io.ledger_xlsx import HEADER_ROW, LEDGER_COLUMNS, LEDGER_SHEET
from hazardrules.judge import NOTICE, check

from .conftest import CASES
from .helpers import EXAMPLE, example_checklist

CLAUSE_TEXT = "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(HTMLParser):
    """Every non-void element closed, in order; text collected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}> at {self.getpos()}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:3]
    assert not parser.stack, parser.stack
    return parser


def _write(tmp_path, data, name="检查表.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_html_report_of_the_example(tmp_path, run):
    out = tmp_path / "报告.html"
    code, _, err = run("check", EXAMPLE, "--format", "html", "-o", out)
    assert code == 1, err
    html = out.read_text(encoding="utf-8")
    parsed = parse(html)
    text = "".join(parsed.text)
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "Microsoft YaHei" in html and "@media print" in html
    assert not any(tag in ("script", "link") for tag, _ in parsed.tags)  # self-contained, no scripts
    assert not any("src" in a and not a["src"].startswith("data:") for _, a in parsed.tags)
    for expected in (CLAUSE_TEXT, NOTICE, "示例铝业压延有限公司", "91350100M000100Y43", "第三条第（二）项",
                     "《中华人民共和国安全生产法》第九十七条第（七）项", "是否定期对承包单位、承租单位进行安全检查？",
                     "处罚路径", "photos/F1-配电室.jpg", "文件未找到"):
        assert expected in text, expected
    counts = dict(re.findall(r'<td id="count-([a-z-]+)">(\d+)</td>', html))
    assert counts == {"major": "1", "major-unverified": "0", "general": "1", "undetermined": "2", "total": "4",
                      "sites": "0"}
    assert [a["id"] for t, a in parsed.tags if t == "article"] == ["finding-F1", "finding-F2", "finding-F3",
                                                                    "finding-F4"]


def test_user_text_is_escaped(tmp_path, catalog):
    data = example_checklist()
    data["enterprise"]["name"] = "A&B <b>公司</b>"
    data["findings"][0]["description"] = '<script>alert("x")</script> & "引号"'
    data["findings"][0]["evidence"] = [{"ref": "javascript:alert(1)"}, {"ref": 'https://example.org/a?b=1&c="2"'}]
    report = check(load_checklist(_write(tmp_path, data), catalog), catalog)
    html = render_html(report)
    parsed = parse(html)
    assert "<script>" not in html and "<b>公司</b>" not in html
    text = "".join(parsed.text)
    assert '<script>alert("x")</script> & "引号"' in text and "A&B <b>公司</b>" in text
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert hrefs == ['https://example.org/a?b=1&c="2"']  # javascript: is shown, never linked


def test_local_photos_are_embedded_and_their_hashes_checked(tmp_path, catalog):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "ok.png").write_bytes(PNG)
    (tmp_path / "photos" / "swapped.png").write_bytes(PNG + b"x")
    (tmp_path.parent / "outside.png").write_bytes(PNG)
    good = hashlib.sha256(PNG).hexdigest()
    data = example_checklist()
    data["findings"][0]["evidence"] = [
        {"ref": "photos/ok.png", "sha256": good, "note": "配电柜"},
        {"ref": "photos/swapped.png", "sha256": good},
        {"ref": "../outside.png", "sha256": good},
        {"ref": "photos/none.jpg"},
    ]
    report = check(load_checklist(_write(tmp_path, data), catalog), catalog)
    parsed = parse(render_html(report))
    images = [a for t, a in parsed.tags if t == "img"]
    assert len(images) == 2 and all(a["src"].startswith("data:image/png;base64,") for a in images)
    assert [a["alt"] for a in images] == ["photos/ok.png", "photos/swapped.png"]
    text = "".join(parsed.text)
    assert "SHA256 一致" in text and "SHA256 不一致" in text
    assert "不在检查表所在文件夹内" in text and "文件未找到" in text


def test_site_judgments_are_reported(tmp_path, catalog):
    report = next((r for r in (_try(p, catalog) for p in sorted(CASES.rglob("*.yaml"))) if r and r.sites), None)
    assert report is not None, "no case with site judgments"
    parsed = parse(render_html(report))
    text = "".join(parsed.text)
    assert "场所综合判定" in text
    for sv in report.sites:
        assert sv.name in text
    assert sum(1 for t, a in parsed.tags if t == "article" and a.get("id", "").startswith("site-")) == len(report.sites)


def _try(path, catalog):
    try:
        return check(load_checklist(path, catalog), catalog)
    except Exception:
        return None


def test_ledger_columns_rows_and_counts(tmp_path, run):
    out = tmp_path / "台账.xlsx"
    code, _, err = run("check", EXAMPLE, "--format", "xlsx", "-o", out)
    assert code == 1, err
    wb = load_workbook(out)
    ws = wb[LEDGER_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:13] == ["序号", "排查日期", "部位", "隐患描述", "隐患级别", "判定依据（标准及条款）", "整改措施",
                           "责任人", "整改期限", "整改资金", "整改状态", "验收人", "验收日期"]
    assert tuple(header[:13]) == LEDGER_COLUMNS
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    by_id = {r[header.index("检查发现编号")]: dict(zip(header, r, strict=True)) for r in rows}
    f1 = by_id["F1"]
    assert f1["隐患级别"] == "重大事故隐患"
    basis = f1["判定依据（标准及条款）"]
    assert "第三条第（二）项" in basis and "工贸企业重大事故隐患判定标准" in basis
    assert f1["排查日期"].date().isoformat() == "2026-03-10"
    assert "一号压延车间配电室" in f1["部位"]
    assert "photos/F1-配电室.jpg" in f1["证据"] and "20856b4a55efd9ea" in f1["证据"]
    assert by_id["F2"]["隐患级别"] == "一般事故隐患" and by_id["F4"]["隐患级别"] == "无法判定"
    assert "是否定期对承包单位、承租单位进行安全检查" in by_id["F4"]["判定说明"]
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert (about["重大事故隐患"], about["一般事故隐患"], about["无法判定"], about["台账行数"]) == (1, 1, 2, 4)
    assert about["声明"] == NOTICE
    evidence = list(wb["证据"].iter_rows(min_row=2, values_only=True))
    assert evidence[0][:3] == ("F1", "photos/F1-配电室.jpg",
                               "20856b4a55efd9ead01d27013bddf532811189d01d243cb094829ec1a8d33013")


def test_ledger_keeps_rectification_and_keeps_formulas_out(tmp_path, catalog, run):
    data = example_checklist()
    data["findings"][0]["rectification"] = {"status": "整改中", "deadline": "2026-03-31", "note": "=1+1 送培"}
    data["findings"][1]["description"] = "=HYPERLINK(\"http://example.org\")"
    out = tmp_path / "台账.xlsx"
    code, _, err = run("check", _write(tmp_path, data), "--format", "xlsx", "-o", out)
    assert code == 1, err
    ws = load_workbook(out)[LEDGER_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    first = {h: c for h, c in zip(header, ws[HEADER_ROW + 1], strict=True)}
    assert first["整改状态"].value == "整改中" and first["整改期限"].value.date().isoformat() == "2026-03-31"
    assert first["整改措施"].value == "=1+1 送培" and first["整改措施"].data_type == "s"
    second = {h: c for h, c in zip(header, ws[HEADER_ROW + 2], strict=True)}
    assert second["隐患描述"].data_type == "s"


def test_open_questions_of_a_question_list_are_not_ledger_rows(tmp_path, catalog, run):
    data = copy.deepcopy(example_checklist())
    data["findings"] = []
    data["answers"] = {"contractors_coordinated": None, "special_ops_workers_certified": "否"}
    out = tmp_path / "台账.xlsx"
    code, _, err = run("check", _write(tmp_path, data), "--format", "xlsx", "-o", out)
    assert code == 1, err
    wb = load_workbook(out)
    ids = [r[13] for r in wb[LEDGER_SHEET].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    open_ids = [r[0] for r in wb["待补充"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["Q-gongmao-2023-3-2"]
    assert open_ids == ["Q-gongmao-2023-3-1"]


def test_html_and_xlsx_need_an_output_file(run):
    for fmt in ("html", "xlsx"):
        code, _, err = run("check", EXAMPLE, "--format", fmt)
        assert code == 2 and "-o" in err
