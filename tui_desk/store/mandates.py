"""All SQL of step 5 (Incassomachtiging) and the SEPA collection: mandates, the customer documents
found back by their document code, collections and pre-notifications; and the demo mandates.

Functions here never open a transaction of their own (except ``seed_demo_mandates``, which
joins the caller's): the services wrap one business action in one. See
``migrations/0007_mandates.sql`` for the statuses.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from tui_desk.config import Config
from tui_desk.rules import mandates as rules
from tui_desk.rules import names
from tui_desk.rules.dates import from_iso, stamp
from tui_desk.statuses import DocumentStatus, MandateStatus
from tui_desk.store.db import Database

# The old names of the statuses, kept for the code that imports them.
PENDING, ACTIVE, REVOKED, LAPSED, CANCELLED = (
    MandateStatus.PENDING, MandateStatus.ACTIVE, MandateStatus.REVOKED, MandateStatus.LAPSED,
    MandateStatus.CANCELLED)
PRINTED, PROCESSED = DocumentStatus.PRINTED, DocumentStatus.PROCESSED
SEQUENCE_KEY = "document_code_seq"


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# -- rows -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mandate:
    id: int
    customer_id: int
    kenmerk: str
    document_code: str
    iban: str
    bic: str
    holder_name: str
    holder_place: str
    status: MandateStatus
    printed_at: dt.datetime
    signed_on: dt.date | None
    processed_at: dt.datetime | None
    revoked_on: dt.date | None
    revoke_reason: str
    uses_switch_service: bool
    previous_iban: str | None
    iban_changed_on: dt.date | None
    first_collected_on: dt.date | None
    last_collected_on: dt.date | None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


def _mandate(r: sqlite3.Row) -> Mandate:
    return Mandate(
        id=r["id"], customer_id=r["customer_id"], kenmerk=r["kenmerk"],
        document_code=r["document_code"], iban=r["iban"], bic=r["bic"],
        holder_name=r["holder_name"], holder_place=r["holder_place"],
        status=MandateStatus(r["status"]),
        printed_at=dt.datetime.fromisoformat(r["printed_at"]),
        signed_on=from_iso(r["signed_on"]),
        processed_at=dt.datetime.fromisoformat(r["processed_at"]) if r["processed_at"] else None,
        revoked_on=from_iso(r["revoked_on"]), revoke_reason=r["revoke_reason"],
        uses_switch_service=bool(r["uses_switch_service"]), previous_iban=r["previous_iban"],
        iban_changed_on=from_iso(r["iban_changed_on"]),
        first_collected_on=from_iso(r["first_collected_on"]),
        last_collected_on=from_iso(r["last_collected_on"]),
    )


@dataclass(frozen=True)
class Document:
    """A customer document with what "Controleer" shows about its customer."""

    id: int
    document_code: str
    customer_id: int
    type: str
    status: DocumentStatus
    created_at: dt.datetime
    processed_at: dt.datetime | None
    source: str | None
    file_name: str
    file_type: str
    actor_id: int
    gender: str
    initials: str
    prefix: str
    surname: str
    mandate_id: int | None
    mandate_status: MandateStatus | None

    @property
    def customer_name(self) -> str:
        """``Mw. A. van de Test``"""
        return names.display_name(self.initials, self.prefix, self.surname,
                                  names.salutation(self.gender))


_DOCUMENT_SELECT = (
    "SELECT d.id, d.document_code, d.customer_id, d.type, d.status, d.created_at,"
    " d.processed_at, d.source, d.file_name, d.file_type, c.actor_id, c.gender, c.initials,"
    " c.prefix, c.surname, m.id AS mandate_id, m.status AS mandate_status"
    " FROM customer_documents d JOIN customers c ON c.id = d.customer_id"
    " LEFT JOIN mandates m ON m.document_code = d.document_code"
)


def _document(r: sqlite3.Row) -> Document:
    return Document(
        id=r["id"], document_code=r["document_code"], customer_id=r["customer_id"],
        type=r["type"], status=DocumentStatus(r["status"]),
        created_at=dt.datetime.fromisoformat(r["created_at"]),
        processed_at=dt.datetime.fromisoformat(r["processed_at"]) if r["processed_at"] else None,
        source=r["source"], file_name=r["file_name"], file_type=r["file_type"],
        actor_id=r["actor_id"], gender=r["gender"], initials=r["initials"], prefix=r["prefix"],
        surname=r["surname"], mandate_id=r["mandate_id"],
        mandate_status=MandateStatus(r["mandate_status"]) if r["mandate_status"] else None,
    )


# -- the customer as a mandate needs them ---------------------------------------------------------
@dataclass(frozen=True)
class Holder:
    customer_id: int
    actor_id: int
    gender: str
    initials: str
    prefix: str
    surname: str
    place: str
    email: str
    street_line: str = ""      # ``Kruisakkers 41 A``
    postcode: str = ""

    @property
    def full_name(self) -> str:
        return names.display_name(self.initials, self.prefix, self.surname,
                                  names.salutation(self.gender))


def holder(db: Database, customer_id: int) -> Holder | None:
    """Name, main address place and e-mail of a customer; None for an unknown id."""
    r = db.one(
        "SELECT c.id, c.actor_id, c.gender, c.initials, c.prefix, c.surname, c.email,"
        " a.street, a.house_number, a.house_suffix, a.postcode,"
        " COALESCE(a.place, '') AS place"
        " FROM customers c LEFT JOIN addresses a ON a.id = (SELECT x.id FROM addresses x"
        "  WHERE x.customer_id = c.id ORDER BY x.kind = 'hoofdadres' DESC, x.id LIMIT 1)"
        " WHERE c.id = ?",
        (customer_id,),
    )
    if r is None:
        return None
    number = f"{r['house_number'] or ''} {r['house_suffix'] or ''}".strip()
    street = " ".join(x for x in (r["street"] or "", number) if x)
    return Holder(r["id"], r["actor_id"], r["gender"], r["initials"], r["prefix"], r["surname"],
                  r["place"], r["email"], street, r["postcode"] or "")


def draft_bank_details(db: Database, customer_id: int) -> tuple[str, str] | None:
    """(IBAN, BIC) as typed in step 1 of the customer's registration, while its draft still
    holds them (finished drafts are emptied after the privacy retention)."""
    for r in db.all(
        "SELECT data FROM registration_drafts WHERE customer_id = ?"
        " ORDER BY updated_at DESC, id DESC", (customer_id,),
    ):
        try:
            values = json.loads(r["data"]).get("values", {})
        except (ValueError, AttributeError):
            continue
        iban = str(values.get("iban", "") or "").strip()
        if iban:
            return iban, str(values.get("bic", "") or "").strip()
    return None


# -- document codes and kenmerken -----------------------------------------------------------------
def next_document_sequence(db: Database) -> int:
    """Advance and return the document code counter; call inside a transaction."""
    return int(db.scalar(
        "INSERT INTO settings(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE"
        " SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value",
        (SEQUENCE_KEY,),
    ))


def document_code_taken(db: Database, code: str) -> bool:
    return db.scalar("SELECT 1 FROM customer_documents WHERE document_code = ?",
                     (code,)) is not None


def kenmerk_taken(db: Database, kenmerk: str) -> bool:
    return db.scalar("SELECT 1 FROM mandates WHERE kenmerk = ?", (kenmerk,)) is not None


def mandate_count(db: Database, customer_id: int) -> int:
    return int(db.scalar("SELECT count(*) FROM mandates WHERE customer_id = ?", (customer_id,)))


# -- writing mandates -----------------------------------------------------------------------------
def insert_document(db: Database, *, code: str, customer_id: int, type_: str,
                    at: dt.datetime, staff_id: int | None) -> int:
    return db.insert(
        "INSERT INTO customer_documents(document_code, customer_id, type, status, created_at,"
        " created_by) VALUES (?, ?, ?, 'printed', ?, ?)",
        (code, customer_id, type_, stamp(at), staff_id),
    )


def insert_mandate(db: Database, *, customer_id: int, kenmerk: str, document_code: str,
                   iban: str, bic: str, holder_name: str, holder_place: str, at: dt.datetime,
                   staff_id: int | None) -> int:
    return db.insert(
        "INSERT INTO mandates(customer_id, kenmerk, document_code, iban, bic, holder_name,"
        " holder_place, status, printed_at, printed_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending',"
        " ?, ?)",
        (customer_id, kenmerk, document_code, iban, bic, holder_name, holder_place, stamp(at),
         staff_id),
    )


def cancel_pending(db: Database, customer_id: int, *, keep_id: int) -> list[int]:
    """Forms printed earlier for the customer and never processed are superseded."""
    ids = [r[0] for r in db.all(
        "SELECT id FROM mandates WHERE customer_id = ? AND status = 'pending' AND id <> ?",
        (customer_id, keep_id))]
    if ids:
        db.execute(
            f"UPDATE mandates SET status = 'cancelled' WHERE id IN ({', '.join('?' * len(ids))})",
            tuple(ids),
        )
    return ids


def activate(db: Database, mandate_id: int, *, signed_on: dt.date, at: dt.datetime,
             staff_id: int | None) -> bool:
    """pending → active; False when it was not pending any more (processed meanwhile)."""
    cur = db.execute(
        "UPDATE mandates SET status = 'active', signed_on = ?, processed_at = ?,"
        " processed_by = ? WHERE id = ? AND status = 'pending'",
        (signed_on.isoformat(), stamp(at), staff_id, mandate_id),
    )
    return cur.rowcount == 1


def mark_document_processed(db: Database, code: str, *, at: dt.datetime, staff_id: int | None,
                            source: str, file_name: str = "", file_type: str = "",
                            data: bytes | None = None, sha256: str = "") -> bool:
    cur = db.execute(
        "UPDATE customer_documents SET status = 'processed', processed_at = ?, processed_by = ?,"
        " source = ?, file_name = ?, file_type = ?, file_data = ?, file_sha256 = ?,"
        " file_size = ? WHERE document_code = ? AND status = 'printed'",
        (stamp(at), staff_id, source, file_name, file_type, data, sha256,
         len(data) if data else 0, code),
    )
    return cur.rowcount == 1


def attach_file(db: Database, code: str, *, file_name: str, file_type: str, data: bytes,
                sha256: str) -> bool:
    """A scan for a document processed without one (Geen upload), matched later by hand."""
    cur = db.execute(
        "UPDATE customer_documents SET source = 'scan', file_name = ?, file_type = ?,"
        " file_data = ?, file_sha256 = ?, file_size = ? WHERE document_code = ?"
        " AND status = 'processed' AND file_data IS NULL AND file_removed_at IS NULL",
        (file_name, file_type, data, sha256, len(data), code),
    )
    return cur.rowcount == 1


@dataclass(frozen=True)
class ArchivedScan:
    """The signed form kept with a processed document (without its bytes)."""

    document_code: str
    customer_id: int
    file_name: str
    file_type: str
    file_size: int
    sha256: str
    processed_at: dt.datetime | None
    removed_at: dt.datetime | None


def archived_scan(db: Database, code: str) -> ArchivedScan | None:
    """What is archived for a document: its scan, or the note that it was removed."""
    r = db.one("SELECT document_code, customer_id, file_name, file_type, file_size,"
               " file_sha256, processed_at, file_removed_at FROM customer_documents"
               " WHERE document_code = ? AND (file_data IS NOT NULL"
               "  OR file_removed_at IS NOT NULL)", (code,))
    if r is None:
        return None
    return ArchivedScan(
        r["document_code"], r["customer_id"], r["file_name"], r["file_type"], r["file_size"],
        r["file_sha256"],
        dt.datetime.fromisoformat(r["processed_at"]) if r["processed_at"] else None,
        dt.datetime.fromisoformat(r["file_removed_at"]) if r["file_removed_at"] else None)


@dataclass(frozen=True)
class KeptScan:
    """A stored scan with what decides how long it is kept."""

    document_code: str
    customer_id: int
    mandate_id: int
    mandate_status: MandateStatus
    signed_on: dt.date | None
    revoked_on: dt.date | None
    last_collected_on: dt.date | None


def kept_scans(db: Database) -> list[KeptScan]:
    """Documents that still hold a scan, with their mandate's status and dates."""
    return [KeptScan(r["document_code"], r["customer_id"], r["mandate_id"],
                     MandateStatus(r["status"]),
                     from_iso(r["signed_on"]), from_iso(r["revoked_on"]),
                     from_iso(r["last_collected_on"]))
            for r in db.all(
                "SELECT d.document_code, d.customer_id, m.id AS mandate_id, m.status,"
                " m.signed_on, m.revoked_on, m.last_collected_on FROM customer_documents d"
                " JOIN mandates m ON m.document_code = d.document_code"
                " WHERE d.file_data IS NOT NULL ORDER BY d.id")]


