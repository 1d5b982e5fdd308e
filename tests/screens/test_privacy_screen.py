"""Privacy (AVG) on the record and in step 1 (Pilot, 80x24): consents withdrawn at once with
their history on tab 4, blocks in the header and on Alt+M, inzage, uitschrijven with an
Uitschrijfbewijs, and the guardian rows of step 1 only for a minor."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_customer, make_staff, screen_after, screen_text, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.privacy import PrivacyScreen
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.services import privacy
from tui_desk.services.desk import Desk
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs


@pytest.fixture
def app(db, config, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    load_tariffs(db)
    load_postcodes(db)
    staff = make_staff(db, name="J. de Balie")
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
    app.animation_level = "none"
    return app


def row_of(table, key: str) -> int:
    keys = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
            for r in range(table.row_count)]
    return keys.index(key)


async def open_privacy(app, pilot, customer_id):
    app.open_customer(customer_id)
    await pilot.pause()
    assert isinstance(app.screen, CustomerScreen)
    await pilot.press("alt+v")
    await pilot.pause()
    assert isinstance(app.screen, PrivacyScreen)
    return app.screen.query_one("#privacy-table")


async def test_withdrawing_a_consent_on_the_record_takes_effect_and_shows_on_tab_4(app, db,
                                                                                  clock):
    staff = app.desk.staff
    cid = make_customer(db, surname="Lezer", newsletter=0)
    privacy.give_consent(db, clock, staff, cid, "nieuwsbrief", "formulier")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_privacy(app, pilot, cid)
        assert "ja, gegeven 28-11-2026 op formulier" in screen_text(app)
        table.move_cursor(row=row_of(table, "consent:nieuwsbrief"))
        assert "toestemming ingetrokken" in await screen_after(pilot, "enter")
        assert db.scalar("SELECT newsletter FROM customers WHERE id = ?", (cid,)) == 0
        await pilot.press("escape")
        await pilot.pause()
        text = await screen_after(pilot, "4")
        assert "Toestemmingen" in text and "Nieuwsbrief: gegeven 28-11-2026 op formulier" in text
        assert "ingetrokken" in text


async def test_a_block_shows_in_the_header_and_on_alt_m(app, db):
    cid = make_customer(db, surname="Blok")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_privacy(app, pilot, cid)
        table.move_cursor(row=row_of(table, "block:new"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right", "right", "tab")     # Gedrag
        for ch in "Scheldt":
            await pilot.press(ch)
        assert "Blokkade vastgelegd" in await screen_after(pilot, "f2")
        assert "BLOKKADE: Gedrag" in await screen_after(pilot, "escape")
        assert "Gedrag: Scheldt" in await screen_after(pilot, "alt+m")
    [entry] = [e for e in privacy.audit.for_customer(db, cid) if e.entity == "block"]
    assert entry.action == "insert"


async def test_inzage_from_the_record_writes_json_and_text(app, db, tmp_path):
    cid = make_customer(db, surname="Inzicht")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_privacy(app, pilot, cid)
        assert "Inzage geschreven" in await screen_after(pilot, "f3")
    [written] = list((tmp_path / "data" / "tui-desk" / "inzage").glob("*.json"))
    assert json.loads(written.read_text())["gegevens"]["customers"][0]["surname"] == "Inzicht"
    assert written.with_suffix(".txt").exists()


async def test_uitschrijven_asks_twice_and_prints_the_uitschrijfbewijs(app, db):
    cid = make_customer(db, surname="Vertrekker",
                        periods=[{"start_date": "2026-04-15", "end_date": "2027-04-30",
                                  "status": "Normaal", "amount_cents": 5600}])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_privacy(app, pilot, cid)
        await pilot.press("f4")
        await pilot.pause()
        assert db.scalar("SELECT deregistered_on FROM customers WHERE id = ?", (cid,)) is None
        await pilot.press("f4")
        for _ in range(50):
            await pilot.pause(0.05)
            if db.scalar("SELECT COUNT(*) FROM print_jobs WHERE kind = 'uitschrijfbewijs'"):
                break
    assert db.scalar("SELECT deregistered_on FROM customers WHERE id = ?", (cid,)) == \
        "2026-11-28"
    assert db.scalar("SELECT COUNT(*) FROM print_jobs WHERE kind = 'uitschrijfbewijs' "
                     "AND customer_id = ?", (cid,)) == 1


async def test_step_1_asks_for_a_guardian_only_for_a_minor_and_fits_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerStepScreen)
        assert not screen.query_one("#row-guardian_card").display
        birth = screen.query_one("#f-birth_date")
        birth.focus()
        birth.value = "01-02-2000"
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.query_one("#row-guardian_card").display
        birth.focus()
        birth.value = "01-02-2017"
        await pilot.pause()
        assert not screen.query_one("#row-guardian_card").display   # not while typing
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "f-guardian_card")
        for name in ("guardian_card", "guardian_relation", "guardian_name", "guardian_phone",
                     "guardian_email"):
            assert screen.query_one(f"#row-{name}").display, name
        assert "guardian_card" in screen.service.required(screen.draft)
        # on screen at 80x24 (focus scrolls the form after a refresh: a condition, not one pause)
        card = screen.query_one("#f-guardian_card")
        card.focus()
        await wait_until(pilot, lambda: 0 < card.region.bottom <= 22)
        # the preferences are at the end of the form
        screen.query_one("#f-language").focus()
        await wait_until(pilot, lambda: "Berichten / taal" in screen_text(app))
