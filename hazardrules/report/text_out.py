"""The report for people: plain text (terminal) and Markdown share one layout."""

from __future__ import annotations

from ..answers import display
from ..explain import trace_lines, use_catalog
from ..judge import NOTICE, Report, Verdict
from .common import CLAIM_TEXT, REASON_TEXT, STATUS_TEXT, UNVERIFIED, level_label


def _criterion_block(v: Verdict, report: Report, md: bool, full: bool) -> list[str]:
    lines: list[str] = []
    bullet = "- " if md else "  "
    catalog = report.catalog
    for r in v.results:
        if r.status not in ("met",) and not full:
            continue
        if r.status == "not_applicable" and r.criterion.id != v.finding.claimed_criterion:
            continue  # shared facts reach items of other industries: not worth a line
        c = r.criterion
        std = catalog.standards[c.standard]
        flag = "条文已核实" if c.verified else UNVERIFIED
        lines.append(f"{bullet}依据：{std.name}{c.clause}（{STATUS_TEXT[r.status]}；{flag}）")
        lines.append(f"{bullet}  条文：{c.text}")
        if full:
            lines.extend(("    " if md else "    ") + t for t in trace_lines(r.trace))
        if r.status != "met":
            continue
        for p in c.penalties:
            art = catalog.articles[p.article]
            note = "" if p.verified else "（对应关系为解读，待核实）"
            lines.append(f"{bullet}  处罚条款：{art.name}{note}")
    return lines


def verdict_lines(v: Verdict, report: Report, md: bool = False, full: bool = False) -> list[str]:
    f = v.finding
    title = f"[{f.id}] {level_label(v)}"
    where = "，".join(x for x in (f.location, f.description) if x)
    lines = [f"### {title}" if md else title]
    bullet = "- " if md else "  "
    if where:
        lines.append(f"{bullet}发现：{where}")
    hypothetical = v.as_of is not None and v.as_of != v.finding.observed_on
    lines.append(f"{bullet}判定日期：{v.judged_on}" + ("（按指定日期判定的假设情形）" if hypothetical else ""))
    if f.facts and full:
        answers = "；".join(f"{report.catalog.facts[k].question} {display(a)}"
                           for k, a in f.facts.items())
        lines.append(f"{bullet}回答：{answers}")
    lines.extend(_criterion_block(v, report, md, full or v.level != "major"))
    for std, p in v.provisions(report.catalog):
        flag = "" if p.verified else f"（{UNVERIFIED}）"
        lines.append(f"{bullet}并依：{std.name}{p.clause}{flag}：{p.text}")
    if v.site is not None:
        rules = "、".join(r.criterion.clause for r in v.site.met)
        lines.append(f"{bullet}依据：所在场所“{v.site.name}”综合判定成立（{v.site.standard.name}{rules}），"
                     "本发现是计入的判定要素之一")
    if v.by_definition:
        d = report.catalog.definition
        lines.append(f"{bullet}依据：{d.document}{d.clause}（重大事故隐患的定义）"
                     + ("" if d.verified else f"（{UNVERIFIED}）"))
        lines.append(f"{bullet}  条文：{d.text}")
    if v.claim is not None:
        lines.append(f"{bullet}检查人员认为的条款 {v.claim.criterion_id}："
                     f"{CLAIM_TEXT[v.claim.status]}——{v.claim.message}")
    if v.level == "undetermined":
        reasons = "；".join(REASON_TEXT[r] for r in v.reasons)
        lines.append(f"{bullet}无法判定的原因：{reasons}")
        for text in v.reason_text:
            lines.append(f"{bullet}  {text}")
        for m in v.missing_facts:
            unit = f"（单位：{m['unit']}）" if m.get("unit") else ""
            lines.append(f"{bullet}  待回答：{m['question']}{unit} [{m['fact']}]")
        for j in v.open_judgments:
            lines.append(f"{bullet}  待判断：{j['question']} [{j['id']}]")
    lines.extend(path_lines(v, report, bullet, full))
    if v.level == "general":
        d = report.catalog.definition
        lines.append(f"{bullet}未构成已收录标准所列情形，且按{d.document}{d.clause}"
                     "不需停产停业整改、企业自身能够排除：一般事故隐患")
    return lines


