"""Step 3's choice list and cost build-up, for a new customer (step 1's ``CustomerData``) or
one on file: every tariff laid out like the manual's (code, name, price, period, ages) with
the reason for every tariff that may not be chosen (``rules.tariffs.eligibility``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import duplicates, names
from tui_desk.rules import periods as period_rules
from tui_desk.rules.dates import show
from tui_desk.rules.periods import CostBuildUp, Period
from tui_desk.rules.selections import Selection, default_selections
from tui_desk.rules.tariffs import (
    INSTITUTION,
    CustomerFacts,
    Tariff,
    ages_label,
    automatic_tariff,
    eligibility,
    period_label,
    price_label,
)
from tui_desk.services.customer_data import CustomerData
from tui_desk.store import subscriptions as store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.tariffs import price_on

MAIN_INSTANCE = "I001"
MAX_REASON = 80


class SubscriptionError(DeskError):
    """A subscription action that cannot be done; the message is Dutch, for the screen."""


class SubscriptionRefused(SubscriptionError):
    """The tariff may not be chosen for this customer; ``reason`` says why."""

    def __init__(self, tariff_code: str, reason: str) -> None:
        super().__init__(reason)
        self.tariff_code = tariff_code
        self.reason = reason


class RegistrationClosed(SubscriptionError):
    """The registration draft does not exist or was abandoned."""


@dataclass(frozen=True)
class TariffChoice:
    """One line of the step's choice list."""

    tariff: Tariff
    allowed: bool
    reason: str | None
    price_cents: int | None     # for this customer's audience, on the start day
    automatic: bool = False     # set from the age (youth): preselected

    @property
    def code(self) -> str:
        return self.tariff.code

    @property
    def name(self) -> str:
        return self.tariff.name

    @property
    def price_text(self) -> str:
        """``€ 56,00 /12 mnd`` or ``Gratis``."""
        return price_label(self.tariff, self.price_cents)

    @property
    def period_text(self) -> str:
        return period_label(self.tariff)

    @property
    def ages_text(self) -> str:
        """``19-99``, ``Vast`` or ``Tijd.``."""
        return ages_label(self.tariff)


@dataclass(frozen=True)
class ChangeResult:
    period_id: int
    build_up: CostBuildUp
    credit_cents: int
    invoice_id: int | None


@dataclass(frozen=True)
class CancelResult:
    period_id: int
    end_date: dt.date
    credit_cents: int
    voided: tuple[int, ...]


# -- facts about the customer -------------------------------------------------------------------
_SELECTIONS: dict[str, Selection] | None = None


def known_selections() -> dict[str, Selection]:
    """The library's selections (Boekstart, personeel, ...), read once."""
    global _SELECTIONS
    if _SELECTIONS is None:
        _SELECTIONS = default_selections()
    return _SELECTIONS


def _selection(code: str) -> Selection | None:
    return known_selections().get(code.strip().upper()) if code.strip() else None


def _staff_selection_codes() -> tuple[str, ...]:
    return tuple(s.code for s in known_selections().values() if s.kind == "personeel")


def _codes(tariffs: dict[str, Tariff], flag: str) -> tuple[str, ...]:
    return tuple(code for code, t in tariffs.items() if getattr(t, flag))


@dataclass(frozen=True)
class _Subject:
    """The customer step 3 is about: new (from step 1) or on file."""

    facts: CustomerFacts
    name: str
    selection: Selection | None
    customer_id: int | None = None
    first_period: bool = True


def _school_has(db: Database, name: str, postcode: str, house_number: int | None,
                tariffs: dict[str, Tariff], today: dt.date,
                exclude_customer_id: int | None = None) -> bool:
    """"Maximaal 1 abonnement per school": a school at this address whose name is this one as
    the duplicate check compares names (articles, case, one typo) already has one."""
    return any(duplicates.same_school(name, known) for known in store.schools_with_tariff_at(
        db, postcode=postcode, house_number=house_number,
        codes=_codes(tariffs, "one_per_school"), today=today,
        exclude_customer_id=exclude_customer_id))


def _staff_free_elsewhere(db: Database, person: duplicates.Person, tariffs: dict[str, Tariff],
                          today: dt.date, exclude_customer_id: int | None = None) -> bool:
    """"Max 1 per persoon": another record of this person (same birth date, the name as the
    duplicate check compares it) with a personnel selection has a free subscription."""
    if person.birth_date is None:
        return False
    found = store.staff_with_free_subscription(
        db, birth_date=person.birth_date, staff_selections=_staff_selection_codes(),
        free_codes=_codes(tariffs, "one_per_person_staff"), today=today,
        exclude_customer_id=exclude_customer_id)
    return any(duplicates.same_person(person, duplicates.Person(i, p, s, person.birth_date))
               for i, p, s in found)


