"""A blank checklist as an Excel workbook: the questions that apply to one enterprise profile,
with an answer column Excel restricts to each question's type, stamped with the template
format and fact-vocabulary versions so that `check` can tell an old template from a new one.

Sheets: 说明 (how to fill in, versions), 企业概况, 检查项 (one row per question), 检查发现
(findings with location, description, evidence, rectification), 场所, and a hidden 选项 sheet
holding the drop-down lists. `check` reads the filled-in workbook as it is (README, 表格检查表).
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .. import __version__
from ..catalog import Catalog
from ..checklist import Enterprise
from ..judge import NOTICE
from ..model import Fact
from ..template import Question, applicable_questions
from .layout import (
    ENTRY_HEADER,
    SHEET_FINDINGS,
    SHEET_PROFILE,
    SHEET_QUESTIONS,
    SHEET_README,
    SHEET_SITES,
    TEMPLATE_FORMAT,
)
from .xlsx_out import BOX, DATE_FORMAT, WRAP, header, landscape, put, to_bytes

SPECIAL = ("不清楚", "不适用")
BOOL_ANSWERS = ("是", "否") + SPECIAL
KINDS = ("企业自查", "部门帮扶", "执法检查", "专家查")
STATUSES = ("未整改", "整改中", "已整改", "已验收")
OPTIONS = "选项"
FINDING_ROWS = 200  # blank finding rows prepared with drop-downs
QUESTION_HEADER = ("序号", "检查项编号", "范围", "问题", "回答", "单位", "填写方式", "依据条款", "说明")
QUESTION_WIDTHS = {"序号": 6, "检查项编号": 24, "范围": 8, "问题": 60, "回答": 12, "单位": 8, "填写方式": 22,
                   "依据条款": 30, "说明": 60}
FINDING_WIDTHS = {"检查发现编号": 12, "场所编号": 10, "部位": 16, "隐患描述": 40, "观察日期": 12,
                  "检查项编号": 24, "回答": 10, "认为适用的条款编号": 20, "整改状态": 10, "整改期限": 12,
                  "整改措施": 30, "当场整改": 8, "报告监管部门日期": 14, "向职工报告日期": 14,
                  "证据文件或网址": 30, "证据SHA256": 30, "证据说明": 20, "备注": 20}
DATE_COLUMNS = ("观察日期", "整改期限", "报告监管部门日期", "向职工报告日期")


def answer_hint(fact: Fact) -> str:
    if fact.type == "bool":
        return "是 / 否 / 不清楚 / 不适用"
    if fact.type == "number":
        return f"数字（单位：{fact.unit}）/ 不清楚 / 不适用" if fact.unit else "数字 / 不清楚 / 不适用"
    if fact.type == "choice":
        return " / ".join(fact.choices) + " / 不清楚 / 不适用"
    return "日期 / 不清楚 / 不适用"


def clauses(catalog: Catalog, question: Question) -> str:
    text = "、".join(f"{catalog.standards[c.standard].short_title or c.standard}{c.clause}"
                    for c in question.criteria)
    if text:
        return text
    d = catalog.definition
    return f"{d.document}{d.clause}（重大事故隐患的定义）" if d else ""


class _Lists:
    """Drop-down lists kept on the hidden 选项 sheet, each behind a workbook name."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.ws = wb.create_sheet(OPTIONS)
        self.ws.sheet_state = "hidden"
        self.names: dict[tuple[str, ...], str] = {}

    def name(self, values: tuple[str, ...]) -> str:
        if values not in self.names:
            col = len(self.names) + 1
            for row, value in enumerate(values, 1):
                put(self.ws, row, col, value)
            letter = get_column_letter(col)
            name = f"hr_list_{col}"
            ref = f"{quote_sheetname(OPTIONS)}!${letter}$1:${letter}${len(values)}"
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
            self.names[values] = name
        return self.names[values]

    def validation(self, ws, values: tuple[str, ...], cells: str, strict: bool = True,
                   prompt: str | None = None) -> None:
        dv = DataValidation(type="list", formula1=self.name(values), allow_blank=True,
                            showErrorMessage=True, errorStyle="stop" if strict else "information",
                            errorTitle="请从下拉列表中选择", error="请选择：" + " / ".join(values)[:200])
        if prompt:
            dv.promptTitle, dv.prompt, dv.showInputMessage = "填写方式", prompt[:250], True
        ws.add_data_validation(dv)
        dv.add(cells)


