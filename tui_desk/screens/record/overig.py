"""Tab 4.Overig: the consents and the change log, newest first, the highlighted entry in
full below it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tui_desk.rules.text import printable
from tui_desk.screens import audit_log
from tui_desk.screens.audit_log import AuditEntry


class OverigTab(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[AuditEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="overig-consents")
        yield DataTable(id="audit-table", cursor_type="row")
        with VerticalScroll(id="audit-detail-box"):
            yield Static(id="audit-detail")

    def add_columns(self) -> None:
        log = self.query_one("#audit-table", DataTable)
        for label, width in (("Wanneer", 16), ("Wie", 12), ("Wat", 18), ("Voor → Na", 22)):
            log.add_column(label, width=width)

    def show_consents(self, history: list[tuple[str, bool]]) -> None:
        """(line, withdrawn) per consent, oldest first; a withdrawn one dimmed."""
        consents = Text()
        consents.append("Toestemmingen (Alt+V)\n", style="bold")
        for line, withdrawn in history:
            consents.append(printable(line) + "\n", style="dim" if withdrawn else "")
        if not history:
            consents.append("geen\n", style="dim")
        self.query_one("#overig-consents", Static).update(consents)

    def show_log(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        for i, entry in enumerate(entries):
            table.add_row(*audit_log.row_cells(entry), key=str(i))
        self.show_detail(0)

    def show_detail(self, index: int) -> None:
        entries = self.entries
        text = (audit_log.detail(entries[index]) if 0 <= index < len(entries)
                else Text("Nog geen wijzigingen vastgelegd."))
        self.query_one("#audit-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "audit-table":
            self.show_detail(event.cursor_row)
