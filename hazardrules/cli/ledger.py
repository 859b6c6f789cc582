"""ledger: the hazard ledger (隐患台账) — recording, the rectification lifecycle, penalties, statistics.

Each command parses its arguments, calls hazardrules.ledger.Ledger and prints the result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from .base import _catalog, _emit, cli

ROLE_CHOICE = click.Choice(["企业", "检查人员", "监管部门", "enterprise", "inspector", "department"])
PARTY = {"单位": "unit", "主要负责人": "principal", "直接责任人员": "responsible_persons", "unit": "unit",
         "principal": "principal", "responsible_persons": "responsible_persons"}
DB_HELP = ("台账数据库文件。默认为环境变量 HAZARDRULES_LEDGER 指定的文件，否则为 "
           "~/.local/share/hazardrules/ledger.sqlite3（Windows：%LOCALAPPDATA%\\hazardrules\\ledger.sqlite3）；"
           "不存在时自动创建（仅所有者可读写）。")


def db_option(f):
    return click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=DB_HELP)(f)


def by_options(f):
    f = click.option("--on", "on", metavar="YYYY-MM-DD", help="办理日期（默认今天）。")(f)
    f = click.option("--role", type=ROLE_CHOICE, default=None,
                     help="办理人的身份：企业、检查人员、监管部门（默认为该步骤通常的办理者）。")(f)
    return click.option("--by", "by", required=True, help="办理人姓名或单位。")(f)


def json_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="输出格式。")(f)


@cli.group()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="HAZARDRULES_LEDGER", default=None,
              help=DB_HELP)
@click.pass_context
def ledger(ctx: click.Context, db: Path | None) -> None:
    """隐患台账：记录检查表的判定结果，跟踪整改（五落实、挂牌督办、停产停业与审查恢复、延期、重新定级、撤销），登记行政处罚，统计排查整治情况。

    示例：

        hazardrules ledger add 检查表.yaml

        hazardrules ledger list --level 重大 --status 整改中
    """
    ctx.ensure_object(dict)
    ctx.obj["ledger_db"] = db


def _open(ctx: click.Context, db: Path | None):
    from ..ledger import Ledger

    return Ledger(db or ctx.obj.get("ledger_db"))


def _actor(by: str, role: str | None, step: str):
    from ..ledger import Actor
    from ..ledger.lifecycle import DEFAULT_ROLE

    return Actor.of(by, role or DEFAULT_ROLE.get(step, "inspector"))


def _dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _done(hazard) -> None:
    from ..ledger.render import event_line

    click.echo(f"隐患 #{hazard.id}  {event_line(hazard.history[-1])}")


# --- recording ---------------------------------------------------------------------------------


@ledger.command("add")
@click.argument("checklist", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按该日期施行的标准判定（假设情形）。")
@click.option("--by", "by", help="记录人（默认为检查表记载的检查人员）。")
@db_option
@click.pass_context
def add(ctx, checklist: Path, as_of: str | None, by: str | None, db: Path | None) -> int:
    """判定检查表 CHECKLIST 并记入台账：企业、检查、每条检查发现的判定结果和整改状态。

    同一检查表（内容、企业、检查日期相同）再次记录时会被识别，不重复记录。退出码 0 表示已记录。

    示例：hazardrules ledger add 检查表.yaml --db 台账.sqlite3
    """
    from ..api import parse_day
    from ..checklist import load_checklist
    from ..judge import check

    day = parse_day(as_of)
    catalog = _catalog(ctx)
    report = check(load_checklist(checklist, catalog), catalog, day)
    with _open(ctx, db) as book:
        done = book.record(report, by=by)
    ids = _ranges(done.hazard_ids)
    if not done.created:
        click.echo(f"该检查表已于 {done.recorded_at[:16].replace('T', ' ')} 记录为检查 #{done.inspection_id}，"
                   f"未重复记录（台账编号 {ids}）")
        return 0
    key = done.enterprise_key.removeprefix("other:")
    levels = done.levels
    click.echo(f"已记录检查 #{done.inspection_id}：{done.enterprise_name}（{key}），{done.date} {done.kind}")
    click.echo(f"  台账编号 {ids}：重大 {levels['major']} 项，一般 {levels['general']} 项，"
               f"待判定 {levels['undetermined']} 项")
    return 0


def _ranges(ids: list[int]) -> str:
    if not ids:
        return "（无检查发现）"
    parts, start, prev = [], ids[0], ids[0]
    for i in [*ids[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if i is not None:
            start = prev = i
    return "、".join(parts)


# --- reading ------------------------------------------------------------------------------------


@ledger.command("list")
@click.option("--status", "statuses", multiple=True, help="只列出该状态的隐患，可重复，如 --status 整改中。")
@click.option("--level", help="重大、一般或待判定。")
@click.option("--enterprise", help="统一社会信用代码（或其他标识），或企业名称的一部分。")
@click.option("--supervised", is_flag=True, help="只列出挂牌督办的隐患。")
@click.option("--suspended", is_flag=True, help="只列出尚在停产停业或停止使用中的隐患。")
@json_option
@db_option
@click.pass_context
def list_(ctx, statuses, level, enterprise, supervised, suspended, fmt, db) -> int:
    """列出台账中的隐患。示例：hazardrules ledger list --level 重大 --status 整改中"""
    from ..ledger.render import list_lines

    with _open(ctx, db) as book:
        found = book.hazards(status=list(statuses) or None, level=level, enterprise=enterprise,
                             supervised=supervised or None, suspended=suspended or None)
    if fmt == "json":
        _dump([h.to_dict() for h in found])
    else:
        click.echo("\n".join(list_lines(found)))
    return 0


@ledger.command("show")
@click.argument("hazard_id", type=int)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="显示该日的状态（历史照常全部列出）。")
@json_option
@db_option
@click.pass_context
def show(ctx, hazard_id: int, as_of: str | None, fmt: str, db) -> int:
    """显示一项隐患：判定结果、依据条款、整改状态和全部历史（谁、何时、改了什么）。

    示例：hazardrules ledger show 1
    """
    from ..ledger.render import hazard_lines

    with _open(ctx, db) as book:
        hazard = book.get(hazard_id, as_of=as_of)
    if fmt == "json":
        _dump(hazard.to_dict())
    else:
        click.echo("\n".join(hazard_lines(hazard)))
    return 0


@ledger.command("overdue")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="以该日为准（默认今天）。")
@json_option
@db_option
@click.pass_context
def overdue(ctx, on: str | None, fmt: str, db) -> int:
    """列出已过整改期限仍未整改的隐患（“立即整改”的隐患自责令之日起计），供回头看。

    示例：hazardrules ledger overdue --on 2026-04-30
    """
    from ..ledger.ledger import to_day
    from ..ledger.render import overdue_lines

    with _open(ctx, db) as book:
        day = to_day(on, "--on") or book.today()
        found = book.overdue(day)
    if fmt == "json":
        _dump([h.to_dict() for h in found])
    else:
        click.echo("\n".join(overdue_lines(found, day)))
    return 0


# --- the lifecycle ----------------------------------------------------------------------------------


@ledger.command("update")
@click.argument("hazard_id", type=int)
@click.option("--status", required=True,
              help="新状态：立即整改、限期整改、整改中、已整改、已验收、销号、已撤销。")
@by_options
@click.option("--note", help="说明（重新整改、撤销时必填：理由）。")
@click.option("--deadline", metavar="YYYY-MM-DD", help="整改期限（限期整改；整改中时为治理方案的时限）。")
@click.option("--responsibility", help="治理方案·责任：负责治理的机构和人员。")
@click.option("--measures", help="治理方案·措施：采取的方法和措施。")
@click.option("--funds", help="治理方案·资金：经费和物资的落实。")
@click.option("--contingency", help="治理方案·预案：安全措施和应急预案。")
@click.option("--review", help="专家论证意见（撤销时必填）。")
@db_option
@click.pass_context
def update(ctx, hazard_id, status, by, role, on, note, deadline, responsibility, measures, funds, contingency,
           review, db) -> int:
    """变更隐患状态。

    重大事故隐患进入“整改中”须有五落实的治理方案（责任、措施、资金、时限、预案）；挂牌督办的隐患由监管部门销号；尚在停产停业中的须先经审查同意恢复。

    示例：hazardrules ledger update 1 --status 整改中 --by 张总 --responsibility 设备部 --measures 培训取证
    --funds 2万元 --deadline 2026-03-31 --contingency 停用配电柜
    """
    plan = {k: v for k, v in (("responsibility", responsibility), ("measures", measures), ("funds", funds),
                              ("contingency", contingency)) if v is not None}
    with _open(ctx, db) as book:
        hazard = book.update(hazard_id, status, _actor(by, role, status), on=on, note=note, deadline=deadline,
                             plan=plan or None, review=review)
    _done(hazard)
    return 0


@ledger.command("supervise")
@click.argument("hazard_id", type=int)
@click.option("--department", required=True, help="挂牌督办的部门，如 区应急管理局。")
@by_options
@click.option("--note", help="说明，如督办文号。")
@db_option
@click.pass_context
def supervise(ctx, hazard_id, department, by, role, on, note, db) -> int:
    """记录重大事故隐患的挂牌督办（安全生产法第四十一条第三款）。

    示例：hazardrules ledger supervise 1 --department 区应急管理局 --by 李科长
    """
    with _open(ctx, db) as book:
        _done(book.supervise(hazard_id, department, _actor(by, role, "supervise"), on=on, note=note))
    return 0


@ledger.command("suspend")
@click.argument("hazard_id", type=int)
@click.option("--order", "kind", required=True,
              type=click.Choice(["暂时停产停业", "局部停产停业", "停产停业整顿", "停止使用", "停止施工"]),
              help="措施。")
@click.option("--department", help="作出决定的部门。")
@by_options
@click.option("--note", help="说明，如决定书文号、撤出作业人员情况。")
@db_option
@click.pass_context
def suspend(ctx, hazard_id, kind, department, by, role, on, note, db) -> int:
    """记录责令暂时停产停业或停止使用。

    适用于重大事故隐患排除前或排除过程中无法保证安全的（安全生产法第六十五条第（三）项）；企业自行停产的用 --role 企业。

    示例：hazardrules ledger suspend 5 --order 停止使用 --department 区应急管理局 --by 李科长
    """
    with _open(ctx, db) as book:
        _done(book.suspend(hazard_id, kind, _actor(by, role, "suspend"), on=on, department=department, note=note))
    return 0


@ledger.command("resume")
@click.argument("hazard_id", type=int)
@by_options
@click.option("--note", help="审查意见（部门责令停产停业的，必填）。")
@db_option
@click.pass_context
def resume(ctx, hazard_id, by, role, on, note, db) -> int:
    """记录隐患排除后经审查同意恢复生产经营和使用（安全生产法第六十五条第（三）项）。

    示例：hazardrules ledger resume 5 --by 李科长 --note 现场复查合格，同意恢复使用
    """
    with _open(ctx, db) as book:
        _done(book.resume(hazard_id, _actor(by, role, "resume"), on=on, note=note))
    return 0


@ledger.command("extend")
@click.argument("hazard_id", type=int)
@click.option("--deadline", required=True, metavar="YYYY-MM-DD", help="新的整改期限。")
@click.option("--reason", required=True, help="延期理由。")
@by_options
@db_option
@click.pass_context
def extend(ctx, hazard_id, deadline, reason, by, role, on, db) -> int:
    """延长整改期限（须写明理由；挂牌督办的由监管部门办理）。

    示例：hazardrules ledger extend 6 --deadline 2026-05-15 --reason 备件到货延迟 --by 李科长
    """
    with _open(ctx, db) as book:
        _done(book.extend(hazard_id, deadline, reason, _actor(by, role, "extend"), on=on))
    return 0


@ledger.command("reclassify")
@click.argument("hazard_id", type=int)
@click.option("--level", required=True, help="重大或一般。")
@click.option("--reason", required=True, help="定级理由。")
@click.option("--deadline", metavar="YYYY-MM-DD", help="定为一般时的整改期限（不写则为立即整改）。")
@by_options
@db_option
@click.pass_context
def reclassify(ctx, hazard_id, level, reason, deadline, by, role, on, db) -> int:
    """重新定级：一般 ↔ 重大，或为“待判定”的检查发现定级（须写明理由；定为一般须由检查人员或监管部门）。

    示例：hazardrules ledger reclassify 3 --level 一般 --reason 依特种设备安全法责令改正 --by 李科长
    """
    with _open(ctx, db) as book:
        _done(book.reclassify(hazard_id, level, reason, _actor(by, role, "reclassify"), on=on, deadline=deadline))
    return 0


# --- penalties -----------------------------------------------------------------------------------------


@ledger.group("penalty")
def penalty() -> None:
    """登记和查看行政处罚（用于第一百一十三条计数和统计）。"""


@penalty.command("add")
@click.option("--enterprise", required=True, help="统一社会信用代码（或其他标识）。")
@click.option("--date", "day", required=True, metavar="YYYY-MM-DD", help="处罚决定日期。")
@click.option("--article", required=True, help="依据的法条编号，如 aqsf-2021/102（hazardrules law list）。")
@click.option("--amount", help="罚款金额：元，或写作 3万、3.2万元。")
@click.option("--party", default="单位", show_default=True, type=click.Choice(list(PARTY)),
              help="处罚对象：单位、主要负责人、直接责任人员。")
@click.option("--person", help="被处罚人姓名（对个人处罚时）。")
@click.option("--measure", default="罚款", show_default=True, help="处罚种类，如 罚款、警告、停产停业整顿。")
@click.option("--decision", help="处罚决定书文号（同一文号对单位和个人的处罚计为一案）。")
@click.option("--hazard", "hazard_id", type=int, help="对应的台账编号。")
@click.option("--note", help="说明。")
@click.option("--by", "by", help="登记人。")
@db_option
@click.pass_context
def penalty_add(ctx, enterprise, day, article, amount, party, person, measure, decision, hazard_id, note, by,
                db) -> int:
    """登记一项行政处罚决定（一案双罚的，对单位和个人各登记一项，填同一决定书文号）。

    示例：hazardrules ledger penalty add --enterprise 91350100M000100Y43 --date 2026-04-10
    --article aqsf-2021/102 --amount 3万 --decision 某应急罚〔2026〕12号
    """
    catalog = _catalog(ctx)
    with _open(ctx, db) as book:
        p = book.add_penalty(enterprise, day, article, amount=_amount(amount), on=PARTY[party], person=person,
                             measure=measure, decision=decision, hazard_id=hazard_id, note=note, by=by)
    from ..ledger.stats import wan

    fine = "" if p.amount is None else f"，{wan(p.amount)} 万元"
    click.echo(f"已登记行政处罚 #{p.id}：{p.enterprise_name}，{p.decided_on}，{p.article}，{p.measure}{fine}")
    if p.article not in catalog.articles:
        click.echo(f"注意：法条编号“{p.article}”未收录（可用 hazardrules law list 查询）；"
                   "第一百一十三条只计安全生产法（aqsf-）的行政处罚", err=True)
    return 0


def _amount(text: str | None) -> float | None:
    from ..errors import InputError

    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(万)?\s*元?\s*", text)
    if not m:
        raise InputError(f"罚款金额“{text}”写法不对：写元数（如 30000）或万元数（如 3万）", position="--amount")
    return float(m.group(1)) * (10000 if m.group(2) else 1)


@penalty.command("list")
@click.option("--enterprise", help="统一社会信用代码（或其他标识）；写明时同时给出第一百一十三条计数。")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="决定日期起。")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="决定日期止。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="第一百一十三条计数的截止日（默认今天）。")
@json_option
@db_option
@click.pass_context
def penalty_list(ctx, enterprise, start, end, as_of, fmt, db) -> int:
    """列出登记的行政处罚。示例：hazardrules ledger penalty list --enterprise 91350100M000100Y43"""
    from ..ledger.render import penalty_lines

    with _open(ctx, db) as book:
        found = book.penalties(enterprise=enterprise, start=start, end=end)
        counts = book.repeated_penalties(enterprise, as_of) if enterprise else None
    if fmt == "json":
        _dump({"penalties": [p.to_dict() for p in found], "article_113": counts})
        return 0
    click.echo("\n".join(penalty_lines(found)))
    if counts is not None:
        reached = "已达到" if counts["met"] else "未达到"
        click.echo(f"第一百一十三条第（一）项计数（截至 {counts['day']}，只计对单位作出的安全生产法行政处罚）："
                   f"180 日内 {counts['within_180_days']} 次，一年内 {counts['within_one_year']} 次——{reached}"
                   "“一百八十日内三次或者一年内四次”（另须存在重大事故隐患）。计数方法为解读。")
    return 0


# --- statistics ------------------------------------------------------------------------------------------


@ledger.command("stats")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="统计期间起（检查日期）。")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="统计期间止，也是状态的截止日（默认今天）。")
@click.option("--by", "by", type=click.Choice(["sector", "standard", "enterprise", "month", "kind"]),
              help="分组：行业领域、判定标准、企业、月份、检查方式。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True,
              help="输出格式；xlsx 须用 -o 指定文件（可作周调度表附件）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件而不是屏幕。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@db_option
@click.pass_context
def stats(ctx, start, end, by, fmt, output, force, db) -> int:
    """统计排查整治情况。

    排查企业、一般隐患和重大事故隐患及其整改、整改率、挂牌督办、逾期、行政处罚和罚没款、一案双罚、责令停产停业。

    示例：hazardrules ledger stats --from 2026-03-01 --to 2026-03-31 --by enterprise --format xlsx -o 周调度表.xlsx
    """
    from ..errors import InputError
    from ..ledger.stats import render_text

    if fmt == "xlsx" and output is None:
        raise InputError("xlsx 格式须用 -o 指定输出文件", position="--format")
    with _open(ctx, db) as book:
        result = book.stats(start, end, by)
        db_path = book.path
    if output is not None and output.resolve() == db_path.resolve():
        raise InputError("输出文件不能是台账数据库本身", file=str(output))
    if fmt == "xlsx":
        from ..ledger.xlsx import workbook_bytes
        from ..output import write_bytes_atomic

        write_bytes_atomic(output, workbook_bytes(result), [], force)
        click.echo(f"已写入 {output}", err=True)
        return 0
    text = (json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n") if fmt == "json" \
        else render_text(result)
    _emit(text, output, [db_path], force)
    return 0
