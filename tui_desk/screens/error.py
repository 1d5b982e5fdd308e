"""The error dialog: a Dutch message in a frame; Enter or Escape closes it.

Used for expected failures on screens without a message line of their own, and for the
unexpected ones ("Er ging iets mis…"), whose details go to the log, never to the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui_desk.rules.text import printable_lines
from tui_desk.widgets.dialog import Dialog

UNEXPECTED = ("Er ging iets mis in het programma. Wat u typte is bewaard. Probeer het opnieuw; "
              "gaat het weer mis, meld dan het tijdstip aan de beheerder.")


class ErrorDialog(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Sluiten", priority=True),
    ]
    DEFAULT_CSS = """
    ErrorDialog { align: center middle; background: $background 40%; }
    ErrorDialog > Vertical {
        width: 64; height: auto; max-height: 16; border: round $error; background: $panel;
        padding: 0 1;
    }
    ErrorDialog Static { height: auto; }
    ErrorDialog #error-keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, message: str, title: str = "Melding") -> None:
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with self.frame(self.title_text):
            yield Static(Text(printable_lines(self.message)), id="error-message")
            yield Static(Text("Enter: sluiten"), id="error-keys")

    def action_close(self) -> None:
        # Enter or Esc typed before the message was on the screen (held while it came, e.g. a
        # key held down during a save that failed) does not close it unread.
        if self.desk_app.typeahead:
            self.app.bell()
            return
        super().action_close()

