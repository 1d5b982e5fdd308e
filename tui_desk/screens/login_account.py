"""The login account on the customer record: its state, "Vergeet inlogaccount", and making a
new one (the manual: a link not used within 24 hours is removed; forget it and generate anew)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui_desk.rules.text import printable
from tui_desk.services import login_accounts as la
from tui_desk.statuses import LoginStatus
from tui_desk.widgets.dialog import Dialog, box_css


class LoginAccountScreen(Dialog[str | None]):
    MESSAGE = "#login-msg"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "forget", la.FORGET_LABEL),
        Binding("f8", "generate", "Nieuw inlogaccount genereren"),
        Binding("escape", "close", "Sluiten"),
    ]
    DEFAULT_CSS = box_css("LoginAccountScreen", width=74, dim=False) + """
    LoginAccountScreen Static { height: auto; margin-bottom: 1; }
    LoginAccountScreen #login-msg.error { color: $error; text-style: bold; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.changed: str | None = None

    def compose(self) -> ComposeResult:
        with self.frame("Inlogaccount"):
            yield Static("", id="login-state")
            yield Static("", id="login-msg")
            yield Static(Text("F7 Vergeet inlogaccount · F8 Nieuw inlogaccount genereren · "
                              "Esc Sluiten"))

    def on_mount(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        desk = self.desk
        status = la.login_status(desk.db, desk.clock, self.customer_id)
        target = self.query_one("#login-state", Static)
        if status is None:
            target.update(Text("Deze klant heeft geen inlogaccount. Met een e-mailadres kan er "
                               "een worden gegenereerd (F8)."))
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_row("Gebruikersnaam", Text(status.username))
        grid.add_row("E-mail", Text(printable(status.email)))
        grid.add_row("Status", Text(status.status_label))
        if status.expires_at and status.status == LoginStatus.PENDING:
            grid.add_row("Link geldig tot", Text(status.expires_at.strftime("%d-%m-%Y %H:%M")))
        if status.notice:
            grid.add_row("", Text(status.notice, style="bold"))
        target.update(grid)


    def action_forget(self) -> None:
        desk, customer_id = self.desk, self.customer_id

        def forget() -> la.LinkResult:
            return la.forget(desk.db, desk.clock, desk.staff, customer_id)

        def forgotten(result: la.LinkResult) -> None:
            self.changed = result.message
            self.say(result.message)
            self.refresh_state()

        self.run_write(forget, forgotten, busy="Inlogaccount vergeten…", once=True, hold=False)

    def action_generate(self) -> None:
        desk, customer_id = self.desk, self.customer_id

        def generate() -> la.GenerateResult:
            # Stores the account and sends the activation mail: off the event loop.
            return la.generate(desk.db, desk.clock, desk.config, desk.staff, customer_id)

        def generated(result: la.GenerateResult) -> None:
            self.changed = f"{result.message}: {result.username}"
            self.say(f"{result.message}. {result.reminder}")
            self.refresh_state()

        self.run_write(generate, generated, busy="Inlogaccount genereren…", once=True,
                       hold=False)

    def action_close(self) -> None:
        self.dismiss(self.changed)
