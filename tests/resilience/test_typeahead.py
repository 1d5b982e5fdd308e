"""Type-ahead (issue 13): keys typed while a write or a screen change is awaited are kept and
delivered afterwards in the order they were typed, to the field that then has focus; a key never
overtakes one typed before it.

The keys are posted to the app as the terminal driver posts them, without waiting in between.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import Screen
from textual.widgets import DataTable

from tests.factories import make_staff, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens.base import SafeDispatch
from tui_desk.services.desk import Desk
from tui_desk.widgets.keys import DeskInput


@pytest.fixture
def desk(db, config):
    staff = make_staff(db, name="J. de Balie")
    clock = FixedClock(dt.date(2026, 11, 29))
    return Desk(config=config, db=db, demo=True, clock=clock, staff=staff)


class TwoFields(Screen[None]):
    def compose(self) -> ComposeResult:
        yield DeskInput(id="one")
        yield DeskInput(id="two")


def post(app: TuiDeskApp, text: str) -> None:
    for char in text:
        app.post_message(Key(char, char))


def values(app: TuiDeskApp) -> tuple[str, str]:
    return (app.screen.query_one("#one", DeskInput).value,
            app.screen.query_one("#two", DeskInput).value)


async def start(app: TuiDeskApp, pilot) -> None:
    await app.push_screen(TwoFields())
    app.screen.query_one("#one").focus()
    await pilot.pause()


async def test_held_keys_go_to_the_field_focused_when_the_hold_ends(desk):
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.hold_keys()                      # a write that leads on runs
        post(app, "abc")
        await pilot.pause()
        assert values(app) == ("", "")      # nothing typed into the old place meanwhile
        app.screen.query_one("#two").focus()
        app.call_later(app.release_keys)
        await wait_until(pilot, lambda: values(app) == ("", "abc"))


async def test_keys_typed_while_the_held_ones_are_delivered_come_after_them(desk):
    # The defect: held keys were posted behind keys already waiting in the app's queue, so
    # 'de', typed during the release, came before 'abc'.
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.hold_keys()
        post(app, "abc")
        app.call_later(app.release_keys)
        post(app, "de")                      # queued after the release, before any replay
        await wait_until(pilot, lambda: values(app)[0] == "abcde")
        await pilot.pause()
        assert values(app) == ("abcde", "")


async def test_a_held_key_that_starts_a_new_hold_keeps_the_rest_in_order(desk):
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        one = app.screen.query_one("#one", DeskInput)

        def on_b(_value: str) -> None:        # 'b' starts another write (as F10 would)
            if one.value.endswith("b") and not getattr(app, "_test_held_again", False):
                app._test_held_again = True   # type: ignore[attr-defined]
                app.hold_keys()
                app.set_timer(0.1, app.release_keys)

        one.watch(one, "value", on_b, init=False)
        app.hold_keys()
        post(app, "abcd")
        app.call_later(app.release_keys)
        post(app, "ef")
        await wait_until(pilot, lambda: len(values(app)[0]) == 6)
        assert values(app) == ("abcdef", "")


class Rows(SafeDispatch, Screen[None]):
    """A table and a priority key that reads it, as step 3 has (Down, Enter, F10)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f10", "save", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.saved: list[int | None] = []
        self.chosen: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DataTable(id="rows", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Code")
        for code in ("0001", "0011", "0021", "0045"):
            table.add_row(code)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.chosen = event.cursor_row

    def action_save(self) -> None:
        self.after_typed(lambda: self.saved.append(self.chosen))


async def test_keys_for_a_table_then_a_priority_key_act_in_the_order_typed(desk):
    # Textual runs the table's Down only after the key bubbled up to the app; a burst's F10
    # (a priority binding) ran before the Downs and the Enter had acted, and before the row
    # the Enter chose had reached the screen.
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = Rows()
        await app.push_screen(screen)
        await pilot.pause()
        for key in ("down", "down", "down", "enter", "f10"):
            app.post_message(Key(key, None))
        await wait_until(pilot, lambda: screen.saved)
        assert screen.saved == [3]


async def test_keys_are_not_held_for_ever_behind_a_key_that_never_finishes(desk, monkeypatch):
    # A key whose field went away while the key was queued for it never reports back: the
    # keys after it are delivered once the watchdog gives up on it.
    import tui_desk.widgets.typeahead as typeahead_module

    monkeypatch.setattr(typeahead_module, "KEY_WATCHDOG_SECONDS", 0.2)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        lost: list[str] = []
        app._follow_key = lambda event, node: lost.append(event.key)  # type: ignore[method-assign]
        post(app, "abc")
        await wait_until(pilot, lambda: values(app)[0] == "abc")
        assert lost == ["a", "b", "c"]


async def test_the_busy_line_is_in_view_on_a_full_screen(desk):
    # It was docked under the footer, which covered it: "Even wachten" never showed.
    from tests.factories import screen_text
    from tui_desk.screens.main import MainScreen
    from tui_desk.widgets.busy import BusyLine

    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        app.screen.show_busy("Even wachten: een andere balie schrijft…")
        await wait_until(pilot, lambda: app.screen.query_one(BusyLine).has_class("shown"))
        await pilot.pause()
        assert "Even wachten: een andere balie schrijft" in screen_text(app)
