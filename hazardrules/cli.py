"""The `hazardrules` command: parse arguments, call the library, format the result.

Exit codes: 0 nothing major or undetermined; 1 at least one major hazard; 3 no major but
something undetermined; 2 bad input or usage; 4 internal error; 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version_text() -> str:
    from .engine import get_engine

    try:
        engine = get_engine().name
    except Exception as exc:  # the version line must always print
        engine = f"不可用（{exc}）"
    return f"hazardrules {__version__}\n规则引擎：{engine}"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit(0)


@click.group(context_settings=CONTEXT)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="显示版本和当前使用的规则引擎。")
@click.option("--criteria", "criteria_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="HAZARDRULES_CRITERIA", default=None,
              help="判定标准数据目录（默认为随软件提供的数据）。")
@click.pass_context
def cli(ctx: click.Context, criteria_dir: Path | None) -> None:
    """按重大事故隐患判定标准，对检查表中的每条检查发现给出判定建议（重大 / 一般 / 无法判定）。

    结果是判定建议，不是官方认定。示例：

        hazardrules check cases/examples/gongmao-self-check.yaml
    """
    ctx.obj = {"criteria_dir": criteria_dir}


def _catalog(ctx: click.Context):
    from .catalog import load_catalog
    from .explain import use_catalog

    catalog = load_catalog(ctx.obj["criteria_dir"])
    use_catalog(catalog)
    return catalog


def _emit(text: str, output: Path | None, inputs: list[Path], force: bool) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from .output import write_atomic

    write_atomic(output, text, inputs, force)
    click.echo(f"已写入 {output}", err=True)


FORMATS = click.Choice(["text", "json", "markdown"])


@cli.command()
@click.argument("checklist", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="输出格式：text（终端）、json（程序）、markdown（文档）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而不是屏幕。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="按该日期施行的标准判定（假设情形，输出中会注明）。")
@click.option("--exit-zero", is_flag=True, help="无论判定结果如何，退出码都为 0（仅输入错误仍为 2）。")
@click.pass_context
def check(ctx, checklist: Path, fmt: str, output: Path | None, force: bool, as_of: str | None,
          exit_zero: bool) -> int:
    """对检查表 CHECKLIST（.yaml / .yml / .json）中的每条检查发现作出判定建议。

    示例：hazardrules check 检查表.yaml --format json -o 结果.json
    """
    from .api import parse_day
    from .checklist import load_checklist
    from .judge import check as run_check

    day = parse_day(as_of)
    catalog = _catalog(ctx)
    report = run_check(load_checklist(checklist, catalog), catalog, day)
    if fmt == "json":
        from .report.json_out import report_dict

        text = json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
    else:
        from .report.text_out import render

        text = render(report, md=(fmt == "markdown"))
    _emit(text, output, [checklist], force)
    return 0 if exit_zero else report.exit_code()


@cli.command()
@click.argument("checklist", type=click.Path(path_type=Path))
@click.argument("finding_id")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按该日期施行的标准判定（假设情形）。")
@click.pass_context
def explain(ctx, checklist: Path, finding_id: str, as_of: str | None) -> int:
    """显示一条检查发现的完整判定过程：每个条件是否成立、读取了哪个回答。

    示例：hazardrules explain 检查表.yaml F1
    """
    from .api import explain_finding, parse_day
    from .checklist import load_checklist
    from .report.text_out import verdict_lines

    catalog = _catalog(ctx)
    report, verdict = explain_finding(load_checklist(checklist, catalog), catalog, finding_id,
                                      parse_day(as_of))
    lines = verdict_lines(verdict, report, full=True)
    if not verdict.results and verdict.level != "major":
        lines.append("  （没有涉及任何已收录条款）")
    from .judge import NOTICE

    click.echo("\n".join(lines + ["", f"声明：{NOTICE}"]))
    return 0


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def standards(ctx, fmt: str) -> int:
    """列出已收录的判定标准：文号、施行日期、状态、已收录/标准条款数、已核实条款数。"""
    from .api import standards_table

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
    from .errors import InputError

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
    from .conditions import walk
    from .errors import InputError
    from .explain import node_text

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
    _tree(c.condition, node_text, walk, 1)
    if c.applies_when is not None:
        click.echo("适用条件：" + (c.applies_note or ""))
        _tree(c.applies_when, node_text, walk, 1)
    for p in c.penalties:
        art = catalog.articles[p.article]
        click.echo(f"处罚条款：{art.name}" + ("" if p.verified else "（对应关系为解读，待核实）")
                   + f"——{p.basis}")
    click.echo("来源：")
    for s in c.sources:
        click.echo(f"  - [{ {'official': '官方', 'secondary': '独立二手', 'copy': '转载副本'}[s.cls]}] "
                   f"{s.citation}" + (f" {s.url}" if s.url else "") + f"（查阅于 {s.seen}）")
    return 0


def _tree(node, text, walk, depth: int) -> None:
    from .conditions import All, Any_, AtLeast

    label = f"【{node.label}】" if node.label else ""
    click.echo("  " * depth + "- " + label + text(node))
    if isinstance(node, (All, Any_, AtLeast)):
        for child in node.children:
            _tree(child, text, walk, depth + 1)


@cli.group()
def law() -> None:
    """查看处罚路径引用的法条：原文、施行日期、来源和核实状态。"""


@law.command("show")
@click.argument("article_id")
@click.pass_context
def law_show(ctx, article_id: str) -> int:
    """显示一个法条。示例：hazardrules law show aqsf-2021/102"""
    from .errors import InputError
    from .penalties import sanction_text

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
    click.echo("来源：")
    for src in art.sources:
        click.echo(f"  - [{ {'official': '官方', 'secondary': '独立二手', 'copy': '转载副本'}[src.cls]}] "
                   f"{src.citation}" + (f" {src.url}" if src.url else "") + f"（查阅于 {src.seen}）")
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
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而不是屏幕。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.pass_context
def template(ctx, sectors, industries, features, day, output, force) -> int:
    """按企业概况生成空白检查表（YAML），只包含适用于该企业的问题。

    示例：hazardrules template --industry 有色 --feature 粉尘爆炸危险 -o 检查表.yaml
    """
    import datetime as dt

    from .api import parse_day
    from .template import render_yaml

    text = render_yaml(_catalog(ctx), list(sectors), list(industries), list(features),
                       parse_day(day) or dt.date.today())
    _emit(text, output, [], force)
    return 0


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx, paths: tuple[Path, ...]) -> int:
    """检查判定标准数据和案例文件：格式、引用（事实、法条、条款编号）、日期。

    不带参数时检查随软件提供的数据。示例：hazardrules validate criteria cases
    """
    from .cases import case_files, load_case
    from .catalog import load_catalog
    from .checklist import load_checklist

    targets = list(paths)
    catalog = None
    checked = 0
    for target in [t for t in targets if (t / "catalog.yaml").is_file()]:
        catalog = load_catalog(target)
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
            from .errors import InputError

            raise InputError("路径不存在", file=str(target))
        for path in case_files(target):
            from .safeyaml import load_document

            data, _ = load_document(path)
            if isinstance(data, dict) and "case" in data:
                load_case(path, catalog)
            else:
                load_checklist(path, catalog)
            checked += 1
        click.echo(f"{target}：{checked} 个文件——通过")
        checked = 0
    return 0


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps every outcome to the documented exit codes."""
    from .errors import EngineError, InputError

    try:
        code = cli.main(args=argv, prog_name="hazardrules", standalone_mode=False)
    except InputError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.exceptions.Abort:
        click.echo("已中断", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("已中断", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT)
    except EngineError as exc:
        click.echo(f"内部错误（规则引擎）：{exc}", err=True)
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # never a traceback for the user; HAZARDRULES_DEBUG shows it
        if os.environ.get("HAZARDRULES_DEBUG"):
            raise
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（设置 HAZARDRULES_DEBUG=1 可查看详情）",
                   err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)
