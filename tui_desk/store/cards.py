"""Cards of a customer: blocking a lost card and issuing its replacement."""

from __future__ import annotations

import datetime as dt

from tui_desk.store.db import Database


def active_cards(db: Database, customer_id: int) -> list[str]:
    return [r[0] for r in db.all(
        "SELECT number FROM cards WHERE customer_id = ? AND status = 'actief' ORDER BY issued_on",
        (customer_id,))]


def customer_branch(db: Database, customer_id: int) -> str | None:
    return db.scalar("SELECT branch_code FROM customers WHERE id = ?", (customer_id,))


def block(db: Database, number: str, *, on: dt.date, reason: str, status: str) -> None:
    db.execute(
        "UPDATE cards SET status = ?, blocked_on = ?, reason = ? WHERE number = ?",
        (status, on.isoformat(), reason, number),
    )
