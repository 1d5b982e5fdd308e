"""The mandate and customer-document rows as the store returns them (``store.mandates``
re-exports them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.models import PersonName
from tui_desk.statuses import DocumentStatus, MandateStatus
from tui_desk.store.rows import reader


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


mandate_row = reader(Mandate)


@dataclass(frozen=True)
class Document(PersonName):
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
    mandate_id: int | None
    mandate_status: MandateStatus | None

    @property
    def customer_name(self) -> str:
        """``Mw. A. van de Test``"""
        return self.full_name


DOCUMENT_SELECT = (
    "SELECT d.id, d.document_code, d.customer_id, d.type, d.status, d.created_at,"
    " d.processed_at, d.source, d.file_name, d.file_type, c.actor_id, c.gender, c.initials,"
    " c.prefix, c.surname, m.id AS mandate_id, m.status AS mandate_status"
    " FROM customer_documents d JOIN customers c ON c.id = d.customer_id"
    " LEFT JOIN mandates m ON m.document_code = d.document_code"
)


document_row = reader(Document)
