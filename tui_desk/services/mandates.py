"""Step 5, Incassomachtiging: a SEPA mandate from the printed form to the scanned signature, and
its life (revocation, IBAN change, lapse).

The manual's flow: the bank details (IBAN, BIC only for a foreign IBAN, Naam and Plaats
rekeninghouder, taken over from step 1 where known) → *Print nieuwe machtiging*: a pending
mandate with a unique document code (its barcode on the form) and kenmerk → the customer signs
→ *Verwerk machtiging*: Bronkeuze Scan pagina / Selecteer bestand / Geen upload, the document
code scanned or typed, Controleer (Klantnaam, Actor id, Documenttype "01 - Incassomachtiging"),
Opslaan → "Controleer gegevens incassomachtiging" → OK → "Vastleggen klantdocument voltooid":
the mandate is active, the kenmerk is the customer's and Incasso is ticked.

Where the data lives: the IBAN is kept on the mandate only (customers has no IBAN column); step
1's IBAN is read from the registration draft until a mandate holds it. A customer has incasso
(the Incasso tick) exactly when one of their mandates has status 'active' — at most one has.
An IBAN change through the overstapservice keeps the mandate; without it the mandate is revoked
and a new one must be printed and signed. A mandate not used for 36 months lapses.

Every change is one transaction with its audit rows; IBANs in the audit log are masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor, Workstation
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import banking
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.rules.mandates import MandateForm
from tui_desk.services import scans
from tui_desk.services.scans import Scan, ScanFile
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database
from tui_desk.store.mandates import Mandate

if TYPE_CHECKING:
    from tui_desk.services.printing import PrintOutcome, PrintRequest

SOURCES = ("scan", "file", "none")
SOURCE_LABELS = {"scan": "Scan pagina", "file": "Selecteer bestand", "none": "Geen upload"}
DONE_MESSAGE = "Vastleggen klantdocument voltooid"
NAME_MAX = 70            # SEPA: the debtor's name, at most 70 characters
PLACE_MAX = 35
REASON_MAX = 60


class MandateError(DeskError):
    """A mandate action that cannot be done; the message is Dutch, for the desk."""


class MandateInputError(MandateError):
    """Input that cannot be used: ``errors`` maps each field to a Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


class DocumentRefused(MandateError):
    """A document code that cannot be processed for this customer; the message says why."""


# -- the bank details -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MandateData:
    """What "Geef de bankrekeninggegevens in" starts with."""

    customer_id: int
    customer_name: str
    iban: str
    bic: str
    holder_name: str
    holder_place: str
    bic_asked: bool       # a foreign IBAN: the BIC field is shown
    source: str           # 'mandate' (the current mandate), 'registratie' (step 1) or ''


def _holder(db: Database, customer_id: int) -> store.Holder:
    found = store.holder(db, customer_id)
    if found is None:
        raise MandateError(f"Klant {customer_id} bestaat niet (meer).")
    return found


def iban_info(text: str) -> banking.IbanResult | None:
    """The checked IBAN, or None while it is empty or not valid (the screen shows the BIC field
    when this is a foreign IBAN)."""
    if not (text or "").strip():
        return None
    try:
        return banking.parse_iban(text)
    except banking.IbanError:
        return None


def mandate_data_for(db: Database, customer_id: int) -> MandateData:
    """IBAN, BIC (foreign only), Naam and Plaats rekeninghouder for a new mandate: from the
    current mandate, else step 1 of the registration (its draft), else empty; the holder's
    name and place are the customer's."""
    who = _holder(db, customer_id)
    iban, bic, source = "", "", ""
    name, place = who.full_name, who.place
    current = store.active_for(db, customer_id)
    if current is not None:
        iban, bic, source = current.iban, current.bic, "mandate"
        name, place = current.holder_name, current.holder_place
    else:
        typed = store.draft_bank_details(db, customer_id)
        if typed is not None:
            iban, bic, source = typed[0], typed[1], "registratie"
    info = iban_info(iban)
    if info is not None:
        iban = info.iban
        if not info.foreign:
            bic = ""
    return MandateData(customer_id=customer_id, customer_name=who.full_name, iban=iban,
                       bic=bic, holder_name=name, holder_place=place,
                       bic_asked=bool(info and info.foreign), source=source)


