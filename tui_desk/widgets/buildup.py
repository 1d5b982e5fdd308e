"""The "Opbouw abonnementskosten" table, shown in step 3 and in Muteer abonnement."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tui_desk.rules.periods import CostBuildUp
from tui_desk.rules.text import printable


def build_up_table(build: CostBuildUp) -> Table:
    """Two label/value columns as in the manual: Naam … Rechten t/m | Abonnement … Geldig t/m."""
    rows = build.rows()
    grid = Table.grid(padding=(0, 2))
    for _ in range(4):
        grid.add_column()
    left, right = rows[:5], rows[5:]
    for i in range(5):
        a = left[i] if i < len(left) else ("", "")
        b = right[i] if i < len(right) else ("", "")
        grid.add_row(Text(a[0], style="bold"), Text(printable(a[1])),
                     Text(b[0], style="bold"), Text(b[1]))
    return grid
