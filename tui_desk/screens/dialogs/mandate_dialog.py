"""What the mandate dialogs share (``screens.mandate`` and ``screens/dialogs/*``): the labels,
a labelled row, and ``MandateDialog``: a dialog in a frame where Enter/Tab move on, Enter on a
button presses it, F10 is OK and Esc closes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.services.mandates import MandateInputError
from tui_desk.widgets.dialog import Dialog
from tui_desk.widgets.form import FormNavigation

# Relative to the module of the class that names it: one stylesheet for the mandate screens.
MANDATE_CSS = Path(__file__).resolve().parents[1] / "mandate.tcss"

TITLE = "Inschrijven klant · Incassomachtiging (stap 5)"
BIC_NOTE = "* Alleen bij buitenlandse rekeningnummers"
SIGN_HINT = ("Laat de klant het formulier controleren en ondertekenen. "
             "Daarna: F6 Verwerk machtiging.")
SCAN_HINT = "Scan de barcode links bovenaan op de geprinte machtiging."
SOURCE_CHOICES = (("scan", "Scan pagina"), ("file", "Selecteer bestand"), ("none", "Geen upload"))


def value_text(value: object) -> Text:
    return Text(printable(str(value or "")))


def grouped(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def row(label: str, widget: Widget, *, id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="md-label"), widget, classes="md-row", id=id)


class MandateDialog(FormNavigation, Dialog[Any]):
    """A dialog in a frame: Enter/Tab move on, Enter on a button presses it, F10 is OK
    (``action_ok``), Esc closes."""

    CSS_PATH = MANDATE_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormNavigation.FORM_BINDINGS,
        Binding("escape", "close", "Terug"),
        Binding("f10", "ok", "OK"),
    ]
    MESSAGE = ".md-message"

    # A field named in a MandateInputError → the input that gets the focus.
    ERROR_FIELDS: ClassVar[dict[str, str]] = {}

    def show_error(self, error: DeskError) -> None:
        """An expected failure is said in the dialog's message line; what was typed stays."""
        if (isinstance(error, MandateInputError) and error.errors
                and self.query(self.MESSAGE)):
            self.say(" ".join(error.errors.values()), error=True)
            target = self.ERROR_FIELDS.get(next(iter(error.errors)))
            if target and self.query(f"#{target}"):
                self.query_one(f"#{target}", Input).focus()
            return
        super().show_error(error)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        """OK (F10, the OK button): what the dialog is for."""