@dataclass(frozen=True)
class BankDetails:
    iban: str
    bic: str            # only for a foreign IBAN (typed, or derived from the bank code)
    holder_name: str
    holder_place: str
    warning: str = ""


def check_bank_details(iban: str, bic: str, holder_name: str, holder_place: str) -> BankDetails:
    """Check the dialog's four fields; raises MandateInputError with every problem."""
    errors: dict[str, str] = {}
    info: banking.IbanResult | None = None
    checked_bic = ""
    try:
        info = banking.parse_iban(iban)
    except banking.IbanError as exc:
        errors["iban"] = str(exc)
    if info is not None and info.foreign:
        if (bic or "").strip():
            try:
                checked_bic = banking.parse_bic(bic)
            except banking.BicError as exc:
                errors["bic"] = str(exc)
        elif info.bic:
            checked_bic = info.bic
        else:
            errors["bic"] = "Vul de BIC in: die is nodig bij een buitenlands rekeningnummer."
    name = " ".join((holder_name or "").split())
    place = " ".join((holder_place or "").split()).upper()
    if not name:
        errors["holder_name"] = "Vul de naam van de rekeninghouder in."
    elif len(name) > NAME_MAX:
        errors["holder_name"] = f"De naam heeft hoogstens {NAME_MAX} tekens."
    elif not name.isprintable():
        errors["holder_name"] = "De naam bevat een teken dat niet kan."
    if not place:
        errors["holder_place"] = "Vul de woonplaats van de rekeninghouder in."
    elif len(place) > PLACE_MAX:
        errors["holder_place"] = f"De plaats heeft hoogstens {PLACE_MAX} tekens."
    elif not place.isprintable():
        errors["holder_place"] = "De plaats bevat een teken dat niet kan."
    if errors:
        raise MandateInputError(errors)
    assert info is not None
    return BankDetails(info.iban, checked_bic, name, place, info.warning)


# -- Print nieuwe machtiging ----------------------------------------------------------------------
def creditor_of(config: Config) -> Creditor:
    if config.creditor is None:
        raise MandateError("Er is geen incassant ingesteld ([creditor] in de configuratie): "
                           "machtigingen en incasso zijn niet mogelijk.")
    return config.creditor


def _form(creditor: Creditor, mandate: Mandate, who: store.Holder, day: dt.date) -> MandateForm:
    return MandateForm(
        document_code=mandate.document_code, kenmerk=mandate.kenmerk,
        creditor_name=creditor.name, creditor_address=creditor.address,
        creditor_postcode=creditor.postcode, creditor_place=creditor.place,
        creditor_id=creditor.id, debtor_name=mandate.holder_name, debtor_iban=mandate.iban,
        debtor_bic=mandate.bic, debtor_place=mandate.holder_place, printed_on=day,
        customer_id=mandate.customer_id, actor_id=who.actor_id,
        debtor_address=who.street_line, debtor_postcode=who.postcode,
    )