def remove_file(db: Database, code: str, at: dt.datetime) -> bool:
    """Drop a document's scan (the retention ended); the document row stays."""
    cur = db.execute(
        "UPDATE customer_documents SET file_data = NULL, file_removed_at = ?"
        " WHERE document_code = ? AND file_data IS NOT NULL", (stamp(at), code))
    return cur.rowcount == 1


def revoke(db: Database, mandate_id: int, *, on: dt.date, reason: str) -> bool:
    """active → revoked on ``on`` with ``reason``."""
    cur = db.execute(
        "UPDATE mandates SET status = 'revoked', revoked_on = ?, revoke_reason = ?"
        " WHERE id = ? AND status = 'active'",
        (on.isoformat(), reason, mandate_id),
    )
    return cur.rowcount == 1


def set_lapsed(db: Database, mandate_id: int) -> bool:
    cur = db.execute("UPDATE mandates SET status = 'lapsed' WHERE id = ? AND status = 'active'",
                     (mandate_id,))
    return cur.rowcount == 1


def change_iban(db: Database, mandate_id: int, *, iban: str, bic: str, on: dt.date) -> None:
    """The overstapservice moved the account: the mandate stays, with the new IBAN."""
    db.execute(
        "UPDATE mandates SET previous_iban = COALESCE(previous_iban, iban), iban = ?, bic = ?,"
        " uses_switch_service = 1, iban_changed_on = ? WHERE id = ?",
        (iban, bic, on.isoformat(), mandate_id),
    )


