"""The statistics as an Excel workbook, laid out to go with a 周调度表: a summary sheet with the
figures, the groups, the list of major hazards and the overdue ones."""

from __future__ import annotations

import io

from . import lifecycle as lc
from .stats import GROUP_TEXT, Stats, wan

NOTICE = ("本表由 hazardrules 隐患台账生成。隐患级别为判定建议或记录的认定结果；"
          "重大事故隐患的认定以负有安全生产监督管理职责的部门的决定为准。")
HAZARD_COLUMNS = (
    ("id", "台账编号", 9), ("enterprise", "企业名称", 28), ("enterprise_key", "统一社会信用代码（或其他标识）", 24),
    ("inspection_date", "检查日期", 12), ("inspection_kind", "检查方式", 10), ("finding", "检查发现", 9),
    ("description", "隐患描述", 48), ("status", "状态", 9), ("deadline", "整改期限", 12),
    ("plan_complete", "五落实", 8), ("supervised_by", "挂牌督办", 18), ("suspension", "停产停业/停止使用", 14),
    ("overdue_days", "逾期天数", 9),
)


def workbook_bytes(stats: Stats) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "汇总"
    period = f"{stats.start} 至 {stats.end}" if stats.start else f"截至 {stats.end}"
    ws.append(["重大事故隐患专项排查整治情况（隐患台账统计）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统计期间：{period} 排查发现的隐患；状态截至 {stats.end}"])
    ws.append([])
    ws.append(["指标", "数值", "单位"])
    for cell in ws[4]:
        cell.font = bold
    for label, value, unit in _figure_rows(stats):
        ws.append([label, value, unit])
    ws.append([])
    ws.append([NOTICE])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 8

    if stats.groups:
        gs = wb.create_sheet(f"按{GROUP_TEXT[stats.by]}")
        gs.append([GROUP_TEXT[stats.by], "排查企业（家）", "一般隐患（项）", "一般隐患已整改（项）",
                   "重大事故隐患（项）", "重大事故隐患已整改（项）", "整改率（%）", "挂牌督办（项）",
                   "逾期未整改（项）", "行政处罚（次）", "罚没款（万元）"])
        for name, g in stats.groups:
            gs.append([name, g.enterprises, g.general, g.general_rectified, g.major, g.major_rectified,
                       _pct(g.rate), g.supervised, g.overdue, g.penalties,
                       None if g.fines is None else float(wan(g.fines))])
        _header(gs, bold)
        gs.column_dimensions["A"].width = 36

    for title, rows in (("重大事故隐患清单", stats.majors), ("逾期未整改", stats.overdue)):
        sheet = wb.create_sheet(title)
        sheet.append([label for _key, label, _w in HAZARD_COLUMNS])
        for row in rows:
            sheet.append([_cell(key, row[key]) for key, _label, _w in HAZARD_COLUMNS])
        _header(sheet, bold)
        for i, (_key, _label, w) in enumerate(HAZARD_COLUMNS):
            sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = w
        for cells in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _figure_rows(stats: Stats) -> list[tuple[str, object, str]]:
    f = stats.figures
    return [
        ("排查企业", f.enterprises, "家"),
        ("检查", f.inspections, "次"),
        ("一般隐患", f.general, "项"),
        ("一般隐患已整改", f.general_rectified, "项"),
        ("重大事故隐患", f.major, "项"),
        ("重大事故隐患已整改", f.major_rectified, "项"),
        ("重大事故隐患已销号", f.major_closed, "项"),
        ("重大事故隐患未整改", f.major_open, "项"),
        ("其中整改中", f.major_in_progress, "项"),
        ("整改率", _pct(f.rate), "%"),
        ("挂牌督办", f.supervised, "项"),
        ("挂牌督办已销号", f.supervised_closed, "项"),
        ("逾期未整改", f.overdue, "项"),
        ("待判定", f.undetermined, "项"),
        ("经专家论证撤销", f.withdrawn, "项"),
        ("行政处罚", f.penalties, "次"),
        ("罚没款", float(wan(f.fines or 0)), "万元"),
        ("一案双罚", f.dual_penalties, "起"),
        ("责令停产停业或停止使用", f.suspended_enterprises, "家"),
    ]


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _cell(key: str, value: object) -> object:
    if key == "plan_complete":
        return "齐全" if value else "不全"
    if key == "status" and value == lc.CLOSED:
        return "已销号"
    return value


def _header(sheet, bold) -> None:
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"

