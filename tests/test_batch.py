"""Batch checking: folders, JSON Lines, one bad checklist among good ones, several processes."""

from __future__ import annotations

import io
import json

import yaml

from hazardrules.batch import check_many, district_summary, iter_sources, summary_text

from .conftest import CASES
from .helpers import EXAMPLE, example_checklist, minimal_checklist


def _write_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(4):
        data = example_checklist()
        data["enterprise"]["name"] = f"企业{i}"
        data["enterprise"]["other_key"] = f"key-{i}"
        del data["enterprise"]["uscc"]
        data["findings"][1]["rectification"] = {"status": "已整改"}
        (folder / f"c{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    (folder / "bad.yaml").write_text("enterprise: [\n", "utf-8")
    (folder / "notes.txt").write_text("不是检查表", "utf-8")
    return folder


def test_a_folder_with_one_bad_checklist(tmp_path):
    folder = _write_batch(tmp_path)
    result = check_many(iter_sources([str(folder)]))
    assert len(result.items) == 5  # the .txt file is not a checklist and is not read
    assert [i.source.endswith("bad.yaml") for i in result.errors] == [True]
    assert "YAML 格式错误" in result.errors[0].error
    assert result.exit_code() == 2  # the batch ran, and says that an input was bad
    s = result.summary()
    assert s["enterprises"] == 4 and s["checklists"] == 4
    assert (s["major"], s["general"], s["general_fixed"], s["undetermined"]) == (4, 4, 4, 8)
    assert s["rectification_rate"] == 0.5
    assert "排查企业 4 家" in summary_text(s) and "整改率 50.0%" in summary_text(s)


def test_jsonl_from_stdin_names_the_bad_line():
    good = json.dumps(example_checklist(), ensure_ascii=False)
    stream = io.StringIO(good + "\n" + "{not json\n" + "\n" + good + "\n")
    result = check_many(iter_sources(["-"], stdin=stream))
    assert len(result.items) == 3
    [bad] = result.errors
    assert "第 2 行" in bad.source and "JSON 格式错误" in bad.error
    assert result.summary()["enterprises"] == 1  # the same enterprise twice


def test_two_processes_give_the_same_verdicts_as_one(tmp_path):
    folder = _write_batch(tmp_path)
    sources = list(iter_sources([str(folder), str(CASES / "gongmao-2023")]))
    one = check_many(sources, jobs=1)
    two = check_many(sources, jobs=2)
    strip = [(i.source, i.error, i.report and [(f["id"], f["level"]) for f in i.report["findings"]])
             for i in one.items]
    assert strip == [(i.source, i.error, i.report and [(f["id"], f["level"]) for f in i.report["findings"]])
                     for i in two.items]
    assert one.summary() == two.summary()


def test_summary_breaks_down_by_sector_and_standard():
    data = minimal_checklist([{"id": "F1", "facts": {"special_ops_workers_certified": "否"},
                               "rectification": {"status": "已验收"}}])
    result = check_many(iter_sources(["-"], stdin=io.StringIO(json.dumps(data, ensure_ascii=False))))
    s = district_summary([result.items[0].report])
    assert s["by_sector"]["工贸"]["major"] == 1 and s["by_sector"]["工贸"]["major_fixed"] == 1
    assert s["by_standard"]["gongmao-2023"]["major"] == 1


def test_the_example_alone(tmp_path):
    result = check_many(iter_sources([str(EXAMPLE)]))
    assert result.exit_code() == 1 and not result.errors


# --- the command line ---------------------------------------------------------------------

def _run(args, input=None):
    from .test_cli import run

    return run(args, input=input)


def test_cli_batch_folder_with_a_bad_file_exits_2_and_reports_it(tmp_path):
    folder = _write_batch(tmp_path)
    code, out, _ = _run(["check", str(folder)])
    assert code == 2
    assert "bad.yaml" in out and "YAML 格式错误" in out
    assert "排查企业 4 家" in out


def test_cli_batch_jsonl_from_stdin_and_jobs(tmp_path):
    good = json.dumps(example_checklist(), ensure_ascii=False)
    code1, out1, _ = _run(["check", "-", "--format", "json"], input=good + "\n" + good + "\n")
    code2, out2, _ = _run(["check", "-", "--format", "json", "--jobs", "2"], input=good + "\n" + good + "\n")
    assert code1 == code2 == 1
    one, two = json.loads(out1), json.loads(out2)
    assert one["summary"] == two["summary"] and one["summary"]["major"] == 2
    assert [c["source"] for c in one["checklists"]] == [c["source"] for c in two["checklists"]]


def test_cli_check_record_writes_the_ledger_once(tmp_path):
    db = tmp_path / "台账.sqlite3"
    code, _, err = _run(["check", str(EXAMPLE), "--record", "--db", str(db)])
    assert code == 1 and "已记入台账" in err
    code, _, err = _run(["check", str(EXAMPLE), "--record", "--db", str(db)])
    assert "未重复记录" in err
