"""The customer record (Klantenadministratie): loading it, changing name and address (tab
2.NAW-Gegevens), the notices (tab 5.Meldingen) and what the record's header shows.

Every change is one transaction with its audit rows; invalid input raises ``ValidationErrors``
(field → Dutch message) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.models import Customer, Notice, Staff, SubscriptionPeriod
from tui_desk.rules import contact, dates, fields, postcodes
from tui_desk.rules import customers as customer_rules
from tui_desk.rules.errors import RuleError
from tui_desk.rules.names import search_key
from tui_desk.statuses import CardStatus, PeriodStatus
from tui_desk.store import audit
from tui_desk.store import customers as store
from tui_desk.store.audit import AuditEntry as AuditEntry  # for the screens
from tui_desk.store.db import Database

MAX_NOTICES = store.MAX_NOTICES
NOTICE_LENGTH = 60

# The fields of tab 2.NAW-Gegevens, in the order of the form.
NAW_FIELDS: tuple[str, ...] = (
    "initials", "prefix", "surname", "first_name", "birth_date",
    "street", "house_number", "house_suffix", "postcode", "place",
    "phone", "email",
)
_CUSTOMER_FIELDS = ("initials", "prefix", "surname", "first_name", "birth_date", "phone", "email")
_ADDRESS_FIELDS = ("street", "house_number", "house_suffix", "postcode", "place")
# A change of these makes an address typed by hand: no longer "verified" (postcode table).
_UNVERIFIED_BY = frozenset({"street", "house_number", "postcode", "place"})


class CustomerNotFound(DeskError, LookupError):
    """The customer does not exist (any more)."""

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"Klant {customer_id} bestaat niet (meer).")
        self.customer_id = customer_id


class ValidationErrors(DeskError, ValueError):
    """Input that cannot be saved: ``errors`` maps each field to a Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


# -- reading ---------------------------------------------------------------------------------
def load(db: Database, customer_id: int) -> Customer:
    customer = store.load(db, customer_id)
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


@dataclass(frozen=True)
class RecordHeader:
    """What the header of the record shows besides the plain customer fields.

    The money follows settlement (``services.settlement``): *contributie* is the current
    period's charge; *registratie* is what is still open on invoices that were registered
    (Registreren: collected by direct debit or asked for with a contribution letter), computed
    from the invoices (``settlement.open_amounts``); *tegoed* is the customer's credit with the
    library: ``customers.balance_cents`` (which Registreren never touches) plus what open
    credit notes hold beyond what the customer owes (a credit is not paid out at the counter:
    it waits to be set off against the next invoice).
    """

    tariff_name: str              # "Basis"
    period_status: str            # "Gefactureerd", "Normaal", ...
    paid_through: dt.date | None  # end of the latest valid period
    contribution_cents: int
    registration_cents: int       # registratie
    age: int | None
    active_cards: int
    balance_cents: int = 0        # tegoed

    @property
    def status_line(self) -> str:
        """``Gefactureerd t/m April 2022``"""
        if self.paid_through is None:
            return "Geen abonnement"
        return f"{self.period_status} t/m {dates.month_year(self.paid_through)}"


def current_period(customer: Customer) -> SubscriptionPeriod | None:
    """The latest period that counts (not Ongeldig), by end date."""
    valid = [p for p in customer.periods if p.status != PeriodStatus.VOID]
    if not valid:
        return None
    return max(valid, key=lambda p: (p.end_date, p.start_date, p.id))


def record_header(db: Database, customer: Customer, today: dt.date) -> RecordHeader:
    """The header of the record; registratie and tegoed as the class says."""
    from tui_desk.services.settlement import open_amounts

    period = current_period(customer)
    owed = open_amounts(db, customer.id)
    return RecordHeader(
        tariff_name=period.tariff_name if period else "",
        period_status=period.status if period else "",
        paid_through=period.end_date if period else None,
        contribution_cents=period.amount_cents if period else 0,
        registration_cents=owed.registered_cents,
        age=dates.age_on(customer.birth_date, today) if customer.birth_date else None,
        active_cards=sum(1 for c in customer.cards if c.status == CardStatus.ACTIVE),
        balance_cents=customer.balance_cents + owed.credit_cents,
    )


