"""SQL of the registers (kassa's) and their cash-ups (kasopmaak); ``store.settlement``
re-exports these names."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui_desk.models import ExpectedCash
from tui_desk.store.db import Database
from tui_desk.store.rows import insert, one, reader, record


# -- registers ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisterRow:
    id: int
    branch_code: str
    name: str
    branch_name: str


def _register(r: sqlite3.Row) -> RegisterRow:
    return record(RegisterRow, r, branch_name=r["branch_name"] or "")


_REGISTER_SELECT = ("SELECT r.id, r.branch_code, r.name, b.name AS branch_name"
                    " FROM cash_registers r LEFT JOIN branches b ON b.code = r.branch_code")


def register_by_name(db: Database, name: str) -> RegisterRow | None:
    return one(db, _register, f"{_REGISTER_SELECT} WHERE r.name = ?", (name,))


def register_by_id(db: Database, register_id: int) -> RegisterRow | None:
    return one(db, _register, f"{_REGISTER_SELECT} WHERE r.id = ?", (register_id,))


def registers_of_branch(db: Database, branch_code: str) -> list[RegisterRow]:
    """The branch's registers in the order they were configured (first synced first)."""
    return [_register(r) for r in db.all(
        f"{_REGISTER_SELECT} WHERE r.branch_code = ? ORDER BY r.id", (branch_code,))]


# -- cash-ups ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CashUpRow(ExpectedCash):
    """A cash-up made: what the drawer should hold (``ExpectedCash``), what was counted."""

    id: int
    register_id: int
    staff_id: int
    at: dt.datetime
    counted_cents: int
    difference_cents: int
    float_after_cents: int
    note: str


_cash_up = reader(CashUpRow)


def last_cash_up(db: Database, register_id: int) -> CashUpRow | None:
    return one(db, _cash_up,
               "SELECT * FROM cash_ups WHERE register_id = ? ORDER BY at DESC, id DESC LIMIT 1",
               (register_id,))


def cash_ups_of(db: Database, register_id: int, limit: int = 50) -> list[CashUpRow]:
    return [_cash_up(r) for r in db.all(
        "SELECT * FROM cash_ups WHERE register_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        (register_id, limit))]


def insert_cash_up(db: Database, *, register_id: int, staff_id: int, at: dt.datetime,
                   since: dt.datetime | None, opening_float_cents: int, cash_in_cents: int,
                   change_out_cents: int, expected_cents: int, pin_cents: int,
                   counted_cents: int, difference_cents: int, float_after_cents: int,
                   note: str) -> int:
    return insert(db, "cash_ups", register_id=register_id, staff_id=staff_id, at=at, since=since,
                  opening_float_cents=opening_float_cents, cash_in_cents=cash_in_cents,
                  change_out_cents=change_out_cents, expected_cents=expected_cents,
                  pin_cents=pin_cents, counted_cents=counted_cents,
                  difference_cents=difference_cents, float_after_cents=float_after_cents,
                  note=note)
