"""Zoek klant (Alt+Z) and Zoek klant (direct) (Ctrl+Z).

One field finds a customer by card number (a scan), surname, postcode + house number, birth
date or actor id (see ``services.search``). Names and addresses in the list are shown as
``Text``: never parsed as markup, control characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.services import search as search_service
from tui_desk.services.search import SearchHit, SearchResult
from tui_desk.widgets.dialog import Dialog
from tui_desk.widgets.keys import DeskInput

PLACEHOLDER = "pasnummer, achternaam, postcode + huisnr of geboortedatum"

# (label, width): 68 + 2 cells padding a column + 2 for the scroll bar = 80 columns.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Pasnummer", 14), ("Naam", 18), ("Geboren", 10), ("Adres", 16), ("Plaats", 10),
)


# Rows of the list drawn before the screen is: at 80x24 the list shows 15.
FIRST_SCREENFUL = 20


def _cell(text: str) -> Text:
    return Text(printable(text), no_wrap=True, overflow="ellipsis")


def _add_rows(table: DataTable, hits: Sequence[SearchHit]) -> None:
    for hit in hits:
        table.add_row(
            _cell(hit.card_number),
            _cell(hit.name),
            _cell(dates.show(hit.birth_date)),
            _cell(hit.address),
            _cell(hit.place),
            key=str(hit.customer_id),
        )


class SearchScreen(DeskScreen):
    """Zoek klant: the field, a status line and the list of customers found."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Terug"),
        Binding("down", "to_list", "Naar lijst", show=False),
    ]

    def __init__(self, query: str | None = None) -> None:
        super().__init__()
        self.initial_query = query
        self.result: SearchResult | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="search-body"):
            with Horizontal(id="search-bar"):
                yield Label("Zoek klant", id="search-label")
                yield DeskInput(placeholder=PLACEHOLDER, id="search-input", compact=True)
            yield Static(id="search-status")
            yield DataTable(id="search-results", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#search-results", DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        table.display = False
        field = self.query_one("#search-input", Input)
        if self.initial_query:
            field.value = self.initial_query
            self.run_search(self.initial_query, open_single=False)
        field.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # Back from a record that may have been changed (or removed): show the list as it is now.
        if self.result is not None and self.result.kind != search_service.EMPTY:
            table = self.query_one("#search-results", DataTable)
            row = table.cursor_row
            self.run_search(self.query_one("#search-input", Input).value, open_single=False)
            if table.row_count:
                table.move_cursor(row=min(row, table.row_count - 1))

    # -- searching -------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(event.value, open_single=True)

    def run_search(self, query: str, *, open_single: bool) -> None:
        desk = self.desk
        result = search_service.search(desk.db, query, desk.clock.today())
        self.result = result
        if result.kind != search_service.EMPTY:
            self.desk_app.last_search = query
        self.show_result(result)
        if open_single and len(result.hits) == 1 and not result.more:
            self.desk_app.open_customer(result.hits[0].customer_id)

    def show_result(self, result: SearchResult) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(printable(result.message)))
        status.set_class(not result.hits, "-warning")
        table = self.query_one("#search-results", DataTable)
        # The first screenful at once (and the row the cursor was on, for a list shown again);
        # the rest once that is on the screen: filling 200 rows before drawing any took
        # 50-90 ms after Enter (issue 20).
        first = max(FIRST_SCREENFUL, table.cursor_row + 1)
        table.clear()
        self._shown = getattr(self, "_shown", 0) + 1
        hits = result.hits
        _add_rows(table, hits[:first])
        table.display = bool(hits)
        if len(hits) > first:
            shown = self._shown

            def the_rest() -> None:
                if shown == self._shown:  # not when another search replaced the list
                    _add_rows(table, hits[first:])

            self.call_after_refresh(the_rest)

    # -- the list --------------------------------------------------------------------------
    def action_to_list(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if table.display and table.row_count:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.desk_app.open_customer(int(event.row_key.value))

    def on_key(self, event: events.Key) -> None:
        # Up on the first row of the list goes back to the search field.
        table = self.query_one("#search-results", DataTable)
        if event.key == "up" and self.focused is table and table.cursor_row == 0:
            event.stop()
            self.query_one("#search-input", Input).focus()

    def action_close(self) -> None:
        self.dismiss()


class DirectSearchScreen(Dialog[None]):
    """Zoek klant (direct): scan or type; one match opens the record, otherwise the list."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Sluiten")]

    def compose(self) -> ComposeResult:
        with self.frame("Zoek klant (direct)", id="direct-box"):
            yield DeskInput(placeholder="scan de pas, of typ pasnummer of naam", id="direct-input",
                        compact=True)
            yield Static(id="direct-status")

    def on_mount(self) -> None:
        self.query_one("#direct-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        desk = self.desk_app.desk
        query = event.value
        result = search_service.search(desk.db, query, desk.clock.today())
        if result.kind == search_service.EMPTY:
            self.query_one("#direct-status", Static).update(Text(result.message))
            return
        if len(result.hits) == 1 and not result.more:
            self.app.pop_screen()
            self.desk_app.open_customer(result.hits[0].customer_id)
            return
        self.app.switch_screen(SearchScreen(query=query))

