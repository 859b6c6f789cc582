"""CSV checklists as Chinese Excel saves them: encodings, delimiters, the table layout, and
errors that name the row and column."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re

import pytest

from hazardrules.io import csv_in
from hazardrules.io.tables import read_table

from .conftest import ROOT
from .helpers import EXAMPLE, check_json

FIXTURE = ROOT / "tests" / "fixtures" / "io" / "gongmao-self-check.csv"
TEXT = FIXTURE.read_text(encoding="utf-8")


@pytest.fixture
def yaml_report(run):
    return check_json(run, EXAMPLE)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_every_encoding_gives_the_yaml_verdicts(tmp_path, run, yaml_report, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(TEXT.encode(encoding))
    assert check_json(run, path) == yaml_report


def test_gbk_and_utf8_bom_agree_and_are_really_different_bytes(tmp_path, run):
    gbk, bom = tmp_path / "gbk.csv", tmp_path / "bom.csv"
    gbk.write_bytes(TEXT.encode("gbk"))
    bom.write_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert gbk.read_bytes() != bom.read_bytes()
    assert check_json(run, gbk) == check_json(run, bom)
    assert csv_in.decode(gbk.read_bytes(), "x")[1] == "GB18030/GBK"
    assert csv_in.decode(bom.read_bytes(), "x")[1] == "UTF-8（带 BOM）"


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_delimiters_are_detected(tmp_path, run, yaml_report, delimiter):
    path = tmp_path / "d.csv"
    path.write_text(TEXT.replace(",", delimiter), encoding="utf-8")
    assert csv_in.sniff(path.read_text(encoding="utf-8")) == delimiter
    assert check_json(run, path) == yaml_report


def test_the_dict_is_what_parse_checklist_takes(catalog):
    data, cells = read_table(FIXTURE, catalog)
    assert data["enterprise"]["answers"] == {"metal_smelting_enterprise": "否"}
    assert data["sites"] == [{"id": "S1", "name": "一号压延车间", "place_types": ["生产车间"]}]
    f2 = data["findings"][1]
    assert f2["id"] == "F2" and len(f2["facts"]) == 4  # continuation rows join their finding
    assert f2["location"] == "外包设备维修"
    assert data["findings"][0]["evidence"][0]["ref"] == "photos/F1-配电室.jpg"
    assert cells[("findings", 1, "facts", "cannot_remove_alone")] == "第 15 行 F 列“回答”"


def _broken(tmp_path, run, old, new, encoding="utf-8"):
    assert old in TEXT
    path = tmp_path / "bad.csv"
    path.write_bytes(TEXT.replace(old, new, 1).encode(encoding))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err = run("check", path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # input never modified
    assert code == 2, out
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(("old", "new", "where", "what"), [
    ("special_ops_workers_certified,否", "special_ops_workers_certified,也许", "第 11 行 F 列“回答”", "也许"),
    ("91350100M000100Y43", "91350100M000100Y44", "第 2 行 B 列“统一社会信用代码”", "校验位"),
    ("检查类型,企业自查", "检查类型,自查", "第 6 行 B 列“检查类型”", "企业自查"),
    ("检查日期,2026-03-10", "检查日期,2026-02-30", "第 5 行 B 列“检查日期”", "不存在"),
    ("检查日期,2026-03-10", "检查日期,上周三", "第 5 行 B 列“检查日期”", "不是日期"),
    ("special_equipment_operators_certified", "no_such_question", "第 16 行 E 列“检查项编号”", "no_such_question"),
    ("gongmao-2023/3-2", "gongmao-2023/99-9", "第 11 行 G 列“认为适用的条款编号”", "未知的判定条款"),
    ("F1,S1,", "F1,S9,", "第 11 行 B 列“场所编号”", "S9"),
    ("20856b4a55efd9ead01d", "not-a-hash", "第 11 行 I 列“证据SHA256”", "写法不对"),
    (",,,,contractors_inspected_regularly,是", ",,,,contractors_coordinated,否",
     "第 13 行 F 列“回答”", "重复"),
    (",,,,metal_smelting_enterprise,否", ",,配电室,,metal_smelting_enterprise,否",
     "第 19 行 A 列“检查发现编号”", "没有检查发现编号"),
    ("F2,,,,contractors_inspected_regularly", "F2,,别处,,contractors_inspected_regularly", "第 13 行 C 列“部位”",
     "不一致"),
])
def test_errors_name_the_row_and_column(tmp_path, run, old, new, where, what):
    err = _broken(tmp_path, run, old, new)
    assert where in err and what in err, err
    assert "bad.csv" in err


def test_duplicate_answer_in_a_finding_names_both_rows(tmp_path, run):
    err = _broken(tmp_path, run, ",,,,needs_shutdown_to_fix,否", ",,,,contractors_coordinated,否")
    assert "第 14 行 F 列“回答”" in err and "第 12 行" in err


def test_two_row_header_with_group_labels(tmp_path, catalog):
    text = ("企业名称,某企业\n统一社会信用代码,91350100M000100Y43\n行业领域,工贸\n检查日期,2026-03-10\n"
            "检查类型,企业自查\n"
            "检查发现编号,隐患描述,检查项,,整改,,\n"
            ",,编号,回答,措施,期限,状态\n"
            "F1,电工无证,special_ops_workers_certified,否,送培取证,2026/4/1,整改中\n")
    path = tmp_path / "two.csv"
    path.write_text(text, encoding="utf-8")
    data, _ = read_table(path, catalog)
    f = data["findings"][0]
    assert f["facts"] == {"special_ops_workers_certified": "否"}
    assert f["rectification"] == {"note": "送培取证", "deadline": "2026-04-01", "status": "整改中"}


def test_question_text_stands_in_for_a_missing_id(tmp_path, catalog):
    question = catalog.facts["special_ops_workers_certified"].question
    text = (f"企业名称,某企业\n统一社会信用代码,91350100M000100Y43\n行业领域,工贸\n检查日期,2026-03-10\n"
            f"检查类型,企业自查\n\n序号,问题,回答\n1,\"{question}\",否\n2,（本行是说明，没有回答）,\n")
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8")
    data, _ = read_table(path, catalog)
    assert data["answers"] == {"special_ops_workers_certified": "否"}


def test_blank_lines_and_quoted_line_breaks_keep_line_numbers(tmp_path, run):
    text = TEXT.replace("F3,,成品库,叉车司机张某", "\n\nF3,,\"成品库\n东侧\",叉车司机张某")
    text = text.replace("special_equipment_operators_certified,否", "special_equipment_operators_certified,也许")
    path = tmp_path / "lines.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("check", path)
    assert code == 2 and "第 18 行 F 列“回答”" in err, err


@pytest.mark.parametrize(("data", "what"), [
    (b"", "文件为空"),
    (b"   \n\n", "文件为空"),
    (b"\xff\xfe\x00\xd8", "UTF-16"),
    (bytes(range(128, 256)) * 4, "无法识别文件编码"),
    ("企业名称,某企业\n名称里有\x01控制字符,\n".encode(), None),
    ("说明,这不是检查表\n".encode(), "没有找到检查表内容"),
    ("企业名称,\"没有结束的引号\n".encode() + b"x" * 200_000, "CSV 格式错误"),
])
def test_unreadable_files_are_refused(tmp_path, run, data, what):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    code, _, err = run("check", path)
    assert code == 2, err
    assert "x.csv" in err and "Traceback" not in err
    if what:
        assert what in err, err


def test_control_characters_in_a_used_cell_are_named(tmp_path, run):
    err = _broken(tmp_path, run, "企业名称,示例铝业", "企业名称,示例\x01铝业")
    assert "第 1 行 B 列“企业名称”" in err and "控制字符" in err


def test_limits(tmp_path, run, monkeypatch):
    monkeypatch.setattr(csv_in, "MAX_ROWS", 10)
    path = tmp_path / "long.csv"
    path.write_text(TEXT, encoding="utf-8")
    code, _, err = run("check", path)
    assert code == 2 and "行数超过上限 10 行" in err and "第 11 行" in err
    monkeypatch.setattr("hazardrules.safeyaml.MAX_BYTES", 100)  # the one file-size cap
    code, _, err = run("check", path)
    assert code == 2 and "文件过大" in err


def test_positions_follow_the_documented_format(tmp_path, run):
    err = _broken(tmp_path, run, "special_ops_workers_certified,否", "special_ops_workers_certified,也许")
    assert re.search(r"（第 \d+ 行 [A-Z]+ 列“[^”]+”）", err), err


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_quote_and_a_bar_in_a_cell_do_not_mislead_the_delimiter(tmp_path, run, delimiter):
    """csv.Sniffer alone took "|" here (found by the long fuzz run); the layout's labels decide."""
    rows = list(csv.reader(io.StringIO(TEXT)))
    rows[10][0] = '"|'
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    assert csv_in.sniff(buffer.getvalue()) == delimiter
    path = tmp_path / "q.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    code, _, err = run("check", path)
    assert code == 2 and "第 11 行 A 列“检查发现编号”" in err, err
