"""The Textual application: screens stack on top of the main screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui_desk import crashlog, keymap
from tui_desk.errors import DeskError
from tui_desk.screens.navigation import NavigationApp
from tui_desk.services.desk import Desk

# Tests set this so that an unexpected error fails the test instead of showing the dialog.
STRICT_ERRORS_ENV = "TUI_DESK_STRICT_ERRORS"
# Pilot tests drive the app from inside: Pilot neither waits for worker threads nor for keys
# held across a screen change. With this set, writes run on the event loop and keys are not
# held on screen changes; the real program and the real-terminal tests (which prove type-ahead
# and the threads) run without it.
PILOT_ENV = "TUI_DESK_PILOT"
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

    def tolerant(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
        return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")

    # A module attribute typed as codecs' overloaded function; the patch has one signature.
    linux_driver.getincrementaldecoder = tolerant  # type: ignore[assignment]


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
        if os.name == "posix":
            _tolerate_invalid_utf8()
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

    # -- errors: one place for all of them (see screens/base.py) -----------------------------
    strict_errors: bool = False  # set from the environment when the app is made

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings run their actions here, on the app's own message loop: an exception
        # that escaped would end that loop, and with it the session.
        try:
            await super()._dispatch_message(message)
        except DeskError as exc:
            self.show_error(exc)
        except Exception as exc:  # the one place for the unexpected
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
