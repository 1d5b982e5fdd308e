"""Who may take which tariff: the manual's choice lists for youth, adults and institutions."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_desk.rules.tariffs import (
    CustomerFacts,
    Tariff,
    age_tariff,
    ages_label,
    automatic_tariff,
    eligibility,
    price_label,
)
from tui_desk.store.tariffs import TariffSpec, read_tariffs

TODAY = dt.date(2026, 11, 28)
BALIE = {"balie"}
EDUCATIE = {"balie", "educatie"}


def rule(spec: TariffSpec) -> Tariff:
    """The tariff file's entry as the rules see it (the database holds the same columns)."""
    return Tariff(
        code=spec.code, name=spec.name, audience=spec.audience, category=spec.category,
        min_age=spec.min_age, max_age=spec.max_age, period_unit=spec.period_unit,
        period_length=spec.period_length, strips=spec.strips, max_items=spec.max_items,
        description=spec.description, active=spec.active, roles=frozenset(spec.roles),
        selections=frozenset(spec.selections), needs_mandate=spec.needs_mandate,
        one_per_person_staff=spec.one_per_person_staff, one_per_school=spec.one_per_school,
        expiry_month=spec.expiry_month, pay_directly=spec.pay_directly,
    )


TARIFFS = {s.code: rule(s) for s in read_tariffs()}


def born(age: int, *, on: dt.date = TODAY) -> dt.date:
    """A birth date that makes someone ``age`` on ``on`` (birthday a month earlier)."""
    return dt.date(on.year - age, on.month, 1) - dt.timedelta(days=30)


def person(age: int, **facts) -> CustomerFacts:
    return CustomerFacts("person", born(age), **facts)


def table(facts: CustomerFacts, roles=BALIE, day: dt.date = TODAY) -> dict[str, str | None]:
    """code → None (may be chosen) or the reason, for the whole list."""
    return {t.code: reason for t, allowed, reason in eligibility(TARIFFS.values(), facts, roles,
                                                                 day)}


def allowed(facts: CustomerFacts, roles=BALIE) -> set[str]:
    return {code for code, reason in table(facts, roles).items() if reason is None}


# -- youth -------------------------------------------------------------------------------------
def test_a_17_year_old_gets_jeugd_and_no_paid_tariff():
    facts = person(17)
    assert allowed(facts) == {"0011"}
    reasons = table(facts)
    assert "jeugdabonnement" in reasons["0045"]
    assert "jeugdabonnement" in reasons["0091"]
    assert automatic_tariff(TARIFFS.values(), facts, TODAY).code == "0011"


@pytest.mark.parametrize("age", [0, 4, 12, 18])
def test_every_youth_age_gets_only_jeugd(age):
    assert allowed(person(age)) == {"0011"}


def test_youth_ends_the_day_before_the_19th_birthday():
    facts = CustomerFacts("person", dt.date(2007, 11, 28))
    assert allowed(facts) != {"0011"}  # 19 today
    assert automatic_tariff(TARIFFS.values(), facts, TODAY) is None
    assert allowed(facts) >= {"0021"}
    assert table(facts)["0011"] == "Jeugd (0 t/m 18) is voor 0 t/m 18 jaar; de klant is 19."
    day_before = CustomerFacts("person", dt.date(2007, 11, 29))
    assert allowed(day_before) == {"0011"}


# -- adults ------------------------------------------------------------------------------------
def test_a_25_year_old_sees_the_manuals_list():
    reasons = table(person(25))
    # the manual's list for adults, without the inactive 0002 and the institutions' tariffs
    assert set(reasons) == {"0001", "0011", "0021", "0045", "0049", "0052", "0053", "0090",
                            "0091", "0141", "0345"}
    assert allowed(person(25)) == {"0021", "0045", "0053", "0090", "0091", "0141", "0345"}
    assert "incassomachtiging" in reasons["0049"]
    assert "incassomachtiging" in reasons["0052"]
    assert reasons["0001"] == ("gratis is alleen voor personeel of vrijwilligers (kies de "
                               "Selectie bij Klantgegevens).")


def test_maand_incasso_only_with_a_mandate():
    assert {"0049", "0052"} <= allowed(person(25, direct_debit=True))


@pytest.mark.parametrize(("age", "start_ok"), [(19, True), (30, True), (31, False), (45, False)])
def test_start_is_for_19_to_30(age, start_ok):
    reasons = table(person(age))
    assert (reasons["0021"] is None) is start_ok
    if not start_ok:
        assert reasons["0021"] == (
            f"Start (19 t/m 30 jarigen) is voor 19 t/m 30 jaar; de klant is {age}.")
    assert reasons["0045"] is None and reasons["0053"] is None


def test_age_limits_of_basis_and_compleet():
    assert table(person(100))["0045"] == "Basis is voor 19 t/m 99 jaar; de klant is 100."
    assert table(person(100))["0053"] is None


def test_volunteers_and_staff_get_gratis_through_the_selection():
    assert "0001" in allowed(person(40, selection_kind="vrijwilliger"))
    assert "0001" in allowed(person(40, selection_kind="personeel"))
    assert "0001" not in allowed(person(40, selection_kind="actie"))


