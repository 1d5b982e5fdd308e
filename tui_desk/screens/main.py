"""The main screen after sign-in: who and where, and the way to the customers.

Once it is on the screen, the session loads what the first registration and the first search
need (``warm_up``) on a worker thread while the clerk reads it: the registration's libraries
(schwifty's bank registry, phonenumbers' metadata, babel's country names) and screens took
1.5 s of the first Ctrl+N (issue 20). Once per process; not in Pilot tests (their workers run
inline), where a test turns it on.
"""

from __future__ import annotations

import threading

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui_desk import keymap
from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen

_warm_up_started = threading.Event()
WARM_UP_AFTER = 0.3  # seconds after the main screen's first paint


def warm_up() -> None:
    """Import and load once what the first Ctrl+N and Alt+Z need: their screens and services,
    and the data the registration's checks read on first use."""
    import tui_desk.screens.customer
    import tui_desk.screens.registration_customer
    import tui_desk.screens.registration_login
    import tui_desk.screens.registration_subscription
    import tui_desk.screens.search  # noqa: F401
    from tui_desk.rules import banking, contact, postcodes

    banking.parse_iban("NL91ABNA0417164300")   # schwifty and its bank registry
    banking.parse_bic("ABNANL2A")
    contact.parse_sms("06 12345678")            # phonenumbers' Dutch metadata
    contact.show_phone("+31612345678")
    _ = postcodes.COUNTRIES                     # babel's Dutch country names


class MainScreen(DeskScreen):
    def compose_body(self) -> ComposeResult:
        with Vertical(id="main-body"):
            yield Static(id="main-welcome")
            yield Static(id="main-keys")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.refresh_body()

    def on_mount(self) -> None:
        self.refresh_body()
        # A moment after the first paint: the start-up itself (and a measurement of it that
        # reads the first screen) gets the CPU first.
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER, self.start_warm_up)

    def start_warm_up(self) -> None:
        """``warm_up`` on a worker thread, after the first paint, once per process."""
        app = self.desk_app
        if _warm_up_started.is_set() or app.inline_writes:
            return
        _warm_up_started.set()

        def work() -> None:
            try:
                warm_up()
            except Exception as exc:  # the one place for the unexpected
                app.call_from_thread(app.report_unexpected, exc, where="MainScreen:warm_up")

        self.run_worker(work, thread=True, group="warm-up", exit_on_error=False)

    def refresh_body(self) -> None:
        desk = self.desk
        welcome = Text()
        # Stored and configured text is shown through printable(): a staff name with escape
        # sequences must not blank the screen or set the terminal's title.
        welcome.append(printable(desk.config.library.name), style="bold")
        welcome.append("\n")
        if desk.staff is not None:
            welcome.append(printable(f"Vestiging {desk.branch_name} · {desk.staff.name} · "))
        welcome.append(dates.show_long(desk.clock.today()))
        if desk.demo:
            welcome.append("\n\nOEFENOMGEVING", style="bold black on yellow")
            welcome.append(" — oefendatabase, geen echte klanten.")
        self.query_one("#main-welcome", Static).update(welcome)

        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key in keymap.GLOBAL:
            if key.action == "menu_oefeningen" and not desk.demo:
                continue
            table.add_row(key.display, key.long or key.label)
        self.query_one("#main-keys", Static).update(table)
