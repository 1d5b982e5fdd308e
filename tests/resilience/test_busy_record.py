"""Issue 13, finding 6 on the customer record: with another process holding the database's write
lock, F2 on 2.NAW-Gegevens (and Nieuwe pas, and recording a mandate) never freezes the screen:
keys echo, "Even wachten" shows at once, after ``[database] busy_wait`` a Dutch message with the
typed data kept, and the key can be pressed again."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from tests.factories import (
    MANUAL_CARD,
    make_manual_customer,
    make_staff,
    screen_text,
    wait_until,
)
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens.card_replace import ReplaceCardScreen
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.mandate import (
    DoneScreen,
    MandateScreen,
    ProcessMandateScreen,
    ReviewMandateScreen,
)
from tui_desk.services import customers
from tui_desk.services import mandates as mandate_svc
from tui_desk.services.desk import Desk
from tui_desk.store.tariffs import load_tariffs
from tui_desk.widgets.busy import BusyLine

BUSY_WAIT = 1.0          # seconds a write waits for the lock before the message (test config)
MIN_TURNS = 5            # event-loop turns while a write waits BUSY_WAIT (blocked: 1-2)
DAY = FixedClock(dt.datetime(2026, 11, 28, 10, 0))


@pytest.fixture
def desk(db, config):
    load_tariffs(db)
    staff = make_staff(db, name="J. de Balie")
    db.busy_wait = BUSY_WAIT
    return Desk(config=config, db=db, demo=True, clock=DAY, staff=staff)


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def threaded(desk: Desk) -> TuiDeskApp:
    app = TuiDeskApp(desk)
    app.inline_writes = False          # the real thing: writes run on a worker thread
    app.hold_on_screen_change = True
    return app


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another counter: a second connection holding BEGIN IMMEDIATE until the block ends."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        taken.set()
        release.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join(5)


class Loop:
    """Runs the app until a condition holds; counts the event loop's turns while the lock is held.

    A write waiting on the event loop would block it for the whole wait: it would turn once
    or twice. Turns are counted (by a task of their own, whatever the test awaits meanwhile),
    not timed: a loaded machine stretches single turns (CI saw one of 0.4 s), never makes their
    number that low.
    """

    def __init__(self) -> None:
        self.turns: list[int] = []      # per hold
        self.current = 0                # in the hold going on

    @contextlib.asynccontextmanager
    async def holding(self, path: Path) -> AsyncIterator[None]:
        """Another counter holds the write lock for the block; the loop's turns are counted."""
        self.current = 0
        done = False

        async def tick() -> None:
            while not done:
                await asyncio.sleep(0.01)
                self.current += 1

        task = asyncio.create_task(tick())
        try:
            with write_lock_held(path):
                yield
        finally:
            done = True
            await task
            self.turns.append(self.current)

    async def until(self, condition: Callable[[], bool], timeout: float = 8.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise AssertionError("condition not reached")
            await asyncio.sleep(0.01)

    def kept_turning(self) -> bool:
        """Whether the loop turned freely while the first write waited BUSY_WAIT for the lock."""
        return bool(self.turns) and self.turns[0] >= MIN_TURNS


async def record_shown(app: TuiDeskApp, pilot) -> None:  # a Pilot
    await wait_until(pilot, lambda: isinstance(app.screen, CustomerScreen)
                     and app.screen.is_mounted and bool(app.screen.query("#naw-status")))
    await pilot.pause()


@contextlib.asynccontextmanager
async def record_open(desk: Desk) -> AsyncIterator[tuple[TuiDeskApp, Any, int]]:
    """The manual's customer's record, open in an app whose writes run on a worker thread."""
    customer_id = make_manual_customer(desk.db)
    app = threaded(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_customer(customer_id)
        await record_shown(app, pilot)
        yield app, pilot, customer_id


def busy_text(screen) -> str:  # a Textual screen
    lines = screen.query(BusyLine)
    if lines and lines.first().has_class("shown"):
        return lines.first().text
    return ""


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_f2_on_naw_while_another_counter_writes_keeps_typing_and_the_typed_data(desk):
    db = desk.db
    customer_id = make_manual_customer(db)
    app = threaded(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_customer(customer_id, tab="naw")
        await record_shown(app, pilot)
        screen = app.screen
        surname = screen.query_one("#naw-surname", Input)
        status = screen.query_one("#naw-status", Static)
        surname.focus()
        surname.value = "Proe"
        await pilot.press("end")
        loop = Loop()
        # The other counter keeps the lock longer than busy_wait: a Dutch message on the tab
        # (no dialog), the fields as typed, and F2 can be pressed again.
        db.busy_wait = BUSY_WAIT
        async with loop.holding(Path(db.path)):
            await pilot.press("f2")
            await loop.until(lambda: "bezet door een andere balie" in shown(screen,
                                                                              "#naw-status"))
        assert app.screen is screen and busy_text(screen) == ""
        assert "Wat u typte is bewaard" in shown(screen, "#naw-status")
        # The whole sentence, on two lines, not cut off at 80 columns (once laid out).
        await wait_until(pilot, lambda: status.size.height >= 2)
        assert surname.value == "Proe"
        assert customers.load(db, customer_id).surname == "Test"
        # Again, while the other counter writes a moment: the screen says at once that it
        # waits, and keys echo meanwhile (the save does not wait on the event loop).
        db.busy_wait = 30
        async with loop.holding(Path(db.path)):
            await pilot.press("f2")
            await loop.until(lambda: busy_text(screen).startswith("Even wachten"))
            await pilot.press("f")
            await loop.until(lambda: surname.value == "Proef")
            assert busy_text(screen).startswith("Even wachten")     # still waiting
        await wait_until(pilot, lambda: "Opgeslagen." in shown(screen, "#naw-status"))
        assert loop.kept_turning(), loop.turns
        # What F2 saved is what the fields showed then; the "f" typed meanwhile stays typed.
        assert customers.load(db, customer_id).surname == "Proe"
        assert surname.value == "Proef"
        await pilot.press("f2")
        await wait_until(pilot, lambda: customers.load(db, customer_id).surname == "Proef")


async def refused_while_busy(pilot, loop: Loop, dialog, message: str) -> None:
    """Enter in ``dialog`` while another counter keeps the lock longer than this one waits:
    the dialog says so in its ``message`` widget."""
    db = pilot.app.desk.db
    db.busy_wait = BUSY_WAIT
    async with loop.holding(Path(db.path)):
        await pilot.press("enter")
        await loop.until(lambda: "bezet door een andere balie" in shown(dialog, message))


async def waits_while_busy(pilot, loop: Loop, dialog) -> None:
    """Enter in ``dialog`` while another counter writes a moment: "Even wachten" is in view at
    once, and Enter pressed again meanwhile ("nothing happens") does not start a second save."""
    db = pilot.app.desk.db
    db.busy_wait = 30
    async with loop.holding(Path(db.path)):
        await pilot.press("enter")
        await loop.until(lambda: "Even wachten" in screen_text(pilot.app))
        await pilot.press("enter", "enter")
        assert busy_text(dialog).startswith("Even wachten")


async def test_nieuwe_pas_while_another_counter_writes_waits_then_says_so_and_charges_once(desk):
    db = desk.db
    async with record_open(desk) as (app, pilot, customer_id):
        await pilot.press("alt+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplaceCardScreen))
        dialog = app.screen
        loop = Loop()
        await refused_while_busy(pilot, loop, dialog, "#replace-message")   # Enter: Verloren
        assert app.screen is dialog                      # the reason can be chosen again
        assert db.scalar("SELECT count(*) FROM cards WHERE customer_id = ?", (customer_id,)) == 1
        await waits_while_busy(pilot, loop, dialog)
        # The record again (the training printer's preview of the new card on top of it).
        await wait_until(pilot, lambda: dialog not in app.screen_stack)
        assert loop.kept_turning(), loop.turns
        assert isinstance(app.screen_stack[1], CustomerScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
    statuses = sorted(r["status"] for r in db.all(
        "SELECT status FROM cards WHERE customer_id = ?", (customer_id,)))
    assert statuses == ["actief", "geblokkeerd"]
    assert db.scalar("SELECT status FROM cards WHERE number = ?", (MANUAL_CARD,)) == "geblokkeerd"
    assert db.scalar("SELECT count(*) FROM invoices WHERE customer_id = ? AND description "
                     "LIKE 'Vervangende pas%'", (customer_id,)) == 1


async def test_recording_a_mandate_while_another_counter_writes_keeps_the_dialog(desk, config):
    db, clock, staff = desk.db, desk.clock, desk.staff
    customer_id = make_manual_customer(db)
    form = mandate_svc.print_new_mandate(db, clock, staff, config, customer_id,
                                         "NL20INGB0001234567", "", "Mw. A. van de Test", "ANNEN")
    app = threaded(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(MandateScreen(customer_id))
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, ProcessMandateScreen))
        dialog = app.screen
        dialog.query_one("#md-source").value = "none"          # Geen upload
        code = dialog.query_one("#md-code", Input)
        code.value = form.document_code
        await pilot.press("enter")                               # Controleer
        await pilot.press("f10")                                 # Opslaan
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewMandateScreen))
        review = app.screen
        loop = Loop()
        await refused_while_busy(pilot, loop, review, ".md-message")          # Enter: OK
        assert app.screen is review and code.value == form.document_code
        assert not mandate_svc.has_incasso(db, customer_id)
        await waits_while_busy(pilot, loop, review)                           # OK again
        await wait_until(pilot, lambda: isinstance(app.screen, DoneScreen)
                         and bool(app.screen.query("#md-done-text")))
        assert loop.kept_turning(), loop.turns
        assert "Vastleggen klantdocument voltooid" in shown(app.screen, "#md-done-text")
    assert mandate_svc.has_incasso(db, customer_id)
    assert db.scalar("SELECT count(*) FROM mandates WHERE customer_id = ? AND status = "
                     "'active'", (customer_id,)) == 1


async def test_printing_from_the_record_while_another_counter_writes_stores_the_job_later(desk):
    # The print job is stored off the event loop: while another counter holds the lock the
    # screen keeps turning, and the job is stored once the lock is free. (On the event loop the
    # store blocks it until busy_wait runs out, then fails: no job at all.)
    db = desk.db
    async with record_open(desk) as (app, pilot, customer_id):
        screen = app.screen
        loop = Loop()
        db.busy_wait = 2
        jobs = "SELECT count(*) FROM print_jobs WHERE customer_id = ?"
        before = db.scalar(jobs, (customer_id,))
        async with loop.holding(Path(db.path)):
            screen.action_inschrijfbewijs()
            # Blocked, the loop could not turn until the store gave up (busy_wait): no job.
            await loop.until(lambda: loop.current >= MIN_TURNS)
        await wait_until(pilot, lambda: db.scalar(jobs, (customer_id,)) == before + 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and screen in app.screen_stack
        assert "bezet" not in screen_text(app)
