"""Step 3 (Abonnement) without a screen: the choice list, the cost build-up, saving the new
customer in one transaction, and the Contributie tab's Muteer abonnement and Opzeggen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from tests.factories import make_active_mandate, make_customer, make_period, make_staff
from tui_desk.clock import FixedClock
from tui_desk.rules import cards
from tui_desk.services import subscriptions as subs
from tui_desk.services.registration import CustomerData, RegistrationService, create_customer
from tui_desk.services.subscriptions import SubscriptionError, SubscriptionRefused
from tui_desk.store import audit, drafts
from tui_desk.store import customers as customer_store
from tui_desk.store import subscriptions as sub_store
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

D = dt.date
TODAY = D(2026, 11, 28)
_seq = itertools.count(50_000)
TABLES = ("customers", "addresses", "cards", "subscription_periods", "invoices", "audit_log")


@pytest.fixture
def setup(db):
    load_tariffs(db)
    load_postcodes(db)
    return db


@pytest.fixture
def balie(setup):
    return make_staff(setup)


@pytest.fixture
def educatie(setup):
    return make_staff(setup, "educatie", "E. Dijkstra", roles="balie,educatie")


def clock_on(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(10, 30)))


def person(birth: dt.date, **overrides) -> CustomerData:
    values = dict(
        card_number=cards.make("9401", next(_seq)).number, card_issued_by_system=False,
        gender="V", initials="A.", prefix="van de", surname="Test", first_name="",
        birth_date=birth, country="NL", postcode="9468 BG", house_number=41, house_suffix="",
        street="Kruisakkers", place="ANNEN", address_verified=True, region="AA24 - Annen",
        phone="", sms="", direct_debit=False, iban="", bic="", id_checked=True,
        use_login=False, email="", newsletter=False, selection="", loan_history=False,
        notify_loaned_before=False,
    )
    values.update(overrides)
    return CustomerData(**values)


def school(**overrides) -> CustomerData:
    values = dict(gender="I", initials="", prefix="", surname="CBS De Fontein",
                  birth_date=D(1980, 1, 1), street="Kruisakkers", house_number=43)
    values.update(overrides)
    return person(values.pop("birth_date"), **values)


def register_customer(db, clock, staff, draft_id, data, tariff_code, **kwargs) -> int:
    """OK in step 3 for step 1's ``data``: the new customer's id."""
    return create_customer(db, clock, staff, draft_id, data, tariff_code, **kwargs).customer_id


def draft_for(db, staff, clock) -> int:
    return drafts.create(db, staff_id=staff.id, branch_code=staff.branch_code,
                         step="abonnement", data={"values": {}}, now=clock.now())


def counts(db) -> dict[str, int]:
    return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}


def allowed(choice_list) -> set[str]:
    return {c.code for c in choice_list if c.allowed}


def reasons(choice_list) -> dict[str, str | None]:
    return {c.code: c.reason for c in choice_list}


def test_the_tariffs_in_the_database_are_those_of_the_file(setup):
    from tests.rules.test_tariffs import TARIFFS

    assert sub_store.tariff_rules(setup) == TARIFFS


# -- the choice list -----------------------------------------------------------------------------
def test_a_17_year_old_gets_jeugd_and_no_paid_tariff(setup, balie):
    clock = clock_on(TODAY)
    data = person(D(2009, 6, 1))
    found = subs.choices(setup, clock, balie, data)
    assert allowed(found) == {"0011"}
    assert subs.automatic_choice(found).code == "0011"
    assert "jeugdabonnement" in reasons(found)["0045"]
    draft = draft_for(setup, balie, clock)
    with pytest.raises(SubscriptionRefused, match="jeugdabonnement"):
        register_customer(setup, clock, balie, draft, data, "0045")
    customer_id = register_customer(setup, clock, balie, draft, data, "0011")
    record = customer_store.load(setup, customer_id)
    (period,) = record.periods
    assert (period.tariff_code, period.status, period.amount_cents) == ("0011", "Normaal", 0)
    assert (period.start_date, period.end_date) == (TODAY, D(2027, 11, 30))
    assert sub_store.invoices_of(setup, customer_id) == []


def test_a_25_year_old_sees_start_basis_compleet_and_the_others(setup, balie):
    clock = clock_on(TODAY)
    found = subs.choices(setup, clock, balie, person(D(2001, 5, 5)))
    assert allowed(found) == {"0021", "0045", "0053", "0090", "0091", "0141", "0345"}
    assert "incassomachtiging" in reasons(found)["0049"]
    rows = {code: (name, price, ages) for code, name, price, ages in subs.choice_rows(found)}
    assert rows["0045"] == ("Basis", "€ 56,00 /12 mnd", "19-99")
    assert rows["0052"] == ("Compleet (maand-incasso)", "€ 5,50 /1 mnd", "19-110")
    assert rows["0091"] == ("Maandabonnement", "€ 11,00 /1 mnd", "Tijd.")
    assert rows["0021"][1:] == ("Gratis", "19-30")
    with_mandate = person(D(2001, 5, 5), direct_debit=True, iban="NL91ABNA0417164300")
    assert {"0049", "0052"} <= allowed(subs.choices(setup, clock, balie, with_mandate))
    assert subs.automatic_choice(found) is None


def test_an_institution_sees_its_list_and_dbos_only_as_education_staff(setup, balie, educatie):
    clock = clock_on(TODAY)
    found = subs.choices(setup, clock, balie, school())
    assert {"0082", "0083", "0086"} <= {c.code for c in found}
    assert "0045" not in {c.code for c in found}
    assert allowed(found) == {"0082", "0083", "0090", "0091", "0345"}
    assert reasons(found)["0086"] == "Alleen een educatiemedewerker mag dBos supplement uitgeven."
    assert {c.code: c.price_cents for c in found}["0091"] == 1000  # the institution price
    assert "0086" in allowed(subs.choices(setup, clock, educatie, school()))
    draft = draft_for(setup, balie, clock)
    with pytest.raises(SubscriptionRefused, match="educatiemedewerker"):
        register_customer(setup, clock, balie, draft, school(), "0086")


def test_a_second_dbos_for_the_same_school_is_refused_with_the_reason(setup, educatie):
    clock = clock_on(TODAY)
    school_id = register_customer(setup, clock, educatie, draft_for(setup, educatie, clock),
                                       school(), "0082")
    first = subs.change_subscription(setup, clock, educatie, school_id, "0086",
                                     instance=subs.new_instance(setup, school_id))
    assert first.build_up.balance_cents == 0
    periods = customer_store.load(setup, school_id).periods
    assert {(p.instance, p.tariff_code) for p in periods} == {("I001", "0082"), ("I002", "0086")}

    found = subs.choices(setup, clock, educatie, school_id)
    reason = "Deze school heeft al een dBos supplement (maximaal 1 per school)."
    assert reasons(found)["0086"] == reason
    before = counts(setup)
    with pytest.raises(SubscriptionRefused) as refused:
        subs.change_subscription(setup, clock, educatie, school_id, "0086",
                                 instance=subs.new_instance(setup, school_id))
    assert refused.value.reason == reason
    assert counts(setup) == before
    # the same school registered again (same name and address) is the same school
    again = school(card_number=cards.make("9401", next(_seq)).number)
    assert reasons(subs.choices(setup, clock, educatie, again))["0086"] == reason
    # another school may have its own
    other = school(surname="OBS De Horst", house_number=45)
    assert "0086" in allowed(subs.choices(setup, clock, educatie, other))


def test_staff_get_one_free_subscription_per_person(setup, balie):
    clock = clock_on(TODAY)
    make_customer(setup, gender="V", initials="A.", prefix="van de", surname="Test",
                  birth_date="1990-02-02", selection="PERSONEEL",
                  periods=[{"tariff_code": "0001", "start_date": "2026-01-01",
                            "end_date": "2026-12-31", "status": "Normaal", "amount_cents": 0}])
    again = person(D(1990, 2, 2), selection="PERSONEEL")
    found = subs.choices(setup, clock, balie, again)
    assert "maximaal 1 gratis abonnement" in reasons(found)["0001"]
    # and no free Basis through the selection either
    assert subs.build_up(setup, clock, again, "0045").discount_cents == 0
    someone_else = person(D(1985, 3, 3), selection="PERSONEEL")
    assert "0001" in allowed(subs.choices(setup, clock, balie, someone_else))


def test_volunteers_get_0001_free_and_other_tariffs_at_their_price(setup, balie):
    """Finding 4: "Gratis abonnement voor vrijwilligers, vink aan bij selectie - vrijwilliger"
    is 0001 gratis; vrijwilliger + 0053 Compleet gave Korting € 65,00."""
    clock = clock_on(TODAY)
    data = person(D(1970, 7, 7), selection="VRIJWILLIGER")
    assert "0001" in allowed(subs.choices(setup, clock, balie, data))
    build = subs.build_up(setup, clock, data, "0045")
    assert (build.subscription_cents, build.discount_cents, build.balance_cents) == (
        5600, 0, 5600)
    build = subs.build_up(setup, clock, data, "0053")
    assert (build.discount_cents, build.balance_cents) == (0, 6500)
    customer_id = register_customer(setup, clock, balie, draft_for(setup, balie, clock),
                                         data, "0001")
    (period,) = customer_store.load(setup, customer_id).periods
    assert (period.tariff_code, period.status) == ("0001", "Normaal")


def test_an_action_code_gives_its_discount_on_the_first_period(setup, balie):
    clock = clock_on(D(2025, 7, 10))
    data = person(D(1970, 7, 7), selection="ACTIE-ZOMER")
    customer_id = register_customer(setup, clock, balie, draft_for(setup, balie, clock),
                                         data, "0045")
    (invoice,) = sub_store.invoices_of(setup, customer_id)
    assert (invoice.amount_cents, invoice.discount_cents, invoice.due_cents) == (5600, 1000, 4600)


# -- the manual's customer -------------------------------------------------------------------------
MANUAL = {
    "initials": "A", "prefix": "van de", "surname": "Test",
    "birth_date": "01-01-1991", "postcode": "9468 BG", "house_number": "41", "gender": "V",
    "email": "info@bibliotheekannen.nl", "inlogaccount": "Nee",
}


def test_the_manuals_customer_basis_from_15_04_2021_to_30_04_2022_for_52_euro(setup, balie):
    clock = clock_on(D(2021, 4, 15))
    service = RegistrationService(setup, clock, balie)
    draft = service.start()
    number = service.issue_card(draft)
    for name, value in MANUAL.items():
        assert service.set(draft, name, value) is None, name
    service.lookup_address(draft)
    data = service.customer_data(draft)

    build = subs.build_up(setup, clock, data, "0045")
    assert build.rows() == [
        ("Naam", "A. van de Test"), ("Leeftijd", "30"), ("Tariefcode", "0045"),
        ("Vervalmaand", "April"), ("Rechten t/m", "30-04-2022"), ("Abonnement", "€ 52,00"),
        ("Korting", "€ 0,00"), ("Saldo", "€ 52,00"), ("Geldig t/m", "April 2022"),
    ]
    assert setup.scalar("SELECT count(*) FROM card_reservations WHERE number = ?", (number,))

    customer_id = register_customer(setup, clock, balie, draft.id, data, "0045")
    record = customer_store.load(setup, customer_id)
    assert (record.initials, record.prefix, record.surname) == ("A.", "van de", "Test")
    assert record.birth_date == D(1991, 1, 1) and record.registered_on == D(2021, 4, 15)
    assert record.strips == 125 and record.branch_code == "9401"
    assert record.address.street == "Kruisakkers" and record.address.verified
    assert record.address.region == "AA24 - Annen"
    assert [(c.number, c.status) for c in record.cards] == [(number, "actief")]
    (period,) = record.periods
    assert (period.tariff_code, period.start_date, period.end_date, period.status,
            period.amount_cents) == ("0045", D(2021, 4, 15), D(2022, 4, 30), "Nieuw", 5200)
    (invoice,) = sub_store.invoices_of(setup, customer_id)
    assert (invoice.period_id, invoice.amount_cents, invoice.status, invoice.due_date) == (
        period.id, 5200, "open", D(2021, 4, 15))
    assert subs.open_amount(setup, customer_id) == 5200
    assert not setup.scalar("SELECT count(*) FROM card_reservations WHERE number = ?", (number,))
    row = drafts.get(setup, draft.id)
    assert (row.status, row.customer_id) == ("done", customer_id)
    entities = sorted(e.entity for e in audit.for_customer(setup, customer_id))
    assert entities == ["address", "card", "customer", "invoice", "subscription"]


def test_actor_ids_are_unique_and_a_second_ok_makes_no_second_customer(setup, balie):
    clock = clock_on(TODAY)
    make_customer(setup, actor_id=399_999)
    draft = draft_for(setup, balie, clock)
    data = person(D(1980, 1, 2))
    first = register_customer(setup, clock, balie, draft, data, "0045")
    assert register_customer(setup, clock, balie, draft, data, "0045") == first
    second = register_customer(setup, clock, balie, draft_for(setup, balie, clock),
                                    person(D(1980, 1, 3)), "0053")
    actors = [customer_store.load(setup, c).actor_id for c in (first, second)]
    assert actors == [400_000, 400_001]


def test_a_failure_inside_rolls_everything_back(setup, balie, monkeypatch):
    clock = clock_on(TODAY)
    service = RegistrationService(setup, clock, balie)
    draft = service.start()
    number = service.issue_card(draft)
    data = person(D(1980, 1, 2), card_number=number)
    before = counts(setup)

    def link_fails(db, clock, config, staff, customer_id, choice):
        assert db.scalar("SELECT count(*) FROM customers WHERE id = ?", (customer_id,)) == 1
        raise RuntimeError("identity service down")

    from tui_desk.services.registration import create

    with monkeypatch.context() as patched:
        patched.setattr(create, "complete", link_fails)
        with pytest.raises(RuntimeError):
            register_customer(setup, clock, balie, draft.id, data, "0045")
    assert counts(setup) == before  # no half customer, card, period, invoice or audit row
    assert drafts.get(setup, draft.id).status == "open"
    assert drafts.reservation_owner(setup, number) == draft.id
    # and it can be saved once the problem is gone
    customer_id = register_customer(setup, clock, balie, draft.id, data, "0045")
    assert customer_store.load(setup, customer_id).card_number == number


def test_a_card_issued_meanwhile_is_refused_and_nothing_is_written(setup, balie):
    clock = clock_on(TODAY)
    data = person(D(1980, 1, 2))
    register_customer(setup, clock, balie, draft_for(setup, balie, clock), data, "0045")
    before = counts(setup)
    with pytest.raises(Exception, match="al uitgegeven"):
        register_customer(setup, clock, balie, draft_for(setup, balie, clock),
                               dataclasses.replace(data, surname="Ander"), "0045")
    assert counts(setup) == before


def test_an_abandoned_draft_cannot_be_saved(setup, balie):
    clock = clock_on(TODAY)
    draft = draft_for(setup, balie, clock)
    drafts.set_status(setup, draft, "abandoned", now=clock.now())
    with pytest.raises(subs.RegistrationClosed):
        register_customer(setup, clock, balie, draft, person(D(1980, 1, 2)), "0045")


# -- Muteer abonnement -----------------------------------------------------------------------------
def manual_customer(db, balie) -> int:
    clock = clock_on(D(2021, 4, 15))
    return register_customer(db, clock, balie, draft_for(db, balie, clock),
                                  person(D(1991, 1, 1)), "0045")


def test_muteer_credits_the_unused_part_and_starts_a_new_period(setup, balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 11, 1))
    result = subs.change_subscription(setup, clock, balie, customer_id, "0053")
    assert result.credit_cents == 2470  # 181 of 381 days of € 52,00
    record = customer_store.load(setup, customer_id)
    by_code = {p.tariff_code: p for p in record.periods}
    assert (by_code["0045"].end_date, by_code["0045"].status) == (D(2021, 10, 31), "Nieuw")
    new = by_code["0053"]
    assert (new.start_date, new.end_date, new.status, new.amount_cents) == (
        D(2021, 11, 1), D(2022, 10, 31), "Nieuw", 6500)
    assert record.strips == 0  # Compleet counts no strips
    kinds = sorted((i.kind, i.amount_cents, i.status) for i in sub_store.invoices_of(setup,
                                                                                    customer_id))
    assert kinds == [("contributie", 5200, "open"), ("contributie", 6500, "open"),
                     ("creditnota", -2470, "open")]
    assert subs.open_amount(setup, customer_id) == 5200 - 2470 + 6500
    actions = [(e.entity, e.action) for e in audit.for_customer(setup, customer_id)
               if e.at.date() == D(2021, 11, 1)]
    assert sorted(actions) == [("invoice", "insert"), ("invoice", "insert"),
                               ("subscription", "insert"), ("subscription", "update")]


def test_muteer_on_the_first_day_voids_the_old_period(setup, balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 4, 15))
    result = subs.change_subscription(setup, clock, balie, customer_id, "0141")
    assert result.credit_cents == 5200
    old = next(p for p in customer_store.load(setup, customer_id).periods
               if p.tariff_code == "0045")
    # as the manual's Contributie tab shows it: 15-04-2021 .. 14-04-2021, Ongeldig
    assert (old.start_date, old.end_date, old.status) == (D(2021, 4, 15), D(2021, 4, 14),
                                                          "Ongeldig")
    statuses = {i.amount_cents: i.status for i in sub_store.invoices_of(setup, customer_id)}
    assert statuses == {5200: "credited", 4200: "open"}
    assert subs.open_amount(setup, customer_id) == 4200


def test_muteer_after_paying_writes_a_credit_note(setup, balie):
    customer_id = manual_customer(setup, balie)
    (invoice,) = sub_store.invoices_of(setup, customer_id)
    sub_store.set_invoice_status(setup, invoice.id, "paid")
    clock = clock_on(D(2022, 4, 30))
    result = subs.change_subscription(setup, clock, balie, customer_id, "0053")
    assert result.credit_cents == 14
    assert subs.open_amount(setup, customer_id) == 6500 - 14


def pay_part(db, staff, customer_id, day, cents, config) -> None:
    """Pay ``cents`` of the customer's open invoices at the counter (settlement step 4)."""
    from tui_desk.rules.settlement import PIN
    from tui_desk.services import settlement

    clock = clock_on(day)
    session = settlement.session(db, clock, staff, customer_id, config=config)
    settlement.pay(db, clock, staff, session, PIN, cents)


