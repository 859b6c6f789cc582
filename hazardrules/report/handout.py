"""A case as a trainer tells it: story, findings one by one with verdict, clause text and trace,
penalty path and lesson — as text, Markdown or a printable self-contained HTML handout."""

from __future__ import annotations

import html

from ..cases import Case
from ..explain import trace_lines, use_catalog
from ..judge import NOTICE, Report
from .common import level_label
from .text_out import path_lines


def _sources(case: Case) -> list[str]:
    meta = case.raw["case"]
    out = [meta["source"]]
    for s in meta.get("sources", []):
        parts = [s["citation"], s.get("issuer"), s.get("date"), s.get("url")]
        out.append("，".join(p for p in parts if p))
    return out


def _framing(case: Case, report: Report) -> list[str]:
    meta = case.raw["case"]
    lines = []
    if case.as_of:
        view = "（反事实教学视角：事件发生时该标准尚未施行）" if meta.get("counterfactual") else ""
        lines.append(f"按 {case.as_of} 施行的标准判定{view}")
    if meta.get("pending"):
        lines.append(f"待定：{meta['pending']}")
    return lines


def render_markdown(case: Case, report: Report) -> str:
    use_catalog(report.catalog)
    meta = case.raw["case"]
    out = [f"# {case.name}", "", f"> {NOTICE}", ""]
    out += [f"*{line}*" for line in _framing(case, report)]
    if meta.get("story"):
        out += ["## 经过", "", meta["story"], ""]
    out += ["## 检查发现与判定", ""]
    for v in report.verdicts:
        out.append(f"### {v.finding.id} {level_label(v)}")
        if v.finding.description:
            out.append(f"- 发现：{v.finding.description}")
        for r in v.results:
            if r.status == "not_applicable":
                continue
            std = report.catalog.standards[r.criterion.standard]
            out.append(f"- {std.name}{r.criterion.clause}：{r.criterion.text}")
            out += ["    " + line for line in trace_lines(r.trace)]
        out += path_lines(v, report, "- ", full=False)
        out.append("")
    if meta.get("lesson"):
        out += ["## 启示", "", meta["lesson"], ""]
    out += ["## 来源", ""] + [f"- {s}" for s in _sources(case)]
    return "\n".join(out) + "\n"


def render_text(case: Case, report: Report) -> str:
    return render_markdown(case, report).replace("### ", "").replace("## ", "").replace("# ", "")


_CSS = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","Songti SC",serif;max-width:48em;
margin:2em auto;line-height:1.6;color:#111}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #999}h3{font-size:1.05em}
.notice{border:1px solid #c00;padding:.5em;color:#900}.major{color:#b00}.general{color:#060}
.undetermined{color:#a60}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em}
pre{white-space:pre-wrap;font-size:.9em;background:#f6f6f6;padding:.5em}
@media print{body{margin:0}.notice{border-color:#000;color:#000}}
"""


def render_html(case: Case, report: Report) -> str:
    use_catalog(report.catalog)
    e = html.escape
    meta = case.raw["case"]
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
             f"<title>{e(case.name)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
             f"<h1>{e(case.name)}</h1>", f'<p class="notice">{e(NOTICE)}</p>']
    parts += [f"<p><em>{e(line)}</em></p>" for line in _framing(case, report)]
    if meta.get("story"):
        parts += ["<h2>经过</h2>", f"<p>{e(meta['story'])}</p>"]
    parts += ["<h2>判定一览</h2>", "<table>", "<tr><th>编号</th><th>发现</th><th>判定</th><th>依据</th></tr>"]
    for v in report.verdicts:
        basis = "；".join(f"{r.criterion.clause}" for r in v.met) or ("场所综合判定" if v.site else "—")
        parts.append(f'<tr><td>{e(v.finding.id)}</td><td>{e(v.finding.description or "")}</td>'
                     f'<td class="{v.level}">{e(level_label(v))}</td><td>{e(basis)}</td></tr>')
    parts.append("</table>")
    parts.append("<h2>逐条说明</h2>")
    for v in report.verdicts:
        parts.append(f'<h3 class="{v.level}">{e(v.finding.id)} {e(level_label(v))}</h3>')
        for r in v.results:
            if r.status == "not_applicable":
                continue
            std = report.catalog.standards[r.criterion.standard]
            flag = "" if r.criterion.verified else "（条文待核实）"
            parts.append(f"<p><strong>{e(std.name + r.criterion.clause)}</strong>{e(flag)}："
                         f"{e(r.criterion.text)}</p>")
            parts.append(f"<pre>{e(chr(10).join(trace_lines(r.trace)))}</pre>")
        path = path_lines(v, report, "", full=False)
        if path:
            parts.append(f"<pre>{e(chr(10).join(path))}</pre>")
    if meta.get("lesson"):
        parts += ["<h2>启示</h2>", f"<p>{e(meta['lesson'])}</p>"]
    parts += ["<h2>来源</h2>", "<ul>"] + [f"<li>{e(s)}</li>" for s in _sources(case)] + ["</ul>"]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
