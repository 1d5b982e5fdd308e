"""Afdrukvoorbeeld: what a receipt or the ledenpas looks like (shown in demo mode).

The lines come from ``services.printing.preview_lines``: the receipt's ESC/POS bytes read back,
or a picture of the card with its fields. They are shown as ``Text`` (never markup) and made
printable: they hold customer names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui_desk.rules.text import printable
from tui_desk.services import printing
from tui_desk.services.printing import PrintJob
from tui_desk.widgets.dialog import Dialog


class PrintPreviewScreen(Dialog[None]):
    """A receipt or card as text, in a box; Escape or Enter closes it."""

    CSS_PATH = "print_queue.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Sluiten"),
    ]

    def __init__(self, lines: Sequence[str], title: str = "Afdrukvoorbeeld",
                 note: str = "") -> None:
        super().__init__()
        self.lines = list(lines)
        self.title_text = title
        self.note = note

    @classmethod
    def for_job(cls, job: PrintJob) -> PrintPreviewScreen:
        """The preview of a stored job (it must have its payload)."""
        what = printing.KIND_LABELS.get(job.kind, job.kind)
        note = ""
        if job.printer.startswith("demo:"):
            note = "Oefenprinter: er is niets echt geprint."
        return cls(printing.preview_lines(job), f"{what} — opdracht {job.id}", note)

    def compose(self) -> ComposeResult:
        width = max((len(line) for line in self.lines), default=20)
        with Vertical(id="preview-box") as box:
            box.border_title = self.title_text
            box.styles.width = min(max(width + 6, 30), 100)
            with VerticalScroll(id="preview-scroll"):
                body = Text("\n".join(printable(line) for line in self.lines), no_wrap=True)
                yield Static(body, id="preview-body")
            if self.note:
                yield Static(Text(self.note), id="preview-note")

    def on_mount(self) -> None:
        # Up/Down/PgUp/PgDn/Home/End scroll a receipt longer than the screen.
        # (Not there when the app closes while the preview is still being mounted.)
        for scroll in self.query("#preview-scroll").results(VerticalScroll):
            scroll.focus()

