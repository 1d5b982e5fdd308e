"""Controleer gegevens incassomachtiging: OK records the processed mandate."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Button, Static

from tui_desk.screens.dialogs.mandate_dialog import (
    MandateDialog,
    row,
    value_text,
)
from tui_desk.services.mandates import (
    MandateReview,
    ProcessResult,
)


class ReviewMandateScreen(MandateDialog):
    """"Controleer gegevens incassomachtiging": OK (Enter, F10) records; Esc goes back.

    ``record``: the write OK makes; the dialog dismisses with its result once it is stored
    (with True when there is none). OK pressed again while it is stored records once; a
    failure (another counter holds the database) is said here and OK can be pressed again.
    """

    def __init__(self, review: MandateReview,
                 record: Callable[[], ProcessResult] | None = None) -> None:
        super().__init__()
        self.review = review
        self.record = record

    def compose(self) -> ComposeResult:
        with self.frame("Controleer gegevens incassomachtiging", classes="md-dialog",
                        id="md-review"):
            for label, value in self.review.rows():
                yield row(f"{label}:", Static(value_text(value), classes="md-value"))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-review-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-review-ok", Button).focus()

    def action_form_move(self, step: int, submit: bool) -> None:
        # Enter is OK here, run by the key's own binding (not through the button's Pressed
        # message), so that the app knows the key and drops it when pressed again meanwhile.
        if submit:
            self.action_ok()
        else:
            super().action_form_move(step, submit)

    def action_ok(self) -> None:
        if self.record is None:
            self.dismiss(True)
            return
        self.run_write(self.record, self.dismiss, busy="Machtiging verwerken…", once=True)

    def action_close(self) -> None:
        self.dismiss(None if self.record is not None else False)
