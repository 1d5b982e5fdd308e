"""Shortcuts as a real terminal sends them: bytes → Textual's parser → the bound action.

A Pilot ``press("ctrl+alt+n")`` fires a binding no terminal can reach; these tests start from the
bytes an xterm/PuTTY-style terminal writes (over SSH, Ctrl+Alt+letter is ESC + Ctrl+letter).
"""

from __future__ import annotations

import pytest
from textual._xterm_parser import XTermParser

from tests.factories import make_customer, make_staff
from tui_desk import keymap
from tui_desk.app import TuiDeskApp
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.help_screen import HelpScreen
from tui_desk.screens.main import MainScreen
from tui_desk.screens.menu import MenuScreen
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.search import DirectSearchScreen, SearchScreen
from tui_desk.services.desk import Desk

ESC = "\x1b"


def ctrl(letter: str) -> str:
    return chr(ord(letter.upper()) - 64)


# What the terminal writes for the key the person presses (the Wise shortcut where one exists).
TERMINAL_BYTES = {
    "zoek_klant": ESC + "z",                    # Alt+Z
    "zoek_klant_direct": ctrl("z"),             # Ctrl+Z
    "zoek_vorige_lijst": ESC + "l",             # Alt+L (Wise's Ctrl+Alt+Z is taken by Ctrl+Z)
    "vorige_klant": ESC + ctrl("v"),            # Ctrl+Alt+V
    "nieuwe_klant": ESC + ctrl("n"),            # Ctrl+Alt+N
    "klantenadministratie": ESC + "a",          # Alt+A
    "menu_klanten": ESC + "k",                  # Alt+K
    "menu_financieel": ESC + "c",               # Alt+C (ESC f is Ctrl+Right: word move)
    "menu_oefeningen": ESC + "e",               # Alt+E (training database only)
    "help": ESC + "OP",                         # F1
    "einde_sessie": ESC + "[24~",               # F12
    "melding": ESC + "m",                       # Alt+M
    "ledenpas": ESC + ctrl("p"),                # Ctrl+Alt+P
    "inschrijfbewijs": ESC + "w",               # Alt+W (Ctrl+Alt+I arrives as Shift+Tab)
    "klantbon": ESC + "p",                      # Alt+P
    "afrekenen": ESC + "r",                     # Alt+R
    "inlogaccount": ESC + "[18~",               # F7
    "incassomachtiging": ESC + "[17~",          # F6 (Ctrl+Alt+C arrives as Ctrl+C)
    "muteer_abonnement": ESC + "[19~",          # F8
    "opzeggen": ESC + "o",                      # Alt+O
    "nieuwe_pas": ESC + "n",                    # Alt+N
    "privacy": ESC + "v",                       # Alt+V
}
F10 = ESC + "[21~"


def parse(data: str) -> list:
    parser = XTermParser()
    return list(parser.feed(data)) + list(parser.feed(""))


def test_every_shortcut_in_the_keymap_has_its_terminal_bytes():
    assert {k.action for k in keymap.GLOBAL + keymap.RECORD} == set(TERMINAL_BYTES)


@pytest.mark.parametrize("key", keymap.GLOBAL + keymap.RECORD, ids=lambda k: k.action)
def test_terminal_bytes_arrive_as_the_bound_key(key):
    [event] = parse(TERMINAL_BYTES[key.action])
    assert event.key == key.key


def test_f10_arrives_as_f10():
    assert [e.key for e in parse(F10)] == ["f10"]


@pytest.fixture
def app(db, config, clock):
    from tui_desk.store.postcodes import load_postcodes

    load_postcodes(db)
    staff = make_staff(db)
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
    app.customer_id = make_customer(db, surname="Toetsenbord")
    return app


async def send(pilot, data: str) -> None:
    """Deliver terminal bytes the way the driver does: parsed, then sent to the app."""
    app = pilot.app
    for event in parse(data):
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize(
    ("action", "screen_class"),
    [
        ("zoek_klant", SearchScreen),
        ("zoek_klant_direct", DirectSearchScreen),
        ("zoek_vorige_lijst", SearchScreen),
        ("nieuwe_klant", CustomerStepScreen),
        ("menu_klanten", MenuScreen),
        ("menu_oefeningen", MenuScreen),
        ("help", HelpScreen),
    ],
)
async def test_shortcut_bytes_open_their_screen(app, action, screen_class):
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, MainScreen)
        await send(pilot, TERMINAL_BYTES[action])
        assert isinstance(app.screen, screen_class)


async def test_ctrl_alt_n_works_while_typing_in_a_field(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, TERMINAL_BYTES["zoek_klant"])
        await send(pilot, "Jan")
        await send(pilot, TERMINAL_BYTES["nieuwe_klant"])
        assert isinstance(app.screen, CustomerStepScreen)


async def test_vorige_klant_alt_a_alt_m_and_f12_from_bytes(app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_customer(app.customer_id)
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
        await send(pilot, TERMINAL_BYTES["melding"])
        assert app.screen.query_one("TabbedContent").active == "tab-meldingen"
        await send(pilot, TERMINAL_BYTES["einde_sessie"])
        assert isinstance(app.screen, MainScreen)
        await send(pilot, TERMINAL_BYTES["vorige_klant"])
        assert isinstance(app.screen, CustomerScreen)
        await send(pilot, TERMINAL_BYTES["einde_sessie"])
        await send(pilot, TERMINAL_BYTES["klantenadministratie"])
        assert isinstance(app.screen, CustomerScreen)


async def test_f10_in_step_1_is_ok_vervolg(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, TERMINAL_BYTES["nieuwe_klant"])
        await send(pilot, F10)
        assert "verplicht" in str(app.screen.query_one("#msg-card_number").render())


async def test_f12_on_the_main_screen_signs_out(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, TERMINAL_BYTES["einde_sessie"])
        assert app.return_code is not None or not app.is_running
