"""Issue 13, finding 1: nothing after a save re-validates step 1 against its own card, and a
second OK returns the customer saved the first time."""

from __future__ import annotations

from tests.screens.test_registration_steps_2_3 import (  # noqa: F401 - the fixture desk
    desk,
    draft_for,
    open_step,
)
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_done import RegistrationDoneScreen
from tui_desk.screens.registration_subscription import SubscriptionStepScreen


def test_a_second_register_returns_the_customer_saved_the_first_time(desk):  # noqa: F811
    service, draft = draft_for(desk, use_login="Nee", email="", no_email="Ja")
    first = service.register(draft, "0045")
    again = service.register(draft, "0045")
    assert again.customer_id == first.customer_id
    assert again.open_invoice_ids == first.open_invoice_ids
    assert desk.db.scalar("SELECT count(*) FROM customers WHERE surname = 'Test'") == 1


async def test_a_row_highlight_after_the_save_does_not_crash_the_wizard(desk):  # noqa: F811
    service, draft = draft_for(desk, use_login="Nee", email="", no_email="Ja")
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        step = await open_step(app, pilot, service, draft)
        assert isinstance(step, SubscriptionStepScreen)
        await pilot.press("f10")
        assert isinstance(app.screen, RegistrationDoneScreen)
        # A highlight event that was still queued for the old screen arrives now.
        step._show(step.choices[0])
        await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
        assert isinstance(app.screen, RegistrationDoneScreen)
