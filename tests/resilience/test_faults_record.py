"""Issue 13, injected faults on the customer record and its dialogs: for every screen, the
service call its main key makes (or its mount) raises.

An unexpected exception (carrying personal data) shows the Dutch error dialog, the app keeps
running on a sane screen (the screen itself, or the one below when its mount failed), nothing
reaches the terminal, and the log holds no name, card number, IBAN or birth date. An expected
failure (a ``DeskError``) is said by the screen itself, in Dutch, with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from tests.factories import MANUAL_CARD, counter_desk, make_manual_customer, screen_text, wait_until
from tests.resilience import test_faults
from tests.resilience.test_faults import (
    PERSONAL,
    assert_logged_without_personal_data,
    boom,
    forgiving,
)
from tests.screens.test_registration_steps_2_3 import draft_for
from tui_desk.app import TuiDeskApp
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.duplicates import DuplicatesScreen
from tui_desk.screens.error import UNEXPECTED, ErrorDialog
from tui_desk.screens.mandate import MandateScreen
from tui_desk.screens.resume import ResumeScreen
from tui_desk.services import customers
from tui_desk.services import mandates as mandate_svc
from tui_desk.services.desk import Desk
from tui_desk.services.registration import DuplicateCandidate
from tui_desk.store.db import FULL_MESSAGE, DiskFull

log = test_faults.log   # the fixture: the error log goes to a scratch file

NOW = dt.datetime(2026, 11, 28, 10, 0)
IBAN = "NL20INGB0001234567"
PERIOD = {"start_date": "2026-04-15", "end_date": "2027-04-30", "status": "Normaal",
          "amount_cents": 5600}

# Every screen and dialog class in scope whose faults this module injects (the lead's
# completeness test reads it).
COVERED_SCREENS = {
    "CustomerScreen", "NoticePopup", "MandateScreen", "BankDetailsScreen",
    "ProcessMandateScreen", "ReviewMandateScreen", "DoneScreen", "RevokeScreen",
    "IbanChangeScreen", "ReplaceCardScreen", "ChangeSubscriptionScreen",
    "CancelSubscriptionScreen", "LoginAccountScreen", "RegistrationDoneScreen", "ResumeScreen",
    "DuplicatesScreen", "PrivacyScreen",
}


@pytest.fixture
def desk(db, config):
    return counter_desk(db, config, NOW)


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """The training database's scan inbox and demo printer live under the data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@dataclass
class World:
    app: TuiDeskApp
    pilot: Any
    desk: Desk
    customer_id: int = 0


Step = Callable[[World], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    id: str
    covers: str            # the screen class whose key (or mount) fails
    setup: Step            # brings the app where the key is pressed
    target: str            # "module:attr" or "module:Class.attr": the call that fails
    act: tuple[str, ...] | Step  # the key(s) pressed, or what opens the screen (its mount)
    sane: str              # the screen shown after the error dialog
    kept: tuple[str, str] | None = None   # (selector, value): typed data that stays
    said_at: str | None = None   # where the screen says an expected failure (default: on screen)


# -- getting there --------------------------------------------------------------------------
async def shown(w: World, cls: type | str) -> None:
    name = cls if isinstance(cls, str) else cls.__name__
    await wait_until(w.pilot, lambda: type(w.app.screen).__name__ == name
                     and w.app.screen.is_mounted)
    await w.pilot.pause()


async def record(w: World, *, tab: str | None = None, **values: Any) -> None:
    w.customer_id = make_manual_customer(w.desk.db, **values)
    w.app.open_customer(w.customer_id, tab=tab)
    await shown(w, CustomerScreen)


async def record_with_period(w: World) -> None:
    await record(w, periods=[PERIOD])


def type_into(w: World, selector: str, value: str) -> None:
    field = w.app.screen.query_one(selector, Input)
    field.focus()
    field.value = value


async def naw_typed(w: World) -> None:
    await record(w, tab="naw")
    type_into(w, "#naw-surname", "Proef")


async def notice_typed(w: World) -> None:
    await record(w, tab="meldingen")
    await w.pilot.press("enter")
    type_into(w, "#notice-input", "Pas kwijt gemeld")


async def nothing(w: World) -> None:
    await w.pilot.pause()


async def private_notice_customer(w: World) -> None:
    desk = w.desk
    w.customer_id = make_manual_customer(desk.db)
    customers.set_notice(desk.db, desk.clock, desk.staff, w.customer_id, "Alleen met ouder",
                         True, None)


async def open_private_record(w: World) -> None:
    w.app.open_customer(w.customer_id)


async def open_manual_record(w: World) -> None:
    w.customer_id = make_manual_customer(w.desk.db)
    w.app.open_customer(w.customer_id)


async def press(w: World, *keys: str) -> None:
    await w.pilot.press(*keys)


async def key_then(w: World, key: str, cls: str) -> None:
    await w.pilot.press(key)
    await shown(w, cls)


def then_key(first: Callable[[World], Awaitable[None]], key: str,
             cls: str) -> Callable[[World], Awaitable[None]]:
    """The set-up ``first``, then ``key`` opens the screen ``cls``."""
    async def setup(w: World) -> None:
        await first(w)
        await key_then(w, key, cls)
    return setup


login_account = then_key(record, "f7", "LoginAccountScreen")


async def change_subscription(w: World) -> None:
    await record_with_period(w)
    await key_then(w, "f8", "ChangeSubscriptionScreen")
    table = w.app.screen.query_one(DataTable)
    codes = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
             for r in range(table.row_count)]
    table.move_cursor(row=codes.index("0053"))
    await w.pilot.pause()


