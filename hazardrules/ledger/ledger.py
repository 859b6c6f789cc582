"""The hazard ledger (隐患台账): a library over one SQLite file.

    from hazardrules.ledger import Ledger, Actor
    with Ledger("台账.sqlite3") as ledger:
        recorded = ledger.record(report)                  # a hazardrules.judge.Report
        ledger.update(recorded.hazard_ids[0], "整改中", Actor("张总", "enterprise"), plan={...})
        print(ledger.stats(end="2026-04-30").figures)

Every write is one transaction; a hazard's state changes only through events that are
appended, never edited, so its state on any day can be rebuilt from its history.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from . import lifecycle as lc
from .lifecycle import Actor, LifecycleError
from .migrations import migrate
from .recording import KIND_ROLE, FindingRows, content_hash, finding_rows, report_json
from .store import connect, default_db_path, snapshot, transaction

if TYPE_CHECKING:
    from ..judge import Report
    from .stats import Stats

PENALTY_ON = ("unit", "responsible_persons", "principal")
PENALTY_ON_TEXT = {"unit": "单位", "responsible_persons": "直接负责的主管人员和其他直接责任人员",
                   "principal": "主要负责人"}
JSON_FIELDS = ("plan", "suspension")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def to_day(value: dt.date | str | None, option: str) -> str | None:
    """An ISO date string from a date or text; a clear message for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"日期“{value}”写法不对或不存在，应为 YYYY-MM-DD", position=option) from None


@dataclass
class Event:
    seq: int
    on_date: str
    recorded_at: str
    actor: str
    role: str
    action: str
    changes: dict[str, list[Any]]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "on": self.on_date, "recorded_at": self.recorded_at, "actor": self.actor,
                "role": self.role, "action": self.action, "changes": self.changes, "note": self.note}


@dataclass
class Hazard:
    """One ledger entry: a recorded finding, its verdict, and its rectification state."""

    id: int
    enterprise_key: str
    enterprise_name: str
    sectors: list[str]
    inspection_id: int
    inspection_date: str
    inspection_kind: str
    inspector: str | None
    ref: str
    description: str | None
    location: str | None
    site: str | None
    observed_on: str
    judged_on: str
    assessed_level: str
    unverified: bool
    by_definition: bool
    undetermined_reason: str | None
    data_hash: str
    data_as_of: str | None
    state: dict[str, Any]
    criteria: list[dict[str, Any]] = field(default_factory=list)
    standards: list[dict[str, Any]] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)

    @property
    def level(self) -> str:
        return self.state["level"]

    @property
    def status(self) -> str:
        return self.state["status"]

    @property
    def deadline(self) -> str | None:
        return self.state.get("deadline")

    @property
    def plan(self) -> dict[str, str] | None:
        return self.state.get("plan")

    @property
    def supervised_by(self) -> str | None:
        return self.state.get("supervised_by")

    @property
    def suspension(self) -> dict[str, str] | None:
        return self.state.get("suspension")

    def overdue(self, day: str) -> bool:
        return lc.overdue(self.state, day)

    @property
    def due(self) -> str | None:
        return lc.due_date(self.state)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "enterprise": {"key": self.enterprise_key, "name": self.enterprise_name, "sectors": self.sectors},
            "inspection": {"id": self.inspection_id, "date": self.inspection_date, "kind": self.inspection_kind,
                           "inspector": self.inspector},
            "finding": {"id": self.ref, "description": self.description, "location": self.location,
                        "site": self.site, "observed_on": self.observed_on},
            "verdict": {"level": self.assessed_level, "judged_on": self.judged_on, "unverified": self.unverified,
                        "by_definition": self.by_definition, "undetermined_reason": self.undetermined_reason,
                        "criteria": self.criteria, "standards": self.standards,
                        "data_version": {"hash": self.data_hash, "as_of": self.data_as_of}},
            "level": self.level,
            "status": self.status,
            "status_on": self.state.get("status_on"),
            "deadline": self.deadline,
            "plan": self.plan,
            "supervised_by": self.supervised_by,
            "supervised_on": self.state.get("supervised_on"),
            "suspension": self.suspension,
            "resumed_on": self.state.get("resumed_on"),
            "review": self.state.get("review"),
            "history": [e.to_dict() for e in self.history],
        }


