"""Steps 2 and 3 are built once per session and shown again, emptied, for the next
registration, as step 1 is (issue 20: CPU per registration). Counted: screens composed."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests.screens.test_registration_steps_2_3 import (  # noqa: F401 - the fixture desk
    desk,
    draft_for,
    open_step,
)
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_login import LoginStepScreen
from tui_desk.screens.registration_subscription import SubscriptionStepScreen
from tui_desk.services.registration import (
    LOGIN_EXISTING,
    LOGIN_GENERATED,
    STEP_LOGIN,
    STEP_SUBSCRIPTION,
)
from tui_desk.widgets.choice import Choice


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_next_registration_gets_the_same_steps_2_and_3(desk, monkeypatch):  # noqa: F811
    composed: list[object] = []
    for kind in (LoginStepScreen, SubscriptionStepScreen):
        original = kind.compose_body

        def compose_body(self, _original=original):
            composed.append(self)
            return _original(self)

        monkeypatch.setattr(kind, "compose_body", compose_body)
    first_service, first = draft_for(desk, surname="Eerste", email="eerste@example.nl")
    second_service, second = draft_for(desk, surname="Tweede", email="tweede@example.nl",
                                       use_login="Nee")
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        login = await open_step(app, pilot, first_service, first)
        assert isinstance(login, LoginStepScreen)
        assert "Eerste" in _text(login, "#login-customer")
        # The first clerk looks for an existing account: the screen changes.
        login.query_one("#login-mode", Choice).value = LOGIN_EXISTING
        await pilot.pause()
        login.query_one("#login-username", Input).value = "iemand"
        await pilot.press("f10")  # not found: a message, the step stays
        await pilot.pause()
        assert login.query_one("#login-message").render()
        tariffs = await open_step(app, pilot, first_service, first, STEP_SUBSCRIPTION)
        assert isinstance(tariffs, SubscriptionStepScreen)
        first_rows = tariffs.query_one("#sub-tariffs", DataTable).row_count

        # The next registration: the same two screens, showing the next draft only.
        assert await open_step(app, pilot, second_service, second, STEP_LOGIN) is login
        assert "Tweede" in _text(login, "#login-customer")
        assert "Eerste" not in _text(login, "#login-customer")
        assert login.query_one("#login-mode", Choice).value == LOGIN_GENERATED
        assert login.query_one("#login-username", Input).value == ""
        assert _text(login, "#login-message") == ""
        assert not login.query_one("#login-existing").display
        assert app.focused is login.query_one("#login-mode")
        assert await open_step(app, pilot, second_service, second, STEP_SUBSCRIPTION) is tariffs
        assert tariffs.draft is second and tariffs.chosen is None
        assert tariffs.query_one("#sub-tariffs", DataTable).row_count == first_rows
        assert app.focused is tariffs.query_one("#sub-tariffs")
        assert composed == [login, tariffs]  # each built once
