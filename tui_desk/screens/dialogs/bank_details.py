"""Geef de bankrekeninggegevens in: the account for a new mandate, then its form is printed."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Input, Static

from tui_desk.rules.mandates import MandateForm
from tui_desk.rules.text import printable
from tui_desk.screens.dialogs.mandate_dialog import (
    BIC_NOTE,
    MandateDialog,
    row,
)
from tui_desk.services import mandates as svc
from tui_desk.services.printing import PrintOutcome, PrintRequest
from tui_desk.widgets.form import FormInput


class BankDetailsScreen(MandateDialog):
    """"Geef de bankrekeninggegevens in voor klant: …" → OK stores a pending mandate and prints
    its form; dismisses with the ``MandateForm`` (None on Esc).

    ``data``: the starting values (``services.mandates.mandate_data_for``); ``iban``/``bic``
    override its account (after an IBAN change). ``printer`` gets the form after it is saved.
    """

    FIELDS = ("md-iban", "md-bic", "md-holder", "md-place")
    ERROR_FIELDS = {"iban": "md-iban", "bic": "md-bic", "holder_name": "md-holder",
                    "holder_place": "md-place"}

    def __init__(self, customer_id: int, data: svc.MandateData, *, iban: str | None = None,
                 bic: str | None = None,
                 printer: Callable[[MandateForm], object] | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.data = data
        self.iban = data.iban if iban is None else iban
        self.bic = data.bic if bic is None else bic
        self.printer = printer

    def compose(self) -> ComposeResult:
        with self.frame("Geef de bankrekeninggegevens in", classes="md-dialog"):
            yield Static(Text.assemble("voor klant: ", (printable(self.data.customer_name),
                                                        "bold")), classes="md-line")
            yield row("IBAN rekeningnummer:", FormInput(value=self.iban, id="md-iban",
                                                         max_length=42))
            yield row("BIC banknummer: *", FormInput(value=self.bic, id="md-bic",
                                                      max_length=14), id="md-bic-row")
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line", id="md-bic-note")
            yield row("Naam rekeninghouder:", FormInput(value=self.data.holder_name,
                                                         id="md-holder", max_length=70))
            yield row("Plaats rekeninghouder:", FormInput(value=self.data.holder_place,
                                                           id="md-place", max_length=35))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-ok", compact=True)

    def on_mount(self) -> None:
        self._show_bic()
        self.query_one("#md-iban", Input).focus()

    def _show_bic(self) -> None:
        info = svc.iban_info(self.query_one("#md-iban", Input).value)
        foreign = bool(info and info.foreign)
        self.query_one("#md-bic-row").display = foreign
        bic = self.query_one("#md-bic", Input)
        if foreign and info is not None and info.bic and not bic.value.strip():
            bic.value = info.bic
        if info is not None and info.warning:
            self.say(info.warning)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "md-iban":
            self._show_bic()

    def action_ok(self) -> None:
        value = {f: self.query_one(f"#{f}", Input).value for f in self.FIELDS}
        if not self.query_one("#md-bic-row").display:
            value["md-bic"] = ""
        desk, customer_id, printer = self.desk, self.customer_id, self.printer
        from tui_desk.screens.print_queue import start_print, workstation_of

        workstation = workstation_of(self.app)

        def print_new_mandate() -> tuple[MandateForm, PrintRequest | PrintOutcome | None]:
            form = svc.print_new_mandate(
                desk.db, desk.clock, desk.staff, desk.config, customer_id,
                value["md-iban"], value["md-bic"], value["md-holder"], value["md-place"])
            if printer is not None:
                return form, None
            # The workstation's receipt printer, through the print spool.
            return form, svc.mandate_print_request(desk.db, desk.clock, desk.config,
                                                   workstation, form, staff=desk.staff)

        def printed(done: tuple[MandateForm, PrintRequest | PrintOutcome | None]) -> None:
            form, request = done
            if printer is not None:
                printer(form)
            elif request is not None:
                start_print(self.app, request)
            self.dismiss(form)

        # OK pressed again while it is stored prints one form; keys typed meanwhile go to the
        # screen below, which is shown next.
        self.run_write(print_new_mandate, printed, busy="Machtiging vastleggen…", once=True)
