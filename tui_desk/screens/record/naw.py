"""Tab 2.NAW-Gegevens: the form of name, address, phone and e-mail, with a message per field.
Labels, limits and what is mandatory (red, "rood is verplicht") come from the one field table
(``rules.fields``); checking and saving is ``services.customers.update_naw``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from tui_desk.rules import fields
from tui_desk.rules.text import printable
from tui_desk.services import customers as service
from tui_desk.widgets.form import LimitedInput

# The NAW form: field → label, in the service's order.
NAW_LABELS: dict[str, str] = {key: fields.field(key).label for key in service.NAW_FIELDS}
# Red labels: what a person's record must have.
REQUIRED = frozenset(key for key in service.NAW_FIELDS if fields.is_mandatory(
    key, institution=False, youth=False, dutch=True, email_optional=True))
PLACEHOLDERS = {"birth_date": "dd-mm-jjjj", "postcode": "1234 AB"}


class NawTab(VerticalScroll):
    def compose(self) -> ComposeResult:
        with Grid(id="naw-form"):
            for key, label in NAW_LABELS.items():
                yield Label(label, classes="naw-label" + (
                    " -required" if key in REQUIRED else ""))
                yield LimitedInput(id=f"naw-{key}", compact=True,
                                   placeholder=PLACEHOLDERS.get(key, ""),
                                   limit=fields.field(key).max_length)
                yield Static(id=f"naw-{key}-error", classes="naw-error")
        with Horizontal(classes="button-row"):
            yield Button("Opslaan (F2)", id="naw-save", compact=True)
            yield Static(id="naw-status", classes="status")

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#naw-{key}", Input).value for key in NAW_LABELS}

    def fill(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            # A field shows what is stored, made printable (an ESC in a stored name would
            # reach the terminal from the field); saving stores what the field shows.
            self.query_one(f"#naw-{key}", Input).value = printable(value)

    def clear_errors(self) -> None:
        for key in NAW_LABELS:
            self.query_one(f"#naw-{key}-error", Static).update("")
            self.query_one(f"#naw-{key}", Input).remove_class("-invalid")

    def show_errors(self, errors: dict[str, str]) -> str | None:
        """A message next to every field in ``errors``; returns the first such field."""
        first = None
        for key, message in errors.items():
            if key not in NAW_LABELS:
                continue
            self.query_one(f"#naw-{key}-error", Static).update(Text(message))
            self.query_one(f"#naw-{key}", Input).add_class("-invalid")
            first = first or key
        return first

    def on_limited_input_cut(self, event: LimitedInput.Cut) -> None:
        """A paste longer than the field takes was cut: said next to the field."""
        key = (event.input.id or "").removeprefix("naw-")
        if key in NAW_LABELS:
            self.query_one(f"#naw-{key}-error", Static).update(
                Text(fields.cut_message(NAW_LABELS[key], event.limit)))
