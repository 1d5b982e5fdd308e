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

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor, Workstation
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import banking
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.rules.mandates import MandateForm
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database
from tui_desk.store.mandates import Mandate

SOURCES = ("scan", "file", "none")
SOURCE_LABELS = {"scan": "Scan pagina", "file": "Selecteer bestand", "none": "Geen upload"}
DONE_MESSAGE = "Vastleggen klantdocument voltooid"
MAX_FILE_BYTES = 20 * 1024 * 1024
NAME_MAX = 70            # SEPA: the debtor's name, at most 70 characters
PLACE_MAX = 35
REASON_MAX = 60
# What a stored scan may be, by its first bytes.
_FILE_TYPES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


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


def _form(creditor: Creditor, mandate: Mandate, actor_id: int, day: dt.date) -> MandateForm:
    return MandateForm(
        document_code=mandate.document_code, kenmerk=mandate.kenmerk,
        creditor_name=creditor.name, creditor_address=creditor.address,
        creditor_postcode=creditor.postcode, creditor_place=creditor.place,
        creditor_id=creditor.id, debtor_name=mandate.holder_name, debtor_iban=mandate.iban,
        debtor_bic=mandate.bic, debtor_place=mandate.holder_place, printed_on=day,
        customer_id=mandate.customer_id, actor_id=actor_id,
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
    form = _form(creditor, mandate, who.actor_id, now.date())
    if printer is not None:
        printer(form)
    return form


def form_for(db: Database, config: Config, code: str, day: dt.date) -> MandateForm:
    """The form of a printed mandate again (a reprint of the same document code)."""
    mandate = store.by_document_code(db, rules.parse_document_code(code))
    if mandate is None:
        raise MandateError(f"Documentcode {code} is onbekend.")
    return _form(creditor_of(config), mandate, _holder(db, mandate.customer_id).actor_id, day)


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
                          form: MandateForm, *, staff: Staff | None = None):  # noqa: ANN201
    """Store the form as a print job on the workstation's receipt printer (send it with
    ``printing.transmit``/``finish``, or a screen's ``start_print``)."""
    from tui_desk.services import printing

    return printing.request_document(db, clock, config, workstation, staff=staff,
                                     **_print_args(form, workstation))


def print_mandate_form(db: Database, clock: Clock, config: Config, workstation: Workstation,
                       form: MandateForm, *, staff: Staff | None = None):  # noqa: ANN201
    """Print the form on the workstation's receipt printer and wait (a ``PrintOutcome``)."""
    from tui_desk.services import printing

    return printing.print_document(db, clock, config, workstation, staff=staff,
                                   **_print_args(form, workstation))


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

    @property
    def kenmerk(self) -> str:
        return self.mandate.kenmerk

    @property
    def incasso(self) -> bool:
        return self.mandate.active


def read_scan(file_path: str | Path) -> tuple[str, str, bytes]:
    """(file name, type, bytes) of a scanned form: a PDF or an image, at most 20 MB."""
    path = Path(file_path).expanduser()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise MandateInputError({"file": f"{path} is geen bestand."})
        if size > MAX_FILE_BYTES:
            raise MandateInputError({"file": f"{path.name} is te groot (meer dan "
                                     f"{MAX_FILE_BYTES // (1024 * 1024)} MB)."})
        data = path.read_bytes()
    except FileNotFoundError:
        raise MandateInputError({"file": f"Bestand {path} bestaat niet."}) from None
    except OSError as exc:
        raise MandateInputError({"file": f"{path} kan niet gelezen worden: "
                                 f"{exc.strerror}."}) from None
    kind = next((t for magic, t in _FILE_TYPES if data.startswith(magic)), None)
    if kind is None:
        raise MandateInputError({"file": f"{path.name} is geen PDF of afbeelding (PNG, JPEG, "
                                 "TIFF)."})
    return path.name, kind, data


def process_mandate(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                    code: str, source: str, file_path: str | Path | None = None, *,
                    signed_on: dt.date | None = None) -> ProcessResult:
    """Record the signed form: the document is processed (with the scanned file for
    ``scan``/``file``), the mandate active from ``signed_on`` (default today), the kenmerk the
    customer's and Incasso ticked. A mandate that was active before is revoked (replaced)."""
    if source not in SOURCES:
        raise MandateInputError({"source": f"Kies een bron: {', '.join(SOURCE_LABELS.values())}."})
    file_name, file_type, data = "", "", None
    if source in ("scan", "file"):
        if file_path is None or not str(file_path).strip():
            raise MandateInputError({"file": "Geef het bestand met de gescande machtiging op, "
                                     "of kies Geen upload."})
        file_name, file_type, data = read_scan(file_path)
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
                                             data=data):
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
    return ProcessResult(mandate=done, review=review, document_code=check.document_code,
                         source=source, file_name=file_name,
                         replaced_kenmerk=previous.kenmerk if previous else None)


# -- the mandate's life ---------------------------------------------------------------------------
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
