"""The main screen after sign-in: who and where, and the way to the customers."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui_desk import keymap
from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen


class MainScreen(DeskScreen):
    def compose_body(self) -> ComposeResult:
        with Vertical(id="main-body"):
            yield Static(id="main-welcome")
            yield Static(id="main-keys")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.refresh_body()

    def on_mount(self) -> None:
        self.refresh_body()

    def refresh_body(self) -> None:
        desk = self.desk
        welcome = Text()
        # Stored and configured text is shown through printable(): a staff name with escape
        # sequences must not blank the screen or set the terminal's title.
        welcome.append(printable(desk.config.library.name), style="bold")
        welcome.append("\n")
        if desk.staff is not None:
            welcome.append(printable(f"Vestiging {desk.branch_name} · {desk.staff.name} · "))
        welcome.append(dates.show_long(desk.clock.today()))
        if desk.demo:
            welcome.append("\n\nOEFENOMGEVING", style="bold black on yellow")
            welcome.append(" — oefendatabase, geen echte klanten.")
        self.query_one("#main-welcome", Static).update(welcome)

        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key in keymap.GLOBAL:
            table.add_row(key.display, key.long or key.label)
        self.query_one("#main-keys", Static).update(table)
