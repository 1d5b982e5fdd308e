"""A registration ends complete or visibly unfinished: the question when step 4 or 5 is left
unfinished, the reason, and Klanten ▸ Openstaande inschrijvingen.

- ``ask_leave_settlement``: step 4 left (Esc) with an amount still open → "Wat gebeurt er met
  dit bedrag?": R Registreren (contributiebrief, or incasso once the mandate exists; not for a
  tariff that is always paid at once), O Open laten (with a reason), T Terug.
- ``ask_leave_mandate``: step 5 left (Esc or F10) without a processed mandate → L Later: de
  machtiging volgt (open, with a reason), B Geen incasso: contributiebrief, T Terug.
- ``OpenRegistrationsScreen``: the branch's open registrations; Enter offers the unfinished
  step again (afrekenen, machtiging), F2 opens the record.

Every answer is recorded by the services (``services.followups``, ``services.settlement``).
Keys: the letters, or the arrows and Enter; Esc is Terug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.screens.dialogs.question import QuestionScreen
from tui_desk.screens.dialogs.reason import ReasonScreen
from tui_desk.services import followups as svc
from tui_desk.services import settlement as settlement_svc
from tui_desk.services.followups import MANDATE, PAYMENT
from tui_desk.widgets.tables import cursor_key

BACK = "terug"
__all__ = ["BACK", "OpenRegistrationsScreen", "QuestionScreen", "ReasonScreen", "ask_leave_mandate",
           "ask_leave_settlement"]


def _tell(screen: Screen, text: str) -> None:
    """What was recorded, on the screen's own message line when it has one, and as a
    notification (the screen may close right after)."""
    show_message = getattr(screen, "_message", None) or getattr(screen, "_status", None)
    if callable(show_message):
        show_message(text)
    screen.app.notify(text)


def _keep_open(screen: DeskScreen, customer_id: int, kind: str,
               leave: Callable[[], None]) -> None:
    def reason_given(reason: str | None) -> None:
        if reason is None:
            return
        desk = screen.desk

        def kept_open(kept: svc.OpenRegistration) -> None:
            text = f"Inschrijving blijft open: {kept.what}"
            if kind == MANDATE:
                text += f" (uiterlijk {show(kept.due_on)})"
            _tell(screen, text + ".")
            leave()

        screen.run_write(lambda: svc.keep_open(desk.db, desk.clock, screen.staff, desk.config,
                                               customer_id, kind, reason), kept_open)

    screen.app.push_screen(ReasonScreen(svc.WHAT[kind], svc.DEFAULT_REASONS[kind]),
                           reason_given)


def ask_leave_settlement(screen: DeskScreen, session: settlement_svc.SettlementSession,
                         leave: Callable[[], None]) -> None:
    """Step 4 is left with ``session.due_cents`` open: ask, record the answer, then
    ``leave()`` (or stay on Terug)."""
    choices = []
    if session.may_register:
        how = ("incasso zodra de machtiging er is" if session.mandate_follows
               else "contributiebrief")
        choices.append(("r", f"Registreren: {how}", "registreren"))
    choices += [("o", "Open laten met een reden", "open"), ("t", "Terug naar afrekenen", BACK)]
    question = (f"Er staat nog {format_cents(session.due_cents)} open: niet betaald, niet "
                "kwijtgescholden en niet geregistreerd. Wat gebeurt ermee?")
    if not session.may_register:
        question += f" {settlement_svc.PAY_DIRECTLY_MESSAGE}"

    def chosen(answer: str | None) -> None:
        if answer == "registreren":
            desk = screen.desk

            def registered(result: settlement_svc.RegisterResult) -> None:
                _tell(screen, result.message)
                leave()

            screen.run_write(lambda: settlement_svc.register_open(desk.db, desk.clock,
                                                                  screen.staff, session),
                             registered)
        elif answer == "open":
            _keep_open(screen, session.customer_id, PAYMENT, leave)

    screen.app.push_screen(QuestionScreen("Afrekenen niet afgerond", question, choices), chosen)


def ask_leave_mandate(screen: DeskScreen, customer_id: int, leave: Callable[[], None]) -> None:
    """Step 5 is left without a processed mandate: ask, record the answer, then ``leave()``
    (or stay on Terug)."""
    choices = [("l", "Later: de machtiging volgt (inschrijving open)", "later"),
               ("b", "Geen incasso: contributiebrief", "brief"),
               ("t", "Terug naar de machtiging", BACK)]
    question = ("Er is nog geen verwerkte incassomachtiging: zonder machtiging wordt niets "
                "geïncasseerd en wordt een maandabonnement niet verlengd. Wat nu?")

    def chosen(answer: str | None) -> None:
        if answer == "later":
            _keep_open(screen, customer_id, MANDATE, leave)
        elif answer == "brief":
            desk = screen.desk

            def registered(message: str) -> None:
                _tell(screen, message)
                leave()

            screen.run_write(lambda: settlement_svc.register_without_mandate(
                desk.db, desk.clock, screen.staff, customer_id, config=desk.config), registered)

    screen.app.push_screen(QuestionScreen("Incassomachtiging niet verwerkt", question, choices),
                           chosen)


class OpenRegistrationsScreen(DeskScreen):
    """Klanten ▸ Openstaande inschrijvingen: the branch's registrations kept open. Enter
    offers the unfinished step again, F2 opens the record."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "open_record", "Klant openen"),
        Binding("escape", "back", "Terug"),
    ]
    DEFAULT_CSS = """
    OpenRegistrationsScreen #open-title { height: 1; padding: 0 1; }
    OpenRegistrationsScreen DataTable { height: 1fr; }
    OpenRegistrationsScreen #open-message { height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static("", id="open-title")
        yield DataTable(id="open-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="open-message")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Pas", 14), ("Naam", 18), ("Open", 10), ("Uiterlijk", 10),
                             ("Reden", 16)):
            table.add_column(label, width=width)
        self.fill()
        table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.fill()

    def fill(self) -> None:
        """Read the branch's open registrations off the event loop, then show them."""
        desk = self.desk
        branch = self.staff.branch_code

        def read_open() -> list[svc.OpenRegistration]:
            return svc.open_for_branch(desk.db, desk.clock, branch)

        self.run_write(read_open, lambda rows: self._fill(branch, rows),
                       busy="Openstaande inschrijvingen lezen…", hold=False)

    def _fill(self, branch: str, rows: list[svc.OpenRegistration]) -> None:
        self.rows = {str(r.id): r for r in rows}
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            due = Text(show(r.due_on), style="bold red" if r.overdue else "")
            table.add_row(Text(r.card_number or "-"), Text(printable(r.name)),
                          Text(r.kind), due, Text(printable(r.reason)), key=str(r.id))
        self.query_one("#open-title", Static).update(Text.assemble(
            ("Openstaande inschrijvingen", "bold"), f"  vestiging {branch}: {len(rows)}"))
        self._explain()

    def _explain(self) -> None:
        """Under the list: the whole line under the cursor, and the keys."""
        row = self._current()
        if row is None:
            text = Text("Er staan geen inschrijvingen open.", style="dim")
        else:
            text = Text.assemble(
                (printable(row.name), "bold"), f": {row.what} sinds {show(row.opened_on)}",
                (" (termijn verstreken)", "bold red") if row.overdue else "",
                "\nReden: ", printable(row.reason),
                ("\nEnter: afronden (afrekenen / machtiging) · F2: klant openen", "dim"))
        self.query_one("#open-message", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain()

    def _current(self) -> svc.OpenRegistration | None:
        key = cursor_key(self.query_one(DataTable))
        rows: dict[str, svc.OpenRegistration] = getattr(self, "rows", {})
        return None if key is None else rows.get(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_finish()

    def action_open_record(self) -> None:
        row = self._current()
        if row is None:
            self.app.bell()
            return
        self.desk_app.open_customer(row.customer_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_finish(self) -> None:
        """Offer the unfinished step again: afrekenen while the first amount is open, then
        the mandate while it is missing; then the record."""
        row = self._current()
        if row is None:
            self.app.bell()
            return
        customer_id = row.customer_id
        desk = self.desk
        kinds = svc.open_kinds(desk.db, customer_id)

        def to_record(_result: object = None) -> None:
            self.desk_app.open_customer(customer_id)

        def mandate_step(_session: object = None) -> None:
            if MANDATE in svc.open_kinds(desk.db, customer_id):
                from tui_desk.screens.mandate import MandateScreen

                self.app.push_screen(MandateScreen(
                    customer_id, on_done=to_record, ask_on_leave=True,
                    title="Openstaande inschrijving · Incassomachtiging"))
            else:
                to_record()

        if PAYMENT in kinds:
            from tui_desk.screens.settlement import SettlementScreen

            self.app.push_screen(SettlementScreen(customer_id, on_done=mandate_step,
                                                  ask_on_leave=True,
                                                  mandate_follows=MANDATE in kinds))
        else:
            mandate_step()
