"""Issue 14 through the screens (Pilot, 80x24): leaving step 4 or 5 unfinished asks what to do
and records the answer (findings 1 and 2); 0091 offers no Registreren (finding 3); Klanten ▸
Openstaande inschrijvingen lists the open registrations and offers the step again."""

from __future__ import annotations

from tests.factories import make_manual_customer, screen_text
from tests.settlement_factories import new_lener
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.followups import OpenRegistrationsScreen, QuestionScreen, ReasonScreen
from tui_desk.screens.mandate import MandateScreen
from tui_desk.screens.menu import MENU_ITEMS
from tui_desk.screens.settlement import SettleChoiceScreen, SettlementScreen
from tui_desk.services import followups
from tui_desk.store import customers as customer_store
from tui_desk.store import settlement as settlement_store


def open_kinds(db, customer_id):
    return followups.open_kinds(db, customer_id)


def assert_shown(app, *texts: str) -> None:
    """Each of ``texts`` is on the screen (the first one missing is named)."""
    shown = screen_text(app)
    for text in texts:
        assert text in shown, text


async def open_step_4(pilot, db, **options) -> tuple[int, list]:
    """Step 4 (AFREKENEN NIEUWE LENER) of a new lener, € 52,00 open, on the screen: the
    customer and the list the screen's ``on_done`` fills."""
    customer_id, ids = new_lener(db)
    done: list = []
    await pilot.app.push_screen(SettlementScreen(customer_id, invoice_ids=ids,
                                                 on_done=done.append, **options))
    await pilot.pause()
    return customer_id, done


async def test_esc_in_step_4_asks_and_keep_open_records_the_reason(app, db):
    """Finding 2: Esc in step 4 left the amount neither paid, waived nor registered."""
    async with app.run_test(size=(80, 24)) as pilot:
        customer_id, done = await open_step_4(pilot, db, ask_on_leave=True)
        await pilot.press("escape")
        assert isinstance(app.screen, QuestionScreen)
        assert_shown(app, "Afrekenen niet afgerond", "Er staat nog € 52,00 open",
                     "R  Registreren: contributiebrief", "O  Open laten met een reden",
                     "T  Terug naar afrekenen")
        await pilot.press("t")                            # Terug: nothing recorded
        assert isinstance(app.screen, SettlementScreen) and done == []
        await pilot.press("escape", "o")
        assert isinstance(app.screen, ReasonScreen)
        assert "Klant betaalt later aan de balie" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SettlementScreen) and len(done) == 1
    assert open_kinds(db, customer_id) == {"betaling"}
    assert [n.text for n in customer_store.notices(db, customer_id)] == [
        "Open inschrijving: eerste bedrag € 52,00 onbetaald"]


async def test_esc_in_step_4_can_register_the_amount(app, db):
    async with app.run_test(size=(80, 24)) as pilot:
        customer_id, done = await open_step_4(pilot, db, ask_on_leave=True)
        await pilot.press("escape", "r")
        await pilot.pause()
        assert len(done) == 1
    assert settlement_store.registered_cents(db, customer_id) == 5200
    assert db.scalar("SELECT count(*) FROM contribution_letters WHERE customer_id = ?",
                     (customer_id,)) == 1
    assert open_kinds(db, customer_id) == set()


async def test_without_the_question_esc_still_just_leaves(app, db):
    async with app.run_test(size=(80, 24)) as pilot:
        _customer_id, done = await open_step_4(pilot, db)
        await pilot.press("escape")
        await pilot.pause()
        assert len(done) == 1


async def test_step_5_without_a_mandate_asks_on_esc_and_on_f10(app, db):
    """Finding 1: Esc or F10 left the mandate screen without a mandate, silently."""
    customer_id = make_manual_customer(db)
    done = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen(MandateScreen(customer_id, on_done=done.append,
                                                  ask_on_leave=True, printer=lambda f: None))
        await pilot.pause()
        await pilot.press("f10")
        assert isinstance(app.screen, QuestionScreen)
        assert_shown(app, "Incassomachtiging niet verwerkt", "nog geen verwerkte",
                     "L  Later: de machtiging volgt", "B  Geen incasso: contributiebrief",
                     "T  Terug naar de machtiging")
        await pilot.press("escape")                       # Terug
        assert isinstance(app.screen, MandateScreen) and done == []
        await pilot.press("escape", "l")
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert len(done) == 1 and not done[0].direct_debit
    assert open_kinds(db, customer_id) == {"machtiging"}
    assert customer_store.notices(db, customer_id)[0].text.startswith(
        "Open inschrijving: machtiging vóór ")


async def test_0091_offers_only_kwijtschelden(app, db):
    """Finding 3: "Maandabonnement (0091) ... abonnementsgeld altijd direct betalen"."""
    from tui_desk.store.tariffs import load_tariffs

    load_tariffs(db)
    customer_id, ids = new_lener(db, 1100)
    db.execute("UPDATE subscription_periods SET tariff_code = '0091' WHERE customer_id = ?",
               (customer_id,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen(SettlementScreen(customer_id, invoice_ids=ids,
                                                     ask_on_leave=True))
        await pilot.pause()
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, SettleChoiceScreen)
        text = screen_text(app)
        assert "K  Kwijtschelden" in text and "R  Registreren" not in text
        assert "Maandabonnement: abonnementsgeld altijd" in text
        await pilot.press("r")                            # not offered: nothing happens
        assert isinstance(app.screen, SettleChoiceScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, QuestionScreen)
        assert "R  Registreren" not in screen_text(app)
    assert settlement_store.registered_cents(db, customer_id) == 0


async def test_the_open_list_shows_the_branchs_registrations_and_finishes_them(
        app, db, clock, config, staff):
    assert ("Openstaande inschrijvingen", "openstaande_inschrijvingen") in MENU_ITEMS["Klanten"]
    customer_id, ids = new_lener(db)
    followups.keep_open(db, clock, staff, config, customer_id, followups.PAYMENT,
                        "Klant betaalt volgende week")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("openstaande_inschrijvingen")
        await pilot.pause()
        assert isinstance(app.screen, OpenRegistrationsScreen)
        text = screen_text(app)
        for expected in ("Openstaande inschrijvingen", "vestiging 9401: 1", "A. van de Test",
                         "betaling", "Klant betaalt volgende week"):
            assert expected in text, expected
        await pilot.press("enter")                        # afronden: step 4 again
        await pilot.pause()
        assert isinstance(app.screen, SettlementScreen)
        await pilot.press("escape", "r")                  # registreren now
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == customer_id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpenRegistrationsScreen)
        assert "Er staan geen inschrijvingen open" in screen_text(app)
    assert open_kinds(db, customer_id) == set()
