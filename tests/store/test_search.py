"""The search queries use an index for every kind of search (a million customers stay fast)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import MANUAL_CARD, make_customer, make_manual_customer
from tui_desk.store import search


@pytest.fixture(params=["analyzed", "no statistics"])
def manual(db, request):
    with db.transaction():
        customer_id = make_manual_customer(db)
        make_customer(db, surname="Testerink", initials="B.")
        make_customer(db, surname="Jansen")
    if request.param == "analyzed":
        # Statistics of a tiny table tempt SQLite to scan; the plan must not depend on them.
        db.execute("ANALYZE")
    return customer_id


def _assert_indexed(plan: list[str]) -> None:
    # No step, at any level, reads a whole table.
    assert not any(line.strip().startswith("SCAN") for line in plan), plan


@pytest.mark.parametrize(
    ("kind", "args", "index"),
    [
        ("name", {"key": "test"}, "customers_search_name"),
        ("name", {"key": "test", "initials": "A"}, "customers_search_name_initials"),
        ("card", {"number": MANUAL_CARD}, "sqlite_autoindex_cards"),
        ("postcode", {"postcode": "9468 BG", "house_number": 41}, "addresses_postcode"),
        ("postcode", {"postcode": "9468 BG", "house_number": 41, "suffix": "A"},
         "addresses_postcode"),
        ("postcode", {"postcode": "9468 BG"}, "addresses_postcode"),
        ("birth_date", {"birth_date": "1991-01-01"}, "customers_birth_date"),
        ("actor", {"actor_id": 381847}, "(actor_id=?)"),
    ],
)
@pytest.mark.sqlite_only("SQLite's query planner (EXPLAIN QUERY PLAN, INDEXED BY)")
def test_every_search_is_an_index_lookup(db, manual, kind, args, index):
    plan = search.query_plan(db, kind, **args)
    assert any("SEARCH" in line and index in line for line in plan), plan
    _assert_indexed(plan)


@pytest.mark.sqlite_only("SQLite's query planner (EXPLAIN QUERY PLAN, INDEXED BY)")
def test_name_prefix_is_a_range_scan_that_needs_no_sort(db, manual):
    plan = search.query_plan(db, "name", key="tes")
    assert any("search_name>? AND search_name<?" in line for line in plan), plan
    # Index order: the scan stops after `limit` rows, however many names start with "t".
    # (Only the per-customer card lookup, an indented sub-step, sorts its few rows.)
    assert not any("TEMP B-TREE" in line for line in plan if not line.startswith(" ")), plan


def test_name_prefix_finds_the_start_of_the_search_name(db, manual):
    found = [h.name for h in search.by_name(db, "test")]
    assert found == ["A. van de Test", "B. Testerink"]
    assert [h.name for h in search.by_name(db, "testeri")] == ["B. Testerink"]
    assert search.by_name(db, "tesx") == []


def test_initials_narrow_a_name_search(db, manual):
    assert [h.name for h in search.by_name(db, "test", initials="A")] == ["A. van de Test"]
    assert [h.name for h in search.by_name(db, "test", initials="b.")] == ["B. Testerink"]


def test_a_hit_carries_card_name_birth_date_address_and_place(db, manual):
    (hit,) = search.by_card(db, MANUAL_CARD)
    assert hit.customer_id == manual
    assert hit.card_number == MANUAL_CARD
    assert hit.name == "A. van de Test"
    assert hit.birth_date == dt.date(1991, 1, 1)
    assert hit.address == "Kruisakkers 41"
    assert hit.place == "ANNEN"


def test_postcode_with_suffix_compares_without_spaces_and_case(db):
    with db.transaction():
        a = make_customer(db, surname="Aa", address={"postcode": "9468 BG", "house_number": 41,
                                                     "house_suffix": "A"})
        b = make_customer(db, surname="Bb", address={"postcode": "9468 BG", "house_number": 41})
    assert [h.customer_id for h in search.by_postcode(db, "9468 BG", 41)] == [a, b]
    assert [h.customer_id for h in search.by_postcode(db, "9468 BG", 41, "a")] == [a]
    (hit,) = search.by_postcode(db, "9468 BG", 41, "A")
    assert hit.address == "Dorpsstraat 41A"


def test_a_customer_without_address_or_card_is_still_found(db):
    with db.transaction():
        make_customer(db, surname="Zonder", address=None, card=None)
    (hit,) = search.by_name(db, "zonder")
    assert (hit.card_number, hit.address, hit.place) == ("", "", "")


def test_card_status_tells_blocked_and_unissued_cards(db):
    with db.transaction():
        cid = make_customer(db, surname="Blok", card="29401000000019", card_status="geblokkeerd")
        db.execute("INSERT INTO cards(number, customer_id, branch_code, issued_on) "
                   "VALUES ('29401000000027', NULL, '9401', '2026-01-01')")
    assert search.card_status(db, "29401000000019") == (cid, "geblokkeerd")
    assert search.card_status(db, "29401000000027") == (None, "actief")
    assert search.card_status(db, "29401999999999") is None


def test_limit_is_respected(db):
    with db.transaction():
        for i in range(12):
            make_customer(db, surname=f"Veel{i:02d}")
    assert len(search.by_name(db, "veel", limit=5)) == 5
