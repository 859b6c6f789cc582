"""The check as one self-contained, printable HTML page: inline CSS, UTF-8, a Chinese font
stack, print rules; evidence photos beside the checklist embedded as data: URIs. Every piece
of user or data text goes through `_e` (HTML-escaped, control characters dropped)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from .. import __version__
from ..answers import display
from ..judge import NOTICE, Report, SiteVerdict, Verdict
from ..report.common import CLAIM_TEXT, REASON_TEXT, STATUS_TEXT, UNVERIFIED, level_label
from .evidence import Evidence, EvidenceReader

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CSS = """
:root { --major: #b00020; --general: #1b5e20; --undetermined: #8a6d00; --line: #ccc; }
* { box-sizing: border-box; }
body { font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
  "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun", sans-serif; line-height: 1.6; color: #222;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #444; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 0 0 .4rem; }
h4 { font-size: 1rem; margin: .8rem 0 .3rem; }
.notice { border: 1px solid var(--major); background: #fff4f4; padding: .6rem .8rem; }
.warning { border: 1px solid var(--undetermined); background: #fffbe6; padding: .6rem .8rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; width: 12rem; }
.summary td, .summary th { text-align: center; width: auto; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--line); padding: .8rem 1rem;
  margin: 1rem 0; }
.finding.major { border-left-color: var(--major); }
.finding.general { border-left-color: var(--general); }
.finding.undetermined { border-left-color: var(--undetermined); }
.badge { display: inline-block; padding: 0 .5rem; border-radius: .3rem; color: #fff; font-size: .9rem; }
.badge.major { background: var(--major); }
.badge.general { background: var(--general); }
.badge.undetermined { background: var(--undetermined); }
.badge.none { background: #666; }
blockquote { margin: .3rem 0 .3rem 1rem; padding-left: .8rem; border-left: 3px solid var(--line);
  color: #333; }
.muted { color: #666; font-size: .9rem; }
.evidence { display: flex; flex-wrap: wrap; gap: .8rem; list-style: none; padding: 0; }
.evidence li { max-width: 14rem; font-size: .85rem; word-break: break-all; }
.evidence img { max-width: 14rem; max-height: 10rem; display: block; border: 1px solid var(--line); }
.bad { color: var(--major); font-weight: bold; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  .finding, .site, table, figure { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(value: Any) -> str:
    return html.escape(_CONTROL.sub("", "" if value is None else str(value)), quote=True)


def render_html(report: Report, evidence: EvidenceReader | None = None) -> str:
    c = report.checklist
    evidence = evidence or EvidenceReader.beside(c.source)
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>重大事故隐患判定建议 — {_e(c.enterprise.name)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>重大事故隐患判定建议</h1>",
        f'<p class="notice"><strong>声明：</strong>{_e(NOTICE)}</p>',
        "</header>",
    ]
    out += _meta(report)
    out += _summary(report)
    out.append(f"<section><h2>检查发现（{len(report.verdicts)} 项）</h2>")
    if not report.verdicts:
        out.append("<p>没有检查发现。</p>")
    for v in report.verdicts:
        out += _finding(v, report, evidence)
    out.append("</section>")
    if report.sites:
        out.append("<section><h2>场所综合判定</h2>")
        for sv in report.sites:
            out += _site(sv)
        out.append("</section>")
    version = report.catalog.version
    out += [
        "<footer>",
        f"<p><strong>声明：</strong>{_e(NOTICE)}</p>",
        f'<p class="muted">hazardrules {_e(__version__)}；规则引擎 {_e(report.engine)}；'
        f"判定数据版本 {_e(version.hash)}（截至 {_e(version.as_of)}）</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _rows(pairs: list[tuple[str, Any]]) -> list[str]:
    return [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in pairs if v not in (None, "", [])]


def _meta(report: Report) -> list[str]:
    c = report.checklist
    e = c.enterprise
    kind_key = ("统一社会信用代码", e.uscc) if e.uscc else ("其他标识", e.other_key)
    out = ["<section>", "<h2>企业与检查</h2>", "<table>"]
    out += _rows([
        ("企业名称", e.name),
        kind_key,
        ("行业领域", "、".join(e.sectors)),
        ("行业", "、".join(e.industries)),
        ("风险特征", "、".join(e.features)),
        ("检查日期", c.inspection_date.isoformat()),
        ("检查类型", c.inspection.get("kind")),
        ("检查人", c.inspection.get("inspector")),
        ("检查说明", c.inspection.get("note")),
        ("检查表文件", Path(c.source).name),
    ])
    out.append("</table>")
    if report.as_of:
        out.append(f'<p class="warning">注意：按 {_e(report.as_of.isoformat())} 施行的标准判定'
                   "（假设情形，不是检查当日的判定）。</p>")
    out.append("</section>")
    return out


def _summary(report: Report) -> list[str]:
    s = report.summary()
    sites = sum(1 for sv in report.sites if sv.level == "major")
    return [
        "<section>",
        "<h2>汇总</h2>",
        '<table class="summary">',
        "<tr><th>重大事故隐患</th><th>其中" + UNVERIFIED + "</th><th>一般事故隐患</th><th>无法判定</th>"
        "<th>合计</th><th>综合判定成立的场所</th></tr>",
        f'<tr><td id="count-major">{s["major"]}</td><td id="count-major-unverified">{s["major_unverified"]}</td>'
        f'<td id="count-general">{s["general"]}</td><td id="count-undetermined">{s["undetermined"]}</td>'
        f'<td id="count-total">{len(report.verdicts)}</td><td id="count-sites">{sites}</td></tr>',
        "</table>",
        "</section>",
    ]


def _finding(v: Verdict, report: Report, evidence: EvidenceReader) -> list[str]:
    f = v.finding
    catalog = report.catalog
    out = [f'<article class="finding {v.level}" id="finding-{_e(f.id)}">',
           f'<h3><span class="badge {v.level}">{_e(level_label(v))}</span> {_e(f.id)}</h3>',
           "<table>"]
    site = f.subject.get("site")
    if site is not None:
        named = next((s.get("name") for s in report.checklist.raw.get("sites", []) if s.get("id") == site), None)
        site = f"{site} {named}" if named else site
    out += _rows([
        ("部位", f.location),
        ("描述", f.description),
        ("场所", site),
        ("观察日期", f.observed_on.isoformat()),
        ("判定日期", v.judged_on.isoformat() + ("（按指定日期判定的假设情形）" if v.as_of else "")),
        ("来源", "由整张问题清单的回答生成" if f.generated else None),
    ])
    out.append("</table>")
    if f.facts:
        out.append("<h4>回答</h4><table>")
        for fact_id, answer in f.facts.items():
            fact = catalog.facts.get(fact_id)
            question = fact.question if fact else fact_id
            out.append(f"<tr><th>{_e(question)}</th><td>{_e(display(answer))}</td></tr>")
        out.append("</table>")
    out += _criteria(v, report)
    if v.claim is not None:
        out.append(f"<p>检查人员认为适用的条款 {_e(v.claim.criterion_id)}："
                   f"<strong>{_e(CLAIM_TEXT[v.claim.status])}</strong>——{_e(v.claim.message)}</p>")
    if v.level == "undetermined":
        out += _open(v)
    if v.level == "general" and catalog.definition is not None:
        d = catalog.definition
        out.append(f"<p>未构成已收录标准所列情形，且按{_e(d.document)}{_e(d.clause)}不需停产停业整改、"
                   "企业自身能够排除：一般事故隐患。</p>")
    out += _path(v, report)
    out += _evidence(evidence.items(f.raw))
    out.append("</article>")
    return out


def _criteria(v: Verdict, report: Report) -> list[str]:
    catalog = report.catalog
    full = v.level != "major"
    items: list[str] = []
    for r in v.results:
        if r.status != "met" and not full:
            continue
        if r.status == "not_applicable" and r.criterion.id != v.finding.claimed_criterion:
            continue
        c = r.criterion
        std = catalog.standards[c.standard]
        flag = "条文已核实" if c.verified else UNVERIFIED
        item = (f"<li><strong>{_e(std.name)}{_e(c.clause)}</strong> {_e(c.title)}"
                f"（{_e(STATUS_TEXT[r.status])}；{_e(flag)}）<blockquote>{_e(c.text)}</blockquote>")
        if r.status == "met" and c.penalties:
            item += "<ul>" + "".join(
                f"<li>处罚条款：{_e(catalog.articles[p.article].name)}"
                f"{'' if p.verified else '（对应关系为解读，待核实）'}</li>" for p in c.penalties) + "</ul>"
        items.append(item + "</li>")
    for std, p in v.provisions(catalog):
        flag = "" if p.verified else f"（{UNVERIFIED}）"
        items.append(f"<li>并依：<strong>{_e(std.name)}{_e(p.clause)}</strong>{_e(flag)}"
                     f"<blockquote>{_e(p.text)}</blockquote></li>")
    if v.site is not None:
        rules = "、".join(r.criterion.clause for r in v.site.met)
        items.append(f"<li>所在场所“{_e(v.site.name)}”综合判定成立（{_e(v.site.standard.name)}{_e(rules)}），"
                     "本发现是计入的判定要素之一</li>")
    if v.by_definition and report.catalog.definition is not None:
        d = report.catalog.definition
        flag = "" if d.verified else f"（{UNVERIFIED}）"
        items.append(f"<li><strong>{_e(d.document)}{_e(d.clause)}</strong>（重大事故隐患的定义）{_e(flag)}"
                     f"<blockquote>{_e(d.text)}</blockquote></li>")
    if not items:
        return []
    return ["<h4>判定依据</h4>", "<ul>", *items, "</ul>"]


def _open(v: Verdict) -> list[str]:
    out = [f"<h4>无法判定的原因</h4><p>{_e('；'.join(REASON_TEXT[r] for r in v.reasons))}</p>"]
    out += [f"<p>{_e(t)}</p>" for t in v.reason_text]
    if v.missing_facts:
        out.append("<p>待回答的问题：</p><ul>")
        for m in v.missing_facts:
            unit = f"（单位：{m['unit']}）" if m.get("unit") else ""
            out.append(f"<li>{_e(m['question'])}{_e(unit)} <span class=\"muted\">[{_e(m['fact'])}]</span></li>")
        out.append("</ul>")
    if v.open_judgments:
        out.append("<p>待判断：</p><ul>")
        out += [f"<li>{_e(j['question'])} <span class=\"muted\">[{_e(j['id'])}]</span></li>"
                for j in v.open_judgments]
        out.append("</ul>")
    return out


def _path(v: Verdict, report: Report) -> list[str]:
    path = v.path
    if path is None or not (path.steps or path.next_steps or path.notes):
        return []
    out = ["<h4>处罚路径（判定建议的一部分，不是处罚决定）</h4>"]
    if path.steps:
        out.append("<ol>")
        for step in path.steps:
            art = report.catalog.articles[step.article]
            kind = "法律规定" if step.basis == "law" else "解读"
            duty = {True: "应当", False: "可以", None: ""}[step.mandatory]
            tags = "；".join(t for t in (kind, duty, "" if art.verified else UNVERIFIED) if t)
            item = (f"<li>{_e(step.step)}<br>"
                    f'<span class="muted">{_e(art.name)}；{_e(tags)}；执行：{_e(step.actor)}</span>')
            if step.sanction:
                item += f"<br>{_e(step.sanction)}"
            if step.note:
                item += f"<br><span class=\"muted\">注：{_e(step.note)}</span>"
            out.append(item + "</li>")
        out.append("</ol>")
    out += [f'<p class="muted">说明：{_e(n)}</p>' for n in path.notes]
    if path.next_steps:
        out.append("<p><strong>下一步：</strong>" + _e("；".join(path.next_steps)) + "</p>")
    return out


def _evidence(items: list[Evidence]) -> list[str]:
    if not items:
        return []
    out = ["<h4>证据</h4>", '<ul class="evidence">']
    for ev in items:
        bad = ev.matches is False
        cls = ' class="bad"' if bad else ""
        parts = ["<li>"]
        uri = ev.data_uri()
        if uri is not None:
            parts.append(f'<figure><img src="{uri}" alt="{_e(ev.ref)}"><figcaption>')
        if ev.kind == "url":
            parts.append(f'<a href="{_e(ev.ref)}">{_e(ev.ref)}</a>')
        else:
            parts.append(_e(ev.ref))
        if ev.note:
            parts.append(f"<br>{_e(ev.note)}")
        if ev.sha256:
            parts.append(f'<br><span class="muted">SHA256 {_e(ev.sha256)}</span>')
        if ev.actual and ev.actual != ev.sha256:
            parts.append(f'<br><span class="muted">文件 SHA256 {_e(ev.actual)}</span>')
        parts.append(f"<br><span{cls}>{_e(ev.status)}</span>")
        if uri is not None:
            parts.append("</figcaption></figure>")
        parts.append("</li>")
        out.append("".join(parts))
    out.append("</ul>")
    return out


def _site(sv: SiteVerdict) -> list[str]:
    label = {"major": f"{sv.standard.hazard_term}（综合判定）", "undetermined": "无法判定",
             "none": "未达到综合判定条件"}[sv.level]
    badge = sv.level if sv.level in ("major", "undetermined") else "none"
    present = sorted(k for k, value in sv.elements.items() if value is True)
    out = [f'<article class="site finding {badge}" id="site-{_e(sv.site_id)}">',
           f'<h3><span class="badge {badge}">{_e(label)}</span> {_e(sv.site_id)} {_e(sv.name)}</h3>',
           f"<p>场所类别：{_e('、'.join(sv.place_types) or '未注明')}；依据：{_e(sv.standard.name)}</p>",
           f"<p>存在的判定要素（{len(present)} 项）：" + (_e("、".join(
               f"{k}（{'、'.join(sv.contributing.get(k, []))}）" for k in present)) or "无") + "</p>"]
    rules = [r for r in sv.rules if r.status in ("met", "undetermined")]
    if rules:
        out.append("<ul>")
        for r in rules:
            flag = "" if r.criterion.verified else f"（{UNVERIFIED}）"
            out.append(f"<li><strong>{_e(r.criterion.clause)}</strong> {_e(STATUS_TEXT[r.status])}{_e(flag)}"
                       f"<blockquote>{_e(r.criterion.text)}</blockquote></li>")
        out.append("</ul>")
    if sv.missing_facts:
        out.append("<p>待回答的问题：</p><ul>")
        out += [f"<li>{_e(m['question'])} <span class=\"muted\">[{_e(m['fact'])}]</span></li>"
                for m in sv.missing_facts]
        out.append("</ul>")
    if sv.open_judgments:
        out.append("<p>待判断：</p><ul>")
        out += [f"<li>{_e(j['question'])}</li>" for j in sv.open_judgments]
        out.append("</ul>")
    out += [f"<p>注意：{_e(note)}</p>" for note in sv.notes]
    if sv.standard.procedure:
        out.append(f'<p class="muted">程序：{_e(sv.standard.procedure)}</p>')
    out.append("</article>")
    return out
