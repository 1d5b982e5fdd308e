"""SQL of the registers (kassa's) and their cash-ups (kasopmaak); ``store.settlement``
re-exports these names."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database


# -- registers ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisterRow:
    id: int
    branch_code: str
    name: str
    branch_name: str


def _register(r: sqlite3.Row) -> RegisterRow:
    return RegisterRow(r["id"], r["branch_code"], r["name"], r["branch_name"] or "")


_REGISTER_SELECT = ("SELECT r.id, r.branch_code, r.name, b.name AS branch_name"
                    " FROM cash_registers r LEFT JOIN branches b ON b.code = r.branch_code")


def register_by_name(db: Database, name: str) -> RegisterRow | None:
    r = db.one(f"{_REGISTER_SELECT} WHERE r.name = ?", (name,))
    return _register(r) if r else None


def register_by_id(db: Database, register_id: int) -> RegisterRow | None:
    r = db.one(f"{_REGISTER_SELECT} WHERE r.id = ?", (register_id,))
    return _register(r) if r else None


def registers_of_branch(db: Database, branch_code: str) -> list[RegisterRow]:
    """The branch's registers in the order they were configured (first synced first)."""
    return [_register(r) for r in db.all(
        f"{_REGISTER_SELECT} WHERE r.branch_code = ? ORDER BY r.id", (branch_code,))]


# -- cash-ups ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CashUpRow:
    id: int
    register_id: int
    staff_id: int
    at: dt.datetime
    since: dt.datetime | None
    opening_float_cents: int
    cash_in_cents: int
    change_out_cents: int
    expected_cents: int
    pin_cents: int
    counted_cents: int
    difference_cents: int
    float_after_cents: int
    note: str


def _cash_up(r: sqlite3.Row) -> CashUpRow:
    return CashUpRow(
        id=r["id"], register_id=r["register_id"], staff_id=r["staff_id"],
        at=dt.datetime.fromisoformat(r["at"]),
        since=dt.datetime.fromisoformat(r["since"]) if r["since"] else None,
        opening_float_cents=r["opening_float_cents"], cash_in_cents=r["cash_in_cents"],
        change_out_cents=r["change_out_cents"], expected_cents=r["expected_cents"],
        pin_cents=r["pin_cents"], counted_cents=r["counted_cents"],
        difference_cents=r["difference_cents"], float_after_cents=r["float_after_cents"],
        note=r["note"],
    )


def last_cash_up(db: Database, register_id: int) -> CashUpRow | None:
    r = db.one("SELECT * FROM cash_ups WHERE register_id = ? ORDER BY at DESC, id DESC LIMIT 1",
               (register_id,))
    return _cash_up(r) if r else None


def cash_ups_of(db: Database, register_id: int, limit: int = 50) -> list[CashUpRow]:
    return [_cash_up(r) for r in db.all(
        "SELECT * FROM cash_ups WHERE register_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        (register_id, limit))]


def insert_cash_up(db: Database, *, register_id: int, staff_id: int, at: dt.datetime,
                   since: dt.datetime | None, opening_float_cents: int, cash_in_cents: int,
                   change_out_cents: int, expected_cents: int, pin_cents: int,
                   counted_cents: int, difference_cents: int, float_after_cents: int,
                   note: str) -> int:
    return db.insert(
        "INSERT INTO cash_ups(register_id, staff_id, at, since, opening_float_cents,"
        " cash_in_cents, change_out_cents, expected_cents, pin_cents, counted_cents,"
        " difference_cents, float_after_cents, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (register_id, staff_id, stamp(at), stamp(since) if since else None, opening_float_cents,
         cash_in_cents, change_out_cents, expected_cents, pin_cents, counted_cents,
         difference_cents, float_after_cents, note),
    )
