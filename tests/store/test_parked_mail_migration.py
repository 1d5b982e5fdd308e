"""The migration that rebuilds mail_outbox (parked mail) and print_jobs (sent jobs) keeps every
row and every link to a mail, with foreign keys checked, and parks mail given up before."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_customer
from tui_desk.store import db as store_db
from tui_desk.store import outbox
from tui_desk.store import settlement as settlement_store

NOW = dt.datetime(2026, 11, 28, 10, 0)


def the_migration() -> tuple[int, str]:
    [(number, sql)] = [(n, sql) for n, name, sql in store_db.migrations()
                       if name == "parked_mail_sent_prints"]
    return number, sql


@pytest.mark.sqlite_only("SQLite's table rebuild with foreign keys off (migration 0010)")
def test_the_rebuild_keeps_rows_and_links(db):
    customer = make_customer(db)
    with db.transaction():
        letter_mail = outbox.enqueue(db, now=NOW, to_addr="a@example.nl", subject="Brief",
                                     body_text="x", kind="contributiebrief",
                                     customer_id=customer)
        given_up = outbox.enqueue(db, now=NOW, to_addr="b@example.nl", subject="Oud",
                                  body_text="y", kind="activation")
        refused = outbox.enqueue(db, now=NOW, to_addr="c@example.nl", subject="Fout",
                                 body_text="z", kind="activation")
        # as the previous version left them
        db.execute("UPDATE mail_outbox SET status = 'failed', tries = 20,"
                   " last_error = 'time-out (opgegeven na 20 pogingen)' WHERE id = ?",
                   (given_up,))
        outbox.mark_failed(db, refused, "550 onbekend")
        letter = settlement_store.insert_letter(
            db, customer_id=customer, amount_cents=500, created_at=NOW, channel="email",
            to_addr="a@example.nl", subject="Brief", body_text="x", mail_id=letter_mail,
            staff_id=None)
    before = db.all("SELECT id, to_addr, subject, kind, customer_id, tries FROM mail_outbox")
    number, sql = the_migration()
    store_db.apply_migration(db, number, sql)
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.all("PRAGMA foreign_key_check") == []
    after = db.all("SELECT id, to_addr, subject, kind, customer_id, tries FROM mail_outbox")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert db.scalar("SELECT mail_id FROM contribution_letters WHERE id = ?",
                     (letter,)) == letter_mail
    assert outbox.get(db, given_up).status == "parked"
    assert outbox.get(db, refused).status == "failed"
    # the foreign key still points at the outbox
    sql_of = db.scalar("SELECT sql FROM sqlite_schema WHERE name = 'contribution_letters'")
    assert "REFERENCES mail_outbox(id)" in sql_of
