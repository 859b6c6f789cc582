"""check and explain: judging a checklist."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .base import FORMATS, _catalog, _emit, cli

CHECK_FORMATS = click.Choice([*FORMATS.choices, "html", "xlsx"])
FILE_ONLY = ("html", "xlsx")  # written with -o only: a report to print, a workbook


@cli.command()
@click.argument("checklists", nargs=-1, required=True)
@click.option("--format", "fmt", type=CHECK_FORMATS, default="text", show_default=True,
              help="输出格式：text（终端）、json（程序）、markdown（文档）、html（可打印的报告）、"
                   "xlsx（隐患台账）；html 和 xlsx 须用 -o 指定文件。")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而不是屏幕。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="按该日期施行的标准判定（假设情形，输出中会注明）。")
@click.option("--exit-zero", is_flag=True, help="无论判定结果如何，退出码都为 0（仅输入错误仍为 2）。")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="批量检查时使用的进程数。")
@click.option("--record", is_flag=True, help="同时记入隐患台账（见 hazardrules ledger）。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="HAZARDRULES_LEDGER",
              help="台账数据库文件（默认见 hazardrules ledger --help）。")
@click.pass_context
def check(ctx, checklists: tuple[str, ...], fmt: str, output: Path | None, force: bool,
          as_of: str | None, exit_zero: bool, jobs: int, record: bool, db: Path | None) -> int:
    """对检查表（.yaml / .yml / .json / .csv / .xlsx）中的每条检查发现作出判定建议。

    给出多个文件、一个目录、JSON Lines 文件（.jsonl，每行一份检查表）或 -（从标准输入读 JSON Lines）
    时为批量检查：逐份给出结果和“排查企业 N 家……整改率”的汇总；有问题的检查表单独报告并跳过。

    示例：hazardrules check 检查表.xlsx --format html -o 报告.html

    示例：hazardrules check 各企业检查表/ --jobs 2 --format json -o 汇总.json
    """
    from ..api import parse_day
    from ..checklist import load_checklist
    from ..judge import check as run_check

    single = len(checklists) == 1 and checklists[0] != "-" and not Path(checklists[0]).is_dir() \
        and Path(checklists[0]).suffix.lower() != ".jsonl"
    if not single:
        return _batch(ctx, checklists, fmt, output, force, parse_day(as_of), exit_zero, jobs)
    checklist = Path(checklists[0])

    if fmt in FILE_ONLY and output is None:
        raise click.UsageError(f"--format {fmt} 须用 -o 指定输出文件", ctx=ctx)
    if fmt in FILE_ONLY:  # refuse an existing file or the input before the work, not after it
        from ..output import check_target

        check_target(output, [checklist], force)
    day = parse_day(as_of)
    catalog = _catalog(ctx)
    loaded = load_checklist(checklist, catalog)
    if record:
        from ..ledger import Ledger

        with Ledger(db) as book:  # recorded penalties feed 第一百一十三条
            seen = {(p["date"], p["article"], p.get("on"), p.get("decision"))
                    for p in loaded.enterprise.penalties}
            loaded.enterprise.penalties += [
                p for p in book.penalties_for(loaded.enterprise.key)
                if (p["date"], p["article"], p.get("on"), p.get("decision")) not in seen]
    report = run_check(loaded, catalog, day)
    if record:
        with Ledger(db) as book:
            done = book.record(report)
        click.echo(f"已记入台账：检查 #{done.inspection_id}" if done.created
                   else f"该检查表已记录为检查 #{done.inspection_id}，未重复记录", err=True)
    code = 0 if exit_zero else report.exit_code()
    if fmt == "xlsx":
        from ..io.ledger_xlsx import render_ledger
        from ..output import write_bytes_atomic

        write_bytes_atomic(output, render_ledger(report), [checklist], force)
        click.echo(f"已写入 {output}", err=True)
        return code
    if fmt == "html":
        from ..io.html_report import render_html

        text = render_html(report)
    elif fmt == "json":
        from ..report.json_out import report_dict

        text = json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
    else:
        from ..report.text_out import render

        text = render(report, md=(fmt == "markdown"))
    _emit(text, output, [checklist], force)
    return code


def _batch(ctx, sources: tuple[str, ...], fmt: str, output: Path | None, force: bool, day,
           exit_zero: bool, jobs: int) -> int:
    """Several checklists: one line each, then the district summary."""
    import sys

    from ..batch import check_many, iter_sources, summary_text, to_json

    if fmt not in ("text", "json"):
        raise click.UsageError("批量检查只支持 --format text 或 json", ctx=ctx)
    catalog_dir = ctx.find_root().obj.get("criteria_dir")
    result = check_many(iter_sources(sources, stdin=sys.stdin), jobs=jobs, as_of=day,
                        criteria_dir=str(catalog_dir) if catalog_dir else None)
    if fmt == "json":
        text = to_json(result)
    else:
        lines = []
        for item in result.items:
            if item.error is not None:
                lines.append(f"✘ {item.source}：{item.error}")
                continue
            s = item.report["summary"]
            lines.append(f"{item.source}：{item.report['enterprise']['name']}——重大 {s['major']} 项，"
                         f"一般 {s['general']} 项，无法判定 {s['undetermined']} 项")
        summary = result.summary()
        lines += ["", "汇总：" + summary_text(summary)]
        for sector, counts in summary["by_sector"].items():
            lines.append(f"  {sector}：重大 {counts['major']} 项，一般 {counts['general']} 项")
        if result.errors:
            lines.append(f"有 {len(result.errors)} 份检查表未能读取，已跳过（见上）")
        text = "\n".join(lines) + "\n"
    _emit(text, output, [Path(s) for s in sources if s != "-"], force)
    if result.errors:
        return 2
    return 0 if exit_zero else result.exit_code()


@cli.command()
@click.argument("checklist", type=click.Path(path_type=Path))
@click.argument("finding_id")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按该日期施行的标准判定（假设情形）。")
@click.pass_context
def explain(ctx, checklist: Path, finding_id: str, as_of: str | None) -> int:
    """显示一条检查发现的完整判定过程：每个条件是否成立、读取了哪个回答。

    示例：hazardrules explain 检查表.yaml F1
    """
    from ..api import explain_finding, parse_day
    from ..checklist import load_checklist
    from ..report.text_out import verdict_lines

    catalog = _catalog(ctx)
    report, verdict = explain_finding(load_checklist(checklist, catalog), catalog, finding_id,
                                      parse_day(as_of))
    lines = verdict_lines(verdict, report, full=True)
    if not verdict.results and verdict.level != "major":
        lines.append("  （没有涉及任何已收录条款）")
    from ..judge import NOTICE

    click.echo("\n".join(lines + ["", f"声明：{NOTICE}"]))
    return 0
