"""The mandate and customer-document rows as the store returns them (``store.mandates``
re-exports them)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui_desk.rules import names
from tui_desk.rules.dates import from_iso
from tui_desk.statuses import DocumentStatus, MandateStatus


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
        return self.status == MandateStatus.ACTIVE


def mandate_row(r: sqlite3.Row) -> Mandate:
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


DOCUMENT_SELECT = (
    "SELECT d.id, d.document_code, d.customer_id, d.type, d.status, d.created_at,"
    " d.processed_at, d.source, d.file_name, d.file_type, c.actor_id, c.gender, c.initials,"
    " c.prefix, c.surname, m.id AS mandate_id, m.status AS mandate_status"
    " FROM customer_documents d JOIN customers c ON c.id = d.customer_id"
    " LEFT JOIN mandates m ON m.document_code = d.document_code"
)


def document_row(r: sqlite3.Row) -> Document:
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