def _typed(ws, cell: str, kind: str) -> None:
    """A number or date cell that also accepts 不清楚 / 不适用."""
    formula = f'OR(ISNUMBER({cell}),{cell}="不清楚",{cell}="不适用")'
    what = "数字" if kind == "number" else "日期（如 2026-03-10）"
    dv = DataValidation(type="custom", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="格式不对", error=f"请填写{what}，或 不清楚 / 不适用")
    ws.add_data_validation(dv)
    dv.add(cell)


def render_xlsx(catalog: Catalog, sectors: list[str], industries: list[str], features: list[str],
                day: dt.date) -> bytes:
    questions = applicable_questions(catalog, Enterprise("", sectors, industries, features), day)
    questions = [q for q in questions if q.fact.scope == "enterprise"] + \
        [q for q in questions if q.fact.scope != "enterprise"]
    wb = Workbook()
    readme = wb.active
    readme.title = SHEET_README
    lists = _Lists(wb)
    profile_text = "、".join(sectors) + (f" / {'、'.join(industries)}" if industries else "") + \
        (f" / {'、'.join(features)}" if features else "")
    _readme(readme, catalog, day, profile_text)
    _profile(wb.create_sheet(SHEET_PROFILE), lists, sectors, industries, features, day)
    _questions(wb.create_sheet(SHEET_QUESTIONS), lists, catalog, questions)
    _findings(wb.create_sheet(SHEET_FINDINGS), lists, len(questions))
    _sites(wb.create_sheet(SHEET_SITES))
    wb.move_sheet(OPTIONS, offset=len(wb.sheetnames))
    wb.active = 0
    return to_bytes(wb)


def _readme(ws, catalog: Catalog, day: dt.date, profile_text: str) -> None:
    v = catalog.version
    put(ws, 1, 1, "hazardrules 检查表模板").font = Font(bold=True, size=14)
    lines = [
        f"按企业概况（{profile_text}）生成，只含适用于该企业的问题。"
        "填写后用命令 hazardrules check 本文件.xlsx 作出判定建议。",
        f"一、在“{SHEET_PROFILE}”中填写企业名称、统一社会信用代码（没有代码的填写“其他标识”）、检查日期、检查类型和检查人。",
        f"二、在“{SHEET_QUESTIONS}”的“回答”列逐项回答：是 / 否 / 不清楚 / 不适用（从下拉列表选择）；"
        "数值按“单位”列填写数字；选项从下拉列表选择。留空等于“不清楚”，不会当作“否”。",
        f"三、需要单独记录的隐患（部位、描述、照片、整改）填在“{SHEET_FINDINGS}”，一行回答一个检查项；"
        "同一隐患涉及多个检查项时，用同一个检查发现编号写多行，部位、描述等写在第一行即可。",
        f"四、涉及按场所综合判定的（如火灾隐患），在“{SHEET_SITES}”中登记场所，并在检查发现中填写场所编号。",
        "五、请勿修改检查项编号和下面的版本信息：读取时据此确认问题的含义没有改变。",
        f"声明：{NOTICE}",
    ]
    for row, text in enumerate(lines, 3):
        put(ws, row, 1, text, wrap=True)
    stamps = [("模板格式版本", TEMPLATE_FORMAT), ("判定数据版本", v.hash), ("判定数据截至", v.as_of),
              ("出题日期", day.isoformat()), ("生成时的企业概况", profile_text),
              ("生成工具", f"hazardrules {__version__}")]
    start = len(lines) + 4
    for i, (label, value) in enumerate(stamps):
        put(ws, start + i, 1, label).font = Font(bold=True)
        put(ws, start + i, 2, value)
    ws.column_dimensions["A"].width = 100
    ws.column_dimensions["B"].width = 30


