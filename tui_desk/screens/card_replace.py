"""8.Passen: block a lost card and issue a replacement (the fee is charged, the card printed)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.rules.money import format_cents
from tui_desk.screens.base import DeskModal
from tui_desk.services import cards
from tui_desk.store.db import StoreError


class ReplaceCardScreen(DeskModal["cards.Replacement | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Annuleer")]
    DEFAULT_CSS = """
    ReplaceCardScreen { align: center middle; }
    ReplaceCardScreen > Vertical {
        width: 60; height: auto; border: round $warning; background: $panel; padding: 0 1;
    }
    ReplaceCardScreen Static { height: auto; }
    ReplaceCardScreen OptionList { height: auto; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        desk = self.app.desk  # type: ignore[attr-defined]
        fee = cards.fee_on(desk.clock.today())
        with Vertical() as box:
            box.border_title = "Nieuwe pas"
            yield Static(Text(
                "De huidige pas wordt geblokkeerd en er wordt een nieuw pasnummer uitgegeven. "
                f"Kosten: {format_cents(fee)}. Reden:"))
            yield OptionList(*[Option(r, id=r) for r in cards.REASONS])
            yield Static("", id="replace-message")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        desk = self.app.desk  # type: ignore[attr-defined]
        try:
            result = cards.replace_card(desk.db, desk.clock, desk.staff, self.customer_id,
                                        event.option.id or "")
        except (cards.CardError, StoreError) as exc:
            self.query_one("#replace-message", Static).update(Text(str(exc)))
            return
        self.dismiss(result)
