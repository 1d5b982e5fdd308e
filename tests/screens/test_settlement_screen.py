"""AFREKENEN NIEUWE LENER through the screen (Pilot at 80x24): the manual's € 52,00 paid with
€ 60,00, 2x Enter → Registreren, Kwijtschelden refused without the permission, Herstel, a free
subscription, and Financieel ▸ Kas."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, screen_text, wait_until
from tests.settlement_factories import new_lener
from tui_desk.app import TuiDeskApp
from tui_desk.screens.cash import CashScreen
from tui_desk.screens.settlement import SettleChoiceScreen, SettlementScreen
from tui_desk.services import settlement as svc
from tui_desk.services.desk import Desk
from tui_desk.store import outbox
from tui_desk.store import settlement as store


def amount(app) -> str:
    return str(app.screen.query_one("#set-change").render())


async def open_settlement(pilot, customer_id, invoice_ids, **kwargs) -> SettlementScreen:
    screen = SettlementScreen(customer_id, invoice_ids=invoice_ids, **kwargs)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    # The footer lists the screen's keys once it has been laid out (slower under load).
    await wait_until(pilot, lambda: "Herstel" in screen_text(pilot.app))
    return screen


async def test_52_with_60_tendered_shows_8_change_and_f10_settles(app, db):
    customer_id, ids = new_lener(db)
    receipts, done = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settlement(pilot, customer_id, ids, receipt_sink=receipts.append,
                              on_done=done.append)
        text = screen_text(app)
        for expected in ("AFREKENEN NIEUWE LENER", "A. van de Test", "Ontvangstwijze",
                         "Kas Annen", "Sessie €", "Te ontvangen €", "€ 52,00",
                         "Restant sessie €", "F10=Afrekenen, vul e.v. bedrag in voor",
                         "2x Enter=Naar kwijtschelden of registreren", "F10", "Herstel"):
            assert expected in text, expected
        await pilot.press("6", "0")
        assert "Teruggave € 8,00" in amount(app)
        assert "Teruggave € 8,00" in screen_text(app)
        await pilot.press("f10")
        await wait_until(pilot, lambda: "Afgerekend" in screen_text(app))
        assert "Teruggave € 8,00" in screen_text(app)
        [payment] = store.payments_of(db, customer_id)
        assert (payment.amount_cents, payment.tendered_cents, payment.change_cents) == (
            5200, 6000, 800)
        [receipt] = receipts
        assert receipt.customer_name == "A. van de Test" and receipt.change_cents == 800
        await pilot.press("enter")
        assert not isinstance(app.screen, SettlementScreen)
        assert done[0].due_cents == 0


async def test_two_enters_then_registreren_puts_the_letter_in_the_outbox(app, db):
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settlement(pilot, customer_id, ids)
        await pilot.press("enter")
        assert "Nog een keer Enter" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, SettleChoiceScreen)
        await pilot.press("r")
        assert isinstance(app.screen, SettlementScreen)
        assert "geregistreerd" in screen_text(app)
        [mail] = outbox.recent(db, customer_id=customer_id)
        assert mail.kind == "contributiebrief" and "€ 52,00" in mail.body_text
        assert svc.open_amounts(db, customer_id).registered_cents == 5200


async def test_kwijtschelden_is_refused_without_the_permission(app, db):
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settlement(pilot, customer_id, ids)
        await pilot.press("enter", "enter", "k")
        assert isinstance(app.screen, SettlementScreen)
        assert "Kwijtschelden mag alleen" in screen_text(app)
        assert db.scalar("SELECT COUNT(*) FROM waivers") == 0


async def test_beheer_waives_with_a_reason(db, config, clock):
    beheer = make_staff(db, "beheer", "B. Heer", roles="balie,beheer")
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=beheer))
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settlement(pilot, customer_id, ids)
        await pilot.press("enter", "enter", "k")
        await pilot.press("enter")                    # the first reason: Coulance
        assert "kwijtgescholden (Coulance)" in screen_text(app)
        assert db.scalar("SELECT reason FROM waivers") == "Coulance"


async def test_herstel_undoes_what_was_typed_and_pin_refuses_too_much(app, db):
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settlement(pilot, customer_id, ids)
        await pilot.press("6", "0")
        await pilot.press("f5")
        assert screen.query_one("#set-input").value == ""
        assert "Teruggave" not in amount(app)
        screen.query_one("#set-method").focus()
        await pilot.press("p", "enter", "6", "0")     # PIN, € 60,00 > € 52,00
        assert "Met PIN kan niet meer" in amount(app)
        await pilot.press("f10")
        assert store.payments_of(db, customer_id) == []


async def test_a_part_payment_keeps_the_screen_open(app, db):
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settlement(pilot, customer_id, ids, receipt_sink=lambda r: None)
        await pilot.press("2", "0", "f10")
        assert "Nog open € 32,00" in screen_text(app)
        assert screen.session.due_cents == 3200 and not screen.finished


async def test_a_free_subscription_skips_the_payment(app, db):
    customer_id, ids = new_lener(db, None)
    done = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settlement(pilot, customer_id, ids, on_done=done.append)
        assert "Gratis abonnement: er hoeft niets betaald te worden." in screen_text(app)
        await pilot.press("f10")
        assert not isinstance(app.screen, SettlementScreen)
        assert done and done[0].free


async def test_cash_screen_shows_totals_and_records_a_cash_up(app, db, clock, staff, config):
    customer_id, ids = new_lener(db)
    s = svc.session(db, clock, staff, customer_id, invoice_ids=ids, config=config)
    svc.pay(db, clock, staff, s, "kas", 5200, 6000)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen(CashScreen())
        await pilot.pause()
        text = screen_text(app)
        assert "Kas Annen" in text and "€ 52,00" in text and "Verwacht in kas" in text
        await pilot.press("5", "0", "f10")
        assert "Kasverschil: € 2,00 te weinig." in screen_text(app)
        row = store.last_cash_up(db, s.register.id)
        assert (row.expected_cents, row.counted_cents, row.difference_cents) == (5200, 5000,
                                                                                 -200)


# What a real terminal (xterm, PuTTY, over SSH) writes for the keys of these screens.
SCREEN_KEYS = {"f10": "\x1b[21~", "f5": "\x1b[15~", "f2": "\x1bOQ", "escape": "\x1b",
               "enter": "\r", "k": "k", "r": "r",
               # the form keys (keymap.FORM)
               "down": "\x1b[B", "up": "\x1b[A", "pagedown": "\x1b[6~", "pageup": "\x1b[5~",
               "end": "\x1b[F", "home": "\x1b[H"}


@pytest.mark.parametrize("screen_class", [SettlementScreen, CashScreen, SettleChoiceScreen])
def test_every_key_of_the_screens_arrives_from_a_real_terminal(screen_class):
    from textual._xterm_parser import XTermParser

    for binding in screen_class.BINDINGS:
        for key in binding.key.split(","):
            parser = XTermParser()
            events = list(parser.feed(SCREEN_KEYS[key])) + list(parser.feed(""))
            assert [e.key for e in events] == [key]
