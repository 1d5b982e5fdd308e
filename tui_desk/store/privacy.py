"""SQL for privacy by design: guardians, consents, communication preferences, blocks, the
inzage export, deregistration, anonymisation and the retention terms (services/privacy.py).

Call the writing functions inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


# -- guardians -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuardianRow:
    id: int
    customer_id: int                    # the minor
    guardian_customer_id: int | None    # the linked customer, when scanned
    name: str                           # typed, or the linked customer's name parts
    relation: str
    phone: str
    email: str
    card_number: str                    # the linked customer's active card
    initials: str = ""
    prefix: str = ""
    surname: str = ""
    gender: str = "O"


_GUARDIAN_SELECT = (
    "SELECT g.*, c.initials AS g_initials, c.prefix AS g_prefix, c.surname AS g_surname,"
    " c.gender AS g_gender, c.phone AS g_phone, c.email AS g_email,"
    " (SELECT number FROM cards k WHERE k.customer_id = g.guardian_customer_id"
    "  AND k.status = 'actief' ORDER BY k.id DESC LIMIT 1) AS g_card "
    "FROM guardians g LEFT JOIN customers c ON c.id = g.guardian_customer_id "
)


def _guardian(r: sqlite3.Row) -> GuardianRow:
    linked = r["guardian_customer_id"] is not None
    return GuardianRow(
        id=r["id"], customer_id=r["customer_id"], guardian_customer_id=r["guardian_customer_id"],
        name=r["name"], relation=r["relation"],
        phone=(r["g_phone"] or r["phone"]) if linked else r["phone"],
        email=(r["g_email"] or r["email"]) if linked else r["email"],
        card_number=r["g_card"] or "",
        initials=r["g_initials"] or "" if linked else "",
        prefix=r["g_prefix"] or "" if linked else "",
        surname=r["g_surname"] or "" if linked else "",
        gender=r["g_gender"] or "O" if linked else "O",
    )


def insert_guardian(db: Database, *, customer_id: int, guardian_customer_id: int | None,
                    name: str, relation: str, phone: str, email: str, at: dt.datetime,
                    staff_id: int | None) -> int:
    return db.insert(
        "INSERT INTO guardians(customer_id, guardian_customer_id, name, relation, phone, email,"
        " created_at, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (customer_id, guardian_customer_id, name, relation, phone, email, stamp(at), staff_id),
    )


def guardians_of(db: Database, customer_id: int) -> list[GuardianRow]:
    return [_guardian(r) for r in db.all(_GUARDIAN_SELECT + "WHERE g.customer_id = ? "
                                         "ORDER BY g.id", (customer_id,))]


@dataclass(frozen=True)
class WardRow:
    """A child on the guardian's record."""

    customer_id: int
    initials: str
    prefix: str
    surname: str
    first_name: str
    birth_date: dt.date | None
    card_number: str
    relation: str


def wards_of(db: Database, guardian_customer_id: int) -> list[WardRow]:
    rows = db.all(
        "SELECT c.id, c.initials, c.prefix, c.surname, c.first_name, c.birth_date, g.relation,"
        " (SELECT number FROM cards k WHERE k.customer_id = c.id AND k.status = 'actief'"
        "  ORDER BY k.id DESC LIMIT 1) AS card "
        "FROM guardians g JOIN customers c ON c.id = g.customer_id "
        "WHERE g.guardian_customer_id = ? ORDER BY c.birth_date, c.id",
        (guardian_customer_id,),
    )
    return [WardRow(r["id"], r["initials"], r["prefix"], r["surname"], r["first_name"],
                    _date(r["birth_date"]), r["card"] or "", r["relation"]) for r in rows]


def customer_by_card(db: Database, number: str) -> tuple[int, str] | None:
    """(customer id, card status) of a card number, None when unknown."""
    row = db.one("SELECT customer_id, status FROM cards WHERE number = ?", (number,))
    if row is None or row["customer_id"] is None:
        return None
    return int(row["customer_id"]), row["status"]


@dataclass(frozen=True)
class PersonRow:
    id: int
    initials: str
    prefix: str
    surname: str
    first_name: str
    gender: str
    birth_date: dt.date | None
    email: str
    phone: str
    anonymised: bool


def person(db: Database, customer_id: int) -> PersonRow | None:
    r = db.one("SELECT id, initials, prefix, surname, first_name, gender, birth_date, email,"
               " phone, anonymised_on FROM customers WHERE id = ?", (customer_id,))
    if r is None:
        return None
    return PersonRow(r["id"], r["initials"], r["prefix"], r["surname"], r["first_name"],
                     r["gender"], _date(r["birth_date"]), r["email"], r["phone"],
                     r["anonymised_on"] is not None)


