"""Voorletters, Voorvoegsel, Achternaam and Roepnaam as the manual's customer A. van der Test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.refusals import are_rule_errors
from tests.rules.strategies import FAST, NAMEISH, returns_or_refuses
from tests.tables import parses, refuses, refuses_each, refuses_naming
from tui_desk.rules import names
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


test_initials = parses(
    normalise_initials,
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


test_initials_refused = refuses_each(
    InitialsError,
    normalise_initials,
    ["Anna", "A1", "ß", "A\x00", "A@B", "ABCDEFGHIJK", "Ω"],
)


test_initials_full_first_name_message = refuses_naming(
    InitialsError, normalise_initials, [("Anna", "lijkt een voornaam")]
)


test_prefix = parses(
    parse_prefix,
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


test_unknown_prefix = refuses_each(
    PrefixError,
    parse_prefix,
    ["vn", "xyz", "van der de de", "v\x00d"],
)


test_prefix_message_is_dutch = refuses_naming(
    PrefixError, parse_prefix, [("vn", "Voorvoegsel 'vn' is onbekend")]
)


test_surname = parses(
    parse_surname,
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


test_surname_refused = refuses(
    SurnameError,
    parse_surname,
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


def test_given_name_only_required_when_asked():
    assert parse_given_name("") == ""
    assert parse_given_name(" Anne-Fleur ", required=True) == "Anne-Fleur"
    with pytest.raises(GivenNameError, match="Vul de roepnaam in."):
        parse_given_name("", required=True)


test_error_classes_are_rule_errors = are_rule_errors(
    InitialsError, PrefixError, SurnameError, GivenNameError
)


def test_existing_helpers_unchanged():
    assert names.normalise_prefix("V.D.") == "van der"
    assert names.split_prefix("van der Test") == ("van der", "Test")
    assert names.search_key("van der Tést") == "test"
    assert names.display_name("A.", "van de", "Test", "Mw.") == "Mw. A. van de Test"
    assert names.salutation("V") == "Mw."


test_initials_return_or_refuse_and_are_stable = returns_or_refuses(
    normalise_initials,
    InitialsError,
    st.one_of(st.text(), NAMEISH),
    lambda initials: initials == "" or initials.endswith("."),
    stable=True,
)


test_prefix_return_or_refuse = returns_or_refuses(
    parse_prefix,
    PrefixError,
    st.one_of(st.text(), NAMEISH, st.sampled_from(names.PREFIXES)),
    lambda prefix: prefix == "" or prefix in names.PREFIXES,
    stable=True,
)


test_surname_return_or_refuse = returns_or_refuses(
    parse_surname,
    SurnameError,
    st.one_of(st.text(), NAMEISH),
    lambda surname: 0 < len(surname) <= names.SURNAME_MAX and surname == surname.strip(),
    stable=True,
)


@FAST
@given(st.one_of(st.text(), NAMEISH), st.booleans())
def test_given_name_return_or_refuse(text, required):
    try:
        result = parse_given_name(text, required=required)
    except GivenNameError:
        return
    assert len(result) <= names.GIVEN_NAME_MAX