def mark_collected(db: Database, mandate_id: int, on: dt.date) -> None:
    """A collection on ``on`` used the mandate (FRST → RCUR; the lapse counts from here)."""
    db.execute(
        "UPDATE mandates SET first_collected_on = COALESCE(first_collected_on, ?),"
        " last_collected_on = CASE WHEN last_collected_on IS NULL OR last_collected_on < ?"
        "  THEN ? ELSE last_collected_on END WHERE id = ?",
        (on.isoformat(), on.isoformat(), on.isoformat(), mandate_id),
    )


# -- reading mandates -----------------------------------------------------------------------------
def get(db: Database, mandate_id: int) -> Mandate | None:
    r = db.one("SELECT * FROM mandates WHERE id = ?", (mandate_id,))
    return _mandate(r) if r else None


def by_document_code(db: Database, code: str) -> Mandate | None:
    r = db.one("SELECT * FROM mandates WHERE document_code = ?", (code,))
    return _mandate(r) if r else None


def active_for(db: Database, customer_id: int) -> Mandate | None:
    r = db.one("SELECT * FROM mandates WHERE customer_id = ? AND status = 'active'",
               (customer_id,))
    return _mandate(r) if r else None


def has_active(db: Database, customer_id: int) -> bool:
    """Whether the customer has an active mandate (signed and processed; not revoked, lapsed
    or superseded): the Incasso tick, the monthly direct-debit tariffs, Registreren by
    incasso. The one definition: ``services.mandates.has_incasso`` and
    ``store.settlement.has_active_mandate`` ask here."""
    return db.scalar("SELECT 1 FROM mandates WHERE customer_id = ? AND status = 'active'"
                     " LIMIT 1", (customer_id,)) is not None


