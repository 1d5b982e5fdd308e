"""Period ends, prices per period, discounts, the cost build-up, credits and cancelling."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rules.test_tariffs import TARIFFS
from tui_desk.rules.periods import (
    CANCEL_DIRECT,
    CANCEL_END_OF_PERIOD,
    CANCEL_NEXT_MONTH,
    cancel_options,
    cancelled_end,
    cost_build_up,
    credit_unused,
    discount_for,
    last_day_of_age,
    next_period,
    period_end,
    period_for,
    rights_until,
)
from tui_desk.rules.selections import default_selections
from tui_desk.rules.tariffs import Tariff
from tui_desk.store.tariffs import load_tariffs, price_on

D = dt.date
BASIS = TARIFFS["0045"]
SELECTIONS = default_selections()


# -- period ends ---------------------------------------------------------------------------------
def test_the_manuals_yearly_subscription_runs_to_the_end_of_its_expiry_month():
    period = period_for(BASIS, D(2021, 4, 15))
    assert (period.start, period.end, period.expiry_month) == (D(2021, 4, 15), D(2022, 4, 30), 4)


def test_renewals_start_on_the_1st_and_last_twelve_months():
    period = period_for(BASIS, D(2021, 4, 15))
    for _ in range(6):
        following = next_period(BASIS, period.end)
        assert following.start == period.end + dt.timedelta(days=1)
        assert following.start.day == 1
        assert following.end == D(following.start.year + 1, 4, 30)
        period = following


@pytest.mark.parametrize(("start", "end"), [
    (D(2021, 1, 1), D(2021, 12, 31)),
    (D(2021, 1, 31), D(2022, 1, 31)),
    (D(2021, 12, 31), D(2022, 12, 31)),
    (D(2024, 2, 29), D(2025, 2, 28)),     # leap day: 28-02-2025 by the end-of-month rule
    (D(2023, 3, 1), D(2024, 2, 29)),      # a year ending in a leap February
    (D(2023, 2, 28), D(2024, 2, 29)),
])
def test_yearly_month_ends_and_leap_days(start, end):
    assert period_end(start, "year", 1) == end


@pytest.mark.parametrize(("start", "end"), [
    (D(2025, 1, 15), D(2025, 2, 14)),
    (D(2025, 1, 1), D(2025, 1, 31)),
    (D(2025, 2, 1), D(2025, 2, 28)),
    (D(2024, 2, 1), D(2024, 2, 29)),
    (D(2025, 1, 31), D(2025, 2, 28)),     # no 31-02: the last day of February
    (D(2024, 1, 31), D(2024, 2, 29)),
    (D(2025, 1, 30), D(2025, 2, 28)),
    (D(2024, 1, 29), D(2024, 2, 28)),     # 29-02-2024 exists: the day before it
    (D(2024, 2, 29), D(2024, 3, 28)),
    (D(2025, 3, 31), D(2025, 4, 30)),
    (D(2024, 12, 31), D(2025, 1, 30)),
])
def test_monthly_month_ends(start, end):
    assert period_end(start, "month", 1) == end


def test_every_day_of_two_years_gives_a_sane_period():
    day = D(2024, 1, 1)
    while day < D(2026, 1, 1):
        yearly = period_end(day, "year", 1)
        assert (yearly + dt.timedelta(days=1)).day == 1  # always the end of a month
        assert 365 <= (yearly - day).days + 1 <= 397
        monthly = period_end(day, "month", 1)
        assert 28 <= (monthly - day).days + 1 <= 31
        day += dt.timedelta(days=1)


def test_temporary_tariffs():
    maand = period_for(TARIFFS["0091"], D(2025, 3, 10))
    assert maand.end == D(2025, 4, 9)
    gast = period_for(TARIFFS["0345"], D(2025, 3, 1))
    assert gast.end == D(2025, 3, 21)  # three weeks
    proef = period_for(TARIFFS["0090"], D(2025, 3, 1))
    assert proef.end == D(2025, 3, 28)  # its configured length: 4 weeks


def test_a_fixed_expiry_month():
    school = Tariff("0082", "school", audience="institution", expiry_month=7)
    assert period_for(school, D(2021, 10, 12)).end == D(2022, 7, 31)
    assert period_for(school, D(2022, 3, 15)).end == D(2022, 7, 31)
    assert period_for(school, D(2022, 7, 3)).end == D(2023, 7, 31)
    assert next_period(school, D(2022, 7, 31)).end == D(2023, 7, 31)
    assert period_for(school, D(2022, 3, 15)).expiry_month == 7


def test_a_bad_period_is_refused():
    with pytest.raises(ValueError):
        period_end(D(2025, 1, 1), "year", 0)
    with pytest.raises(ValueError):
        period_end(D(2025, 1, 1), "fortnight", 1)
    with pytest.raises(ValueError):
        period_end(D(2025, 1, 1), "year", 1, expiry_month=13)


# -- prices per period (store) -------------------------------------------------------------------
def test_each_period_is_billed_at_the_price_valid_on_its_start(db):
    load_tariffs(db)
    period = period_for(BASIS, D(2021, 4, 15))
    prices = []
    for _ in range(4):
        prices.append((period.start, price_on(db, "0045", "person", period.start)))
        period = next_period(BASIS, period.end)
    assert prices == [(D(2021, 4, 15), 5200), (D(2022, 5, 1), 5200), (D(2023, 5, 1), 5200),
                      (D(2024, 5, 1), 5600)]
    # a price change on the very first day of a period applies to it
    db.execute("INSERT INTO tariff_prices VALUES ('0045', 'person', '2025-05-01', 5900)")
    assert price_on(db, "0045", "person", D(2025, 4, 30)) == 5600
    assert price_on(db, "0045", "person", next_period(BASIS, D(2025, 4, 30)).start) == 5900


# -- discounts ---------------------------------------------------------------------------------
def test_discounts_from_selections():
    # a priced free-for-staff tariff (0001 with a price) is free for volunteers and personnel
    gratis = Tariff("0001", "gratis", selections=TARIFFS["0001"].selections)
    assert discount_for(SELECTIONS["VRIJWILLIGER"], 5600, tariff=gratis) == 5600
    assert discount_for(SELECTIONS["VRIJWILLIGER"], 5600, first_period=False,
                        tariff=gratis) == 5600
    assert discount_for(SELECTIONS["PERSONEEL"], 5600, tariff=gratis) == 5600
    assert discount_for(SELECTIONS["PERSONEEL"], 5600, staff_free_used=True, tariff=gratis) == 0
    assert discount_for(SELECTIONS["ACTIE-ZOMER"], 5600) == 1000
    assert discount_for(SELECTIONS["ACTIE-ZOMER"], 500) == 500  # never more than the amount
    assert discount_for(SELECTIONS["ACTIE-ZOMER"], 5600, first_period=False) == 0
    assert discount_for(SELECTIONS["ACTIE-STUDENT"], 6500) == 3250
    assert discount_for(SELECTIONS["BOEKSTART"], 0) == 0
    assert discount_for(None, 5600) == 0


def test_a_free_selection_makes_only_0001_free():
    """Finding 4: "Gratis abonnement voor vrijwilligers, vink aan bij selectie - vrijwilliger"
    and "Gratis abonnementen; voor personeel (max 1 per persoon)" grant 0001 gratis; with
    vrijwilliger, 0053 Compleet costs its € 65,00 (was Korting € 65,00)."""
    assert discount_for(SELECTIONS["VRIJWILLIGER"], 6500, tariff=TARIFFS["0053"]) == 0
    assert discount_for(SELECTIONS["PERSONEEL"], 5600, tariff=TARIFFS["0045"]) == 0
    assert discount_for(SELECTIONS["VRIJWILLIGER"], 500, first_period=False,
                        tariff=TARIFFS["0049"]) == 0


# -- the cost build-up ---------------------------------------------------------------------------
def test_the_manuals_cost_build_up():
    period = period_for(BASIS, D(2021, 4, 15))
    build = cost_build_up("A. van de Test", D(1991, 1, 1), BASIS, period, 5200)
    assert build.rows() == [
        ("Naam", "A. van de Test"),
        ("Leeftijd", "30"),
        ("Tariefcode", "0045"),
        ("Vervalmaand", "April"),
        ("Rechten t/m", "30-04-2022"),
        ("Abonnement", "€ 52,00"),
        ("Korting", "€ 0,00"),
        ("Saldo", "€ 52,00"),
        ("Geldig t/m", "April 2022"),
    ]


def test_cost_build_up_with_a_discount_and_for_an_institution():
    period = period_for(BASIS, D(2025, 7, 1))
    build = cost_build_up("J. Jansen", D(1990, 1, 1), BASIS, period, 5600, 1000)
    assert (build.subscription_cents, build.discount_cents, build.balance_cents) == (
        5600, 1000, 4600)
    school = TARIFFS["0082"]
    build = cost_build_up("CBS De Fontein", None, school, period_for(school, D(2025, 7, 1)), 6350)
    assert build.age is None and dict(build.rows())["Leeftijd"] == ""


def test_youth_rights_end_before_the_19th_birthday():
    youth = TARIFFS["0011"]
    period = period_for(youth, D(2026, 11, 28))
    assert rights_until(youth, period, D(2008, 3, 10)) == D(2027, 3, 9)
    assert rights_until(youth, period, D(2010, 3, 10)) == period.end
    assert rights_until(BASIS, period_for(BASIS, D(2026, 11, 28)), D(2008, 3, 10)) == D(
        2027, 11, 30)
    assert last_day_of_age(D(2008, 2, 29), 18) == D(2027, 2, 28)  # turns 19 on 01-03
    assert last_day_of_age(D(2004, 2, 29), 18) == D(2023, 2, 28)


# -- credits (Muteer abonnement) -----------------------------------------------------------------
def test_credit_for_the_unused_days():
    start, end = D(2021, 4, 15), D(2022, 4, 30)   # 381 days
    assert credit_unused(5200, start, end, D(2021, 11, 1)) == 2470  # 181/381 of 52,00
    assert credit_unused(5200, start, end, start) == 5200
    assert credit_unused(5200, start, end, D(2021, 1, 1)) == 5200   # not started yet
    assert credit_unused(5200, start, end, end) == 14                # one day: 13,65 → 14
    assert credit_unused(5200, start, end, end + dt.timedelta(1)) == 0
    assert credit_unused(0, start, end, D(2021, 11, 1)) == 0


def test_credit_rounds_halves_up():
    assert credit_unused(50, D(2025, 1, 1), D(2025, 1, 4), D(2025, 1, 4)) == 13   # 12,5
    assert credit_unused(100, D(2025, 1, 1), D(2025, 1, 3), D(2025, 1, 3)) == 33  # 33,33
    assert credit_unused(100, D(2025, 1, 1), D(2025, 1, 3), D(2025, 1, 2)) == 67  # 66,67


def test_credit_of_a_voided_period_is_nothing():
    assert credit_unused(5200, D(2021, 4, 15), D(2021, 4, 14), D(2021, 4, 15)) == 0


# -- cancelling (Opzeggen) -----------------------------------------------------------------------
def test_the_manuals_cancel_options():
    options = cancel_options(D(2021, 4, 15), D(2022, 4, 30))
    assert [o.label for o in options] == [
        "Abonnement opzeggen per direct",
        "Abonnement opzeggen per 1 mei 2022",
        "Abonnement opzeggen per 1 mei 2021",
    ]
    assert [o.key for o in options] == [CANCEL_DIRECT, CANCEL_END_OF_PERIOD, CANCEL_NEXT_MONTH]
    assert [o.effective for o in options] == [D(2021, 4, 15), D(2022, 5, 1), D(2021, 5, 1)]


def test_in_the_last_month_there_is_no_separate_first_of_next_month():
    options = cancel_options(D(2022, 4, 10), D(2022, 4, 30))
    assert [o.key for o in options] == [CANCEL_DIRECT, CANCEL_END_OF_PERIOD]


def test_cancelled_end():
    start, end = D(2021, 4, 15), D(2022, 4, 30)
    assert cancelled_end(start, end, D(2021, 4, 15)) == D(2021, 4, 14)   # per direct, day 1
    assert cancelled_end(start, end, D(2021, 9, 20)) == D(2021, 9, 19)
    assert cancelled_end(start, end, D(2022, 5, 1)) == end
    assert cancelled_end(start, end, D(2023, 1, 1)) == end               # never longer
