"""Zoek klant reads off the event loop, fetches and draws its first screenful first (the rest
right after, never mixed with a later search's list), and is built once
per session (issue 20: Enter -> first screenful <= 30 ms at a million customers, Alt+Z -> search
ready <= 100 ms). Counted, not timed: rows fetched, the thread a search runs on, screens built.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from textual.widgets import DataTable, Input

from tests.factories import fill, make_customer, make_staff, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens import search as search_screen
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.main import MainScreen
from tui_desk.screens.search import FIRST_SCREENFUL, SearchScreen
from tui_desk.services.desk import Desk

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def app(db, config):
    with db.transaction():
        staff = make_staff(db)
        for n in range(60):
            make_customer(db, surname="Veenstra", initials=f"{chr(90 - n % 26)}.",
                          birth_date=f"19{30 + n:02d}-01-01")
        make_customer(db, surname="Zwart", initials="Z.", birth_date="1980-01-01")
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=FixedClock(TODAY), staff=staff))
    app.animation_level = "none"
    return app


async def open_search(pilot) -> tuple[SearchScreen, DataTable]:
    """Zoek klant (Alt+Z) on the screen: the screen and its list."""
    await pilot.press("alt+z")
    screen = pilot.app.screen
    return screen, screen.query_one("#search-results", DataTable)


def _count_rows_fetched(db) -> list[int]:
    """Rows each query returned, in order (the desk's database object only)."""
    fetched: list[int] = []
    original = db.all

    def all_rows(sql, params=()):
        rows = original(sql, params)
        fetched.append(len(rows))
        return rows

    db.all = all_rows
    return fetched


async def test_the_first_screenful_is_fetched_and_drawn_before_the_rest_is_fetched(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await open_search(pilot)
        await fill(pilot, "veenstra")
        fetched = _count_rows_fetched(app.desk.db)
        drawn_first: list[tuple[int, list[int]]] = []
        original = screen._fetch_rest

        def fetch_rest(ticket, query):
            # Runs after the first screenful was drawn: what was on it, what was fetched.
            drawn_first.append((table.row_count, list(fetched)))
            original(ticket, query)

        screen._fetch_rest = fetch_rest
        await pilot.press("enter")
        await wait_until(pilot, lambda: table.row_count == 60)
        # The first screenful came from a query of FIRST_SCREENFUL + 1 rows (is there more?),
        # not from the whole list; the rest was fetched after it was drawn.
        assert drawn_first == [(FIRST_SCREENFUL, [FIRST_SCREENFUL + 1])]
        assert fetched == [FIRST_SCREENFUL + 1, 60]
        assert len({table.get_row_at(i)[0].plain for i in range(60)}) == 60  # no row twice
        assert "60 klanten gevonden." in str(screen.query_one("#search-status").render())


async def test_the_list_keeps_the_order_of_its_first_screenful(app):
    # Initials run Z..A while the birth dates rise: the first screenful and the whole list
    # agree on one order (before, each page was sorted by initials on its own).
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await open_search(pilot)
        await fill(pilot, "veenstra")
        firsts: list[list[str]] = []
        original = app.screen._fetch_rest

        def fetch_rest(ticket, query):
            firsts.append([table.get_row_at(i)[1].plain for i in range(table.row_count)])
            original(ticket, query)

        app.screen._fetch_rest = fetch_rest
        await pilot.press("enter")
        await wait_until(pilot, lambda: table.row_count == 60)
        whole = [table.get_row_at(i)[1].plain for i in range(60)]
        assert whole[:FIRST_SCREENFUL] == firsts[0]


async def test_the_search_runs_on_a_worker_thread_not_on_the_event_loop(app, monkeypatch):
    threads: list[threading.Thread] = []
    for name in ("first_rows", "search"):
        original = getattr(search_screen.search_service, name)

        def spy(*args, _original=original, **kwargs):
            threads.append(threading.current_thread())
            return _original(*args, **kwargs)

        monkeypatch.setattr(search_screen.search_service, name, spy)
    async with app.run_test(size=(80, 24)) as pilot:
        app.inline_writes = False  # as in the real program (tests run workers inline)
        _, table = await open_search(pilot)
        await fill(pilot, "veenstra")
        await pilot.press("enter")
        await wait_until(pilot, lambda: table.row_count == 60)
        assert len(threads) >= 2  # the first screenful and the whole list
        assert threading.main_thread() not in threads
        # Keys typed right after Enter waited for the list: Down went to it.
        await pilot.press("escape", "alt+z")
        assert table.row_count == 0
        await fill(pilot, "veenstra")
        await pilot.press("enter", "down")
        await wait_until(pilot, lambda: app.focused is table)


async def test_alt_z_shows_the_same_screen_emptied(app):
    composed: list[SearchScreen] = []
    original = SearchScreen.compose_body

    def compose_body(self):
        composed.append(self)
        return original(self)

    SearchScreen.compose_body = compose_body
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            first, table = await open_search(pilot)
            await fill(pilot, "veenstra")
            await pilot.press("enter")
            await wait_until(pilot, lambda: table.row_count == 60)
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)
            await pilot.press("alt+z")
            await pilot.pause()
            assert app.screen is first
            assert composed == [first]  # built once
            assert first.query_one("#search-input", Input).value == ""
            assert app.focused is first.query_one("#search-input")
            assert not table.display and table.row_count == 0
            assert str(first.query_one("#search-status").render()) == ""
            # The previous list (Ctrl+Alt+Z) in the same screen.
            await pilot.press("escape", "alt+l")
            await wait_until(pilot, lambda: table.row_count == 60)
            assert app.screen is first
            assert first.query_one("#search-input", Input).value == "veenstra"
            first.query_one("#search-input", Input).value = ""
            await fill(pilot, "zwart")
            await pilot.press("enter")  # one customer: the record opens
            await wait_until(pilot, lambda: isinstance(app.screen, CustomerScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is first)
            assert [r.key.value for r in table.ordered_rows] == [str(app.screen.result.hits[0]
                                                                     .customer_id)]
            assert composed == [first]
    finally:
        SearchScreen.compose_body = original


async def test_a_search_answered_after_escape_is_not_shown(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await open_search(pilot)
        screen.run_search("veenstra", open_single=False)
        screen.action_close()  # before its answer came
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert screen.result is None


async def test_down_typed_before_the_first_screenful_goes_to_the_list(app):
    # Enter, Down, Down typed at once: the first Down may be handled before the search's
    # answer (the list still hidden); it is kept for the list, and the second moves in it.
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await open_search(pilot)
        screen.run_search("veenstra", open_single=True)
        screen.action_to_list()  # before the answer
        assert not table.display
        await wait_until(pilot, lambda: table.row_count == 60)
        assert app.focused is table
        await pilot.press("down")
        assert table.cursor_row == 1


async def test_the_first_screenful_comes_first_and_the_rest_follows(app):
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await open_search(pilot)
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
        screen, table = await open_search(pilot)
        screen.run_search("veenstra", open_single=False)
        screen.run_search("zwart", open_single=False)  # before the first list's rest came
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1
        assert "Z. Zwart" in table.get_row_at(0)[1].plain
