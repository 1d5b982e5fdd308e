"""Snapshots of the main screens at 80x24 (pytest-textual-snapshot), so a layout change is seen
in review: the SVG of each screen is kept in ``__snapshots__/test_screens/`` beside this file.

Deterministic by construction: the demo database seeded once per module from a fixed seed and
day (``seed_demo``), a copy per test, a fixed clock (28-11-2026 10:00), the demo configuration,
the cursor does not blink, animations off, the data folder (scan inbox, demo printer) in the
test's own folder. Each test reaches its screen with the keys a clerk presses (or by pushing the
screen as its caller does) and waits until the screen's text is there before the shot.

A shot takes 0.5-2.5 s on an idle machine (the screen built, laid out and exported as SVG);
the wizard's steps 1-3 are typed key by key, as the clerk does, and take a few seconds more.

After an intended layout change: ``pytest tests/snapshots --snapshot-update`` and review the
changed SVGs in the diff (README, "Tests").
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.factories import fill, screen_text, wait_until
from tests.settlement_factories import make_invoice
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.services.desk import Desk
from tui_desk.store import staff as staff_store
from tui_desk.store.db import Database, open_database
from tui_desk.store.demo import ensure_demo

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 10, 0)
SIZE = (80, 24)
MANUAL_CARD = "29401000075801"  # Mw. A. van de Test, the manual's customer (in the demo)
TABS = ("klant", "naw", "contributie", "overig", "meldingen", "passen")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A demo database of 50 customers (the manual's and the special ones among them)."""
    path = tmp_path_factory.mktemp("snapshots") / "demo.sqlite3"
    ensure_demo(path, demo_config(), TODAY, customers=50).close()
    return path


@pytest.fixture
def db(template, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template, path)
    database = open_database(path, environment="demo")
    yield database
    database.close()


@pytest.fixture
def app(db):
    desk = Desk(config=demo_config(), db=db, demo=True, clock=FixedClock(NOW),
                staff=staff_store.by_username(db, "balie"))
    app = TuiDeskApp(desk)
    app.animation_level = "none"
    return app


def customer_by_card(db: Database, number: str) -> int:
    return int(db.one("SELECT customer_id FROM cards WHERE number = ?", (number,))[0])


def with_active_mandate(db: Database) -> int:
    return int(db.one("SELECT min(customer_id) FROM mandates WHERE status = 'active'")[0])


async def shown(pilot, *texts: str) -> None:
    """Wait until every text is on the screen (and the footer's keys are laid out)."""
    try:
        await wait_until(pilot, lambda: all(t in screen_text(pilot.app) for t in texts))
    except AssertionError:
        raise AssertionError(f"not on the screen: {texts}\n{screen_text(pilot.app)}") from None
    await pilot.pause()


async def enter(pilot, text: str) -> None:
    if text:
        await fill(pilot, text)
    await pilot.press("enter")


async def step_1(pilot) -> None:
    """Ctrl+N and a customer typed in as the manual does (not one the demo already has)."""
    await pilot.press("ctrl+n")
    await shown(pilot, "Klantgegevens")
    await pilot.press("V", "enter")                          # Klantnummer: next free number
    for text in ("J", "", "Vermeulen", "", "12-03-1985", ""):  # …, Geboortedatum, Land
        await enter(pilot, text)
    await enter(pilot, "9468 BG")
    await enter(pilot, "7")
    await pilot.press("enter")                               # Toevoeging
    await shown(pilot, "Kruisakkers")


async def step_1_complete(pilot) -> None:
    await step_1(pilot)
    pilot.app.screen.query_one("#f-gender").focus()
    await pilot.pause()
    await pilot.press("m")
    pilot.app.screen.query_one("#f-email").focus()
    await pilot.pause()
    await fill(pilot, "j.vermeulen@example.nl")
    await pilot.press("f10")


def test_main(snap_compare, app):
    async def run_before(pilot):
        await shown(pilot, "J. de Balie", "Einde sessie")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_zoek_klant_with_hits(snap_compare, app):
    async def run_before(pilot):
        await pilot.press("alt+z")
        await shown(pilot, "Zoek klant")
        await fill(pilot, "Boer")
        await pilot.press("enter")
        await shown(pilot, "gevonden")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("tab", TABS)
def test_record_tab(snap_compare, app, db, tab):
    customer_id = customer_by_card(db, MANUAL_CARD)

    async def run_before(pilot):
        pilot.app.open_customer(customer_id, tab=tab)
        await shown(pilot, "van de Test")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# The wizard's steps 1-3 are typed as at the desk: 2-3 s each (every Enter moves the focus in
# a form of ~130 widgets); steps 4 and 5 are the screens the wizard pushes after step 3.
def test_wizard_step_1_klantgegevens(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=step_1)


def test_wizard_step_2_inlogaccount(snap_compare, app):
    async def run_before(pilot):
        await step_1_complete(pilot)
        await shown(pilot, "Inlogaccount")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_wizard_step_3_abonnement(snap_compare, app):
    async def run_before(pilot):
        await step_1_complete(pilot)
        await shown(pilot, "Inlogaccount")
        await pilot.press("f10")
        await shown(pilot, "Abonnement", "Tariefcode")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_wizard_step_4_afrekenen(snap_compare, app, db):
    from tui_desk.screens.settlement import SettlementScreen

    customer_id = customer_by_card(db, MANUAL_CARD)
    with db.transaction():
        invoice = make_invoice(db, customer_id, 5200)

    async def run_before(pilot):
        await pilot.app.push_screen(SettlementScreen(customer_id, invoice_ids=[invoice],
                                                     ask_on_leave=True, mandate_follows=True))
        await shown(pilot, "AFREKENEN NIEUWE LENER", "Herstel")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_wizard_step_5_incassomachtiging(snap_compare, app, db):
    customer_id = customer_by_card(db, MANUAL_CARD)

    async def run_before(pilot):
        await open_mandate(pilot, customer_id)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def open_mandate(pilot, customer_id: int) -> None:
    from tui_desk.screens.mandate import MandateScreen

    await pilot.app.push_screen(MandateScreen(customer_id, ask_on_leave=True))
    await shown(pilot, "Incassomachtiging", "Print machtiging")


# The mandate's dialogs, each opened with its key on the mandate screen.
@pytest.mark.parametrize(("key", "title"), [
    ("f5", "Geef de bankrekeninggegevens in"),
    ("f6", "Verwerk machtiging"),
    ("f2", "IBAN"),
    ("f9", "Intrekken"),
], ids=["bankgegevens", "verwerk", "iban_wijzigen", "intrekken"])
def test_mandate_dialog(snap_compare, app, db, key, title):
    customer_id = with_active_mandate(db) if key == "f9" else customer_by_card(db, MANUAL_CARD)

    async def run_before(pilot):
        await open_mandate(pilot, customer_id)
        screen = pilot.app.screen
        await pilot.press(key)
        await wait_until(pilot, lambda: pilot.app.screen is not screen)
        await shown(pilot, title)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
