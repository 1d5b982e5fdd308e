"""2x Enter on the settlement: Kwijtschelden or Registreren."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.services import settlement as svc
from tui_desk.widgets.dialog import ChoiceDialog, box_css

WAIVE, REGISTER = "kwijtschelden", "registreren"


class SettleChoiceScreen(ChoiceDialog):
    """2x Enter: Kwijtschelden or Registreren (K / R, or the arrows and Enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "pick('kwijtschelden')", "Kwijtschelden", show=False),
        Binding("r", "pick('registreren')", "Registreren", show=False),
    ]
    DEFAULT_CSS = box_css("SettleChoiceScreen", width=46) + """
    SettleChoiceScreen OptionList { height: auto; border: none; }
    SettleChoiceScreen Static { height: auto; }
    """

    def __init__(self, due_text: str, *, may_register: bool = True) -> None:
        super().__init__()
        self.due_text = due_text
        self.may_register = may_register

    def compose(self) -> ComposeResult:
        with self.frame("Openstaand bedrag"):
            yield Static(Text(f"Te ontvangen {self.due_text}"))
            options = [Option("K  Kwijtschelden", id=WAIVE)]
            if self.may_register:
                options.append(Option("R  Registreren", id=REGISTER))
            yield OptionList(*options, id="settle-choice")
            note = ("Bij geen automatische incasso ontvangt de klant een contributiebrief."
                    if self.may_register else svc.PAY_DIRECTLY_MESSAGE)
            yield Static(Text(note, style="dim"))

    def on_mount(self) -> None:
        # The manual: "Klik op Registreren".
        self.focus_choices(self.query_one(OptionList).option_count - 1)

    def action_pick(self, choice: str) -> None:
        if self.typed_ahead():
            return  # K or R typed before this choice was on the screen: no choice
        if choice == REGISTER and not self.may_register:
            self.app.bell()
            return
        self.dismiss(choice)
