"""Field-to-field navigation that keeps up with a fast typist or a barcode scanner.

Textual hands a key to the widget that has focus *when the key arrives*, and a text field
handles Enter later, from its own queue. When keys come in a burst (a scanner sends
``29401000075801`` + Enter, a fast typist types the next field at once, a paste over SSH),
Enter would move the focus only after the following keys had already gone to the same field.

Here Enter and Tab are screen bindings with priority: they move the focus at once, so every
following key lands in the next field, and they post ``FieldDone`` to the field that was left.
That message queues behind the keys the field still has to process, so the field's own Enter
logic (``Input.Submitted``) runs with its complete value.

``LimitedInput`` takes at most ``limit`` characters: a paste (or a burst of keys) beyond it is
cut, and the field posts ``LimitedInput.Cut`` so the screen can say so next to it. (Textual's
own ``max_length`` refuses the whole paste without a word.)
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Button, Input

from tui_desk.widgets.field_message import FieldMessage
from tui_desk.widgets.keys import DeskInput


class FieldDone(Message):
    """Posted to a field that was left with Enter (``submit``) or Tab."""

    def __init__(self, submit: bool) -> None:
        super().__init__()
        self.submit = submit


class LimitedInput(DeskInput):
    """A DeskInput that keeps at most ``limit`` characters (0: no limit), cutting what is
    typed or pasted beyond it and saying so with a ``Cut`` message."""

    class Cut(FieldMessage["LimitedInput", int]):
        """Text typed or pasted into ``input`` was cut at ``limit`` characters."""

        input = FieldMessage.control
        limit = FieldMessage.value

    def __init__(self, *args: Any, limit: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def replace(self, text: str, start: int, end: int) -> None:
        if self.limit:
            value = self.value
            start, end = sorted((max(0, start), min(len(value), end)))
            room = self.limit - (len(value) - (end - start))
            if len(text) > room:
                text = text[:max(room, 0)]
                self.post_message(self.Cut(self, self.limit))
        super().replace(text, start, end)


class FormInput(LimitedInput):
    """An Input that reports Enter through ``FieldDone`` (see the module docstring)."""

    def on_field_done(self, message: FieldDone) -> None:
        message.stop()
        if message.submit:
            self.post_message(Input.Submitted(self, self.value))


class FormNavigation:
    """Mixin for a Screen whose fields are filled in order: Enter/Tab/Shift+Tab move on at once.

    A screen may set ``ENTER_STAYS`` to widget ids where Enter should stay in the field (e.g. a
    search box whose Enter shows a result next to it).
    """

    ENTER_STAYS: ClassVar[frozenset[str]] = frozenset()
    FORM_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "form_move(1, True)", show=False, priority=True),
        Binding("tab", "form_move(1, False)", show=False, priority=True),
        Binding("shift+tab", "form_move(-1, False)", show=False, priority=True),
    ]

    def action_form_move(self, step: int, submit: bool) -> None:
        screen = self  # the Screen this is mixed into
        focused = screen.focused  # type: ignore[attr-defined]
        if submit and isinstance(focused, Button):
            focused.press()
            return
        if submit and focused is not None and focused.id in self.ENTER_STAYS:
            focused.post_message(FieldDone(True))
            return
        if step > 0:
            screen.focus_next()  # type: ignore[attr-defined]
        else:
            screen.focus_previous()  # type: ignore[attr-defined]
        if focused is not None:
            focused.post_message(FieldDone(submit))
