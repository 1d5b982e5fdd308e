"""The mail outbox: mail waits here until the SMTP server has taken it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.rules.dates import stamp
from tui_desk.statuses import MailStatus
from tui_desk.store.db import Database
from tui_desk.store.rows import changed, new_id, one, reader

# The old names of the statuses, kept for the code that imports them.
QUEUED, SENT, PARKED, FAILED = (
    MailStatus.QUEUED, MailStatus.SENT, MailStatus.PARKED, MailStatus.FAILED)
STATUSES = tuple(MailStatus)


@dataclass(frozen=True)
class OutboxMail:
    id: int
    created_at: dt.datetime
    to_addr: str
    subject: str
    body_text: str
    kind: str
    customer_id: int | None
    status: MailStatus
    tries: int
    last_error: str
    next_try_at: dt.datetime
    sent_at: dt.datetime | None
    message_id: str | None = None     # the Message-ID header, set before the first try
    parked_at: dt.datetime | None = None


_mail = reader(OutboxMail)


def enqueue(db: Database, *, now: dt.datetime, to_addr: str, subject: str, body_text: str,
            kind: str, customer_id: int | None = None) -> int:
    """Queue a mail, due at once. Runs in the caller's transaction, if there is one."""
    return new_id(
        db, "INSERT INTO mail_outbox(created_at, to_addr, subject, body_text, kind, customer_id,"
        " status, tries, next_try_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?) RETURNING id",
        (stamp(now), to_addr, subject, body_text, kind, customer_id, stamp(now)),
    )


def get(db: Database, mail_id: int) -> OutboxMail | None:
    return one(db, _mail, "SELECT * FROM mail_outbox WHERE id = ?", (mail_id,))


def due(db: Database, now: dt.datetime, limit: int = 100) -> list[OutboxMail]:
    """Queued mail whose time has come, oldest first."""
    rows = db.all(
        "SELECT * FROM mail_outbox WHERE status = 'queued' AND next_try_at <= ? "
        "ORDER BY next_try_at, id LIMIT ?",
        (stamp(now), limit),
    )
    return [_mail(r) for r in rows]


def claim(db: Database, mail_id: int, now: dt.datetime, lease_until: dt.datetime) -> bool:
    """Take a due mail for one delivery attempt (counts the try).

    The mail's next try moves to ``lease_until``: another sender leaves it alone meanwhile, and
    if this one dies half-way the mail is tried again after the lease.
    """
    return changed(
        db, "UPDATE mail_outbox SET tries = tries + 1, next_try_at = ? "
        "WHERE id = ? AND status = 'queued' AND next_try_at <= ?",
        (stamp(lease_until), mail_id, stamp(now)),
    ) == 1


def set_message_id(db: Database, mail_id: int, message_id: str) -> str:
    """Give the mail its Message-ID unless it has one; returns the one it has."""
    db.execute("UPDATE mail_outbox SET message_id = ? WHERE id = ? AND message_id IS NULL",
               (message_id, mail_id))
    return str(db.scalar("SELECT message_id FROM mail_outbox WHERE id = ?", (mail_id,)))


def mark_sent(db: Database, mail_id: int, now: dt.datetime) -> None:
    db.execute(
        "UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?",
        (stamp(now), mail_id),
    )


def mark_retry(db: Database, mail_id: int, error: str, next_try_at: dt.datetime) -> None:
    db.execute(
        "UPDATE mail_outbox SET status = 'queued', last_error = ?, next_try_at = ? WHERE id = ?",
        (error, stamp(next_try_at), mail_id),
    )


def mark_parked(db: Database, mail_id: int, error: str, now: dt.datetime) -> None:
    """Out of tries: the mail waits for an administrator (``retry_parked``), not for a timer."""
    db.execute(
        "UPDATE mail_outbox SET status = 'parked', last_error = ?, parked_at = ? WHERE id = ?",
        (error, stamp(now), mail_id),
    )


def retry_parked(db: Database, now: dt.datetime, ids: list[int] | None = None) -> int:
    """Queue parked mail again (all, or those of ``ids``) with a fresh set of tries; returns
    how many."""
    if ids is None:
        return changed(
            db, "UPDATE mail_outbox SET status = 'queued', tries = 0, next_try_at = ?,"
            " parked_at = NULL WHERE status = 'parked'", (stamp(now),))
    count = 0
    for mail_id in ids:
        count += retry_now(db, mail_id, now)
    return count


def mark_failed(db: Database, mail_id: int, error: str) -> None:
    """Given up: the server refused the mail for good."""
    db.execute(
        "UPDATE mail_outbox SET status = 'failed', last_error = ? WHERE id = ?",
        (error, mail_id),
    )


def retry_now(db: Database, mail_id: int, now: dt.datetime) -> bool:
    """Queue a parked, failed or waiting mail again, due at once (e.g. after fixing the
    address); a parked or failed one gets a fresh set of tries."""
    return changed(
        db, "UPDATE mail_outbox SET next_try_at = ?, parked_at = NULL,"
        " tries = CASE WHEN status = 'queued' THEN tries ELSE 0 END, status = 'queued'"
        " WHERE id = ? AND status <> 'sent'",
        (stamp(now), mail_id),
    ) == 1


def recent(db: Database, limit: int = 100, *, customer_id: int | None = None) -> list[OutboxMail]:
    """Newest first: what the "Berichten" screen lists."""
    if customer_id is None:
        rows = db.all("SELECT * FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT ?",
                      (limit,))
    else:
        rows = db.all(
            "SELECT * FROM mail_outbox WHERE customer_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (customer_id, limit),
        )
    return [_mail(r) for r in rows]


def counts(db: Database) -> dict[str, int]:
    """Number of mails per status (every status present, zero when none)."""
    found: dict[str, int] = {s: 0 for s in STATUSES}
    for row in db.all("SELECT status, count(*) AS n FROM mail_outbox GROUP BY status"):
        found[row["status"]] = row["n"]
    return found


def with_status(db: Database, status: str, limit: int = 1000) -> list[OutboxMail]:
    """Mail in one status, oldest first (``tui-desk mail list``)."""
    rows = db.all("SELECT * FROM mail_outbox WHERE status = ? ORDER BY created_at, id LIMIT ?",
                  (status, limit))
    return [_mail(r) for r in rows]