async def cancel_subscription(w: World) -> None:
    await record_with_period(w)
    await key_then(w, "alt+o", "CancelSubscriptionScreen")
    await w.pilot.press("enter")                      # per direct → the reason
    type_into(w, "#cancel-reason", "Verhuisd")


replace_card = then_key(record, "alt+n", "ReplaceCardScreen")
privacy = then_key(record, "alt+v", "PrivacyScreen")


async def mandate(w: World, *, printed: bool = False, processed: bool = False) -> None:
    desk = w.desk
    w.customer_id = make_manual_customer(desk.db)
    if printed or processed:
        form = mandate_svc.print_new_mandate(desk.db, desk.clock, desk.staff, desk.config,
                                             w.customer_id, IBAN, "", "Mw. A. van de Test",
                                             "ANNEN")
        w.app.document_code = form.document_code  # type: ignore[attr-defined]
        if processed:
            mandate_svc.process_mandate(desk.db, desk.clock, desk.staff, w.customer_id,
                                        form.document_code, "none")
    await w.app.push_screen(MandateScreen(w.customer_id))
    await shown(w, MandateScreen)


async def bank_details(w: World) -> None:
    await mandate(w)
    await key_then(w, "f5", "BankDetailsScreen")
    type_into(w, "#md-iban", PERSONAL[2])


async def process_dialog(w: World) -> None:
    await mandate(w, printed=True)
    await key_then(w, "f6", "ProcessMandateScreen")
    w.app.screen.query_one("#md-source").value = "none"       # Geen upload
    await w.pilot.pause()
    type_into(w, "#md-code", w.app.document_code)  # type: ignore[attr-defined]
    await w.pilot.press("enter")                                # Controleer


review_dialog = then_key(process_dialog, "f10", "ReviewMandateScreen")
done_dialog = then_key(review_dialog, "enter", "DoneScreen")


async def revoke_dialog(w: World) -> None:
    await mandate(w, processed=True)
    await key_then(w, "f9", "RevokeScreen")
    type_into(w, "#md-reason", "Op verzoek klant")


async def iban_dialog(w: World) -> None:
    await mandate(w, processed=True)
    await key_then(w, "f2", "IbanChangeScreen")
    type_into(w, "#md-new-iban", PERSONAL[2])


async def subscription_step(w: World) -> None:
    service, draft = draft_for(w.desk, inlogaccount="Nee", email="", email_leeg="Ja")
    w.app.open_registration_step(service, draft, "abonnement")
    await shown(w, "SubscriptionStepScreen")


registration_done = then_key(subscription_step, "f10", "RegistrationDoneScreen")


async def resume(w: World) -> None:
    service = w.app.registration_service()
    draft = service.start()
    service.set(draft, "surname", "Zwaluw")
    await w.app.push_screen(ResumeScreen(service, w.desk.open_registrations()))
    await shown(w, ResumeScreen)


