"""SQL for the privacy terms: deregistration, anonymisation, the retention clean-ups and the
figures the privacy overview shows (services/privacy.py; ``store.privacy`` re-exports these).

Call the writing functions inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database
from tui_desk.store.dialect_check import is_sqlite


# -- deregistration, anonymisation and retention --------------------------------------------------
def set_deregistered(db: Database, customer_id: int, day: dt.date, at: dt.datetime) -> None:
    db.execute("UPDATE customers SET deregistered_on = ?, updated_at = ? WHERE id = ?",
               (day.isoformat(), stamp(at), customer_id))


def customer_state(db: Database, customer_id: int) -> sqlite3.Row | None:
    return db.one("SELECT id, actor_id, deregistered_on, anonymised_on, fiscal_removed_on,"
                  " items_on_loan, kind FROM customers WHERE id = ?", (customer_id,))


def anonymise(db: Database, customer_id: int, *, pseudonym: str, day: dt.date,
              at: dt.datetime) -> list[str]:
    """Remove every piece of personal data of the customer from every table; the financial
    rows stay, pseudonymised. Returns the usernames of the removed login accounts."""
    cid = (customer_id,)
    now = stamp(at)
    db.execute(
        "UPDATE customers SET initials = '', prefix = '', surname = ?, first_name = '',"
        " search_name = ?, birth_year = CAST(substr(birth_date, 1, 4) AS INTEGER),"
        " birth_date = NULL, gender = CASE gender WHEN 'I' THEN 'I' ELSE 'O' END,"
        " phone = '', sms = '', email = '', newsletter = 0, loan_history = 0,"
        " notify_loaned_before = 0, selection = '', use_login = 0, id_checked = 0,"
        " anonymised_on = ?, deregistered_on = COALESCE(deregistered_on, ?), updated_at = ?"
        " WHERE id = ?",
        (pseudonym, pseudonym.lower(), day.isoformat(), day.isoformat(), now, customer_id))
    for table in ("addresses", "notices", "consents", "communication_preferences",
                  "customer_blocks"):
        db.execute(f"DELETE FROM {table} WHERE customer_id = ?", cid)
    db.execute("DELETE FROM guardians WHERE customer_id = ? OR guardian_customer_id = ?",
               (customer_id, customer_id))
    usernames = [r[0] for r in db.all("SELECT username FROM customer_logins "
                                      "WHERE customer_id = ?", cid)]
    db.execute("DELETE FROM customer_logins WHERE customer_id = ?", cid)
    for username in usernames:
        db.execute(
            "UPDATE login_accounts SET username = 'geanonimiseerd-' || id, email = '',"
            " status = 'removed', token_hash = NULL, removed_at = COALESCE(removed_at, ?),"
            " removed_reason = 'anonymised' WHERE username = ?", (now, username))
    db.execute("UPDATE cards SET status = 'geblokkeerd', blocked_on = ?, reason = 'geanonimiseerd'"
               " WHERE customer_id = ? AND status = 'actief'", (day.isoformat(), customer_id))
    db.execute("UPDATE cards SET reason = 'geanonimiseerd' WHERE customer_id = ?", cid)
    db.execute("UPDATE mail_outbox SET to_addr = '', subject = '(verwijderd)', body_text = '',"
               " last_error = '' WHERE customer_id = ?", cid)
    db.execute("UPDATE contribution_letters SET to_addr = '', subject = 'Contributiebrief',"
               " body_text = '' WHERE customer_id = ?", cid)
    db.execute("UPDATE mandates SET status = 'revoked', revoked_on = ?,"
               " revoke_reason = 'geanonimiseerd' WHERE customer_id = ? AND status = 'active'",
               (day.isoformat(), customer_id))
    db.execute("UPDATE mandates SET status = 'cancelled' WHERE customer_id = ?"
               " AND status = 'pending'", cid)
    db.execute("UPDATE mandates SET iban = '', bic = '', holder_name = '', holder_place = '',"
               " previous_iban = NULL WHERE customer_id = ?", cid)
    db.execute("UPDATE customer_documents SET file_data = NULL, file_name = '', file_type = ''"
               " WHERE customer_id = ?", cid)
    db.execute("UPDATE waivers SET note = '' WHERE customer_id = ?", cid)
    db.execute("UPDATE print_jobs SET payload = x'', options = '{}', label = '',"
               " last_error = '', purged_at = COALESCE(purged_at, ?) WHERE customer_id = ?",
               (now, customer_id))
    db.execute("UPDATE registration_drafts SET data = '{}' WHERE customer_id = ?", cid)
    db.execute("UPDATE audit_log SET before = NULL, after = NULL, entity_id = NULL"
               " WHERE customer_id = ?", cid)
    return usernames


def activity_candidates(db: Database, before: dt.date) -> list[int]:
    """Customers not anonymised whose last sign of life (activity, registration,
    deregistration, the end of a subscription period, a payment) is before ``before`` and who
    have nothing on loan. The open amount is checked by the service."""
    return _customers_where(
        db, before, "c.anonymised_on IS NULL AND c.items_on_loan = 0"
        " AND COALESCE(c.last_activity, '') < :day AND c.registered_on < :day"
        " AND COALESCE(c.deregistered_on, '') < :day"
        " AND NOT EXISTS (SELECT 1 FROM subscription_periods p WHERE p.customer_id = c.id"
        "   AND p.status <> 'Ongeldig' AND p.end_date >= :day)")


def fiscal_candidates(db: Database, before: dt.date) -> list[int]:
    """Anonymised customers whose financial records are all older than ``before`` and not
    removed yet."""
    return _customers_where(
        db, before, "c.anonymised_on IS NOT NULL AND c.fiscal_removed_on IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id"
        "   AND i.created_at >= :day)")


def _customers_where(db: Database, before: dt.date, condition: str) -> list[int]:
    """Ids of the customers that meet ``condition`` (``:day`` is ``before``) and paid nothing
    on or after ``before``, in id order."""
    return [r[0] for r in db.all(
        f"SELECT c.id FROM customers c WHERE {condition}"
        " AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.customer_id = c.id AND y.at >= :day)"
        " ORDER BY c.id", {"day": before.isoformat()})]


def remove_financial(db: Database, customer_id: int, day: dt.date) -> int:
    """Delete the financial records of an (anonymised) customer; returns how many rows."""
    cid = (customer_id,)
    invoices = "(SELECT id FROM invoices WHERE customer_id = ?)"
    removed = 0
    for sql, params in (
        ("DELETE FROM collection_notices WHERE customer_id = ?", cid),
        ("DELETE FROM collections WHERE customer_id = ?", cid),
        ("DELETE FROM payment_allocations WHERE payment_id IN "
         "(SELECT id FROM payments WHERE customer_id = ?)", cid),
        (f"DELETE FROM payment_allocations WHERE invoice_id IN {invoices}", cid),
        (f"DELETE FROM credit_set_offs WHERE invoice_id IN {invoices}"
         f" OR credit_invoice_id IN {invoices}", (customer_id, customer_id)),
        ("DELETE FROM waivers WHERE customer_id = ?", cid),
        ("DELETE FROM open_registrations WHERE customer_id = ?", cid),
        ("DELETE FROM contribution_letters WHERE customer_id = ?", cid),
        ("DELETE FROM payments WHERE customer_id = ?", cid),
        ("UPDATE invoices SET credits_invoice_id = NULL WHERE customer_id = ?", cid),
        ("DELETE FROM invoices WHERE customer_id = ?", cid),
        ("DELETE FROM mandates WHERE customer_id = ?", cid),
        ("DELETE FROM customer_documents WHERE customer_id = ?", cid),
        ("DELETE FROM mail_outbox WHERE customer_id = ?", cid),
        ("DELETE FROM print_jobs WHERE customer_id = ?", cid),
    ):
        removed += db.execute(sql, params).rowcount
    db.execute("UPDATE customers SET fiscal_removed_on = ? WHERE id = ?",
               (day.isoformat(), customer_id))
    return removed


def checkpoint(db: Database) -> None:
    """Copy the WAL into the database file and empty it, so erased data is gone from both.

    SQLite only: PostgreSQL recycles its WAL itself (and keeps no free pages to read back)."""
    if is_sqlite(db):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# -- print jobs and the privacy figures ------------------------------------------------------------
def purge_print_payloads(db: Database, before: dt.datetime, now: dt.datetime) -> int:
    """Empty the printer data of finished jobs last changed before ``before``."""
    return db.execute(
        "UPDATE print_jobs SET payload = x'', options = '{}', purged_at = ?"
        " WHERE purged_at IS NULL AND status IN ('done', 'sent', 'cancelled') AND updated_at < ?",
        (stamp(now), stamp(before))).rowcount


def print_jobs_past(db: Database, before: dt.datetime) -> int:
    return int(db.scalar(
        "SELECT COUNT(*) FROM print_jobs WHERE purged_at IS NULL"
        " AND status IN ('done', 'sent', 'cancelled') AND updated_at < ?", (stamp(before),)))


def drafts_past(db: Database, before: dt.datetime) -> int:
    return int(db.scalar(
        "SELECT COUNT(*) FROM registration_drafts WHERE status IN ('open', 'abandoned')"
        " AND updated_at < ?", (stamp(before),)))


def mails_past(db: Database, before: dt.datetime) -> int:
    """Sent (or failed) mails created before ``before`` whose text is still kept."""
    return int(db.scalar(
        "SELECT COUNT(*) FROM mail_outbox WHERE body_text <> ''"
        " AND status IN ('sent', 'parked', 'failed') AND created_at < ?",
        (stamp(before),)))


def anonymised_count(db: Database) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM customers WHERE anonymised_on IS NOT NULL"))


def empty_old_mails(db: Database, before: dt.datetime) -> int:
    """Empty the text of mails created before ``before`` (sent or failed)."""
    return db.execute(
        "UPDATE mail_outbox SET body_text = '', to_addr = '', last_error = ''"
        " WHERE body_text <> '' AND status IN ('sent', 'parked', 'failed') AND created_at < ?",
        (stamp(before),)).rowcount
