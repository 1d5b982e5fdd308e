"""The busy line: one line above the footer that says the program is working ("Bezig met
opslaan…") or waiting for another counter ("Even wachten: …"). Keys typed meanwhile are kept and
delivered afterwards (``TuiDeskApp.hold_keys``).

It appears only when the work outlasts ``DELAY`` (0.1 s, quicker than a person notices a wait):
a line that comes and goes lays out the whole screen twice, and most saves take a few
milliseconds (issue 20: two layouts of a ~110-widget form per save). A second message while it
waits to appear (the work now waits for another counter) shows at once.
"""

from __future__ import annotations

from rich.text import Text
from textual.dom import NoScreen
from textual.timer import Timer
from textual.widget import Widget

DELAY = 0.1
BUSY_LINE = "_busy_line"  # where a screen keeps its busy line (set when the line is mounted)


def busy_line_of(screen: object) -> BusyLine | None:
    """The busy line of ``screen``, without querying its widgets."""
    line = vars(screen).get(BUSY_LINE)
    return line if isinstance(line, BusyLine) and line.is_attached else None


class BusyLine(Widget):
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
    _pending: Timer | None = None

    def on_mount(self) -> None:
        vars(self.screen)[BUSY_LINE] = self

    def on_unmount(self) -> None:
        try:
            kept = vars(self.screen)
        except NoScreen:
            return
        if kept.get(BUSY_LINE) is self:
            del kept[BUSY_LINE]

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")

    def show(self, text: str) -> None:
        self.text = text
        self.refresh()  # one line of a fixed size: drawn again, never laid out
        if self.has_class("shown"):
            return
        if self._pending is None and self.is_attached and self.app.is_running:
            # The app's timer: a line mounted just now (a dialog's) runs no timer of its own yet.
            self._pending = self.app.set_timer(DELAY, self._appear)
        else:
            self._appear()

    def _appear(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.add_class("shown")

    def hide(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.remove_class("shown")

    @property
    def waiting_to_appear(self) -> bool:
        return self._pending is not None
