"""The record's actions: Muteer abonnement, Opzeggen, Inlogaccount, Nieuwe pas (Pilot, 80x24)."""

from __future__ import annotations

import pytest

from tests.factories import MANUAL_CARD, make_manual_customer, make_staff, screen_text
from tui_desk.app import TuiDeskApp
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.login_account import LoginAccountScreen
from tui_desk.screens.subscription_change import (
    CancelSubscriptionScreen,
    ChangeSubscriptionScreen,
)
from tui_desk.services.desk import Desk
from tui_desk.store.tariffs import load_tariffs


@pytest.fixture
def app(db, config, clock):
    load_tariffs(db)
    staff = make_staff(db, name="J. de Balie")
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
    app.animation_level = "none"
    return app


async def open_record(app, pilot, customer_id):
    app.open_customer(customer_id)
    await pilot.pause()
    assert isinstance(app.screen, CustomerScreen)


async def open_action(app, pilot, customer_id, key: str, dialog: type):
    """The record of ``customer_id``, then ``key``: the action's ``dialog`` is on top."""
    await open_record(app, pilot, customer_id)
    await pilot.press(key)
    assert isinstance(app.screen, dialog)
    return app.screen


def subscriber(db) -> int:
    """The manual's customer with a period running from 15-04-2026 to 30-04-2027."""
    return make_manual_customer(
        db, periods=[{"start_date": "2026-04-15", "end_date": "2027-04-30",
                      "status": "Normaal", "amount_cents": 5600}])


async def test_muteer_abonnement_starts_a_new_period_from_today(app, db, clock):
    customer_id = subscriber(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_action(app, pilot, customer_id, "f8", ChangeSubscriptionScreen)
        table = screen.query_one("DataTable")
        codes = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
                 for r in range(table.row_count)]
        table.move_cursor(row=codes.index("0053"))
        await pilot.pause()
        assert "Tariefcode   0053" in screen_text(app)
        await pilot.press("f10")
        assert isinstance(app.screen, CustomerScreen)
    periods = db.all("SELECT tariff_code, start_date, status FROM subscription_periods "
                     "WHERE customer_id = ? ORDER BY id", (customer_id,))
    assert periods[-1]["tariff_code"] == "0053"
    assert periods[-1]["start_date"] == clock.today().isoformat()


async def test_opzeggen_needs_a_reason_and_ends_the_period(app, db):
    customer_id = subscriber(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_action(app, pilot, customer_id, "alt+o", CancelSubscriptionScreen)
        await pilot.press("enter")                    # per direct → the reason field
        await pilot.press("f10")
        assert "reden" in screen_text(app).lower()
        app.screen.query_one("#cancel-reason").value = "Verhuisd"
        await pilot.press("f10")
        assert isinstance(app.screen, CustomerScreen)
    status = db.scalar("SELECT status FROM subscription_periods WHERE customer_id = ? "
                       "ORDER BY id DESC LIMIT 1", (customer_id,))
    assert status == "Opgezegd"


async def test_inlogaccount_generate_then_forget(app, db):
    customer_id = make_manual_customer(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_action(app, pilot, customer_id, "f7", LoginAccountScreen)
        assert "geen inlogaccount" in screen_text(app)
        await pilot.press("f8")
        assert "Genereren van inlogaccount gelukt" in screen_text(app)
        await pilot.press("f7")
        assert "geen inlogaccount" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerScreen)
    assert db.scalar("SELECT count(*) FROM mail_outbox WHERE customer_id = ?",
                     (customer_id,)) == 1


async def test_nieuwe_pas_blocks_the_lost_card_and_queues_the_new_card(app, db):
    customer_id = make_manual_customer(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(app, pilot, customer_id)
        await pilot.press("alt+n")
        await pilot.press("enter")                    # Verloren
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    statuses = dict(db.all("SELECT number, status FROM cards WHERE customer_id = ?",
                           (customer_id,)))
    assert statuses[MANUAL_CARD] == "geblokkeerd"
    [new] = [n for n, s in statuses.items() if s == "actief"]
    jobs = db.all("SELECT kind, status FROM print_jobs WHERE customer_id = ?", (customer_id,))
    assert [j["kind"] for j in jobs] == ["ledenpas"]
    assert new != MANUAL_CARD
