"""Type-ahead: keys are handled one at a time, in the order typed, and keys typed while a
screen is being replaced (or a write that leads to another screen runs) are held and delivered
to the screen then shown. ``TypeAheadApp`` is the part of ``TuiDeskApp`` that does this."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

# However long a screen takes, type-ahead is never held longer than this.
HOLD_LIMIT_SECONDS = 20.0
# A key still on its way through the fields after this long is not waited for any longer.
KEY_WATCHDOG_SECONDS = 2.0
REPLACED_INPUT = ("Een getypt teken kwam onleesbaar binnen en is vervangen door \ufffd. Stel de "
                  "terminal in op UTF-8 en typ het teken opnieuw.")


def _mark(event: events.Key | events.Paste, **marks: bool) -> None:
    """Textual's key events have no field for these marks: they ride on the event itself."""
    for name, value in marks.items():
        setattr(event, name, value)


class TypeAheadApp(App[None]):
    """The keys' order and type-ahead (see ``on_event``)."""

    def __init__(self) -> None:
        super().__init__()
        self.hold_on_screen_change = True
        # Keys held while a screen is being replaced or a write that leads to another screen
        # runs; delivered in order once the next screen is shown.
        self._held: list[events.Key | events.Paste] = []
        self._awaiting_screen = False
        self._writes_holding = 0
        self._replay_posted = False             # a held key is on its way to on_event
        self._key_started: float | None = None  # a key is being handled (since when)
        self._key_number = 0
        self._key_watchdog: Timer | None = None
        self._hold_timer: Timer | None = None
        self.current_key: str | None = None     # the key whose binding runs now
        self.typeahead = False                  # ... and whether it was typed ahead
        self.key_after_failure = False          # ... during a write that then failed
        self.last_key_typeahead = False         # the same for the last key (kept afterwards)
        self.once_keys: Counter[str] = Counter()  # keys of once-only actions still running
        self._last_key: str | None = None

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
                _mark(event, typeahead=self._holding)
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
        self.key_after_failure = bool(getattr(event, "after_failure", False))
        self.last_key_typeahead = self.typeahead
        try:
            await super().on_event(event)
        finally:
            self.current_key = None
            self.typeahead = False
            self.key_after_failure = False

    def _follow_key(self, event: events.Key | events.Paste, node: MessagePump) -> None:
        """Finish the key once ``node`` handled it: it stopped there, or went on to the parent
        (bubbling is posted before a callback queued after the key runs)."""
        number = self._key_number

        def handled() -> None:
            if self._key_started is None or self._key_number != number:
                return  # given up on by the watchdog
            parent = node._parent  # the node the key bubbles to, if any
            if node is self or parent is None:
                self._key_done()
            elif event._stop_propagation and event._sender is not parent:
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

    def held_keys_missed_a_failure(self) -> None:
        """The write the held keys waited for failed: they were typed before the person could
        see that (a key held down, "F10 Enter F10" while the save seemed to do nothing). They
        are still delivered — a correction typed on reaches the field the error points at —
        but marked: none of them starts a write (``key_after_failure``, checked by
        ``run_write``) or closes the error dialog (typed ahead)."""
        for event in self._held:
            _mark(event, after_failure=True)

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
            self._hold_timer.stop()
            self._hold_timer = None
        if not self._held:
            return
        old = self._held.pop(0)
        new: events.Key | events.Paste
        if isinstance(old, events.Key):
            new = events.Key(old.key, old.character)
        else:
            new = events.Paste(old.text)
        _mark(new, typeahead=getattr(old, "typeahead", True), replayed=True,
              after_failure=getattr(old, "after_failure", False))
        # From the app, as the terminal's keys are (not from whatever widget's callback runs
        # this): the sender decides where Textual stops a bubbling key.
        new._sender = self
        self._replay_posted = True
        self.post_message(new)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._await_screen()
        return super().push_screen(*args, **kwargs)

    def switch_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._await_screen()
        return super().switch_screen(*args, **kwargs)

    def pop_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._await_screen()
        return super().pop_screen(*args, **kwargs)

