"""An unmapped login gets the sign-in screen; the menu works only after signing in."""

from __future__ import annotations

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.rules.pins import hash_pin
from tui_desk.screens.main import MainScreen
from tui_desk.screens.signin import SignInScreen
from tui_desk.services.desk import Desk
from tui_desk.store import staff as staff_store


async def test_sign_in_with_username_and_pin(db, config, clock):
    member = make_staff(db, username="jbalie", name="J. de Balie")
    staff_store.update(db, member.id, pin_hash=hash_pin("4321"))
    app = TuiDeskApp(Desk(config=config, db=db, demo=False, clock=clock, login="piet"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("alt+z")                   # nothing opens before sign-in
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"jbalie", "enter", *"0000", "enter")
        assert "onjuist" in str(app.screen.query_one("#signin-error").render())
        assert app.screen.query_one("#signin-user").value == "jbalie"
        await pilot.press(*"4321", "enter")
        assert isinstance(app.screen, MainScreen)
        assert app.desk.staff.username == "jbalie"
        assert "J. de Balie" in str(app.screen.query_one("MenuBar").render())
        assert "OEFENOMGEVING" not in str(app.screen.query_one("MenuBar").render())
