"""Issue 13 for the office screens (Kas, Berichten, Printwachtrij, Onbekende scans, Oefeningen,
Openstaande inschrijvingen, search, menu, sign-in) and, for injected faults, the settlement
screen and the wizard's steps.

- An unexpected exception from the service call a screen's main key makes (carrying personal
  data) shows the Dutch error dialog; the app goes on on a sane screen, nothing reaches the
  terminal, and the log holds no personal data.
- An expected failure (a ``DeskError``) is the screen's own Dutch message, not the dialog.
- With another counter holding the database's write lock, a screen's write waits off the event
  loop: the loop keeps turning, "Even wachten" shows, and the write is done afterwards.

``COVERED_SCREENS`` are the screen classes with a case below; ``NO_SERVICE_CALLS`` those that
make no service call of their own. ``test_every_screen_in_scope_is_accounted_for`` fails when a
screen class is added to one of these modules without either.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import importlib
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.screen import Screen

from tests.factories import (
    fill,
    make_customer,
    make_manual_customer,
    make_staff,
    screen_text,
    wait_until,
)
from tests.resilience.test_faults import (
    PERSONAL,
    assert_logged_without_personal_data,
    boom,
    forgiving,
    hold_write_lock,
    log,  # noqa: F401 - the fixture, used by name
)
from tests.screens.test_registration_steps_2_3 import draft_for
from tests.settlement_factories import new_lener
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.config import PrintingSettings, ScanningSettings
from tui_desk.devices.pdf import mandate_pdf
from tui_desk.errors import DeskError
from tui_desk.rules.pins import hash_pin
from tui_desk.screens.error import UNEXPECTED, ErrorDialog
from tui_desk.screens.main import MainScreen
from tui_desk.services import followups, mandates, printing
from tui_desk.services import settlement as settlement_svc
from tui_desk.services.desk import Desk
from tui_desk.store import outbox
from tui_desk.store import staff as staff_store
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs
from tui_desk.widgets.busy import BusyLine

NOW = dt.datetime(2026, 11, 28, 10, 0)
IBAN = "NL20INGB0001234567"
EXERCISE = "01-volwassene-pin"
REFUSED = "Dat kan nu niet: de proefbalie weigert het."

# Modules whose screens this file answers for (issue 13, the office part).
MODULES = ("cash", "followups", "messages", "print_queue", "unknown_scans", "exercise",
           "audit_log", "search", "main", "menu", "signin", "help_screen", "print_preview",
           "error", "settlement", "registration_customer", "registration_login",
           "registration_subscription")

COVERED_SCREENS = {
    "CashScreen", "MessagesScreen", "PrintQueueScreen", "UnknownScansScreen", "CodeScreen",
    "ExerciseScreen", "OpenRegistrationsScreen", "QuestionScreen", "ReasonScreen",
    "SearchScreen", "DirectSearchScreen", "MenuScreen", "SignInScreen", "SettlementScreen",
    "SettleChoiceScreen", "WaiveReasonScreen", "CustomerStepScreen", "LoginStepScreen",
    "SubscriptionStepScreen",
}
NO_SERVICE_CALLS = {
    "MainScreen": "shows the desk's own fields; the drafts offered at start are the app's call",
    "HelpScreen": "reads the help files shipped with the program, no service",
    "PrintPreviewScreen": "shows the lines its caller (the print queue, a print) gave it",
    "ErrorDialog": "shows a message it is given",
    "audit_log": "no screen: formats the record's 4.Overig tab, whose screen calls the service",
}


class Refused(DeskError):
    """An expected failure, as a service raises it."""


def refuse(*_args, **_kwargs):
    raise Refused(REFUSED)


# -- the office: one desk with something on every screen ------------------------------------
@dataclass
class Office:
    desk: Desk
    inbox: Path
    customer_id: int
    invoice_ids: list[int]
    document_code: str
    path: Path


@pytest.fixture(autouse=True)
def no_ssh(monkeypatch):
    for name in ("TUI_DESK_WORKSTATION", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def office(db, config, tmp_path) -> Office:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = dataclasses.replace(
        config, scanning=ScanningSettings(inbox=inbox),
        printing=PrintingSettings(tries=1, retry_delay=0, timeout=0.3,
                                  demo_folder=tmp_path / "demo"))
    clock = FixedClock(NOW)
    load_postcodes(db)
    load_tariffs(db)
    staff = make_staff(db, username="jbalie", name="J. de Balie")
    staff_store.update(db, staff.id, pin_hash=hash_pin("4321"))
    # Kas: a payment in cash today.
    paid, paid_ids = new_lener(db)
    session = settlement_svc.session(db, clock, staff, paid, invoice_ids=paid_ids, config=config)
    settlement_svc.pay(db, clock, staff, session, "kas", 5200, 6000)
    # Afrekenen and Openstaande inschrijvingen: an open invoice, kept open.
    customer_id, invoice_ids = new_lener(db, surname="Open")
    followups.keep_open(db, clock, staff, config, customer_id, followups.PAYMENT, "Geen pin")
    # Berichten: a parked mail.
    mail = outbox.enqueue(db, now=NOW, to_addr="a.test@example.nl", subject="Welkom",
                          body_text="Beste klant,\nwelkom.", kind="welkom")
    outbox.mark_parked(db, mail, "550 onbekend", NOW)
    # Printwachtrij: a ledenpas that failed (its folder is missing).
    here = printing.resolve_workstation(config, {}, demo=True)
    broken = dataclasses.replace(here, card_printer=f"file://{tmp_path}/missing/card.bin")
    assert not printing.print_ledenpas(db, clock, config, broken, customer_id).ok
    # Onbekende scans: a form processed without a scan, its scan in the inbox.
    other = make_customer(db, actor_id=400001)
    done = mandates.print_new_mandate(db, clock, staff, config, other, IBAN, "", "B", "ASSEN")
    mandates.process_mandate(db, clock, staff, other, done.document_code, "none")
    (inbox / "a-later.pdf").write_bytes(mandate_pdf(done))
    make_manual_customer(db)
    desk = Desk(config=config, db=db, demo=True, clock=clock, staff=staff,
                trainee="10.20.0.11")
    return Office(desk, inbox, customer_id, invoice_ids, done.document_code, Path(db.path))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shown(pilot, screen: Screen) -> None:
    await pilot.app.push_screen(screen)
    await settle(pilot)


# -- the cases: how to reach each screen, which service call its key makes ------------------
Opener = Callable[[object, Office], Awaitable[None]]


async def open_cash(pilot, office: Office) -> None:
    from tui_desk.screens.cash import CashScreen

    await shown(pilot, CashScreen())
    await pilot.press("5", "0")


async def open_messages(pilot, office: Office) -> None:
    from tui_desk.screens.messages import MessagesScreen

    await shown(pilot, MessagesScreen())


async def open_print_queue(pilot, office: Office) -> None:
    from tui_desk.screens.print_queue import PrintQueueScreen

    await shown(pilot, PrintQueueScreen())


async def open_unknown_scans(pilot, office: Office) -> None:
    from tui_desk.screens.unknown_scans import UnknownScansScreen

    await shown(pilot, UnknownScansScreen())
    await wait_until(pilot, lambda: "a-later.pdf" in screen_text(pilot.app))


async def open_code_dialog(pilot, office: Office) -> None:
    await open_unknown_scans(pilot, office)
    await pilot.press("k")
    await fill(pilot, office.document_code)


async def open_exercise(pilot, office: Office) -> None:
    from tui_desk.screens.exercise import ExerciseScreen

    await shown(pilot, ExerciseScreen(EXERCISE))


async def open_open_registrations(pilot, office: Office) -> None:
    pilot.app.action_openstaande_inschrijvingen()
    await settle(pilot)


async def open_settlement(pilot, office: Office) -> None:
    from tui_desk.screens.settlement import SettlementScreen

    await shown(pilot, SettlementScreen(office.customer_id, invoice_ids=office.invoice_ids,
                                        receipt_sink=lambda _r: None, ask_on_leave=True))
    await wait_until(pilot, lambda: "Herstel" in screen_text(pilot.app))


async def open_settlement_typed(pilot, office: Office) -> None:
    await open_settlement(pilot, office)
    await pilot.press("6", "0")


async def open_settle_choice(pilot, office: Office) -> None:
    await open_settlement(pilot, office)
    await pilot.press("enter", "enter")         # 2x Enter: kwijtschelden of registreren


async def open_waive_reason(pilot, office: Office) -> None:
    office.desk.staff = make_staff(office.desk.db, "beheer", "B. Heer", roles="balie,beheer")
    await open_settle_choice(pilot, office)
    await pilot.press("k")                      # Kwijtschelden: the reason


async def open_question(pilot, office: Office) -> None:
    await open_settlement(pilot, office)
    await pilot.press("escape")                 # leaving with an amount open asks


async def open_reason(pilot, office: Office) -> None:
    await open_question(pilot, office)
    await pilot.press("o")                      # Open laten: the reason dialog


async def open_search(pilot, office: Office) -> None:
    await pilot.press("alt+z")
    await settle(pilot)
    await fill(pilot, "Test")


async def open_direct_search(pilot, office: Office) -> None:
    await pilot.press("ctrl+z")
    await settle(pilot)
    await fill(pilot, "Test")


async def at_main(pilot, office: Office) -> None:
    await settle(pilot)


def wizard_step(step: str, **values) -> Opener:
    async def opener(pilot, office: Office) -> None:
        service, draft = draft_for(office.desk, **values)
        pilot.app.open_registration_step(service, draft, step)
        await settle(pilot)

    return opener


@dataclass(frozen=True)
class Case:
    id: str
    screen: str                   # the class that makes the call
    open: Opener
    target: str                   # the service function that fails ("module.attr")
    keys: tuple[str, ...]         # what the person presses to make the call
    signed_out: bool = False
    # The screen's message line is below the 24th row (step 1's status under the form): the
    # message is looked for in that widget, not on the visible screen.
    message_widget: str | None = None
    writes: bool = False          # a write: also run with the write lock held elsewhere
    done: Callable[[Office], bool] | None = None   # the write happened


def scalar(office: Office, sql: str) -> object:
    return office.desk.db.scalar(sql)


def exercise_state(office: Office) -> dict:
    from tui_desk.store.exercises import load_state

    return load_state(office.desk.db, EXERCISE)


CASES = [
    Case("Kas F10", "CashScreen", open_cash, "tui_desk.services.settlement.cash_up", ("f10",),
         writes=True, done=lambda o: scalar(o, "SELECT count(*) FROM cash_ups") == 1),
    Case("Kas totals", "CashScreen", open_cash, "tui_desk.services.settlement.cash_summary",
         ()),
    Case("Berichten F5", "MessagesScreen", open_messages, "tui_desk.services.mailer.retry_now",
         ("f5",), writes=True,
         done=lambda o: scalar(o, "SELECT status FROM mail_outbox") == "queued"),
    Case("Berichten list", "MessagesScreen", open_messages,
         "tui_desk.services.mailer.list_outbox", ()),
    Case("Printwachtrij O", "PrintQueueScreen", open_print_queue,
         "tui_desk.services.printing.request_retry", ("o",)),
    Case("Printwachtrij A", "PrintQueueScreen", open_print_queue,
         "tui_desk.services.printing.cancel", ("a",), writes=True,
         done=lambda o: scalar(o, "SELECT status FROM print_jobs") == "cancelled"),
    Case("Printwachtrij list", "PrintQueueScreen", open_print_queue,
         "tui_desk.services.printing.list_jobs", ()),
    Case("Onbekende scans V", "UnknownScansScreen", open_unknown_scans,
         "tui_desk.services.scans.remove", ("v", "v")),
    Case("Onbekende scans K", "CodeScreen", open_code_dialog,
         "tui_desk.services.mandates.match_by_hand", ("enter",), writes=True,
         done=lambda o: not (o.inbox / "a-later.pdf").exists()),
    Case("Oefening F5", "ExerciseScreen", open_exercise, "tui_desk.services.exercises.start",
         ("f5",), writes=True,
         done=lambda o: "started" in exercise_state(o)),
    Case("Oefening F10", "ExerciseScreen", open_exercise, "tui_desk.services.exercises.check",
         ("f10",), writes=True,
         done=lambda o: "checked" in exercise_state(o)),
    Case("Openstaande inschrijvingen", "OpenRegistrationsScreen", open_open_registrations,
         "tui_desk.services.followups.open_for_branch", ()),
    Case("Openstaande inschrijvingen Enter", "OpenRegistrationsScreen",
         open_open_registrations, "tui_desk.services.followups.open_kinds", ("enter",)),
    Case("Afrekenen F10", "SettlementScreen", open_settlement_typed,
         "tui_desk.services.settlement.pay_typed", ("f10",), writes=True,
         done=lambda o: scalar(o, "SELECT count(*) FROM payments") == 2),
    Case("Afrekenen registreren", "SettleChoiceScreen", open_settle_choice,
         "tui_desk.services.settlement.register_open", ("r",)),
    Case("Afrekenen kwijtschelden", "WaiveReasonScreen", open_waive_reason,
         "tui_desk.services.settlement.waive", ("enter",), writes=True,
         done=lambda o: scalar(o, "SELECT count(*) FROM waivers") == 1),
    Case("Afrekenen verlaten: registreren", "QuestionScreen", open_question,
         "tui_desk.services.settlement.register_open", ("r",)),
    Case("Afrekenen verlaten: reden", "ReasonScreen", open_reason,
         "tui_desk.services.followups.keep_open", ("enter",), writes=True,
         done=lambda o: scalar(o, "SELECT reason FROM open_followups")
         == followups.DEFAULT_REASONS[followups.PAYMENT]),
    Case("Zoek klant", "SearchScreen", open_search, "tui_desk.services.search.search",
         ("enter",)),
    Case("Zoek klant direct", "DirectSearchScreen", open_direct_search,
         "tui_desk.services.search.search", ("enter",)),
    Case("Menu Oefeningen", "MenuScreen", at_main, "tui_desk.services.exercises.state",
         ("alt+e",)),
    Case("Aanmelden", "SignInScreen", at_main, "tui_desk.screens.signin.sign_in",
         tuple("jbalie") + ("enter",) + tuple("4321") + ("enter",), signed_out=True,
         writes=True, done=lambda o: o.desk.staff is not None),
    Case("Stap 1 F10", "CustomerStepScreen", wizard_step("klantgegevens"),
         "tui_desk.services.registration.RegistrationService.finish_customer_step", ("f10",),
         message_widget="#reg-status"),
    Case("Stap 2 F10", "LoginStepScreen", wizard_step("inlogaccount", use_login="Ja"),
         "tui_desk.services.registration.RegistrationService.choose_login", ("f10",)),
    Case("Stap 3 F10", "SubscriptionStepScreen",
         wizard_step("abonnement", use_login="Nee", email="", no_email="Ja"),
         "tui_desk.services.registration.RegistrationService.register", ("f10",)),
]
IDS = [c.id for c in CASES]


def patch(monkeypatch, target: str, replacement) -> None:
    """Make ``target`` ("package.module.function" or "package.module.Class.method") raise."""
    module, _, attr = target.rpartition(".")
    try:
        owner = importlib.import_module(module)
    except ImportError:
        module, _, cls = module.rpartition(".")
        owner = getattr(importlib.import_module(module), cls)
    assert hasattr(owner, attr), target
    monkeypatch.setattr(owner, attr, replacement)


def app_for(office: Office, case: Case) -> TuiDeskApp:
    if case.signed_out:
        office.desk.staff = None
        office.desk.login = "piet"
    return forgiving(office.desk)


# -- injected faults ------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_an_unexpected_fault_shows_the_dialog_and_the_session_goes_on(
        office, log, monkeypatch, capfd, case):  # noqa: F811 - log is the fixture
    app = app_for(office, case)
    calls = []

    def failing(*args, **kwargs):
        calls.append(case.target)
        boom(*args, **kwargs)

    async with app.run_test(size=(80, 24)) as pilot:
        if case.keys:
            await case.open(pilot, office)
            patch(monkeypatch, case.target, failing)
            await pilot.press(*case.keys)
        else:  # the call the screen makes when it is shown
            patch(monkeypatch, case.target, failing)
            await case.open(pilot, office)
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert calls, f"{case.target} was not called"
        assert app.screen.message == UNEXPECTED
        assert UNEXPECTED.split(".")[0] in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.return_code in (None, 0)
        if case.keys:
            assert not isinstance(app.screen, ErrorDialog)
        # (A list read when the screen is shown is read again when the dialog closes, and
        # fails again while the fault lasts: the dialog may come back; F12 still leaves.)
        # A sane screen: one that takes keys. Back to the main screen (or still signing in).
        if case.signed_out:
            assert type(app.screen).__name__ == "SignInScreen"
        else:
            for _ in range(6):
                if isinstance(app.screen, MainScreen):
                    break
                await pilot.press("f12")
                await settle(pilot)
                if not isinstance(app.screen, MainScreen) and app.screen.is_modal:
                    await pilot.press("escape")
                    await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        for value in PERSONAL:
            assert value not in screen_text(app)
    terminal = capfd.readouterr()
    assert "Traceback" not in terminal.out + terminal.err
    for value in PERSONAL:
        assert value not in terminal.out + terminal.err
    assert_logged_without_personal_data(log)


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_an_expected_failure_is_the_screens_own_dutch_message(office, monkeypatch, case):
    app = app_for(office, case)
    app.strict_errors = True     # an unexpected error here fails the test
    async with app.run_test(size=(80, 24)) as pilot:
        if case.keys:
            await case.open(pilot, office)
            patch(monkeypatch, case.target, refuse)
            await pilot.press(*case.keys)
        else:
            patch(monkeypatch, case.target, refuse)
            await case.open(pilot, office)
        def told() -> bool:
            if case.message_widget:
                return REFUSED in str(app.screen.query_one(case.message_widget).render())
            return REFUSED in " ".join(screen_text(app).split())

        await wait_until(pilot, told)
        assert UNEXPECTED.split(".")[0] not in screen_text(app)
        assert app.is_running


DIALOGS = "tui_desk.screens.dialogs."  # a screen module's dialogs, one a module there


def test_every_screen_in_scope_is_accounted_for():
    found = set()
    for name in MODULES:
        module = importlib.import_module(f"tui_desk.screens.{name}")
        classes = {n for n, obj in inspect.getmembers(module, inspect.isclass)
                   if issubclass(obj, Screen) and (obj.__module__ == module.__name__
                                                   or obj.__module__.startswith(DIALOGS))}
        found |= classes or {name}
    assert found == COVERED_SCREENS | set(NO_SERVICE_CALLS)
    assert not COVERED_SCREENS & set(NO_SERVICE_CALLS)
    assert COVERED_SCREENS == {c.screen for c in CASES}


# -- the write lock held by another counter ---------------------------------------------------
HOLD_SECONDS = 0.8


def locked(path: Path) -> bool:
    """Whether another connection holds the write lock (BEGIN IMMEDIATE fails at once)."""
    import sqlite3

    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


@pytest.mark.parametrize("case", [c for c in CASES if c.writes],
                         ids=[c.id for c in CASES if c.writes])
async def test_a_write_waits_for_another_counter_without_freezing_the_screen(office, case):
    """The lock is held 0.8 s by another connection (as another counter would): long enough
    to see the wait, short enough for the suite. The event loop keeps turning meanwhile, the
    busy line says "Even wachten" while the write waits, and the write is done afterwards."""
    app = app_for(office, case)
    async with app.run_test(size=(80, 24)) as pilot:
        await case.open(pilot, office)
        *typed, last = case.keys
        await pilot.press(*typed)
        await settle(pilot)
        app.inline_writes = False          # the real thing: the write runs on a thread
        loop = asyncio.get_running_loop()
        seen = threading.Event()
        holder = loop.run_in_executor(None, hold_write_lock, office.path, HOLD_SECONDS, seen)
        await wait_until(pilot, lambda: locked(office.path))   # the other counter has it
        await pilot.press(last)            # the key that writes
        stalls: list[float] = []
        seen_waiting = False
        started = time.monotonic()
        while not (holder.done() and case.done(office)):
            tick = time.monotonic()
            await asyncio.sleep(0.01)
            if not holder.done():      # while the other counter holds the lock
                stalls.append(time.monotonic() - tick)
            assert time.monotonic() - started < 12, "the write did not finish"
            for line in app.screen_stack[-1].query(BusyLine) if app.screen_stack else ():
                if line.has_class("shown") and "Even wachten" in line.text:
                    seen_waiting = True
                    seen.set()
        await holder
        await settle(pilot)
        assert seen_waiting, "the wait was not shown"
        # A write on the event loop would block it for the rest of the hold: it would turn
        # once or twice while the lock is held. It turned many times (counting turns, not
        # timing them: a loaded machine stretches single turns, never their number this low).
        assert len(stalls) >= 5, f"the event loop turned {len(stalls)} times in the hold"
        assert app.is_running
        assert not isinstance(app.screen, ErrorDialog)