def print_new_mandate(db: Database, clock: Clock, staff: Staff | None, config: Config,
                      customer_id: int, iban: str, bic: str, holder_name: str,
                      holder_place: str, *,
                      printer: Callable[[MandateForm], object] | None = None) -> MandateForm:
    """Store a pending mandate with a new document code and kenmerk and return the form.

    Forms printed earlier for the customer and never processed are superseded (their codes
    are refused when scanned). ``printer`` gets the form after the commit (e.g. a function
    that spools it with ``print_mandate_form``).
    """
    creditor = creditor_of(config)
    details = check_bank_details(iban, bic, holder_name, holder_place)
    now = clock.now()
    staff_id = staff.id if staff else None
    with db.transaction():
        who = _holder(db, customer_id)
        for _ in range(1000):
            code = rules.document_code(rules.DOCUMENT_PREFIX, store.next_document_sequence(db))
            if not store.document_code_taken(db, code):
                break
        else:  # pragma: no cover - a thousand codes in a row taken: the counter was reset
            raise MandateError("Geen vrije documentcode gevonden; waarschuw de beheerder.")
        n = store.mandate_count(db, customer_id) + 1
        kenmerk = rules.make_kenmerk(who.actor_id, n)
        while store.kenmerk_taken(db, kenmerk):
            n += 1
            kenmerk = rules.make_kenmerk(who.actor_id, n)
        store.insert_document(db, code=code, customer_id=customer_id,
                              type_=rules.DOCUMENT_TYPE, at=now, staff_id=staff_id)
        mandate_id = store.insert_mandate(
            db, customer_id=customer_id, kenmerk=kenmerk, document_code=code,
            iban=details.iban, bic=details.bic, holder_name=details.holder_name,
            holder_place=details.holder_place, at=now, staff_id=staff_id)
        superseded = store.cancel_pending(db, customer_id, keep_id=mandate_id)
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="mandate",
                    entity_id=mandate_id, action="insert",
                    after={"kenmerk": kenmerk, "document_code": code, "status": store.PENDING,
                           "iban": banking.mask_iban(details.iban), "bic": details.bic,
                           "holder_name": details.holder_name,
                           "holder_place": details.holder_place})
        for old in superseded:
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="mandate", entity_id=old, action="update",
                        before={"status": store.PENDING}, after={"status": store.CANCELLED})
        mandate = store.get(db, mandate_id)
    assert mandate is not None
    form = _form(creditor, mandate, who, now.date())
    if printer is not None:
        printer(form)
    return form


def form_for(db: Database, config: Config, code: str, day: dt.date) -> MandateForm:
    """The form of a printed mandate again (a reprint of the same document code)."""
    mandate = store.by_document_code(db, rules.parse_document_code(code))
    if mandate is None:
        raise MandateError(f"Documentcode {code} is onbekend.")
    return _form(creditor_of(config), mandate, _holder(db, mandate.customer_id), day)


def _print_args(form: MandateForm, workstation: Workstation) -> dict:
    from tui_desk.devices import escpos

    return {
        "title": rules.FORM_TITLE,
        "rows": rules.form_rows(form),
        "request_key": f"{workstation.name}:machtiging:{form.document_code}",
        "customer_id": form.customer_id or None,
        "label": f"Machtiging {form.kenmerk}",
        "barcode": escpos.Barcode(form.document_code, escpos.CODABAR),
        # "Scan de barcode links bovenaan op de geprinte machtiging"
        "barcode_on_top": True,
    }


def mandate_print_request(db: Database, clock: Clock, config: Config, workstation: Workstation,
                          form: MandateForm, *, staff: Staff | None = None,
                          reprint: bool = False) -> PrintRequest | PrintOutcome:
    """Store the form as a print job (send it with ``printing.transmit``/``finish``, or a
    screen's ``start_print``): an A4 PDF on the workstation's office printer
    (``document_printer``), else the receipt-printer version. ``reprint``: a new copy of a
    form printed before (its own request, so it is not mistaken for a repeated key press)."""
    from tui_desk.services import printing

    if workstation.document_printer:
        from tui_desk.devices.pdf import mandate_pdf

        key = form.document_code + (f"|herdruk|{clock.now():%Y%m%d%H%M%S}" if reprint else "")
        return printing.request_pdf(
            db, clock, workstation, pdf=mandate_pdf(form, symbology=config.scanning.barcode),
            preview=_preview(form), request_key=key, customer_id=form.customer_id or None,
            label=f"Machtiging {form.kenmerk}", staff=staff)
    args = _print_args(form, workstation)
    if reprint:
        args["request_key"] += f":herdruk:{clock.now():%Y%m%d%H%M%S}"
    return printing.request_document(db, clock, config, workstation, staff=staff, **args)


