"""Voorletters, Voorvoegsel, Achternaam and Roepnaam as the manual's customer A. van der Test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.refusals import refusal
from tests.rules.strategies import FAST, NAMEISH
from tui_desk.rules import names
from tui_desk.rules.errors import RuleError
from tui_desk.rules.names import (
    GivenNameError,
    InitialsError,
    PrefixError,
    SurnameError,
    normalise_initials,
    parse_given_name,
    parse_prefix,
    parse_surname,
)


def test_the_manuals_customer():
    assert normalise_initials("A") == "A."
    assert parse_prefix("van der") == "van der"
    assert parse_surname("Test") == "Test"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("a b", "A.B."),
        ("a.b.", "A.B."),
        ("AB", "A.B."),
        ("A. B.", "A.B."),
        ("Th.", "Th."),
        ("Th", "Th."),
        ("Chr. A.", "Chr.A."),
        ("ThA", "Th.A."),
        ("th", "T.H."),
        ("ij", "IJ."),
        ("IJ.", "IJ."),
        ("I.J.", "I.J."),
        ("ĳ", "IJ."),
        ("J.-P.", "J.P."),
        ("é", "É."),
        ("", ""),
        ("   ", ""),
    ],
)
def test_initials(typed, written):
    assert normalise_initials(typed) == written


@pytest.mark.parametrize("typed", ["Anna", "A1", "ß", "A\x00", "A@B", "ABCDEFGHIJK", "Ω"])
def test_initials_refused(typed):
    with pytest.raises(InitialsError):
        normalise_initials(typed)


def test_initials_full_first_name_message():
    with pytest.raises(InitialsError, match="lijkt een voornaam"):
        normalise_initials("Anna")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("van der", "van der"),
        ("v.d.", "van der"),
        ("V.D.", "van der"),
        ("v/d", "van der"),
        ("vd", "van der"),
        ("v. d.", "van der"),
        ("Van  Der", "van der"),
        ("van de", "van de"),
        ("de", "de"),
        ("van ’t", "van 't"),
        ("", ""),
    ],
)
def test_prefix(typed, written):
    assert parse_prefix(typed) == written


@pytest.mark.parametrize("typed", ["vn", "xyz", "van der de de", "v\x00d"])
def test_unknown_prefix(typed):
    with pytest.raises(PrefixError):
        parse_prefix(typed)


def test_prefix_message_is_dutch():
    with pytest.raises(PrefixError, match="Voorvoegsel 'vn' is onbekend"):
        parse_prefix("vn")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Test", "Test"),
        ("  Test  ", "Test"),
        ("Jansen-de Vries", "Jansen-de Vries"),
        ("Jansen - de Vries", "Jansen-de Vries"),
        ("d’Ancona", "d'Ancona"),
        ("Müller", "Müller"),
        ("Mu\u0308ller", "Müller"),  # decomposed umlaut composes
        ("Çelik", "Çelik"),
        ("X" * 60, "X" * 60),
    ],
)
def test_surname(typed, written):
    assert parse_surname(typed) == written


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul de achternaam in."),
        ("   ", "Vul de achternaam in."),
        ("Test2", "Achternaam mag geen cijfers bevatten."),
        ("Te\x00st", "Achternaam bevat een onzichtbaar of ongeldig teken."),
        ("Te\u200bst", "Achternaam bevat een onzichtbaar of ongeldig teken."),
        ("Te\nst", "Achternaam bevat een onzichtbaar of ongeldig teken."),
        ("X" * 61, "Achternaam is te lang: maximaal 60 tekens, dit zijn er 61."),
        ("-Test", "Achternaam: een streepje hoort tussen twee namen."),
        ("'", "Achternaam moet letters bevatten."),
        ("[b]x[/b]", "Achternaam bevat een ongeldig teken: '['."),
    ],
)
def test_surname_refused(typed, message):
    assert refusal(SurnameError, parse_surname, typed) == message


def test_given_name_only_required_when_asked():
    assert parse_given_name("") == ""
    assert parse_given_name(" Anne-Fleur ", required=True) == "Anne-Fleur"
    with pytest.raises(GivenNameError, match="Vul de roepnaam in."):
        parse_given_name("", required=True)


def test_error_classes_are_rule_errors():
    for cls in (InitialsError, PrefixError, SurnameError, GivenNameError):
        assert issubclass(cls, RuleError)
        assert issubclass(cls, ValueError)


def test_existing_helpers_unchanged():
    assert names.normalise_prefix("V.D.") == "van der"
    assert names.split_prefix("van der Test") == ("van der", "Test")
    assert names.search_key("van der Tést") == "test"
    assert names.display_name("A.", "van de", "Test", "Mw.") == "Mw. A. van de Test"
    assert names.salutation("V") == "Mw."


@FAST
@given(st.one_of(st.text(), NAMEISH))
def test_initials_return_or_refuse_and_are_stable(text):
    try:
        result = normalise_initials(text)
    except InitialsError as exc:
        assert str(exc)
        return
    assert normalise_initials(result) == result
    assert result == "" or result.endswith(".")


@FAST
@given(st.one_of(st.text(), NAMEISH, st.sampled_from(names.PREFIXES)))
def test_prefix_return_or_refuse(text):
    try:
        result = parse_prefix(text)
    except PrefixError:
        return
    assert result == "" or result in names.PREFIXES
    assert parse_prefix(result) == result


@FAST
@given(st.one_of(st.text(), NAMEISH))
def test_surname_return_or_refuse(text):
    try:
        result = parse_surname(text)
    except SurnameError:
        return
    assert 0 < len(result) <= names.SURNAME_MAX
    assert result == result.strip()
    assert parse_surname(result) == result


@FAST
@given(st.one_of(st.text(), NAMEISH), st.booleans())
def test_given_name_return_or_refuse(text, required):
    try:
        result = parse_given_name(text, required=required)
    except GivenNameError:
        return
    assert len(result) <= names.GIVEN_NAME_MAX
