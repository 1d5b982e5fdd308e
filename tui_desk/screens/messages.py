"""Berichten: what was (or will be) mailed to whom — the outbox.

In the training database nothing is sent; the trainer reads the activation mail here and can play
the customer who clicks its link (F6).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable, printable_lines
from tui_desk.screens.base import DeskScreen
from tui_desk.services import mailer
from tui_desk.services.login_accounts import ActivationResult, activate_link, link_in_mail
from tui_desk.widgets.tables import cursor_key


class MessagesScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "retry", "Opnieuw versturen"),
        Binding("f6", "activate", "Link openen (oefen)", show=True),
        Binding("escape", "app.pop_screen", "Terug"),
    ]
    DEFAULT_CSS = """
    MessagesScreen #msg-title { height: 1; padding: 0 1; background: $panel; }
    MessagesScreen #msg-list { height: 10; }
    MessagesScreen #msg-body-box { height: 1fr; border: round $primary; padding: 0 1; }
    MessagesScreen #msg-status { height: auto; padding: 0 1; }
    """

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.entries: dict[str, mailer.OutboxEntry] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Berichten · verzonden en te verzenden mail", style="bold"),
                     id="msg-title")
        yield DataTable(cursor_type="row", id="msg-list")
        with VerticalScroll(id="msg-body-box"):
            yield Static("", id="msg-body")
        yield Static("", id="msg-status")

    def on_mount(self) -> None:
        table = self.query_one("#msg-list", DataTable)
        # Fixed widths: at 80 columns the status must stay in view.
        for label, width in (("Tijd", 11), ("Aan", 22), ("Onderwerp", 22), ("Status", 16)):
            table.add_column(label, width=width)
        self.reload()
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activate":
            return bool(self.desk.demo)
        return True

    def reload(self, then: str = "") -> None:
        """Read the outbox off the event loop (it can be long), then show it; ``then``: a
        message for the status line afterwards."""
        desk, customer_id = self.desk, self.customer_id

        def read_outbox() -> tuple[list[mailer.OutboxEntry], dict[str, int]]:
            return (mailer.list_outbox(desk.db, 200, customer_id=customer_id),
                    mailer.outbox_counts(desk.db))

        def show(found: tuple[list[mailer.OutboxEntry], dict[str, int]]) -> None:
            self._fill(*found)
            if then:
                self._status(then)

        self.run_write(read_outbox, show, busy="Berichten worden gelezen…", hold=False)

    def _fill(self, entries: list[mailer.OutboxEntry], counts: dict[str, int]) -> None:
        table = self.query_one("#msg-list", DataTable)
        table.clear()
        self.entries.clear()
        for entry in entries:
            key = str(entry.id)
            self.entries[key] = entry
            table.add_row(*(Text(v, no_wrap=True, overflow="ellipsis") for v in (
                entry.created_at.strftime("%d-%m %H:%M"), printable(entry.to_addr),
                printable(entry.subject), printable(entry.status_label))), key=key)
        status = (f"In de wachtrij {counts.get('queued', 0)} · verzonden "
                  f"{counts.get('sent', 0)} · geparkeerd {counts.get('parked', 0)} · "
                  f"geweigerd {counts.get('failed', 0)}")
        if counts.get("parked", 0):
            status += (f"\nLet op: {counts['parked']} geparkeerd na {mailer.MAX_TRIES} "
                       "pogingen; F5 verstuurt het gekozen bericht opnieuw.")
        self._status(status)
        if not self.entries:
            self.query_one("#msg-body", Static).update(Text("Er zijn nog geen berichten."))

    def show_error(self, error: DeskError) -> None:
        self._status(str(error))

    def _status(self, text: str) -> None:
        self.query_one("#msg-status", Static).update(Text(printable_lines(text)))

    def _current(self) -> mailer.OutboxEntry | None:
        key = cursor_key(self.query_one("#msg-list", DataTable))
        return None if key is None else self.entries.get(key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        entry = self.entries.get(str(event.row_key.value))
        if entry is None:
            return
        body = Text()
        body.append("Aan: ", style="bold")
        body.append(printable(entry.to_addr) + "\n")
        body.append("Onderwerp: ", style="bold")
        body.append(printable(entry.subject) + "\n")
        if entry.last_error:
            body.append("Laatste fout: ", style="bold")
            body.append(printable(entry.last_error) + "\n")
        body.append("\n")
        body.append("\n".join(printable(line) for line in entry.body_text.splitlines()))
        self.query_one("#msg-body", Static).update(body)

    def action_retry(self) -> None:
        entry = self._current()
        if entry is None:
            return
        desk, mail_id = self.desk, entry.id

        def resend() -> bool:
            return mailer.retry_now(desk.db, desk.clock, mail_id)

        def done(queued: bool) -> None:
            if queued:
                self.reload(then="Bericht staat weer in de wachtrij; het gaat mee met de "
                                 "volgende verzendronde.")
            else:
                self._status("Dit bericht is al verzonden.")

        # F5 pressed again while the mail is being queued queues it once.
        self.run_write(resend, done, busy="Opnieuw versturen…", once=True, hold=False)

    def action_activate(self) -> None:
        entry = self._current()
        link = link_in_mail(entry.body_text) if entry else None
        if link is None:
            self._status("In dit bericht staat geen activeringslink.")
            return
        desk = self.desk

        def activate() -> ActivationResult:
            return activate_link(desk.db, desk.clock, link)

        self.run_write(activate, lambda result: self._status(result.message),
                       busy="Link openen…", once=True, hold=False)