async def duplicates(w: World) -> None:
    service, draft = draft_for(w.desk, inlogaccount="Nee", email="", email_leeg="Ja")
    w.app.open_registration_step(service, draft, "klantgegevens")
    await shown(w, "CustomerStepScreen")
    step = w.app.screen
    other = make_manual_customer(w.desk.db)
    found = [DuplicateCandidate(other, MANUAL_CARD, "Mw. A. van de Test", dt.date(1991, 1, 1),
                                "Kruisakkers 41, ANNEN", "zelfde naam en geboortedatum")]
    w.app.push_screen(DuplicatesScreen(found), step._after_duplicates)
    await shown(w, DuplicatesScreen)


CUSTOMERS = "tui_desk.services.customers"
MANDATES = "tui_desk.services.mandates"
SUBSCRIPTIONS = "tui_desk.services.subscriptions"
LOGINS = "tui_desk.services.login_accounts"
REGISTRATION = "tui_desk.services.registration:RegistrationService"
CASES = [
    Case("record F2 NAW", "CustomerScreen", naw_typed, f"{CUSTOMERS}:update_naw",
         ("f2",), "CustomerScreen", kept=("#naw-surname", "Proef")),
    Case("record F2 Meldingen", "CustomerScreen", notice_typed, f"{CUSTOMERS}:set_notice",
         ("f2",), "CustomerScreen", kept=("#notice-input", "Pas kwijt gemeld")),
    Case("record mount", "CustomerScreen", nothing, f"{CUSTOMERS}:record_header",
         open_manual_record, "MainScreen"),
    Case("record read", "CustomerScreen", nothing, f"{CUSTOMERS}:load", open_manual_record,
         "MainScreen"),
    Case("Opzeggen mount", "CancelSubscriptionScreen", record_with_period,
         f"{SUBSCRIPTIONS}:cancel_choices", ("alt+o",), "CustomerScreen"),
    Case("notice popup mount", "NoticePopup", private_notice_customer,
         "tui_desk.screens.customer:NoticePopup.on_mount", open_private_record,
         "CustomerScreen"),
    Case("Inlogaccount F8", "LoginAccountScreen", login_account, f"{LOGINS}:generate",
         ("f8",), "LoginAccountScreen"),
    Case("Inlogaccount F7", "LoginAccountScreen", login_account, f"{LOGINS}:forget",
         ("f7",), "LoginAccountScreen"),
    Case("Muteer abonnement F10", "ChangeSubscriptionScreen", change_subscription,
         f"{SUBSCRIPTIONS}:change_subscription", ("f10",), "ChangeSubscriptionScreen"),
    Case("Opzeggen F10", "CancelSubscriptionScreen", cancel_subscription,
         f"{SUBSCRIPTIONS}:cancel_subscription", ("f10",), "CancelSubscriptionScreen",
         kept=("#cancel-reason", "Verhuisd")),
    Case("Nieuwe pas Enter", "ReplaceCardScreen", replace_card,
         "tui_desk.services.cards:replace_card", ("enter",), "ReplaceCardScreen"),
    Case("Privacy Enter", "PrivacyScreen", privacy, "tui_desk.services.privacy:give_consent",
         ("enter",), "PrivacyScreen"),
    Case("Incasso F5", "MandateScreen", mandate, f"{MANDATES}:mandate_data_for", ("f5",),
         "MandateScreen"),
    Case("bankgegevens F10", "BankDetailsScreen", bank_details,
         f"{MANDATES}:print_new_mandate", ("f10",), "BankDetailsScreen",
         kept=("#md-iban", PERSONAL[2])),
    Case("Verwerk machtiging F10", "ProcessMandateScreen", process_dialog,
         f"{MANDATES}:review_mandate", ("f10",), "ProcessMandateScreen"),
    Case("Controleer gegevens Enter", "ReviewMandateScreen", review_dialog,
         f"{MANDATES}:process_mandate", ("enter",), "ReviewMandateScreen"),
    Case("Vastleggen voltooid Enter", "DoneScreen", done_dialog, f"{MANDATES}:mandate_panel",
         ("enter",), "MandateScreen"),
    Case("Intrekken F10", "RevokeScreen", revoke_dialog, f"{MANDATES}:revoke", ("f10",),
         "RevokeScreen", kept=("#md-reason", "Op verzoek klant")),
    Case("IBAN wijzigen F10", "IbanChangeScreen", iban_dialog, f"{MANDATES}:change_iban",
         ("f10",), "IbanChangeScreen", kept=("#md-new-iban", PERSONAL[2])),
    Case("opgeslagen F7", "RegistrationDoneScreen", registration_done,
         "tui_desk.services.printing:request_ledenpas", ("f7",), "RegistrationDoneScreen"),
    Case("opgeslagen mount", "RegistrationDoneScreen", subscription_step, f"{CUSTOMERS}:load",
         ("f10",), "MainScreen"),
    Case("hervatten Del Del", "ResumeScreen", resume, f"{REGISTRATION}.abandon",
         ("delete", "delete"), "ResumeScreen"),
    Case("dubbele klant F10", "DuplicatesScreen", duplicates,
         f"{REGISTRATION}.finish_customer_step", ("f10",), "CustomerStepScreen",
         said_at="#reg-status"),
]
# The key cases (not a mount) also run with an expected failure.
KEY_CASES = [c for c in CASES if isinstance(c.act, tuple) and "mount" not in c.id
             and "read" not in c.id]


