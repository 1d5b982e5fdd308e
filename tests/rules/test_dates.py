"""Geboortedatum as staff type it; the manual's customer was born 1 januari 1991."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.refusals import refusal
from tests.rules.strategies import DATEISH, FAST
from tui_desk.rules import dates
from tui_desk.rules.dates import DateError, parse_birth_date, parse_date
from tui_desk.rules.errors import RuleError

TODAY = dt.date(2021, 4, 15)  # the manual's registration day


@pytest.mark.parametrize(
    "typed",
    [
        "01-01-1991",
        "1-1-1991",
        "01011991",
        "1 januari 1991",
        "1 Januari 1991",
        "1 jan 1991",
        "1 jan. 1991",
        "1-jan-1991",
        "1/1/1991",
        "1.1.1991",
        "1991-01-01",
        " 1  januari  1991 ",
    ],
)
def test_the_manuals_birth_date_in_every_form(typed):
    assert parse_birth_date(typed, TODAY) == dt.date(1991, 1, 1)


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("1 februari 2000", 2),
        ("1 feb 2000", 2),
        ("1 maart 2000", 3),
        ("1 mrt 2000", 3),
        ("1 mrt. 2000", 3),
        ("1 april 2000", 4),
        ("1 mei 2000", 5),
        ("1 juni 2000", 6),
        ("1 jul 2000", 7),
        ("1 augustus 2000", 8),
        ("1 sept 2000", 9),
        ("1 okt 2000", 10),
        ("1 oktober 2000", 10),
        ("1 nov 2000", 11),
        ("1 december 2000", 12),
    ],
)
def test_dutch_month_names(typed, month):
    assert parse_date(typed) == dt.date(2000, month, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31-02-2000", "31-02-2000 bestaat niet."),
        ("31 februari 2000", "31-02-2000 bestaat niet."),
        ("29-02-2001", "29-02-2001 bestaat niet."),
        ("1-13-2000", "01-13-2000 bestaat niet."),
        ("00-00-0000", "00-00-0000 bestaat niet."),
        ("1-1-91", "Vul het jaar met 4 cijfers in, bijvoorbeeld 01-01-1991."),
        ("010191", "Vul het jaar met 4 cijfers in, bijvoorbeeld 01-01-1991."),
        ("1 jan 91", "Vul het jaar met 4 cijfers in, bijvoorbeeld 01-01-1991."),
        ("1 foo 1991", "Onbekende maand 'foo'. Schrijf bijvoorbeeld 1 januari 1991."),
        ("gisteren", "Vul de datum in als dd-mm-jjjj, bijvoorbeeld 01-01-1991 of 1 januari 1991."),
        ("١-١-١٩٩١", "Vul de datum in als dd-mm-jjjj, bijvoorbeeld 01-01-1991 of 1 januari 1991."),
    ],
)
def test_unreadable_or_impossible_dates(typed, message):
    assert refusal(DateError, parse_birth_date, typed, TODAY) == message


def test_leap_day_birth():
    born = parse_birth_date("29-02-2000", dt.date(2021, 4, 15))
    assert born == dt.date(2000, 2, 29)
    assert dates.age_on(born, dt.date(2021, 2, 28)) == 20
    assert dates.age_on(born, dt.date(2021, 3, 1)) == 21
    assert dates.age_on(born, dt.date(2024, 2, 29)) == 24


def test_future_birth_date():
    with pytest.raises(DateError, match="Geboortedatum ligt in de toekomst."):
        parse_birth_date("16-04-2021", TODAY)
    assert parse_birth_date("15-04-2021", TODAY) == TODAY  # born today: Boekstart


def test_older_than_120_years():
    assert parse_birth_date("15-04-1901", TODAY) == dt.date(1901, 4, 15)  # exactly 120
    with pytest.raises(DateError, match="meer dan 120 jaar"):
        parse_birth_date("14-04-1900", TODAY)


def test_empty_birth_date():
    with pytest.raises(DateError, match="Vul de geboortedatum in"):
        parse_birth_date("  ", TODAY)


def test_today_may_be_a_datetime():
    assert parse_birth_date("1-1-1991", dt.datetime(2021, 4, 15, 10, 0)) == dt.date(1991, 1, 1)


def test_error_class():
    assert issubclass(DateError, RuleError)


def test_existing_helpers_unchanged():
    assert dates.show(dt.date(1991, 1, 1)) == "01-01-1991"
    assert dates.show_long(dt.date(1991, 1, 1)) == "1 januari 1991"
    assert dates.month_year(dt.date(2022, 4, 30)) == "April 2022"
    assert dates.from_iso("1991-01-01") == dt.date(1991, 1, 1)
    assert dates.to_iso(None) is None
    assert dates.age_on(dt.date(1991, 1, 1), TODAY) == 30


@FAST
@given(st.one_of(st.text(), DATEISH), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
def test_birth_date_returns_or_refuses(text, today):
    try:
        born = parse_birth_date(text, today)
    except DateError as exc:
        assert str(exc)
        return
    assert born <= today
    assert dates.age_on(born, today) <= dates.MAX_AGE


@FAST
@given(st.dates(dt.date(1905, 1, 1), dt.date(2025, 1, 1)))
def test_every_shown_date_reads_back(day):
    today = dt.date(2025, 1, 1)
    assert parse_birth_date(dates.show(day), today) == day
    assert parse_birth_date(dates.show_long(day), today) == day
    assert parse_birth_date(day.strftime("%d%m%Y"), today) == day
    assert parse_birth_date(day.isoformat(), today) == day
    assert parse_birth_date(f"{day.day}/{day.month}/{day.year}", today) == day