def test_open_amount_counts_a_part_payment(setup, balie, config):
    customer_id = manual_customer(setup, balie)
    pay_part(setup, balie, customer_id, D(2021, 4, 15), 2000, config)
    assert subs.open_amount(setup, customer_id) == 5200 - 2000
    pay_part(setup, balie, customer_id, D(2021, 4, 16), 3200, config)
    assert subs.open_amount(setup, customer_id) == 0


def test_open_amount_counts_a_credit_note_set_off(setup, balie, config):
    customer_id = manual_customer(setup, balie)
    subs.change_subscription(setup, clock_on(D(2021, 11, 1)), balie, customer_id, "0053")
    # paying 1,00 sets the credit note (24,70) off against the oldest invoice first
    pay_part(setup, balie, customer_id, D(2021, 11, 1), 100, config)
    assert subs.open_amount(setup, customer_id) == 5200 - 2470 + 6500 - 100


def test_crediting_a_partly_paid_invoice_in_full_gives_the_paid_part_back(setup, balie,
                                                                           config):
    customer_id = manual_customer(setup, balie)
    pay_part(setup, balie, customer_id, D(2021, 4, 15), 2000, config)
    # Muteer on the first day: the old period is voided and its whole charge credited
    result = subs.change_subscription(setup, clock_on(D(2021, 4, 15)), balie, customer_id,
                                      "0141")
    assert result.credit_cents == 5200
    invoices = sub_store.invoices_of(setup, customer_id)
    old = next(i for i in invoices if i.kind == "contributie" and i.amount_cents == 5200)
    assert old.status == "credited"                     # the 32,00 still open is not owed
    (note,) = [i for i in invoices if i.kind == "creditnota"]
    assert (note.amount_cents, note.status) == (-2000, "open")   # the 20,00 paid comes back
    assert subs.open_amount(setup, customer_id) == 4200 - 2000


