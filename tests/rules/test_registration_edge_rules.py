"""The rules' edge cases of issue 14 (findings 6-9), in the manual's wording where it has one:
foreign phone numbers, the prefixes d' and 't, double surnames and twins, and surnames in
every script."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_desk.rules import contact, names
from tui_desk.rules.duplicates import Person, likely_same, same_person, surname_key
from tui_desk.services.identity import AccountName, username_base

BIRTH = dt.date(1991, 1, 1)


# -- finding 6: phone numbers are read with the address's country ----------------------------------
def test_belgian_numbers_are_read_as_belgian_and_stored_e164():
    assert contact.parse_phone("012 34 56 78", "BE") == "+3212345678"
    assert contact.parse_sms("0470 12 34 56", "BE") == "+32470123456"
    assert contact.parse_phone("+32 12 34 56 78", "NL") == "+3212345678"
    assert contact.parse_phone("030 1234567", "DE") == "+49301234567"
    # a Dutch number typed for a Dutch address stays what it was
    assert contact.parse_phone("(088) 012 82 95", "NL") == "+31880128295"


# -- finding 7: d' and 't -----------------------------------------------------------------------
def test_d_apostrophe_is_written_against_the_name():
    assert names.display_name("A.", "d'", "Ancona") == "A. d'Ancona"
    assert names.display_name("A.", "d'", "Ancona", "Dhr.") == "Dhr. A. d'Ancona"
    assert names.display_name("A.", "van 't", "Hof") == "A. van 't Hof"


def test_d_ancona_and_ancona_find_each_other():
    assert names.split_prefix("d'Ancona") == ("d'", "Ancona")
    assert names.split_prefix("D’Ancona") == ("d'", "Ancona")     # a typographic apostrophe
    assert names.search_key("d'Ancona") == names.search_key("Ancona") == "ancona"
    assert surname_key("d'", "Ancona") == surname_key("", "d'Ancona") == surname_key("", "Ancona")
    assert likely_same(Person("A.", "", "d'Ancona", BIRTH), Person("A.", "d'", "Ancona", BIRTH))


def test_van_t_hof_without_the_apostrophe_is_van_t_hof():
    assert names.parse_prefix("van t") == "van 't"
    assert names.parse_prefix("t") == "'t"
    assert names.split_prefix("van t Hof") == ("van 't", "Hof")
    assert names.search_key("van t Hof") == names.search_key("van 't Hof") == "hof"
    assert likely_same(Person("J.", "", "van t Hof", BIRTH), Person("J.", "van 't", "Hof", BIRTH))


def test_usernames_do_not_depend_on_how_the_prefix_was_typed():
    assert username_base(AccountName("A.", "", "d'Ancona")) == username_base(
        AccountName("A.", "d'", "Ancona")) == "aancona"
    assert username_base(AccountName("J.", "", "van t Hof")) == username_base(
        AccountName("J.", "van 't", "Hof")) == "jhof"


# -- finding 8: double surnames, twins ------------------------------------------------------------
def test_a_double_surname_the_other_way_round_is_likely_the_same():
    a = Person("M.", "", "Jansen-de Vries", BIRTH)
    b = Person("M.", "de", "Vries-Jansen", BIRTH)
    assert likely_same(a, b) == "zelfde geboortedatum, dubbele achternaam omgedraaid"
    assert same_person(a, b)
    # other birth dates elsewhere: not flagged
    assert likely_same(a, Person("M.", "de", "Vries-Jansen", dt.date(1980, 5, 5))) is None


def test_twins_are_shown_with_a_reason_that_tells_them_apart():
    a = Person("A.", "van de", "Test", BIRTH, "9468 BG", 41)
    twin = Person("B.", "van de", "Test", BIRTH, "9468 BG", 41)
    assert likely_same(a, twin) == "zelfde adres en geboortedatum, andere voorletters"
    # the same person typed twice is still plainly the same
    assert likely_same(a, Person("A.", "v.d.", "Test", BIRTH, "9468 BG", 41)) == (
        "zelfde geboortedatum en achternaam")
    # and twins are two people for "max 1 per persoon"
    assert not same_person(a, twin)


# -- finding 9: every script --------------------------------------------------------------------
@pytest.mark.parametrize(("surname", "key"), [
    ("محمد", "محمد"),                        # Arabic
    ("王", "王"),                             # Chinese
    ("Иванова", "иванова"),                   # Cyrillic: case folds
    ("Йорданов", "иорданов"),                 # the breve is an accent: it folds
    ("Παπαδόπουλος", "παπαδοπουλοσ"),         # Greek: case, tonos and final sigma fold
    ("Σοφία-Νικολάου", "σοφια νικολαου"),
    ("Çelik", "celik"),
])
def test_search_keys_keep_the_letters_of_every_script(surname, key):
    assert names.parse_surname(surname) == surname       # the name is accepted as written
    assert names.search_key(surname) == key
    assert names.search_key(surname.upper()) == key


def test_the_duplicate_check_compares_non_latin_names_too():
    assert likely_same(Person("M.", "", "محمد", BIRTH), Person("M.", "", "محمد", BIRTH))
    assert likely_same(Person("I.", "", "Иванова", BIRTH), Person("I.", "", "ИВАНОВА", BIRTH))
    # one typo in a Cyrillic name is one typo
    assert likely_same(Person("I.", "", "Иванова", BIRTH), Person("I.", "", "Иваноа", BIRTH))
    assert likely_same(Person("W.", "", "王", BIRTH), Person("L.", "", "李", BIRTH)) is None
