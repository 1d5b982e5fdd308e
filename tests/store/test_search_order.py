"""Every search has one order: a shorter limit gives the start of a longer one's list, so Zoek
klant can fetch its first screenful first (issue 20)."""

from __future__ import annotations

import pytest

from tests.factories import make_customer
from tui_desk.store import search


@pytest.fixture
def veenstras(db):
    # Initials run Z..A while the birth dates rise, at one postcode.
    with db.transaction():
        for n in range(30):
            make_customer(db, surname="Veenstra", initials=f"{chr(90 - n % 26)}.",
                          birth_date=f"19{40 + n:02d}-01-01",
                          address={"postcode": "9468 BG", "house_number": 1 + n % 3})


@pytest.mark.parametrize(("kind", "args"), [
    ("name", {"key": "veen"}),
    ("name", {"key": "veen", "initials": "A"}),
    ("postcode", {"postcode": "9468 BG"}),
    ("postcode", {"postcode": "9468 BG", "house_number": 1}),
])
def test_a_short_list_is_the_start_of_the_long_one(db, veenstras, kind, args):
    whole = [h.customer_id for h in search._run(db, kind, **args, limit=201)]
    for limit in (1, 3, 7, 21):
        assert [h.customer_id for h in search._run(db, kind, **args, limit=limit)] == \
            whole[:limit]


def test_a_name_lists_in_index_order_name_then_birth_date(db, veenstras):
    hits = search.by_name(db, "veen")
    assert [h.birth_date for h in hits] == sorted(h.birth_date for h in hits)
