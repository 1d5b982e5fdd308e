"""After step 3's OK: the customer exists. Shows the login-account result (the manual's
"Genereren van inlogaccount gelukt" with the 24-hour reminder) and goes on to settlement."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.screens.print_queue import print_for_customer
from tui_desk.services import customers as customer_service
from tui_desk.services.login_accounts import GenerateResult, LinkResult
from tui_desk.services.registration import NO_LOGIN_WARNING, Registered


class RegistrationDoneScreen(DeskScreen):
    CSS_PATH = "registration.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f10", "next", "Verder", priority=True),
        Binding("f7", "print('ledenpas')", "Ledenpas printen"),
        Binding("f8", "print('inschrijfbewijs')", "Inschrijfbewijs"),
    ]

    def __init__(self, done: Registered) -> None:
        super().__init__()
        self.done = done

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Inschrijven klant · Opgeslagen", style="bold"), id="reg-title")
        with Vertical(id="done-body"):
            yield Static(id="done-head")   # filled in on_mount
            login = self.done.login
            if isinstance(login, GenerateResult):
                grid = Table.grid(padding=(0, 2))
                grid.add_column(style="bold")
                grid.add_column()
                grid.add_row("Gebruikersnaam", Text(login.username))
                grid.add_row("E-mail", Text(printable(login.email)))
                box = Static(grid, id="done-login")
                box.border_title = login.message
                yield box
                yield Static(Text(login.reminder, style="bold"), id="done-reminder")
            elif isinstance(login, LinkResult):
                yield Static(Text(printable(login.message)), id="done-login")
            else:
                yield Static(Text(NO_LOGIN_WARNING), id="done-reminder")
            owed = "Enter: afrekenen." if self.done.open_invoice_ids else (
                "Er is niets te betalen. Enter: naar de klant.")
            yield Static(Text("F7 print de ledenpas op de pasprinter, F8 het inschrijfbewijs. "
                              + owed), id="done-next")

    def on_mount(self) -> None:
        # Read here, not in compose: a failure of a mount closes the screen cleanly.
        customer = customer_service.load(self.desk.db, self.done.customer_id)
        head = Text()
        head.append("Klant ingeschreven: ", style="bold")
        head.append(printable(customer.full_name))
        head.append(f"   pas {customer.card_number}   [{customer.actor_id}]")
        self.query_one("#done-head", Static).update(head)

    def action_print(self, kind: str) -> None:
        # A second press while the job is queued or printing gets the same job, not a copy.
        print_for_customer(self.app, kind, self.done.customer_id)

    def show_error(self, error: DeskError) -> None:
        """An expected failure (a printer fault, a busy database) on the screen's message
        line: the customer is saved, the screen stays."""
        self.app.notify(str(error), severity="error", timeout=10)

    def action_next(self) -> None:
        self.desk_app.registration_finished(self.done)
