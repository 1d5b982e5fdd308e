"""Tab 3.Contributie: the registration date and every subscription period."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui_desk.models import Customer
from tui_desk.rules import dates
from tui_desk.rules.money import format_cents
from tui_desk.screens.record.common import safe


class ContributieTab(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="contributie-registered")
        yield DataTable(id="contributie-periods", cursor_type="row")

    def add_columns(self) -> None:
        periods = self.query_one("#contributie-periods", DataTable)
        for label, width in (("Instantie", 11), ("Begin", 10), ("Eind", 10), ("Abonnement", 10),
                             ("Status", 12), ("Kosten", 6), ("Sectie", 4)):
            periods.add_column(label, width=width)

    def show(self, c: Customer) -> None:
        self.query_one("#contributie-registered", Static).update(
            Text.assemble(("Inschrijfdatum  ", "bold"), dates.show_long(c.registered_on))
        )
        table = self.query_one("#contributie-periods", DataTable)
        table.clear()
        for p in c.periods:
            table.add_row(
                safe(f"{p.instance} / {p.branch_code}"), Text(dates.show(p.start_date)),
                Text(dates.show(p.end_date)), safe(p.label), safe(p.status),
                Text(format_cents(p.amount_cents, symbol=False), justify="right"),
                safe(p.section),
            )
