"""What the training exercises read from a trainee's sandbox, and where their results are kept.

Results live in the ``settings`` table of the sandbox itself (``exercise:<id>`` → JSON), so a
sandbox carries its own progress and ``demo reset`` removes it with the copy.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tui_desk.store.db import Database

_PREFIX = "exercise:"


def customers_since(db: Database, search_name: str, birth_date: str, since: str | None
                    ) -> list[int]:
    """Ids of customers with this surname key and birth date made at or after ``since``
    (newest first)."""
    return [r[0] for r in db.all(
        "SELECT id FROM customers WHERE search_name = ? AND birth_date = ?"
        " AND (? IS NULL OR created_at >= ?) ORDER BY created_at DESC, id DESC",
        (search_name, birth_date, since, since))]


def customer_by_card(db: Database, number: str) -> int | None:
    return db.scalar("SELECT customer_id FROM cards WHERE number = ?", (number,))


def customer_fields(db: Database, customer_id: int) -> sqlite3.Row | None:
    return db.one("SELECT first_name, phone, email, created_at FROM customers WHERE id = ?",
                  (customer_id,))


def current_tariff(db: Database, customer_id: int) -> tuple[str, str] | None:
    """(code, name) of the customer's newest subscription period that is not ended."""
    row = db.one(
        "SELECT p.tariff_code, t.name FROM subscription_periods p"
        " JOIN tariffs t ON t.code = p.tariff_code"
        " WHERE p.customer_id = ? AND p.status NOT IN ('Opgezegd', 'Ongeldig')"
        " ORDER BY p.start_date DESC, p.id DESC LIMIT 1", (customer_id,))
    return None if row is None else (row[0], row[1])


def payment_methods(db: Database, customer_id: int) -> list[str]:
    """Methods ('kas', 'pin') of the customer's payments, oldest first."""
    return [r[0] for r in db.all(
        "SELECT method FROM payments WHERE customer_id = ? ORDER BY at, id", (customer_id,))]


def open_invoice_cents(db: Database, customer_id: int) -> int:
    return int(db.scalar(
        "SELECT coalesce(sum(amount_cents - discount_cents), 0) FROM invoices"
        " WHERE customer_id = ? AND status = 'open'", (customer_id,)))


def registered_open(db: Database, customer_id: int) -> list[str]:
    """How amounts left open were registered ('incasso', 'brief'), oldest first."""
    return [r[0] for r in db.all(
        "SELECT collection FROM open_registrations WHERE customer_id = ? ORDER BY at, id",
        (customer_id,))]


def letters(db: Database, customer_id: int) -> list[tuple[str, int]]:
    """(channel, amount in cents) of the customer's contribution letters, oldest first."""
    return [(r[0], r[1]) for r in db.all(
        "SELECT channel, amount_cents FROM contribution_letters WHERE customer_id = ?"
        " ORDER BY created_at, id", (customer_id,))]


def mandate_statuses(db: Database, customer_id: int) -> list[str]:
    """Statuses of the customer's mandates, newest first."""
    return [r[0] for r in db.all(
        "SELECT status FROM mandates WHERE customer_id = ? ORDER BY printed_at DESC, id DESC",
        (customer_id,))]


def cards_of(db: Database, customer_id: int) -> list[sqlite3.Row]:
    """(number, status, reason, issued_on) of the customer's cards, oldest first."""
    return db.all("SELECT number, status, reason, issued_on FROM cards WHERE customer_id = ?"
                  " ORDER BY issued_on, number", (customer_id,))


# -- progress ------------------------------------------------------------------------------
def load_state(db: Database, exercise_id: str) -> dict:
    text = db.setting(_PREFIX + exercise_id)
    return json.loads(text) if text else {}


def save_state(db: Database, exercise_id: str, state: dict) -> None:
    with db.transaction():
        db.set_setting(_PREFIX + exercise_id, json.dumps(state, ensure_ascii=False))


def all_states(path: Path) -> dict[str, dict]:
    """Every exercise's state in the sandbox file at ``path`` (read-only)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT key, value FROM settings WHERE key LIKE ?",
                            (_PREFIX + "%",)).fetchall()
    finally:
        conn.close()
    return {key[len(_PREFIX):]: json.loads(value) for key, value in rows}
