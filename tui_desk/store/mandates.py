"""All SQL of step 5 (Incassomachtiging) and the SEPA collection: mandates, the customer documents
found back by their document code. Collections and pre-notifications are in
``store.mandate_collections``, the row types in ``store.mandate_rows`` (both re-exported here);
the demo's mandates in ``store.demo_mandates``.

Functions here never open a transaction of their own: the services wrap one business action in
one. See ``migrations/0007_mandates.sql`` for the statuses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from tui_desk.models import PersonName
from tui_desk.rules.dates import from_iso, stamp
from tui_desk.rules.mandates import make_kenmerk
from tui_desk.statuses import DocumentStatus, MandateStatus
from tui_desk.store import counters
from tui_desk.store.db import Database
from tui_desk.store.mandate_collections import (  # noqa: F401 - re-exported: callers use store.mandates
    CollectionRow,
    DueInvoice,
    collected_invoice_ids,
    collections,
    due_for_collection,
    due_without_notice,
    insert_collection,
    insert_notice,
    message_recorded,
    notices_of,
)
from tui_desk.store.mandate_rows import (
    DOCUMENT_SELECT,
    Document,
    Mandate,
    document_row,
    mandate_row,
)
from tui_desk.store.rows import changed, insert, marks, one, record

# The old names of the statuses, kept for the code that imports them.
PENDING, ACTIVE, REVOKED, LAPSED, CANCELLED = (
    MandateStatus.PENDING, MandateStatus.ACTIVE, MandateStatus.REVOKED, MandateStatus.LAPSED,
    MandateStatus.CANCELLED)
PRINTED, PROCESSED = DocumentStatus.PRINTED, DocumentStatus.PROCESSED


# -- the customer as a mandate needs them ---------------------------------------------------------
@dataclass(frozen=True)
class Holder(PersonName):
    customer_id: int
    actor_id: int
    place: str
    email: str
    street_line: str = ""      # ``Kruisakkers 41 A``
    postcode: str = ""


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
    return record(Holder, r, customer_id=r["id"], street_line=street, postcode=r["postcode"] or "")


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
    return counters.next_value(db, counters.DOCUMENT_CODE)


def next_kenmerk_number(db: Database, customer_id: int, actor_id: int) -> int:
    """The number of the customer's next mandate (``381847-002``: 2) from the actor's counter;
    call inside the transaction that inserts the mandate. A customer without a counter yet
    starts after the mandates they have; kenmerken in use already are skipped."""
    first = mandate_count(db, customer_id) + 1
    while True:
        n = counters.next_value(db, counters.kenmerk(actor_id), first=first)
        if not kenmerk_taken(db, make_kenmerk(actor_id, n)):
            return n


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
    return insert(db, "customer_documents", document_code=code, customer_id=customer_id,
                  type=type_, status=DocumentStatus.PRINTED, created_at=at, created_by=staff_id)


def insert_mandate(db: Database, *, customer_id: int, kenmerk: str, document_code: str,
                   iban: str, bic: str, holder_name: str, holder_place: str, at: dt.datetime,
                   staff_id: int | None) -> int:
    return insert(db, "mandates", customer_id=customer_id, kenmerk=kenmerk,
                  document_code=document_code, iban=iban, bic=bic, holder_name=holder_name,
                  holder_place=holder_place, status=MandateStatus.PENDING, printed_at=at,
                  printed_by=staff_id)


def cancel_pending(db: Database, customer_id: int, *, keep_id: int) -> list[int]:
    """Forms printed earlier for the customer and never processed are superseded."""
    ids = [r[0] for r in db.all(
        "SELECT id FROM mandates WHERE customer_id = ? AND status = 'pending' AND id <> ?",
        (customer_id, keep_id))]
    if ids:
        db.execute(
            f"UPDATE mandates SET status = 'cancelled' WHERE id IN ({marks(ids)})",
            tuple(ids),
        )
    return ids


def activate(db: Database, mandate_id: int, *, signed_on: dt.date, at: dt.datetime,
             staff_id: int | None) -> bool:
    """pending → active; False when it was not pending any more (processed meanwhile)."""
    return changed(
        db, "UPDATE mandates SET status = 'active', signed_on = ?, processed_at = ?,"
        " processed_by = ? WHERE id = ? AND status = 'pending'",
        (signed_on.isoformat(), stamp(at), staff_id, mandate_id),
    ) == 1


def mark_document_processed(db: Database, code: str, *, at: dt.datetime, staff_id: int | None,
                            source: str, file_name: str = "", file_type: str = "",
                            data: bytes | None = None, sha256: str = "") -> bool:
    return changed(
        db, "UPDATE customer_documents SET status = 'processed', processed_at = ?,"
        " processed_by = ?, source = ?, file_name = ?, file_type = ?, file_data = ?,"
        " file_sha256 = ?, file_size = ? WHERE document_code = ? AND status = 'printed'",
        (stamp(at), staff_id, source, file_name, file_type, data, sha256,
         len(data) if data else 0, code),
    ) == 1


def attach_file(db: Database, code: str, *, file_name: str, file_type: str, data: bytes,
                sha256: str) -> bool:
    """A scan for a document processed without one (Geen upload), matched later by hand."""
    return changed(
        db, "UPDATE customer_documents SET source = 'scan', file_name = ?, file_type = ?,"
        " file_data = ?, file_sha256 = ?, file_size = ? WHERE document_code = ?"
        " AND status = 'processed' AND file_data IS NULL AND file_removed_at IS NULL",
        (file_name, file_type, data, sha256, len(data), code),
    ) == 1


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
    return changed(
        db, "UPDATE customer_documents SET file_data = NULL, file_removed_at = ?"
        " WHERE document_code = ? AND file_data IS NOT NULL", (stamp(at), code)) == 1


def revoke(db: Database, mandate_id: int, *, on: dt.date, reason: str) -> bool:
    """active → revoked on ``on`` with ``reason``."""
    return changed(
        db, "UPDATE mandates SET status = 'revoked', revoked_on = ?, revoke_reason = ?"
        " WHERE id = ? AND status = 'active'",
        (on.isoformat(), reason, mandate_id),
    ) == 1


def set_lapsed(db: Database, mandate_id: int) -> bool:
    return changed(db, "UPDATE mandates SET status = 'lapsed' WHERE id = ? AND status = 'active'",
                   (mandate_id,)) == 1


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
    return one(db, mandate_row, "SELECT * FROM mandates WHERE id = ?", (mandate_id,))


def by_document_code(db: Database, code: str) -> Mandate | None:
    return one(db, mandate_row, "SELECT * FROM mandates WHERE document_code = ?", (code,))


def active_for(db: Database, customer_id: int) -> Mandate | None:
    return one(db, mandate_row,
               "SELECT * FROM mandates WHERE customer_id = ? AND status = 'active'", (customer_id,))


def has_active(db: Database, customer_id: int) -> bool:
    """Whether the customer has an active mandate (signed and processed; not revoked, lapsed
    or superseded): the Incasso tick, the monthly direct-debit tariffs, Registreren by
    incasso. The one definition: ``services.mandates.has_incasso`` and
    ``store.settlement.has_active_mandate`` ask here."""
    return db.scalar("SELECT 1 FROM mandates WHERE customer_id = ? AND status = 'active'"
                     " LIMIT 1", (customer_id,)) is not None


def for_customer(db: Database, customer_id: int) -> list[Mandate]:
    """The customer's mandates, newest first."""
    return [mandate_row(r) for r in db.all(
        "SELECT * FROM mandates WHERE customer_id = ? ORDER BY printed_at DESC, id DESC",
        (customer_id,))]


def all_active(db: Database) -> list[Mandate]:
    return [mandate_row(r) for r in db.all(
        "SELECT * FROM mandates WHERE status = 'active' ORDER BY id")]


def document(db: Database, code: str) -> Document | None:
    return one(db, document_row, f"{DOCUMENT_SELECT} WHERE d.document_code = ?", (code,))


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
    rows = db.all(f"{DOCUMENT_SELECT} WHERE d.document_code IN "
                  f"({marks(wanted)})", tuple(wanted))
    return {r["document_code"]: document_row(r) for r in rows}


def has_file(db: Database, code: str) -> bool:
    return db.scalar("SELECT 1 FROM customer_documents WHERE document_code = ?"
                     " AND file_data IS NOT NULL", (code,)) is not None
