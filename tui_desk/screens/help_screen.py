"""F1: the help of the screen below, in a box over it; Esc or F1 closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui_desk.screens.base import DeskModal
from tui_desk.screens.help import common_keys, help_for, key_display


def help_text(screen_class: str) -> tuple[str, Group]:
    """(title, body) of a screen's help: purpose, fields, its own keys then the keys of
    every screen, and the rules that bite."""
    found = help_for(screen_class)
    if found is None:
        return "Help", Group(Text("Voor dit scherm is nog geen help geschreven."))
    parts: list = [Text(found.purpose)]

    def table(rows: list[tuple[str, str]], first_width: int) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", width=first_width, no_wrap=True)
        grid.add_column(ratio=1)
        for left, right in rows:
            grid.add_row(left, right)
        return grid

    if found.fields:
        parts += [Text("\nVelden", style="bold underline"),
                  table(list(found.fields), min(22, max(len(n) for n, _ in found.fields)))]
    keys = [(key_display(k), t) for k, t in found.keys]
    keys += [(key_display(k), t) for k, t in common_keys() if not found.explains(k)]
    parts += [Text("\nToetsen", style="bold underline"), table(keys, 7)]
    if found.rules:
        parts += [Text("\nGoed om te weten", style="bold underline"),
                  table([("•", r) for r in found.rules], 1)]
    return found.title, Group(*parts)


class HelpScreen(DeskModal[None]):
    """The help of one screen class, scrollable with the arrow keys and PgUp/PgDn. (A
    DeskModal like every dialog: one error path, and keys typed while it opens reach it.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Sluiten"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 78; height: 22; border: round $primary; background: $panel; padding: 0 1;
    }
    HelpScreen #help-foot { height: 1; color: $text-muted; }
    """

    def __init__(self, screen_class: str) -> None:
        super().__init__()
        self.screen_class = screen_class

    def compose(self) -> ComposeResult:
        title, body = help_text(self.screen_class)
        with Vertical() as box:
            box.border_title = f"Help: {title}"
            with VerticalScroll(id="help-scroll"):
                yield Static(body, id="help-body")
            yield Static("↑↓ PgUp PgDn bladeren · Esc of F1 sluiten", id="help-foot")

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
