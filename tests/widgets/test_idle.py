"""An idle session runs no timer: no blinking cursor by default, no periodic draft save.

On a server that carries many counters, a cursor blinking in every idle session redraws twice
a second in each (issue 20: ~1 % of a core per session). ``[screen] cursor_blink = true``
turns the blink on.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.factories import make_staff, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.services.desk import Desk


def _app(db, config, clock) -> TuiDeskApp:
    staff = make_staff(db, name="J. de Balie")
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))


def running_timers(app: TuiDeskApp) -> list[str]:
    """Timers of the app's nodes that would wake the program: started, not paused."""
    nodes = [app, *app.screen_stack]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=False))
    found = []
    for node in nodes:
        for timer in list(node._timers):
            task = timer._task
            if task is not None and not task.done() and timer._active.is_set():
                found.append(f"{type(node).__name__}:{timer.name}")
    return found


async def test_step_1_waiting_for_the_customer_runs_no_timer(db, config, clock):
    app = _app(db, config, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerStepScreen)
        field = screen.query_one("#f-kaart")
        assert app.focused is field
        assert field.cursor_blink is False
        assert running_timers(app) == []
        # Typing starts the one-second draft save; once it ran, nothing runs any more.
        screen.query_one("#f-surname").focus()
        await pilot.press(*"Jansen")
        # The save is pending, or (keys slower than a second on a loaded machine) it ran.
        assert running_timers(app) or screen.draft.get("surname") == "Jansen"
        await wait_until(pilot, lambda: not screen._dirty, timeout=5)
        await wait_until(pilot, lambda: running_timers(app) == [], timeout=5)
        assert screen.draft.get("surname") == "Jansen"


@pytest.mark.parametrize("blink", [True, False])
async def test_the_cursor_blinks_only_when_configured(db, config, clock, blink):
    app = _app(db, dataclasses.replace(config, cursor_blink=blink), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        field = app.screen.query_one("#f-kaart")
        assert field.cursor_blink is blink
        assert bool(running_timers(app)) is blink