def test_staff_get_one_free_subscription_per_person():
    reasons = table(person(40, selection_kind="personeel", staff_free_elsewhere=True))
    assert reasons["0001"] == ("Personeel krijgt maximaal 1 gratis abonnement per persoon; deze "
                               "medewerker heeft er al een.")
    # a volunteer is not limited this way
    assert table(person(40, selection_kind="vrijwilliger", staff_free_elsewhere=True))[
        "0001"] is None


def test_a_person_without_birth_date_cannot_take_an_age_bound_tariff():
    reasons = table(CustomerFacts("person", None))
    assert "vul de geboortedatum in" in reasons["0045"]
    assert reasons["0141"] is None


# -- institutions --------------------------------------------------------------------------------
def test_an_institution_sees_its_own_list():
    facts = CustomerFacts("institution", dt.date(1980, 1, 1))
    reasons = table(facts)
    assert set(reasons) == {"0001", "0082", "0083", "0086", "0090", "0091", "0345"}
    assert allowed(facts) == {"0082", "0083", "0090", "0091", "0345"}
    assert reasons["0086"] == "Alleen een educatiemedewerker mag dBos supplement uitgeven."


def test_dbos_only_by_education_staff_and_one_per_school():
    facts = CustomerFacts("institution", dt.date(1980, 1, 1))
    assert "0086" in allowed(facts, EDUCATIE)
    again = CustomerFacts("institution", dt.date(1980, 1, 1), has_dbos=True)
    assert table(again, EDUCATIE)["0086"] == (
        "Deze school heeft al een dBos supplement (maximaal 1 per school).")


def test_institutions_have_no_age():
    # the fixed birth date 01-01-1980 must not make 0082 an age question
    facts = CustomerFacts("institution", dt.date(2020, 1, 1))
    assert facts.age(TODAY) is None
    assert "0082" in allowed(facts)


# -- the list's columns ----------------------------------------------------------------------------
def test_labels_as_in_the_manual():
    assert price_label(TARIFFS["0045"], 5600) == "€ 56,00 /12 mnd"
    assert price_label(TARIFFS["0049"], 500) == "€ 5,00 /1 mnd"
    assert price_label(TARIFFS["0091"], 1000) == "€ 10,00 /1 mnd"
    assert price_label(TARIFFS["0021"], 0) == "Gratis"
    assert ages_label(TARIFFS["0021"]) == "19-30"
    assert ages_label(TARIFFS["0052"]) == "19-110"
    assert ages_label(TARIFFS["0001"]) == "Vast"
    assert ages_label(TARIFFS["0090"]) == "Tijd."
    assert ages_label(TARIFFS["0011"]) == "0-18"


def test_the_list_is_ordered_by_code_and_skips_inactive_tariffs():
    codes = [c.tariff.code for c in eligibility(TARIFFS.values(), person(25), BALIE, TODAY)]
    assert codes == sorted(codes)
    assert "0002" not in codes


def test_age_tariff_follows_the_age():
    assert age_tariff(TARIFFS.values(), 18).code == "0011"
    assert age_tariff(TARIFFS.values(), 19).code == "0021"
    assert age_tariff(TARIFFS.values(), 30).code == "0021"
    assert age_tariff(TARIFFS.values(), 31) is None


def test_tariff_file_flags():
    assert TARIFFS["0086"].roles == {"educatie"} and TARIFFS["0086"].one_per_school
    assert TARIFFS["0049"].needs_mandate and TARIFFS["0052"].needs_mandate
    assert TARIFFS["0001"].one_per_person_staff
    assert TARIFFS["0001"].selections == {"personeel", "vrijwilliger"}
    assert TARIFFS["0091"].pay_directly and TARIFFS["0091"].temporary
    assert not TARIFFS["0045"].temporary


def _entry(**extra) -> dict:
    entry = {"code": "0045", "name": "Basis", "audience": "person", "category": "vast",
             "period_unit": "year", "period_length": 1,
             "prices": [{"valid_from": "2021-01-01", "audience": "person", "price_cents": 5200}]}
    entry.update(extra)
    return {"tariffs": [entry]}


@pytest.mark.parametrize(("extra", "key"), [
    ({"roles": ["kassa"]}, "tariffs[0].roles"),
    ({"roles": "educatie"}, "tariffs[0].roles"),
    ({"selections": ["student"]}, "tariffs[0].selections"),
    ({"needs_mandate": "ja"}, "tariffs[0].needs_mandate"),
    ({"expiry_month": 13}, "tariffs[0].expiry_month"),
    ({"expiry_month": 7, "period_unit": "month"}, "tariffs[0].expiry_month"),
])
def test_a_bad_eligibility_field_in_the_tariff_file_names_the_key(extra, key):
    from tui_desk.store.db import StoreError
    from tui_desk.store.tariffs import parse_tariffs

    with pytest.raises(StoreError, match=key.replace("[", r"\[").replace("]", r"\]")):
        parse_tariffs(_entry(**extra))
    assert parse_tariffs(_entry(roles=["educatie"], expiry_month=8))[0].expiry_month == 8
