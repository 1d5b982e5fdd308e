"""Small helpers for the DataTable lists of the screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._data_table import CellDoesNotExist, RowKey


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, or None when the list is empty."""
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return None if key is None else str(key)


class FixedWidthTable(DataTable):
    """A DataTable whose columns have a fixed width and whose rows are one line each.

    Textual measures every cell of every new row (on the next idle) to widen its columns, also
    when a column's width is fixed and the measure is thrown away: for Zoek klant's 200 rows
    that was 35-180 ms on the event loop (issue 20). Here new rows of one line without a label
    only set the table's size; anything else is measured as Textual does.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        rows = self.rows
        if (self._labelled_row_exists
                or any(column.auto_width for column in self.columns.values())
                or any(rows[key].label is not None or rows[key].auto_height
                       for key in new_rows if key in rows)):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width,
                                 self._total_row_height + header)
