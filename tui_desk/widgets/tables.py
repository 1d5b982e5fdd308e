"""Small helpers for the DataTable lists of the screens."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets._data_table import CellDoesNotExist


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, or None when the list is empty."""
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return None if key is None else str(key)
