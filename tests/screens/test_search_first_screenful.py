"""Zoek klant draws the first screenful of a long list at once, the rest right after (issue 20).

Filling all 200 rows of a name search before anything was drawn took 50-90 ms after Enter.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable

from tests.factories import make_customer, make_staff, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens.search import FIRST_SCREENFUL
from tui_desk.services.desk import Desk

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def app(db, config):
    with db.transaction():
        staff = make_staff(db)
        for n in range(60):
            make_customer(db, surname="Veenstra", initials=f"{chr(65 + n % 26)}.",
                          birth_date=f"19{50 + n % 40}-01-01")
        make_customer(db, surname="Zwart", initials="Z.", birth_date="1980-01-01")
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=FixedClock(TODAY), staff=staff))


async def test_the_first_screenful_comes_first_and_the_rest_follows(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("alt+z")
        table = app.screen.query_one("#search-results", DataTable)
        counts: list[int] = []
        original = app.screen.call_after_refresh

        def call_after_refresh(callback, *args):
            counts.append(table.row_count)  # what is drawn before the rest is added
            return original(callback, *args)

        app.screen.call_after_refresh = call_after_refresh
        await pilot.press(*"veenstra", "enter")
        await wait_until(pilot, lambda: table.row_count == 60)
        assert counts == [FIRST_SCREENFUL]
        assert len({table.get_row_at(i)[0].plain for i in range(60)}) == 60  # no row twice


async def test_a_new_search_is_not_mixed_with_the_rest_of_the_last(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("alt+z")
        screen = app.screen
        table = screen.query_one("#search-results", DataTable)
        screen.run_search("veenstra", open_single=False)
        screen.run_search("zwart", open_single=False)  # before the first list's rest came
        await pilot.pause()
        await pilot.pause()
        assert table.row_count == 1
        assert "Z. Zwart" in table.get_row_at(0)[1].plain