def test_a_small_credit_on_a_partly_paid_invoice_is_a_credit_note(setup, balie, config):
    customer_id = manual_customer(setup, balie)
    pay_part(setup, balie, customer_id, D(2021, 4, 15), 4000, config)   # 12,00 still open
    result = subs.cancel_subscription(setup, clock_on(D(2022, 4, 10)), balie, customer_id,
                                      "direct", "Verhuisd", credit_unused=True)
    assert 0 < result.credit_cents < 1200
    statuses = sorted((i.kind, i.status) for i in sub_store.invoices_of(setup, customer_id))
    assert statuses == [("contributie", "open"), ("creditnota", "open")]
    assert subs.open_amount(setup, customer_id) == 1200 - result.credit_cents


def test_muteer_refuses_a_tariff_the_customer_may_not_have(setup, balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 6, 1))
    before = counts(setup)
    with pytest.raises(SubscriptionRefused, match="incassomachtiging"):
        subs.change_subscription(setup, clock, balie, customer_id, "0049")
    assert counts(setup) == before
    result = subs.change_subscription(setup, clock, balie, customer_id, "0049",
                                      direct_debit=True)
    assert result.build_up.rights_until == D(2021, 6, 30)


def give_mandate(db, customer_id, day) -> int:
    """An active SEPA mandate for the customer (printed, signed and processed on ``day``)."""
    return make_active_mandate(db, customer_id, dt.datetime.combine(day, dt.time(9, 0)))


