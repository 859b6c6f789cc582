"""Reliability: a writer killed mid-checklist leaves every committed record intact and nothing
of the checklist it was writing; two processes recording at once do not corrupt the ledger.

The child processes run WORKER (below). They signal over stdout and wait on stdin, so the
parent kills or releases them at known points: no sleeps, no timing assumptions.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

from hazardrules.ledger import Ledger

from .conftest import ROOT

WORKER = r'''
import sys
from hazardrules.catalog import load_catalog
from hazardrules.checklist import parse_checklist
from hazardrules.judge import check
from hazardrules.ledger import Ledger, Actor

mode, db, tag = sys.argv[1], sys.argv[2], sys.argv[3]
catalog = load_catalog(sys.argv[4])
FACTS = [{"special_ops_workers_certified": "否"},
         {"special_ops_workers_certified": "是", "needs_shutdown_to_fix": "否", "cannot_remove_alone": "否"},
         {"contractors_coordinated": "是", "contractors_inspected_regularly": "不清楚"}]

def report(name, n):
    data = {"schema_version": 1,
            "enterprise": {"name": "并发测试企业", "uscc": "91350100M000100Y43", "sector": "工贸",
                           "industries": ["机械"]},
            "inspection": {"date": "2026-03-10", "kind": "执法检查", "note": name},
            "findings": [{"id": f"F{i}", "description": f"{name} 第 {i} 条", "facts": FACTS[i % 3]}
                         for i in range(n)]}
    return check(parse_checklist(data, catalog, name, {}), catalog)

def say(*words):
    print(*words, flush=True)

if mode == "crash":              # a few checklists committed, then killed inside a big one
    small = [report(f"{tag}-{k}", 7) for k in range(3)]
    big = report(f"{tag}-big", int(sys.argv[5]))
    book = Ledger(db)
    book.connection.execute("PRAGMA cache_size = 8")  # spill uncommitted pages into the WAL file
    for k, r in enumerate(small):
        book.record(r)
        say("committed", k)
    def progress(done, total):
        if done == total // 2:
            say("midway", done, total)
            sys.stdin.readline()  # the parent kills us here
    book.record(big, progress=progress)
    say("finished")
elif mode == "loop":             # records until killed at whatever point it has reached
    reports = [report(f"{tag}-{k}", 30) for k in range(int(sys.argv[5]))]
    book = Ledger(db)
    for k, r in enumerate(reports):
        book.record(r)
        say("committed", k)
elif mode == "writer":           # one of two writers started together
    count = int(sys.argv[5])
    reports = [report(f"{tag}-{k}", 25) for k in range(count)]
    shared = report("shared", 25)
    say("ready")
    sys.stdin.readline()
    book = Ledger(db)            # both open (and create) the ledger at the same moment
    for k, r in enumerate(reports):
        book.record(r)
        if k == count // 2:
            done = book.record(shared)
            try:
                book.update(done.hazard_ids[1], "已整改", Actor(tag, "enterprise"), on="2026-03-11")
                say("updated")
            except Exception as exc:
                say("refused", type(exc).__name__)
    say("done")
'''


def spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WORKER, *args[:3], str(ROOT / "criteria"), *args[3:]],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)


def read_until(proc: subprocess.Popen, word: str) -> list[str]:
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"worker ended before “{word}”: {lines} {proc.stderr.read()}")
        lines.append(line.strip())
        if line.startswith(word):
            return lines


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


def check_consistent(path, findings_per_inspection: dict[str, int]) -> dict[str, int]:
    """The database opens, passes SQLite's integrity check, and every recorded checklist is
    whole: all its findings, each with its record event, criteria rows for each verdict."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    rows = conn.execute(
        "SELECT i.source, count(f.id), sum((SELECT count(*) FROM events e WHERE e.finding_id = f.id AND e.seq = 1))"
        " FROM inspections i LEFT JOIN findings f ON f.inspection_id = i.id GROUP BY i.id").fetchall()
    conn.close()
    recorded = {}
    for source, findings, events in rows:
        prefix = source.rsplit("-", 1)[0] if source != "shared" else "shared"
        assert findings == findings_per_inspection[prefix], (source, findings)
        assert events == findings, source
        recorded[source] = findings
    return recorded


def test_killed_inside_a_large_checklist_keeps_committed_records_and_no_part_of_it(tmp_path):
    db = tmp_path / "台账.sqlite3"
    proc = spawn("crash", str(db), "A", "1500")
    lines = read_until(proc, "midway")
    assert lines[:3] == ["committed 0", "committed 1", "committed 2"]
    assert lines[3] == "midway 750 1500"  # killed with half of the big checklist written
    kill(proc)
    recorded = check_consistent(db, {"A": 7})
    assert sorted(recorded) == ["A-0", "A-1", "A-2"]
    with Ledger(db) as book:  # opens through the library, and nothing of the big checklist is there
        assert len(book.hazards()) == 21
        conn = book.connection
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 21
        assert conn.execute("SELECT count(*) FROM findings WHERE description LIKE 'A-big%'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM inspections WHERE source = 'A-big'").fetchone()[0] == 0


def test_killed_at_an_arbitrary_point_every_checklist_is_whole_or_absent(tmp_path):
    db = tmp_path / "台账.sqlite3"
    proc = spawn("loop", str(db), "B", "60")
    read_until(proc, "committed 2")
    kill(proc)  # wherever it is now: between checklists or inside one
    recorded = check_consistent(db, {"B": 30})
    assert {"B-0", "B-1", "B-2"} <= set(recorded)
    assert "B-59" not in recorded or len(recorded) == 60


def test_two_writers_at_once(tmp_path):
    db = tmp_path / "台账.sqlite3"
    writers = [spawn("writer", str(db), tag, "12") for tag in ("W1", "W2")]
    for proc in writers:
        read_until(proc, "ready")
    for proc in writers:  # release both together; the ledger does not exist yet
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outcomes = []
    for proc in writers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.strip().endswith("done")
        outcomes += [line.split()[0] for line in out.splitlines() if line.split()[0] in ("updated", "refused")]
    # the shared checklist was recorded once; of the two updates to one hazard, one won
    assert sorted(outcomes) == ["refused", "updated"]
    recorded = check_consistent(db, {"W1": 25, "W2": 25, "shared": 25})
    assert len(recorded) == 2 * 12 + 1
    with Ledger(db) as book:
        shared = [h for h in book.hazards() if h.description and h.description.startswith("shared 第 1 条")]
        assert len(shared) == 1 and shared[0].status == "已整改"
        assert [e.action for e in book.history(shared[0].id)] == ["record", "transition"]
        assert book.connection.execute("SELECT count(*) FROM enterprises").fetchone()[0] == 1
        assert book.connection.execute("PRAGMA user_version").fetchone()[0] >= 2
