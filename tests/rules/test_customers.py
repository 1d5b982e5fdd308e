"""Persoon/Instelling, salutation, youth and the Roepnaam rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.strategies import FAST, returns_or_refuses
from tests.tables import parses
from tui_desk.rules import customers
from tui_desk.rules.customers import (
    GENDERS,
    INSTITUTION_BIRTH_DATE,
    GenderError,
    birth_date_for,
    gender_label,
    is_institution,
    is_youth,
    parse_gender,
    roepnaam_required,
    salutation,
)
from tui_desk.rules.errors import RuleError

TODAY = dt.date(2021, 4, 15)


def test_the_choice_of_the_manual():
    assert list(GENDERS.values()) == ["Man", "Vrouw", "Neutraal", "Onbekend", "Instelling"]
    assert list(GENDERS) == ["M", "V", "X", "O", "I"]


test_salutation = parses(
    salutation,
    [("M", "Dhr."), ("V", "Mw."), ("X", ""), ("O", ""), ("I", "")],
)


test_parse_gender = parses(
    parse_gender,
    [("Vrouw", "V"), ("vrouw", "V"), ("v", "V"), (" X ", "X"), ("INSTELLING", "I")],
)


def test_parse_gender_refuses():
    with pytest.raises(GenderError, match="Kies Man, Vrouw, Neutraal, Onbekend of Instelling."):
        parse_gender("Q")
    assert issubclass(GenderError, RuleError)


def test_labels_and_institution():
    assert gender_label("O") == "Onbekend"
    assert gender_label("?") == ""
    assert is_institution("I") and not is_institution("M")


def test_institutions_always_born_1980():
    assert INSTITUTION_BIRTH_DATE == dt.date(1980, 1, 1)
    assert birth_date_for("I", dt.date(2001, 5, 5)) == dt.date(1980, 1, 1)
    assert birth_date_for("V", dt.date(1991, 1, 1)) == dt.date(1991, 1, 1)
    assert birth_date_for("V", None) is None


def test_youth_is_0_to_18():
    assert is_youth(TODAY, TODAY)  # born today
    assert is_youth(dt.date(2002, 4, 16), TODAY)  # 18, turns 19 tomorrow
    assert not is_youth(dt.date(2002, 4, 15), TODAY)  # 19 today: Start
    assert not is_youth(dt.date(1991, 1, 1), TODAY)  # the manual's customer, 30


def test_youth_born_on_leap_day():
    born = dt.date(2004, 2, 29)
    assert is_youth(born, dt.date(2023, 2, 28))  # still 18
    assert not is_youth(born, dt.date(2023, 3, 1))  # 19


def test_roepnaam_only_for_youth_persons():
    assert roepnaam_required("V", dt.date(2015, 6, 1), TODAY)
    assert not roepnaam_required("V", dt.date(1991, 1, 1), TODAY)
    assert not roepnaam_required("I", dt.date(2015, 6, 1), TODAY)
    assert not roepnaam_required("M", None, TODAY)


test_parse_gender_returns_or_refuses = returns_or_refuses(
    parse_gender, GenderError, st.text(), lambda code: code in GENDERS
)


@FAST
@given(st.dates(), st.dates())
def test_youth_matches_age(birth, today):
    from tui_desk.rules.dates import age_on

    assert customers.is_youth(birth, today) == (0 <= age_on(birth, today) <= 18)
