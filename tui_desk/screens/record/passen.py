"""Tab 8.Passen: every card the customer had, with its status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from tui_desk.config import Config
from tui_desk.models import Customer
from tui_desk.rules import dates
from tui_desk.screens.record.common import safe

CARD_STATUS = {"actief": "Actief", "geblokkeerd": "Geblokkeerd", "vervangen": "Vervangen"}


class PassenTab(Vertical):
    def compose(self) -> ComposeResult:
        yield DataTable(id="cards-table", cursor_type="row")

    def add_columns(self) -> None:
        cards = self.query_one("#cards-table", DataTable)
        for label, width in (("Pasnummer", 14), ("Vestiging", 14), ("Status", 11),
                             ("Uitgegeven", 10), ("Geblokkeerd", 11), ("Reden", 10)):
            cards.add_column(label, width=width)

    def show(self, c: Customer, config: Config) -> None:
        table = self.query_one("#cards-table", DataTable)
        table.clear()
        for card in c.cards:
            branch = config.branch(card.branch_code)
            table.add_row(
                safe(card.number),
                safe(f"{card.branch_code} {branch.name}" if branch else card.branch_code),
                Text(CARD_STATUS.get(card.status, card.status)),
                Text(dates.show(card.issued_on)),
                Text(dates.show(card.blocked_on)),
                safe(card.reason),
            )
