"""Numbers handed out from counters (issue 17): card numbers from "V", actor ids, document
codes and kenmerken stay unique when two processes ask at the same moment, and look exactly as
they did (Luhn check digits, the branch in the card number, the document code's prefix, the
kenmerk's actor id and three digits)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from pathlib import Path
from typing import Any

import pytest

from tui_desk.rules import cards
from tui_desk.rules import mandates as mandate_rules
from tui_desk.store import counters, drafts, mandates, registrations
from tui_desk.store.db import DEMO, PRODUCTION, open_database

EACH = 200
ACTOR = 381847
NOW = dt.datetime(2026, 11, 30, 9, 0)


def issue(target: str, count: int, start: Any, out: Any) -> None:
    """In a process of its own: ``count`` write transactions, each taking a card number (and
    reserving it, as "V" does), an actor id, a document code and a kenmerk; the numbers (or the
    error) go to ``out``."""
    got = []
    try:
        db = open_database(target, environment=DEMO)
        start.wait(60)
        for _ in range(count):
            with db.transaction():
                number = drafts.next_free_card_number(db, "9401")
                drafts.reserve_card(db, number, None, NOW)
                actor_id = registrations.next_actor_id(db)
                code = mandate_rules.document_code(mandate_rules.DOCUMENT_PREFIX,
                                                   mandates.next_document_sequence(db))
                kenmerk = mandate_rules.make_kenmerk(
                    ACTOR, mandates.next_kenmerk_number(db, 1, ACTOR))
            got.append((number, actor_id, code, kenmerk))
        db.close()
        out.put((got, None))
    except Exception as exc:  # reported to the test, which fails with it
        out.put((got, f"{type(exc).__name__}: {exc}"))


def _target(db: Any) -> str:
    """Where another process opens the same database: the SQLite file, or PostgreSQL's URL."""
    return str(db.path) if db.dialect.is_sqlite else str(db.url)


@pytest.fixture
def target(tmp_path: Path) -> str:
    path = tmp_path / "desk.sqlite3"
    open_database(path, environment=PRODUCTION).close()
    return str(path)


def test_two_processes_at_once_never_get_the_same_number(db):
    """Two processes, 200 transactions each, started together (a few seconds: two interpreters
    start, spawned rather than forked so that no connection is shared, and 400 write
    transactions commit while each process waits for the other's lock)."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(2), context.Queue()
    workers = [context.Process(target=issue, args=(_target(db), EACH, start, out))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    outcome = [out.get(timeout=240) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [error for _, error in outcome] == [None, None]
    results = [got for got, _ in outcome]
    both = results[0] + results[1]
    numbers, actors, codes, kenmerken = (list(column) for column in zip(*both, strict=True))
    total = 2 * EACH
    assert len(set(numbers)) == len(set(actors)) == len(set(codes)) == len(set(kenmerken)) == total
    # the same numbers one process asking 400 times would have had
    assert set(numbers) == {cards.make("9401", s).number for s in range(1, total + 1)}
    assert all(cards.parse(n).branch_code == "9401" for n in numbers)
    assert set(actors) == set(range(registrations.FIRST_ACTOR_ID + 1,
                                    registrations.FIRST_ACTOR_ID + total + 1))
    assert set(codes) == {mandate_rules.document_code("6775", s) for s in range(1, total + 1)}
    assert all(mandate_rules.parse_document_code(c) == c for c in codes)
    assert set(kenmerken) == {f"{ACTOR}-{n:03d}" for n in range(1, total + 1)}
    assert all(re.fullmatch(r"381847-\d{3}", k) for k in kenmerken)
    # each process saw its own numbers rise
    for result in results:
        assert [r[1] for r in result] == sorted(r[1] for r in result)


def test_a_rolled_back_number_is_handed_out_again_a_committed_one_never(target):
    db = open_database(target, environment=PRODUCTION)
    with pytest.raises(RuntimeError), db.transaction():
        assert counters.next_value(db, "test") == 1
        raise RuntimeError("the registration failed")
    with db.transaction():
        assert counters.next_value(db, "test") == 1
    with db.transaction():
        assert counters.next_value(db, "test") == 2
    assert counters.current(db, "test") == 2
    db.close()


def test_numbers_given_out_without_the_counters_are_skipped(target):
    """A customer or card loaded in bulk (an import, the benchmark's database) is passed over."""
    db = open_database(target, environment=PRODUCTION)
    with db.transaction():
        db.execute("INSERT INTO branches(code, name, place) VALUES ('9401', 'A', 'B')")
        db.execute("INSERT INTO customers(actor_id, surname, search_name, branch_code,"
                   " registered_on, created_at, updated_at) VALUES (?, 'X', 'x', '9401',"
                   " '2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:00:00')", (399_999,))
        db.execute("INSERT INTO cards(number, branch_code, issued_on) VALUES (?, '9401',"
                   " '2026-01-01')", (cards.make("9401", 1).number,))
    with db.transaction():
        assert registrations.next_actor_id(db) == 400_000
        assert drafts.next_free_card_number(db, "9401") == cards.make("9401", 2).number
    db.close()


def test_the_migration_starts_the_counters_at_what_was_handed_out(tmp_path):
    """0015 seeds the counters from branches.card_seq, the highest actor id, the
    document_code_seq setting and each actor's mandates."""
    from tui_desk.store.db import _connect, _split_sql, migrations

    path = tmp_path / "old.sqlite3"
    conn = _connect(path)
    conn.execute("BEGIN")
    for number, _name, sql in migrations()[:14]:
        for statement in _split_sql(sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO branches(code, name, place, card_seq)"
                 " VALUES ('9401', 'A', 'B', 7580)")
    conn.execute("INSERT INTO customers(id, actor_id, surname, search_name, branch_code,"
                 " registered_on, created_at, updated_at) VALUES (1, 381847, 'Test', 'test',"
                 " '9401', '2020-01-01', '2020-01-01T00:00:00', '2020-01-01T00:00:00')")
    conn.execute("UPDATE settings SET value = '99119001625' WHERE key = 'document_code_seq'")
    for n, code in ((1, "6775991190016261"), (2, "6775991190016279")):
        conn.execute("INSERT INTO customer_documents(document_code, customer_id, type,"
                     " created_at) VALUES (?, 1, 'x', '2020-01-01T00:00:00')", (code,))
        conn.execute("INSERT INTO mandates(customer_id, kenmerk, document_code, iban, holder_name,"
                     " status, printed_at) VALUES (1, ?, ?, 'NL', 'T', 'cancelled',"
                     " '2020-01-01T00:00:00')", (f"381847-00{n}", code))
    conn.execute("COMMIT")
    conn.close()
    db = open_database(path, environment=PRODUCTION)
    with db.transaction():
        assert drafts.next_free_card_number(db, "9401") == cards.make("9401", 7581).number
        assert registrations.next_actor_id(db) == 381848
        assert mandates.next_document_sequence(db) == 99119001626
        assert mandates.next_kenmerk_number(db, 1, 381847) == 3
    assert db.setting("document_code_seq") is None
    assert "card_seq" not in {r["name"] for r in db.all("PRAGMA table_info(branches)")}
    db.close()
