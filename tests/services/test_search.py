"""Zoek klant: one field, and what was typed decides how the customer is found."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tests.factories import MANUAL_CARD, make_customer, make_manual_customer
from tests.tables import parses
from tui_desk.services import search as service


@pytest.fixture
def manual(db):
    with db.transaction():
        customer_id = make_manual_customer(db)
        make_customer(db, surname="Testerink", initials="B.", birth_date="1970-02-02")
        make_customer(db, surname="Jansen", birth_date="1991-01-01")
        make_customer(db, prefix="de", surname="Vries", address={"postcode": "9468 BG",
                                                                  "house_number": 43})
    return customer_id


test_what_was_typed_decides_the_search = parses(
    lambda text: service.classify(text).kind,
    [
        ("29401000075801", "card"),
        ("A29401000075801B", "card"),
        (" a2940-1000075801b ", "card"),
        ("9468 BG 41", "postcode"),
        ("9468bg41", "postcode"),
        ("9468 BG 41A", "postcode"),
        ("9468 bg", "postcode"),
        ("01-01-1991", "birth_date"),
        ("1-1-1991", "birth_date"),
        ("01011991", "birth_date"),
        ("1 januari 1991", "birth_date"),
        ("381847", "actor"),
        ("van der Test", "name"),
        ("Test, A.", "name"),
        ("", "empty"),
    ],
)


def test_classify_reads_the_parts():
    q = service.classify("9468bg 41a")
    assert (q.postcode, q.house_number, q.suffix) == ("9468 BG", 41, "A")
    assert service.classify("A29401000075801B").card == MANUAL_CARD
    assert service.classify("1 januari 1991").birth_date == dt.date(1991, 1, 1)
    q = service.classify("van der Test, A.")
    assert (q.name_key, q.initials) == ("test", "A")
    # SA, SD and SS are not postcodes: such text is a name.
    assert service.classify("1234 SS").kind == "name"


@pytest.mark.parametrize("text", ["van der Test", "Test", "test", "TÉST", "v.d. Test", "Tes",
                                  "van de Test"])
def test_the_manual_customer_is_found_by_surname_with_or_without_prefix(db, manual, text):
    result = service.search(db, text, TODAY)
    assert result.kind == "name"
    assert manual in [h.customer_id for h in result.hits]
    assert result.hits[0].name == "A. van de Test"


def test_initials_after_a_comma_narrow_the_list(db, manual):
    assert [h.name for h in service.search(db, "Test", TODAY).hits] == [
        "A. van de Test", "B. Testerink"]
    assert [h.name for h in service.search(db, "Test, A.", TODAY).hits] == ["A. van de Test"]
    assert [h.name for h in service.search(db, "test,b", TODAY).hits] == ["B. Testerink"]


@pytest.mark.parametrize("text", ["29401000075801", "A29401000075801B", "381847"])
def test_card_scan_and_actor_id_find_exactly_her(db, manual, text):
    result = service.search(db, text, TODAY)
    assert [h.customer_id for h in result.hits] == [manual]
    assert result.message == "1 klant gevonden."


@pytest.mark.parametrize("text", ["9468 BG 41", "9468bg41", "9468 BG 41", "9468BG 41"])
def test_postcode_and_house_number(db, manual, text):
    result = service.search(db, text, TODAY)
    assert [h.customer_id for h in result.hits] == [manual]
    assert result.hits[0].address == "Kruisakkers 41"
    assert result.hits[0].place == "ANNEN"


def test_postcode_alone_lists_everybody_there(db, manual):
    result = service.search(db, "9468 BG", TODAY)
    assert [h.name for h in result.hits] == ["A. van de Test", "J. de Vries"]


@pytest.mark.parametrize("text", ["01-01-1991", "1-1-1991", "01011991", "1 januari 1991"])
def test_birth_date(db, manual, text):
    result = service.search(db, text, TODAY)
    assert result.kind == "birth_date"
    assert [h.name for h in result.hits] == ["J. Jansen", "A. van de Test"]


def test_nothing_found_says_so(db, manual):
    assert service.search(db, "Bestaatniet", TODAY).message == "Geen klant gevonden."
    assert service.search(db, "29401999999995", TODAY).hits == []
    assert "onbekend" in service.search(db, "29401999999995", TODAY).message


def test_a_wrong_check_digit_is_explained(db, manual):
    result = service.search(db, "29401000075802", TODAY)
    assert result.hits == []
    assert "controlecijfer" in result.message


def test_a_blocked_card_still_finds_its_holder_with_a_warning(db):
    with db.transaction():
        cid = make_customer(db, surname="Blok", card="29401000000019", card_status="geblokkeerd")
    result = service.search(db, "29401000000019", TODAY)
    assert [h.customer_id for h in result.hits] == [cid]
    assert "geblokkeerd" in result.message


def test_impossible_and_future_dates_are_explained(db, manual):
    assert "bestaat niet" in service.search(db, "31-02-1991", TODAY).message
    assert "toekomst" in service.search(db, "01-01-2030", TODAY).message


def test_empty_query_explains_what_can_be_typed(db):
    result = service.search(db, "   ", TODAY)
    assert result.kind == "empty" and "achternaam" in result.message


def test_too_many_hits_are_cut_at_the_limit_and_said(db):
    with db.transaction():
        for i in range(7):
            make_customer(db, surname=f"Veel{i}")
    result = service.search(db, "veel", TODAY, limit=5)
    assert len(result.hits) == 5 and result.more
    assert "Meer dan 5" in result.message
    exact = service.search(db, "veel", TODAY, limit=7)
    assert len(exact.hits) == 7 and not exact.more


def test_markup_in_a_query_is_just_text(db):
    with db.transaction():
        make_customer(db, surname="[b]Test[/b]")
    result = service.search(db, "[b]Test", TODAY)
    assert [h.name for h in result.hits] == ["J. [b]Test[/b]"]
