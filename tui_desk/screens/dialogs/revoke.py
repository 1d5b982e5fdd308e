"""Machtiging intrekken: the date and the reason."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Button, Input, Static

from tui_desk.rules import dates
from tui_desk.rules.errors import RuleError
from tui_desk.screens.dialogs.mandate_dialog import (
    MandateDialog,
    row,
    value_text,
)
from tui_desk.services import mandates as svc
from tui_desk.services.mandates import Mandate
from tui_desk.widgets.form import FormInput


class RevokeScreen(MandateDialog):
    """Datum intrekking machtiging (default today) and Reden intrekking; dismisses with the
    revoked ``Mandate``."""

    ERROR_FIELDS: ClassVar[dict[str, str]] = {"reason": "md-reason",
                                               "revoked_on": "md-revoked-on"}

    def __init__(self, customer_id: int, kenmerk: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.kenmerk = kenmerk

    def compose(self) -> ComposeResult:
        with self.frame("Machtiging intrekken", classes="md-dialog"):
            yield Static(value_text(f"Kenmerk machtiging {self.kenmerk}"), classes="md-line")
            yield row("Datum intrekking:", FormInput(
                value=dates.show(self.desk.clock.today()), id="md-revoked-on", max_length=20))
            yield row("Reden intrekking:", FormInput(id="md-reason", max_length=60))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-revoke-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-reason", Input).focus()

    def action_ok(self) -> None:
        desk = self.desk
        try:
            day = dates.parse_date(self.query_one("#md-revoked-on", Input).value)
        except RuleError as exc:
            self.say(str(exc), error=True)
            self.query_one("#md-revoked-on", Input).focus()
            return
        customer_id, reason = self.customer_id, self.query_one("#md-reason", Input).value

        def revoke() -> Mandate:
            return svc.revoke(desk.db, desk.clock, desk.staff, customer_id, reason=reason,
                              on=day)

        self.run_write(revoke, self.dismiss, busy="Machtiging intrekken…", once=True)
