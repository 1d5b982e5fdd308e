"""IBAN wijzigen: a new account, with or without the overstapservice."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Input, Static

from tui_desk.screens.dialogs.mandate_dialog import (
    BIC_NOTE,
    MandateDialog,
    row,
)
from tui_desk.services import mandates as svc
from tui_desk.services.mandates import (
    IbanChange,
)
from tui_desk.widgets.choice import Toggle
from tui_desk.widgets.form import FormInput


class IbanChangeScreen(MandateDialog):
    """A new IBAN, with "Klant gebruikt overstapservice" (keeps the mandate) or without (a new
    mandate is needed); dismisses with the ``IbanChange``."""

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with self.frame("IBAN wijzigen", classes="md-dialog"):
            yield row("Nieuw IBAN:", FormInput(id="md-new-iban", max_length=42))
            yield row("BIC banknummer: *", FormInput(id="md-new-bic", max_length=14),
                       id="md-new-bic-row")
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line")
            yield Toggle("Klant gebruikt overstapservice", False, id="md-switch")
            yield Static("", classes="md-message")
            yield Button("OK", id="md-iban-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-new-bic-row").display = False
        self.query_one("#md-new-iban", Input).focus()

    ERROR_FIELDS: ClassVar[dict[str, str]] = {"iban": "md-new-iban", "bic": "md-new-bic"}

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "md-new-iban":
            info = svc.iban_info(event.value)
            self.query_one("#md-new-bic-row").display = bool(info and info.foreign)

    def action_ok(self) -> None:
        desk = self.desk
        bic = self.query_one("#md-new-bic", Input).value
        if not self.query_one("#md-new-bic-row").display:
            bic = ""
        customer_id = self.customer_id
        iban = self.query_one("#md-new-iban", Input).value
        switch = self.query_one("#md-switch", Toggle).value

        def change_iban() -> IbanChange:
            return svc.change_iban(desk.db, desk.clock, desk.staff, customer_id, iban, bic,
                                   switch_service=switch)

        self.run_write(change_iban, self.dismiss, busy="IBAN wijzigen…", once=True)
