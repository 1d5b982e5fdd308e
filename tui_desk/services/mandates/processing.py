"""Verwerk machtiging: check the signed form's document code, review it and process it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.services import scans
from tui_desk.services.scans import ScanFile
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database
from tui_desk.store.mandates import Mandate

if TYPE_CHECKING:
    pass

from tui_desk.services.mandates.details import (
    DONE_MESSAGE,
    SOURCE_LABELS,
    SOURCES,
    DocumentRefused,
    MandateInputError,
)


# -- Verwerk machtiging ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentCheck:
    """What "Controleer" shows."""

    klantnaam: str
    actor_id: int
    documenttype: str
    document_code: str
    mandate_id: int


def known_document(db: Database, typed: str) -> tuple[str, store.Document]:
    """The document code (normalised) and the printed form it names; DocumentRefused when
    it is not a valid code or this library never printed it."""
    try:
        code = rules.parse_document_code(typed)
    except rules.DocumentCodeError as exc:
        raise DocumentRefused(str(exc)) from None
    doc = store.document(db, code)
    if doc is None:
        raise DocumentRefused(f"Documentcode {code} is onbekend: dit formulier is niet door "
                              "deze bibliotheek geprint.")
    return code, doc


def check_document(db: Database, customer_id: int, code: str) -> DocumentCheck:
    """The document behind a scanned or typed code, if it may be processed for this customer;
    otherwise DocumentRefused with the reason (not a valid code, unknown, another customer's,
    processed already, superseded by a later print)."""
    code, doc = known_document(db, code)
    if doc.customer_id != customer_id:
        raise DocumentRefused(f"Documentcode {code} hoort bij een andere klant (actor id "
                              f"{doc.actor_id}). Controleer of het formulier van deze klant is.")
    if doc.status == store.PROCESSED:
        when = show(doc.processed_at.date()) if doc.processed_at else "eerder"
        raise DocumentRefused(f"Documentcode {code} is al verwerkt ({when}).")
    if doc.mandate_id is None:
        raise DocumentRefused(f"Documentcode {code} is geen incassomachtiging.")
    if doc.mandate_status == store.CANCELLED:
        raise DocumentRefused(f"Documentcode {code} is vervangen door een later geprinte "
                              "machtiging: verwerk het laatst geprinte formulier.")
    if doc.mandate_status != store.PENDING:
        raise DocumentRefused(f"Documentcode {code} is al verwerkt.")
    return DocumentCheck(klantnaam=doc.customer_name, actor_id=doc.actor_id,
                         documenttype=doc.type, document_code=code, mandate_id=doc.mandate_id)


@dataclass(frozen=True)
class MandateReview:
    """"Controleer gegevens incassomachtiging"."""

    naam_rekeninghouder: str
    plaats_rekeninghouder: str
    datum_machtiging: dt.date
    iban: str                  # whole (grouped): compared with the signed form
    bic: str
    kenmerk: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Naam rekeninghouder", self.naam_rekeninghouder),
            ("Plaats rekeninghouder", self.plaats_rekeninghouder),
            ("Datum machtiging", show(self.datum_machtiging)),
            ("IBAN rekeningnummer", self.iban),
            ("BIC banknummer", self.bic),
        ]


def _signed_on(mandate: Mandate, clock: Clock, signed_on: dt.date | None) -> dt.date:
    today = clock.today()
    day = signed_on or today
    if day > today:
        raise MandateInputError({"signed_on": "De datum van de machtiging ligt in de toekomst."})
    printed = mandate.printed_at.date()
    if day < printed:
        raise MandateInputError({"signed_on": "De datum van de machtiging ligt voor de dag "
                                 f"waarop het formulier is geprint ({show(printed)})."})
    return day


def review_mandate(db: Database, clock: Clock, customer_id: int, code: str, *,
                   signed_on: dt.date | None = None) -> MandateReview:
    """The data to confirm before the mandate is recorded (nothing is written)."""
    check = check_document(db, customer_id, code)
    mandate = store.get(db, check.mandate_id)
    assert mandate is not None
    return MandateReview(
        naam_rekeninghouder=mandate.holder_name, plaats_rekeninghouder=mandate.holder_place,
        datum_machtiging=_signed_on(mandate, clock, signed_on),
        iban=rules.review_iban(mandate.iban), bic=mandate.bic, kenmerk=mandate.kenmerk)


@dataclass(frozen=True)
class ProcessResult:
    mandate: Mandate
    review: MandateReview
    document_code: str
    source: str
    file_name: str = ""
    replaced_kenmerk: str | None = None      # the mandate this one replaced, if any
    message: str = DONE_MESSAGE
    warning: str = ""                        # the scan was archived but stayed in the inbox

    @property
    def kenmerk(self) -> str:
        return self.mandate.kenmerk

    @property
    def direct_debit(self) -> bool:
        return self.mandate.active


def process_mandate(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                    code: str, source: str, scan: ScanFile | None = None, *,
                    inbox: Path | None = None,
                    signed_on: dt.date | None = None) -> ProcessResult:
    """Record the signed form: the document is processed (with its scan for ``scan``/``file``,
    archived in the database with its SHA-256), the mandate active from ``signed_on`` (default
    today), the kenmerk the customer's and Incasso ticked. A mandate that was active before is
    revoked (replaced). With ``inbox`` the archived scan is then taken out of the inbox."""
    if source not in SOURCES:
        raise MandateInputError({"source": f"Kies een bron: {', '.join(SOURCE_LABELS.values())}."})
    file_name, file_type, data, sha256 = "", "", None, ""
    if source in ("scan", "file"):
        if scan is None:
            raise MandateInputError({"file": "Kies de scan van de getekende machtiging uit de "
                                     "scanmap, of kies Geen upload."})
        file_name, file_type, data, sha256 = scan.name, scan.file_type, scan.data, scan.sha256
    now = clock.now()
    staff_id = staff.id if staff else None
    with db.transaction():
        check = check_document(db, customer_id, code)
        mandate = store.get(db, check.mandate_id)
        assert mandate is not None
        day = _signed_on(mandate, clock, signed_on)
        review = review_mandate(db, clock, customer_id, check.document_code, signed_on=day)
        previous = store.active_for(db, customer_id)
        if previous is not None:
            store.revoke(db, previous.id, on=day,
                         reason=f"Vervangen door machtiging {mandate.kenmerk}")
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="mandate", entity_id=previous.id, action="update",
                        before={"status": store.ACTIVE},
                        after={"status": store.REVOKED, "revoked_on": day,
                               "revoke_reason": f"Vervangen door machtiging {mandate.kenmerk}"})
        if not store.activate(db, mandate.id, signed_on=day, at=now, staff_id=staff_id):
            raise DocumentRefused(f"Documentcode {check.document_code} is al verwerkt.")
        if not store.mark_document_processed(db, check.document_code, at=now,
                                             staff_id=staff_id, source=source,
                                             file_name=file_name, file_type=file_type,
                                             data=data, sha256=sha256):
            raise DocumentRefused(f"Documentcode {check.document_code} is al verwerkt.")
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="mandate",
                    entity_id=mandate.id, action="update",
                    before={"status": store.PENDING},
                    after={"status": store.ACTIVE, "signed_on": day, "kenmerk": mandate.kenmerk,
                           "source": source, "file_name": file_name})
        # a registration kept open for this mandate is complete now
        from tui_desk.services import followups

        followups.resolve(db, now, customer_id, staff_id=staff_id)
        done = store.get(db, mandate.id)
    assert done is not None
    warning = ""
    if scan is not None and inbox is not None:
        warning = _take_out_of_inbox(inbox, scan)
    return ProcessResult(mandate=done, review=review, document_code=check.document_code,
                         source=source, file_name=file_name,
                         replaced_kenmerk=previous.kenmerk if previous else None,
                         warning=warning)


def _take_out_of_inbox(inbox: Path, scan: ScanFile) -> str:
    """Remove an archived scan from the inbox; a Dutch warning when it stays there."""
    try:
        scans.remove(inbox, scan.name, expect_sha256=scan.sha256)
    except scans.ScanError as exc:
        return f"De scan is bewaard, maar staat nog in de scanmap: {exc}"
    return ""
