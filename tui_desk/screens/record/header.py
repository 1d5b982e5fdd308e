"""The record's header: five lines of 80 columns, as in the manual."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tui_desk.models import Customer
from tui_desk.rules import dates
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.screens.record.common import safe
from tui_desk.services import customers as service
from tui_desk.services import privacy
from tui_desk.services.desk import Desk


def header_text(desk: Desk, c: Customer) -> Table:
    """Card, actor id, branch, subscription and its status; name, birth date and age,
    contributie; address, activity, registratie; loans, strips; a block, cards, tegoed."""
    today = desk.clock.today()
    h = service.record_header(desk.db, c, today)
    outer = Table.grid()
    outer.add_column()
    first = Text(no_wrap=True, overflow="ellipsis")
    first.append(printable(c.card_number) or "(geen pas)", style="bold")
    first.append(f" [{c.actor_id}] {c.branch_code} (")
    first.append(printable(c.branch_name))
    first.append(")")
    if h.tariff_name:
        first.append(" ")
        first.append(printable(h.tariff_name))
    first.append("   ")
    first.append(h.status_line, style="bold")
    outer.add_row(first)

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=24, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=33, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=19, no_wrap=True, overflow="ellipsis")
    a = c.address
    born = "geboortedatum " + dates.show(c.birth_date)
    if h.age is not None:
        born += f" ({h.age} jr.)"
    name = safe(c.full_name)
    name.stylize("bold")
    grid.add_row(name, Text(born), Text(f"contributie {format_cents(h.contribution_cents)}"))
    grid.add_row(
        safe(a.line1 if a else ""),
        Text("laatste activiteit " + dates.show(c.last_activity)),
        Text(f"registratie {format_cents(h.registration_cents)}"),
    )
    grid.add_row(
        safe(a.line2 if a else ""),
        Text(f"in bezit {c.items_on_loan}"),
        Text(f"strippen {c.strips}"),
    )
    blocks = privacy.active_blocks(desk.db, c.id, today)
    flag = Text("")
    if blocks:
        flag = Text(f"BLOKKADE: {privacy.BLOCK_TYPES.get(blocks[0].type, blocks[0].type)}",
                    style="bold reverse", no_wrap=True, overflow="ellipsis")
    grid.add_row(
        flag,
        Text(f"actieve passen {h.active_cards}"),
        Text(f"tegoed {format_cents(h.balance_cents)}"),
    )
    outer.add_row(grid)
    return outer