def _preview(form: MandateForm, width: int = 72) -> list[str]:
    """The A4 form as text for the Afdrukvoorbeeld and the Printwachtrij, wrapped to ``width``."""
    import textwrap

    lines = []
    for line in rules.form_lines(form):
        lines += textwrap.wrap(line, width) or [""]
    return lines


def print_mandate_form(db: Database, clock: Clock, config: Config, workstation: Workstation,
                       form: MandateForm, *, staff: Staff | None = None) -> PrintOutcome:
    """Print the form (office printer or receipt printer) and wait (a ``PrintOutcome``)."""
    from tui_desk.services import printing

    request = mandate_print_request(db, clock, config, workstation, form, staff=staff)
    if isinstance(request, printing.PrintOutcome):
        return request
    return printing.send_request(db, clock, config, request)


# -- Verwerk machtiging ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentCheck:
    """What "Controleer" shows."""

    klantnaam: str
    actor_id: int
    documenttype: str
    document_code: str
    mandate_id: int


def check_document(db: Database, customer_id: int, code: str) -> DocumentCheck:
    """The document behind a scanned or typed code, if it may be processed for this customer;
    otherwise DocumentRefused with the reason (not a valid code, unknown, another customer's,
    processed already, superseded by a later print)."""
    try:
        code = rules.parse_document_code(code)
    except rules.DocumentCodeError as exc:
        raise DocumentRefused(str(exc)) from None
    doc = store.document(db, code)
    if doc is None:
        raise DocumentRefused(f"Documentcode {code} is onbekend: dit formulier is niet door "
                              "deze bibliotheek geprint.")
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
    def incasso(self) -> bool:
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


# -- the archived scan ----------------------------------------------------------------------------
def archived_scan(db: Database, code: str) -> store.ArchivedScan | None:
    """The scan archived with a document (or the note that maintenance removed it)."""
    return store.archived_scan(db, code)


def scan_for_mandate(db: Database, customer_id: int) -> store.ArchivedScan | None:
    """The archived scan of the customer's current mandate (active, else the latest ended)."""
    panel = mandate_panel(db, customer_id)
    if panel.current is None:
        return None
    return store.archived_scan(db, panel.current.document_code)


def _suffix(file_type: str, name: str) -> str:
    known = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
             "image/tiff": ".tif"}
    return known.get(file_type) or (Path(name).suffix.lower() or ".bin")


def export_folder(config: Config, *, demo: bool = False) -> Path | None:
    """``[scanning] export``; the training database has one in its data folder."""
    if config.scanning.export is not None:
        return config.scanning.export
    if demo:
        from tui_desk.config import default_data_dir

        return default_data_dir() / "scan-export"
    return None


def export_scan(db: Database, config: Config, code: str, *, demo: bool = False) -> Path:
    """Write a document's archived scan to ``[scanning] export`` (readable by its owner only),
    for the bank's questions, after checking it against its SHA-256."""
    import hashlib
    import os

    folder = export_folder(config, demo=demo)
    if folder is None:
        raise MandateError("Er is geen map voor geëxporteerde scans ingesteld ([scanning] "
                           "export in de configuratie).")
    found = store.document_file(db, code)
    mandate = store.by_document_code(db, code)
    if found is None or mandate is None:
        raise MandateError(f"Bij documentcode {code} is geen scan bewaard.")
    name, file_type, data = found
    if hashlib.sha256(data).hexdigest() != store.document_checksum(db, code):
        raise MandateError(f"De bewaarde scan van documentcode {code} klopt niet met zijn "
                           "controlegetal; waarschuw de beheerder.")
    target = folder / f"machtiging-{mandate.kenmerk}-{code}{_suffix(file_type, name)}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise MandateError(f"De scan kan niet worden geëxporteerd: {exc.strerror or exc}."
                           ) from None
    return target


# -- the scan inbox -------------------------------------------------------------------------------
UNKNOWN_CODE, NO_CODE, DONE_ALREADY, SUPERSEDED, AWAITS_SCAN = (
    "onbekende code", "geen code gevonden", "al verwerkt met scan", "vervangen formulier",
    "verwerkt zonder scan")


