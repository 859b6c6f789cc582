"""Excel checklists as people keep them: merged header cells, merged finding cells over several
answer rows, blank rows, formulas (their cached values), dates as dates; every cell error names
the sheet, row and column; broken and hostile files are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from openpyxl import Workbook

from hazardrules.io import xlsx_in
from hazardrules.io.tables import read_table

SHEET = "隐患排查表"


def people_workbook() -> Workbook:
    """A ledger-like sheet as an enterprise might keep it."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "2026年3月隐患排查记录"
    ws.merge_cells("A1:I1")
    profile = [("企业名称", "示例铝业压延有限公司"), ("统一社会信用代码：", "91350100M000100Y43"),
               ("行业领域", "工贸"), ("行业", "有色"), ("检查日期", dt.datetime(2026, 3, 10)),
               ("检查类型", "企业自查")]
    for r, (label, value) in enumerate(profile, 2):
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=value)
    # row 8 blank; a two-row header with merged group labels in rows 9-10
    for col, label in (("A", "检查发现编号"), ("B", "部位"), ("C", "隐患描述"), ("I", "备注")):
        ws[f"{col}9"] = label
        ws.merge_cells(f"{col}9:{col}10")
    ws["D9"] = "检查项"
    ws.merge_cells("D9:E9")
    ws["D10"], ws["E10"] = "编号", "回答"
    ws["F9"] = "整改"
    ws.merge_cells("F9:H9")
    ws["F10"], ws["G10"], ws["H10"] = "措施", "期限", "状态"
    ws.append(["F1", "配电室", "检修电工无证上岗", "special_ops_workers_certified", "否", "送培取证",
               dt.datetime(2026, 3, 20), "整改中", "见照片"])
    ws.append([])  # row 12 blank
    rows = [("contractors_coordinated", '=IF(1,"是","否")'), ("contractors_inspected_regularly", "是"),
            ("needs_shutdown_to_fix", "否"), ("cannot_remove_alone", "否")]
    for r, (fact, answer) in enumerate(rows, 13):
        ws.cell(row=r, column=4, value=fact)
        ws.cell(row=r, column=5, value=answer)
    ws["A13"], ws["B13"], ws["C13"] = "F2", "外包设备维修", "检查记录缺少签字"
    for col in "ABC":
        ws.merge_cells(f"{col}13:{col}16")
    return wb


def save(wb: Workbook, path, cached: dict[str, str] | None = None) -> None:
    """Save; `cached` gives formula cells the value Excel would have stored with them."""
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if cached:
        data = _rewrite(data, "xl/worksheets/sheet1.xml", lambda xml: _cache(xml, cached))
    path.write_bytes(data)


def _cache(xml: bytes, cached: dict[str, str]) -> bytes:
    for ref, value in cached.items():
        xml, n = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>'.encode(),
                         rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>'.encode(), xml)
        assert n == 1, ref
    return xml


def _rewrite(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    assert member in source.namelist(), member
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == member else body)
    return out.getvalue()


