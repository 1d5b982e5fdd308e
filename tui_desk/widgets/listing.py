"""The layout of a screen that lists things of one kind (Printwachtrij, Onbekende scans): a
title, a status line, a table with a row a thing (keyed by the thing's id) and, under it, the
detail of the row under the cursor. Esc closes the screen, F5 reads the list again.

A subclass names its ``COLUMNS`` (label, width), reads its rows in ``reload`` and keeps them
in ``rows`` (key → thing), and says what the detail panel shows in ``detail_of``. Its
``BINDINGS`` are its own keys followed by ``*ListingScreen.LISTING_BINDINGS`` (F5 and Esc, last
in the footer).
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.widgets.tables import cursor_key

Row = TypeVar("Row")


def cell(text: str) -> Text:
    """A table cell: printable, on one line, cut with an ellipsis."""
    return Text(printable(text), no_wrap=True, overflow="ellipsis")


class ListingScreen(DeskScreen, Generic[Row]):
    """A list of things with a status line and the detail of the one under the cursor."""

    CSS_PATH = "print_queue.tcss"
    # (label, width) of the table's columns; the label is the column's key.
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]] = ()
    # The title shown before the first read (a subclass may update it with what it shows).
    TITLE_TEXT: ClassVar[str] = ""
    # The keys every listing has, for the end of a subclass's BINDINGS (as Textual merges a
    # base class's BINDINGS in front of the subclass's, the footer would show them first).
    LISTING_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "Vernieuwen"),
        Binding("escape", "close", "Terug"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Row] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="queue-body"):
            yield Static(Text(self.TITLE_TEXT), id="queue-title")
            yield Static(id="queue-status")
            yield DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="queue-detail")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#queue-table", DataTable)

    def add_columns(self) -> None:
        table = self.table
        for label, width in self.COLUMNS:
            table.add_column(label, width=width, key=label)

    def show_error(self, error: DeskError) -> None:
        self.set_status(str(error), error=True)

    def set_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#queue-status", Static)
        status.update(Text(printable(message)))
        status.set_class(error, "-error")

    def selected(self) -> Row | None:
        """The thing under the cursor (None: the list is empty)."""
        key = cursor_key(self.table)
        return None if key is None else self.rows.get(key)

    def picked(self) -> Row | None:
        """The thing a key acts on: the one under the cursor; an empty list rings the bell."""
        row = self.selected()
        if row is None:
            self.app.bell()
        return row

    def show_detail(self) -> None:
        """Show the detail of ``selected()`` under the list (nothing for an empty list)."""
        row = self.selected()
        detail = self.query_one("#queue-detail", Static)
        detail.update("" if row is None else self.detail_of(row, detail.size.width))

    def detail_of(self, row: Row, width: int) -> Text:
        """The lines under the list for ``row``; ``width``: the panel's (0 before layout)."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the list again (off the event loop) and show it."""
        raise NotImplementedError

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def action_reload(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss()