def test_muteer_offers_the_monthly_direct_debit_tariffs_only_with_an_active_mandate(setup,
                                                                                     balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 6, 1))

    def allowed() -> dict[str, bool]:
        return {c.code: c.allowed for c in subs.choices(setup, clock, balie, customer_id)
                if c.code in ("0049", "0052")}

    assert allowed() == {"0049": False, "0052": False}
    mandate_id = give_mandate(setup, customer_id, D(2021, 5, 20))
    assert allowed() == {"0049": True, "0052": True}
    result = subs.change_subscription(setup, clock, balie, customer_id, "0052")
    assert result.build_up.rights_until == D(2021, 6, 30)

    from tui_desk.store import mandates as mandate_store

    with setup.transaction():
        mandate_store.revoke(setup, mandate_id, on=D(2021, 6, 1), reason="Op verzoek klant")
    assert allowed() == {"0049": False, "0052": False}
    # what the desk says explicitly still wins (the Contributie tab may know better)
    assert {c.code: c.allowed for c in subs.choices(setup, clock, balie, customer_id,
                                                     direct_debit=True)}["0049"]


# -- Opzeggen ------------------------------------------------------------------------------------
def test_cancel_choices_as_in_the_manual(setup, balie):
    customer_id = manual_customer(setup, balie)
    labels = [o.label for o in subs.cancel_choices(setup, clock_on(D(2021, 4, 15)), customer_id)]
    assert labels == ["Abonnement opzeggen per direct", "Abonnement opzeggen per 1 mei 2022",
                      "Abonnement opzeggen per 1 mei 2021"]


