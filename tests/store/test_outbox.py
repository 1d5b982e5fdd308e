"""The mail outbox table: queueing, claiming for a try, and what the Berichten screen reads."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_customer
from tui_desk.store import outbox

T0 = dt.datetime(2026, 11, 28, 10, 0)


def enqueue(db, now=T0, to="a.test@example.nl", customer_id=None, subject="Activeer"):
    with db.transaction():
        return outbox.enqueue(db, now=now, to_addr=to, subject=subject, body_text="Beste klant,",
                              kind="activation", customer_id=customer_id)


def test_a_queued_mail_is_due_at_once_and_kept_whole(db):
    customer = make_customer(db)
    mail_id = enqueue(db, customer_id=customer)
    mail = outbox.get(db, mail_id)
    assert (mail.to_addr, mail.subject, mail.body_text, mail.kind, mail.customer_id) == (
        "a.test@example.nl", "Activeer", "Beste klant,", "activation", customer)
    assert (mail.status, mail.tries, mail.last_error, mail.sent_at) == ("queued", 0, "", None)
    assert mail.created_at == mail.next_try_at == T0
    assert [m.id for m in outbox.due(db, T0)] == [mail_id]
    assert outbox.due(db, T0 - dt.timedelta(seconds=1)) == []


def test_a_mail_queued_in_a_rolled_back_transaction_is_gone(db):
    try:
        with db.transaction():
            outbox.enqueue(db, now=T0, to_addr="x@example.nl", subject="s", body_text="b",
                           kind="activation")
            raise RuntimeError("the registration failed")
    except RuntimeError:
        pass
    assert outbox.recent(db) == []


def test_only_one_sender_claims_a_mail(db):
    mail_id = enqueue(db)
    lease = T0 + dt.timedelta(minutes=10)
    assert outbox.claim(db, mail_id, T0, lease)
    assert not outbox.claim(db, mail_id, T0, lease)          # the other sender
    mail = outbox.get(db, mail_id)
    assert (mail.tries, mail.next_try_at) == (1, lease)
    assert outbox.due(db, T0) == []
    # a sender that died: the mail is due again after the lease
    assert [m.id for m in outbox.due(db, lease)] == [mail_id]


def test_sent_retry_and_failed(db):
    sent, retry, failed = enqueue(db), enqueue(db), enqueue(db)
    later = T0 + dt.timedelta(minutes=1)
    with db.transaction():
        outbox.mark_sent(db, sent, T0)
        outbox.mark_retry(db, retry, "niet bereikbaar", later)
        outbox.mark_failed(db, failed, "550 onbekend")
    assert (outbox.get(db, sent).status, outbox.get(db, sent).sent_at) == ("sent", T0)
    assert outbox.get(db, retry).last_error == "niet bereikbaar"
    assert [m.id for m in outbox.due(db, T0)] == []
    assert [m.id for m in outbox.due(db, later)] == [retry]
    assert outbox.counts(db) == {"queued": 1, "sent": 1, "parked": 0, "failed": 1}
    # retry_now: a failed mail goes back in the queue; a sent one stays sent
    assert outbox.retry_now(db, failed, T0)
    assert not outbox.retry_now(db, sent, T0)
    assert [m.id for m in outbox.due(db, T0)] == [failed]


def test_due_oldest_first_within_the_limit(db):
    first = enqueue(db, now=T0)
    second = enqueue(db, now=T0 + dt.timedelta(seconds=5))
    enqueue(db, now=T0 + dt.timedelta(seconds=9))
    later = T0 + dt.timedelta(minutes=1)
    assert [m.id for m in outbox.due(db, later, limit=2)] == [first, second]


def test_recent_is_newest_first_and_can_be_for_one_customer(db):
    customer = make_customer(db)
    old = enqueue(db, now=T0, customer_id=customer)
    enqueue(db, now=T0 + dt.timedelta(minutes=1))
    new = enqueue(db, now=T0 + dt.timedelta(minutes=2), customer_id=customer)
    assert [m.id for m in outbox.recent(db, 2)] == [new, new - 1]
    assert [m.id for m in outbox.recent(db, 10, customer_id=customer)] == [new, old]