def _subject_from_data(db: Database, data: CustomerData, today: dt.date,
                       tariffs: dict[str, Tariff], direct_debit: bool | None) -> _Subject:
    selection = _selection(data.selection)
    has_dbos = data.kind == INSTITUTION and _school_has(
        db, f"{data.prefix} {data.surname}".strip(), data.postcode, data.house_number, tariffs,
        today)
    staff_free = bool(selection and selection.kind == "personeel") and _staff_free_elsewhere(
        db, duplicates.Person(data.initials, data.prefix, data.surname, data.birth_date),
        tariffs, today)
    facts = CustomerFacts(
        kind=data.kind,
        birth_date=None if data.kind == INSTITUTION else data.birth_date,
        direct_debit=(data.direct_debit and bool(data.iban)) if direct_debit is None
        else direct_debit,
        selection_kind=selection.kind if selection else None,
        has_dbos=has_dbos,
        staff_free_elsewhere=staff_free,
    )
    return _Subject(facts, names.display_name(data.initials, data.prefix, data.surname),
                    selection)


def _subject_from_file(db: Database, customer_id: int, today: dt.date,
                       tariffs: dict[str, Tariff], direct_debit: bool | None,
                       ignore_instance: str | None = None) -> _Subject:
    row = store.customer_facts(db, customer_id)
    if row is None:
        raise SubscriptionError(f"Klant {customer_id} bestaat niet (meer).")
    selection = _selection(row.selection)
    dbos_codes = _codes(tariffs, "one_per_school")
    has_dbos = row.kind == INSTITUTION and any(
        p.tariff_code in dbos_codes
        for instance in store.instances(db, customer_id) if instance != ignore_instance
        for p in store.running_periods(db, customer_id, instance, today)
    ) or (row.kind == INSTITUTION and _school_has(
        db, f"{row.prefix} {row.surname}".strip(), row.postcode, row.house_number, tariffs,
        today, exclude_customer_id=customer_id))
    staff_free = (
        bool(selection and selection.kind == "personeel") and _staff_free_elsewhere(
            db, duplicates.Person(row.initials, row.prefix, row.surname, row.birth_date),
            tariffs, today, exclude_customer_id=customer_id)
    )
    if direct_debit is None:
        # A customer on file "has direct debit" exactly when they have an active mandate.
        from tui_desk.store import mandates as mandate_store

        direct_debit = mandate_store.has_active(db, customer_id)
    facts = CustomerFacts(
        kind=row.kind,
        birth_date=None if row.kind == INSTITUTION else row.birth_date,
        direct_debit=direct_debit,
        selection_kind=selection.kind if selection else None,
        has_dbos=has_dbos,
        staff_free_elsewhere=staff_free,
    )
    return _Subject(facts, names.display_name(row.initials, row.prefix, row.surname), selection,
                    customer_id, first_period=row.registered_on == today)


def _subject(db: Database, customer: CustomerData | int, today: dt.date,
             tariffs: dict[str, Tariff], direct_debit: bool | None,
             ignore_instance: str | None = None) -> _Subject:
    if isinstance(customer, CustomerData):
        return _subject_from_data(db, customer, today, tariffs, direct_debit)
    return _subject_from_file(db, int(customer), today, tariffs, direct_debit, ignore_instance)


def _price(db: Database, tariff: Tariff, kind: str, day: dt.date) -> int | None:
    try:
        return price_on(db, tariff.code, INSTITUTION if kind == INSTITUTION else "person", day)
    except StoreError:
        return None


# -- the choice list and the cost build-up ------------------------------------------------------
def choices(db: Database, clock: Clock, staff: Staff, customer: CustomerData | int, *,
            direct_debit: bool | None = None) -> list[TariffChoice]:
    """The step's choice list: every tariff of the customer's audience, by code, with its
    price for this customer today and, when it may not be chosen, the reason.

    ``customer`` is step 1's data (a new customer) or a customer id (Muteer abonnement).
    ``direct_debit`` overrides whether a mandate is there (default: Sepa incasso ticked with an
    IBAN for a new customer; an active mandate for a customer on file).
    """
    today = clock.today()
    tariffs = store.tariff_rules(db)
    subject = _subject(db, customer, today, tariffs, direct_debit)
    return _choices(db, tariffs, subject, staff, today)


