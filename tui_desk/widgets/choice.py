"""Keyboard choices for forms: ``Choice`` (one of a few, e.g. Man/Vrouw/… or Ja/Nee) and
``Toggle`` (a check box). No mouse needed: arrows or space change them, the first letter of an
option picks it, Enter moves on like in a text field."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.reactive import reactive
from textual.widget import Widget

from tui_desk.widgets.field_message import FieldMessage
from tui_desk.widgets.keys import InOrderKeys


class KeyField(InOrderKeys, Widget, can_focus=True):
    """What Choice and Toggle share: one line, highlighted with the focus (redrawn when it
    comes and goes), Enter moves on."""

    DEFAULT_CSS = """
    KeyField { height: 1; width: auto; }
    KeyField:focus { background: $boost; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "next_field", show=False)]

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_next_field(self) -> None:
        self.screen.focus_next()


class Choice(KeyField):
    DEFAULT_CSS = "Choice { min-width: 10; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right,space", "move(1)", show=False),
    ]

    value: reactive[str] = reactive("", init=False)

    class Changed(FieldMessage["Choice", str]):
        """Another option was chosen (``choice``: the Choice)."""

        choice = FieldMessage.control

    def __init__(self, options: tuple[tuple[str, str], ...], value: str, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.set_reactive(Choice.value, value if value in dict(options) else options[0][0])

    def render(self) -> Text:
        # The chosen option in brackets: readable in monochrome and at 80 columns.
        text = Text(no_wrap=True)
        for value, label in self.options:
            chosen = value == self.value
            style = "bold reverse" if chosen and self.has_focus else ("bold" if chosen else "dim")
            text.append(f"[{label}]" if chosen else f" {label} ", style=style)
        return text

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_move(self, step: int) -> None:
        values = [v for v, _ in self.options]
        index = values.index(self.value) if self.value in values else 0
        self.value = values[(index + step) % len(values)]

    def on_key(self, event: Key) -> None:
        char = (event.character or "").lower()
        if len(char) != 1 or not char.isalpha():
            return
        for value, label in self.options:
            if label.lower().startswith(char):
                self.value = value
                event.stop()
                event.prevent_default()
                return


class Toggle(KeyField):
    """``[X] Incasso``: space toggles; J/N set it."""

    DEFAULT_CSS = "Toggle { min-width: 6; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "flip", show=False)]

    value: reactive[bool] = reactive(False, init=False)

    class Changed(FieldMessage["Toggle", bool]):
        """The box was ticked or cleared (``toggle``: the Toggle)."""

        toggle = FieldMessage.control

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(Toggle.value, value)

    def render(self) -> Text:
        box = "[X]" if self.value else "[ ]"
        return Text(f"{box} {self.label}", style="reverse" if self.has_focus else "",
                    no_wrap=True)

    def watch_value(self, value: bool) -> None:
        self.post_message(self.Changed(self, value))

    def action_flip(self) -> None:
        # Not ``action_toggle``: that is Textual's own action (toggle a named attribute).
        self.value = not self.value

    def on_key(self, event: Key) -> None:
        char = (event.character or "").lower()
        if char in ("j", "n", "x"):
            self.value = char in ("j", "x")
            event.stop()
            event.prevent_default()
