"""The message line at the bottom of a screen: where notifications go instead of toasts.

A toast is drawn over the bottom right of the screen, over a form field or a receipt preview.
The message line takes the footer's row while it shows a message (the footer's keys come back
after the timeout): that row is never covered by a dialog, and nothing of the form is.
"""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Footer, Static

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
        self._footer_shown(False)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout or DEFAULT_SECONDS, self.clear)

    def clear(self) -> None:
        self._timer = None
        self.display = False
        self._footer_shown(True)

    def _footer_shown(self, shown: bool) -> None:
        for footer in self.screen.query(Footer):
            footer.display = shown
