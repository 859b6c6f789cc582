"""The ledger's schema as numbered migrations, applied in order, each in its own transaction.

A database records its version in `PRAGMA user_version` (and, for people, in
schema_migrations). Never edit a released migration: add the next one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..errors import InputError
from .store import transaction

APPLICATION_ID = 0x48524C47  # "HRLG": marks a file as a hazardrules ledger

# Statements, not scripts: sqlite3.executescript() would commit before running.
V1_TABLES = (
    """CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TEXT NOT NULL
    )""",
    # key: the 统一社会信用代码, or "other:<key>" for an operator without one (e.g. a 黑化工 stall)
    """CREATE TABLE enterprises (
        key TEXT PRIMARY KEY,
        uscc TEXT UNIQUE,
        other_key TEXT,
        name TEXT NOT NULL,
        sectors TEXT NOT NULL,
        industries TEXT NOT NULL,
        features TEXT NOT NULL,
        first_recorded TEXT NOT NULL,
        CHECK (uscc IS NOT NULL OR other_key IS NOT NULL)
    )""",
    # one recorded checklist; content_hash recognises the same checklist recorded twice
    """CREATE TABLE inspections (
        id INTEGER PRIMARY KEY,
        enterprise_key TEXT NOT NULL REFERENCES enterprises(key),
        enterprise_name TEXT NOT NULL,
        sectors TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        inspector TEXT,
        source TEXT,
        content_hash TEXT NOT NULL UNIQUE,
        as_of TEXT,
        engine TEXT NOT NULL,
        data_hash TEXT NOT NULL,
        data_as_of TEXT,
        checklist_json TEXT NOT NULL,
        report_json TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    )""",
    # a finding with its verdict (assessed_level …) and, in the columns after it, the current
    # state: a projection of its events, kept for queries
    """CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        inspection_id INTEGER NOT NULL REFERENCES inspections(id),
        enterprise_key TEXT NOT NULL REFERENCES enterprises(key),
        ref TEXT NOT NULL,
        description TEXT,
        location TEXT,
        site TEXT,
        observed_on TEXT NOT NULL,
        judged_on TEXT NOT NULL,
        assessed_level TEXT NOT NULL CHECK (assessed_level IN ('major', 'general', 'undetermined')),
        unverified INTEGER NOT NULL,
        by_definition INTEGER NOT NULL,
        undetermined_reason TEXT,
        level TEXT NOT NULL CHECK (level IN ('major', 'general', 'undetermined')),
        status TEXT NOT NULL,
        status_on TEXT NOT NULL,
        deadline TEXT,
        plan TEXT,
        supervised_by TEXT,
        supervised_on TEXT,
        suspension TEXT,
        resumed_on TEXT,
        review TEXT,
        UNIQUE (inspection_id, ref)
    )""",
    """CREATE TABLE finding_criteria (
        finding_id INTEGER NOT NULL REFERENCES findings(id),
        criterion TEXT NOT NULL,
        standard TEXT NOT NULL,
        clause TEXT NOT NULL,
        title TEXT,
        status TEXT NOT NULL,
        verified INTEGER NOT NULL,
        PRIMARY KEY (finding_id, criterion)
    )""",
    # the editions in force on the judging day (the standard versions the verdict used)
    """CREATE TABLE finding_standards (
        finding_id INTEGER NOT NULL REFERENCES findings(id),
        standard TEXT NOT NULL,
        title TEXT NOT NULL,
        document TEXT NOT NULL,
        effective TEXT,
        PRIMARY KEY (finding_id, standard)
    )""",
    # the history: who, on which day, what changed ({field: [old, new]}), recorded when
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES findings(id),
        seq INTEGER NOT NULL,
        on_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('enterprise', 'inspector', 'department')),
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        note TEXT,
        UNIQUE (finding_id, seq)
    )""",
    """CREATE TABLE penalties (
        id INTEGER PRIMARY KEY,
        enterprise_key TEXT NOT NULL REFERENCES enterprises(key),
        decided_on TEXT NOT NULL,
        article TEXT NOT NULL,
        amount REAL CHECK (amount IS NULL OR amount >= 0),
        on_whom TEXT NOT NULL CHECK (on_whom IN ('unit', 'responsible_persons', 'principal')),
        person TEXT,
        measure TEXT NOT NULL,
        decision TEXT,
        finding_id INTEGER REFERENCES findings(id),
        note TEXT,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT
    )""",
)


def _append_only(table: str) -> tuple[str, ...]:
    return tuple(
        f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        for op in ("UPDATE", "DELETE"))


V2_INDEXES_AND_GUARDS = (
    "CREATE INDEX findings_by_status ON findings (status, deadline)",
    "CREATE INDEX findings_by_enterprise ON findings (enterprise_key)",
    "CREATE INDEX findings_by_inspection ON findings (inspection_id)",
    "CREATE INDEX inspections_by_date ON inspections (date)",
    "CREATE INDEX inspections_by_enterprise ON inspections (enterprise_key, date)",
    "CREATE INDEX penalties_by_enterprise ON penalties (enterprise_key, decided_on)",
    "CREATE INDEX penalties_by_date ON penalties (decided_on)",
    "CREATE INDEX events_by_action ON events (action, on_date)",
    # nothing recorded is ever overwritten: history, checklists and penalties are append-only,
    # and of a finding only the projected state may change
    *_append_only("events"),
    *_append_only("inspections"),
    *_append_only("penalties"),
    *_append_only("finding_criteria"),
    *_append_only("finding_standards"),
    """CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
        BEGIN SELECT RAISE(ABORT, 'findings are never deleted'); END""",
    """CREATE TRIGGER findings_verdict_fixed BEFORE UPDATE OF id, inspection_id, enterprise_key, ref,
        description, location, site, observed_on, judged_on, assessed_level, unverified, by_definition,
        undetermined_reason ON findings
        BEGIN SELECT RAISE(ABORT, 'a recorded verdict is never changed'); END""",
)

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "台账基本表：企业、检查、检查发现及判定、整改历史、行政处罚", V1_TABLES),
    (2, "查询索引；历史记录只追加、不修改", V2_INDEXES_AND_GUARDS),
)
LATEST = MIGRATIONS[-1][0]


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, name: str, upto: int = LATEST) -> int:
    """Bring the database up to `upto`; returns the version reached."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app != APPLICATION_ID and (app != 0 or tables):
        raise InputError("这不是 hazardrules 台账数据库（文件中已有其他数据），未作任何修改", file=name)
    current = version(conn)
    if current > LATEST:
        raise InputError(f"台账数据库版本为 {current}，高于本软件支持的 {LATEST}；请升级 hazardrules", file=name)
    for number, description, statements in MIGRATIONS:
        if number > upto:
            break
        with transaction(conn):
            if version(conn) >= number:  # another process got there first
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                         (number, description, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
            # PRAGMA takes no parameters; both values are integers from this module
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    return version(conn)