def patch(monkeypatch, target: str, replacement: Callable[..., Any]) -> None:
    module, _, attr = target.partition(":")
    owner: Any = importlib.import_module(module)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    monkeypatch.setattr(owner, name, replacement, raising=False)


async def act(w: World, case: Case) -> None:
    if isinstance(case.act, tuple):
        await w.pilot.press(*case.act)
    else:
        await case.act(w)


def assert_kept(w: World, case: Case) -> None:
    if case.kept is not None:
        selector, value = case.kept
        assert w.app.screen.query_one(selector, Input).value == value


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_an_unexpected_fault_shows_the_dialog_and_the_session_goes_on(
        desk, log, monkeypatch, capfd, case):
    app = forgiving(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        w = World(app, pilot, desk)
        await case.setup(w)
        patch(monkeypatch, case.target, boom)
        await act(w, case)
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert app.screen.message == UNEXPECTED
        assert PERSONAL[0] not in screen_text(app)    # the failure's own text is not shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ErrorDialog))
        await pilot.pause()
        assert type(app.screen).__name__ == case.sane
        assert app.is_running and app.return_code in (None, 0)
        assert_kept(w, case)
    assert_logged_without_personal_data(log)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Boom" not in out + err


@pytest.mark.parametrize("case", KEY_CASES, ids=[c.id for c in KEY_CASES])
async def test_an_expected_failure_is_said_by_the_screen_itself(desk, monkeypatch, case):
    def disk_full(*_args, **_kwargs):
        raise DiskFull(FULL_MESSAGE)

    app = TuiDeskApp(desk)   # strict: an unexpected error would fail the test
    async with app.run_test(size=(80, 24)) as pilot:
        w = World(app, pilot, desk)
        await case.setup(w)
        patch(monkeypatch, case.target, disk_full)
        await act(w, case)

        def said() -> str:
            if case.said_at:   # a message line below the fold at 80x24
                return str(app.screen.query_one(case.said_at).render())
            return " ".join(screen_text(app).split())

        await wait_until(pilot, lambda: "De schijf is vol" in said())
        assert not isinstance(app.screen, ErrorDialog)
        assert type(app.screen).__name__ == case.sane
        assert_kept(w, case)


def test_every_screen_in_scope_is_covered():
    """COVERED_SCREENS names every screen class of the modules in scope, and each has a case
    whose fault is injected on it."""
    from textual.screen import Screen

    names = set()
    for module in ("customer", "mandate", "card_replace", "subscription_change",
                   "login_account", "registration_done", "resume", "duplicates", "privacy",
                   "record.popup"):
        mod = importlib.import_module(f"tui_desk.screens.{module}")
        names |= {obj.__name__ for obj in vars(mod).values()
                  if isinstance(obj, type) and issubclass(obj, Screen)
                  and (obj.__module__ == mod.__name__
                       or obj.__module__.startswith("tui_desk.screens.dialogs."))
                  and not obj.__name__.startswith("_")}
    assert names == COVERED_SCREENS
    assert {c.covers for c in CASES} == COVERED_SCREENS
