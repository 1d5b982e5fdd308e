"""The app's side of a terminal that goes away (``TerminalGone`` from ``widgets/driver.py``):
what was typed is stored, and the app ends with the driver's status. The real terminal, the
signals and SSH are in tests/terminal/test_hangup.py and test_terminal_driver.py."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.factories import wait_until
from tests.resilience.test_faults import desk  # noqa: F401 - the fixture, used by name
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.widgets.driver import HANGUP_STATUS, TERMINATED_STATUS, TerminalGone


def stored_with(desk, text: str) -> int:  # noqa: F811 - the fixture's value
    return desk.db.scalar("SELECT count(*) FROM registration_drafts WHERE data LIKE ?",
                          (f"%{text}%",))


async def ended(app, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while app.is_running:
        assert time.monotonic() < end, "the app did not end"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("reason,status", [("eof", HANGUP_STATUS), ("SIGHUP", HANGUP_STATUS),
                                           ("SIGTERM", TERMINATED_STATUS)])
async def test_the_name_being_typed_is_stored_and_the_app_ends_with_the_status(
        desk, monkeypatch, reason, status):  # noqa: F811 - the fixture
    # The timed save (a second after the first key) never comes: only the ending stores.
    monkeypatch.setattr(CustomerStepScreen, "_timed_save", lambda self: None)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerStepScreen))
        await pilot.press("V", "enter", "A", "enter", "enter")   # card, Voorletters, Voorvoegsel
        await pilot.press(*"Afgesloten")                         # Achternaam, still focused
        await wait_until(pilot, lambda: app.screen.draft.values.get("surname")
                         == "Afgesloten")
        assert stored_with(desk, "Afgesloten") == 0
        app.post_message(TerminalGone(reason, status))
        await ended(app)
    assert app.return_code == status
    assert stored_with(desk, "Afgesloten") == 1


async def test_keys_sent_just_before_the_line_dropped_reach_the_field_first(
        desk, monkeypatch):  # noqa: F811 - the fixture
    """The keys and the end-of-file arrive together: the keys still in the fields' queues
    are taken before the draft is stored."""
    monkeypatch.setattr(CustomerStepScreen, "_timed_save", lambda self: None)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerStepScreen))
        await pilot.press("V", "enter", "A", "enter", "enter")
        from textual import events

        for character in "Laatst":
            app.post_message(events.Key(character, character))
        app.post_message(TerminalGone("eof", HANGUP_STATUS))
        await ended(app)
    assert stored_with(desk, "Laatst") == 1