def _choices(db: Database, tariffs: dict[str, Tariff], subject: _Subject, staff: Staff,
             today: dt.date) -> list[TariffChoice]:
    auto = automatic_tariff(tariffs.values(), subject.facts, today)
    result = []
    for choice in eligibility(tariffs.values(), subject.facts, staff.roles, today):
        price = _price(db, choice.tariff, subject.facts.kind, today)
        allowed, reason = choice.allowed, choice.reason
        if allowed and price is None:
            allowed = False
            reason = f"Tarief {choice.tariff.code} heeft geen prijs op {show(today)}."
        result.append(TariffChoice(choice.tariff, allowed, reason, price,
                                   automatic=auto is not None and auto.code == choice.tariff.code))
    return result


def automatic_choice(choice_list: list[TariffChoice]) -> TariffChoice | None:
    """The tariff to preselect (the youth tariff for 0 t/m 18), if any."""
    return next((c for c in choice_list if c.automatic and c.allowed), None)


def _check(choice_list: list[TariffChoice], code: str) -> TariffChoice:
    found = next((c for c in choice_list if c.code == code), None)
    if found is None:
        raise SubscriptionRefused(code, f"Tarief {code} staat niet in de lijst voor deze klant.")
    if not found.allowed:
        raise SubscriptionRefused(code, found.reason or f"Tarief {code} kan niet gekozen worden.")
    return found


def _build_up(db: Database, tariff: Tariff, subject: _Subject, start: dt.date,
              *, first_period: bool) -> tuple[CostBuildUp, Period]:
    period = period_rules.period_for(tariff, start)
    price = _price(db, tariff, subject.facts.kind, start)
    if price is None:
        raise SubscriptionError(f"Tarief {tariff.code} heeft geen prijs op {show(start)}.")
    discount = period_rules.discount_for(subject.selection, price, first_period=first_period,
                                         staff_free_used=subject.facts.staff_free_elsewhere,
                                         tariff=tariff)
    build = period_rules.cost_build_up(subject.name, subject.facts.birth_date, tariff, period,
                                       price, discount)
    return build, period


def first_period(db: Database, staff: Staff, customer: CustomerData, tariff_code: str,
                 today: dt.date) -> tuple[Tariff, CostBuildUp, Period]:
    """The first period of a new customer from ``today``: the tariff checked against the
    choice list again (inside the registration's transaction) and priced. Raises
    SubscriptionRefused when the tariff may not be chosen."""
    tariffs = store.tariff_rules(db)
    subject = _subject_from_data(db, customer, today, tariffs, None)
    tariff = _check(_choices(db, tariffs, subject, staff, today), tariff_code).tariff
    build, period = _build_up(db, tariff, subject, today, first_period=True)
    return tariff, build, period


def build_up(db: Database, clock: Clock, customer: CustomerData | int, tariff_code: str, *,
             start: dt.date | None = None) -> CostBuildUp:
    """"Opbouw abonnementskosten" for ``tariff_code`` from ``start`` (default today): Naam,
    Leeftijd, Tariefcode, Vervalmaand, Rechten t/m, Abonnement, Korting, Saldo, Geldig t/m."""
    day = start or clock.today()
    tariffs = store.tariff_rules(db)
    tariff = tariffs.get(tariff_code)
    if tariff is None:
        raise SubscriptionError(f"Tarief {tariff_code} bestaat niet.")
    subject = _subject(db, customer, clock.today(), tariffs, None)
    build, _period = _build_up(db, tariff, subject, day, first_period=subject.first_period)
    return build



def paid_directly(db: Database, tariff_code: str) -> bool:
    """Whether the tariff is always paid at the desk (``pay_directly``: 0091 Maandabonnement):
    no Registreren, no direct debit, so no mandate step either."""
    tariff = store.tariff_rules(db).get(tariff_code)
    return bool(tariff and tariff.pay_directly)


def open_amount(db: Database, customer_id: int) -> int:
    """What the customer still owes: settlement's computation (``settlement.open_amounts``),
    the one place that counts part payments, set-offs, waivers and open credit notes."""
    from tui_desk.services.settlement import open_amounts

    return open_amounts(db, customer_id).outstanding_cents


def open_invoice_ids(db: Database, customer_id: int) -> list[int]:
    """The customer's open invoices, oldest first: what the settlement step asks for."""
    return store.open_invoice_ids(db, customer_id)


def choice_rows(choice_list: list[TariffChoice]) -> list[tuple[str, str, str, str]]:
    """(code, name, price, ages) per line, as the manual's choice list shows them."""
    return [(c.code, c.name, c.price_text, c.ages_text) for c in choice_list]
