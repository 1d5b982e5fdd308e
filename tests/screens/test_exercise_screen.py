"""Menu Oefeningen and the exercise screen (Pilot); only in the training database."""

from __future__ import annotations

from tests.factories import make_customer, make_staff, screen_after, screen_text
from tui_desk.app import TuiDeskApp
from tui_desk.screens.exercise import ExerciseScreen
from tui_desk.screens.main import MainScreen
from tui_desk.screens.menu import MenuScreen
from tui_desk.services.desk import Desk


def app_for(db, config, clock, *, demo=True):
    staff = make_staff(db)
    return TuiDeskApp(Desk(config=config, db=db, demo=demo, clock=clock, staff=staff,
                           trainee="10.20.0.11" if demo else None))


async def test_menu_oefeningen_opens_an_exercise_that_begins_and_checks(db, config, clock):
    make_customer(db, card="29401000075801", surname="Test")
    app = app_for(db, config, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "OEFENOMGEVING 10.20.0.11" in screen_text(app)
        await pilot.press("alt+e")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert "Pas verloren: blokkeren en een nieuwe pas" in screen_text(app)
        for _ in range(5):                      # the sixth exercise: the lost card
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert "Nog niet begonnen" in screen_text(app)
        assert "Begonnen 10:00" in await screen_after(pilot, "f5")
        shown = await screen_after(pilot, "f10")
        assert "Nog niet helemaal goed" in shown
        assert "✗ pas 29401000075801 geblokkeerd (verloren): nog actief" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "✗ Pas verloren" in await screen_after(pilot, "alt+e")


async def test_there_are_no_exercises_in_production(db, config, clock):
    app = app_for(db, config, clock, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Oefeningen" not in screen_text(app)
        await pilot.press("alt+e")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
