"""Rows of a table with fixed-width columns are not measured (issue 20: Zoek klant's 200 rows
were measured cell by cell on the event loop, 35-180 ms, to widen columns that cannot widen)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, _data_table

from tui_desk.widgets.tables import FixedWidthTable


class TableApp(App[None]):
    def __init__(self, table: DataTable, auto: bool = False) -> None:
        super().__init__()
        self.table = table
        self.auto = auto

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        for label, width in (("Pasnummer", 14), ("Naam", 18)):
            self.table.add_column(label, width=None if self.auto else width, key=label)


async def _fill(table: DataTable, monkeypatch, auto: bool = False) -> tuple[int, object]:
    measured = [0]
    original = _data_table.measure

    def measure(*args, **kwargs):
        measured[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(_data_table, "measure", measure)
    app = TableApp(table, auto)
    async with app.run_test(size=(80, 24)) as pilot:
        measured[0] = 0
        for n in range(200):
            table.add_row(Text(f"{n:014d}"), Text(f"Klant {n}"), key=str(n))
        await pilot.pause()
        await pilot.pause()
        return measured[0], table.virtual_size


async def test_new_rows_of_fixed_width_columns_are_not_measured(monkeypatch):
    measured, size = await _fill(FixedWidthTable(), monkeypatch)
    plain_measured, plain_size = await _fill(DataTable(), monkeypatch)
    assert plain_measured >= 400  # Textual's own table measures every cell
    assert measured == 0
    assert size == plain_size


async def test_a_column_of_automatic_width_is_still_measured(monkeypatch):
    measured, size = await _fill(FixedWidthTable(), monkeypatch, auto=True)
    assert measured >= 400
    assert size.width > 0
