"""Vastleggen klantdocument voltooid: a message with OK."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static

from tui_desk.screens.dialogs.mandate_dialog import (
    MandateDialog,
)


class DoneScreen(MandateDialog):
    """A message with OK ("Vastleggen klantdocument voltooid")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "close", "OK"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with self.frame("Opmerking", classes="md-dialog md-small"):
            yield Static(Text(self.text, style="bold"), classes="md-line", id="md-done-text")
            yield Static("", classes="md-message")
            yield Button("OK", id="md-done-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-done-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)
