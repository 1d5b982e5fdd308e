"""The bar at the top of every screen: menus, the environment banner, who is signed in."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui_desk.rules.text import printable
from tui_desk.widgets.desk_app import desk_app

# The exercises: only in the training database (OEFENOMGEVING), Alt+E.
TRAINING_MENU = ("Oefeningen", "e")


class MenuBar(Static):
    """``Klanten  Financieel …   OEFENOMGEVING   Annen · J. Balie``.

    Menu titles show their Alt key (underlined letter) because there is no mouse.
    """

    DEFAULT_CSS = """
    MenuBar {
        dock: top;
        height: 1;
        width: 100%;
        background: $primary;
        color: $text;
    }
    """

    def __init__(self, menus: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.menus = menus

    @property
    def environment(self) -> str:
        return desk_app(self).desk.environment_label

    @property
    def who(self) -> str:
        desk = desk_app(self).desk
        if desk.staff is None:
            return ""
        return printable(f"{desk.branch_name} · {desk.staff.name}")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        menus = self.menus
        if desk_app(self).desk.demo:
            menus = (*menus, TRAINING_MENU)
        for title, key in menus:
            text.append(" ")
            i = title.lower().find(key.lower())
            if i < 0:
                text.append(title)
            else:
                text.append(title[:i])
                text.append(title[i], style="underline bold")
                text.append(title[i + 1 :])
            text.append(" ")
        right = Text()
        if self.environment:
            right.append(f" {self.environment} ", style="bold black on yellow")
            right.append(" ")
        right.append(self.who)  # appended as plain text: names are never markup
        right.append(" ")
        width = self.size.width or 80
        gap = max(1, width - text.cell_len - right.cell_len)
        text.append(" " * gap)
        text.append_text(right)
        return text
