"""The Textual application: screens stack on top of the main screen."""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen

from tui_desk import crashlog, keymap
from tui_desk.errors import DeskError
from tui_desk.services.desk import Desk

# Tests set this so that an unexpected error fails the test instead of showing the dialog.
STRICT_ERRORS_ENV = "TUI_DESK_STRICT_ERRORS"
# Pilot tests drive the app from inside: Pilot neither waits for worker threads nor for keys
# held across a screen change. With this set, writes run on the event loop and keys are not
# held on screen changes; the real program and the real-terminal tests (which prove type-ahead
# and the threads) run without it.
PILOT_ENV = "TUI_DESK_PILOT"
# However long a screen takes, type-ahead is never held longer than this.
HOLD_LIMIT_SECONDS = 20.0
# A key still on its way through the fields after this long is not waited for any longer.
KEY_WATCHDOG_SECONDS = 2.0
FATAL_MESSAGE = ("tui-desk: er ging iets mis en het programma moest stoppen. Wat u typte is "
                 "bewaard en wordt bij de volgende keer aanmelden aangeboden. Details staan in "
                 "het logboek: {log}")


def _resume_garbage_collection() -> None:
    """The first screen is on the terminal: collect garbage again (``cli.main`` paused the
    collector for the start-up). What the start-up made (modules, classes, the screen) lives
    as long as the program: freeze it, so later collections need not walk it again."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _tolerate_invalid_utf8() -> None:
    """A byte that is not UTF-8 (an ë from a Latin-1 terminal) raised UnicodeDecodeError in
    Textual's input thread and ended the session. Decode the terminal's bytes with
    ``errors="replace"``: the byte becomes U+FFFD, shown in the field, and the program says
    why (``on_event``)."""
    import codecs
    import functools

    from textual.drivers import linux_driver

    def tolerant(encoding: str):  # noqa: ANN202 - a decoder factory
        return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")

    linux_driver.getincrementaldecoder = tolerant  # type: ignore[assignment]


REPLACED_INPUT = ("Een getypt teken kwam onleesbaar binnen en is vervangen door \ufffd. Stel de "
                  "terminal in op UTF-8 en typ het teken opnieuw.")


class TuiDeskApp(App[None]):
    TITLE = "tui-desk"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False  # Ctrl+Alt+P arrives as ctrl+p: it belongs to Ledenpas
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(k.key, k.action, k.label, show=k.show, priority=True) for k in keymap.GLOBAL
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        # No sliding animations: they cost time and bytes over SSH.
        self.animation_level = "none"
        self.desk = desk
        self.strict_errors = os.environ.get(STRICT_ERRORS_ENV) == "1"
        if os.name == "posix":
            _tolerate_invalid_utf8()
        from tui_desk.widgets import compositor

        compositor.install()  # a keystroke redraws the field, not the form around it
        self.inline_writes = os.environ.get(PILOT_ENV) == "1"
        self.hold_on_screen_change = not self.inline_writes
        # Type-ahead (see ``on_event``): keys held while a screen is being replaced or a write
        # that leads to another screen runs; delivered in order once the next screen is shown.
        self._held: list[events.Key | events.Paste] = []
        self._awaiting_screen = False
        self._writes_holding = 0
        self._replay_posted = False             # a held key is on its way to on_event
        self._key_started: float | None = None  # a key is being handled (since when)
        self._key_number = 0
        self._key_watchdog: object | None = None
        self._hold_timer: object | None = None
        self.current_key: str | None = None     # the key whose binding runs now
        self.typeahead = False                  # ... and whether it was typed ahead
        self.last_key_typeahead = False         # the same for the last key (kept afterwards)
        self.once_keys: Counter[str] = Counter()  # keys of once-only actions still running
        self._last_key: str | None = None
        self.previous_customer_ids: list[int] = []
        self.last_search: str | None = None
        if not desk.demo:
            # TEXTUAL_LOG would write every event to a file, typed names and IBANs included:
            # no personal data in log files. (The training database holds no real people.)
            from textual import constants

            constants.LOG_FILE = None  # type: ignore[misc]

    # -- errors: one place for all of them (see screens/base.py) -----------------------------
    strict_errors: bool = False  # set from the environment when the app is made

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings run their actions here, on the app's own message loop: an exception
        # that escaped would end that loop, and with it the session.
        try:
            await super()._dispatch_message(message)
        except DeskError as exc:
            self.show_error(exc)
        except Exception as exc:  # noqa: BLE001 - the one place for the unexpected
            self.report_unexpected(exc, where=f"app:{type(message).__name__}")

    def show_error(self, error: DeskError) -> None:
        """An expected failure outside any screen's handlers: the current screen shows it."""
        show = getattr(self.screen, "show_error", None)
        if show is not None:
            show(error)
        else:
            from tui_desk.screens.error import ErrorDialog

            self.push_screen(ErrorDialog(str(error)))

    def report_unexpected(self, exc: BaseException, *, where: str,
                          screen: Screen | None = None) -> None:
        """An exception nobody expected: log it (no locals, no personal data), tell the person
        in Dutch, and go on. ``screen``: a screen that failed while being built, closed after
        the message so that a sane screen remains."""
        if self.strict_errors:
            raise exc
        crashlog.write(exc, where)
        from tui_desk.screens.error import UNEXPECTED, ErrorDialog
        from tui_desk.screens.main import MainScreen

        if screen is not None and screen in self.screen_stack and not isinstance(
                screen, MainScreen) and len(self.screen_stack) > 1:
            if screen is self.screen:
                self.pop_screen()
            else:
                self.call_later(self._drop_screen, screen)
        if isinstance(self.screen, ErrorDialog):
            return  # one dialog at a time: a burst of failures does not stack dialogs
        self.push_screen(ErrorDialog(UNEXPECTED, title="Er ging iets mis"))

    def _drop_screen(self, screen: Screen) -> None:
        if screen in self.screen_stack and screen is self.screen:
            self.pop_screen()

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (a timer, a callback, a worker, a widget of Textual's own).
        Textual would end the program and print the traceback with its local variables.
        An expected failure (a DeskError) that ends up here — raised while a screen was being
        built, or in a dialog's result callback — is shown by the screen on top, as anywhere
        else."""
        if isinstance(error, DeskError) and self.is_running and self.screen_stack:
            show = getattr(self.screen, "show_error", None)
            if show is not None:
                try:
                    show(error)
                    return
                except Exception as again:  # noqa: BLE001 - showing it failed: unexpected
                    error = again
        if self.strict_errors:
            super()._handle_exception(error)
            return
        if isinstance(error, Exception) and self.is_running and self.screen_stack \
                and not self._exit_renderables:
            try:
                self.report_unexpected(error, where="textual")
                return
            except Exception as again:  # noqa: BLE001 - reporting itself failed: stop cleanly
                error = again
        self._stop_with_message(error)

    def _fatal_error(self) -> None:
        # Called by Textual's own error paths: never its traceback with locals.
        self._stop_with_message(None)

    def _stop_with_message(self, error: BaseException | None) -> None:
        log = crashlog.log_path()
        if error is not None:
            log = crashlog.write(error, "fatal")
        self._return_code = 1
        if not self._exit_renderables:
            self._exit_renderables.append(Text(FATAL_MESSAGE.format(log=log)))
        self._close_messages_no_wait()

    # -- type-ahead -------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """Keys (and pastes) arrive here first, and are handled one at a time, in the order
        typed, as a terminal on a mainframe would:

        - A key is finished before the next one starts: Textual runs a widget's or a screen's
          (non-priority) binding only after the key bubbled up to the app, while the next keys
          would already reach the field (Down, Down, Enter in a table chose the first row; a
          fast F10 saved before them). Keys that arrive meanwhile wait their turn (``_held``).
        - While a screen is being replaced, or a write that leads to another screen runs, keys
          are held and delivered afterwards to the screen then shown — the field that has focus
          there. They are marked typed ahead (money does not move on them, see settlement).
        - A key that repeats a once-only action still running (F10, F10, F10 during a save) is
          dropped.
        """
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            if isinstance(event, events.Key):
                # A key bubbling back up: its non-priority bindings run now; they see which
                # key runs them, and whether it was typed ahead.
                await self._run_key(event)
            else:
                await super().on_event(event)
            return
        replayed = bool(getattr(event, "replayed", False))
        if replayed:
            self._replay_posted = False
        if not self.screen_stack:
            return  # closing down (or not up yet): no screen to type into
        if replayed:
            if self._holding:
                self._held.insert(0, event)  # still the first in line
                return
        else:
            if isinstance(event, events.Key):
                if event.character == "\ufffd":
                    self.notify(REPLACED_INPUT, severity="warning", timeout=8)
                repeat = self.once_keys[event.key] > 0 and self._last_key == event.key
                self._last_key = event.key
                if repeat:
                    self.bell()
                    return
            if self._holding or self._held or self._replay_posted or self._key_busy():
                # Typed ahead when a screen or a write was awaited; otherwise only waiting
                # for the key before it.
                event.typeahead = self._holding  # type: ignore[attr-defined]
                self._held.append(event)
                self._arm_key_watchdog()
                return
        target = self.focused or self.screen
        self._key_number += 1
        self._key_started = time.monotonic()
        if self._held:
            self._arm_key_watchdog()  # keys wait behind this one
        try:
            await self._run_key(event)
        except BaseException:
            self._key_done()
            raise
        if event.is_forwarded:
            self._follow_key(event, target)   # on its way through the fields
        else:
            self._key_done()                  # a priority binding took it

    async def _run_key(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Paste):
            await super().on_event(event)
            return
        self.current_key = event.key
        self.typeahead = bool(getattr(event, "typeahead", False))
        self.last_key_typeahead = self.typeahead
        try:
            await super().on_event(event)
        finally:
            self.current_key = None
            self.typeahead = False

    def _follow_key(self, event: events.Key | events.Paste, node: MessagePump) -> None:
        """Finish the key once ``node`` handled it: it stopped there, or went on to the parent
        (bubbling is posted before a callback queued after the key runs)."""
        number = self._key_number

        def handled() -> None:
            if self._key_started is None or self._key_number != number:
                return  # given up on by the watchdog
            parent = node._parent  # noqa: SLF001 - the node the key bubbles to, if any
            if node is self or parent is None:
                self._key_done()
            elif event._stop_propagation and event._sender is not parent:  # noqa: SLF001
                # Stopped here. (A key is still passed to its sender, the app, with the stop
                # flag set: Textual stops it *after* that parent.)
                self._key_done()
            else:
                self._follow_key(event, parent)

        if not node.call_later(handled):
            self._key_done()  # the node is gone: nothing more will handle the key

    def _key_busy(self) -> bool:
        if self._key_started is None:
            return False
        if time.monotonic() - self._key_started > KEY_WATCHDOG_SECONDS:
            self._key_started = None  # its node went away mid-way: do not wait for it
            return False
        return True

    def _key_done(self) -> None:
        self._key_started = None
        self._deliver_held()

    def _arm_key_watchdog(self) -> None:
        # Keys wait for one still on its way: make sure they are delivered even if it never
        # finishes (a field removed while the key was queued for it). One timer at a time.
        if self._key_watchdog is None and self.is_running:
            self._key_watchdog = self.set_timer(KEY_WATCHDOG_SECONDS + 0.05,
                                                self._key_watchdog_fired)

    def _key_watchdog_fired(self) -> None:
        self._key_watchdog = None
        self._deliver_held()
        if self._held:
            self._arm_key_watchdog()

    @property
    def _holding(self) -> bool:
        return self._awaiting_screen or self._writes_holding > 0

    def hold_keys(self) -> None:
        """A write that may lead to another screen starts: keep the keys typed meanwhile."""
        self._writes_holding += 1
        self._arm_hold_limit()

    def release_keys(self) -> None:
        self._writes_holding = max(0, self._writes_holding - 1)
        self._deliver_held()

    def screen_ready(self, screen: Screen[Any]) -> None:
        """``screen`` became the current one and is ready for input (after the focus its mount
        asked for, which ``Widget.focus`` applies through call_later)."""
        self.call_later(self._screen_ready, screen)

    def _screen_ready(self, screen: Screen[Any]) -> None:
        if self.screen_stack and screen is not self.screen:
            # A screen on the way (shown for a moment between a pop and a push): the keys
            # wait for the one that is on top now.
            return
        self._awaiting_screen = False
        self._deliver_held()

    def _await_screen(self) -> None:
        if self.is_running and self.hold_on_screen_change:
            self._awaiting_screen = True
            self._arm_hold_limit()

    def _arm_hold_limit(self) -> None:
        if self._hold_timer is None and self.is_running:
            self._hold_timer = self.set_timer(HOLD_LIMIT_SECONDS, self._hold_limit_reached)

    def _hold_limit_reached(self) -> None:
        self._hold_timer = None
        if self._holding:
            self._awaiting_screen = False
            self._writes_holding = 0
            self._deliver_held()

    def _deliver_held(self) -> None:
        """Deliver the first held key; the next follows once it has been handled."""
        if self._holding or self._replay_posted or self._key_busy():
            return
        if self._hold_timer is not None:
            self._hold_timer.stop()  # type: ignore[attr-defined]
            self._hold_timer = None
        if not self._held:
            return
        old = self._held.pop(0)
        new: events.Key | events.Paste
        if isinstance(old, events.Key):
            new = events.Key(old.key, old.character)
        else:
            new = events.Paste(old.text)
        new.typeahead = getattr(old, "typeahead", True)  # type: ignore[attr-defined]
        new.replayed = True  # type: ignore[attr-defined]
        # From the app, as the terminal's keys are (not from whatever widget's callback runs
        # this): the sender decides where Textual stops a bubbling key.
        new._sender = self  # noqa: SLF001
        self._replay_posted = True
        self.post_message(new)

    def push_screen(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self._await_screen()
        return super().push_screen(*args, **kwargs)

    def switch_screen(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self._await_screen()
        return super().switch_screen(*args, **kwargs)

    def pop_screen(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self._await_screen()
        return super().pop_screen(*args, **kwargs)

    def get_default_screen(self) -> Screen:
        # The main screen is the bottom of the stack itself: no blank default screen is laid
        # out and drawn first (a frame's worth of start-up time and bytes).
        from tui_desk.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(_resume_garbage_collection)
        if self.desk.staff is None:
            from tui_desk.screens.signin import SignInScreen

            self.push_screen(SignInScreen(), callback=lambda _: self.offer_open_registrations())
        else:
            # After the first frame: the main screen is ready for input before the open drafts
            # are looked up (and the registration service is loaded only when there are some).
            self.call_after_refresh(self._offer_at_start)

    def _offer_at_start(self) -> None:
        # Only when the person has not started yet: a Ctrl+N typed before the first frame
        # runs its start on a worker thread, and its own new draft must not be offered as
        # "unfinished" over it.
        if self._key_number or self._held or self._holding:
            return
        self.offer_open_registrations()

    def offer_open_registrations(self) -> None:
        """The signed-in staff member left a registration unfinished (a dropped line, a
        crash): offer to go on with it — in the training database only this session's
        (``Desk.open_registrations``)."""
        from tui_desk.screens.main import MainScreen

        if self.desk.staff is None or not isinstance(self.screen, MainScreen):
            return  # the person already went on (e.g. Ctrl+N before the first frame)
        drafts = self.desk.open_registrations()
        if drafts:
            from tui_desk.screens.resume import ResumeScreen

            self.push_screen(ResumeScreen(self.registration_service(), drafts))

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Messages go to the message line of the uppermost full screen (the footer's row),
        not into a toast that covers the form or the receipt preview; a screen without one
        (signing in) gets the toast."""
        import threading

        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.notify, message, title=title, severity=severity,
                                  timeout=timeout, markup=markup)
            return
        from tui_desk.widgets.statusline import StatusLine

        for screen in reversed(self.screen_stack):
            lines = screen.query(StatusLine)
            if lines:
                lines.first().show(message, title=title, severity=severity, timeout=timeout)
                return
        super().notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=markup)

    # -- navigation used by several screens ------------------------------------------------
    def open_customer(self, customer_id: int, *, tab: str | None = None) -> None:
        from tui_desk.screens.customer import CustomerScreen

        if not self.previous_customer_ids or self.previous_customer_ids[-1] != customer_id:
            self.previous_customer_ids.append(customer_id)
            del self.previous_customer_ids[:-20]
        # One record at a time: opening another replaces the one on the stack.
        if isinstance(self.screen, CustomerScreen):
            self.switch_screen(CustomerScreen(customer_id, tab=tab))
        else:
            self.push_screen(CustomerScreen(customer_id, tab=tab))

    def _signed_in(self) -> bool:
        if self.desk.staff is None:
            self.bell()
            return False
        return True

    # -- global actions ------------------------------------------------------------------------
    def action_zoek_klant(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import SearchScreen

            self.push_screen(SearchScreen())

    def action_zoek_klant_direct(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import DirectSearchScreen

            self.push_screen(DirectSearchScreen())

    def action_zoek_vorige_lijst(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import SearchScreen

            self.push_screen(SearchScreen(query=self.last_search))

    def action_vorige_klant(self) -> None:
        if not self._signed_in():
            return
        from tui_desk.screens.customer import CustomerScreen

        current = self.screen.customer_id if isinstance(self.screen, CustomerScreen) else None
        for customer_id in reversed(self.previous_customer_ids):
            if customer_id != current:
                self.open_customer(customer_id)
                return
        self.notify("Er is nog geen vorige klant in deze sessie.", severity="warning")

    def action_nieuwe_klant(self) -> None:
        """Inschrijven klant (Wise: Ctrl+Alt+N, which arrives as Ctrl+N)."""
        if not self._signed_in():
            return
        service = self.registration_service()
        run_write = getattr(self.screen, "run_write", None)
        if run_write is None:
            self.open_registration_step(service, service.start())
            return

        def start():  # noqa: ANN202 - Draft
            return service.start()

        # The new draft is a write: off the event loop, and the keys typed after Ctrl+N (a
        # scanned card, the first fields) wait for step 1 to be shown.
        run_write(start, lambda draft: self.open_registration_step(service, draft),
                  busy="Inschrijven klant…", once=True)

    def registration_service(self):  # noqa: ANN201 - RegistrationService
        from tui_desk.services.registration import RegistrationService

        return RegistrationService(self.desk.db, self.desk.clock, self.desk.staff,
                                   self.desk.config, session=self.desk.session)

    def registration_finished(self, done) -> None:  # noqa: ANN001 - Registered
        """After step 3: step 4 settles what is due, step 5 (when Sepa incasso was ticked)
        takes the mandate, then the customer record opens. Leaving step 4 or 5 unfinished asks
        what to do (``screens.followups``): the wizard never ends silently half done."""

        def to_record(_result: object = None) -> None:
            self.show_customer_from_wizard(done.customer_id)

        def after_settlement(_session: object = None) -> None:
            if done.direct_debit:
                from tui_desk.screens.mandate import MandateScreen

                self.push_screen(MandateScreen(done.customer_id, on_done=to_record,
                                               ask_on_leave=True))
            else:
                to_record()

        if done.open_invoice_ids:
            from tui_desk.screens.settlement import SettlementScreen

            self.push_screen(SettlementScreen(done.customer_id, invoice_ids=done.open_invoice_ids,
                                              on_done=after_settlement,
                                              mandate_follows=done.direct_debit,
                                              ask_on_leave=True))
        else:
            after_settlement()

    def show_customer_from_wizard(self, customer_id: int) -> None:
        """Close the wizard's screens and open the new customer's record."""
        from tui_desk.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        self.open_customer(customer_id)

    def print_receipt(self, receipt) -> None:  # noqa: ANN001 - settlement Receipt
        """The settlement's kassabon goes to this workstation's receipt printer (spooled)."""
        from tui_desk.screens.print_queue import print_kassabon

        print_kassabon(self, receipt, customer_id=receipt.customer_id)

    def open_registration_step(self, service, draft, step: str | None = None) -> None:  # noqa: ANN001
        """Show the wizard step the draft is at (replacing the previous step's screen)."""
        from tui_desk.screens.registration_customer import CustomerStepScreen
        from tui_desk.screens.registration_login import LoginStepScreen
        from tui_desk.screens.registration_subscription import SubscriptionStepScreen
        from tui_desk.services.registration import STEP_CUSTOMER, STEP_LOGIN, STEP_SUBSCRIPTION

        step = step or draft.step
        screens = {STEP_CUSTOMER: CustomerStepScreen, STEP_LOGIN: LoginStepScreen,
                   STEP_SUBSCRIPTION: SubscriptionStepScreen}
        # Step 1 is built once and reset for each registration (issue 20: Ctrl+N).
        screen = (CustomerStepScreen.for_draft(self, service, draft) if step == STEP_CUSTOMER
                  else screens[step](service, draft))
        if isinstance(self.screen, tuple(screens.values())):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_klantenadministratie(self) -> None:
        if not self._signed_in():
            return
        if self.previous_customer_ids:
            self.open_customer(self.previous_customer_ids[-1])
        else:
            self.action_zoek_klant()

    def action_menu_klanten(self) -> None:
        self._menu("Klanten")

    def action_menu_financieel(self) -> None:
        self._menu("Financieel")

    def action_menu_oefeningen(self) -> None:
        """The exercises (Alt+E): only in the training database."""
        if not self.desk.demo:
            self.bell()
            return
        self._menu("Oefeningen")

    def action_oefening(self, exercise_id: str) -> None:
        if self._signed_in() and self.desk.demo:
            from tui_desk.screens.exercise import ExerciseScreen

            self.push_screen(ExerciseScreen(exercise_id))

    def action_help(self) -> None:
        """F1: the help of the screen in front; F1 again closes it."""
        from tui_desk.screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(type(self.screen).__name__))

    def _menu(self, title: str) -> None:
        if self._signed_in():
            from tui_desk.screens.customer import CustomerScreen
            from tui_desk.screens.menu import MenuScreen

            self.push_screen(MenuScreen(title, record_open=isinstance(self.screen,
                                                                      CustomerScreen)))

    def action_berichten(self) -> None:
        if self._signed_in():
            from tui_desk.screens.messages import MessagesScreen

            self.push_screen(MessagesScreen())

    def action_openstaande_inschrijvingen(self) -> None:
        if self._signed_in():
            from tui_desk.screens.followups import OpenRegistrationsScreen

            self.push_screen(OpenRegistrationsScreen())

    def action_kas(self) -> None:
        if self._signed_in():
            from tui_desk.screens.cash import CashScreen

            self.push_screen(CashScreen())

    def action_printwachtrij(self) -> None:
        if self._signed_in():
            from tui_desk.screens.print_queue import PrintQueueScreen

            self.push_screen(PrintQueueScreen())

    def action_onbekende_scans(self) -> None:
        if self._signed_in():
            from tui_desk.screens.unknown_scans import UnknownScansScreen

            self.push_screen(UnknownScansScreen())

    def action_einde_sessie(self) -> None:
        """F12: end the session with this customer (back to the main screen); there, sign out."""
        from tui_desk.screens.main import MainScreen
        from tui_desk.screens.signin import SignInScreen

        if isinstance(self.screen, SignInScreen):
            self.exit()
            return
        if isinstance(self.screen, MainScreen):
            self.exit()
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
