"""Numbers handed out one by one: card numbers from "V", actor ids, document codes, kenmerken.

Each kind of number has a row in ``counters`` (``migrations/0015_counters.sql`` lists them) whose
value is the last number handed out. ``next_value`` advances it with one statement inside the
caller's write transaction (an upsert: the UPDATE of the row, ``RETURNING value``; the row made
for a counter that has none yet) — never a read followed by a write — so two counters asking at
the same moment get different numbers: SQLite lets one writer in at a time, PostgreSQL locks the
row until the transaction ends. A number whose transaction is rolled back is handed out again;
one that was committed never is.
"""

from __future__ import annotations

from tui_desk.store.db import Database

ACTOR_ID = "actor_id"
DOCUMENT_CODE = "document_code"


def card(branch_code: str) -> str:
    """The counter of a branch's card sequence."""
    return f"card:{branch_code}"


def kenmerk(actor_id: int) -> str:
    """The counter of a customer's mandates (by actor id: the kenmerk begins with it)."""
    return f"kenmerk:{actor_id}"


def next_value(db: Database, name: str, *, first: int = 1) -> int:
    """Advance the counter ``name`` and return its new value; a counter that has no row yet
    starts at ``first``. Call inside a write transaction (the caller's business action)."""
    return int(db.scalar(
        "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
        " SET value = counters.value + 1 RETURNING value", (name, first)))


def raise_to(db: Database, name: str, value: int) -> None:
    """Make sure the counter is at least ``value`` (numbers given out without it: the demo's
    customers and cards, loaded in bulk)."""
    db.execute(
        "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
        " SET value = CASE WHEN excluded.value > counters.value THEN excluded.value"
        " ELSE counters.value END", (name, value))


def set_value(db: Database, name: str, value: int) -> None:
    """Put the counter at ``value`` (the next number is ``value + 1``): an administrator's or
    a test's starting point."""
    db.execute("INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
               " SET value = excluded.value", (name, value))


def current(db: Database, name: str) -> int | None:
    """The last number handed out, None when the counter has none yet."""
    value = db.scalar("SELECT value FROM counters WHERE name = ?", (name,))
    return None if value is None else int(value)