# -- consents ------------------------------------------------------------------------------------
CONSENT_FLAGS = {"nieuwsbrief": "newsletter", "leenhistorie": "loan_history",
                 "eerder_geleend": "notify_loaned_before"}


@dataclass(frozen=True)
class ConsentRow:
    id: int
    customer_id: int
    kind: str
    given_at: dt.datetime
    given_by: str               # staff name
    method: str
    by_guardian: bool
    withdrawn_at: dt.datetime | None
    withdrawn_by: str
    withdrawn_method: str


def _consent(r: sqlite3.Row) -> ConsentRow:
    return ConsentRow(
        r["id"], r["customer_id"], r["kind"], dt.datetime.fromisoformat(r["given_at"]),
        r["given_name"] or "", r["method"], bool(r["by_guardian"]),
        dt.datetime.fromisoformat(r["withdrawn_at"]) if r["withdrawn_at"] else None,
        r["withdrawn_name"] or "", r["withdrawn_method"] or "")


_CONSENT_SELECT = (
    "SELECT k.*, s.name AS given_name, w.name AS withdrawn_name FROM consents k "
    "LEFT JOIN staff s ON s.id = k.given_by LEFT JOIN staff w ON w.id = k.withdrawn_by "
)


def consents(db: Database, customer_id: int) -> list[ConsentRow]:
    """Every consent ever given, newest first (the history on tab 4)."""
    return [_consent(r) for r in db.all(
        _CONSENT_SELECT + "WHERE k.customer_id = ? ORDER BY k.given_at DESC, k.id DESC",
        (customer_id,))]


def current_consent(db: Database, customer_id: int, kind: str) -> ConsentRow | None:
    r = db.one(_CONSENT_SELECT + "WHERE k.customer_id = ? AND k.kind = ? "
               "AND k.withdrawn_at IS NULL", (customer_id, kind))
    return _consent(r) if r else None


def insert_consent(db: Database, *, customer_id: int, kind: str, at: dt.datetime,
                   staff_id: int | None, method: str, by_guardian: bool) -> int:
    consent_id = db.insert(
        "INSERT INTO consents(customer_id, kind, given_at, given_by, method, by_guardian)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (customer_id, kind, stamp(at), staff_id, method, int(by_guardian)))
    db.execute(f"UPDATE customers SET {CONSENT_FLAGS[kind]} = 1, updated_at = ? WHERE id = ?",
               (stamp(at), customer_id))
    return consent_id


def withdraw_consent(db: Database, consent_id: int, *, customer_id: int, kind: str,
                     at: dt.datetime, staff_id: int | None, method: str) -> None:
    db.execute("UPDATE consents SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_method = ?"
               " WHERE id = ? AND withdrawn_at IS NULL", (stamp(at), staff_id, method, consent_id))
    db.execute(f"UPDATE customers SET {CONSENT_FLAGS[kind]} = 0, updated_at = ? WHERE id = ?",
               (stamp(at), customer_id))


# -- communication preferences -------------------------------------------------------------------
def preferences(db: Database, customer_id: int) -> dict[str, tuple[str, str]]:
    """kind → (channel, language) as stored (kinds without a row are absent)."""
    return {r["kind"]: (r["channel"], r["language"]) for r in db.all(
        "SELECT kind, channel, language FROM communication_preferences WHERE customer_id = ?",
        (customer_id,))}


def set_preference(db: Database, *, customer_id: int, kind: str, channel: str, language: str,
                   at: dt.datetime, staff_id: int | None) -> None:
    db.execute(
        "INSERT INTO communication_preferences(customer_id, kind, channel, language, updated_at,"
        " staff_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id, kind) DO UPDATE SET"
        " channel = excluded.channel, language = excluded.language,"
        " updated_at = excluded.updated_at, staff_id = excluded.staff_id",
        (customer_id, kind, channel, language, stamp(at), staff_id))


# -- blocks --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlockRow:
    id: int
    customer_id: int
    type: str
    reason: str
    start: dt.date
    end: dt.date | None
    staff_name: str
    created_at: dt.datetime
    lifted_at: dt.datetime | None
    lifted_by: str


def _block(r: sqlite3.Row) -> BlockRow:
    return BlockRow(r["id"], r["customer_id"], r["type"], r["reason"],
                    dt.date.fromisoformat(r["start_date"]), _date(r["end_date"]),
                    r["staff_name"] or "", dt.datetime.fromisoformat(r["created_at"]),
                    dt.datetime.fromisoformat(r["lifted_at"]) if r["lifted_at"] else None,
                    r["lifted_name"] or "")


_BLOCK_SELECT = (
    "SELECT b.*, s.name AS staff_name, l.name AS lifted_name FROM customer_blocks b "
    "LEFT JOIN staff s ON s.id = b.staff_id LEFT JOIN staff l ON l.id = b.lifted_by "
)


def blocks(db: Database, customer_id: int) -> list[BlockRow]:
    """Every block of the customer, the ones still in force first."""
    return [_block(r) for r in db.all(
        _BLOCK_SELECT + "WHERE b.customer_id = ? "
        "ORDER BY b.lifted_at IS NOT NULL, b.start_date DESC, b.id DESC", (customer_id,))]


def block(db: Database, block_id: int) -> BlockRow | None:
    r = db.one(_BLOCK_SELECT + "WHERE b.id = ?", (block_id,))
    return _block(r) if r else None


def insert_block(db: Database, *, customer_id: int, type: str, reason: str, start: dt.date,
                 end: dt.date | None, staff_id: int | None, at: dt.datetime) -> int:
    return db.insert(
        "INSERT INTO customer_blocks(customer_id, type, reason, start_date, end_date, staff_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (customer_id, type, reason, start.isoformat(), end.isoformat() if end else None,
         staff_id, stamp(at)))


