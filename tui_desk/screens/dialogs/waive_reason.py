"""Kwijtschelden: the reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_desk.services import settlement as svc
from tui_desk.widgets.dialog import ChoiceDialog, box_css


class WaiveReasonScreen(ChoiceDialog):
    """Kwijtschelden: the reason, from ``data/waive_reasons.toml``."""

    DEFAULT_CSS = box_css("WaiveReasonScreen", width=46) + """
    WaiveReasonScreen OptionList { height: auto; max-height: 12; border: none; }
    """

    def compose(self) -> ComposeResult:
        with self.frame("Reden kwijtschelden"):
            yield OptionList(*(Option(Text(r.label), id=r.code) for r in svc.waive_reasons()),
                             id="waive-reasons")

    def on_mount(self) -> None:
        self.focus_choices(None)
