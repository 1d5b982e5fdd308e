"""Financieel ▸ Onbekende scans through the screens (Pilot, 80x24): scans no printed form waits
for, matched by hand (archived at once, or on to Verwerk machtiging with the scan chosen) or
removed after a second V."""

from __future__ import annotations

import dataclasses

import pytest

from tests.factories import (
    fill,
    make_customer,
    make_manual_customer,
    make_staff,
    screen_text,
    wait_until,
)
from tui_desk.app import TuiDeskApp
from tui_desk.config import ScanningSettings
from tui_desk.devices.pdf import mandate_pdf
from tui_desk.screens.mandate import ProcessMandateScreen
from tui_desk.screens.unknown_scans import CodeScreen, UnknownScansScreen
from tui_desk.services import mandates as svc
from tui_desk.services.desk import Desk
from tui_desk.store import mandates as store

IBAN = "NL20INGB0001234567"


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def staff(db):
    return make_staff(db)


@pytest.fixture
def app(db, config, clock, staff, inbox):
    config = dataclasses.replace(config, scanning=ScanningSettings(inbox=inbox))
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))


async def settle(app, pilot) -> None:
    """Until the screen shown has done its reading: the list is read on a worker, which a
    screen just pushed starts only when it is mounted (waiting for the workers alone can come
    before that)."""
    def done() -> bool:
        if any(not w.is_finished for w in app.workers):
            return False
        screen = app.screen
        if isinstance(screen, UnknownScansScreen):
            return screen.is_mounted and "wordt gelezen" not in screen_text(app)
        return True

    await wait_until(pilot, done)
    await pilot.pause()


async def test_match_by_hand_and_remove(app, db, clock, staff, config, inbox):
    waiting = make_manual_customer(db)
    other = make_customer(db, actor_id=400001)
    pending = svc.print_new_mandate(db, clock, staff, config, waiting, IBAN, "", "A", "ANNEN")
    done = svc.print_new_mandate(db, clock, staff, config, other, IBAN, "", "B", "ASSEN")
    svc.process_mandate(db, clock, staff, other, done.document_code, "none")   # Geen upload
    (inbox / "b-kreukel.pdf").write_bytes(b"%PDF-1.4\n")        # unreadable: no code
    (inbox / "a-later.pdf").write_bytes(mandate_pdf(done))      # the newest: the first row
    (inbox / "c-wacht.pdf").write_bytes(mandate_pdf(pending))   # Scan pagina will find it
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_onbekende_scans()
        await settle(app, pilot)
        assert isinstance(app.screen, UnknownScansScreen)
        text = screen_text(app)
        assert "a-later.pdf" in text and "verwerkt zonder scan" in text
        assert "b-kreukel.pdf" in text and "geen code gevonden" in text
        assert "c-wacht.pdf" not in text and "2 onbekende scan(s)" in text

        await pilot.press("k")                       # a-later: the form without a scan
        assert isinstance(app.screen, CodeScreen)
        await fill(pilot, done.document_code)
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.document_file(db, done.document_code)[0] == "a-later.pdf"
        assert not (inbox / "a-later.pdf").exists()
        # gone from the list (the message line above the footer names it: "… bewaard bij …")
        listed = [line for line in screen_text(app).splitlines() if "bewaard bij" not in line]
        assert not any("a-later.pdf" in line for line in listed)

        await pilot.press("v")                       # b-kreukel: asks first
        assert "Druk nog eens V" in screen_text(app)
        await pilot.press("v")
        await settle(app, pilot)
        assert not (inbox / "b-kreukel.pdf").exists()
        assert "Geen onbekende scans" in screen_text(app)

        (inbox / "d-los.pdf").write_bytes(b"%PDF-1.4\n")
        await pilot.press("f5")                      # Vernieuwen
        await settle(app, pilot)
        assert "d-los.pdf" in screen_text(app)
        await pilot.press("k")
        await fill(pilot, pending.document_code)     # a form that waits: Verwerk machtiging
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProcessMandateScreen)
        text = screen_text(app)
        assert "[Selecteer bestand]" in text and "Mw. A. van de Test" in text
        assert app.screen._chosen_scan().name == "d-los.pdf"
        assert app.screen.query_one("#md-code").value == pending.document_code
