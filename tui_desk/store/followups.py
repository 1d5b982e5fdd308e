"""Registrations kept open (step 4 or 5 left unfinished) and renewals withheld for want of a
mandate: all their SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database
from tui_desk.store.rows import changed, new_id

MANDATE, PAYMENT = "machtiging", "betaling"


@dataclass(frozen=True)
class FollowUp:
    id: int
    customer_id: int
    branch_code: str
    kind: str
    reason: str
    opened_at: dt.datetime
    due_on: dt.date
    staff_id: int | None
    notice_slot: int | None
    notice_text: str
    closed_at: dt.datetime | None
    closed_how: str
    # from the customer: for the list
    card_number: str = ""
    initials: str = ""
    prefix: str = ""
    surname: str = ""


def _row(r: sqlite3.Row) -> FollowUp:
    keys = r.keys()
    return FollowUp(
        id=r["id"], customer_id=r["customer_id"], branch_code=r["branch_code"], kind=r["kind"],
        reason=r["reason"], opened_at=dt.datetime.fromisoformat(r["opened_at"]),
        due_on=dt.date.fromisoformat(r["due_on"]), staff_id=r["staff_id"],
        notice_slot=r["notice_slot"], notice_text=r["notice_text"],
        closed_at=dt.datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None,
        closed_how=r["closed_how"],
        card_number=(r["card_number"] or "") if "card_number" in keys else "",
        initials=r["initials"] if "initials" in keys else "",
        prefix=r["prefix"] if "prefix" in keys else "",
        surname=r["surname"] if "surname" in keys else "",
    )


def open_of(db: Database, customer_id: int, kind: str | None = None) -> list[FollowUp]:
    """The customer's open follow-ups (of one kind), oldest first."""
    if kind is None:
        rows = db.all("SELECT * FROM open_followups WHERE customer_id = ? AND closed_at IS NULL"
                      " ORDER BY opened_at, id", (customer_id,))
    else:
        rows = db.all("SELECT * FROM open_followups WHERE customer_id = ? AND kind = ?"
                      " AND closed_at IS NULL ORDER BY opened_at, id", (customer_id, kind))
    return [_row(r) for r in rows]


def insert(db: Database, *, customer_id: int, branch_code: str, kind: str, reason: str,
           at: dt.datetime, due_on: dt.date, staff_id: int | None, notice_slot: int | None,
           notice_text: str) -> int:
    return new_id(
        db, "INSERT INTO open_followups (customer_id, branch_code, kind, reason, opened_at, due_on,"
        " staff_id, notice_slot, notice_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (customer_id, branch_code, kind, reason, stamp(at), due_on.isoformat(), staff_id,
         notice_slot, notice_text))


def update_reason(db: Database, followup_id: int, reason: str) -> None:
    db.execute("UPDATE open_followups SET reason = ? WHERE id = ?", (reason, followup_id))


def close(db: Database, followup_id: int, *, at: dt.datetime, how: str) -> bool:
    return changed(db, "UPDATE open_followups SET closed_at = ?, closed_how = ?"
                   " WHERE id = ? AND closed_at IS NULL", (stamp(at), how, followup_id)) > 0


_LIST = (
    "SELECT f.*, c.initials, c.prefix, c.surname,"
    " (SELECT k.number FROM cards k WHERE k.customer_id = c.id AND k.status = 'actief'"
    "  ORDER BY k.id DESC LIMIT 1) AS card_number"
    " FROM open_followups f JOIN customers c ON c.id = f.customer_id"
    " WHERE f.closed_at IS NULL"
)


def open_for_branch(db: Database, branch_code: str) -> list[FollowUp]:
    """The open follow-ups of a branch, oldest first (the list Openstaande inschrijvingen)."""
    return [_row(r) for r in db.all(
        f"{_LIST} AND f.branch_code = ? ORDER BY f.opened_at, f.id", (branch_code,))]


def open_everywhere(db: Database) -> list[FollowUp]:
    """Every open follow-up, by branch and age (the monthly run's report)."""
    return [_row(r) for r in db.all(f"{_LIST} ORDER BY f.branch_code, f.opened_at, f.id")]


# -- what resolves a follow-up ---------------------------------------------------------------------
def has_active_mandate(db: Database, customer_id: int) -> bool:
    return db.scalar("SELECT 1 FROM mandates WHERE customer_id = ? AND status = 'active'"
                     " LIMIT 1", (customer_id,)) is not None


# -- renewals withheld -----------------------------------------------------------------------------
def withhold_renewal(db: Database, period_id: int, customer_id: int, day: dt.date) -> bool:
    """Record that the period's renewal was withheld; True the first time."""
    return changed(db, "INSERT INTO renewals_withheld (period_id, customer_id,"
                   " withheld_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                   (period_id, customer_id, day.isoformat())) > 0
