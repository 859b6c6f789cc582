"""The command line as a user runs it: exit codes, messages, outputs, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from hazardrules import schemas
from hazardrules.cli import cli, main

from .helpers import EXAMPLE, dump, example_checklist, minimal_checklist


def run(args, input=None, **kw):
    """Run through main() exactly as the console script does; returns (code, out, err)."""
    runner = CliRunner()
    result = runner.invoke(_entry, args, catch_exceptions=False, input=input, **kw)
    return result.exit_code, result.stdout, result.stderr


import click  # noqa: E402


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx):
    main(list(ctx.args))


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding=encoding)
    return path


def test_example_check_exits_1_and_shows_clause_text_and_notice():
    code, out, _ = run(["check", str(EXAMPLE)])
    assert code == 1
    assert "第三条第（二）项" in out
    assert "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的" in out
    assert "判定建议" in out and "不是官方认定" in out


def test_exit_zero():
    code, _, _ = run(["check", str(EXAMPLE), "--exit-zero"])
    assert code == 0


def test_exit_codes_0_and_3(tmp_path):
    general = minimal_checklist([{"id": "F1", "facts": {
        "special_ops_workers_certified": "是", "needs_shutdown_to_fix": "否",
        "cannot_remove_alone": "否"}}])
    code, out, _ = run(["check", str(write(tmp_path, "g.yaml", dump(general)))])
    assert code == 0, out
    open_ = minimal_checklist([{"id": "F1", "facts": {"contractors_coordinated": "不清楚"}}])
    code, out, _ = run(["check", str(write(tmp_path, "u.yaml", dump(open_)))])
    assert code == 3, out
    assert "待回答" in out


def test_json_output_validates_against_shipped_schema():
    code, out, _ = run(["check", str(EXAMPLE), "--format", "json"])
    assert code == 1
    data = json.loads(out)
    errors = list(schemas.validator("report").iter_errors(data))
    assert not errors, errors[0].message
    assert data["summary"] == {"major": 1, "major_unverified": 0, "general": 1, "undetermined": 2,
                               "unmapped": 1}
    assert data["data_version"]["hash"].startswith("sha256:")
    first = data["findings"][0]
    assert first["criteria"][0]["id"] == "gongmao-2023/3-2"
    assert first["penalty_articles"] == ["aqsf-2021/97-item7"]


def test_markdown_output():
    code, out, _ = run(["check", str(EXAMPLE), "--format", "markdown"])
    assert code == 1
    assert out.startswith("# hazardrules 判定建议")
    assert "### [F1] 重大事故隐患" in out


def test_output_file_written_atomically_and_never_overwritten(tmp_path):
    target = tmp_path / "out.json"
    code, _, err = run(["check", str(EXAMPLE), "--format", "json", "-o", str(target)])
    assert code == 1 and json.loads(target.read_text("utf-8"))["schema_version"] == 5
    before = target.read_text("utf-8")
    code, _, err = run(["check", str(EXAMPLE), "-o", str(target)])
    assert code == 2 and "--force" in err
    assert target.read_text("utf-8") == before
    code, _, _ = run(["check", str(EXAMPLE), "-o", str(target), "--force"])
    assert code == 1 and target.read_text("utf-8") != before
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind


def test_output_may_not_be_the_input(tmp_path):
    path = write(tmp_path, "in.yaml", EXAMPLE.read_text("utf-8"))
    before = path.read_bytes()
    code, _, err = run(["check", str(path), "-o", str(path), "--force"])
    assert code == 2 and "输入" in err
    assert path.read_bytes() == before


def test_as_of_is_labelled(tmp_path):
    code, out, _ = run(["check", str(EXAMPLE), "--as-of", "2023-05-14"])
    assert code == 3  # 2017 edition in force, not encoded
    assert "假设情形" in out and "尚未收录" in out


def test_explain_shows_the_trace():
    code, out, _ = run(["explain", str(EXAMPLE), "F4"])
    assert code == 0
    assert "？ 待确定" in out and "✘ 不成立" in out
    assert "contractors_inspected_regularly" in out


def test_explain_unknown_finding():
    code, _, err = run(["explain", str(EXAMPLE), "F99"])
    assert code == 2 and "F99" in err


def test_standards_json_shape():
    code, out, _ = run(["standards", "--format", "json"])
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    g = rows["gongmao-2023"]
    assert set(g) >= {"id", "title", "document", "effective", "status", "replaced_by",
                      "criteria", "verified", "items_in_standard"}
    assert g["document"] == "中华人民共和国应急管理部令第10号"
    assert g["effective"] == "2023-05-15" and g["items_in_standard"] == 64
    assert rows["gongmao-2017"]["replaced_by"] == "gongmao-2023"
    assert rows["gongmao-2017"]["status"] == "已废止"


def test_criteria_list_and_show():
    code, out, _ = run(["criteria", "list", "--standard", "gongmao-2023", "--format", "json"])
    assert code == 0
    ids = [c["id"] for c in json.loads(out)]
    assert {"gongmao-2023/3-1", "gongmao-2023/3-2", "gongmao-2023/3-3"} <= set(ids)
    code, out, _ = run(["criteria", "show", "gongmao-2023/3-3"])
    assert code == 0
    assert "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的。" in out
    assert "以下各项同时成立（并且）" in out
    code, _, err = run(["criteria", "show", "nope/1-1"])
    assert code == 2 and "nope/1-1" in err
    code, _, err = run(["criteria", "list", "--standard", "nope"])
    assert code == 2


def test_criteria_show_names_what_brings_an_item_up_and_limb_tied_articles():
    code, out, _ = run(["criteria", "show", "weihua-2017/18"])
    assert code == 0 and "不据以判定" in out and "confined_space_entry_approved" in out
    assert "不据该违规推定" in out
    code, out, _ = run(["criteria", "show", "jianzhu-2024/4-2"])
    assert code == 0 and out.count("只在以下情形成立时适用") == 2


def test_validate_passes_on_shipped_data():
    code, out, _ = run(["validate", "criteria", "cases"])
    assert code == 0, out
    assert "通过" in out


def test_version_names_the_engine():
    code, out, _ = run(["--version"])
    assert code == 0
    assert "hazardrules" in out and "规则引擎" in out


def test_usage_error_is_exit_2():
    code, _, _ = run(["check"])
    assert code == 2
    code, _, _ = run(["no-such-command"])
    assert code == 2


def test_abort_is_130(monkeypatch):
    def boom(*a, **k):
        raise click.exceptions.Abort()

    monkeypatch.setattr("hazardrules.judge.check", boom)
    code, _, err = run(["check", str(EXAMPLE)])
    assert code == 130


def test_keyboard_interrupt_is_130(monkeypatch):
    def boom(*a, **k):
        raise KeyboardInterrupt()

    monkeypatch.setattr("hazardrules.judge.check", boom)
    code, _, _ = run(["check", str(EXAMPLE)])
    assert code == 130


def test_internal_error_is_4_without_traceback(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("意外")

    monkeypatch.setattr("hazardrules.judge.check", boom)
    code, out, err = run(["check", str(EXAMPLE)])
    assert code == 4 and "内部错误" in err and "Traceback" not in err + out


def test_console_script_runs_in_a_subprocess():
    proc = subprocess.run([sys.executable, "-m", "hazardrules", "check", str(EXAMPLE)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "第三条第（二）项" in proc.stdout


# --- bad input: one clear Chinese message naming file and position, exit code 2 ----------

BAD = {
    "malformed_yaml": ("enterprise: [unclosed\n", "YAML 格式错误", "第 "),
    "schema": (dump({**minimal_checklist([]), "inspection": {"date": "2026-03-10"}}),
               "缺少必填字段 kind", "inspection"),
    "unknown_fact": (dump(minimal_checklist([{"id": "F1", "facts": {"no_such_fact": "否"}}])),
                     "未知的检查项", "findings[0].facts.no_such_fact"),
    "wrong_type": (dump(minimal_checklist([{"id": "F1", "facts": {
        "special_ops_workers_certified": "大概"}}])), "不是有效回答", "第 "),
    "unknown_criterion": (dump(minimal_checklist([{"id": "F1", "claimed_criterion":
                                                   "gongmao-2023/99-9"}])),
                          "未知的判定条款编号", "claimed_criterion"),
    "date_before_earliest": (dump(minimal_checklist([{"id": "F1", "observed_on": "2007-12-31",
                                                      "facts": {"special_ops_workers_certified": "否"}}])),
                             "早于", "observed_on"),
    "impossible_date": (dump(minimal_checklist([{"id": "F1", "observed_on": "2026-02-30"}])),
                        "日期", "observed_on"),
    "bad_uscc": (dump(minimal_checklist([], uscc="91350100M000100Y44")), "校验位", "enterprise.uscc"),
    "duplicate_finding": (dump(minimal_checklist([{"id": "F1"}, {"id": "F1"}])), "重复", "findings[1]"),
    "enterprise_fact_in_answers": (dump({**minimal_checklist([]), "answers": {
        "managers_assessed": "否"}}), "enterprise.answers", "answers.managers_assessed"),
    "empty": ("   \n", "文件为空", None),
    "alias_bomb": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{i}: &b{i} [*{'a' if i == 0 else 'b' + str(i - 1)}, *{'a' if i == 0 else 'b' + str(i - 1)}]\n"
        for i in range(120)), "别名", "第 "),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input(tmp_path, name):
    text, message, where = BAD[name]
    path = write(tmp_path, f"{name}.yaml", text)
    before = path.read_bytes()
    code, out, err = run(["check", str(path)])
    assert code == 2, (out, err)
    assert message in err, err
    assert str(path) in err
    if where:
        assert where in err, err
    assert "Traceback" not in out + err
    assert out == ""
    assert path.read_bytes() == before  # input untouched


def test_not_utf8(tmp_path):
    path = write(tmp_path, "gbk.yaml", dump(example_checklist()), encoding="gbk")
    code, _, err = run(["check", str(path)])
    assert code == 2 and "UTF-8" in err and str(path) in err


def test_missing_file(tmp_path):
    code, _, err = run(["check", str(tmp_path / "nope.yaml")])
    assert code == 2 and "不存在" in err


def test_wrong_suffix(tmp_path):
    path = write(tmp_path, "list.txt", "x")
    code, _, err = run(["check", str(path)])
    assert code == 2 and "不支持的文件类型" in err


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr("hazardrules.safeyaml.MAX_BYTES", 100)
    path = write(tmp_path, "big.yaml", dump(example_checklist()))
    code, _, err = run(["check", str(path)])
    assert code == 2 and "文件过大" in err


def test_json_checklist_and_json_errors(tmp_path):
    good = write(tmp_path, "c.json", json.dumps(example_checklist(), ensure_ascii=False))
    code, out, _ = run(["check", str(good)])
    assert code == 1 and "第三条第（二）项" in out
    bad = write(tmp_path, "bad.json", '{"schema_version": 1,\n "enterprise": }')
    code, _, err = run(["check", str(bad)])
    assert code == 2 and "JSON 格式错误" in err and "第 2 行" in err


def test_deep_nesting_refused(tmp_path):
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 200 + "]" * 200 + "\n")
    code, _, err = run(["check", str(path)])
    assert code == 2 and "嵌套" in err


def test_unlicensed_operator_with_other_key(tmp_path):
    data = minimal_checklist([{"id": "F1", "facts": {"special_ops_workers_certified": "否"}}])
    del data["enterprise"]["uscc"]
    data["enterprise"]["other_key"] = "无证作坊-某村3组"
    code, out, _ = run(["check", str(write(tmp_path, "o.yaml", dump(data)))])
    assert code == 1 and "无证作坊" in out
    del data["enterprise"]["other_key"]
    code, _, err = run(["check", str(write(tmp_path, "n.yaml", dump(data)))])
    assert code == 2


def test_library_api_does_what_the_cli_does():
    from hazardrules import check, load_checklist, load_criteria, report_dict

    catalog = load_criteria()
    report = check(load_checklist(EXAMPLE, catalog), catalog)
    code, out, _ = run(["check", str(EXAMPLE), "--format", "json"])
    cli_data = json.loads(out)
    lib_data = json.loads(json.dumps(report_dict(report), ensure_ascii=False))
    assert lib_data == cli_data
    assert report.exit_code() == code


def test_cli_group_help_in_chinese():
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0 and "示例" in result.output
