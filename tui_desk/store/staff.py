"""Staff records and sign-in bookkeeping."""

from __future__ import annotations

import sqlite3

from tui_desk.models import Staff
from tui_desk.store.db import Database
from tui_desk.store.rows import new_id, one, record


def _staff(row: sqlite3.Row) -> Staff:
    return record(Staff, row,
                  roles=frozenset(r.strip() for r in row["roles"].split(",") if r.strip()))


def by_login(db: Database, login: str) -> Staff | None:
    return one(db, _staff, "SELECT * FROM staff WHERE login = ? AND active = 1", (login,))


def by_username(db: Database, username: str) -> Staff | None:
    return one(db, _staff, "SELECT * FROM staff WHERE username = ? AND active = 1", (username,))


def all_staff(db: Database) -> list[Staff]:
    return [_staff(r) for r in db.all("SELECT * FROM staff ORDER BY username")]


def credentials(db: Database, username: str) -> sqlite3.Row | None:
    """(staff id, pin hash, failed attempts, locked until) or None."""
    return db.one(
        "SELECT id, pin_hash, failed_attempts, locked_until FROM staff "
        "WHERE username = ? AND active = 1",
        (username,),
    )


def record_attempt(db: Database, staff_id: int, *, ok: bool, locked_until: str | None) -> None:
    if ok:
        db.execute(
            "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (staff_id,)
        )
    else:
        db.execute(
            "UPDATE staff SET failed_attempts = failed_attempts + 1, locked_until = ? "
            "WHERE id = ?",
            (locked_until, staff_id),
        )


def add(
    db: Database,
    *,
    username: str,
    name: str,
    branch_code: str,
    roles: str,
    pin_hash: str | None,
    login: str | None = None,
) -> int:
    return new_id(
        db, "INSERT INTO staff(username, login, name, branch_code, roles, pin_hash) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (username, login, name, branch_code, roles, pin_hash),
    )


def update(db: Database, staff_id: int, **fields: object) -> None:
    allowed = {"login", "name", "branch_code", "roles", "pin_hash", "active"}
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"cannot update staff fields {sorted(bad)}")
    if not fields:
        return
    sets = ", ".join(f"{k} = ?" for k in fields)
    db.execute(f"UPDATE staff SET {sets} WHERE id = ?", (*fields.values(), staff_id))
