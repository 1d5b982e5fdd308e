"""What ``tui-desk doctor`` reads from a database file, without changing it.

The file is opened read-only: no migration runs, nothing is created, a production file is not
touched by a check.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui_desk.store.backup import connect_read_only, integrity_check
from tui_desk.store.db import Database, StoreError


@dataclass(frozen=True)
class DatabaseFacts:
    quick_check: str          # "ok" or SQLite's complaints
    schema_version: int
    journal_mode: str
    environment: str | None   # "production", "demo" or None (no marker yet)


def read_facts(path: Path) -> DatabaseFacts:
    """Raises StoreError when the file is not a readable SQLite database."""
    try:
        with contextlib.closing(connect_read_only(path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            environment = None
            with contextlib.suppress(sqlite3.OperationalError):
                row = conn.execute(
                    "SELECT value FROM settings WHERE key = 'environment'").fetchone()
                environment = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"geen leesbare SQLite-database ({exc})") from None
    return DatabaseFacts(integrity_check(path, quick=True), version, mode, environment)


@dataclass(frozen=True)
class StaffFact:
    username: str
    branch_code: str
    roles: frozenset[str]


def active_staff(path: Path) -> list[StaffFact]:
    """The active staff members (username, branch, roles), read-only; [] without a staff table
    (a database that was never migrated)."""
    try:
        with contextlib.closing(connect_read_only(path)) as conn:
            rows = conn.execute("SELECT username, branch_code, roles FROM staff "
                                "WHERE active = 1 ORDER BY username").fetchall()
    except sqlite3.OperationalError:
        return []
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"geen leesbare SQLite-database ({exc})") from None
    return [StaffFact(u, b, frozenset(r.strip() for r in (roles or "").split(",") if r.strip()))
            for u, b, roles in rows]


def mail_counts(path: Path) -> dict[str, int]:
    """Mails in the outbox per status ({} before the outbox existed). StoreError when the file
    is not a readable SQLite database."""
    try:
        with contextlib.closing(connect_read_only(path)) as conn:
            try:
                rows = conn.execute(
                    "SELECT status, count(*) FROM mail_outbox GROUP BY status").fetchall()
            except sqlite3.OperationalError:
                return {}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"geen leesbare SQLite-database ({exc})") from None
    return {r[0]: r[1] for r in rows}


def open_read_only(path: Path) -> Database:
    """A ``Database`` on a read-only connection (the doctor's figures change nothing)."""
    conn = connect_read_only(path)
    conn.row_factory = sqlite3.Row
    return Database(conn, path)
