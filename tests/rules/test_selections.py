"""Selectie: "Boekstart of een andere code als er een actie is. Anders leeg laten." """

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.strategies import FAST
from tui_desk.rules.errors import RuleError
from tui_desk.rules.selections import (
    Selection,
    SelectionError,
    SelectionFileError,
    default_selections,
    load_selections,
    parse_selection,
)

KNOWN = default_selections()


def test_packaged_codes():
    assert {"BOEKSTART", "VRIJWILLIGER", "PERSONEEL"} <= set(KNOWN)
    assert any(s.kind == "actie" and s.discount_cents for s in KNOWN.values())
    assert any(s.kind == "actie" and s.discount_percent for s in KNOWN.values())
    assert KNOWN["VRIJWILLIGER"].free_subscription


@pytest.mark.parametrize("typed", ["Boekstart", "boekstart", " BOEKSTART "])
def test_boekstart(typed):
    selection = parse_selection(typed, KNOWN)
    assert selection is not None and selection.code == "BOEKSTART"


def test_empty_is_no_selection():
    assert parse_selection("", KNOWN) is None
    assert parse_selection("   ", KNOWN) is None


def test_unknown_code():
    with pytest.raises(SelectionError, match="Selectie 'ACTIE-WINTER' is onbekend."):
        parse_selection("ACTIE-WINTER", KNOWN)


def test_action_dates():
    zomer = KNOWN["ACTIE-ZOMER"]
    assert parse_selection("actie-zomer", KNOWN, today=dt.date(2025, 7, 1)) == zomer
    with pytest.raises(SelectionError, match="is verlopen \\(geldig t/m 31-08-2025\\)"):
        parse_selection("ACTIE-ZOMER", KNOWN, today=dt.date(2025, 9, 1))
    with pytest.raises(SelectionError, match="geldt pas vanaf 01-06-2025"):
        parse_selection("ACTIE-ZOMER", KNOWN, today=dt.date(2025, 5, 31))


def test_boekstart_is_for_toddlers():
    assert parse_selection("Boekstart", KNOWN, age=4) is not None
    with pytest.raises(SelectionError, match="t/m 4 jaar"):
        parse_selection("Boekstart", KNOWN, age=5)


def test_discounts():
    assert KNOWN["ACTIE-ZOMER"].discount_on(5600) == 1000
    assert KNOWN["ACTIE-ZOMER"].discount_on(500) == 500  # never more than the amount
    assert KNOWN["ACTIE-NIEUWJAAR"].discount_on(5600) == 1400
    assert Selection("X", "X", "actie", discount_percent=25).discount_on(5550) == 1388
    assert KNOWN["VRIJWILLIGER"].discount_on(5600) == 5600
    assert KNOWN["BOEKSTART"].discount_on(5600) == 0
    assert KNOWN["ACTIE-ZOMER"].discount_on(0) == 0


def test_load_from_text():
    text = """
[[selection]]
code = "actie-x"
name = "Actie X"
kind = "actie"
discount_percent = 10
valid_until = 2030-12-31
"""
    loaded = load_selections(text)
    assert list(loaded) == ["ACTIE-X"]
    assert loaded["ACTIE-X"].valid_until == dt.date(2030, 12, 31)
    assert load_selections("") == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[selection", "geen geldige TOML"),
        ('[[selection]]\nname = "A"\nkind = "actie"', "'code' ontbreekt"),
        ('[[selection]]\ncode = "A"\nname = "A"\nkind = "korting"', "soort moet"),
        ('[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\nprijs = 1', "onbekend veld"),
        ('[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\ndiscount_cents = "10"', "type"),
        ('[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\ndiscount_cents = true', "type"),
        (
            '[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\n'
            "discount_cents = 1\ndiscount_percent = 1",
            "niet allebei",
        ),
        ('[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\ndiscount_percent = 101', "0..100"),
        (
            '[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\n'
            "valid_from = 2025-02-01\nvalid_until = 2025-01-01",
            "ligt voor",
        ),
        ('[[selection]]\ncode = "A B"\nname = "A"\nkind = "actie"', "A-Z"),
        (
            '[[selection]]\ncode = "A"\nname = "A"\nkind = "actie"\n'
            '[[selection]]\ncode = "a"\nname = "B"\nkind = "actie"',
            "twee keer",
        ),
        ('selection = 1', "[[selection]]"),
        ('other = 1', "Onbekende sleutel"),
    ],
)
def test_bad_file(text, fragment):
    with pytest.raises(SelectionFileError) as info:
        load_selections(text)
    assert fragment in str(info.value)


def test_error_classes():
    assert issubclass(SelectionError, RuleError) and issubclass(SelectionFileError, RuleError)


@FAST
@given(st.text(), st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.integers(0, 120)))
def test_parse_selection_returns_or_refuses(text, today, age):
    try:
        result = parse_selection(text, KNOWN, today=today, age=age)
    except SelectionError:
        return
    assert result is None or result.code in KNOWN


@FAST
@given(st.text())
def test_load_selections_returns_or_refuses(text):
    try:
        load_selections(text)
    except SelectionFileError:
        pass


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["code", "name", "kind", "discount_cents", "discount_percent", "max_age"]),
        st.one_of(st.text(max_size=5), st.integers(-5, 200), st.booleans()),
    )
)
def test_load_selections_entries_return_or_refuse(fields):
    import json

    lines = [f"{key} = {json.dumps(value)}" for key, value in fields.items()]
    try:
        load_selections("[[selection]]\n" + "\n".join(lines))
    except SelectionFileError:
        pass
