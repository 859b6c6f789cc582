"""Opening the ledger file: where it lives, owner-only permissions, WAL, one transaction per write.

Crash safety comes from SQLite itself: every write runs inside BEGIN IMMEDIATE … COMMIT in
WAL mode, so a process killed mid-write leaves frames without a commit record, which the
next reader ignores. synchronous=FULL makes a commit durable once it returns. BEGIN
IMMEDIATE takes the write lock up front, so two writers queue (busy_timeout) instead of
deadlocking on a lock upgrade.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

ENV_VAR = "HAZARDRULES_LEDGER"
FILE_NAME = "ledger.sqlite3"
BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    """$HAZARDRULES_LEDGER, else the per-user data directory:
    $XDG_DATA_HOME/hazardrules/ledger.sqlite3 (default ~/.local/share/hazardrules/ledger.sqlite3),
    or %LOCALAPPDATA%\\hazardrules\\ledger.sqlite3 on Windows."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hazardrules" / FILE_NAME


def _create_owner_only(path: Path, default_location: bool) -> None:
    """Create an empty database file readable and writable by its owner only (0600),
    whatever the umask; SQLite gives its -wal and -shm files the same mode."""
    parent = path.parent
    if not parent.is_dir():
        if not default_location:
            raise InputError("台账数据库所在目录不存在", file=str(path))
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process created it first
    except OSError as exc:
        raise InputError(f"无法创建台账数据库：{exc.strerror}", file=str(path)) from None
    os.close(fd)
    os.chmod(path, 0o600)  # O_CREAT's mode is filtered by the umask; this is not


def connect(path: Path, default_location: bool = False) -> sqlite3.Connection:
    if path.is_dir():
        raise InputError("这是一个目录，不是台账数据库文件", file=str(path))
    if not path.exists():
        _create_owner_only(path, default_location)
    try:
        # isolation_level=None: no implicit transactions; every write opens its own below
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise InputError(f"无法打开台账数据库：{exc}", file=str(path)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise InputError(f"不是可读的台账数据库（{exc}），未作任何修改", file=str(path)) from None
    conn.row_factory = sqlite3.Row
    return conn


def _wal(conn: sqlite3.Connection) -> None:
    # Switching to WAL needs a moment alone with the file; when two processes open a new
    # ledger together the second may be told "locked" even with a busy timeout.
    for attempt in range(50):
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() == "wal":
                return
            raise sqlite3.DatabaseError(f"journal_mode 仍为 {mode}")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05 * (attempt + 1))


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write: all of it is committed, or (on any error, or if the process dies) none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads that see one state of the ledger, whatever other processes commit
    meanwhile (a WAL read transaction)."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")  # nothing was written: this only ends the snapshot