def lift_block(db: Database, block_id: int, *, at: dt.datetime, staff_id: int | None) -> bool:
    return db.execute("UPDATE customer_blocks SET lifted_at = ?, lifted_by = ? "
                      "WHERE id = ? AND lifted_at IS NULL",
                      (stamp(at), staff_id, block_id)).rowcount > 0


def ended_blocks(db: Database, today: dt.date) -> list[BlockRow]:
    """Blocks whose end date has passed and that are not lifted yet."""
    return [_block(r) for r in db.all(
        _BLOCK_SELECT + "WHERE b.lifted_at IS NULL AND b.end_date IS NOT NULL "
        "AND b.end_date < ? ORDER BY b.id", (today.isoformat(),))]


# -- inzage --------------------------------------------------------------------------------------
def customer_key_columns(db: Database) -> list[tuple[str, str]]:
    """(table, column) of every column that refers to customers(id), from the schema."""
    found = []
    tables = [r[0] for r in db.all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        for fk in db.all(f"PRAGMA foreign_key_list({table})"):
            if fk["table"] == "customers":
                found.append((table, fk["from"]))
    return found


def rows_where(db: Database, table: str, column: str, value: object) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` equals ``value`` (names from the schema only)."""
    return [dict(r) for r in db.all(f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid",
                                    (value,))]


def payment_allocations_of(db: Database, customer_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in db.all(
        "SELECT a.* FROM payment_allocations a JOIN payments p ON p.id = a.payment_id "
        "WHERE p.customer_id = ? ORDER BY a.id", (customer_id,))]


def credit_set_offs_of(db: Database, customer_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in db.all(
        "SELECT s.* FROM credit_set_offs s JOIN invoices i ON i.id = s.invoice_id "
        "WHERE i.customer_id = ? ORDER BY s.id", (customer_id,))]


def login_accounts_of(db: Database, customer_id: int) -> list[dict[str, Any]]:
    """The local identity service's accounts linked to the customer (without token hashes)."""
    return [dict(r) for r in db.all(
        "SELECT a.id, a.username, a.email, a.status, a.created_at, a.token_expires_at,"
        " a.activated_at, a.removed_at, a.removed_reason FROM login_accounts a "
        "WHERE a.username IN (SELECT username FROM customer_logins WHERE customer_id = ?) "
        "ORDER BY a.id", (customer_id,))]


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
    day = before.isoformat()
    return [r[0] for r in db.all(
        "SELECT c.id FROM customers c WHERE c.anonymised_on IS NULL AND c.items_on_loan = 0"
        " AND COALESCE(c.last_activity, '') < ? AND c.registered_on < ?"
        " AND COALESCE(c.deregistered_on, '') < ?"
        " AND NOT EXISTS (SELECT 1 FROM subscription_periods p WHERE p.customer_id = c.id"
        "   AND p.status <> 'Ongeldig' AND p.end_date >= ?)"
        " AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.customer_id = c.id AND y.at >= ?)"
        " ORDER BY c.id", (day, day, day, day, day))]


def fiscal_candidates(db: Database, before: dt.date) -> list[int]:
    """Anonymised customers whose financial records are all older than ``before`` and not
    removed yet."""
    day = before.isoformat()
    return [r[0] for r in db.all(
        "SELECT c.id FROM customers c WHERE c.anonymised_on IS NOT NULL"
        " AND c.fiscal_removed_on IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id"
        "   AND i.created_at >= ?)"
        " AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.customer_id = c.id AND y.at >= ?)"
        " ORDER BY c.id", (day, day))]


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
    """Copy the WAL into the database file and empty it, so erased data is gone from both."""
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
