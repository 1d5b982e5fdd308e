"""Zoek klant at 80x24: type, see the list, Enter opens the record; Ctrl+Z opens directly."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from textual.widgets import DataTable, Input

from tests.factories import (
    MANUAL_CARD,
    fill,
    make_customer,
    make_manual_customer,
    make_staff,
    screen_text,
)
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.main import MainScreen
from tui_desk.screens.search import DirectSearchScreen, SearchScreen
from tui_desk.services.desk import Desk
from tui_desk.store import staff as staff_store
from tui_desk.store.db import open_database
from tui_desk.store.demo import DEMO_SPECIAL_CARDS

TODAY = dt.date(2026, 11, 28)
SIZE = (80, 24)


@pytest.fixture
def demo_app(demo_copy):
    """The small demo database (the manual's customer and the markup/escape ones)."""
    db = open_database(demo_copy, environment="demo")
    desk = Desk(config=demo_config(), db=db, demo=True, clock=FixedClock(TODAY),
                staff=staff_store.by_username(db, "balie"))
    app = TuiDeskApp(desk)
    app.animation_level = "none"
    yield app
    db.close()


@pytest.fixture
def app(db, config):
    """The manual's customer, a Testerink, and two whose names are not what they seem."""
    with db.transaction():
        staff = make_staff(db)
        make_manual_customer(db)
        make_customer(db, surname="Testerink", initials="B.", birth_date="1970-02-02")
        for initials, surname, number in (("B.", "[b]Test[/b]", 43), ("R.", "\x1b[31mRood", 45)):
            make_customer(db, initials=initials, surname=surname,
                          address={"street": "Kruisakkers", "house_number": number,
                                   "postcode": "9468 BG", "place": "ANNEN"})
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=FixedClock(TODAY),
                          staff=staff))
    app.animation_level = "none"
    return app


@contextlib.asynccontextmanager
async def searched(app, text: str):
    """``app`` running at 80x24 after Zoek klant (Alt+Z) for ``text``, Enter: its Pilot."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+z")
        await fill(pilot, text)
        await pilot.press("enter")
        yield pilot


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#search-results", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_surname_search_lists_customers_and_enter_opens_the_record(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("alt+z")
        assert isinstance(app.screen, SearchScreen)
        assert "pasnummer, achternaam, postcode + huisnr of geboortedatum" in screen_text(app)
        await pilot.press(*"test", "enter")
        rows = table_rows(app)
        assert [r[1:] for r in rows] == [
            ["A. van de Test", "01-01-1991", "Kruisakkers 41", "ANNEN"],
            ["B. Testerink", "02-02-1970", rows[1][3], "ASSEN"],
        ]
        assert rows[0][0] == MANUAL_CARD
        assert "2 klanten gevonden." in screen_text(app)
        assert app.last_search == "test"
        await pilot.press("down", "enter")
        assert isinstance(app.screen, CustomerScreen)
        assert "Mw. A. van de Test" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)  # back to the list it came from
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("query", ["A29401000075801B", "9468 BG 41", "1 januari 1991",
                                   "van de Test, A"])
async def test_a_single_hit_opens_the_record_at_once(demo_app, query):
    app = demo_app
    async with searched(app, query):
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer.card_number == MANUAL_CARD


async def test_nothing_found_is_said_in_the_status_line(app):
    async with searched(app, "Qqqxyz"):
        assert isinstance(app.screen, SearchScreen)
        assert "Geen klant gevonden." in screen_text(app)
        assert not app.screen.query_one("#search-results", DataTable).display


@pytest.mark.parametrize("which", ["factories", "demo"])
async def test_markup_and_escape_characters_in_names_show_literally(app, demo_app, which):
    app = app if which == "factories" else demo_app
    async with searched(app, "9468 BG"):
        text = screen_text(app)
        assert "B. [b]Test[/b]" in text
        assert "R. ^[[31mRood" in text
        assert "\x1b" not in text


async def test_previous_list_reopens_the_last_search_with_its_results(app):
    async with searched(app, "9468 BG") as pilot:
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("alt+l")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input", Input).value == "9468 BG"
        assert len(table_rows(app)) == 3


async def test_up_from_the_first_row_returns_to_the_field(app):
    async with searched(app, "9468 BG") as pilot:
        await pilot.press("down")
        assert isinstance(app.focused, DataTable)
        await pilot.press("up")
        assert isinstance(app.focused, Input)


async def test_direct_search_opens_one_customer_at_once(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, DirectSearchScreen)
        await fill(pilot, DEMO_SPECIAL_CARDS["markup"])
        await pilot.press("enter")
        assert isinstance(app.screen, CustomerScreen)
        assert "[b]Test[/b]" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_direct_search_with_several_hits_hands_over_to_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        await fill(pilot, "9468BG")
        await pilot.press("enter")
        assert isinstance(app.screen, SearchScreen)
        assert len(table_rows(app)) == 3
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_direct_search_escape_closes(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z", "escape")
        assert isinstance(app.screen, MainScreen)
