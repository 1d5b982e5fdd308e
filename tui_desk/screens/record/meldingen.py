"""Tab 5.Meldingen: the blocks, the four notices and the editor for one of them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Label, Static

from tui_desk.models import Customer
from tui_desk.rules.text import printable
from tui_desk.screens.record.common import safe
from tui_desk.services import customers as service
from tui_desk.widgets.keys import DeskInput


class MeldingenTab(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="blocks-info")
        yield DataTable(id="notices-table", cursor_type="row")
        with Horizontal(id="notice-editor"):
            yield Label("Melding", id="notice-label")
            yield DeskInput(id="notice-input", max_length=service.NOTICE_LENGTH,
                            compact=True, placeholder="hoogstens 60 tekens")
            yield Checkbox("privé: nee", id="notice-private", compact=True)
        yield Static(id="notice-status", classes="status")
        yield Static(
            Text("Enter op een regel = wijzigen of toevoegen · Enter/F2 in de tekst = "
                 "opslaan · Del = verwijderen · privé = melding bij openen"),
            id="notice-help",
        )

    def add_columns(self) -> None:
        notices = self.query_one("#notices-table", DataTable)
        notices.add_column("Nr", width=2)
        notices.add_column("Melding", width=60)
        notices.add_column("Privé", width=5)

    def show_blocks(self, lines: list[str]) -> None:
        blocks = Text()
        for line in lines:
            blocks.append("BLOKKADE ", style="bold reverse")
            blocks.append(" " + printable(line))
            blocks.append("\n")
        self.query_one("#blocks-info", Static).update(blocks)

    def show(self, c: Customer) -> None:
        table = self.query_one("#notices-table", DataTable)
        row = table.cursor_row
        table.clear()
        by_slot = {n.slot: n for n in c.notices}
        for slot in range(1, service.MAX_NOTICES + 1):
            n = by_slot.get(slot)
            table.add_row(
                Text(str(slot)),
                safe(n.text) if n else Text("—", style="dim"),
                Text("ja" if n and n.private else ""),
                key=str(slot),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        # Said in words too: the box's colour alone does not show on a monochrome terminal.
        event.checkbox.label = "privé: ja" if event.value else "privé: nee"