def for_customer(db: Database, customer_id: int) -> list[Mandate]:
    """The customer's mandates, newest first."""
    return [_mandate(r) for r in db.all(
        "SELECT * FROM mandates WHERE customer_id = ? ORDER BY printed_at DESC, id DESC",
        (customer_id,))]


def all_active(db: Database) -> list[Mandate]:
    return [_mandate(r) for r in db.all(
        "SELECT * FROM mandates WHERE status = 'active' ORDER BY id")]


def document(db: Database, code: str) -> Document | None:
    r = db.one(f"{_DOCUMENT_SELECT} WHERE d.document_code = ?", (code,))
    return _document(r) if r else None


def document_file(db: Database, code: str) -> tuple[str, str, bytes] | None:
    """(file name, type, bytes) stored with a processed document, if a file was stored."""
    r = db.one("SELECT file_name, file_type, file_data FROM customer_documents"
               " WHERE document_code = ? AND file_data IS NOT NULL", (code,))
    return None if r is None else (r["file_name"], r["file_type"], bytes(r["file_data"]))


def document_checksum(db: Database, code: str) -> str:
    return str(db.scalar("SELECT file_sha256 FROM customer_documents WHERE document_code = ?",
                         (code,)) or "")


def document_states(db: Database, codes: Iterable[str]) -> dict[str, Document]:
    """The documents (with their mandate's status) behind some document codes."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = db.all(f"{_DOCUMENT_SELECT} WHERE d.document_code IN "
                  f"({', '.join('?' * len(wanted))})", tuple(wanted))
    return {r["document_code"]: _document(r) for r in rows}


def has_file(db: Database, code: str) -> bool:
    return db.scalar("SELECT 1 FROM customer_documents WHERE document_code = ?"
                     " AND file_data IS NOT NULL", (code,)) is not None


# -- collections ----------------------------------------------------------------------------------
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
    return DueInvoice(
        invoice_id=r["invoice_id"], customer_id=r["invoice_customer"],
        description=r["description"], due_date=dt.date.fromisoformat(r["due_date"]),
        mandate=_mandate(r), email=r["email"], gender=r["gender"], initials=r["initials"],
        prefix=r["prefix"], surname=r["surname"], actor_id=r["actor_id"],
    )


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
    return db.insert(
        "INSERT INTO collections(mandate_id, customer_id, invoice_id, amount_cents,"
        " sequence_type, collection_date, end_to_end_id, message_id, exported_at, file_name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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


def _collection(r: sqlite3.Row) -> CollectionRow:
    return CollectionRow(
        id=r["id"], mandate_id=r["mandate_id"], customer_id=r["customer_id"],
        invoice_id=r["invoice_id"], amount_cents=r["amount_cents"],
        sequence_type=r["sequence_type"],
        collection_date=dt.date.fromisoformat(r["collection_date"]),
        end_to_end_id=r["end_to_end_id"], message_id=r["message_id"],
        exported_at=dt.datetime.fromisoformat(r["exported_at"]), file_name=r["file_name"],
    )


def collections(db: Database, *, customer_id: int | None = None,
                invoice_ids: Iterable[int] | None = None) -> list[CollectionRow]:
    """Collections (all, one customer's, or of some invoices), oldest first."""
    sql, params = "SELECT * FROM collections WHERE 1 = 1", []
    if customer_id is not None:
        sql += " AND customer_id = ?"
        params.append(customer_id)
    if invoice_ids is not None:
        ids = list(invoice_ids)
        if not ids:
            return []
        sql += f" AND invoice_id IN ({', '.join('?' * len(ids))})"
        params += ids
    return [_collection(r) for r in db.all(sql + " ORDER BY id", tuple(params))]


def collected_invoice_ids(db: Database, customer_id: int) -> set[int]:
    """Invoices of the customer that a collection file holds (not to be paid at the desk)."""
    return {r[0] for r in db.all("SELECT invoice_id FROM collections WHERE customer_id = ?",
                                 (customer_id,))}


# -- pre-notifications ----------------------------------------------------------------------------
def insert_notice(db: Database, *, invoice_id: int, mandate_id: int, customer_id: int,
                  amount_cents: int, collection_date: dt.date, channel: str,
                  mail_id: int | None, at: dt.datetime) -> int:
    return db.insert(
        "INSERT INTO collection_notices(invoice_id, mandate_id, customer_id, amount_cents,"
        " collection_date, channel, mail_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        f" WHERE invoice_id IN ({', '.join('?' * len(ids))})", tuple(ids))
    return {r["invoice_id"]: dt.datetime.fromisoformat(r["created_at"]) for r in rows}


# -- the demo -------------------------------------------------------------------------------------
_MONTHLY_DEBIT = ("0049", "0052")
_YEARLY = ("0045", "0053")
_DEMO_YEARLY_MANDATES = 12


def seed_demo_mandates(db: Database, config: Config, today: dt.date) -> int:
    """Give demo customers active mandates so that the collection file has work to do.

    Every customer whose current period is a monthly direct-debit tariff (0049/0052) and some
    with a yearly tariff whose (renewal) period starts around ``today`` get an active mandate
    with an invented ING account; the period gets its open invoice when it has none (due on its
    start). About half of the monthly mandates were collected on before (RCUR), the others not
    (FRST). Deterministic: the same database and day give the same mandates. Returns how many
    mandates were made. Runs in the caller's transaction.
    """
    from schwifty import IBAN

    del config  # the creditor is the config's; nothing else is needed from it
    monthly = db.all(
        "SELECT p.id AS period_id, p.customer_id FROM subscription_periods p"
        " WHERE p.tariff_code IN (?, ?) AND p.status IN ('Gefactureerd', 'Nieuw')"
        " AND p.start_date <= ? AND p.end_date >= ? AND p.amount_cents > p.discount_cents"
        " ORDER BY p.customer_id",
        (*_MONTHLY_DEBIT, today.isoformat(), today.isoformat()),
    )
    yearly = db.all(
        "SELECT p.id AS period_id, p.customer_id FROM subscription_periods p"
        " WHERE p.tariff_code IN (?, ?) AND p.status IN ('Gefactureerd', 'Nieuw')"
        " AND p.start_date BETWEEN ? AND ? AND p.amount_cents > p.discount_cents"
        " AND p.instance = 'I001' ORDER BY p.start_date, p.customer_id LIMIT ?",
        (*_YEARLY, (today - dt.timedelta(days=25)).isoformat(),
         (today + dt.timedelta(days=20)).isoformat(), _DEMO_YEARLY_MANDATES),
    )
    manual = db.scalar("SELECT customer_id FROM cards WHERE number = '29401000075801'")
    chosen: dict[int, list[int]] = {}
    for r in list(monthly) + list(yearly):
        if r["customer_id"] != manual:
            chosen.setdefault(r["customer_id"], []).append(r["period_id"])
    now = dt.datetime.combine(today, dt.time(9, 0))
    made = 0
    for n, (customer_id, period_ids) in enumerate(sorted(chosen.items())):
        if active_for(db, customer_id) is not None:
            continue
        who = holder(db, customer_id)
        if who is None:
            continue
        iban = IBAN.generate("NL", bank_code="INGB", account_code=f"{customer_id % 10**9:010d}")
        code = rules.document_code(rules.DOCUMENT_PREFIX, next_document_sequence(db))
        kenmerk = rules.make_kenmerk(who.actor_id, mandate_count(db, customer_id) + 1)
        signed = today - dt.timedelta(days=30 + (customer_id * 37) % 900)
        insert_document(db, code=code, customer_id=customer_id, type_=rules.DOCUMENT_TYPE,
                        at=dt.datetime.combine(signed, dt.time(10, 0)), staff_id=None)
        mark_document_processed(db, code, at=dt.datetime.combine(signed, dt.time(10, 5)),
                                staff_id=None, source="none")
        mandate_id = insert_mandate(
            db, customer_id=customer_id, kenmerk=kenmerk, document_code=code,
            iban=iban.compact, bic="", holder_name=who.full_name, holder_place=who.place,
            at=dt.datetime.combine(signed, dt.time(10, 0)), staff_id=None)
        activate(db, mandate_id, signed_on=signed, at=dt.datetime.combine(signed, dt.time(10, 5)),
                 staff_id=None)
        if n % 2 == 0:
            used = max(signed, today.replace(day=1) - dt.timedelta(days=1))
            mark_collected(db, mandate_id, used)
        for period_id in period_ids:
            _ensure_invoice(db, period_id, now)
        made += 1
    return made


def _ensure_invoice(db: Database, period_id: int, now: dt.datetime) -> None:
    p = db.one(
        "SELECT p.*, COALESCE(t.name, p.tariff_code) AS tariff_name FROM subscription_periods p"
        " LEFT JOIN tariffs t ON t.code = p.tariff_code WHERE p.id = ?", (period_id,))
    if p is None or db.scalar(
            "SELECT 1 FROM invoices WHERE period_id = ? AND kind = 'contributie'", (period_id,)):
        return
    start = dt.date.fromisoformat(p["start_date"])
    end = dt.date.fromisoformat(p["end_date"])
    db.execute(
        "INSERT INTO invoices(customer_id, period_id, kind, amount_cents, discount_cents, status,"
        " description, created_at, due_date) VALUES (?, ?, 'contributie', ?, ?, 'open', ?, ?, ?)",
        (p["customer_id"], period_id, p["amount_cents"], p["discount_cents"],
         f"Contributie {p['tariff_name']} {start:%d-%m-%Y} t/m {end:%d-%m-%Y}",
         stamp(min(now, dt.datetime.combine(start, dt.time(9, 0)))), start.isoformat()),
    )
    db.execute("UPDATE subscription_periods SET status = 'Gefactureerd' WHERE id = ?"
               " AND status = 'Nieuw'", (period_id,))
