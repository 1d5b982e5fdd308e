"""The Textual application: screens stack on top of the main screen."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui_desk import crashlog, keymap
from tui_desk.errors import DeskError
from tui_desk.screens.base import handled
from tui_desk.screens.navigation import NavigationApp
from tui_desk.services.desk import Desk
from tui_desk.widgets.driver import DeskDriver, TerminalGone

# Tests set this so that an unexpected error fails the test instead of showing the dialog.
STRICT_ERRORS_ENV = "TUI_DESK_STRICT_ERRORS"
# Pilot tests drive the app from inside: Pilot neither waits for worker threads nor for keys
# held across a screen change. With this set, writes run on the event loop and keys are not
# held on screen changes; the real program and the real-terminal tests (which prove type-ahead
# and the threads) run without it.
PILOT_ENV = "TUI_DESK_PILOT"
# When the terminal went away: how long the keys it sent last may take to reach their fields,
# and how much longer than the database's busy wait the drafts may take to be stored. After
# that the program ends anyway; a hang in the ending itself is cut off after LAST_RESORT.
ENDING_KEYS_SECONDS = 2.0
ENDING_SLACK_SECONDS = 5.0
LAST_RESORT_SECONDS = 15.0
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


class TuiDeskApp(NavigationApp):
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
        self._ending = False
        self._last_resort: threading.Timer | None = None
        from tui_desk.widgets import compositor

        compositor.install()  # a keystroke redraws the field, not the form around it
        self.inline_writes = os.environ.get(PILOT_ENV) == "1"
        self.hold_on_screen_change = not self.inline_writes
        self.previous_customer_ids: list[int] = []
        self.last_search: str | None = None
        if not desk.demo:
            # TEXTUAL_LOG would write every event to a file, typed names and IBANs included:
            # no personal data in log files. (The training database holds no real people.)
            from textual import constants

            constants.LOG_FILE = None  # type: ignore[misc]  # a Final setting, cleared on purpose

    def get_driver_class(self) -> type[Driver]:
        """``widgets.driver.DeskDriver`` on a POSIX terminal (ends when the terminal goes
        away, sleeps while idle); Textual's choice when ``TEXTUAL_DRIVER`` names another."""
        if os.name == "posix" and not os.environ.get("TEXTUAL_DRIVER"):
            return DeskDriver
        return super().get_driver_class()

    # -- the terminal goes away (see widgets/driver.py) --------------------------------------
    def on_terminal_gone(self, message: TerminalGone) -> None:
        """The line dropped (end-of-file or an error on the terminal, SIGHUP) or the system
        stops the program (SIGTERM): store what was typed, then end with the driver's status
        (129 after a hang-up, 143 after SIGTERM)."""
        if self._ending:
            return
        self._ending = True
        if isinstance(self._driver, DeskDriver):
            # Whatever happens while ending, the process does not stay behind.
            budget = self._ending_budget() + LAST_RESORT_SECONDS
            self._last_resort = threading.Timer(budget, os._exit, args=(message.status,))
            self._last_resort.daemon = True
            self._last_resort.start()
        self.run_worker(self._end_session(message.status, fatal=message.reason == "error"),
                        group="ending", exit_on_error=False)

    def _ending_budget(self) -> float:
        return float(getattr(self.desk.db, "busy_wait", 10.0)) + ENDING_SLACK_SECONDS

    async def _end_session(self, status: int, *, fatal: bool = False) -> None:
        deadline = time.monotonic() + self._ending_budget()
        try:
            await self._keys_taken(min(deadline, time.monotonic() + ENDING_KEYS_SECONDS))
            for _round in range(3):
                # A draft whose save still runs is saved again afterwards (its last keys).
                for screen in list(self.screen_stack):
                    keep = getattr(screen, "keep_typed", None)
                    if keep is not None:
                        keep()
                writes = [worker for worker in self.workers
                          if worker.group == "writes" and not worker.is_finished]
                if not writes:
                    break
                await self._finished(writes, deadline)
        except Exception as exc:  # ending goes on: the log says what failed
            crashlog.write(exc, "einde sessie")
        finally:
            self.exit(return_code=status, message=Text(FATAL_MESSAGE.format(
                log=crashlog.log_path())) if fatal else None)

    async def _keys_taken(self, deadline: float) -> None:
        """The keys the terminal sent before it went away reach their fields: keys typed
        ahead for a screen on its way, then the fields' own queues (``after_typed``)."""
        while (self._held or self._holding or self._key_busy()) \
                and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        after_typed = getattr(self.screen, "after_typed", None)
        if after_typed is None:
            return
        taken = asyncio.Event()
        after_typed(taken.set)
        try:
            await asyncio.wait_for(taken.wait(), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            pass

    @staticmethod
    async def _finished(workers: list[Any], deadline: float) -> None:
        async def quietly(worker: Any) -> None:
            try:
                await worker.wait()
            except Exception:  # its own error path reported it
                pass

        waits = [asyncio.ensure_future(quietly(worker)) for worker in workers]
        _done, pending = await asyncio.wait(waits, timeout=max(0.0, deadline - time.monotonic()))
        for wait in pending:
            wait.cancel()

    async def _shutdown(self) -> None:
        try:
            await super()._shutdown()
        finally:
            if self._last_resort is not None:
                self._last_resort.cancel()

    # -- errors: one place for all of them (see screens/base.py) -----------------------------
    strict_errors: bool = False  # set from the environment when the app is made

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings run their actions here, on the app's own message loop: an exception
        # that escaped would end that loop, and with it the session.
        await handled(super()._dispatch_message(message), self.show_error,
                      lambda exc: self.report_unexpected(exc,
                                                         where=f"app:{type(message).__name__}"))

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
        from tui_desk.screens.error import UNEXPECTED, ErrorDialog
        from tui_desk.screens.main import MainScreen

        if isinstance(screen, ErrorDialog):
            # The error path itself cannot be shown: end with the one line, not a loop.
            self._stop_with_message(exc)
            return
        crashlog.write(exc, where)

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
                except Exception as again:  # showing it failed: unexpected
                    error = again
        if self.strict_errors:
            super()._handle_exception(error)
            return
        if isinstance(error, Exception) and self.is_running and self.screen_stack \
                and not self._exit_renderables:
            try:
                self.report_unexpected(error, where="textual")
                return
            except Exception as again:  # reporting itself failed: stop cleanly
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

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
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
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
