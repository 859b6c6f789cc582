"""check and explain: judging a checklist."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .base import FORMATS, _catalog, _emit, cli


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
    from ..api import parse_day
    from ..checklist import load_checklist
    from ..judge import check as run_check

    day = parse_day(as_of)
    catalog = _catalog(ctx)
    report = run_check(load_checklist(checklist, catalog), catalog, day)
    if fmt == "json":
        from ..report.json_out import report_dict

        text = json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
    else:
        from ..report.text_out import render

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
