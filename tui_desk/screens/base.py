"""What every screen of tui-desk has: one place that handles errors, and for full screens the
menu bar on top and the key footer below.

Errors (``tui_desk.errors``): a handler of a screen, a binding's action or a screen's mount that
raises an *expected* failure (a ``DeskError``: bad input, a refused action, a busy database, a
printer fault) has its Dutch message shown by the screen's ``show_error`` — a screen with a
message line shows it there, any other in a dialog. An *unexpected* exception goes to
``TuiDeskApp.report_unexpected``: a Dutch dialog, the traceback to the log without local
variables, and the session goes on. Textual would otherwise stop the screen's message loop (the
screen no longer reacts) or end the program with a traceback full of personal data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from tui_desk.errors import DeskError
from tui_desk.widgets.busy import BUSY_LINE, BusyLine, busy_line_of
from tui_desk.widgets.desk_app import desk_app
from tui_desk.widgets.footer import DeskFooter
from tui_desk.widgets.menubar import MenuBar
from tui_desk.widgets.statusline import StatusLine

if TYPE_CHECKING:
    from tui_desk.app import TuiDeskApp
    from tui_desk.models import Staff
    from tui_desk.services.desk import Desk

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

MENUS: tuple[tuple[str, str], ...] = (("Klanten", "k"), ("Financieel", "c"))

ResultType = TypeVar("ResultType")
T = TypeVar("T")

BUSY = "Bezig…"
WAITING = "Even wachten: een andere balie schrijft… (wat u typt, wordt bewaard)"


async def handled(dispatch: Awaitable[None], show_error: Callable[[DeskError], None],
                  unexpected: Callable[[Exception], None]) -> None:
    """Await ``dispatch`` (a message being handled, by a screen or by the app's own loop) in
    the one error model: an expected failure to ``show_error``, anything else to
    ``unexpected``; nothing escapes to end the message loop (and with it the screen or the
    session)."""
    try:
        await dispatch
    except DeskError as exc:
        show_error(exc)
    except Exception as exc:  # the one place for the unexpected
        unexpected(exc)


class SafeDispatch(_ScreenBase):
    """Mixin for screens: no exception from a handler ends the screen or the session.
    (To the type checker it is a Screen: it is only ever mixed into one.)"""

    async def _dispatch_message(self, message: Message) -> None:
        await handled(super()._dispatch_message(message), self.show_error,
                      lambda exc: self._unexpected(exc, message))

    def _unexpected(self, exc: Exception, message: Message) -> None:
        if self.__dict__.get("_broken"):
            return  # half built (its compose failed, reported): its handlers fail too
        broken = isinstance(message, (events.Compose, events.Mount))
        self.desk_app.report_unexpected(
            exc, where=type(self).__name__, screen=self if broken else None)

    async def _compose(self) -> None:
        """Build the screen; a failure in its ``compose`` takes the one error path.

        Textual catches what ``compose`` raises and hands it to the app's last resort without
        saying which screen failed, then mounts the half-built screen anyway: its ``on_mount``
        and every later handler fail on the widgets that are missing, and the error dialog
        could not be closed. Here the screen is marked broken, reported once, and closed, so
        that the person is back on the screen before it.
        """
        built = self.compose
        failures: list[Exception] = []

        def guarded() -> ComposeResult:
            try:
                yield from built()
            except Exception as exc:  # the one place for the unexpected
                failures.append(exc)

        # Textual's compose() helper calls ``node.compose()``: for this one build it gets the
        # guarded generator (an instance attribute in front of the method).
        vars(self)["compose"] = guarded
        try:
            await super()._compose()
        finally:
            vars(self).pop("compose", None)
        if failures:
            self.__dict__["_broken"] = True
            self.desk_app.report_unexpected(failures[0], where=f"{type(self).__name__}.compose",
                                            screen=self)

    # -- work that waits for the database, off the event loop ------------------------------
    def run_write(self, work: Callable[[], T], then: Callable[[T], Any] | None = None, *,
                  busy: str = BUSY, once: bool = False, hold: bool = True) -> bool:
        """Run ``work`` (a service call that writes) on a worker thread, then ``then(result)``
        on the event loop. Returns False when not started (the same action still runs).

        The screen keeps drawing and echoing meanwhile; the busy line says at once that the
        program works, and "Even wachten…" when another counter holds the write lock.
        ``hold``: keys typed meanwhile are kept and delivered afterwards to the screen then
        shown (type-ahead), not to this one; when the write fails, none of them starts a
        write (the person sees the error first: a held F10 or Enter does not retry it unseen),
        while what they type still reaches the fields. ``once``: the key that started it,
        pressed again straight after while it runs, is dropped (F10 pressed three times saves
        once).
        A DeskError goes to ``show_error``, anything else to the app's error report.
        """
        app = self.desk_app
        if (hold or once) and (app.key_after_failure or self.__dict__.get("_after_failure")):
            # Started by a key typed while a write failed, before the person saw why.
            app.bell()
            return False
        name = f"{type(self).__name__}:{getattr(work, '__name__', 'work')}"
        running: set[str] = self.__dict__.setdefault("_running_writes", set())
        if name in running:
            app.bell()
            return False
        running.add(name)
        key = self._started_by() if once else None
        if key:
            app.once_keys[key] += 1
        if hold:
            app.hold_keys()
        if busy:
            self.show_busy(busy)
        db = self.desk.db

        def waiting() -> None:
            app.call_from_thread(self.show_busy, WAITING)

        def call() -> T:
            db.on_wait = waiting
            try:
                return work()
            finally:
                db.on_wait = None

        async def job() -> None:
            try:
                try:
                    if app.inline_writes:
                        result = work()
                    else:
                        result = await asyncio.to_thread(call)
                finally:
                    running.discard(name)
                    if key:
                        app.once_keys[key] -= 1
                    self.hide_busy()
                if then is not None:
                    then(result)
            except DeskError as exc:
                if hold:
                    app.held_keys_missed_a_failure()
                self.show_error(exc)
            except Exception as exc:  # the one place for the unexpected
                if hold:
                    app.held_keys_missed_a_failure()
                app.report_unexpected(exc, where=name)
            finally:
                if hold:
                    # After the focus changes the result asked for (``Widget.focus`` is itself
                    # a call_later): the kept keys go to the field that then has focus.
                    app.call_later(app.release_keys)

        self.run_worker(job(), group="writes", exit_on_error=False)
        return True

    def after_typed(self, action: Callable[[], Any], *, once: bool = False) -> None:
        """Run ``action`` once the field that has focus has taken the keys typed before.

        A priority binding (F10) runs the moment its key arrives, while the characters typed
        just before it may still wait in the field's own queue: reading the field now would
        miss them. The keys after it are kept meanwhile (type-ahead).
        """
        app = self.desk_app
        app.hold_keys()
        self.__dict__["_typed_holds"] = self.__dict__.get("_typed_holds", 0) + 1
        # ``once``: the key that asked for it, pressed again while it waits, is dropped (F10
        # three times saves once); ``run_write(once=True)`` in the action goes on from there.
        key = self._started_by() if once else None
        if key:
            app.once_keys[key] += 1
            self.__dict__.setdefault("_typed_keys", []).append(key)
        after_failure = app.key_after_failure  # the action runs later, when the key is done
        # Enter moves the focus at once (widgets/form.py), so keys typed into an earlier field
        # may still wait in that field's queue: wait for every text field, not only the
        # focused one. A callback queued on a widget runs after the keys queued before it.
        # What those keys made the fields say (Changed, RowSelected, ...) bubbles up through
        # their containers to this screen, one queue at a time: wait, round by round, for the
        # containers above them too, up to this screen.
        from textual.widgets import Input

        screen = cast("Widget", self)
        nodes: set[Widget] = set(screen.query(Input))
        focused = screen.screen.focused
        if focused is not None:
            nodes.add(focused)

        def wait_round(round_nodes: set[Widget]) -> None:
            parents = {node.parent for node in round_nodes
                       if node is not screen and isinstance(node.parent, Widget)}
            waiting = [0]

            def one_done() -> None:
                waiting[0] -= 1
                if waiting[0] == 0:
                    next_round()

            def next_round() -> None:
                if parents:
                    wait_round(parents)
                else:
                    run()

            for node in round_nodes:
                if node.call_later(one_done):
                    waiting[0] += 1
            if waiting[0] == 0:
                next_round()

        def run() -> None:
            if self.__dict__.get("_typed_holds", 0) <= 0:
                return  # the screen was closed meanwhile (and let go of the keys)
            self.__dict__["_typed_holds"] -= 1
            self.__dict__["_after_typed_key"] = key
            self.__dict__["_after_failure"] = after_failure
            try:
                action()
            except DeskError as exc:
                self.show_error(exc)
            except Exception as exc:  # the one place for the unexpected
                app.report_unexpected(exc, where=type(self).__name__)
            finally:
                self.__dict__["_after_typed_key"] = None
                self.__dict__["_after_failure"] = False
                if key:
                    app.once_keys[key] -= 1
                    self.__dict__["_typed_keys"].remove(key)
                app.call_later(app.release_keys)

        wait_round(nodes or {screen})

    def _started_by(self) -> str | None:
        """The key whose action runs now, also when ``after_typed`` runs it later."""
        key: str | None = self.__dict__.get("_after_typed_key")
        return key or self.desk_app.current_key

    def keep_typed(self) -> None:
        """The session ends (the line dropped): store what was typed and is not stored yet.
        A screen with a draft (``save_draft``, step 1) stores it now instead of a second
        later; the others keep nothing between their own saves."""
        save_draft = getattr(self, "save_draft", None)
        if callable(save_draft):
            save_draft()

    def show_busy(self, text: str) -> None:
        line = busy_line_of(self)
        if line is None:
            lines = self.query(BusyLine)  # composed, and not yet mounted
            line = lines.first() if lines else BusyLine()
            if not lines:
                self.mount(line)
            vars(self)[BUSY_LINE] = line
        line.show(text)

    def hide_busy(self) -> None:
        # After every write: the screen's busy line without a query of the whole screen (that
        # query was most of what a quick save cost the event loop).
        line = busy_line_of(self)
        if line is not None:
            line.hide()

    def _on_unmount(self) -> None:
        # Closed while ``after_typed`` waited for a field that is gone now: let go of the keys.
        for _ in range(self.__dict__.pop("_typed_holds", 0)):
            self.desk_app.release_keys()
        for key in self.__dict__.pop("_typed_keys", []):
            self.desk_app.once_keys[key] -= 1

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # This screen is shown and ready: keys typed while it was coming go to it now.
        self.desk_app.screen_ready(self)

    def show_error(self, error: DeskError) -> None:
        """Show an expected failure; screens with a message line override this."""
        from tui_desk.screens.error import ErrorDialog

        self.app.push_screen(ErrorDialog(str(error)))

    @property
    def desk_app(self) -> TuiDeskApp:
        """The running application, typed (``widgets.desk_app``)."""
        return desk_app(self)

    @property
    def desk(self) -> Desk:
        return self.desk_app.desk

    @property
    def staff(self) -> Staff:
        """The signed-in staff member: every screen past Aanmelden has one."""
        staff = self.desk.staff
        if staff is None:
            raise RuntimeError("no staff member is signed in")
        return staff


class DeskScreen(SafeDispatch, Screen[None]):
    """Base full screen: subclasses implement ``compose_body``."""

    def compose(self) -> ComposeResult:
        yield MenuBar(MENUS)
        yield from self.compose_body()
        yield DeskFooter(compact=True)
        yield StatusLine()
        # Last: docked at the bottom over the footer and the message line, so that "Even
        # wachten…" is in view while it matters (under the footer it never showed).
        yield BusyLine()

    def compose_body(self) -> ComposeResult:
        return iter(())

    def on_screen_resume(self) -> None:
        # The person signed in, or a record changed underneath: the bar shows the current state.
        self.query_one(MenuBar).refresh()


class DeskModal(SafeDispatch, ModalScreen[ResultType]):
    """Base dialog (a modal screen) with the same error handling as the full screens."""
