"""The README's 隐患台账 walk-through runs as written: every ```sh command in order, files from its ```yaml blocks,
and each ```text block right after a command is output that command must print (its lines
in order; "…" stands for any text). The Python example runs too."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from hazardrules.cli import main

from .conftest import ROOT
from .helpers import EXAMPLE

README = ROOT / "README.md"
SECTION = "## 隐患台账"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


@dataclass
class Command:
    argv: list[str]
    expect: list[str] = field(default_factory=list)


def walkthrough() -> tuple[list[tuple[str, str]], list[Command | tuple[str, str]], str]:
    """(files, steps, python example) from the document; a step is a command or an export."""
    readme = README.read_text("utf-8")
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    text = readme[start:end if end != -1 else None]
    files: list[tuple[str, str]] = []
    steps: list[Command | tuple[str, str]] = []
    python = ""
    last: Command | None = None
    for kind, body in BLOCK.findall(text):
        if kind == "yaml":
            name = re.match(r"# 文件：(\S+)\n", body)
            assert name, "a yaml block in the walk-through must start with “# 文件：名称”"
            files.append((name.group(1), body))
        elif kind == "sh":
            for line in body.replace("\\\n", " ").splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                words = shlex.split(line)
                if words[0] == "export":
                    name, value = words[1].split("=", 1)
                    steps.append((name, value))
                    last = None
                    continue
                assert words[0] == "hazardrules", line
                last = Command(words[1:])
                steps.append(last)
        elif kind == "text":
            assert last is not None, "an output block must follow a command"
            last.expect = [line.rstrip() for line in body.splitlines() if line.strip()]
            last = None
        elif kind == "python":
            python = body
    return files, steps, python


def contains_in_order(output: str, expected: list[str]) -> str | None:
    """None when every expected line appears in the output in order; else the first missing."""
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for want in expected:
        pattern = re.compile("^" + ".*".join(re.escape(p) for p in want.split("…")) + "$")
        while at < len(lines) and not pattern.match(lines[at]):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx):
    main(list(ctx.args))


def _workdir(tmp_path):
    (tmp_path / "cases" / "examples").mkdir(parents=True)
    shutil.copy(EXAMPLE, tmp_path / "cases" / "examples" / EXAMPLE.name)
    return tmp_path


def test_the_walkthrough_runs_as_documented(tmp_path, monkeypatch):
    files, steps, _ = walkthrough()
    assert len([s for s in steps if isinstance(s, Command)]) >= 14
    work = _workdir(tmp_path)
    monkeypatch.chdir(work)
    for name, body in files:
        (work / name).write_text(body, "utf-8")
    runner = CliRunner()
    for step in steps:
        if isinstance(step, tuple):
            monkeypatch.setenv(*step)
            continue
        result = runner.invoke(_entry, step.argv, catch_exceptions=False)
        out = result.stdout + result.stderr
        failing = step.expect and step.expect[0].startswith("错误：")
        assert result.exit_code == (2 if failing else 0), (step.argv, out)
        missing = contains_in_order(out, step.expect)
        assert missing is None, f"{' '.join(step.argv)}\n缺少：{missing}\n实际输出：\n{out}"
    # the ledger the walk-through describes, and the workbook it exports
    assert (work / "台账.sqlite3").stat().st_mode & 0o777 == 0o600
    book = load_workbook(work / "周调度表.xlsx")
    assert book.sheetnames == ["汇总", "按月份", "重大事故隐患清单", "逾期未整改"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert summary["排查企业"] == 1 and summary["重大事故隐患"] == 2 and summary["重大事故隐患已整改"] == 1
    assert summary["整改率"] == 25.0 and summary["罚没款"] == 4 and summary["一案双罚"] == 1
    overdue_ids = [row[0] for row in book["逾期未整改"].iter_rows(min_row=2, values_only=True)]
    assert sorted(overdue_ids) == [2, 5, 6]


def test_an_output_line_the_command_does_not_print_is_caught():
    assert contains_in_order("甲\n乙\n丙", ["甲", "丙"]) is None
    assert contains_in_order("甲\n乙\n丙", ["丙", "甲"]) == "甲"
    assert contains_in_order("已于 2026-11-23 16:15 记录", ["已于 … 记录"]) is None
    assert contains_in_order("已于 2026-11-23 16:15 记录", ["已于 … 未记录"]) == "已于 … 未记录"


def test_the_python_example_runs(tmp_path):
    _, _, python = walkthrough()
    assert "Ledger(" in python
    work = _workdir(tmp_path)
    done = subprocess.run([sys.executable, "-c", python], cwd=work, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Figures(" in done.stdout and "major=1" in done.stdout


@pytest.mark.parametrize("argv, message", [
    (["ledger", "show", "9"], "台账中没有编号为 9 的隐患"),
    (["ledger", "update", "1", "--status", "完成", "--by", "张总"], "未知的状态“完成”"),
    (["ledger", "update", "1", "--status", "整改中", "--by", "张总", "--measures", "培训"],
     "尚缺：责任、资金、时限、预案"),
    (["ledger", "update", "2", "--status", "已整改", "--by", "李科长", "--role", "监管部门"], "须由企业或检查人员办理"),
    (["ledger", "stats", "--format", "xlsx"], "xlsx 格式须用 -o 指定输出文件"),
    (["ledger", "stats", "--from", "2026-02-30"], "日期“2026-02-30”写法不对或不存在"),
    (["ledger", "penalty", "add", "--enterprise", "91350100M000100Y43", "--date", "2026-04-01", "--article",
      "aqsf-2021/102", "--amount", "三万"], "罚款金额“三万”写法不对"),
    (["ledger", "penalty", "add", "--enterprise", "无此企业", "--date", "2026-04-01", "--article", "aqsf-2021/102"],
     "台账中没有企业“无此企业”"),
])
def test_bad_input_exits_2_with_a_chinese_message(tmp_path, argv, message):
    runner = CliRunner()
    db = str(tmp_path / "台账.sqlite3")
    first = runner.invoke(_entry, ["ledger", "--db", db, "add", str(EXAMPLE)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    result = runner.invoke(_entry, [argv[0], "--db", db, *argv[1:]], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not list(tmp_path.glob("*.xlsx"))


def test_db_given_after_the_subcommand_and_a_file_that_is_not_a_ledger(tmp_path):
    runner = CliRunner()
    db = tmp_path / "其他.sqlite3"
    result = runner.invoke(_entry, ["ledger", "add", str(EXAMPLE), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0 and db.exists()
    text = tmp_path / "notes.txt"
    text.write_text("不是数据库", "utf-8")
    result = runner.invoke(_entry, ["ledger", "list", "--db", str(text)], catch_exceptions=False)
    assert result.exit_code == 2 and "不是可读的台账数据库" in result.stderr
    assert text.read_text("utf-8") == "不是数据库"


def test_the_other_lifecycle_commands(tmp_path):
    runner = CliRunner()

    def run(*argv: str) -> str:
        result = runner.invoke(_entry, ["ledger", "--db", str(tmp_path / "台账.sqlite3"), *argv],
                               catch_exceptions=False)
        assert result.exit_code == 0, (argv, result.output)
        return result.stdout

    run("add", str(EXAMPLE))
    assert "级别：待判定 → 一般；整改期限：2026-03-25；状态：待判定 → 限期整改" in run(
        "reclassify", "3", "--level", "一般", "--reason", "依特种设备安全法责令改正", "--by", "李科长",
        "--on", "2026-03-15", "--deadline", "2026-03-25")
    assert "整改期限：2026-03-25 → 2026-04-05  说明：叉车司机培训班 4 月开班" in run(
        "extend", "3", "--deadline", "2026-04-05", "--reason", "叉车司机培训班 4 月开班", "--by", "李科长",
        "--on", "2026-03-20")
    run("update", "1", "--status", "整改中", "--by", "张总", "--on", "2026-03-12", "--responsibility", "设备部",
        "--measures", "培训取证", "--funds", "3000 元", "--deadline", "2026-03-31", "--contingency", "持证监护")
    assert "暂时停产停业（2026-03-13 起）" in run("suspend", "1", "--order", "暂时停产停业", "--department",
                                                "区应急管理局", "--by", "赵某", "--role", "检查人员",
                                                "--on", "2026-03-13")
    assert [h["id"] for h in json.loads(run("list", "--suspended", "--format", "json"))] == [1]
    run("update", "1", "--status", "已整改", "--by", "张总", "--on", "2026-03-28")
    assert "停产停业/停止使用：暂时停产停业（2026-03-13 起） → 无" in run(
        "resume", "1", "--by", "李科长", "--note", "复查合格，同意恢复", "--on", "2026-03-29")
    shown = run("show", "1", "--as-of", "2026-03-20")
    assert "状态：整改中（2026-03-12 起）" in shown and "区应急管理局责令暂时停产停业" in shown
    assert "2026-03-29  审查同意恢复  李科长（监管部门）" in shown  # the history is always complete
    data = json.loads(run("show", "1", "--format", "json"))
    assert data["status"] == "已整改" and data["suspension"] is None and len(data["history"]) == 5
    for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
        run("penalty", "add", "--enterprise", "91350100M000100Y43", "--date", day, "--article", "aqsf-2021/102",
            "--amount", "1万")
    listed = run("penalty", "list", "--enterprise", "91350100M000100Y43", "--as-of", "2026-03-31")
    assert "180 日内 3 次，一年内 3 次——已达到" in listed
    stats = json.loads(run("stats", "--to", "2026-03-31", "--format", "json"))
    assert stats["figures"]["penalties"] == 3 and stats["figures"]["fines"] == 30000
