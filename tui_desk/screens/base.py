"""What every full screen of tui-desk has: the menu bar on top and the key footer below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tui_desk.widgets.menubar import MenuBar
from tui_desk.widgets.statusline import StatusLine

MENUS: tuple[tuple[str, str], ...] = (("Klanten", "k"), ("Financieel", "c"))


class DeskScreen(Screen[None]):
    """Base screen: subclasses implement ``compose_body``."""

    @property
    def desk(self):  # noqa: ANN201 - Desk, typed on the app
        return self.app.desk  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield MenuBar(MENUS)
        yield from self.compose_body()
        yield Footer(compact=True)
        yield StatusLine()

    def compose_body(self) -> ComposeResult:
        return iter(())

    def on_screen_resume(self) -> None:
        # The person signed in, or a record changed underneath: the bar shows the current state.
        self.query_one(MenuBar).refresh()
