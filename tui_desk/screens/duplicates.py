"""Likely duplicates before leaving step 1: open one of them, or go on with a new customer."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.services.registration import DuplicateCandidate
from tui_desk.widgets.dialog import Dialog


class DuplicatesScreen(Dialog[int | str | None]):
    """Dismisses with a customer id (open that one), "new" (toch nieuwe klant) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "new", "Toch nieuwe klant"),
        Binding("escape", "back", "Terug"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen { align: center middle; }
    DuplicatesScreen > Vertical {
        width: 78; height: auto; max-height: 20; border: round $warning; background: $panel;
        padding: 0 1;
    }
    DuplicatesScreen DataTable { height: auto; max-height: 12; }
    DuplicatesScreen Static { height: auto; }
    """

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__()
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        with self.frame("Mogelijk dubbele klant"):
            yield Static(Text(
                "Deze klant(en) lijken op de nieuwe inschrijving. Enter opent de gekozen "
                "klant; F10 schrijft toch een nieuwe klant in."))
            table: DataTable = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Pasnummer", "Naam", "Geboren", "Adres", "Waarom")
            for c in self.candidates:
                table.add_row(Text(c.card_number), Text(printable(c.name)),
                              Text(dates.show(c.birth_date)), Text(printable(c.address)),
                              Text(c.reason), key=str(c.customer_id))
            yield table

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(event.row_key.value or 0))

    def action_new(self) -> None:
        self.dismiss("new")

    def action_back(self) -> None:
        self.dismiss(None)