def test_people_workbook_reads_as_its_yaml_would(tmp_path, catalog, run):
    path = tmp_path / "记录.xlsx"
    save(people_workbook(), path, cached={"E13": "是"})
    data, cells = read_table(path, catalog)
    assert data["enterprise"]["uscc"] == "91350100M000100Y43"  # label with a full-width colon
    assert data["inspection"]["date"] == "2026-03-10"  # an Excel date
    f1, f2 = data["findings"]
    assert f1["rectification"] == {"note": "送培取证", "deadline": "2026-03-20", "status": "整改中"}
    assert f2["location"] == "外包设备维修" and f2["description"] == "检查记录缺少签字"
    assert f2["facts"] == {"contractors_coordinated": "是", "contractors_inspected_regularly": "是",
                           "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}
    assert cells[("findings", 1, "facts", "contractors_coordinated")] == f"工作表“{SHEET}” 第 13 行 E 列“回答”"
    code, out, err = run("check", path, "--format", "json")
    assert code == 1, err
    levels = {f["id"]: f["level"] for f in json.loads(out)["findings"]}
    assert levels == {"F1": "major", "F2": "general"}


def _refused(tmp_path, run, wb=None, data=None, name="bad.xlsx", cached=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        save(wb, path, cached)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err = run("check", path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert code == 2, out
    assert name in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(("cell", "value", "where", "what"), [
    ("E11", "也许", "第 11 行 E 列“回答”", "也许"),
    ("E11", "#N/A", "第 11 行 E 列“回答”", "#N/A"),
    ("D14", "no_such_question", "第 14 行 D 列“检查项编号”", "no_such_question"),
    ("B3", 91350100000000000, "第 3 行 B 列“统一社会信用代码：”", "数字"),
    ("B3", "91350100M000100Y44", "第 3 行 B 列“统一社会信用代码：”", "校验位"),
    ("G11", "下周", "第 11 行 G 列“整改期限”", "不是日期"),
    ("G11", "2026-02-30", "第 11 行 G 列“整改期限”", "不存在"),
    ("H11", "做完了", "第 11 行 H 列“整改状态”", "已整改"),
    ("A11", "F 1", "第 11 行 A 列“检查发现编号”", "写法不对"),
])
def test_cell_errors_name_sheet_row_and_column(tmp_path, run, cell, value, where, what):
    wb = people_workbook()
    wb[SHEET][cell] = value
    err = _refused(tmp_path, run, wb, cached={"E13": "是"})
    assert f"工作表“{SHEET}” {where}" in err and what in err, err


def test_formula_without_a_cached_value_is_refused_not_read_as_blank(tmp_path, run):
    err = _refused(tmp_path, run, people_workbook())
    assert f"工作表“{SHEET}” 第 13 行 E 列“回答”" in err and "公式" in err, err


def test_a_broken_cell_in_a_remarks_column_does_not_matter(tmp_path, catalog):
    wb = people_workbook()
    wb[SHEET]["I11"] = "#DIV/0!"
    path = tmp_path / "ok.xlsx"
    save(wb, path, cached={"E13": "是"})
    assert read_table(path, catalog)[0]["findings"][0]["id"] == "F1"


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_workbooks_are_refused(tmp_path, run, cut):
    buffer = io.BytesIO()
    people_workbook().save(buffer)
    data = buffer.getvalue()
    err = _refused(tmp_path, run, data=data[: int(len(data) * cut)])
    assert "不是有效的 .xlsx 文件" in err


def test_other_files_named_xlsx_are_refused(tmp_path, run):
    assert "不是有效的 .xlsx 文件" in _refused(tmp_path, run, data="企业名称,某企业\n".encode())
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "不是有效的 .xlsx 文件" in _refused(tmp_path, run, data=plain_zip.getvalue())
    code, _, err = run("check", tmp_path / "old.xls")
    assert code == 2 and "另存为" in err


def test_xml_entities_are_refused_before_parsing(tmp_path, run):
    buffer = io.BytesIO()
    people_workbook().save(buffer)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>')
    data = _rewrite(buffer.getvalue(), "xl/workbook.xml",
                    lambda xml: bomb + xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else bomb + xml)
    assert "DTD" in _refused(tmp_path, run, data=data)


def test_limits_on_rows_and_expansion(tmp_path, run, monkeypatch):
    monkeypatch.setattr(xlsx_in, "MAX_ROWS", 12)
    err = _refused(tmp_path, run, people_workbook(), cached={"E13": "是"})
    assert f"工作表“{SHEET}”有 16 行，上限为 12 行" in err
    monkeypatch.setattr(xlsx_in, "MAX_ROWS", 10_000)
    monkeypatch.setattr(xlsx_in, "MAX_UNZIPPED", 1000)
    assert "解压后过大" in _refused(tmp_path, run, people_workbook(), cached={"E13": "是"})


def test_a_stray_styled_cell_far_below_does_not_count_as_a_row(tmp_path, catalog, monkeypatch):
    monkeypatch.setattr(xlsx_in, "MAX_ROWS", 20)
    wb = people_workbook()
    wb[SHEET]["A5000"].number_format = "@"  # formatted, empty
    path = tmp_path / "styled.xlsx"
    save(wb, path, cached={"E13": "是"})
    assert len(read_table(path, catalog)[0]["findings"]) == 2


def test_a_description_that_looks_like_a_formula_stays_text(tmp_path, catalog):
    wb = people_workbook()
    wb[SHEET]["C11"] = "'=电工无证"  # how Excel keeps text that starts with "="
    path = tmp_path / "text.xlsx"
    save(wb, path, cached={"E13": "是"})
    assert read_table(path, catalog)[0]["findings"][0]["description"] == "'=电工无证"


def test_a_zip_needing_an_unknown_version_is_refused(tmp_path, run):
    """zipfile raises NotImplementedError for it (found by the long fuzz run)."""
    buffer = io.BytesIO()
    people_workbook().save(buffer)
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = (84).to_bytes(2, "little")  # version needed to extract: 8.4
    assert "不是有效的 .xlsx 文件" in _refused(tmp_path, run, data=bytes(data))
