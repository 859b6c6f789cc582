"""The check as a 隐患台账 (hazard ledger) workbook, in the columns enterprises keep, so the
ledger comes straight out of the check. Columns the checklist cannot know (责任人, 整改资金,
验收人, 验收日期) are left for the enterprise to fill in.

Sheets: 隐患台账 (one row per hazard found), 待补充 (questions a question-list left open:
not hazards, so not ledger rows), 证据 (every evidence reference with its hash check),
说明 (notice, counts, versions).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .. import __version__
from ..judge import NOTICE, Report, Verdict
from ..report.common import REASON_TEXT, UNVERIFIED, level_label
from .evidence import EvidenceReader
from .xlsx_out import BOX, DATE_FORMAT, header, landscape, put, to_bytes

LEDGER_SHEET = "隐患台账"
LEDGER_COLUMNS = ("序号", "排查日期", "部位", "隐患描述", "隐患级别", "判定依据（标准及条款）", "整改措施",
                  "责任人", "整改期限", "整改资金", "整改状态", "验收人", "验收日期")
EXTRA_COLUMNS = ("检查发现编号", "证据", "判定说明")
WIDTHS = {"序号": 6, "排查日期": 12, "部位": 18, "隐患描述": 40, "隐患级别": 16, "判定依据（标准及条款）": 40,
          "整改措施": 24, "责任人": 10, "整改期限": 12, "整改资金": 10, "整改状态": 10, "验收人": 10,
          "验收日期": 12, "检查发现编号": 14, "证据": 40, "判定说明": 40}
HEADER_ROW = 3


def ledger_rows(report: Report) -> tuple[list[Verdict], list[Verdict]]:
    """Hazards for the ledger, and the open questions of a question list kept apart."""
    rows, open_ = [], []
    for v in report.verdicts:
        (open_ if v.finding.generated and v.level == "undetermined" else rows).append(v)
    return rows, open_


def basis(v: Verdict, report: Report) -> str:
    """判定依据: the standard and clause that decided, or why nothing did."""
    catalog = report.catalog
    parts: list[str] = []
    for r in v.met:
        c = r.criterion
        flag = "" if c.verified else f"（{UNVERIFIED}）"
        parts.append(f"{catalog.standards[c.standard].name}{c.clause}{flag}")
    if v.site is not None:
        rules = "、".join(r.criterion.clause for r in v.site.met)
        parts.append(f"{v.site.standard.name}{rules}（场所“{v.site.name}”综合判定）")
    d = catalog.definition
    if v.by_definition and d is not None:
        parts.append(f"{d.document}{d.clause}（重大事故隐患的定义）")
    if v.level == "general" and d is not None:
        parts.append(f"未构成已收录标准所列情形；{d.document}{d.clause}")
    if v.level == "undetermined":
        parts.append("无法判定：" + "；".join(REASON_TEXT[r] for r in v.reasons))
    return "\n".join(parts)


def explanation(v: Verdict) -> str:
    lines = list(v.reason_text)
    lines += [f"待回答：{m['question']}" for m in v.missing_facts]
    lines += [f"待判断：{j['question']}" for j in v.open_judgments]
    if v.path is not None and v.path.next_steps:
        lines.append("下一步：" + "；".join(v.path.next_steps))
    return "\n".join(lines)


def render_ledger(report: Report, evidence: EvidenceReader | None = None) -> bytes:
    c = report.checklist
    evidence = evidence or EvidenceReader.beside(c.source, embed=False)
    rows, open_ = ledger_rows(report)
    wb = Workbook()
    ws = wb.active
    ws.title = LEDGER_SHEET
    labels = LEDGER_COLUMNS + EXTRA_COLUMNS
    put(ws, 1, 1, "隐患排查治理台账").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(labels))
    e = c.enterprise
    key = f"统一社会信用代码 {e.uscc}" if e.uscc else f"标识 {e.other_key}"
    put(ws, 2, 1, f"企业：{e.name}（{key}）　检查：{c.inspection_date} {c.inspection['kind']}"
        + (f"　检查人：{c.inspection['inspector']}" if c.inspection.get("inspector") else "")
        + "　隐患级别为判定建议，不是官方认定")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(labels))
    header(ws, HEADER_ROW, labels, WIDTHS)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    landscape(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    ev_rows: list[tuple[str, object]] = []
    for n, v in enumerate(rows, 1):
        f = v.finding
        rect = f.rectification
        items = evidence.items(f.raw)
        ev_rows += [(f.id, item) for item in items]
        site = _site_name(report, f.subject.get("site"))
        place = " / ".join(x for x in (site, f.location) if x)
        values = (n, f.observed_on, place or None, f.description, level_label(v), basis(v, report),
                  rect.get("note"), None, rect.get("deadline"), None, rect.get("status"), None, None,
                  f.id, "\n".join(i.summary() for i in items) or None, explanation(v) or None)
        r = HEADER_ROW + n
        for col, value in enumerate(values, 1):
            cell = put(ws, r, col, value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if labels[col - 1] in ("排查日期", "整改期限", "验收日期"):
                cell.number_format = DATE_FORMAT
    _open_sheet(wb.create_sheet("待补充"), open_)
    _evidence_sheet(wb.create_sheet("证据"), ev_rows)
    _about(wb.create_sheet("说明"), report, len(rows), len(open_))
    return to_bytes(wb)


def _site_name(report: Report, site_id: str | None) -> str | None:
    if site_id is None:
        return None
    for site in report.checklist.raw.get("sites", []):
        if site.get("id") == site_id:
            return site.get("name") or site_id
    return site_id


def _open_sheet(ws, verdicts: list[Verdict]) -> None:
    header(ws, 1, ("检查发现编号", "条款或检查项", "无法判定的原因", "待回答的问题"),
           {"检查发现编号": 24, "条款或检查项": 40, "无法判定的原因": 30, "待回答的问题": 80})
    for r, v in enumerate(verdicts, 2):
        put(ws, r, 1, v.finding.id)
        put(ws, r, 2, " ".join(x for x in (v.finding.claimed_criterion, v.finding.description) if x), wrap=True)
        put(ws, r, 3, "；".join(REASON_TEXT[x] for x in v.reasons), wrap=True)
        put(ws, r, 4, "\n".join(m["question"] for m in v.missing_facts)
            or "\n".join(j["question"] for j in v.open_judgments) or None, wrap=True)


def _evidence_sheet(ws, rows) -> None:
    header(ws, 1, ("检查发现编号", "文件或网址", "记录的 SHA256", "文件的 SHA256", "核对结果", "说明"),
           {"检查发现编号": 14, "文件或网址": 40, "记录的 SHA256": 30, "文件的 SHA256": 30, "核对结果": 24,
            "说明": 30})
    for r, (finding_id, ev) in enumerate(rows, 2):
        for col, value in enumerate((finding_id, ev.ref, ev.sha256, ev.actual, ev.status, ev.note), 1):
            put(ws, r, col, value, wrap=True)


def _about(ws, report: Report, n_rows: int, n_open: int) -> None:
    s = report.summary()
    v = report.catalog.version
    lines = [
        ("声明", NOTICE),
        ("台账行数", n_rows),
        ("重大事故隐患", s["major"]),
        (f"其中{UNVERIFIED}", s["major_unverified"]),
        ("一般事故隐患", s["general"]),
        ("无法判定", s["undetermined"]),
        ("问题清单中待补充的问题（不列入台账）", n_open),
        ("判定数据版本", f"{v.hash}（截至 {v.as_of}）"),
        ("生成工具", f"hazardrules {__version__}；规则引擎 {report.engine}"),
    ]
    if report.as_of:
        lines.append(("注意", f"按 {report.as_of} 施行的标准判定（假设情形）"))
    for r, (label, value) in enumerate(lines, 1):
        put(ws, r, 1, label).font = Font(bold=True)
        put(ws, r, 2, value, wrap=True)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 90
