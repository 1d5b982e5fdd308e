"""All SQL of the SEPA collection: invoices due for collection, the collections made and the
pre-notifications sent (``store.mandates`` re-exports these names)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database
from tui_desk.store.mandate_rows import Mandate, mandate_row
from tui_desk.store.rows import Where, marks, new_id, reader, record


@dataclass(frozen=True)
class DueInvoice:
    """An open invoice of a customer with an active mandate, not collected yet."""

    invoice_id: int
    customer_id: int
    description: str
    due_date: dt.date
    mandate: Mandate
    email: str
    gender: str
    initials: str
    prefix: str
    surname: str
    actor_id: int | None = None


_DUE_SELECT = (
    "SELECT i.id AS invoice_id, i.customer_id AS invoice_customer, i.description,"
    " i.due_date, c.email, c.gender, c.initials, c.prefix, c.surname, c.actor_id, m.*"
    " FROM invoices i JOIN mandates m ON m.customer_id = i.customer_id AND m.status = 'active'"
    " JOIN customers c ON c.id = i.customer_id"
    " WHERE i.status = 'open' AND i.kind = 'contributie' AND i.due_date <= ?"
    " AND NOT EXISTS (SELECT 1 FROM collections k WHERE k.invoice_id = i.id)"
    # a tariff that is always paid at the desk (0091 Maandabonnement) is never collected
    " AND NOT EXISTS (SELECT 1 FROM subscription_periods p JOIN tariffs t"
    "  ON t.code = p.tariff_code WHERE p.id = i.period_id AND t.pay_directly = 1)"
)


def _due(r: sqlite3.Row) -> DueInvoice:
    return record(DueInvoice, r, customer_id=r["invoice_customer"], mandate=mandate_row(r))


def due_for_collection(db: Database, due_until: dt.date) -> list[DueInvoice]:
    """Open contributie invoices due by ``due_until`` of customers with an active mandate that
    no collection file holds yet, by customer and due date."""
    return [_due(r) for r in db.all(
        f"{_DUE_SELECT} ORDER BY i.customer_id, i.due_date, i.id", (due_until.isoformat(),))]


def due_without_notice(db: Database, due_until: dt.date) -> list[DueInvoice]:
    """As ``due_for_collection``, without the invoices already pre-notified."""
    return [_due(r) for r in db.all(
        f"{_DUE_SELECT} AND NOT EXISTS (SELECT 1 FROM collection_notices n"
        "  WHERE n.invoice_id = i.id) ORDER BY i.customer_id, i.due_date, i.id",
        (due_until.isoformat(),))]


def insert_collection(db: Database, *, mandate_id: int, customer_id: int, invoice_id: int,
                      amount_cents: int, sequence_type: str, collection_date: dt.date,
                      end_to_end_id: str, message_id: str, at: dt.datetime,
                      file_name: str) -> int:
    return new_id(
        db, "INSERT INTO collections(mandate_id, customer_id, invoice_id, amount_cents,"
        " sequence_type, collection_date, end_to_end_id, message_id, exported_at, file_name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (mandate_id, customer_id, invoice_id, amount_cents, sequence_type,
         collection_date.isoformat(), end_to_end_id, message_id, stamp(at), file_name),
    )


def message_recorded(db: Database, message_id: str) -> bool:
    """Does a recorded collection come from the file with this MsgId?"""
    return db.one("SELECT 1 FROM collections WHERE message_id = ? LIMIT 1",
                  (message_id,)) is not None


@dataclass(frozen=True)
class CollectionRow:
    id: int
    mandate_id: int
    customer_id: int
    invoice_id: int
    amount_cents: int
    sequence_type: str
    collection_date: dt.date
    end_to_end_id: str
    message_id: str
    exported_at: dt.datetime
    file_name: str


_collection = reader(CollectionRow)


def collections(db: Database, *, customer_id: int | None = None,
                invoice_ids: Iterable[int] | None = None) -> list[CollectionRow]:
    """Collections (all, one customer's, or of some invoices), oldest first."""
    where = Where()
    if customer_id is not None:
        where.add("customer_id = ?", customer_id)
    if invoice_ids is not None:
        where.among("invoice_id", invoice_ids)
    return [_collection(r) for r in db.all(
        f"SELECT * FROM collections WHERE {where} ORDER BY id", tuple(where.params))]


def collected_invoice_ids(db: Database, customer_id: int) -> set[int]:
    """Invoices of the customer that a collection file holds (not to be paid at the desk)."""
    return {r[0] for r in db.all("SELECT invoice_id FROM collections WHERE customer_id = ?",
                                 (customer_id,))}


# -- pre-notifications ----------------------------------------------------------------------------
def insert_notice(db: Database, *, invoice_id: int, mandate_id: int, customer_id: int,
                  amount_cents: int, collection_date: dt.date, channel: str,
                  mail_id: int | None, at: dt.datetime) -> int:
    return new_id(
        db, "INSERT INTO collection_notices(invoice_id, mandate_id, customer_id, amount_cents,"
        " collection_date, channel, mail_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        (invoice_id, mandate_id, customer_id, amount_cents, collection_date.isoformat(),
         channel, mail_id, stamp(at)),
    )


def notices_of(db: Database, invoice_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """When each of ``invoice_ids`` was pre-notified (invoices without a notice are absent)."""
    ids = list(invoice_ids)
    if not ids:
        return {}
    rows = db.all(
        "SELECT invoice_id, created_at FROM collection_notices"
        f" WHERE invoice_id IN ({marks(ids)})", tuple(ids))
    return {r["invoice_id"]: dt.datetime.fromisoformat(r["created_at"]) for r in rows}