def test_cancel_per_end_of_period_keeps_the_rights_and_voids_a_prepared_renewal(setup, balie):
    customer_id = manual_customer(setup, balie)
    renewal = make_period(setup, customer_id, start_date="2022-05-01", end_date="2023-04-30",
                          status="Nieuw", amount_cents=5200)
    clock = clock_on(D(2022, 4, 2))
    result = subs.cancel_subscription(setup, clock, balie, customer_id, "end_of_period",
                                      "Verhuisd")
    assert result.end_date == D(2022, 4, 30) and result.voided == (renewal,)
    periods = {p.id: p for p in customer_store.load(setup, customer_id).periods}
    assert periods[result.period_id].status == "Opgezegd"
    assert (periods[renewal].status, periods[renewal].end_date) == ("Ongeldig", D(2022, 4, 30))
    row = setup.one("SELECT ended_on, end_reason FROM subscription_periods WHERE id = ?",
                    (result.period_id,))
    assert tuple(row) == ("2022-04-02", "Verhuisd")


def test_cancel_per_direct(setup, balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 9, 20))
    result = subs.cancel_subscription(setup, clock, balie, customer_id, "direct",
                                      "Op verzoek klant")
    assert result.end_date == D(2021, 9, 19) and result.credit_cents == 0
    assert subs.open_amount(setup, customer_id) == 5200  # no refund unless asked for
    with pytest.raises(SubscriptionError, match="geen lopend abonnement"):
        subs.cancel_subscription(setup, clock, balie, customer_id, "direct", "Nogmaals")


