"""F1: the help of the screen below, in a box over it; Esc or F1 closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_desk.screens.help import common_keys, help_for, key_display


def help_text(screen_class: str, *, shown_keys: tuple[str, ...] = ()) -> tuple[str, Text]:
    """(title, body) of a screen's help. ``shown_keys``: the keys its footer shows, listed
    first; the keys of every screen follow."""
    found = help_for(screen_class)
    body = Text()
    if found is None:
        return "Help", Text("Voor dit scherm is nog geen help geschreven.")
    body.append(found.purpose + "\n")
    if found.fields:
        body.append("\nVelden\n", style="bold")
        for name, text in found.fields:
            body.append(f"  {name}: ", style="bold")
            body.append(text + "\n")
    body.append("\nToetsen\n", style="bold")
    for key, text in found.keys:
        body.append(f"  {key_display(key):<8}", style="bold")
        body.append(text + "\n")
    for key, text in common_keys():
        if not found.explains(key):
            body.append(f"  {key_display(key):<8}", style="bold")
            body.append(text + "\n")
    if found.rules:
        body.append("\nGoed om te weten\n", style="bold")
        for rule in found.rules:
            body.append(f"  • {rule}\n")
    return found.title, body


class HelpScreen(ModalScreen[None]):
    """The help of one screen class, scrollable with the arrow keys and PgUp/PgDn."""

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
