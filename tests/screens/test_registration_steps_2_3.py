"""Steps 2 and 3 of the wizard through the screens (Pilot, 80x24)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import counter_desk, screen_text
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_done import RegistrationDoneScreen
from tui_desk.screens.registration_login import LoginStepScreen
from tui_desk.screens.registration_subscription import SubscriptionStepScreen
from tui_desk.services.identity import AccountName, LocalIdentityService
from tui_desk.services.registration import RegistrationService

MANUAL_DAY = dt.datetime(2021, 4, 15, 10, 0)


@pytest.fixture
def desk(db, config):
    return counter_desk(db, config, MANUAL_DAY)


def draft_for(desk, **values):
    service = RegistrationService(desk.db, desk.clock, desk.staff, desk.config)
    draft = service.start()
    service.issue_card(draft)
    fields = {"initials": "A", "prefix": "van der", "surname": "Test",
              "birth_date": "01-01-1991", "postcode": "9468 BG", "house_number": "41",
              "gender": "V", "email": "a.test@example.nl"}
    fields.update(values)
    for name, value in fields.items():
        service.set(draft, name, value)
    service.lookup_address(draft)
    service.finish_customer_step(draft, duplicates_seen=True)
    return service, draft


async def open_step(app, pilot, service, draft, step: str | None = None):
    """The wizard's step ``step`` (by default the one ``draft`` is at) on the screen: that
    screen."""
    app.open_registration_step(service, draft, step)
    await pilot.pause()
    return app.screen


def text(widget) -> str:
    return str(widget.render())


async def test_step_3_shows_the_manuals_cost_build_up_and_saves(desk):
    service, draft = draft_for(desk, use_login="Nee", email="", no_email="Ja")
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        assert isinstance(app.screen, SubscriptionStepScreen)
        table = app.screen.query_one("#sub-tariffs")
        codes = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
                 for r in range(table.row_count)]
        table.move_cursor(row=codes.index("0045"))
        await pilot.pause()
        shown = screen_text(app)
        for line in ("Naam         A. van der Test  Abonnement  € 52,00",
                     "Leeftijd     30               Korting     € 0,00",
                     "Tariefcode   0045             Saldo       € 52,00",
                     "Vervalmaand  April            Geldig t/m  April 2022",
                     "Rechten t/m  30-04-2022"):
            assert line in shown
        await pilot.press("enter", "f10")
        assert isinstance(app.screen, RegistrationDoneScreen)
        assert app.screen.done.open_invoice_ids


async def test_a_refused_tariff_says_why_and_cannot_be_saved(desk):
    service, draft = draft_for(desk, use_login="Nee", email="", no_email="Ja")
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        table = app.screen.query_one("#sub-tariffs")
        codes = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
                 for r in range(table.row_count)]
        table.move_cursor(row=codes.index("0049"))      # monthly debit: needs a mandate
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, SubscriptionStepScreen)
        assert "incasso" in text(app.screen.query_one("#sub-message")).lower()


async def test_a_youth_member_gets_jeugd_preselected(desk):
    service, draft = draft_for(desk, birth_date="01-06-2005", first_name="Anna",
                               use_login="Nee", email="", no_email="Ja",
                               guardian_name="B. Test", guardian_relation="moeder",
                               guardian_phone="0612345678")
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        table = app.screen.query_one("#sub-tariffs")
        row = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        assert row == "0011"


async def test_step_2_generates_a_new_account_when_step_3_saves(desk):
    service, draft = draft_for(desk)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        assert isinstance(app.screen, LoginStepScreen)
        await pilot.press("f10")
        assert isinstance(app.screen, SubscriptionStepScreen)
        await pilot.press("f10")
        assert isinstance(app.screen, RegistrationDoneScreen)
        login = app.screen.done.login
        assert login.username == "atest" and login.message == "Genereren van inlogaccount gelukt"
        outbox = desk.db.all("SELECT to_addr, body_text FROM mail_outbox")
        assert [r["to_addr"] for r in outbox] == ["a.test@example.nl"]
        assert "atest" in outbox[0]["body_text"]


async def test_step_2_finds_an_existing_account_case_sensitively(desk):
    identity = LocalIdentityService(desk.db, desk.clock)
    account = identity.create_account("oud@example.nl", AccountName("B.", "", "Verhuisd"))
    identity.activate_username(account.username)
    service, draft = draft_for(desk)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        await pilot.press("left")
        await pilot.pause()
        field = app.screen.query_one("#login-username")
        field.focus()
        field.value = account.username.upper()
        await pilot.press("enter")
        assert "Geen inlogaccount gevonden" in text(app.screen.query_one("#login-message"))
        field.value = account.username
        await pilot.press("enter")
        assert text(app.screen.query_one("#login-result-email")) == "oud@example.nl"
        await pilot.press("f10")
        assert isinstance(app.screen, SubscriptionStepScreen)
        assert draft.values["login_username"] == account.username
