"""SQL for privacy by design: guardians, consents, communication preferences, blocks and the
inzage export (services/privacy.py). Deregistration, anonymisation and the retention terms are
in ``store.retention``, re-exported here.

Call the writing functions inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database
from tui_desk.store.dialect_check import is_sqlite
from tui_desk.store.retention import (  # noqa: F401 - re-exported: callers use store.privacy
    activity_candidates,
    anonymise,
    anonymised_count,
    checkpoint,
    customer_state,
    drafts_past,
    empty_old_mails,
    fiscal_candidates,
    mails_past,
    print_jobs_past,
    purge_print_payloads,
    remove_financial,
    set_deregistered,
)
from tui_desk.store.rows import new_id


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
    return new_id(
        db, "INSERT INTO guardians(customer_id, guardian_customer_id, name, relation, phone, email,"
        " created_at, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
    consent_id = new_id(
        db, "INSERT INTO consents(customer_id, kind, given_at, given_by, method, by_guardian)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
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
    return new_id(
        db, "INSERT INTO customer_blocks(customer_id, type, reason, start_date, end_date, staff_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
    if not is_sqlite(db):
        return [(r[0], r[1]) for r in db.all(
            "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)"
            " WHERE c.contype = 'f' AND c.confrelid = 'customers'::regclass"
            " ORDER BY 1, 2")]
    found = []
    tables = [r[0] for r in db.all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        for fk in db.all(f"PRAGMA foreign_key_list({table})"):
            if fk["table"] == "customers":
                found.append((table, fk["from"]))
    return found


def primary_key(db: Database, table: str) -> list[str]:
    """The columns of ``table``'s primary key, in key order (a name from the schema only)."""
    if not is_sqlite(db):
        return [r[0] for r in db.all(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(? AS regclass)"
            " AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)", (table,))]
    rows = [r for r in db.all(f"PRAGMA table_info({table})") if r["pk"]]
    return [r["name"] for r in sorted(rows, key=lambda r: r["pk"])]


def rows_where(db: Database, table: str, column: str, value: object) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` equals ``value`` (names from the schema only),
    in the order of the table's primary key."""
    order = ", ".join(primary_key(db, table))
    return [dict(r) for r in db.all(f"SELECT * FROM {table} WHERE {column} = ? ORDER BY {order}",
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
