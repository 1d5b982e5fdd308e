"""Reden: why a registration stays open."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from tui_desk.services import followups as svc
from tui_desk.widgets.dialog import Dialog, box_css
from tui_desk.widgets.keys import DeskInput


class ReasonScreen(Dialog[str | None]):
    """"Reden": why the registration stays open (a suggestion typed in); Enter keeps it."""
    MESSAGE = "#reason-message"

    DEFAULT_CSS = box_css("ReasonScreen", width=60, border="$warning") + """
    ReasonScreen Static { height: auto; }
    ReasonScreen .error { color: $error; }
    """

    def __init__(self, what: str, suggestion: str) -> None:
        super().__init__()
        self.what = what
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with self.frame("Inschrijving open laten"):
            yield Static(Text(f"Open: {self.what}. Reden (Enter = vastleggen):"))
            yield DeskInput(value=self.suggestion, max_length=svc.REASON_MAX, id="reason-input")
            yield Static("", id="reason-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        if not text:
            self.say("Vul de reden in waarom de inschrijving open blijft.", error=True)
            return
        self.dismiss(text)