def test_cancel_per_direct_with_credit(setup, balie):
    customer_id = manual_customer(setup, balie)
    clock = clock_on(D(2021, 11, 1))
    result = subs.cancel_subscription(setup, clock, balie, customer_id, "direct", "Overleden",
                                      credit_unused=True)
    assert result.credit_cents == 2470
    assert subs.open_amount(setup, customer_id) == 5200 - 2470


def test_cancel_needs_a_reason(setup, balie):
    customer_id = manual_customer(setup, balie)
    before = counts(setup)
    with pytest.raises(SubscriptionError, match="reden"):
        subs.cancel_subscription(setup, clock_on(D(2021, 5, 1)), balie, customer_id, "direct",
                                 "   ")
    assert counts(setup) == before


def test_a_credit_on_an_invoice_in_a_collection_file_is_a_credit_note(setup, balie):
    """The bank collects what is in an exported file: the invoice stays, a credit note
    gives the money back."""
    customer_id = manual_customer(setup, balie)
    [invoice] = [i for i in sub_store.invoices_of(setup, customer_id)
                 if i.kind == "contributie"]
    setup.execute(
        "INSERT INTO customer_documents(document_code, customer_id, type, status, created_at,"
        " processed_at, source) VALUES ('6775000000000018', ?, '01 - Incassomachtiging',"
        " 'processed', '2021-04-15T10:00:00', '2021-04-15T10:00:00', 'none')", (customer_id,))
    setup.execute(
        "INSERT INTO mandates(customer_id, kenmerk, iban, holder_name, holder_place,"
        " document_code, status, printed_at, signed_on, processed_at)"
        " VALUES (?, 'K-1', 'NL91ABNA0417164300', 'A. Test', 'ANNEN', '6775000000000018',"
        " 'active', '2021-04-15T10:00:00', '2021-04-15', '2021-04-15T10:00:00')",
        (customer_id,))
    mandate_id = setup.scalar("SELECT id FROM mandates")
    setup.execute(
        "INSERT INTO collections(mandate_id, customer_id, invoice_id, amount_cents,"
        " sequence_type, collection_date, end_to_end_id, message_id, exported_at, file_name)"
        " VALUES (?, ?, ?, 5200, 'FRST', '2021-04-20', 'e2e', 'msg', '2021-04-15T11:00:00',"
        " 'x.xml')", (mandate_id, customer_id, invoice.id))
    result = subs.change_subscription(setup, clock_on(D(2021, 4, 15)), balie, customer_id,
                                      "0141")
    assert result.credit_cents == 5200
    invoices = sub_store.invoices_of(setup, customer_id)
    assert next(i for i in invoices if i.id == invoice.id).status == "open"
    (note,) = [i for i in invoices if i.kind == "creditnota"]
    assert note.amount_cents == -5200


