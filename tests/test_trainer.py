"""Trainer mode: the case library commands, the quiz with piped answers, the HTML handout."""

from __future__ import annotations

from html.parser import HTMLParser

from click.testing import CliRunner

from hazardrules.cli import cli

CASE = "example-gongmao-self-check"


def invoke(args, **kw):
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kw)


def test_quiz_right_wrong_and_invalid_answers():
    # F1: invalid "x" is re-asked, then 重大 with the right clause; F2: wrong (重大 for a 一般);
    # F3: 无法判定 (right); F4: 一般 (wrong: it is 无法判定)
    answers = "x\n1\ngongmao-2023/3-2\n1\n3\n2\n"
    result = invoke(["cases", "quiz", CASE], input=answers)
    out = result.output
    assert result.exit_code == 0, out
    assert out.count("判定（1 重大 / 2 一般 / 3 无法判定）") == 5  # one re-ask for "x"
    assert out.count("✔ 正确") == 2 and out.count("✘ 不对") == 2
    assert "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的" in out
    assert "得分：2 / 4" in out


def test_quiz_accepts_the_clause_as_written():
    result = invoke(["cases", "quiz", CASE], input="重大\n第三条第（二）项\n2\n3\n3\n")
    assert "得分：4 / 4" in result.output


def test_quiz_stops_cleanly_when_input_runs_out():
    result = CliRunner().invoke(cli, ["cases", "quiz", CASE], input="1\n")
    assert "Traceback" not in result.output


def test_cases_run_prints_the_plain_closing_line():
    result = invoke(["cases", "run", CASE, "gongmao-2023-3-1"])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == "2 passed, 0 failed"


def test_cases_list_by_criterion_separates_kinds():
    result = invoke(["cases", "list", "--criterion", "gongmao-2023/3-2"])
    assert result.exit_code == 0
    assert "单元案例" in result.output and "gongmao-2023-3-2" in result.output
    assert "示例检查表" in result.output and CASE in result.output


def test_gaps_lists_criteria_without_a_teaching_case():
    result = invoke(["cases", "gaps"])
    assert result.exit_code == 0 and "尚无教学案例" in result.output


class _Balanced(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_handout_is_a_valid_document_with_the_clause_texts(tmp_path):
    target = tmp_path / "讲义.html"
    result = invoke(["cases", "show", CASE, "--format", "html", "-o", str(target)])
    assert result.exit_code == 0
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in page
    parser = _Balanced()
    parser.feed(page)
    assert not parser.errors and parser.stack == []
    text = "".join(parser.text)
    assert "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的" in text
    assert "判定一览" in text and "不是官方认定" in text


def test_markdown_handout():
    result = invoke(["cases", "show", CASE, "--format", "markdown"])
    assert result.output.startswith("# ") and "## 检查发现与判定" in result.output


def test_unknown_case_is_bad_input():
    from hazardrules.cli import main

    result = CliRunner().invoke(_main_entry(main), ["cases", "show", "nope"])
    assert result.exit_code == 2 and "nope" in result.output


def _main_entry(main):
    import click

    @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.pass_context
    def entry(ctx):
        main(list(ctx.args))

    return entry