def _profile(ws, lists: _Lists, sectors, industries, features, day: dt.date) -> None:
    header(ws, 1, ("项目", "填写内容", "说明"), {"项目": 18, "填写内容": 36, "说明": 60})
    rows = [
        ("企业名称", None, "必填"),
        ("统一社会信用代码", None, "18 位（GB 32100）；没有统一社会信用代码的，填写下一行“其他标识”"),
        ("其他标识", None, "无统一社会信用代码时填写（如无证经营者的身份证号、地址等）"),
        ("行业领域", "、".join(sectors), "生成模板时的企业概况；多个用“、”分隔"),
        ("行业", "、".join(industries) or None, "如 冶金、有色、建材、机械、轻工、纺织、烟草、商贸"),
        ("风险特征", "、".join(features) or None, "如 粉尘爆炸危险、液氨制冷、有限空间中毒风险"),
        ("检查日期", day, "YYYY-MM-DD"),
        ("检查类型", "企业自查", " / ".join(KINDS)),
        ("检查人", None, ""),
        ("检查说明", None, "可选"),
    ]
    for r, (label, value, note) in enumerate(rows, 2):
        put(ws, r, 1, label).font = Font(bold=True)
        cell = put(ws, r, 2, value)
        cell.number_format = DATE_FORMAT if label == "检查日期" else "@"
        put(ws, r, 3, note, wrap=True)
        if label == "检查类型":
            lists.validation(ws, KINDS, cell.coordinate)
        if label == "检查日期":
            _typed(ws, cell.coordinate, "date")


def _questions(ws, lists: _Lists, catalog: Catalog, questions: list[Question]) -> None:
    header(ws, 1, QUESTION_HEADER, QUESTION_WIDTHS)
    ws.freeze_panes = "E2"
    landscape(ws, "1:1")
    for i, q in enumerate(questions, 1):
        r = i + 1
        fact = q.fact
        values = (i, fact.id, "企业" if fact.scope == "enterprise" else "检查", fact.question, None,
                  fact.unit, answer_hint(fact), clauses(catalog, q), fact.help)
        for col, value in enumerate(values, 1):
            put(ws, r, col, value, wrap=col in (4, 7, 8, 9)).border = BOX
        answer = ws.cell(row=r, column=5).coordinate
        if fact.type == "bool":
            lists.validation(ws, BOOL_ANSWERS, answer)
        elif fact.type == "choice":
            lists.validation(ws, tuple(fact.choices) + SPECIAL, answer)
        else:
            _typed(ws, answer, fact.type)
            if fact.type == "date":
                ws.cell(row=r, column=5).number_format = DATE_FORMAT
    last = len(questions) + 1
    ref = f"{quote_sheetname(SHEET_QUESTIONS)}!$B$2:$B${max(last, 2)}"
    lists.wb.defined_names["hr_facts"] = DefinedName("hr_facts", attr_text=ref)


def _findings(ws, lists: _Lists, n_questions: int) -> None:
    header(ws, 1, ENTRY_HEADER, FINDING_WIDTHS)
    ws.freeze_panes = "B2"
    landscape(ws, "1:1")
    cols = {label: get_column_letter(i) for i, label in enumerate(ENTRY_HEADER, 1)}
    last = FINDING_ROWS + 1
    span = lambda label: f"{cols[label]}2:{cols[label]}{last}"  # noqa: E731
    if n_questions:
        dv = DataValidation(type="list", formula1="hr_facts", allow_blank=True, showErrorMessage=True,
                            errorStyle="information", error="检查项编号不在本模板的“检查项”中")
        ws.add_data_validation(dv)
        dv.add(span("检查项编号"))
    lists.validation(ws, BOOL_ANSWERS, span("回答"), strict=False,
                     prompt="是 / 否 / 不清楚 / 不适用；数值或选项直接填写")
    lists.validation(ws, STATUSES, span("整改状态"))
    lists.validation(ws, ("是", "否"), span("当场整改"))
    for label in DATE_COLUMNS:
        for r in range(2, last + 1):
            ws[f"{cols[label]}{r}"].number_format = DATE_FORMAT
    for label in ("检查发现编号", "场所编号", "检查项编号", "证据SHA256"):
        for r in range(2, last + 1):
            ws[f"{cols[label]}{r}"].number_format = "@"


def _sites(ws) -> None:
    header(ws, 1, ("场所编号", "场所名称", "场所类别", "备注"),
           {"场所编号": 12, "场所名称": 30, "场所类别": 40, "备注": 30})
    for r in range(2, 52):
        ws[f"A{r}"].number_format = "@"
    ws.cell(row=1, column=3).alignment = WRAP
