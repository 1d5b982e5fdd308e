"""The private notices, shown when the record opens."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from tui_desk.models import Notice
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskModal


class NoticePopup(DeskModal[None]):
    """The private notices, shown when the record opens; Enter or Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Sluiten"),
    ]

    def __init__(self, notices: list[Notice]) -> None:
        super().__init__()
        self.notices = notices

    def compose(self) -> ComposeResult:
        text = Text()
        for i, notice in enumerate(self.notices):
            if i:
                text.append("\n")
            text.append(f"{notice.slot}. ", style="bold")
            text.append(printable(notice.text))
        with Vertical(id="notice-popup") as box:
            box.border_title = "Melding"
            box.border_subtitle = "Enter = sluiten"
            yield Static(text, id="notice-popup-text")

    def action_close(self) -> None:
        self.dismiss()
