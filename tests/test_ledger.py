"""The ledger as a library: recording, storage, history, penalties and the 第113条 count."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
import stat

import pytest

from hazardrules.checklist import load_checklist, parse_checklist
from hazardrules.errors import InputError
from hazardrules.judge import check
from hazardrules.ledger import Actor, Ledger, LifecycleError, default_db_path, replay
from hazardrules.ledger import migrations as mig
from hazardrules.penalties import repeated_penalties

from .helpers import EXAMPLE, example_checklist, minimal_checklist

USCC = "91350100M000100Y43"
OTHER = "91110000100000000R"  # another enterprise (a valid code)
ENT = Actor("张总", "enterprise")
INSP = Actor("赵某", "inspector")
DEPT = Actor("李科长", "department")
PLAN = {"responsibility": "设备部", "measures": "培训取证", "funds": "3000 元", "deadline": "2026-03-31",
        "contingency": "持证监护"}
MAJOR_FACTS = {"special_ops_workers_certified": "否"}
GENERAL_FACTS = {"special_ops_workers_certified": "是", "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"}


def report_of(catalog, data):
    return check(parse_checklist(data, catalog, "<测试>", {}), catalog)


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / "台账.sqlite3", today=lambda: dt.date(2026, 4, 30)) as book:
        yield book


@pytest.fixture(scope="module")
def example_report(catalog):
    return check(load_checklist(EXAMPLE, catalog), catalog)


# --- recording ---------------------------------------------------------------------------------


def test_record_stores_enterprise_inspection_findings_and_verdicts(ledger, example_report):
    done = ledger.record(example_report)
    assert done.created and done.inspection_id == 1 and len(done.hazard_ids) == 4
    assert done.levels == {"major": 1, "general": 1, "undetermined": 2}
    f1 = ledger.get(done.hazard_ids[0])
    assert (f1.ref, f1.enterprise_key, f1.enterprise_name) == ("F1", USCC, "示例铝业压延有限公司")
    assert f1.assessed_level == "major" and f1.level == "major" and f1.status == "待整改"
    assert [c["id"] for c in f1.criteria if c["status"] == "met"] == ["gongmao-2023/3-2"]
    gongmao = next(s for s in f1.standards if s["id"] == "gongmao-2023")
    assert gongmao["effective"] == "2023-05-15" and "第10号" in gongmao["document"]
    assert f1.data_hash == example_report.catalog.version.hash
    assert [ledger.get(i).status for i in done.hazard_ids[1:]] == ["立即整改", "待判定", "待判定"]
    assert ledger.get(done.hazard_ids[3]).undetermined_reason == "missing_facts"
    row = ledger.connection.execute("SELECT checklist_json, report_json FROM inspections").fetchone()
    assert json.loads(row["checklist_json"])["enterprise"]["uscc"] == USCC
    assert json.loads(row["report_json"])["summary"]["major"] == 1


def test_the_same_checklist_is_recognised_however_it_is_written(ledger, catalog, example_report):
    first = ledger.record(example_report)
    again = ledger.record(check(load_checklist(EXAMPLE, catalog), catalog))
    assert not again.created and again.inspection_id == first.inspection_id
    assert again.hazard_ids == first.hazard_ids
    # the same content as JSON, keys in another order: still the same checklist
    data = example_checklist()
    as_json = json.dumps(dict(reversed(list(data.items()))), ensure_ascii=False)
    path = ledger.path.parent / "同一检查表.json"
    path.write_text(as_json, "utf-8")
    assert not ledger.record(check(load_checklist(path, catalog), catalog)).created
    # another inspection day is another inspection
    data["inspection"]["date"] = "2026-03-11"
    assert ledger.record(report_of(catalog, data)).created
    count = ledger.connection.execute("SELECT count(*) FROM inspections").fetchone()[0]
    assert count == 2
    assert ledger.connection.execute("SELECT count(*) FROM findings").fetchone()[0] == 8


def test_initial_state_follows_the_checklist(ledger, catalog):
    findings = [
        {"id": "A", "facts": GENERAL_FACTS, "situation": {"fixed_on_spot": True}},
        {"id": "B", "facts": GENERAL_FACTS, "rectification": {"status": "未整改", "deadline": "2026-03-20"}},
        {"id": "C", "facts": MAJOR_FACTS, "rectification": {"status": "整改中", "deadline": "2026-04-30"},
         "situation": {"plan": dict.fromkeys(PLAN, True)}},
        {"id": "D", "facts": MAJOR_FACTS, "rectification": {"status": "整改中"},
         "situation": {"plan": {"responsibility": True, "measures": True},
                       "order": {"given_on": "2026-03-10", "kind": "停止使用"}}},
    ]
    ids = ledger.record(report_of(catalog, minimal_checklist(findings))).hazard_ids
    a, b, c, d = (ledger.get(i) for i in ids)
    assert a.status == "已整改"
    assert (b.status, b.deadline) == ("限期整改", "2026-03-20")
    assert (c.status, c.deadline) == ("整改中", "2026-04-30") and set(c.plan) == set(PLAN)
    assert d.status == "待整改" and "五落实不全" in d.history[0].note and "资金" in d.history[0].note
    assert d.suspension == {"kind": "停止使用", "on": "2026-03-10", "by": "authority"}


def test_an_unlicensed_operator_is_recorded_under_its_other_key(ledger, catalog):
    data = minimal_checklist([{"id": "F1", "facts": MAJOR_FACTS}], name="某村无证化工摊点")
    del data["enterprise"]["uscc"]
    data["enterprise"]["other_key"] = "夏家营镇-黑化工-02"
    done = ledger.record(report_of(catalog, data))
    assert done.enterprise_key == "other:夏家营镇-黑化工-02"
    assert [h.id for h in ledger.hazards(enterprise="夏家营镇-黑化工-02")] == done.hazard_ids
    ledger.add_penalty("夏家营镇-黑化工-02", "2026-03-12", "aqsf-2021/102", amount=10000)
    assert ledger.penalties_for("other:夏家营镇-黑化工-02")[0]["amount"] == 10000


def test_progress_is_reported_inside_the_transaction(ledger, example_report):
    seen = []

    def progress(done, total):
        # the other connection sees nothing until the whole checklist commits
        with sqlite3.connect(ledger.path) as other:
            seen.append((done, total, other.execute("SELECT count(*) FROM findings").fetchone()[0]))

    ledger.record(example_report, progress=progress)
    assert seen == [(1, 4, 0), (2, 4, 0), (3, 4, 0), (4, 4, 0)]


def test_an_error_midway_leaves_nothing(ledger, example_report):
    def fail(done, total):
        if done == 3:
            raise RuntimeError("中途出错")

    with pytest.raises(RuntimeError):
        ledger.record(example_report, progress=fail)
    for table in ("enterprises", "inspections", "findings", "events", "finding_criteria"):
        assert ledger.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert ledger.record(example_report).created


# --- storage ---------------------------------------------------------------------------------------


def test_file_is_owner_only_wal_and_at_the_latest_version(tmp_path, example_report):
    path = tmp_path / "台账.sqlite3"
    with Ledger(path) as book:
        book.record(example_report)
        for p in [path, *tmp_path.glob("台账.sqlite3-*")]:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        conn = book.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == mig.LATEST
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, mig.LATEST + 1))


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv("HAZARDRULES_LEDGER", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "hazardrules" / "ledger.sqlite3"
    with Ledger() as book:  # creates the directory (0700) and the file (0600)
        assert book.path.exists()
    assert stat.S_IMODE((tmp_path / "data" / "hazardrules").stat().st_mode) == 0o700
    monkeypatch.setenv("HAZARDRULES_LEDGER", str(tmp_path / "其他.sqlite3"))
    assert default_db_path() == tmp_path / "其他.sqlite3"


def test_an_older_ledger_is_migrated_with_its_records(tmp_path, example_report):
    from hazardrules.ledger.store import connect

    path = tmp_path / "旧.sqlite3"
    conn = connect(path)
    assert mig.migrate(conn, str(path), upto=1) == 1
    conn.close()
    with Ledger(path) as book:
        ids = book.record(example_report).hazard_ids
    conn = connect(path)
    assert mig.migrate(conn, str(path), upto=1) == mig.LATEST  # nothing to do, nothing undone
    conn.close()
    with Ledger(path) as book:
        assert book.connection.execute("PRAGMA user_version").fetchone()[0] == mig.LATEST
        assert [h.id for h in book.hazards()] == ids
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            book.connection.execute("UPDATE events SET actor = '某人'")


def test_a_newer_or_foreign_database_is_refused_untouched(tmp_path):
    newer = tmp_path / "新.sqlite3"
    with Ledger(newer):
        pass
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {mig.LATEST + 1}")
    with pytest.raises(InputError, match="高于本软件支持的"):
        Ledger(newer)
    foreign = tmp_path / "别的.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(InputError, match="不是 hazardrules 台账数据库"):
        Ledger(foreign)
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_history_cannot_be_rewritten(ledger, example_report):
    hid = ledger.record(example_report).hazard_ids[0]
    conn = ledger.connection
    for sql in ("UPDATE events SET note = 'x'", "DELETE FROM events", "DELETE FROM findings",
                "UPDATE inspections SET kind = '执法检查'", "UPDATE findings SET assessed_level = 'general'",
                "DELETE FROM finding_criteria"):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql)
    assert ledger.get(hid).assessed_level == "major"


def test_text_is_data_never_sql(ledger, catalog):
    evil = "x'); DROP TABLE findings; --"
    data = minimal_checklist([{"id": "F1", "facts": MAJOR_FACTS, "description": evil}], name=evil)
    hid = ledger.record(report_of(catalog, data)).hazard_ids[0]
    ledger.update(hid, "整改中", Actor(evil, "enterprise"), on="2026-03-11", plan={**PLAN, "measures": evil})
    assert ledger.get(hid).description == evil and ledger.get(hid).plan["measures"] == evil
    assert [h.id for h in ledger.hazards(enterprise="DROP TABLE")] == [hid]
    assert ledger.hazards(enterprise="%") == [] and ledger.hazards(enterprise="_") == []
    assert ledger.connection.execute("SELECT count(*) FROM findings").fetchone()[0] == 1


# --- the lifecycle through the ledger ----------------------------------------------------------------


def test_a_major_hazard_from_record_to_close_out_with_full_history(ledger, example_report):
    hid = ledger.record(example_report).hazard_ids[0]
    ledger.update(hid, "整改中", ENT, on="2026-03-12", plan=PLAN)
    ledger.supervise(hid, "区应急管理局", DEPT, on="2026-03-13")
    ledger.suspend(hid, "暂时停产停业", INSP, on="2026-03-13", department="区应急管理局")
    ledger.extend(hid, "2026-04-10", "培训班 4 月开班", DEPT, on="2026-03-25")
    ledger.update(hid, "已整改", ENT, on="2026-04-08", note="取证")
    with pytest.raises(LifecycleError, match="审查同意"):
        ledger.resume(hid, ENT, on="2026-04-09", note="自行恢复")
    ledger.resume(hid, DEPT, on="2026-04-09", note="现场复查合格，同意恢复")
    ledger.update(hid, "已验收", ENT, on="2026-04-10")
    h = ledger.update(hid, "销号", DEPT, on="2026-04-12")
    assert (h.status, h.deadline, h.suspension, h.supervised_by) == ("销号", "2026-04-10", None, "区应急管理局")
    assert [e.action for e in h.history] == ["record", "transition", "supervise", "suspend", "extend",
                                             "transition", "resume", "transition", "transition"]
    assert [(e.actor, e.role) for e in h.history][-1] == ("李科长", "department")
    extension = h.history[4]
    assert extension.changes["deadline"] == ["2026-03-31", "2026-04-10"] and extension.note == "培训班 4 月开班"
    # nothing is overwritten: the state on any day is rebuilt from the history
    assert replay(h.history) == h.state
    on_day = ledger.get(hid, as_of="2026-03-20")
    assert (on_day.status, on_day.deadline, on_day.suspension["kind"]) == ("整改中", "2026-03-31", "暂时停产停业")
    assert ledger.get(hid, as_of="2026-04-08").status == "已整改"


def test_steps_are_validated_and_a_refused_step_changes_nothing(ledger, example_report):
    ids = ledger.record(example_report).hazard_ids
    major, general, undetermined = ids[0], ids[1], ids[2]
    with pytest.raises(LifecycleError, match="尚缺：资金、预案"):
        ledger.update(major, "整改中", ENT, on="2026-03-12",
                      plan={k: v for k, v in PLAN.items() if k not in ("funds", "contingency")})
    with pytest.raises(LifecycleError, match="不能从“待整改”直接变为“销号”"):
        ledger.update(major, "销号", DEPT, on="2026-03-12")
    with pytest.raises(LifecycleError, match="须由企业办理"):
        ledger.update(major, "整改中", DEPT, on="2026-03-12", plan=PLAN)
    with pytest.raises(LifecycleError, match="只适用于重大事故隐患"):
        ledger.supervise(general, "区应急管理局", DEPT, on="2026-03-12")
    with pytest.raises(LifecycleError, match="尚未定级"):
        ledger.update(undetermined, "已整改", ENT, on="2026-03-12")
    with pytest.raises(LifecycleError, match="早于该隐患最近一次记录的日期"):
        ledger.update(general, "已整改", ENT, on="2026-03-01")
    with pytest.raises(InputError, match="没有编号为 99"):
        ledger.update(99, "已整改", ENT)
    assert all(len(ledger.history(i)) == 1 for i in ids)


def test_reclassification_and_withdrawal(ledger, example_report):
    ids = ledger.record(example_report).hazard_ids
    forklift, contractors = ids[2], ids[3]
    with pytest.raises(LifecycleError, match="须由检查人员或监管部门"):
        ledger.reclassify(forklift, "一般", "属特种设备作业人员", ENT, on="2026-03-15")
    h = ledger.reclassify(forklift, "一般", "依特种设备安全法责令改正", DEPT, on="2026-03-15", deadline="2026-03-25")
    assert (h.level, h.status, h.deadline) == ("general", "限期整改", "2026-03-25")
    h = ledger.reclassify(forklift, "重大", "多次无证作业，需停用叉车整改", ENT, on="2026-03-16")
    assert (h.level, h.status) == ("major", "待整改")
    assert ledger.get(forklift, as_of="2026-03-15").level == "general"
    with pytest.raises(LifecycleError, match="专家论证意见"):
        ledger.update(contractors, "已撤销", DEPT, on="2026-03-20", note="承租单位检查记录已找到")
    h = ledger.update(contractors, "已撤销", DEPT, on="2026-03-20", note="承租单位检查记录已找到",
                      review="专家组论证意见（2026-03-19）：不构成隐患")
    assert h.status == "已撤销" and h.state["review"].startswith("专家组")
    with pytest.raises(LifecycleError, match="已“已撤销”"):
        ledger.reclassify(contractors, "一般", "再议", DEPT, on="2026-03-21")


def test_list_filters_and_overdue(ledger, catalog, example_report):
    ids = ledger.record(example_report).hazard_ids
    data = minimal_checklist([{"id": "G", "facts": GENERAL_FACTS,
                               "rectification": {"status": "未整改", "deadline": "2026-04-20"}}],
                             name="另一企业", uscc=OTHER)
    other = ledger.record(report_of(catalog, data)).hazard_ids[0]
    ledger.update(ids[0], "整改中", ENT, on="2026-03-12", plan=PLAN)
    ledger.supervise(ids[0], "区应急管理局", DEPT, on="2026-03-13")
    assert [h.id for h in ledger.hazards(level="重大")] == [ids[0]]
    assert [h.id for h in ledger.hazards(status=["立即整改", "限期整改"])] == [ids[1], other]
    assert [h.id for h in ledger.hazards(enterprise="另一")] == [other]
    assert [h.id for h in ledger.hazards(enterprise=USCC)] == ids
    assert [h.id for h in ledger.hazards(supervised=True)] == [ids[0]]
    # on 2026-04-10: the 立即整改 one (since 03-10) and the major one (plan deadline 03-31)
    assert [h.id for h in ledger.overdue("2026-04-10")] == [ids[1], ids[0]]
    assert [h.id for h in ledger.overdue("2026-04-21")] == [ids[1], ids[0], other]
    ledger.update(ids[1], "已整改", ENT, on="2026-04-11")
    assert ledger.get(ids[1], as_of="2026-04-10").overdue("2026-04-10")
    assert [h.id for h in ledger.overdue()] == [ids[0], other]  # today = 2026-04-30
    assert ledger.overdue("2026-03-10") == []


# --- penalties and 第一百一十三条 -------------------------------------------------------------------------


def test_penalties_for_has_the_shape_of_checklist_penalties(ledger, catalog, example_report):
    hid = ledger.record(example_report).hazard_ids[0]
    other = minimal_checklist([{"id": "G", "facts": GENERAL_FACTS}], name="另一企业", uscc=OTHER)
    ledger.record(report_of(catalog, other))
    ledger.add_penalty(USCC, "2026-04-10", "aqsf-2021/97-item7", amount=20000, decision="罚〔2026〕12号",
                       hazard_id=hid)
    ledger.add_penalty(USCC, dt.date(2026, 4, 10), "aqsf-2021/94-para1", amount=20000, on="principal",
                       person="张总", decision="罚〔2026〕12号")
    ledger.add_penalty(USCC, "2026-01-05", "ling16-2007/26", note="警告")
    got = ledger.penalties_for(USCC)
    assert got[0] == {"date": dt.date(2026, 1, 5), "article": "ling16-2007/26", "on": "unit", "note": "警告"}
    assert got[1] == {"date": dt.date(2026, 4, 10), "article": "aqsf-2021/97-item7", "amount": 20000,
                      "on": "unit", "decision": "罚〔2026〕12号"}
    assert got[2]["on"] == "principal"
    assert ledger.penalties_for(OTHER) == [] and ledger.penalties_for("91350100M00020000F") == []
    with pytest.raises(InputError, match="不属于企业"):
        ledger.add_penalty(OTHER, "2026-04-10", "aqsf-2021/102", hazard_id=hid)
    with pytest.raises(InputError, match="未知的处罚对象"):
        ledger.add_penalty(USCC, "2026-04-10", "aqsf-2021/102", on="someone")


def test_article_113_count_from_recorded_penalties(ledger, catalog, example_report):
    """Three 安全生产法 penalties on the unit within 180 days: 第一百一十三条第（一）项 reached, counted
    with hazardrules.penalties.repeated_penalties from what the ledger recorded."""
    ledger.record(example_report)
    for day in ("2025-11-20", "2026-01-15", "2026-03-01"):
        ledger.add_penalty(USCC, day, "aqsf-2021/102", amount=30000)
    ledger.add_penalty(USCC, "2026-02-01", "aqsf-2021/94-para1", amount=20000, on="principal", person="张总")
    ledger.add_penalty(USCC, "2026-02-02", "tzsb-2013/84-item1", amount=30000)  # 特种设备安全法: not counted
    recorded = ledger.penalties_for(USCC)
    counted = [p["date"] for p in recorded if p["article"].startswith("aqsf-") and p["on"] == "unit"]
    day = dt.date(2026, 3, 10)
    counts = repeated_penalties(counted, day)
    assert counts == {"within_180_days": 3, "within_one_year": 3, "met": True}
    assert ledger.repeated_penalties(USCC, day) == {"day": "2026-03-10", **counts}
    later = repeated_penalties(counted, dt.date(2026, 5, 20))  # 2025-11-20 is now 181 days back
    assert later["within_180_days"] == 2 and not later["met"]
    # the penalty path reads checklist.enterprise.penalties: fed from the ledger, it asks for closure
    checklist = load_checklist(EXAMPLE, catalog)
    checklist.enterprise.penalties = [p for p in recorded if p["on"] == "unit"]
    verdict = check(checklist, catalog).verdicts[0]
    assert verdict.level == "major"
    assert "aqsf-2021/113-item1" in [s.article for s in verdict.path.steps]


def test_record_does_not_mutate_the_report(ledger, example_report):
    before = copy.deepcopy(example_report.checklist.raw)
    ledger.record(example_report)
    assert example_report.checklist.raw == before
