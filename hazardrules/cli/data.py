"""The law as data: standards, criteria, articles, templates, validation."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .base import _catalog, _emit, cli


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def standards(ctx, fmt: str) -> int:
    """列出已收录的判定标准：文号、施行日期、状态、已收录/标准条款数、已核实条款数。"""
    from ..api import standards_table

    rows = standards_table(_catalog(ctx))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    catalog = _catalog(ctx)
    for r in rows:
        std = catalog.standards[r["id"]]
        period = f"{r['effective'] or '（施行日未记录）'} 起" + (
            f"，至 {r['last_day']}" if r["last_day"] else "")
        click.echo(f"{r['id']}  {std.name}")
        click.echo(f"    {period}；{r['status']}"
                   + (f"；已被 {r['replaced_by']} 替代" if r["replaced_by"] else ""))
        click.echo(f"    已收录 {r['criteria']}/{r['items_in_standard']} 项，"
                   f"其中条文已核实 {r['verified']} 项")
    return 0


@cli.group()
def criteria() -> None:
    """查看判定条款：条文原文与其判定条件并列。"""


@criteria.command("list")
@click.option("--standard", "standard_id", help="只列出该标准的条款，如 gongmao-2023。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def criteria_list(ctx, standard_id: str | None, fmt: str) -> int:
    """列出条款编号、条款号、标题、条文和核实状态。示例：hazardrules criteria list --standard gongmao-2023"""
    from ..errors import InputError

    catalog = _catalog(ctx.find_root())
    if standard_id is not None and standard_id not in catalog.standards:
        raise InputError(f"未知标准编号“{standard_id}”；已收录：{'、'.join(catalog.standards)}",
                         position="--standard")
    rows = [c for c in catalog.criteria.values()
            if standard_id is None or c.standard == standard_id]
    if fmt == "json":
        click.echo(json.dumps([
            {"id": c.id, "standard": c.standard, "clause": c.clause, "title": c.title,
             "text": c.text, "verified": c.verified} for c in rows], ensure_ascii=False, indent=2))
        return 0
    for c in rows:
        flag = "已核实" if c.verified else "条文待核实"
        click.echo(f"{c.id}  {c.clause}  {c.title}（{flag}）")
        click.echo(f"    {c.text}")
    return 0


@criteria.command("show")
@click.argument("criterion_id")
@click.pass_context
def criteria_show(ctx, criterion_id: str) -> int:
    """显示一个条款：条文原文、判定条件、适用范围、处罚条款、来源和核实状态。"""
    from ..errors import InputError
    from ..explain import node_text

    catalog = _catalog(ctx.find_root())
    c = catalog.criteria.get(criterion_id)
    if c is None:
        raise InputError(f"未知条款编号“{criterion_id}”（可用 hazardrules criteria list 查询）")
    std = catalog.standards[c.standard]
    click.echo(f"{c.id}  {std.name}{c.clause}")
    click.echo(f"标题：{c.title}")
    click.echo(f"条文：{c.text}")
    click.echo("核实：" + ("已核实" if c.verified else "条文待核实")
               + (f"（{c.verification_note}）" if c.verification_note else ""))
    click.echo("判定条件：")
    _tree(c.condition, node_text, 1)
    if c.applies_when is not None:
        click.echo("适用条件：" + (c.applies_note or ""))
        _tree(c.applies_when, node_text, 1)
    if c.reached_by is not None:
        click.echo("由以下回答的违规提出（不据以判定）：" + "、".join(c.reached_by.facts))
        click.echo(f"  {c.reached_by.note}")
    for p in c.penalties:
        art = catalog.articles[p.article]
        click.echo(f"处罚条款：{art.name}" + ("" if p.verified else "（对应关系为解读，待核实）")
                   + f"——{p.basis}")
        if p.applies_when is not None:
            click.echo(f"  只在以下情形成立时适用：{node_text(p.applies_when)}")
    _echo_sources(c.sources)
    return 0


def _tree(node, text, depth: int) -> None:
    from ..conditions import All, Any_, AtLeast

    label = f"【{node.label}】" if node.label else ""
    click.echo("  " * depth + "- " + label + text(node))
    if isinstance(node, (All, Any_, AtLeast)):
        for child in node.children:
            _tree(child, text, depth + 1)


@cli.group()
def law() -> None:
    """查看处罚路径引用的法条：原文、施行日期、来源和核实状态。"""


SOURCE_CLASS = {"official": "官方", "secondary": "独立二手", "copy": "转载副本"}


def _echo_sources(sources) -> None:
    click.echo("来源：")
    for src in sources:
        click.echo(f"  - [{SOURCE_CLASS[src.cls]}] {src.citation}" + (f" {src.url}" if src.url else "")
                   + f"（查阅于 {src.seen}）")


@law.command("show")
@click.argument("article_id")
@click.pass_context
def law_show(ctx, article_id: str) -> int:
    """显示一个法条。示例：hazardrules law show aqsf-2021/102"""
    from ..errors import InputError
    from ..penalties import sanction_text

    catalog = _catalog(ctx.find_root())
    art = catalog.articles.get(article_id)
    if art is None:
        raise InputError(f"未收录的法条编号“{article_id}”（可用 hazardrules law list 查询）")
    click.echo(f"{art.id}  {art.name}")
    period = f"{art.effective} 起施行" + (f"，至 {art.last_day}" if art.last_day else "")
    click.echo(f"施行：{period}")
    click.echo("核实：" + ("已核实" if art.verified else "条文待核实")
               + (f"（{art.verification_note}）" if art.verification_note else ""))
    click.echo(f"条文：{art.text}")
    for sanction in art.sanctions:
        when = {"initial": "违法时", "overdue": "逾期未改正", "refused": "拒不执行", "serious": "情节严重",
                "accident": "导致事故", "condition": "条件见条文"}[sanction.when]
        duty = "应当" if sanction.mandatory else "可以"
        click.echo(f"  罚则（{when}，{duty}）：{sanction_text(sanction)}")
    _echo_sources(art.sources)
    return 0


@law.command("list")
@click.pass_context
def law_list(ctx) -> int:
    """列出已收录的法条。"""
    catalog = _catalog(ctx.find_root())
    for art in catalog.articles.values():
        flag = "已核实" if art.verified else "条文待核实"
        click.echo(f"{art.id}  {art.name}（{flag}）")
    return 0


@cli.command()
@click.option("--sector", "sectors", multiple=True, default=["工贸"], show_default=True,
              help="行业领域，可重复。")
@click.option("--industry", "industries", multiple=True, help="行业，如 有色；可重复。")
@click.option("--feature", "features", multiple=True, help="风险特征，如 粉尘爆炸危险；可重复。")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="按该日期施行的标准出题（默认今天）。")
@click.option("--format", "fmt", type=click.Choice(["yaml", "xlsx"]), default="yaml", show_default=True,
              help="模板格式：yaml（文本），或 xlsx（Excel，回答列带下拉选项；须用 -o 指定文件）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而不是屏幕。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.pass_context
def template(ctx, sectors, industries, features, day, fmt, output, force) -> int:
    """按企业概况生成空白检查表（YAML 或 Excel），只包含适用于该企业的问题。

    示例：hazardrules template --industry 有色 --feature 粉尘爆炸危险 --format xlsx -o 检查表.xlsx
    """
    import datetime as dt

    from ..api import parse_day

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 须用 -o 指定输出文件（Excel 文件不能输出到屏幕）", ctx=ctx)
    on = parse_day(day) or dt.date.today()
    if fmt == "xlsx":
        from ..io.template_xlsx import render_xlsx
        from ..output import write_bytes_atomic

        data = render_xlsx(_catalog(ctx), list(sectors), list(industries), list(features), on)
        write_bytes_atomic(output, data, [], force)
        click.echo(f"已写入 {output}", err=True)
        return 0
    from ..template import render_yaml

    text = render_yaml(_catalog(ctx), list(sectors), list(industries), list(features), on)
    _emit(text, output, [], force)
    return 0


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx, paths: tuple[Path, ...]) -> int:
    """检查判定标准数据和案例文件：格式、引用（事实、法条、条款编号）、日期。

    不带参数时检查随软件提供的数据。示例：hazardrules validate criteria cases
    """
    from ..cases import case_files, load_case
    from ..catalog import load_catalog
    from ..checklist import load_checklist

    targets = list(paths)
    catalog = None
    checked = 0
    for target in [t for t in targets if (t / "catalog.yaml").is_file()]:
        catalog = load_catalog(target, cache=False)
        click.echo(f"判定标准数据 {target}：{len(catalog.standards)} 个标准，"
                   f"{len(catalog.criteria)} 个条款，{len(catalog.facts)} 个事实，"
                   f"{len(catalog.articles)} 个法条——通过")
    if catalog is None:
        catalog = _catalog(ctx)
        if not targets:
            click.echo(f"判定标准数据 {catalog.root}：{len(catalog.criteria)} 个条款——通过")
    for target in targets:
        if (target / "catalog.yaml").is_file():
            continue
        if not target.exists():
            from ..errors import InputError

            raise InputError("路径不存在", file=str(target))
        for path in case_files(target):
            from ..safeyaml import load_document

            data, _ = load_document(path)
            if isinstance(data, dict) and "case" in data:
                load_case(path, catalog)
            else:
                load_checklist(path, catalog)
            checked += 1
        click.echo(f"{target}：{checked} 个文件——通过")
        checked = 0
    return 0