def show_phone(number: str) -> str:
    """A stored E.164 number the way people read it: ``+31880128295`` → ``088 012 8295``."""
    return contact.show_phone(number)


def naw_values(customer: Customer) -> dict[str, str]:
    """The current values of the NAW form, as text."""
    stored = _stored(customer)
    shown: dict[str, str] = {}
    for key in NAW_FIELDS:
        value = stored[key]
        if key == "birth_date":
            shown[key] = dates.show(customer.birth_date)
        elif key == "phone":
            shown[key] = show_phone(customer.phone)
        else:
            shown[key] = "" if value is None else str(value)
    return shown


# -- checking input --------------------------------------------------------------------------
def _validate(
    raw: dict[str, str], current: Customer, today: dt.date
) -> tuple[dict[str, object], dict[str, str]]:
    """(values as stored, errors) for the given form fields; the field table decides."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, text in raw.items():
        try:
            values[key] = _normalise(key, text, raw, current, today)
        except RuleError as exc:
            errors[key] = str(exc)
    return values, errors


def _normalise(
    key: str, text: str, raw: dict[str, str], current: Customer, today: dt.date
) -> object:
    """What the record stores for ``text`` typed in field ``key`` (``rules.fields``)."""
    institution = current.kind == "institution"
    country = current.address.country if current.address else "NL"
    birth = current.birth_date
    if "birth_date" in raw:
        try:
            birth = dates.parse_date(raw["birth_date"])
        except RuleError:
            birth = None  # reported on its own field
    youth = birth is not None and customer_rules.roepnaam_required(current.gender, birth, today)
    spec = fields.field(key)
    context = fields.Context(today, country, required=youth)
    if not text.strip():
        if fields.is_mandatory(key, institution=institution, youth=youth,
                               dutch=country == "NL", email_optional=True):
            spec.check(text, context)  # the parser's own message, where it has one
            raise RuleError(f"{spec.label} is verplicht.")
        return None if key in ("birth_date", "house_number") else ""
    value = spec.check(text, context)
    if key == "birth_date":
        return dates.to_iso(value) if isinstance(value, dt.date) else value
    if key == "house_number" and isinstance(value, tuple):
        return value[0]
    return value


# -- changing --------------------------------------------------------------------------------
def _stored(customer: Customer) -> dict[str, object]:
    """The NAW fields of a record as the database holds them."""
    a = customer.address
    return {
        "initials": customer.initials,
        "prefix": customer.prefix,
        "surname": customer.surname,
        "first_name": customer.first_name,
        "birth_date": dates.to_iso(customer.birth_date),
        "phone": customer.phone,
        "email": customer.email,
        "street": a.street if a else "",
        "house_number": a.house_number if a else None,
        "house_suffix": a.house_suffix if a else "",
        "postcode": a.postcode if a else "",
        "place": a.place if a else "",
    }


def update_naw(
    db: Database, clock: Clock, staff: Staff | None, customer_id: int, changes: dict[str, str]
) -> Customer:
    """Check and save the NAW form; returns the record as saved.

    Only fields in ``changes`` are looked at. Raises ``ValidationErrors`` (nothing saved) when a
    field is wrong, ``CustomerNotFound`` when the customer is gone.
    """
    unknown = set(changes) - set(NAW_FIELDS)
    if unknown:
        raise KeyError(f"not a NAW field: {sorted(unknown)}")
    current = load(db, customer_id)
    # Only what differs from the form as it was filled is checked and saved: a record imported
    # with a name the rules would now refuse can still get a new phone number.
    shown = naw_values(current)
    raw = {k: v for k, v in changes.items() if v != shown[k]}
    # "41A" typed in the house number field: number and toevoeging.
    number = raw.get("house_number", "").strip()
    if number and not number.isdigit() and not raw.get("house_suffix", "").strip():
        try:
            parsed, suffix = postcodes.parse_house_number(number)
        except RuleError:
            pass  # reported by the field check
        else:
            raw["house_number"], raw["house_suffix"] = str(parsed), suffix
    values, errors = _validate(raw, current, clock.today())
    if errors:
        raise ValidationErrors(errors)
    before = _stored(current)
    changed = {k: v for k, v in values.items() if v != before[k]}
    if not changed:
        return current
    now = clock.now()
    staff_id = staff.id if staff else None
    customer_part = {k: v for k, v in changed.items() if k in _CUSTOMER_FIELDS}
    address_part = {k: v for k, v in changed.items() if k in _ADDRESS_FIELDS}
    with db.transaction():
        if not store.exists(db, customer_id):
            raise CustomerNotFound(customer_id)
        if customer_part:
            new_key = None
            if "surname" in customer_part or "prefix" in customer_part:
                new_key = search_key(str(changed.get("surname", current.surname)))
            store.update_customer(db, customer_id, customer_part, search_name=new_key,
                                  updated_at=now)
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="customer", entity_id=customer_id, action="update",
                        before={k: before[k] for k in customer_part}, after=customer_part)
        if address_part:
            columns = dict(address_part)
            if _UNVERIFIED_BY & set(address_part):
                columns["verified"] = 0
            created = store.save_address(db, customer_id, "hoofdadres", columns)
            if not customer_part:
                store.update_customer(db, customer_id, {}, search_name=None, updated_at=now)
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="address", entity_id=f"{customer_id}/hoofdadres",
                        action="insert" if created else "update",
                        before={k: before[k] for k in address_part}, after=address_part)
    return load(db, customer_id)


def _notice_audit(notice: Notice | None) -> dict[str, object] | None:
    return None if notice is None else {"text": notice.text, "private": notice.private}


def set_notice(
    db: Database, clock: Clock, staff: Staff | None, customer_id: int, text: str,
    private: bool = False, slot: int | None = None,
) -> Customer:
    """Add a notice (``slot=None``: the first free one of four) or replace the one in ``slot``.

    Raises ``ValidationErrors`` with key ``text`` (empty, too long) or ``slot`` (all four used,
    no such slot).
    """
    text = " ".join(text.split())
    if not text:
        raise ValidationErrors({"text": "Typ de tekst van de melding."})
    if len(text) > NOTICE_LENGTH:
        raise ValidationErrors(
            {"text": f"Een melding heeft hoogstens {NOTICE_LENGTH} tekens (nu {len(text)})."}
        )
    if fields.has_invisible(text):
        raise ValidationErrors({"text": "De melding bevat een onzichtbaar of ongeldig teken."})
    if slot is not None and not 1 <= slot <= MAX_NOTICES:
        raise ValidationErrors({"slot": f"Er zijn {MAX_NOTICES} plaatsen voor meldingen."})
    now = clock.now()
    with db.transaction():
        if not store.exists(db, customer_id):
            raise CustomerNotFound(customer_id)
        if slot is None:
            slot = store.free_slot(db, customer_id)
            if slot is None:
                raise ValidationErrors(
                    {"slot": f"Er zijn al {MAX_NOTICES} meldingen: verwijder er eerst een."}
                )
        old = store.notice(db, customer_id, slot)
        after = {"text": text, "private": bool(private)}
        if old is not None and _notice_audit(old) == after:
            return load(db, customer_id)
        store.save_notice(db, customer_id, slot, text, private, created_at=now,
                          staff_id=staff.id if staff else None)
        audit.write(db, at=now, staff_id=staff.id if staff else None, customer_id=customer_id,
                    entity="notice", entity_id=f"{customer_id}/{slot}",
                    action="insert" if old is None else "update",
                    before=_notice_audit(old), after=after)
    return load(db, customer_id)


def delete_notice(
    db: Database, clock: Clock, staff: Staff | None, customer_id: int, slot: int
) -> Customer:
    now = clock.now()
    with db.transaction():
        if not store.exists(db, customer_id):
            raise CustomerNotFound(customer_id)
        old = store.notice(db, customer_id, slot)
        if old is not None:
            store.delete_notice(db, customer_id, slot)
            audit.write(db, at=now, staff_id=staff.id if staff else None,
                        customer_id=customer_id, entity="notice",
                        entity_id=f"{customer_id}/{slot}", action="delete",
                        before=_notice_audit(old), after=None)
    return load(db, customer_id)


def private_notices(customer: Customer) -> list[Notice]:
    """The notices that pop up when the record opens."""
    return [n for n in customer.notices if n.private]


def history(db: Database, customer_id: int) -> list[AuditEntry]:
    """The record's Historie (tab 4): what was done to this customer, newest first."""
    return audit.for_customer(db, customer_id)