def test_one_free_subscription_per_person_also_with_a_typo_in_the_name(setup, balie):
    """Finding 5: "Gratis abonnementen; voor personeel (max 1 per persoon)". Staff with the
    same birth date and a slightly different name got a second free 0001; the check now
    compares names as the duplicate check does (folded prefix, one typo)."""
    clock = clock_on(TODAY)
    make_customer(setup, gender="V", initials="A.", prefix="van de", surname="Test",
                  birth_date="1990-02-02", selection="PERSONEEL",
                  periods=[{"tariff_code": "0001", "start_date": "2026-01-01",
                            "end_date": "2026-12-31", "status": "Normaal", "amount_cents": 0}])
    for prefix, surname in (("v.d.", "Tesst"), ("", "van der Test"), ("van de", "Tést")):
        again = person(D(1990, 2, 2), selection="PERSONEEL", prefix=prefix, surname=surname)
        found = subs.choices(setup, clock, balie, again)
        assert "maximaal 1 gratis abonnement" in (reasons(found)["0001"] or ""), surname
    # another person born the same day, or a twin with other initials, is not the same
    other = person(D(1990, 2, 2), selection="PERSONEEL", surname="Pietersen")
    assert "0001" in allowed(subs.choices(setup, clock, balie, other))
    twin = person(D(1990, 2, 2), selection="PERSONEEL", initials="B.")
    assert "0001" in allowed(subs.choices(setup, clock, balie, twin))