@dataclass
class Recorded:
    """What `record` did: a new inspection, or the one this checklist was already recorded as."""

    inspection_id: int
    created: bool
    hazard_ids: list[int]
    enterprise_key: str
    enterprise_name: str
    date: str
    kind: str
    levels: dict[str, int]
    recorded_at: str


@dataclass
class Penalty:
    id: int
    enterprise_key: str
    enterprise_name: str
    decided_on: str
    article: str
    amount: float | None
    on: str
    person: str | None
    measure: str
    decision: str | None
    hazard_id: int | None
    note: str | None

    def checklist_entry(self) -> dict[str, Any]:
        """The shape of a checklist's enterprise.penalties entry, as hazardrules.penalties reads it."""
        out: dict[str, Any] = {"date": dt.date.fromisoformat(self.decided_on), "article": self.article}
        if self.amount is not None:
            out["amount"] = self.amount
        out["on"] = self.on
        if self.decision:
            out["decision"] = self.decision
        if self.note:
            out["note"] = self.note
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "enterprise": self.enterprise_key, "enterprise_name": self.enterprise_name,
                "date": self.decided_on, "article": self.article, "amount": self.amount, "on": self.on,
                "person": self.person, "measure": self.measure, "decision": self.decision,
                "hazard": self.hazard_id, "note": self.note}


_HAZARD_SELECT = """
    SELECT f.*, i.date AS inspection_date, i.kind AS inspection_kind, i.inspector AS inspector,
           i.sectors AS sectors, i.data_hash AS data_hash, i.data_as_of AS data_as_of,
           e.name AS enterprise_name
    FROM findings f
    JOIN inspections i ON i.id = f.inspection_id
    JOIN enterprises e ON e.key = f.enterprise_key
"""


