"""8.Passen: block a lost card and issue a replacement (the fee is charged, the card printed)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.errors import DeskError
from tui_desk.rules.money import format_cents
from tui_desk.services import cards
from tui_desk.widgets.dialog import Dialog, box_css


class ReplaceCardScreen(Dialog["cards.Replacement | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Annuleer"),
        # A priority binding: the app knows the key that started the write, so Enter pressed
        # again while the new card is stored is dropped (the fee is charged once).
        Binding("enter", "replace", "Nieuwe pas", priority=True),
    ]
    DEFAULT_CSS = box_css("ReplaceCardScreen", width=60, border="$warning", dim=False) + """
    ReplaceCardScreen Static { height: auto; }
    ReplaceCardScreen OptionList { height: auto; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        desk = self.desk_app.desk
        fee = cards.fee_on(desk.clock.today())
        with self.frame("Nieuwe pas"):
            yield Static(Text(
                "De huidige pas wordt geblokkeerd en er wordt een nieuw pasnummer uitgegeven. "
                f"Kosten: {format_cents(fee)}. Reden:"))
            yield OptionList(*[Option(r, id=r) for r in cards.REASONS])
            yield Static("", id="replace-message")

    def action_replace(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self._replace(options.get_option_at_index(options.highlighted).id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._replace(event.option.id or "")

    def _replace(self, reason: str) -> None:
        desk, customer_id = self.desk_app.desk, self.customer_id

        def replace_card() -> cards.Replacement:
            return cards.replace_card(desk.db, desk.clock, self.staff, customer_id, reason)

        # The fee is charged once however often Enter is pressed while it is stored; keys
        # typed meanwhile go to the record, shown next.
        self.run_write(replace_card, self.dismiss, busy="Nieuwe pas uitgeven…", once=True)

    def show_error(self, error: DeskError) -> None:
        """An expected failure (the card cannot be replaced, the database is busy) is said in
        the dialog: the reason can be chosen again."""
        if not self.query("#replace-message"):
            super().show_error(error)
            return
        self.query_one("#replace-message", Static).update(Text(str(error)))
