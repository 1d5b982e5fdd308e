"""Two counter programs (two OS processes) issue 200 card numbers each at the same moment on
one database: 400 numbers, all different, all with a valid check digit (issue 17).

Each process replaces the card of its own customer through the card service (``services.cards``,
"V": the branch's next number) 200 times, each replacement one business action. On SQLite
the write lock serialises the two; on PostgreSQL the counter row's lock does (READ COMMITTED:
a read-then-write sequence would hand out a number twice here).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing

from stdnum import luhn

from tests.factories import make_customer, make_staff
from tui_desk.clock import FixedClock
from tui_desk.rules.cards import parse

EACH = 200
TIMEOUT_SECONDS = 240


def _issue(target: str, customer_id: int, username: str, start, results) -> None:
    """One counter program: ``EACH`` replacements of one customer's card."""
    from tui_desk.services import cards
    from tui_desk.store import staff as staff_store
    from tui_desk.store.db import open_database

    numbers: list[str] = []
    try:
        db = open_database(target, environment="demo")
        staff = staff_store.by_username(db, username)
        clock = FixedClock(dt.datetime(2026, 11, 28, 10, 0))
        start.wait(60)
        for _ in range(EACH):
            numbers.append(cards.replace_card(db, clock, staff, customer_id, "Verloren",
                                              charge=False).new_number)
        db.close()
        results.put((customer_id, numbers, None))
    except Exception as exc:  # reported to the test, which fails with it
        results.put((customer_id, numbers, f"{type(exc).__name__}: {exc}"))


def test_two_processes_issue_400_distinct_valid_card_numbers(db):
    with db.transaction():
        staff = make_staff(db)
        customers = [make_customer(db, card=None), make_customer(db, card=None)]
    target = db.url if db.dialect.is_postgresql else str(db.path)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_issue, args=(target, c, staff.username, start, results))
               for c in customers]
    for w in workers:
        w.start()
    outcome = [results.get(timeout=TIMEOUT_SECONDS) for _ in workers]
    for w in workers:
        w.join(10)
    assert [error for _, _, error in outcome] == [None, None]
    numbers = [n for _, per, _ in outcome for n in per]
    assert len(numbers) == 2 * EACH
    assert len(set(numbers)) == 2 * EACH
    assert all(luhn.is_valid(n) and parse(n).branch_code == "9401" for n in numbers)
    # Every number is on a card of the database, each once.
    stored = [r[0] for r in db.all("SELECT number FROM cards WHERE customer_id IN (?, ?)",
                                   tuple(customers))]
    assert sorted(stored) == sorted(numbers)
