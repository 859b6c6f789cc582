"""ask: answer, in the terminal, the questions that would decide undetermined findings, and
write the answers into a copy of the checklist."""

from __future__ import annotations

from pathlib import Path

import click

from .base import _catalog, cli


def _prompt_answer(interview, finding_id: str, question) -> None:
    """Ask one fact with its type until the answer fits; write it back."""
    from ..answers import AnswerError, display

    fact = question.fact
    click.echo(f"\n  问：{fact.question}")
    if fact.help:
        click.echo(f"  说明：{fact.help}")
    if fact.type == "bool":
        hint = "是 / 否 / 不清楚 / 不适用"
    elif fact.type == "number":
        hint = f"数值，单位：{fact.unit}；或 不清楚 / 不适用"
    elif fact.type == "choice":
        hint = "；".join(f"{i}. {c}" for i, c in enumerate(fact.choices, 1)) + "；或 不清楚 / 不适用"
    else:
        hint = "日期 YYYY-MM-DD；或 不清楚 / 不适用"
    while True:
        text = click.prompt(f"  答（{hint}）", default="不清楚", show_default=False).strip()
        if fact.type == "choice" and text.isdigit() and 1 <= int(text) <= len(fact.choices):
            text = fact.choices[int(text) - 1]
        try:
            value = interview.answer(finding_id, fact.id, text)
        except AnswerError as exc:
            click.echo(f"  回答无效：{exc}。请重新回答。")
            continue
        click.echo(f"  已记录：{display(value)}")
        return


def _choose(interview, finding_id: str, suggestion) -> str | None:
    """Show the candidate clauses; the user picks one (0: none of them)."""
    catalog = interview.catalog
    click.echo("  描述文字可能对应以下条款（仅凭文字不能判定，须回答问题）：")
    for i, c in enumerate(suggestion.candidates, 1):
        cr = catalog.criteria[c.criterion_id]
        std = catalog.standards[cr.standard]
        click.echo(f"    {i}. {std.short_title or std.title} {cr.clause}：{cr.title}"
                   f"（相关度 {c.score:.1f}；匹配：{'、'.join(c.terms) or '—'}）")
    n = len(suggestion.candidates)
    pick = click.prompt(f"  选择要核对的条款（1-{n}；0 = 都不是）", type=click.IntRange(0, n), default=1)
    return None if pick == 0 else suggestion.candidates[pick - 1].criterion_id


def _walk(interview, finding_id: str) -> None:
    """Ask one question at a time, re-judging after each answer, until the finding is
    decided or nothing more can be asked. The judge's missing facts lead; a finding that
    touches no clause first gets the clauses its description points to."""
    from ..judge import UNDETERMINED

    f = interview.finding(finding_id)
    click.echo(f"\n[{f.id}] " + "，".join(x for x in (f.location, f.description) if x))
    asked: set[str] = set()
    extra: list = []  # questions the judge does not list (a chosen clause's, the definition's)
    offered = False
    while True:
        verdict = interview.verdict(finding_id)
        if verdict.level != UNDETERMINED:
            return
        pending = [q for q in interview.questions(verdict) + extra if q.fact.id not in asked]
        # a sentence that points to clauses: let the user pick one before asking anything
        if not offered and not verdict.results and (verdict.candidates or not pending):
            offered = True
            extra = _offer(interview, finding_id, verdict)
            continue
        if not pending:
            return
        asked.add(pending[0].fact.id)
        _prompt_answer(interview, finding_id, pending[0])


def _offer(interview, finding_id: str, verdict) -> list:
    """The description's candidate clauses (the user picks one, which becomes the claimed
    criterion), or — when it points nowhere — the honest statement and the definition's
    two questions."""
    suggestion = interview.suggestion(finding_id)
    if not suggestion.unmapped:
        chosen = _choose(interview, finding_id, suggestion)
        if chosen is not None:
            interview.claim(finding_id, chosen)
            return interview.candidate_questions(suggestion, chosen)
    else:
        lines = suggestion.reason_text(interview.catalog)
        if not suggestion.governing:  # the judge's own reason (e.g. a text not yet encoded)
            lines += verdict.reason_text
        for line in lines:
            click.echo(f"  {line}")
    questions = interview.definition_questions(finding_id)
    d = interview.catalog.definition
    if questions and d is not None:
        click.echo(f"  可按{d.document}{d.clause}（重大事故隐患的定义）回答：")
    return questions


@cli.command()
@click.argument("checklist", type=click.Path(path_type=Path))
@click.argument("finding_id", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="写入回答后的检查表（默认：输入文件旁的 <名称>.answered.yaml）。")
@click.option("--in-place", is_flag=True, help="直接写回输入文件（默认不修改输入文件）。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按该日期施行的标准判定（假设情形）。")
@click.option("--exit-zero", is_flag=True, help="无论判定结果如何，退出码都为 0（仅输入错误仍为 2）。")
@click.pass_context
def ask(ctx, checklist: Path, finding_id: str | None, output: Path | None, in_place: bool, force: bool,
        as_of: str | None, exit_zero: bool) -> int:
    """逐条回答尚无法判定的检查发现所缺的问题，把回答写入检查表副本，并给出判定建议。

    只写了描述、没有回答问题的检查发现，先按描述文字列出可能对应的条款供选择；
    对应不上任何条款的，如实说明，并指出可能适用的尚未收录的标准。输入文件不会被修改（除非 --in-place）。

    示例：hazardrules ask 检查表.yaml F3 -o 检查表.已回答.yaml
    """
    from ..api import parse_day
    from ..errors import InputError
    from ..judge import NOTICE
    from ..output import write_atomic
    from ..report.text_out import verdict_lines
    from ..textmatch.interview import Interview, default_output

    if in_place and output is not None:
        raise InputError("--in-place 与 -o 不能同时使用", position="-o")
    target = checklist if in_place else (output or default_output(checklist))
    if not in_place:
        if target.exists() and checklist.exists() and target.resolve() == checklist.resolve():
            raise InputError("输出文件不能与输入文件相同；如确要写回输入文件，请用 --in-place", file=str(target))
        if target.exists() and not force:
            raise InputError("输出文件已存在；如确需覆盖，请加 --force", file=str(target))
    catalog = _catalog(ctx)
    interview = Interview(catalog, checklist, parse_day(as_of))
    if finding_id is not None:
        interview.finding(finding_id)  # an unknown id is a usage error before any question
        todo = [finding_id]
    else:
        todo = interview.open_findings()
    if not todo:
        click.echo("没有需要回答问题的检查发现（全部已能判定）。")
    for fid in todo:
        _walk(interview, fid)

    report = interview.report()
    click.echo("\n判定建议：")
    for v in report.verdicts:
        if v.finding.id in todo:
            click.echo("\n".join(verdict_lines(v, report)))
    if interview.changed:
        write_atomic(target, interview.dump(target), [] if in_place else [checklist], force=force or in_place)
        click.echo(f"\n已写入 {target}")
    else:
        click.echo("\n没有新的回答，未写入文件。")
    click.echo(f"\n声明：{NOTICE}")
    return 0 if exit_zero else report.exit_code()
