"""Printwachtrij at 80x24: the jobs of this workstation, retry and cancel from the keyboard,
and the Afdrukvoorbeeld of the demo printer."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from textual.widgets import DataTable

from tests.factories import (
    MANUAL_CARD,
    make_customer,
    make_manual_customer,
    make_staff,
    screen_text,
    wait_until,
)
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.config import PrintingSettings, Workstation
from tui_desk.screens.print_preview import PrintPreviewScreen
from tui_desk.screens.print_queue import PrintQueueScreen, print_for_customer
from tui_desk.services import printing
from tui_desk.services.desk import Desk
from tui_desk.store import print_jobs as store

NOW = dt.datetime(2026, 11, 28, 10, 0)
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def no_ssh(monkeypatch):
    for name in ("TUI_DESK_WORKSTATION", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cfg(config, tmp_path):
    return replace(config, printing=PrintingSettings(tries=1, retry_delay=0, timeout=0.3,
                                                     demo_folder=tmp_path / "demo"))


@pytest.fixture
def setup(db, cfg, tmp_path):
    """A printed klantbon, a failed ledenpas (its folder is missing) and a job elsewhere."""
    clock = FixedClock(NOW)
    with db.transaction():
        staff = make_staff(db)
        manual = make_manual_customer(db)
        odd = make_customer(db, initials="B.", surname="[b]Vet[/b]")
    here = printing.resolve_workstation(cfg, {}, demo=True)
    missing = tmp_path / "cards"
    broken = replace(here, card_printer=f"file://{missing}/card.bin")
    assert printing.print_klantbon(db, clock, cfg, here, manual).ok
    clock.advance(minutes=1)
    failed = printing.print_ledenpas(db, clock, cfg, broken, odd)
    assert not failed.ok
    elsewhere = Workstation("assen-1", "9402", receipt_printer="demo:")
    printing.print_klantbon(db, clock, cfg, elsewhere, manual)
    app = TuiDeskApp(Desk(config=cfg, db=db, demo=True, clock=clock, staff=staff))
    app.animation_level = "none"
    return app, failed.job.id, missing, manual


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#queue-table", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_queue(app, pilot) -> None:
    app.push_screen(PrintQueueScreen())
    await pilot.pause()


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_queue_lists_this_workstations_jobs(setup):
    app, failed_id, _missing, _manual = setup
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        # The footer lists the keys once laid out (slower under load).
        await wait_until(pilot, lambda: "Voorbeeld" in screen_text(app))
        text = screen_text(app)
        assert "Printwachtrij — werkplek oefenbalie" in text
        assert [r[1] for r in rows(app)] == ["Ledenpas", "Klantbon"]
        ledenpas, klantbon = rows(app)
        assert (ledenpas[0], klantbon[0]) == ("10:01", "10:00")        # today: the time
        assert (ledenpas[4], ledenpas[5]) == ("Mislukt", "1")
        assert klantbon[4] == "Geprint"
        assert "Laatste fout: Printer niet gevonden" in text
        assert "[b]Vet[/b]" in text                         # literally, never as markup
        for key in ("Opnieuw", "Annuleren", "Voorbeeld"):
            assert key in text                               # in the footer
        await pilot.press("t")
        assert len(rows(app)) == 3
        assert "alle werkplekken" in screen_text(app)


async def test_retry_a_failed_job_after_fixing_the_printer(setup):
    app, failed_id, missing, _manual = setup
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        missing.mkdir()                                      # the printer is back
        await pilot.press("o")
        await settle(app, pilot)
        assert rows(app)[0][4:6] == ["Verstuurd", "2"]           # a file does not answer
        assert (missing / "card.bin").stat().st_size > 80_000
        assert store.get(app.desk.db, failed_id).last_error == ""
        await pilot.press("o")                               # printed: not again
        assert "alleen een mislukte opdracht kan opnieuw" in screen_text(app)


async def test_cancel_a_failed_job(setup):
    app, failed_id, _missing, _manual = setup
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("a")
        assert rows(app)[0][4] == "Geannuleerd"
        assert f"Opdracht {failed_id} geannuleerd." in screen_text(app)
        await pilot.press("down", "a")
        assert "kan niet worden geannuleerd" in screen_text(app)


async def test_preview_of_a_receipt(setup):
    app, _failed_id, _missing, _manual = setup
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("down", "v")
        assert isinstance(app.screen, PrintPreviewScreen)
        text = screen_text(app)
        assert "KLANTGEGEVENS" in text and "Mw. A. van de Test" in text
        await pilot.press("end")                              # a long receipt scrolls
        assert "[CODABAR A29401000075801B]" in screen_text(app)
        assert "Oefenprinter: er is niets echt geprint." in text
        await pilot.press("escape")
        assert isinstance(app.screen, PrintQueueScreen)


async def test_print_ledenpas_from_a_screen_shows_the_card_in_demo_mode(setup):
    app, _failed_id, _missing, manual = setup
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        print_for_customer(app, "ledenpas", manual)
        await settle(app, pilot)
        assert isinstance(app.screen, PrintPreviewScreen)
        text = screen_text(app)
        assert "Ledenpas — opdracht" in text
        assert "A. van de Test" in text and MANUAL_CARD in text
        await pilot.press("escape")
        print_for_customer(app, "ledenpas", manual)          # Enter again: no second card
        await settle(app, pilot)
        assert not isinstance(app.screen, PrintPreviewScreen)
        done = [j for j in printing.list_jobs(app.desk.db) if j.kind == "ledenpas"
                and j.customer_id == manual]
        assert len(done) == 1