class Ledger:
    """The hazard ledger in one SQLite file, created and migrated on first use."""

    def __init__(self, path: Path | str | None = None, *, today: Callable[[], dt.date] | None = None):
        default = path is None
        self.path = Path(path) if path is not None else default_db_path()
        self._today = today or dt.date.today
        self._conn = connect(self.path, default_location=default)
        try:
            migrate(self._conn, str(self.path))
        except BaseException:
            self._conn.close()
            raise

    # -- housekeeping ---------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def today(self) -> str:
        return self._today().isoformat()

    @property
    def connection(self) -> sqlite3.Connection:
        """For read-only inspection (tests, ad-hoc queries); write through the methods."""
        return self._conn

    # -- recording a checklist ---------------------------------------------------------------

    def record(self, report: Report, *, by: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> Recorded:
        """Record a judged checklist: the enterprise, the inspection, every finding with its
        verdict, and each hazard's starting state. A checklist already recorded (same content,
        enterprise and inspection day) is recognised and not recorded again. `progress(done,
        total)` is called after each finding is written, inside the transaction."""
        checklist = report.checklist
        ent = checklist.enterprise
        key = ent.key
        day = checklist.inspection_date
        digest = content_hash(checklist.raw, key, day)
        kind = checklist.inspection["kind"]
        inspector = checklist.inspection.get("inspector")
        actor = Actor(by or inspector or "（检查表未记载检查人员）", KIND_ROLE.get(kind, lc.INSPECTOR))
        rows = [finding_rows(v, day) for v in report.verdicts]
        report_text = report_json(report)
        version = report.catalog.version
        now = _now()
        with transaction(self._conn) as conn:
            found = conn.execute("SELECT id FROM inspections WHERE content_hash = ?", (digest,)).fetchone()
            if found is not None:
                return self._recorded(found["id"], created=False)
            # the enterprise row holds the latest profile; each inspection keeps the one it recorded
            conn.execute(
                """INSERT INTO enterprises (key, uscc, other_key, name, sectors, industries, features,
                                            first_recorded)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET name = excluded.name, sectors = excluded.sectors,
                       industries = excluded.industries, features = excluded.features""",
                (key, ent.uscc, ent.other_key, ent.name, _j(ent.sectors), _j(ent.industries),
                 _j(ent.features), now))
            inspection_id = conn.execute(
                """INSERT INTO inspections (enterprise_key, enterprise_name, sectors, date, kind, inspector,
                       source, content_hash, as_of, engine, data_hash, data_as_of, checklist_json,
                       report_json, recorded_at, recorded_by)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (key, ent.name, _j(ent.sectors), day.isoformat(), kind, inspector, str(checklist.source),
                 digest, report.as_of.isoformat() if report.as_of else None, report.engine, version.hash,
                 version.as_of, _j(checklist.raw), report_text, now, actor.name)).lastrowid
            for done, row in enumerate(rows, 1):
                self._insert_finding(inspection_id, key, row, day.isoformat(), now, actor)
                if progress is not None:
                    progress(done, len(rows))
        return self._recorded(inspection_id, created=True)

    def _insert_finding(self, inspection_id: int, key: str, row: FindingRows, day: str, now: str,
                        actor: Actor) -> None:
        """A finding with its verdict rows and the record event that sets its first state."""
        state = {k: _encode(k, row.initial.get(k)) for k in lc.STATE_FIELDS}
        values = {**row.values, "inspection_id": inspection_id, "enterprise_key": key, **state}
        columns = ", ".join(values)  # names from recording.py and lifecycle.py, never from input
        marks = ", ".join("?" for _ in values)
        finding_id = self._conn.execute(f"INSERT INTO findings ({columns}) VALUES ({marks})",
                                        tuple(values.values())).lastrowid
        self._conn.executemany(
            "INSERT INTO finding_criteria (finding_id, criterion, standard, clause, title, status, verified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [(finding_id, *c) for c in row.criteria])
        self._conn.executemany(
            "INSERT INTO finding_standards (finding_id, standard, title, document, effective) VALUES (?, ?, ?, ?, ?)",
            [(finding_id, *s) for s in row.standards])
        changes = {k: (None, v) for k, v in row.initial.items()}
        self._insert_event(finding_id, 1, day, now, actor, "record", changes, row.note)

    def _recorded(self, inspection_id: int, created: bool) -> Recorded:
        row = self._conn.execute("SELECT * FROM inspections WHERE id = ?", (inspection_id,)).fetchone()
        found = self._conn.execute("SELECT id, assessed_level FROM findings WHERE inspection_id = ? ORDER BY id",
                                   (inspection_id,)).fetchall()
        levels = {lc.MAJOR: 0, lc.GENERAL: 0, lc.UNDETERMINED: 0}
        for f in found:
            levels[f["assessed_level"]] += 1
        return Recorded(inspection_id, created, [f["id"] for f in found], row["enterprise_key"],
                        row["enterprise_name"], row["date"], row["kind"], levels, row["recorded_at"])

    # -- reading -----------------------------------------------------------------------------

    def get(self, hazard_id: int, *, as_of: dt.date | str | None = None) -> Hazard:
        """One hazard with its verdict and full history; with `as_of`, its state on that day."""
        with snapshot(self._conn):
            return self._get(hazard_id, as_of)

    def _get(self, hazard_id: int, as_of: dt.date | str | None) -> Hazard:
        row = self._conn.execute(_HAZARD_SELECT + " WHERE f.id = ?", (int(hazard_id),)).fetchone()
        if row is None:
            raise InputError(f"台账中没有编号为 {hazard_id} 的隐患", position="ID")
        hazard = self._hazard(row)
        hazard.history = self.history(hazard.id)
        hazard.criteria = [dict(r) for r in self._conn.execute(
            "SELECT criterion AS id, standard, clause, title, status, verified FROM finding_criteria"
            " WHERE finding_id = ? ORDER BY rowid", (hazard.id,))]
        for c in hazard.criteria:
            c["verified"] = bool(c["verified"])
        hazard.standards = [dict(r) for r in self._conn.execute(
            "SELECT standard AS id, title, document, effective FROM finding_standards WHERE finding_id = ?"
            " ORDER BY rowid", (hazard.id,))]
        if as_of is not None:
            day = to_day(as_of, "--as-of")
            hazard.state = replay(hazard.history, day)
        return hazard

    def history(self, hazard_id: int) -> list[Event]:
        return [Event(r["seq"], r["on_date"], r["recorded_at"], r["actor"], r["role"], r["action"],
                      json.loads(r["changes"]), r["note"])
                for r in self._conn.execute("SELECT * FROM events WHERE finding_id = ? ORDER BY seq",
                                            (int(hazard_id),))]

    def hazards(self, *, status: Iterable[str] | str | None = None, level: str | None = None,
                enterprise: str | None = None, supervised: bool | None = None,
                suspended: bool | None = None, found_from: dt.date | str | None = None,
                found_to: dt.date | str | None = None) -> list[Hazard]:
        """Hazards filtered by status, level (重大 / 一般 / 待判定), enterprise (its key, or part of
        its name), 挂牌督办, suspension, and the inspection date (found_from … found_to)."""
        where, params = _found_between(found_from, found_to)
        if status:
            statuses = [status] if isinstance(status, str) else list(status)
            for s in statuses:
                lc.parse_status(s)
            where.append(f"f.status IN ({', '.join('?' for _ in statuses)})")
            params += statuses
        if level:
            where.append("f.level = ?")
            params.append(lc.parse_level(level))
        if enterprise:
            where.append("(f.enterprise_key = ? OR f.enterprise_key = ? OR e.name LIKE ? ESCAPE '\\')")
            params += [enterprise, "other:" + enterprise, "%" + _like(enterprise) + "%"]
        if supervised is not None:
            where.append("f.supervised_by IS NOT NULL" if supervised else "f.supervised_by IS NULL")
        if suspended is not None:
            where.append("f.suspension IS NOT NULL" if suspended else "f.suspension IS NULL")
        sql = _HAZARD_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY f.id"
        return [self._hazard(r) for r in self._conn.execute(sql, params)]

    def states_on(self, day: dt.date | str, *, found_from: dt.date | str | None = None,
                  found_to: dt.date | str | None = None) -> dict[int, dict[str, Any]]:
        """Every hazard's state on `day`, rebuilt from the history (hazard id → state), for
        hazards found between the two dates."""
        day = to_day(day, "--to")
        where, params = _found_between(found_from, found_to)
        sql = ("SELECT v.finding_id, v.on_date, v.changes FROM events v"
               " JOIN findings f ON f.id = v.finding_id JOIN inspections i ON i.id = f.inspection_id"
               " WHERE v.on_date <= ?" + "".join(" AND " + w for w in where) + " ORDER BY v.finding_id, v.seq")
        states: dict[int, dict[str, Any]] = {}
        for row in self._conn.execute(sql, [day, *params]):
            state = states.setdefault(row["finding_id"], {k: None for k in lc.STATE_FIELDS})
            for key, (_old, new) in json.loads(row["changes"]).items():
                state[key] = new
        return states

    def standards_of(self, found_from: dt.date | str | None = None,
                     found_to: dt.date | str | None = None) -> dict[int, list[str]]:
        """The standards each hazard was judged under: those of its met criteria, else of the
        criteria it touched, else the editions in force on its judging day."""
        where, params = _found_between(found_from, found_to)
        cond = "".join(" AND " + w for w in where)
        out: dict[int, dict[str, set[str]]] = {}
        for table, tier in (("finding_criteria", "touched"), ("finding_standards", "in_force")):
            status = ", c.status" if table == "finding_criteria" else ", NULL AS status"
            sql = (f"SELECT c.finding_id, c.standard{status} FROM {table} c JOIN findings f ON f.id = c.finding_id"
                   f" JOIN inspections i ON i.id = f.inspection_id WHERE 1 = 1{cond}")
            for row in self._conn.execute(sql, params):
                tiers = out.setdefault(row["finding_id"], {"met": set(), "touched": set(), "in_force": set()})
                tiers["met" if row["status"] == "met" else tier].add(row["standard"])
        return {fid: sorted(t["met"] or t["touched"] or t["in_force"]) for fid, t in out.items()}

    def inspections(self, found_from: dt.date | str | None = None,
                    found_to: dt.date | str | None = None) -> list[dict[str, Any]]:
        where, params = _found_between(found_from, found_to)
        sql = ("SELECT i.id, i.enterprise_key, i.enterprise_name, i.sectors, i.date, i.kind, i.inspector,"
               " i.recorded_at FROM inspections i" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY i.date, i.id")
        return [{**dict(r), "sectors": json.loads(r["sectors"])} for r in self._conn.execute(sql, params)]

    def suspension_orders(self, start: dt.date | str | None = None,
                          end: dt.date | str | None = None) -> list[dict[str, Any]]:
        """Orders to suspend production or use made by an authority (not by the enterprise
        itself) between the two dates: {hazard, enterprise_key, kind, on}."""
        start, end = to_day(start, "--from"), to_day(end, "--to")
        out = []
        for row in self._conn.execute(
                "SELECT v.finding_id, v.changes, f.enterprise_key FROM events v JOIN findings f ON f.id = v.finding_id"
                " WHERE v.action IN ('record', 'suspend') ORDER BY v.id"):
            order = json.loads(row["changes"]).get("suspension", [None, None])[1]
            if not order or order.get("by") != lc.AUTHORITY:
                continue
            if (start and order["on"] < start) or (end and order["on"] > end):
                continue
            out.append({"hazard": row["finding_id"], "enterprise_key": row["enterprise_key"],
                        "kind": order["kind"], "on": order["on"]})
        return out

    def overdue(self, day: dt.date | str | None = None) -> list[Hazard]:
        """Hazards past their deadline and not yet rectified on `day` (default today), for 回头看:
        the most overdue first."""
        day = to_day(day, "--on") or self.today()
        open_states = sorted(lc.OPEN - {lc.UNCLASSIFIED})
        found = [h for h in self.hazards(status=open_states) if h.overdue(day)]
        return sorted(found, key=lambda h: (h.due or "", h.id))

    def _hazard(self, row: sqlite3.Row) -> Hazard:
        state = {k: _decode(k, row[k]) for k in lc.STATE_FIELDS}
        return Hazard(
            id=row["id"], enterprise_key=row["enterprise_key"], enterprise_name=row["enterprise_name"],
            sectors=json.loads(row["sectors"]), inspection_id=row["inspection_id"],
            inspection_date=row["inspection_date"], inspection_kind=row["inspection_kind"],
            inspector=row["inspector"], ref=row["ref"], description=row["description"],
            location=row["location"], site=row["site"], observed_on=row["observed_on"],
            judged_on=row["judged_on"], assessed_level=row["assessed_level"],
            unverified=bool(row["unverified"]), by_definition=bool(row["by_definition"]),
            undetermined_reason=row["undetermined_reason"], data_hash=row["data_hash"],
            data_as_of=row["data_as_of"], state=state)

    # -- the lifecycle -----------------------------------------------------------------------

    def update(self, hazard_id: int, status: str, actor: Actor, *, on: dt.date | str | None = None,
               note: str | None = None, deadline: dt.date | str | None = None,
               plan: dict[str, Any] | None = None, review: str | None = None) -> Hazard:
        """Move a hazard to another status (see lifecycle.TRANSITIONS). 整改中 needs the plan's
        five elements (responsibility, measures, funds, deadline, contingency); 已撤销 needs the
        reason (note) and the expert review."""
        deadline = to_day(deadline, "--deadline")
        if plan and plan.get("deadline") is not None:
            plan = {**plan, "deadline": to_day(plan["deadline"], "--deadline")}
        action = "withdraw" if status == lc.WITHDRAWN else "transition"
        return self._step(hazard_id, actor, on, action, note, lambda s, day: lc.transition(
            s, status, actor, day, deadline=deadline, plan=plan, note=note, review=review))

    def supervise(self, hazard_id: int, department: str, actor: Actor, *, on: dt.date | str | None = None,
                  note: str | None = None) -> Hazard:
        return self._step(hazard_id, actor, on, "supervise", note,
                          lambda s, day: lc.supervise(s, department, actor, day))

    def suspend(self, hazard_id: int, kind: str, actor: Actor, *, on: dt.date | str | None = None,
                department: str | None = None, note: str | None = None) -> Hazard:
        return self._step(hazard_id, actor, on, "suspend", note,
                          lambda s, day: lc.suspend(s, kind, actor, day, department))

    def resume(self, hazard_id: int, actor: Actor, *, on: dt.date | str | None = None,
               note: str | None = None) -> Hazard:
        return self._step(hazard_id, actor, on, "resume", note, lambda s, day: lc.resume(s, actor, day, note))

    def extend(self, hazard_id: int, deadline: dt.date | str, reason: str, actor: Actor, *,
               on: dt.date | str | None = None) -> Hazard:
        deadline = to_day(deadline, "--deadline")
        return self._step(hazard_id, actor, on, "extend", reason,
                          lambda s, day: lc.extend(s, deadline, reason, actor, day))

    def reclassify(self, hazard_id: int, level: str, reason: str, actor: Actor, *,
                   on: dt.date | str | None = None, deadline: dt.date | str | None = None) -> Hazard:
        deadline = to_day(deadline, "--deadline")
        return self._step(hazard_id, actor, on, "reclassify", reason,
                          lambda s, day: lc.reclassify(s, level, reason, actor, day, deadline))

    def withdraw(self, hazard_id: int, reason: str, review: str, actor: Actor, *,
                 on: dt.date | str | None = None) -> Hazard:
        return self._step(hazard_id, actor, on, "withdraw", reason,
                          lambda s, day: lc.withdraw(s, reason, review, actor, day))

    def _step(self, hazard_id: int, actor: Actor, on: dt.date | str | None, action: str, note: str | None,
              decide: Callable[[dict[str, Any], str], lc.Changes]) -> Hazard:
        day = to_day(on, "--on") or self.today()
        with transaction(self._conn) as conn:
            row = conn.execute("SELECT * FROM findings WHERE id = ?", (int(hazard_id),)).fetchone()
            if row is None:
                raise InputError(f"台账中没有编号为 {hazard_id} 的隐患", position="ID")
            last = conn.execute("SELECT max(seq) AS seq, max(on_date) AS on_date FROM events WHERE finding_id = ?",
                                (row["id"],)).fetchone()
            if day < last["on_date"]:
                raise LifecycleError(f"办理日期 {day} 早于该隐患最近一次记录的日期 {last['on_date']}；"
                                     "历史按日期先后记录，不能插入更早的办理", position="--on")
            state = {k: _decode(k, row[k]) for k in lc.STATE_FIELDS}
            changes = decide(state, day)
            self._insert_event(row["id"], last["seq"] + 1, day, _now(), actor, action, changes,
                               note.strip() if note and note.strip() else None)
            if not set(changes) <= set(lc.STATE_FIELDS):  # column names below come from here
                raise RuntimeError(f"unexpected fields in a lifecycle change: {sorted(changes)}")
            assignments = ", ".join(f"{k} = ?" for k in changes)
            conn.execute(f"UPDATE findings SET {assignments} WHERE id = ?",
                         (*(_encode(k, new) for k, (_old, new) in changes.items()), row["id"]))
        return self.get(row["id"])

    def _insert_event(self, finding_id: int, seq: int, day: str, now: str, actor: Actor, action: str,
                      changes: lc.Changes, note: str | None) -> None:
        self._conn.execute(
            "INSERT INTO events (finding_id, seq, on_date, recorded_at, actor, role, action, changes, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (finding_id, seq, day, now, actor.name, actor.role, action,
             json.dumps({k: list(v) for k, v in changes.items()}, ensure_ascii=False), note))

    # -- penalties ---------------------------------------------------------------------------

    def enterprise_key(self, text: str) -> str:
        """The ledger key of an enterprise given as its 统一社会信用代码 or its other key."""
        for key in (text, "other:" + text):
            if self._conn.execute("SELECT 1 FROM enterprises WHERE key = ?", (key,)).fetchone():
                return key
        raise InputError(f"台账中没有企业“{text}”：须先记录其检查表（ledger add），再登记处罚",
                         position="--enterprise")

    def add_penalty(self, enterprise: str, decided_on: dt.date | str, article: str, *,
                    amount: float | None = None, on: str = "unit", person: str | None = None,
                    measure: str = "罚款", decision: str | None = None, hazard_id: int | None = None,
                    note: str | None = None, by: str | None = None) -> Penalty:
        """Record an administrative penalty decision (one per sanctioned party: a 一案双罚 case is
        two records sharing the decision number)."""
        day = to_day(decided_on, "--date")
        if day is None:
            raise InputError("须写明处罚决定日期", position="--date")
        article = (article or "").strip()
        if not article or len(article) > 100:
            raise InputError("须写明处罚所依据的法条编号（如 aqsf-2021/102）", position="--article")
        if on not in PENALTY_ON:
            raise InputError(f"未知的处罚对象“{on}”；可用：{'、'.join(PENALTY_ON)}", position="--on")
        if amount is not None and (amount != amount or amount < 0):
            raise InputError("罚款金额须为不小于 0 的数", position="--amount")
        measure = (measure or "").strip() or "罚款"
        with transaction(self._conn) as conn:
            key = self.enterprise_key(enterprise)
            if hazard_id is not None:
                row = conn.execute("SELECT enterprise_key FROM findings WHERE id = ?", (int(hazard_id),)).fetchone()
                if row is None:
                    raise InputError(f"台账中没有编号为 {hazard_id} 的隐患", position="--hazard")
                if row["enterprise_key"] != key:
                    raise InputError(f"隐患 {hazard_id} 不属于企业“{enterprise}”", position="--hazard")
            cur = conn.execute(
                """INSERT INTO penalties (enterprise_key, decided_on, article, amount, on_whom, person, measure,
                       decision, finding_id, note, recorded_at, recorded_by)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (key, day, article, amount, on, person, measure, decision, hazard_id, note, _now(), by))
        return self.penalties(ids=[cur.lastrowid])[0]

    def penalties(self, *, enterprise: str | None = None, start: dt.date | str | None = None,
                  end: dt.date | str | None = None, ids: list[int] | None = None) -> list[Penalty]:
        where, params = [], []
        if enterprise is not None:
            where.append("p.enterprise_key = ?")
            params.append(self.enterprise_key(enterprise))
        if start is not None:
            where.append("p.decided_on >= ?")
            params.append(to_day(start, "--from"))
        if end is not None:
            where.append("p.decided_on <= ?")
            params.append(to_day(end, "--to"))
        if ids is not None:
            where.append(f"p.id IN ({', '.join('?' for _ in ids)})")
            params += ids
        sql = ("SELECT p.*, e.name AS enterprise_name FROM penalties p JOIN enterprises e ON e.key = p.enterprise_key"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.decided_on, p.id")
        return [Penalty(r["id"], r["enterprise_key"], r["enterprise_name"], r["decided_on"], r["article"],
                        r["amount"], r["on_whom"], r["person"], r["measure"], r["decision"], r["finding_id"],
                        r["note"]) for r in self._conn.execute(sql, params)]

    def penalties_for(self, enterprise_key: str) -> list[dict[str, Any]]:
        """The enterprise's recorded penalties shaped like a checklist's `enterprise.penalties`
        entries ({date: datetime.date, article, amount, on, …}), oldest first, for the penalty
        path's 第一百一十三条 count. An enterprise not in the ledger has none."""
        rows = self._conn.execute("SELECT 1 FROM enterprises WHERE key = ?", (enterprise_key,)).fetchone()
        if rows is None:
            return []
        return [p.checklist_entry() for p in self.penalties(enterprise=enterprise_key)]

    def repeated_penalties(self, enterprise: str, day: dt.date | str | None = None) -> dict[str, Any]:
        """安全生产法第一百一十三条第（一）项 counts on `day` (default today) from the recorded
        penalties on the unit under 安全生产法 (article ids aqsf-…); see
        hazardrules.penalties.repeated_penalties for the counting rule (an interpretation)."""
        from ..penalties import repeated_penalties

        day = to_day(day, "--as-of") or self.today()
        dates = [p["date"] for p in self.penalties_for(self.enterprise_key(enterprise))
                 if p["article"].startswith("aqsf-") and p.get("on", "unit") == "unit"]
        return {"day": day, **repeated_penalties(dates, dt.date.fromisoformat(day))}

    # -- statistics --------------------------------------------------------------------------

    def stats(self, start: dt.date | str | None = None, end: dt.date | str | None = None,
              by: str | None = None) -> Stats:
        """The figures of a progress report for hazards found between `start` and `end`
        (inspection dates, inclusive), each counted in its state on `end` (default today)."""
        from .stats import compute

        start_day = to_day(start, "--from")
        end_day = to_day(end, "--to") or self.today()
        if start_day and start_day > end_day:
            raise InputError(f"起始日期 {start_day} 晚于截止日期 {end_day}", position="--from")
        with snapshot(self._conn):
            return compute(self, start_day, end_day, by)


def replay(history: list[Event], day: str | None = None) -> dict[str, Any]:
    """A hazard's state rebuilt from its history, up to and including `day`."""
    state: dict[str, Any] = {k: None for k in lc.STATE_FIELDS}
    for event in history:
        if day is not None and event.on_date > day:
            break
        state = lc.fold(state, {k: tuple(v) for k, v in event.changes.items()})
    return state


def _found_between(start: dt.date | str | None, end: dt.date | str | None) -> tuple[list[str], list[Any]]:
    where, params = [], []
    if start is not None:
        where.append("i.date >= ?")
        params.append(to_day(start, "--from"))
    if end is not None:
        where.append("i.date <= ?")
        params.append(to_day(end, "--to"))
    return where, params


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _encode(key: str, value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if key in JSON_FIELDS and value is not None else value


def _decode(key: str, value: Any) -> Any:
    return json.loads(value) if key in JSON_FIELDS and value is not None else value


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
