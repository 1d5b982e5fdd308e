"""Step 3 of the registration (Abonnement) and the actions of the Contributie tab.

- ``choices``: the choice list for a new customer (step 1's ``CustomerData``) or a customer on
  file, laid out like the manual's (code, name, price, period, ages) with the reason for every
  tariff that may not be chosen (``rules.tariffs.eligibility``).
- ``build_up``: "Opbouw abonnementskosten" for the chosen tariff.
- ``register_customer``: OK in step 3 — customer, main address, card, subscription period,
  invoice, audit rows and the draft marked done, in ONE transaction; a hook (``extra``) runs in
  it too (the login-account link of step 2).
- ``change_subscription`` (Muteer abonnement) and ``cancel_subscription`` (Opzeggen), each one
  audited transaction.

Period ends, prices, discounts and credits follow ``rules.periods``; a period is billed at the
price valid on its start date (``store.tariffs.price_on``).

Statuses as Wise shows them: a new period with an amount due is *Nieuw* (with an open invoice,
settled in step 4 or registered for collection), a free one *Normaal*; renewals made by the
monthly run are *Gefactureerd*; a cancelled period is *Opgezegd*; a period voided before it
started is *Ongeldig* (its end the day before its start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import cards, duplicates, names
from tui_desk.rules import periods as period_rules
from tui_desk.rules.dates import show
from tui_desk.rules.periods import CancelOption, CostBuildUp, Period
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
from tui_desk.store import audit, drafts
from tui_desk.store import registrations as reg_store
from tui_desk.store import subscriptions as store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.subscriptions import InvoiceRow, PeriodRow
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


def _selections() -> dict[str, Selection]:
    global _SELECTIONS
    if _SELECTIONS is None:
        _SELECTIONS = default_selections()
    return _SELECTIONS


def _selection(code: str) -> Selection | None:
    return _selections().get(code.strip().upper()) if code.strip() else None


def _staff_selection_codes() -> tuple[str, ...]:
    return tuple(s.code for s in _selections().values() if s.kind == "personeel")


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


# -- writing a period and its invoice ---------------------------------------------------------
def _period_audit(tariff: Tariff, period: Period, build: CostBuildUp, status: str,
                  instance: str) -> dict[str, object]:
    return {"tariff_code": tariff.code, "tariff": tariff.name, "instance": instance,
            "start_date": period.start, "end_date": period.end, "status": status,
            "amount_cents": build.subscription_cents, "discount_cents": build.discount_cents}


def _invoice_text(tariff: Tariff, start: dt.date, end: dt.date) -> str:
    return f"Contributie {tariff.label} {show(start)} t/m {show(end)}"


def write_period(
    db: Database, *, customer_id: int, tariff: Tariff, period: Period, build: CostBuildUp,
    instance: str, branch_code: str, status: str, now: dt.datetime, staff_id: int | None,
    due_date: dt.date, source: str | None = None,
) -> tuple[int, int | None]:
    """Insert a period (and its open invoice when an amount is due) with their audit rows;
    returns (period id, invoice id or None). Call inside a transaction."""
    period_id = store.insert_period(
        db, customer_id=customer_id, tariff_code=tariff.code, instance=instance,
        branch_code=branch_code, start=period.start, end=period.end, status=status,
        amount_cents=build.subscription_cents, discount_cents=build.discount_cents,
        created_at=now,
    )
    after = _period_audit(tariff, period, build, status, instance)
    if source:
        after["source"] = source
    audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="subscription",
                entity_id=period_id, action="insert", after=after)
    invoice_id = None
    if build.balance_cents > 0:
        invoice_id = store.insert_invoice(
            db, customer_id=customer_id, period_id=period_id,
            amount_cents=build.subscription_cents, discount_cents=build.discount_cents,
            description=_invoice_text(tariff, period.start, period.end), created_at=now,
            due_date=due_date, staff_id=staff_id,
        )
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="invoice",
                    entity_id=invoice_id, action="insert",
                    after={"period_id": period_id, "amount_cents": build.subscription_cents,
                           "discount_cents": build.discount_cents, "status": "open",
                           "due_date": due_date, **({"source": source} if source else {})})
    return period_id, invoice_id


def _credit(db: Database, *, period: PeriodRow, cents: int, now: dt.datetime,
            staff_id: int | None, text: str) -> int:
    """Give back ``cents`` of a period's charge; returns what was credited.

    What the open invoice still needs (``store.settlement`` items: part payments, set-offs
    and waivers counted) is what the credit first takes away. A credit that covers it marks
    the invoice ``credited`` (nothing is owed any more); what the customer had already paid
    (or had set off) of it comes back as a credit note, at most the rest of the credit. A
    smaller credit is a credit note (an open negative invoice), which settlement offsets
    against what the customer owes. Nothing is credited on a waived invoice. The waived part
    of an invoice is never given back: it was not paid.
    """
    from tui_desk.store import mandates as mandate_store
    from tui_desk.store import settlement as settlement_store

    if cents <= 0:
        return 0
    invoice = store.invoice_for_period(db, period.id)
    if invoice is not None and invoice.status in ("waived", "credited"):
        return 0
    credited = 0
    # An invoice already in a direct-debit file will be collected by the bank: it cannot be
    # cancelled any more, so it is treated as paid and the credit is a credit note.
    in_collection = invoice is not None and invoice.id in mandate_store.collected_invoice_ids(
        db, period.customer_id)
    if invoice is not None and invoice.status == "open" and not in_collection:
        item = next(iter(settlement_store.items(db, period.customer_id, [invoice.id])), None)
        outstanding = item.outstanding_cents if item else invoice.due_cents
        if cents >= outstanding:
            store.set_invoice_status(db, invoice.id, "credited", now)
            audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id,
                        entity="invoice", entity_id=invoice.id, action="update",
                        before={"status": "open", "outstanding_cents": outstanding},
                        after={"status": "credited", "reason": text})
            covered = (item.paid_cents + item.set_off_cents) if item else 0
            credited = outstanding
            cents = min(cents - outstanding, covered)
            if cents <= 0:
                return credited
    note = store.insert_invoice(
        db, customer_id=period.customer_id, period_id=period.id, amount_cents=-cents,
        discount_cents=0, description=text, created_at=now, due_date=now.date(),
        staff_id=staff_id, kind="creditnota",
        credits_invoice_id=invoice.id if isinstance(invoice, InvoiceRow) else None,
    )
    audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id, entity="invoice",
                entity_id=note, action="insert",
                after={"kind": "creditnota", "period_id": period.id, "amount_cents": -cents,
                       "credits_invoice_id": invoice.id if invoice else None})
    return credited + cents


def _end(db: Database, period: PeriodRow, *, end: dt.date, status: str, today: dt.date,
         now: dt.datetime, staff_id: int | None, reason: str,
         source: str | None = None) -> None:
    store.end_period(db, period.id, end=end, status=status, ended_on=today, reason=reason)
    after: dict[str, object] = {"end_date": end, "status": status, "ended_on": today,
                                "end_reason": reason}
    if source:
        after["source"] = source
    audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id,
                entity="subscription", entity_id=period.id, action="update",
                before={"end_date": period.end, "status": period.status,
                        "ended_on": period.ended_on, "end_reason": period.end_reason},
                after=after)


def stop_periods_from(
    db: Database, periods: list[PeriodRow], day: dt.date, *, today: dt.date, now: dt.datetime,
    staff_id: int | None, reason: str, credit: bool, source: str | None = None,
) -> tuple[int, tuple[int, ...]]:
    """End the given running periods so that none gives rights from ``day`` on: one that has
    started runs to ``day - 1`` (status kept), one that had not started is voided (Ongeldig,
    its end the day before its start). With ``credit`` the unused part is credited. Returns
    (credit in cents, ids of the voided periods). Call inside a transaction."""
    credited, voided = 0, []
    for p in periods:
        if p.end < day:
            continue
        if p.start >= day:
            _end(db, p, end=p.start - period_rules.DAY, status="Ongeldig", today=today, now=now,
                 staff_id=staff_id, reason=reason, source=source)
            voided.append(p.id)
        else:
            _end(db, p, end=day - period_rules.DAY, status=p.status, today=today, now=now,
                 staff_id=staff_id, reason=reason, source=source)
        if credit:
            cents = period_rules.credit_unused(p.charged_cents, p.start, p.end, day)
            credited += _credit(db, period=p, cents=cents, now=now, staff_id=staff_id,
                                text=f"Creditering {reason}".strip())
    return credited, tuple(voided)


# -- OK in step 3 ---------------------------------------------------------------------------------
def register_customer(
    db: Database, clock: Clock, staff: Staff, draft_id: int, customer_data: CustomerData,
    tariff_code: str, *, login: str | None = None,
    extra: Callable[[Database, int], None] | None = None,
) -> int:
    """Save the new customer with the chosen tariff; returns the customer id.

    One transaction: the customer (a new actor id), the main address, the card (active; its "V"
    reservation is released), the subscription period (Nieuw with an open invoice when an
    amount is due, else Normaal), the audit rows, the draft marked done, and ``extra(db,
    customer_id)`` — the login-account link. Anything failing rolls all of it back.

    Saving a draft that is already done returns its customer (a second OK does not make a second
    customer). Raises SubscriptionRefused when the tariff may not be chosen (checked again
    inside the transaction), SubscriptionError / StoreError with a Dutch message otherwise.
    """
    now = clock.now()
    today = now.date()
    with db.transaction():
        draft = drafts.get(db, draft_id)
        if draft is None:
            raise RegistrationClosed(f"Inschrijving {draft_id} bestaat niet.")
        if draft.status == "done" and draft.customer_id is not None:
            return draft.customer_id
        if draft.status != "open":
            raise RegistrationClosed("Deze inschrijving is afgebroken en kan niet meer worden "
                                     "opgeslagen.")
        tariffs = store.tariff_rules(db)
        subject = _subject_from_data(db, customer_data, today, tariffs, None)
        choice = _check(_choices(db, tariffs, subject, staff, today), tariff_code)
        tariff = choice.tariff

        data = customer_data
        card = cards.parse(data.card_number)
        owner = drafts.reservation_owner(db, card.number)
        if owner is not None and owner != draft_id:
            raise SubscriptionError(f"Pas {card.number} is gereserveerd voor een andere "
                                    "inschrijving. Scan een andere blanco pas of typ V.")
        build, period = _build_up(db, tariff, subject, today, first_period=True)
        branch = draft.branch_code
        stamp = now.isoformat(timespec="seconds")
        values = {
            "actor_id": reg_store.next_actor_id(db),
            "kind": data.kind,
            "gender": data.gender,
            "initials": data.initials,
            "prefix": data.prefix,
            "surname": data.surname,
            "first_name": data.first_name,
            "search_name": names.search_key(data.surname),
            "birth_date": data.birth_date.isoformat(),
            "phone": data.phone,
            "sms": data.sms,
            "email": data.email,
            "newsletter": int(data.newsletter),
            "id_checked": int(data.id_checked),
            "use_login": int(data.use_login),
            "loan_history": int(data.loan_history),
            "notify_loaned_before": int(data.notify_loaned_before),
            "selection": data.selection,
            "branch_code": branch,
            "registered_on": today.isoformat(),
            "last_activity": today.isoformat(),
            "strips": tariff.strips,
            "created_at": stamp,
            "updated_at": stamp,
        }
        customer_id = reg_store.insert_customer(db, values)
        after = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
        if login:
            after["login"] = login
        audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="customer",
                    entity_id=customer_id, action="insert", after=after)
        address = {
            "street": data.street, "house_number": data.house_number,
            "house_suffix": data.house_suffix, "postcode": data.postcode, "place": data.place,
            "country": data.country, "verified": int(data.address_verified),
            "region": data.region,
        }
        reg_store.insert_address(db, customer_id, "hoofdadres", address)
        audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="address",
                    entity_id=f"{customer_id}/hoofdadres", action="insert", after=address)
        card_id = reg_store.insert_card(db, number=card.number, customer_id=customer_id,
                                        branch_code=card.branch_code, issued_on=today)
        released = reg_store.release_reservation(db, card.number)
        audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="card",
                    entity_id=card_id, action="insert",
                    after={"number": card.number, "status": "actief", "issued_on": today,
                           "issued_by_system": data.card_issued_by_system,
                           "reservation_released": released})
        status = "Nieuw" if build.balance_cents > 0 else "Normaal"
        write_period(db, customer_id=customer_id, tariff=tariff, period=period, build=build,
                     instance=MAIN_INSTANCE, branch_code=branch, status=status, now=now,
                     staff_id=staff.id, due_date=today)
        drafts.set_status(db, draft_id, "done", now=now, customer_id=customer_id)
        if extra is not None:
            extra(db, customer_id)
    return customer_id


# -- the Contributie tab ------------------------------------------------------------------------
def new_instance(db: Database, customer_id: int) -> str:
    """The next free instance name (``I002`` ...) for a supplement next to the main one."""
    used = set(store.instances(db, customer_id))
    n = 1
    while f"I{n:03d}" in used:
        n += 1
    return f"I{n:03d}"


def change_subscription(
    db: Database, clock: Clock, staff: Staff, customer_id: int, tariff_code: str, *,
    instance: str = MAIN_INSTANCE, direct_debit: bool | None = None, reason: str = "",
) -> ChangeResult:
    """Muteer abonnement: a new period of ``tariff_code`` from today on ``instance``.

    The running period of the instance stops: one that started before today runs to yesterday,
    one that starts today or later is voided (Ongeldig). The unused part is credited
    (``rules.periods.credit_unused``). The new period is priced on today, Nieuw with an open
    invoice when an amount is due, else Normaal. One audited transaction. Pass
    ``instance=new_instance(...)`` to add a supplement (dBos) next to the main subscription.
    """
    now = clock.now()
    today = now.date()
    with db.transaction():
        tariffs = store.tariff_rules(db)
        subject = _subject_from_file(db, customer_id, today, tariffs, direct_debit,
                                     ignore_instance=instance)
        tariff = _check(_choices(db, tariffs, subject, staff, today), tariff_code).tariff
        running = store.running_periods(db, customer_id, instance, today)
        why = reason.strip() or f"Gewijzigd naar {tariff.label}"
        credit, _voided = stop_periods_from(db, running, today, today=today, now=now,
                                            staff_id=staff.id, reason=why[:MAX_REASON],
                                            credit=True)
        build, period = _build_up(db, tariff, subject, today,
                                  first_period=subject.first_period)
        branch = running[0].branch_code if running else staff.branch_code
        status = "Nieuw" if build.balance_cents > 0 else "Normaal"
        period_id, invoice_id = write_period(
            db, customer_id=customer_id, tariff=tariff, period=period, build=build,
            instance=instance, branch_code=branch, status=status, now=now, staff_id=staff.id,
            due_date=today)
        if instance == MAIN_INSTANCE:
            store.set_strips(db, customer_id, tariff.strips, now)
    return ChangeResult(period_id, build, credit, invoice_id)


def _current(db: Database, customer_id: int, instance: str, today: dt.date) -> list[PeriodRow]:
    running = store.running_periods(db, customer_id, instance, today)
    if not running:
        raise SubscriptionError("Deze klant heeft geen lopend abonnement om op te zeggen.")
    return running


def cancel_choices(db: Database, clock: Clock, customer_id: int, *,
                   instance: str = MAIN_INSTANCE) -> list[CancelOption]:
    """The Opzeggen options for the running subscription: per direct, per the end of the
    period, per the 1st of next month (rules.periods.cancel_options)."""
    today = clock.today()
    running = _current(db, customer_id, instance, today)
    return period_rules.cancel_options(today, running[0].end)


def cancel_subscription(
    db: Database, clock: Clock, staff: Staff, customer_id: int, when: str | dt.date,
    reason: str, *, instance: str = MAIN_INSTANCE, credit_unused: bool = False,
) -> CancelResult:
    """Opzeggen with a reason (Reden opzegging), per ``when``: an option key of
    ``cancel_choices`` (``direct``, ``end_of_period``, ``next_month``) or a date.

    The running period becomes Opgezegd and ends the day before the effective date (per direct:
    yesterday); periods prepared after it are voided (Ongeldig) and their open invoices
    credited. The unused part of the cancelled period is only credited with
    ``credit_unused=True`` (a subscription is normally not refunded). One audited transaction.
    """
    text = " ".join(reason.split())
    if not text:
        raise SubscriptionError("Vul de reden van de opzegging in.")
    if len(text) > MAX_REASON:
        raise SubscriptionError(f"De reden is te lang: maximaal {MAX_REASON} tekens.")
    now = clock.now()
    today = now.date()
    with db.transaction():
        running = _current(db, customer_id, instance, today)
        current = running[0]
        if isinstance(when, dt.date):
            if when < today:
                raise SubscriptionError("Opzeggen kan niet met terugwerkende kracht.")
            effective = when
        else:
            options = {o.key: o for o in period_rules.cancel_options(today, current.end)}
            if when not in options:
                raise SubscriptionError(f"Onbekende keuze voor opzeggen: {when!r}.")
            effective = options[when].effective
        new_end = period_rules.cancelled_end(current.start, current.end, effective)
        _end(db, current, end=new_end, status="Opgezegd", today=today, now=now,
             staff_id=staff.id, reason=text)
        credit = 0
        if credit_unused:
            cents = period_rules.credit_unused(current.charged_cents, current.start, current.end,
                                               new_end + period_rules.DAY)
            credit = _credit(db, period=current, cents=cents, now=now, staff_id=staff.id,
                             text=f"Creditering opzegging: {text}"[:MAX_REASON])
        more, voided = stop_periods_from(db, running[1:], max(effective, current.start),
                                         today=today, now=now, staff_id=staff.id, reason=text,
                                         credit=True)
    return CancelResult(current.id, new_end, credit + more, voided)


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
