"""Excel workbooks (.xlsx) through openpyxl: cached values of formulas (data_only), dates as
dates, merged cells. The zip and its XML are checked before openpyxl sees them: size after
expansion, member count, integrity, and no DTD (openpyxl without defusedxml would expand
XML entities: the "billion laughs")."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError
from .grid import CellProblem, Sheet, clean
from .limits import HEADER_SCAN, MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED, MAX_ZIP_MEMBERS, read_bytes

OPTION_SHEETS = ("选项",)  # the template's hidden lists, not checklist content
NOT_XLSX = ("不是有效的 .xlsx 文件（可能已损坏、不完整、设置了打开密码，或是改了扩展名的 .xls）；"
            "请在 Excel 中另存为“Excel 工作簿（.xlsx）”")
NO_CACHED_VALUE = ("单元格是公式，但文件中没有保存公式的计算结果（文件可能由程序生成、未经 Excel 保存）；"
                   "请在 Excel 中打开并保存，或直接填写值")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1 << 20


def read_xlsx(path: Path) -> list[Sheet]:
    name = str(path)
    raw = read_bytes(path)
    has_formulas = _inspect_zip(raw, name)
    book = _load(raw, name, data_only=True)
    formulas = _load(raw, name, data_only=False) if has_formulas else None
    sheets = []
    for ws in book.worksheets:
        if ws.title in OPTION_SHEETS:
            continue
        fws = formulas[ws.title] if formulas is not None and ws.title in formulas.sheetnames else None
        sheets.append(_sheet(ws, fws, name))
    return sheets


def _inspect_zip(raw: bytes, name: str) -> bool:
    """Refuse what openpyxl should not open; whether any worksheet holds a formula."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except Exception:  # zipfile raises many kinds on a damaged directory (even NotImplementedError)
        raise InputError(NOT_XLSX, file=name) from None
    formulas = False
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError(f"Excel 文件内部的部件过多（{len(infos)} 个）", file=name)
        expanded = sum(i.file_size for i in infos)
        if expanded > MAX_UNZIPPED:
            raise InputError(f"Excel 文件解压后过大（{expanded} 字节），上限为 {MAX_UNZIPPED} 字节", file=name)
        if "[Content_Types].xml" not in {i.filename for i in infos}:
            raise InputError(NOT_XLSX, file=name)
        try:
            for info in infos:
                if info.flag_bits & 0x1:
                    raise InputError("Excel 文件内容已加密，无法读取", file=name)
                xml = info.filename.endswith((".xml", ".rels", ".vml"))
                sheet = info.filename.startswith("xl/worksheets/")
                found_dtd, found_formula = _scan(archive, info, xml, sheet)
                if found_dtd:
                    raise InputError("Excel 文件含有 XML 文档类型定义（DTD），为防止恶意展开已拒绝读取",
                                     file=name)
                formulas = formulas or found_formula
        except InputError:
            raise
        except Exception:  # a damaged member: bad CRC, truncated stream, unknown compression …
            raise InputError(NOT_XLSX, file=name) from None
    return formulas


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bool, sheet: bool) -> tuple[bool, bool]:
    """Read one member to the end (which checks its CRC); look for a DTD and formulas."""
    dtd = formula = False
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            if xml:
                window = tail + chunk
                dtd = dtd or bool(_DTD.search(window))
                formula = formula or (sheet and bool(_FORMULA.search(window)))
                tail = chunk[-16:]
    return dtd, formula


def _load(raw: bytes, name: str, data_only: bool):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsupported extensions (x14 validations, images)
        try:
            return openpyxl.load_workbook(io.BytesIO(raw), data_only=data_only, keep_links=False)
        except Exception as exc:  # openpyxl raises whatever its parser meets in a broken file
            raise InputError(f"{NOT_XLSX}（{type(exc).__name__}）", file=name) from None


def _cells(ws) -> dict[tuple[int, int], Any]:
    cells = getattr(ws, "_cells", None)  # openpyxl's cell store: only cells present in the file
    if cells is None:
        cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    return cells


def _sheet(ws, fws, name: str) -> Sheet:
    values: dict[tuple[int, int], Any] = {}
    for (r, c), cell in _cells(ws).items():
        if cell.value is None:
            continue
        values[(r, c)] = CellProblem(f"单元格的值是错误 {cell.value}") if cell.data_type == "e" \
            else clean(cell.value)
    if fws is not None:
        for (r, c), cell in _cells(fws).items():
            if cell.data_type == "f" and values.get((r, c)) is None:
                values[(r, c)] = CellProblem(NO_CACHED_VALUE)
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        return Sheet(ws.title, [])
    last_row = max(r for r, _ in values)
    last_col = max(c for _, c in values)
    where = f"工作表“{ws.title}”"
    if last_row > MAX_ROWS:
        raise InputError(f"{where}有 {last_row} 行，上限为 {MAX_ROWS} 行", file=name, position=where)
    if last_col > MAX_COLUMNS:
        raise InputError(f"{where}有 {last_col} 列，上限为 {MAX_COLUMNS} 列", file=name, position=where)
    rows: list[list[Any]] = [[None] * last_col for _ in range(last_row)]
    for (r, c), v in values.items():
        rows[r - 1][c - 1] = v
    return Sheet(ws.title, rows, _merge(ws, rows, last_row, last_col, name, where))


def _merge(ws, rows: list[list[Any]], last_row: int, last_col: int, name: str,
           where: str) -> dict[int, list[Any]]:
    """Merged cells: in data rows the value runs down its column (a finding's description
    merged over its answer rows); in the header rows it spans every merged column too."""
    ranges = [r for r in ws.merged_cells.ranges if r.min_row <= last_row and r.min_col <= last_col]
    budget = MAX_ROWS * MAX_COLUMNS
    for rng in ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row + 1, min(rng.max_row, last_row) + 1):
            rows[r - 1][rng.min_col - 1] = top
        budget -= 1 + rng.max_row - rng.min_row
        if budget < 0:
            raise InputError(f"{where}的合并单元格过多", file=name, position=where)
    header: dict[int, list[Any]] = {}
    for rng in ranges:
        if rng.min_row > HEADER_SCAN:
            continue
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row, min(rng.max_row, last_row, HEADER_SCAN) + 1):
            view = header.setdefault(r - 1, list(rows[r - 1]))
            for c in range(rng.min_col, min(rng.max_col, last_col) + 1):
                view[c - 1] = top
    return header
