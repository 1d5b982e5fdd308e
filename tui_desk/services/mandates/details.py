"""Mandate errors and limits, and the bank details (IBAN, BIC, holder) a mandate needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_desk.errors import DeskError
from tui_desk.rules import banking
from tui_desk.store import mandates as store
from tui_desk.store.db import Database

if TYPE_CHECKING:
    pass



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
    for key, text, limit, what, missing in (
            ("holder_name", name, NAME_MAX, "De naam", "de naam"),
            ("holder_place", place, PLACE_MAX, "De plaats", "de woonplaats")):
        if not text:
            errors[key] = f"Vul {missing} van de rekeninghouder in."
        elif len(text) > limit:
            errors[key] = f"{what} heeft hoogstens {limit} tekens."
        elif not text.isprintable():
            errors[key] = f"{what} bevat een teken dat niet kan."
    if errors:
        raise MandateInputError(errors)
    assert info is not None
    return BankDetails(info.iban, checked_bic, name, place, info.warning)
