"""cases: the case library for trainers — list, show, quiz, run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import _catalog, _emit, cli


def _library(ctx, directory: Path | None):
    from ..trainer import library

    catalog = _catalog(ctx.find_root())
    return catalog, library(catalog, directory)


@cli.group()
def cases() -> None:
    """案例库：培训讲解、判定练习和案例核对。"""


DIR = click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
                   help="案例目录（默认为随软件提供的 cases/）。")


@cases.command("list")
@click.option("--sector", help="只列出该行业领域的案例，如 工贸。")
@click.option("--criterion", "criterion_id", help="列出涉及该条款的案例，如 gongmao-2023/11-3。")
@DIR
@click.pass_context
def cases_list(ctx, sector: str | None, criterion_id: str | None, directory: Path | None) -> int:
    """列出案例：编号、名称、行业领域、来源。示例：hazardrules cases list --criterion gongmao-2023/3-2"""
    from ..errors import InputError

    catalog, entries = _library(ctx, directory)
    if criterion_id is not None and criterion_id not in catalog.criteria:
        raise InputError(f"未知条款编号“{criterion_id}”", position="--criterion")
    chosen = [e for e in entries if (sector is None or sector in (e.sector or ""))
              and (criterion_id is None or criterion_id in e.criteria)]
    if criterion_id is not None:
        for kind, title in (("teaching", "教学案例（有来源的真实场景）"), ("example", "示例检查表"),
                            ("unit", "单元案例")):
            group = [e for e in chosen if e.kind == kind]
            click.echo(f"{title}：{len(group)} 个")
            for e in group:
                click.echo(f"  {e.id}  {e.case.name}")
        return 0
    for e in chosen:
        click.echo(f"{e.id}  [{e.sector}] {e.case.name}")
        click.echo(f"    来源：{e.case.source}")
    return 0


@cases.command("show")
@click.argument("case_id")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（讲义）。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@DIR
@click.pass_context
def cases_show(ctx, case_id: str, fmt: str, output: Path | None, force: bool,
               directory: Path | None) -> int:
    """讲解一个案例：经过、逐条判定（条文与判定过程）、处罚路径和启示。

    示例：hazardrules cases show example-gongmao-self-check --format html -o 讲义.html
    """
    from ..judge import check
    from ..report import handout
    from ..trainer import find

    catalog, entries = _library(ctx, directory)
    entry = find(entries, case_id)
    report = check(entry.case.checklist, catalog, entry.case.as_of)
    render = {"text": handout.render_text, "markdown": handout.render_markdown,
              "html": handout.render_html}[fmt]
    _emit(render(entry.case, report), output, [entry.case.path], force)
    return 0


@cases.command("quiz")
@click.argument("case_id")
@DIR
@click.pass_context
def cases_quiz(ctx, case_id: str, directory: Path | None) -> int:
    """判定练习：逐条给出检查发现，回答 重大 / 一般 / 无法判定（重大时再答条款），随即讲评并计分。

    可用管道输入答案，例如：printf '1\\ngongmao-2023/3-2\\n2\\n' | hazardrules cases quiz ID
    """
    from ..judge import check
    from ..trainer import find, quiz

    catalog, entries = _library(ctx, directory)
    entry = find(entries, case_id)
    report = check(entry.case.checklist, catalog, entry.case.as_of)
    click.echo(f"练习：{entry.case.name}")

    def ask(prompt: str) -> str:
        if sys.stdin.isatty():
            return click.prompt(prompt, default="", show_default=False)
        click.echo(f"{prompt}：", nl=False)
        line = sys.stdin.readline()
        if not line:
            raise click.exceptions.Abort()
        click.echo(line.rstrip("\n"))
        return line

    score = quiz(report, ask, click.echo)
    return 0 if score.asked else 0


@cases.command("run")
@click.argument("case_ids", nargs=-1)
@DIR
@click.pass_context
def cases_run(ctx, case_ids: tuple[str, ...], directory: Path | None) -> int:
    """核对案例的期望结果（CI 也运行它），最后打印 N passed, N failed。"""
    from ..trainer import find, run

    catalog, entries = _library(ctx, directory)
    if case_ids:
        entries = [find(entries, cid) for cid in case_ids]
    result = run(catalog, entries)
    for cid, problems in result.failed.items():
        click.echo(f"✘ {cid}")
        for p in problems:
            click.echo(f"    {p}")
    for cid, why in result.pending.items():
        click.echo(f"… {cid}（待定：{why}）")
    click.echo(f"{len(result.passed)} passed, {len(result.failed)} failed")
    return 1 if result.failed else 0


@cases.command("gaps")
@DIR
@click.pass_context
def cases_gaps(ctx, directory: Path | None) -> int:
    """列出还没有有来源教学案例的条款（不以虚构案例充数）。"""
    from ..trainer import teaching_gaps

    catalog, entries = _library(ctx, directory)
    gaps = teaching_gaps(catalog, entries)
    for cid in gaps:
        c = catalog.criteria[cid]
        click.echo(f"{cid}  {c.clause}  {c.title}")
    click.echo(f"共 {len(gaps)} 个条款尚无教学案例（共 {len(catalog.criteria)} 个）")
    return 0
