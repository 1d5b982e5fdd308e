"""Postcode, Huisnummer, the postcode table rule and Land: the manual's 9468 BG 41, Nederland."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.refusals import are_rule_errors
from tests.rules.strategies import FAST, HOUSEISH, POSTCODEISH, returns_or_refuses
from tests.tables import parses, refuses
from tui_desk.rules.postcodes import (
    COUNTRIES,
    CountryError,
    HouseNumberError,
    PostcodeError,
    country_code,
    country_name,
    matches,
    parse_foreign_postcode,
    parse_house_number,
    parse_postcode,
)


def test_the_manuals_address():
    assert parse_postcode("9468 BG") == "9468 BG"
    assert parse_house_number("41") == (41, "")
    assert country_code("Nederland") == "NL"


@pytest.mark.parametrize("typed", ["9468BG", "9468 bg", " 9468  BG ", "9468-BG", "NL-9468BG"])
def test_postcode_forms(typed):
    assert parse_postcode(typed) == "9468 BG"


test_postcode_refused = refuses(
    PostcodeError,
    parse_postcode,
    [
        ("1234 SS", "Postcode 1234 SS bestaat niet: SA, SD en SS worden niet gebruikt."),
        ("1234sa", "Postcode 1234 SA bestaat niet: SA, SD en SS worden niet gebruikt."),
        ("1234 SD", "Postcode 1234 SD bestaat niet: SA, SD en SS worden niet gebruikt."),
        ("0123 AB", "Postcode 0123 AB bestaat niet: een postcode begint niet met 0."),
        ("12345", "Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 9468 BG."),
        ("1234 ß", "Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 9468 BG."),
        ("", "Vul een postcode in, bijvoorbeeld 9468 BG."),
    ],
)


test_house_number = parses(
    parse_house_number,
    [
        ("41", (41, "")),
        ("41A", (41, "A")),
        ("41a", (41, "A")),
        ("41 a", (41, "A")),
        ("41-2", (41, "2")),
        ("41 bis", (41, "BIS")),
        ("41A-2", (41, "A-2")),
        ("41 A 2", (41, "A-2")),
        ("1", (1, "")),
        ("99999", (99999, "")),
    ],
)


test_house_number_refused = refuses(
    HouseNumberError,
    parse_house_number,
    [
        ("", "Vul een huisnummer in."),
        ("A41", "Een huisnummer begint met cijfers, bijvoorbeeld 41 of 41A."),
        ("0", "Een huisnummer ligt tussen 1 en 99999."),
        ("100000", "Een huisnummer ligt tussen 1 en 99999."),
        ("9" * 5000, "Een huisnummer ligt tussen 1 en 99999."),
        ("41 abcdefg", "De toevoeging is te lang: maximaal 6 tekens."),
        ("41½", "Een toevoeging bestaat alleen uit letters en cijfers."),
    ],
)


@pytest.mark.parametrize(
    ("low", "high", "parity", "number", "expected"),
    [
        (1, 99, "odd", 41, True),
        (1, 99, "even", 41, False),
        (2, 98, "even", 40, True),
        (1, 99, "all", 40, True),
        (1, 39, "odd", 41, False),
        (41, 41, "odd", 41, True),
        (42, 99, "all", 41, False),
    ],
)
def test_postcode_table_range(low, high, parity, number, expected):
    assert matches(low, high, parity, number) is expected


def test_postcode_table_unknown_parity_is_a_table_fault():
    with pytest.raises(ValueError, match="parity"):
        matches(1, 99, "mixed", 41)


def test_foreign_postcode():
    assert parse_foreign_postcode(" sw1a  1aa ") == "SW1A 1AA"
    assert parse_foreign_postcode("") == ""
    with pytest.raises(PostcodeError, match="te lang"):
        parse_foreign_postcode("1" * 13)
    with pytest.raises(PostcodeError):
        parse_foreign_postcode("12\x003")


test_country_code = parses(
    country_code,
    [
        ("Nederland", "NL"),
        ("nederland", "NL"),
        ("NL", "NL"),
        ("nl", "NL"),
        ("België", "BE"),
        ("Belgie", "BE"),
        ("BE", "BE"),
        ("Duitsland", "DE"),
        ("Frankrijk", "FR"),
        ("Verenigd Koninkrijk", "GB"),
        ("uk", "GB"),
        ("Curacao", "CW"),
        ("Suriname", "SR"),
    ],
)


def test_countries_mapping():
    assert list(COUNTRIES)[:5] == ["NL", "BE", "DE", "FR", "GB"]
    assert COUNTRIES["NL"] == "Nederland"
    assert COUNTRIES["BE"] == "België"
    assert COUNTRIES["GB"] == "Verenigd Koninkrijk"
    assert "EU" not in COUNTRIES and "ZZ" not in COUNTRIES
    assert country_name("de") == "Duitsland"
    assert all(country_code(name) == code for code, name in COUNTRIES.items())


def test_unknown_country():
    with pytest.raises(CountryError, match="Land 'Mars' is onbekend."):
        country_code("Mars")
    with pytest.raises(CountryError):
        country_code("")


test_error_classes = are_rule_errors(PostcodeError, HouseNumberError, CountryError)


test_postcode_returns_or_refuses = returns_or_refuses(
    parse_postcode,
    PostcodeError,
    st.one_of(st.text(), POSTCODEISH),
    lambda postcode: (
        len(postcode) == 7 and postcode[0] != "0" and postcode[5:] not in ("SA", "SD", "SS")
    ),
    stable=True,
)


@FAST
@given(st.integers(1000, 9999), st.from_regex(r"[A-Z]{2}", fullmatch=True))
def test_every_real_shape_is_accepted_or_banned(digits, letters):
    try:
        assert parse_postcode(f"{digits}{letters.lower()}") == f"{digits} {letters}"
    except PostcodeError:
        assert letters in ("SA", "SD", "SS")


def written_back_reads_the_same(parsed):
    number, suffix = parsed
    # Written back the way the address shows it, the number reads the same again.
    separator = "" if suffix[:1].isalpha() else " "
    return (1 <= number <= 99999 and len(suffix) <= 6
            and parse_house_number(f"{number}{separator}{suffix}") == parsed)


test_house_number_returns_or_refuses = returns_or_refuses(
    parse_house_number, HouseNumberError, st.one_of(st.text(), HOUSEISH),
    written_back_reads_the_same,
)


test_foreign_postcode_returns_or_refuses = returns_or_refuses(
    parse_foreign_postcode, PostcodeError, st.text(), lambda postcode: len(postcode) <= 12
)


test_country_returns_or_refuses = returns_or_refuses(
    country_code, CountryError, st.text(), lambda code: code in COUNTRIES
)