def site_lines(sv, md: bool) -> list[str]:
    bullet = "- " if md else "  "
    label = {"major": f"{sv.standard.hazard_term}（综合判定）", "undetermined": "无法判定",
             "none": "未达到综合判定条件"}[sv.level]
    out = [f"{bullet}[{sv.site_id}] {sv.name}（{'、'.join(sv.place_types) or '未注明场所类别'}）：{label}"]
    present = sorted(k for k, v in sv.elements.items() if v is True)
    out.append(f"{bullet}  存在的判定要素（{len(present)} 项）：" + ("、".join(
        f"{k}（{'、'.join(sv.contributing.get(k, []))}）" for k in present) or "无"))
    for r in sv.rules:
        if r.status in ("met", "undetermined"):
            flag = "" if r.criterion.verified else "（条文待核实）"
            out.append(f"{bullet}  {r.criterion.clause} {STATUS_TEXT[r.status]}{flag}：{r.criterion.text}")
    for m in sv.missing_facts:
        out.append(f"{bullet}  待回答：{m['question']} [{m['fact']}]")
    for j in sv.open_judgments:
        out.append(f"{bullet}  待判断：{j['question']} [{j['id']}]")
    for note in sv.notes:
        out.append(f"{bullet}  注意：{note}")
    if sv.standard.procedure:
        out.append(f"{bullet}  程序：{sv.standard.procedure}")
    return out


def path_lines(v: Verdict, report: Report, bullet: str, full: bool) -> list[str]:
    if v.path is None:
        return []
    out: list[str] = []
    if v.path.steps:
        out.append(f"{bullet}处罚路径（判定建议的一部分，不是处罚决定）：")
    for i, step in enumerate(v.path.steps, 1):
        art = report.catalog.articles[step.article]
        kind = "法律规定" if step.basis == "law" else "解读"
        duty = {True: "应当", False: "可以", None: ""}[step.mandatory]
        tags = "；".join(t for t in (kind, duty, "" if art.verified else "条文待核实") if t)
        if not full:
            sanction = f"——{step.sanction}" if step.sanction else ""
            out.append(f"{bullet}  {i}. {step.step}（{art.name}；{tags}）{sanction}")
            continue
        out.append(f"{bullet}  {i}. {step.step}")
        out.append(f"{bullet}     {art.name}；{tags}；执行：{step.actor}")
        if step.sanction:
            out.append(f"{bullet}     {step.sanction}")
        if step.note:
            out.append(f"{bullet}     注：{step.note}")
    if full:
        for note in v.path.notes:
            out.append(f"{bullet}  说明：{note}")
    if v.path.next_steps:
        out.append(f"{bullet}下一步：" + "；".join(v.path.next_steps))
    return out


def render(report: Report, md: bool = False, full: bool = False) -> str:
    use_catalog(report.catalog)
    c = report.checklist
    e = c.enterprise
    s = report.summary()
    head = "# hazardrules 判定建议" if md else "hazardrules 判定建议（非官方认定）"
    key = f"统一社会信用代码 {e.uscc}" if e.uscc else f"标识 {e.other_key}"
    lines = [head, ""]
    if md:
        lines += [f"> {NOTICE}", ""]
    lines += [
        f"企业：{e.name}（{key}）",
        f"行业领域：{'、'.join(e.sectors)}"
        + (f"；行业：{'、'.join(e.industries)}" if e.industries else "")
        + (f"；风险特征：{'、'.join(e.features)}" if e.features else ""),
        f"检查：{c.inspection_date} {c.inspection['kind']}"
        + (f"，检查人 {c.inspection['inspector']}" if c.inspection.get("inspector") else ""),
        f"数据版本：{report.catalog.version.hash}（截至 {report.catalog.version.as_of}）；"
        f"规则引擎：{report.engine}",
    ]
    if report.as_of and any(v.as_of != v.finding.observed_on for v in report.verdicts):
        lines.append(f"注意：按 {report.as_of} 施行的标准判定（假设情形，不是检查当日的判定）")
    lines.append("")
    if md:
        lines.append("## 检查发现")
        lines.append("")
    for v in report.verdicts:
        lines.extend(verdict_lines(v, report, md, full))
        lines.append("")
    if report.sites:
        lines.append("## 场所综合判定" if md else "场所综合判定：")
        for sv in report.sites:
            lines.extend(site_lines(sv, md))
        lines.append("")
    lines.append("## 汇总" if md else "汇总：")
    lines.append(
        f"重大事故隐患 {s['major']} 项（其中{UNVERIFIED} {s['major_unverified']} 项），"
        f"一般事故隐患 {s['general']} 项，无法判定 {s['undetermined']} 项"
    )
    lines.append("")
    if not md:
        lines.append(f"声明：{NOTICE}")
    return "\n".join(lines) + "\n"
