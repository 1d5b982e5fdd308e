"""Keys typed while a write runs, when that write fails, retry nothing: the person sees the
error first and decides.

Before: the keys held during the save (type-ahead) were delivered after it failed, to the error
dialog and then to the screen: with a key held down (auto-repeat) or a quick "F10 Enter F10",
the Enter closed the dialog unseen and the F10 saved again, twice in all. Now the kept keys are
still delivered (a correction typed on reaches its field), but none of them starts a write, and
an Enter typed before the error dialog was shown does not close it.
"""

from __future__ import annotations

import threading

import pytest

from tests.factories import wait_until
from tests.resilience.test_faults import (
    Boom,
    desk,  # noqa: F401 - the fixture, used by name
    forgiving,
    log,  # noqa: F401 - the fixture, used by name
)
from tests.screens.test_registration_steps_2_3 import draft_for
from tui_desk.screens.error import ErrorDialog
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.registration_subscription import SubscriptionStepScreen
from tui_desk.services import registration as registration_service
from tui_desk.store.db import DatabaseBusy


class SlowFailingSave:
    """``RegistrationService.register`` that waits until released, then fails."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, *_args, **_kwargs):
        self.calls += 1
        self.started.set()
        assert self.release.wait(10), "never released"
        raise self.error


@pytest.mark.parametrize("error", [Boom("unexpected"), DatabaseBusy("De database is bezet.")],
                         ids=["unexpected", "expected"])
async def test_keys_held_during_a_save_that_fails_do_not_save_again(
        desk, log, monkeypatch, error):  # noqa: F811 - the fixtures
    save = SlowFailingSave(error)
    monkeypatch.setattr(registration_service.RegistrationService, "register", save)
    service, draft = draft_for(desk, use_login="Nee", email="", no_email="Ja")
    app = forgiving(desk)
    app.inline_writes = False          # the real thing: the save runs on a worker thread
    app.hold_on_screen_change = True   # and keys are held meanwhile
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_registration_step(service, draft, "abonnement")
        await wait_until(pilot, lambda: isinstance(app.screen, SubscriptionStepScreen))
        await pilot.press("f10")
        await wait_until(pilot, lambda: save.started.is_set())
        # F10 held down and let go, or "F10 Enter F10": the keys a clerk sends while the
        # save seems to do nothing.
        await pilot.press("f10", "enter", "f10", "enter", "f10")
        await wait_until(pilot, lambda: len(app._held) > 0)
        save.release.set()
        await wait_until(pilot, lambda: not app.screen.query("BusyLine.shown"))
        await pilot.pause()
        await wait_until(pilot, lambda: not app._held and not app._holding)
        await pilot.pause()
        assert save.calls == 1
        if isinstance(error, Boom):
            assert isinstance(app.screen, ErrorDialog)   # still there: the person reads it
        else:
            assert isinstance(app.screen, SubscriptionStepScreen)
        # The person decides: a key pressed now does what it says.
        if isinstance(app.screen, ErrorDialog):
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, SubscriptionStepScreen))
        save.started.clear()
        await pilot.press("f10")
        await wait_until(pilot, lambda: save.calls == 2)


async def test_an_enter_typed_before_the_error_dialog_showed_does_not_close_it(
        desk):  # noqa: F811 - the fixture
    app = forgiving(desk)
    app.hold_on_screen_change = True   # keys typed while a screen comes are held for it
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ErrorDialog("De printer is uit."))
        await pilot.press("enter")     # held while the dialog came: typed ahead
        await wait_until(pilot, lambda: not app._held and not app._holding)
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        await pilot.press("enter")     # pressed with the message on the screen
        await wait_until(pilot, lambda: not isinstance(app.screen, ErrorDialog))


async def test_a_correction_typed_while_step_1_is_checked_reaches_the_field_in_error(
        desk, monkeypatch):  # noqa: F811 - the fixture
    """The keys are kept (type-ahead): what is typed goes into the first field in error, the
    cursor's place after the check; only the F10 among them does not check again."""
    original = registration_service.RegistrationService.finish_customer_step
    calls: list[int] = []
    release = threading.Event()

    def slow_check(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            assert release.wait(10), "never released"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(registration_service.RegistrationService, "finish_customer_step",
                        slow_check)
    app = forgiving(desk)
    app.inline_writes = False
    app.hold_on_screen_change = True
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerStepScreen))
        await pilot.press("V", "enter")
        await wait_until(pilot, lambda: app.screen.draft.values.get("card_number"))
        await pilot.press("f10")
        await wait_until(pilot, lambda: len(calls) == 1)
        await pilot.press(*"Klaas", "f10")
        await wait_until(pilot, lambda: len(app._held) == 6)
        release.set()
        await wait_until(pilot, lambda: not app._held and not app._holding)
        await pilot.pause()
        focused = app.focused
        assert focused is not None and focused.value == "Klaas"
        assert "nog niet in orde" in str(app.screen.query_one("#reg-status").render())
        assert len(calls) == 1                      # the F10 among the kept keys: no check
