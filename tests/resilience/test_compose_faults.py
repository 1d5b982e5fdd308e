"""A failure while a screen is being built (its constructor, ``compose``, ``on_mount``) takes
the one error path: the Dutch dialog, the session goes on at the screen before, the log has no
personal data.

Before: Textual sent what ``compose`` raised to its last resort without naming the screen and
mounted the half-built screen anyway; its ``on_mount`` and every later handler failed on the
missing widgets, and the dialog over the blank screen could not be closed.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.factories import wait_until
from tests.resilience.test_faults import (
    assert_logged_without_personal_data,
    boom,
    desk,  # noqa: F401 - the fixture, used by name
    forgiving,
    log,  # noqa: F401 - the fixture, used by name
    push_settlement_of_a_new_lener,
    settlement_failing_in,
)
from tui_desk.screens.error import UNEXPECTED, ErrorDialog
from tui_desk.screens.help_screen import HelpScreen
from tui_desk.screens.main import MainScreen
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.settlement import SettlementScreen


async def stopped(app, timeout: float = 10.0) -> None:
    """Until the app has ended (Pilot's own pause waits for a screen that is going away)."""
    end = time.monotonic() + timeout
    while app.is_running:
        assert time.monotonic() < end, "the app did not end"
        await asyncio.sleep(0.01)


def entries(path) -> int:
    text = path.read_text()
    return text.count("\n--- ") + text.startswith("--- ")


async def test_a_fault_in_a_screens_compose_shows_the_dialog_and_goes_on(
        desk, log, monkeypatch):  # noqa: F811 - the fixtures
    async with settlement_failing_in(desk, monkeypatch, "compose_body") as (app, pilot):
        assert app.screen.message == UNEXPECTED
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ErrorDialog))
        assert isinstance(app.screen, MainScreen)
        assert app.screen_stack == [app.screen]
        assert app.is_running and app.return_code in (None, 0)
    assert_logged_without_personal_data(log)
    # One entry: the half-built screen's own handlers (mount, resume) are not reported again.
    assert entries(log) == 1


@pytest.mark.parametrize("part", ["__init__", "compose_body", "on_mount"])
async def test_ctrl_n_whose_step_1_cannot_be_built_shows_the_dialog_and_ctrl_n_works_again(
        desk, log, monkeypatch, part):  # noqa: F811 - the fixtures
    app = forgiving(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(CustomerStepScreen, part, boom)
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
            assert app.screen.message == UNEXPECTED
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
            assert app.screen_stack == [app.screen]
        # The fault is gone: the next Ctrl+N builds step 1 (no half-built screen kept).
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerStepScreen))
        assert app.screen.query("#f-card_number")
        assert app.is_running and app.return_code in (None, 0)
    assert_logged_without_personal_data(log)


async def test_a_fault_in_the_help_screens_compose_shows_the_dialog(
        desk, log, monkeypatch):  # noqa: F811 - the fixtures
    app = forgiving(desk)
    monkeypatch.setattr(HelpScreen, "compose", boom)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.screen_stack == [app.screen]
    assert_logged_without_personal_data(log)


async def test_an_error_dialog_that_cannot_be_built_ends_the_session_with_its_message(
        desk, log, monkeypatch):  # noqa: F811 - the fixtures
    """The last step of the error path failing does not loop: the session ends, status 1,
    the fatal message instead of Textual's traceback."""
    app = forgiving(desk)
    monkeypatch.setattr(ErrorDialog, "compose", boom)
    monkeypatch.setattr(SettlementScreen, "compose_body", boom)
    async with app.run_test(size=(80, 24)):
        push_settlement_of_a_new_lener(app, desk)
        await stopped(app)
    assert app.return_code == 1
    assert_logged_without_personal_data(log)
