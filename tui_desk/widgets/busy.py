"""The busy line: one line above the footer that says at once that the program is working
("Bezig met opslaan…") or waiting for another counter ("Even wachten: …"). Keys typed meanwhile
are kept and delivered afterwards (``TuiDeskApp.hold_keys``)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class BusyLine(Static):
    DEFAULT_CSS = """
    BusyLine {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $warning;
        color: $text;
        text-style: bold;
        display: none;
        padding: 0 1;
    }
    BusyLine.shown { display: block; }
    """

    text = ""

    def show(self, text: str) -> None:
        self.text = text
        self.update(Text(text))
        self.add_class("shown")

    def hide(self) -> None:
        self.remove_class("shown")
