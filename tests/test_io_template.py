"""`hazardrules template --format xlsx`: one row per applicable question with a typed answer
column, version stamps, and a round trip: filled in as a user would in Excel, `check` reads it
with the same verdicts as the equivalent YAML checklist."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import yaml
from openpyxl import load_workbook

from hazardrules.checklist import Enterprise
from hazardrules.io.layout import TEMPLATE_FORMAT
from hazardrules.template import applicable_questions, render_yaml

from .helpers import check_json, first_compliant

DAY = dt.date(2026, 3, 10)
PROFILE = (["工贸"], ["有色"], ["粉尘爆炸危险"])
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082")


@pytest.fixture
def template(tmp_path, run):
    path = tmp_path / "模板.xlsx"
    code, _, err = run("template", "--sector", "工贸", "--industry", "有色", "--feature", "粉尘爆炸危险",
                       "--date", DAY.isoformat(), "--format", "xlsx", "-o", path)
    assert code == 0, err
    return path


def _compliant(fact):
    """An answer that does not violate the fact (descriptive facts: 否)."""
    if fact.type == "bool":
        candidates = ["否", "是"]
    elif fact.type == "choice":
        candidates = list(reversed(fact.choices))
    elif fact.type == "number":
        candidates = [0, 1, 10**6]
    else:
        candidates = [dt.date(2026, 1, 1)]
    return first_compliant(fact, candidates)


def planned_answers(catalog, fact_ids):
    """What the user answers: mostly compliant, some unknown, some left blank, one hazard."""
    out = {}
    for i, fact_id in enumerate(fact_ids):
        fact = catalog.facts[fact_id]
        if fact_id == "special_ops_workers_certified":
            out[fact_id] = "否"
        elif i % 5 == 3:
            out[fact_id] = None
        elif i % 5 == 4:
            out[fact_id] = "不清楚"
        else:
            out[fact_id] = _compliant(fact)
    return out


FINDINGS = [
    {"id": "F1", "subject": {"site": "S1"}, "location": "抛光间", "description": "除尘器积尘严重",
     "observed_on": dt.date(2026, 3, 9),
     "facts": {"dust_accumulation_severe": "是", "dust_cleaning_system_implemented": "否"},
     "rectification": {"status": "未整改", "deadline": dt.date(2026, 3, 31), "note": "清扫并落实清扫制度"},
     "evidence": [{"ref": "photos/F1.png", "sha256": hashlib.sha256(PNG).hexdigest(), "note": "除尘器下方"}]},
    {"id": "F2", "location": "外包维修", "description": "外包单位未签协议", "situation": {"fixed_on_spot": True},
     "facts": {"contractors_coordinated": "否", "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}},
]
SITE = {"id": "S1", "name": "抛光车间", "place_types": ["生产车间"]}


def fill_like_a_user(path, answers, out):
    """Open the template and type into it, cell by cell, as one would in Excel."""
    wb = load_workbook(path)
    profile = wb["企业概况"]
    labels = {profile.cell(row=r, column=1).value: r for r in range(1, profile.max_row + 1)}
    profile.cell(row=labels["企业名称"], column=2, value="填好的铝业公司")
    profile.cell(row=labels["统一社会信用代码"], column=2, value="91350100M000100Y43")
    profile.cell(row=labels["检查人"], column=2, value="王工")
    questions = wb["检查项"]
    for r in range(2, questions.max_row + 1):
        fact_id = questions.cell(row=r, column=2).value
        if answers.get(fact_id) is not None:
            questions.cell(row=r, column=5, value=answers[fact_id])
    sites = wb["场所"]
    sites.append([SITE["id"], SITE["name"], "、".join(SITE["place_types"])])
    sheet = wb["检查发现"]
    head = [c.value for c in sheet[1]]
    col = {label: i + 1 for i, label in enumerate(head)}
    r = 2
    for f in FINDINGS:
        for n, (fact_id, value) in enumerate(f["facts"].items()):
            sheet.cell(row=r, column=col["检查项编号"], value=fact_id)
            sheet.cell(row=r, column=col["回答"], value=value)
            sheet.cell(row=r, column=col["检查发现编号"], value=f["id"])
            if n == 0:  # the finding's own columns on its first row only
                rect, ev = f.get("rectification", {}), (f.get("evidence") or [{}])[0]
                for label, value in (("场所编号", f.get("subject", {}).get("site")), ("部位", f["location"]),
                                     ("隐患描述", f["description"]), ("观察日期", f.get("observed_on")),
                                     ("整改状态", rect.get("status")), ("整改期限", rect.get("deadline")),
                                     ("整改措施", rect.get("note")),
                                     ("当场整改", "是" if f.get("situation", {}).get("fixed_on_spot") else None),
                                     ("证据文件或网址", ev.get("ref")), ("证据SHA256", ev.get("sha256")),
                                     ("证据说明", ev.get("note"))):
                    if value is not None:
                        sheet.cell(row=r, column=col[label], value=value)
            r += 1
        r += 1  # a blank row between findings
    wb.save(out)


def equivalent_yaml(catalog, answers, out):
    """The same checklist written from the YAML template."""
    data = yaml.safe_load(render_yaml(catalog, *PROFILE, DAY))
    data["enterprise"].update(name="填好的铝业公司", uscc="91350100M000100Y43")
    data["inspection"]["inspector"] = "王工"

    def plain(value):
        return value.isoformat() if isinstance(value, dt.date) else value

    data["enterprise"]["answers"] = {k: plain(answers[k]) for k in data["enterprise"]["answers"]}
    data["answers"] = {k: plain(answers[k]) for k in data["answers"]}
    data["sites"] = [SITE]
    findings = json.loads(json.dumps(FINDINGS, default=plain))
    data["findings"] = findings
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_filled_template_gives_the_same_verdicts_as_the_yaml(tmp_path, template, catalog, run):
    questions = applicable_questions(catalog, Enterprise("", *PROFILE), DAY)
    answers = planned_answers(catalog, [q.fact.id for q in questions])
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "F1.png").write_bytes(PNG)
    filled, twin = tmp_path / "填好的.xlsx", tmp_path / "填好的.yaml"
    fill_like_a_user(template, answers, filled)
    equivalent_yaml(catalog, answers, twin)
    code_x, from_xlsx = check_json(run, filled)
    code_y, from_yaml = check_json(run, twin)
    assert from_xlsx == from_yaml
    assert code_x == code_y == 1
    levels = {f["id"]: f["level"] for f in from_xlsx["findings"]}
    assert levels["Q-gongmao-2023-3-2"] == "major"  # 特种作业人员 否
    assert "F1" in levels and "F2" in levels
    assert any(v is None for v in answers.values()) and "不清楚" in answers.values()


def test_template_has_one_typed_row_per_applicable_question(template, catalog):
    questions = applicable_questions(catalog, Enterprise("", *PROFILE), DAY)
    wb = load_workbook(template)
    assert wb.sheetnames == ["说明", "企业概况", "检查项", "检查发现", "场所", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    sheet = wb["检查项"]
    assert [c.value for c in sheet[1]] == ["序号", "检查项编号", "范围", "问题", "回答", "单位", "填写方式",
                                           "依据条款", "说明"]
    ids = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
    assert sorted(ids) == sorted(q.fact.id for q in questions) and len(ids) == len(set(ids))
    validations = {}
    for dv in sheet.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            validations[rng.coord] = dv
    names = {name: wb.defined_names[name].attr_text for name in wb.defined_names}
    options = wb["选项"]

    def listed(dv):
        ref = names[dv.formula1].split("!")[1].replace("$", "")
        return [c.value for row in options[ref] for c in row]

    kinds = set()
    for r in range(2, sheet.max_row + 1):
        fact = catalog.facts[sheet.cell(row=r, column=2).value]
        dv = validations[f"E{r}"]
        kinds.add(fact.type)
        assert sheet.cell(row=r, column=4).value == fact.question
        if fact.type == "bool":
            assert dv.type == "list" and listed(dv) == ["是", "否", "不清楚", "不适用"]
        elif fact.type == "choice":
            assert dv.type == "list" and listed(dv) == [*fact.choices, "不清楚", "不适用"]
        else:
            assert dv.type == "custom" and f"ISNUMBER(E{r})" in dv.formula1
            assert sheet.cell(row=r, column=6).value == fact.unit
    assert {"bool", "choice", "number"} <= kinds
    assert "第三条第（二）项" in " ".join(str(sheet.cell(row=r, column=8).value) for r in range(2, sheet.max_row + 1))


def test_template_is_stamped_with_versions(template, catalog):
    readme = load_workbook(template)["说明"]
    stamps = {readme.cell(row=r, column=1).value: readme.cell(row=r, column=2).value
              for r in range(1, readme.max_row + 1)}
    assert stamps["模板格式版本"] == TEMPLATE_FORMAT
    assert stamps["判定数据版本"] == catalog.version.hash
    assert stamps["判定数据截至"] == catalog.version.as_of


def _stamp(path, label, value):
    wb = load_workbook(path)
    readme = wb["说明"]
    for r in range(1, readme.max_row + 1):
        if readme.cell(row=r, column=1).value == label:
            readme.cell(row=r, column=2, value=value)
    return wb


def _named(wb, out):
    profile = wb["企业概况"]
    profile["B2"], profile["B3"] = "某企业", "91350100M000100Y43"
    wb.save(out)
    return out


def test_newer_template_format_is_refused(tmp_path, template, run):
    path = _named(_stamp(template, "模板格式版本", TEMPLATE_FORMAT + 1), tmp_path / "new.xlsx")
    code, _, err = run("check", path)
    assert code == 2 and f"格式版本为 {TEMPLATE_FORMAT + 1}" in err and "工作表“说明”" in err, err


def test_old_vocabulary_with_the_same_questions_is_read(tmp_path, template, run):
    path = _named(_stamp(template, "判定数据版本", "sha256:0000000000000000"), tmp_path / "old.xlsx")
    code, _, err = run("check", path)
    assert code in (0, 1, 3), err


def test_old_vocabulary_with_a_changed_question_is_refused(tmp_path, template, run):
    wb = _stamp(template, "判定数据版本", "sha256:0000000000000000")
    wb["检查项"]["D3"] = "（旧问法）" + str(wb["检查项"]["D3"].value)
    path = _named(wb, tmp_path / "changed.xlsx")
    code, _, err = run("check", path)
    assert code == 2 and "工作表“检查项” 第 3 行 D 列“问题”" in err and "问法已改变" in err, err
    assert "sha256:0000000000000000" in err


def test_old_vocabulary_with_a_removed_question_says_to_regenerate(tmp_path, template, run):
    wb = _stamp(template, "判定数据版本", "sha256:0000000000000000")
    wb["检查项"]["B3"] = "a_fact_that_was_removed"
    path = _named(wb, tmp_path / "removed.xlsx")
    code, _, err = run("check", path)
    assert code == 2 and "工作表“检查项” 第 3 行 B 列“检查项编号”" in err and "重新生成" in err, err


def test_blank_template_names_what_is_missing(template, run):
    code, _, err = run("check", template)
    assert code == 2 and "工作表“企业概况”" in err and "name" in err, err


def test_xlsx_template_needs_an_output_file_and_never_overwrites(tmp_path, template, run):
    code, _, err = run("template", "--format", "xlsx")
    assert code == 2 and "-o" in err
    before = template.read_bytes()
    code, _, err = run("template", "--format", "xlsx", "-o", template)
    assert code == 2 and "--force" in err and template.read_bytes() == before
    code, _, _ = run("template", "--format", "xlsx", "-o", template, "--force", "--industry", "机械")
    assert code == 0 and template.read_bytes() != before


def test_yaml_template_is_still_the_default(run):
    code, out, _ = run("template", "--industry", "有色", "--date", DAY.isoformat())
    assert code == 0 and out.startswith("# hazardrules 检查表模板")
