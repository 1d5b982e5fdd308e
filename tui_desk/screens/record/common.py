"""What every tab of the record uses to show stored text."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tui_desk.rules.text import printable


def safe(text: object) -> Text:
    """Untrusted text as a renderable that is never markup and has no control characters."""
    return Text(printable("" if text is None else str(text)), no_wrap=True, overflow="ellipsis")


def pairs(rows: list[tuple[str, str, str, str]]) -> Table:
    """Label/value pairs in two columns, as the 1.Klant tab shows them."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=12, style="bold")
    grid.add_column(width=22, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=14, style="bold")
    grid.add_column(width=26, no_wrap=True, overflow="ellipsis")
    for a, b, c, d in rows:
        grid.add_row(Text(a), safe(b), Text(c), safe(d))
    return grid