@dataclass(frozen=True)
class UnknownScan:
    scan: Scan
    reason: str
    customer_name: str = ""


def pending_code(db: Database, customer_id: int) -> str | None:
    """The document code of the customer's printed, unprocessed mandate form."""
    pending = mandate_panel(db, customer_id).pending
    return pending.document_code if pending else None


def unknown_scans(db: Database, inbox: Path, *, limit: int = 200) -> list[UnknownScan]:
    """Scans in the inbox that no printed form waits for: no code, an unknown or superseded
    code, or a form processed already (with its scan, or without: then it can be attached)."""
    found = scans.list_scans(inbox, limit=limit)
    states = store.document_states(db, [s.code for s in found if s.code])
    out = []
    for scan in found:
        doc = states.get(scan.code) if scan.code else None
        if scan.code is None:
            out.append(UnknownScan(scan, NO_CODE))
        elif doc is None:
            out.append(UnknownScan(scan, UNKNOWN_CODE))
        elif doc.status == store.PRINTED and doc.mandate_status == store.PENDING:
            continue                       # waits for Verwerk machtiging: Scan pagina finds it
        elif doc.status == store.PRINTED:
            out.append(UnknownScan(scan, SUPERSEDED, doc.customer_name))
        elif store.has_file(db, doc.document_code):
            out.append(UnknownScan(scan, DONE_ALREADY, doc.customer_name))
        else:
            out.append(UnknownScan(scan, AWAITS_SCAN, doc.customer_name))
    return out


@dataclass(frozen=True)
class HandMatch:
    """What matching a scan by hand to a document code leads to."""

    customer_id: int
    document_code: str
    process: bool          # the form waits: go through Verwerk machtiging with this scan
    message: str


def match_by_hand(db: Database, clock: Clock, staff: Staff | None, inbox: Path, name: str,
                  code: str) -> HandMatch:
    """Onbekende scans ▸ Koppelen: the clerk gives the document code of the paper form. A form
    that waits to be processed is processed with this scan (the screen goes on to Verwerk
    machtiging); a form processed without a scan (Geen upload) gets it archived now."""
    try:
        code = rules.parse_document_code(code)
    except rules.DocumentCodeError as exc:
        raise DocumentRefused(str(exc)) from None
    doc = store.document(db, code)
    if doc is None:
        raise DocumentRefused(f"Documentcode {code} is onbekend: dit formulier is niet door "
                              "deze bibliotheek geprint.")
    if doc.status == store.PRINTED and doc.mandate_status == store.PENDING:
        return HandMatch(doc.customer_id, code, True,
                         "Verwerk de machtiging met deze scan (Controleer, Opslaan).")
    if doc.status == store.PRINTED:
        raise DocumentRefused(f"Documentcode {code} is vervangen door een later geprinte "
                              "machtiging: verwerk het laatst geprinte formulier.")
    if store.has_file(db, code):
        raise DocumentRefused(f"Bij documentcode {code} is al een scan bewaard.")
    scan = scans.read(inbox, name)
    now = clock.now()
    with db.transaction():
        if not store.attach_file(db, code, file_name=scan.name, file_type=scan.file_type,
                                 data=scan.data, sha256=scan.sha256):
            raise DocumentRefused(f"Bij documentcode {code} kan geen scan meer worden bewaard.")
        audit.write(db, at=now, staff_id=staff.id if staff else None,
                    customer_id=doc.customer_id, entity="mandate", entity_id=doc.mandate_id or 0,
                    action="update", before={"file_name": ""},
                    after={"file_name": scan.name, "sha256": scan.sha256, "source": "scan"})
    warning = _take_out_of_inbox(inbox, scan)
    return HandMatch(doc.customer_id, code, False,
                     f"Scan {scan.name} bewaard bij machtiging van {doc.customer_name}. "
                     + warning)