def test_one_dbos_per_school_also_when_the_name_is_written_differently(setup, educatie):
    """Finding 5: "d-Bos Supplement = gratis, alleen voor scholen die een d-Bos school zijn en
    maximaal 1 abonnement per school". "OBS Kruisakkers" and "OBS De Kruisakkers" at the same
    address each got 0086."""
    clock = clock_on(TODAY)
    school_id = register_customer(setup, clock, educatie, draft_for(setup, educatie, clock),
                                       school(surname="OBS Kruisakkers"), "0082")
    subs.change_subscription(setup, clock, educatie, school_id, "0086",
                             instance=subs.new_instance(setup, school_id))
    reason = "Deze school heeft al een dBos supplement (maximaal 1 per school)."
    for name in ("OBS De Kruisakkers", "obs kruisakkers", "OBS Kruisakers"):
        again = school(surname=name, card_number=cards.make("9401", next(_seq)).number)
        assert reasons(subs.choices(setup, clock, educatie, again))["0086"] == reason, name
    # a second record of the school already on file is refused as well
    second = register_customer(
        setup, clock, educatie, draft_for(setup, educatie, clock),
        school(surname="OBS De Kruisakkers", card_number=cards.make("9401", next(_seq)).number),
        "0082")
    assert reasons(subs.choices(setup, clock, educatie, second))["0086"] == reason
    # another school in the same building has its own
    other = school(surname="CBS De Fontein", card_number=cards.make("9401", next(_seq)).number)
    assert "0086" in allowed(subs.choices(setup, clock, educatie, other))
