"""The message line at the bottom of a screen: where notifications go instead of toasts.

A toast is drawn over the bottom right of the screen, over a form field or a receipt preview.
The message line is the row above the footer, there only while it shows a message: the screen's
content gives up that row for the time, the footer keeps its keys, and dialogs (the receipt
preview) leave the two bottom rows free.
"""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tui_desk.rules.text import printable

DEFAULT_SECONDS = 5.0


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        dock: bottom; height: 1; width: 100%; display: none; padding: 0 1;
        background: $panel; color: $text; text-style: bold;
    }
    StatusLine.-warning { background: $warning; color: $background; }
    StatusLine.-error { background: $error; color: $text; }
    """

    _timer: Timer | None = None

    def show(self, message: str, *, title: str = "", severity: str = "information",
             timeout: float | None = None) -> None:
        """Show ``message`` (plain text, never markup) for ``timeout`` seconds."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if title:
            text.append(printable(title) + ": ")
        text.append(printable(" ".join(message.split())))
        self.update(text)
        self.set_class(severity == "warning", "-warning")
        self.set_class(severity == "error", "-error")
        self.display = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout or DEFAULT_SECONDS, self.clear)

    def clear(self) -> None:
        self._timer = None
        self.display = False
