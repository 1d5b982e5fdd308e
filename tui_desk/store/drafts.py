"""Registration drafts and card-number reservations."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from tui_desk.rules.cards import make
from tui_desk.store.db import Database
from tui_desk.store.rows import new_id


@dataclass(frozen=True)
class DraftRow:
    id: int
    staff_id: int
    branch_code: str
    step: str
    data: dict[str, Any]
    status: str
    customer_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    session: str | None = None      # the session that made it (services.desk.session_key)


def _row(r: sqlite3.Row) -> DraftRow:
    return DraftRow(
        id=r["id"],
        staff_id=r["staff_id"],
        branch_code=r["branch_code"],
        step=r["step"],
        data=json.loads(r["data"]),
        status=r["status"],
        customer_id=r["customer_id"],
        created_at=dt.datetime.fromisoformat(r["created_at"]),
        updated_at=dt.datetime.fromisoformat(r["updated_at"]),
        session=r["session"],
    )


def create(db: Database, *, staff_id: int, branch_code: str, step: str, data: dict[str, Any],
           now: dt.datetime, session: str | None = None) -> int:
    stamp = now.isoformat(timespec="seconds")
    with db.transaction():
        return new_id(
            db, "INSERT INTO registration_drafts(staff_id, branch_code, step, data, created_at, "
            "updated_at, session) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (staff_id, branch_code, step, json.dumps(data, ensure_ascii=False), stamp, stamp,
             session),
        )


def save(db: Database, draft_id: int, *, step: str, data: dict[str, Any],
         now: dt.datetime) -> None:
    with db.transaction():
        db.execute(
            "UPDATE registration_drafts SET step = ?, data = ?, updated_at = ? WHERE id = ?",
            (step, json.dumps(data, ensure_ascii=False), now.isoformat(timespec="seconds"),
             draft_id),
        )


def get(db: Database, draft_id: int) -> DraftRow | None:
    r = db.one("SELECT * FROM registration_drafts WHERE id = ?", (draft_id,))
    return _row(r) if r else None


def open_for_staff(db: Database, staff_id: int, *,
                   session: str | None = None) -> list[DraftRow]:
    """The staff member's open drafts, newest first; with ``session`` only those of that
    session and those that carry no session (see ``migrations/0008_draft_sessions.sql``)."""
    sql = "SELECT * FROM registration_drafts WHERE staff_id = ? AND status = 'open'"
    params: tuple[object, ...] = (staff_id,)
    if session is not None:
        sql += " AND (session = ? OR session IS NULL)"
        params += (session,)
    return [_row(r) for r in db.all(sql + " ORDER BY updated_at DESC", params)]


def set_status(db: Database, draft_id: int, status: str, *, now: dt.datetime,
               customer_id: int | None = None) -> None:
    db.execute(
        "UPDATE registration_drafts SET status = ?, customer_id = COALESCE(?, customer_id), "
        "updated_at = ? WHERE id = ?",
        (status, customer_id, now.isoformat(timespec="seconds"), draft_id),
    )


def purge_older_than(db: Database, before: dt.datetime) -> int:
    """Drafts hold personal data: remove those not touched since ``before``."""
    with db.transaction():
        cur = db.execute(
            "DELETE FROM registration_drafts WHERE updated_at < ? AND status != 'done'",
            (before.isoformat(timespec="seconds"),),
        )
        db.execute(
            "UPDATE registration_drafts SET data = '{}' WHERE status = 'done' AND updated_at < ?",
            (before.isoformat(timespec="seconds"),),
        )
    return cur.rowcount


# -- card numbers ------------------------------------------------------------------------------
def card_number_taken(db: Database, number: str) -> bool:
    """Issued to a customer, or handed out with "V" to another registration."""
    return bool(
        db.scalar("SELECT 1 FROM cards WHERE number = ?", (number,))
        or db.scalar("SELECT 1 FROM card_reservations WHERE number = ?", (number,))
    )


def reservation_owner(db: Database, number: str) -> int | None:
    return db.scalar("SELECT draft_id FROM card_reservations WHERE number = ?", (number,))


def next_card_sequence(db: Database, branch_code: str) -> int:
    """Advance and return the branch's card sequence; call inside a transaction."""
    return int(
        db.scalar(
            "UPDATE branches SET card_seq = card_seq + 1 WHERE code = ? RETURNING card_seq",
            (branch_code,),
        )
    )


def next_free_card_number(db: Database, branch_code: str) -> str:
    """The branch's next card number that was never issued nor reserved; call inside a write
    transaction (the sequence only moves forward, so two counters never get the same one).
    Numbers of pre-printed blank cards already in use are skipped."""
    while True:
        number = make(branch_code, next_card_sequence(db, branch_code)).number
        if not card_number_taken(db, number):
            return number


def reserve_card(db: Database, number: str, draft_id: int | None, now: dt.datetime) -> None:
    db.execute(
        "INSERT INTO card_reservations(number, draft_id, reserved_at) VALUES (?, ?, ?)",
        (number, draft_id, now.isoformat(timespec="seconds")),
    )