def remove_expired_scans(db: Database, clock: Clock, config: Config) -> list[str]:
    """Maintenance: scans of mandates whose retention has passed are removed (the document and
    the mandate stay). Returns the document codes."""
    months = (config.creditor.mandate_retention_months if config.creditor
              else rules_retention_default())
    today = clock.today()
    now = clock.now()
    removed = []
    with db.transaction():
        for kept in store.kept_scans(db):
            until = rules.scan_kept_until(kept.mandate_status, kept.signed_on, kept.revoked_on,
                                          kept.last_collected_on, months)
            if until is not None and until < today and store.remove_file(db, kept.document_code,
                                                                         now):
                audit.write(db, at=now, staff_id=None, customer_id=kept.customer_id,
                            entity="mandate", entity_id=kept.mandate_id, action="update",
                            before={"scan": "bewaard"},
                            after={"scan": "verwijderd", "bewaard_tot": until,
                                   "source": "maintenance"})
                removed.append(kept.document_code)
    return removed


def rules_retention_default() -> int:
    from tui_desk.config import DEFAULT_MANDATE_RETENTION_MONTHS

    return DEFAULT_MANDATE_RETENTION_MONTHS


# -- the mandate's life ---------------------------------------------------------------------------
def pending_document_code(db: Database, customer_id: int) -> str:
    """"Klant opzoeken" in Actor document uploaden: the document code of the customer's
    printed form that is not processed yet (the newest). Raises MandateError when there is
    none."""
    for mandate in store.for_customer(db, customer_id):
        if mandate.status == "pending":
            return mandate.document_code
    raise MandateError("Voor deze klant is geen geprinte machtiging die nog verwerkt moet "
                       "worden. Print eerst de machtiging (F5).")


def active_mandate(db: Database, customer_id: int) -> Mandate | None:
    """The customer's active mandate (Incasso ticked), if any."""
    return store.active_for(db, customer_id)


def has_incasso(db: Database, customer_id: int) -> bool:
    """Incasso ticked: the customer has an active mandate (``store.mandates.has_active``)."""
    return store.has_active(db, customer_id)


@dataclass(frozen=True)
class MandatePanel:
    """What the record's incasso fields show: the active mandate, or else the latest one that
    was revoked or lapsed, and a form printed but not yet processed."""

    incasso: bool
    current: Mandate | None
    pending: Mandate | None
    history: tuple[Mandate, ...] = field(default=())

    @property
    def kenmerk(self) -> str:
        return self.current.kenmerk if self.current and self.incasso else ""


def mandate_panel(db: Database, customer_id: int) -> MandatePanel:
    everything = store.for_customer(db, customer_id)
    active = next((m for m in everything if m.status == store.ACTIVE), None)
    ended = next((m for m in everything if m.status in (store.REVOKED, store.LAPSED)), None)
    pending = next((m for m in everything if m.status == store.PENDING), None)
    return MandatePanel(incasso=active is not None, current=active or ended, pending=pending,
                        history=tuple(everything))


def revoke(db: Database, clock: Clock, staff: Staff | None, customer_id: int, *, reason: str,
           on: dt.date | None = None) -> Mandate:
    """Datum intrekking machtiging and Reden intrekking: the active mandate ends on ``on``
    (default today; not in the future) and nothing is collected on it any more."""
    today = clock.today()
    day = on or today
    text = " ".join((reason or "").split())
    errors = {}
    if not text:
        errors["reason"] = "Vul de reden van intrekking in."
    elif len(text) > REASON_MAX:
        errors["reason"] = f"De reden heeft hoogstens {REASON_MAX} tekens."
    if day > today:
        errors["revoked_on"] = "De datum van intrekking ligt in de toekomst."
    if errors:
        raise MandateInputError(errors)
    now = clock.now()
    with db.transaction():
        mandate = store.active_for(db, customer_id)
        if mandate is None:
            raise MandateError("Deze klant heeft geen actieve machtiging.")
        if mandate.signed_on and day < mandate.signed_on:
            raise MandateInputError({"revoked_on": "De datum van intrekking ligt voor de datum "
                                     f"van de machtiging ({show(mandate.signed_on)})."})
        store.revoke(db, mandate.id, on=day, reason=text)
        audit.write(db, at=now, staff_id=staff.id if staff else None, customer_id=customer_id,
                    entity="mandate", entity_id=mandate.id, action="update",
                    before={"status": store.ACTIVE},
                    after={"status": store.REVOKED, "revoked_on": day, "revoke_reason": text})
        done = store.get(db, mandate.id)
    assert done is not None
    return done


@dataclass(frozen=True)
class IbanChange:
    kept: bool                    # the mandate stays (overstapservice, or the same IBAN)
    needs_new_mandate: bool       # print a new mandate with ``iban`` and let the customer sign
    iban: str
    bic: str
    message: str
    mandate: Mandate | None = None


def change_iban(db: Database, clock: Clock, staff: Staff | None, customer_id: int, iban: str,
                bic: str = "", *, switch_service: bool) -> IbanChange:
    """A new account. "Klant gebruikt overstapservice": the mandate is kept with the new IBAN.
    Without it the current mandate is revoked (today) and a new one is needed."""
    info = banking.parse_iban(iban) if (iban or "").strip() else None
    if info is None:
        raise MandateInputError({"iban": "Vul het nieuwe IBAN in."})
    checked_bic = ""
    if info.foreign:
        checked_bic = banking.parse_bic(bic) if (bic or "").strip() else (info.bic or "")
        if not checked_bic:
            raise MandateInputError({"bic": "Vul de BIC in: die is nodig bij een buitenlands "
                                            "rekeningnummer."})
    now = clock.now()
    today = now.date()
    staff_id = staff.id if staff else None
    with db.transaction():
        mandate = store.active_for(db, customer_id)
        if mandate is None:
            return IbanChange(False, True, info.iban, checked_bic,
                              "Geen actieve machtiging: print een nieuwe machtiging met dit IBAN.")
        if mandate.iban == info.iban:
            return IbanChange(True, False, info.iban, checked_bic, "Het IBAN is ongewijzigd.",
                              mandate)
        if not rules.needs_new_mandate(mandate.iban, info.iban, switch_service):
            store.change_iban(db, mandate.id, iban=info.iban, bic=checked_bic, on=today)
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="mandate", entity_id=mandate.id, action="update",
                        before={"iban": banking.mask_iban(mandate.iban), "bic": mandate.bic},
                        after={"iban": banking.mask_iban(info.iban), "bic": checked_bic,
                               "uses_switch_service": True})
            return IbanChange(True, False, info.iban, checked_bic,
                              f"IBAN gewijzigd; machtiging {mandate.kenmerk} blijft geldig "
                              "(overstapservice).", store.get(db, mandate.id))
        reason = "Nieuw rekeningnummer zonder overstapservice"
        store.revoke(db, mandate.id, on=today, reason=reason)
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="mandate",
                    entity_id=mandate.id, action="update", before={"status": store.ACTIVE},
                    after={"status": store.REVOKED, "revoked_on": today,
                           "revoke_reason": reason})
        return IbanChange(False, True, info.iban, checked_bic,
                          f"Machtiging {mandate.kenmerk} is ingetrokken: het nieuwe IBAN vraagt "
                          "een nieuwe machtiging. Print een nieuwe machtiging en laat de klant "
                          "tekenen.", store.get(db, mandate.id))


def lapse_unused(db: Database, clock: Clock) -> list[Mandate]:
    """Active mandates not used for 36 months lapse (for the monthly run and the export)."""
    today = clock.today()
    lapsed = []
    with db.transaction():
        for m in store.all_active(db):
            if m.signed_on and rules.is_lapsed(m.signed_on, m.last_collected_on, today):
                store.set_lapsed(db, m.id)
                audit.write(db, at=clock.now(), staff_id=None, customer_id=m.customer_id,
                            entity="mandate", entity_id=m.id, action="update",
                            before={"status": store.ACTIVE},
                            after={"status": store.LAPSED, "source": "maintenance"})
                lapsed.append(m)
    return lapsed
