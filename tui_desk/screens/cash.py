"""Financieel ▸ Kas: today's totals per method of the workstation's register, and the cash-up
(kasopmaak): type the cash counted in the drawer, see the difference with what the register
expects, F10 records it. Keys: F10 Kas opmaken, F5 Herstel, Esc Terug."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_desk.errors import DeskError
from tui_desk.rules import settlement as rules
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import SettlementError
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.services import settlement as svc
from tui_desk.services.settlement import RegisterRow
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FieldKeys
from tui_desk.widgets.keys import DeskInput

AMOUNT_CHARS = r"[0-9€.,\s]*"
# What the totals read off the event loop: (register id, today's totals, the cash-up preview).
Counted = tuple[int, svc.CashSummary, svc.CashUpPreview]


class CashScreen(FieldKeys, DeskScreen):
    CSS_PATH = "settlement.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "cash_up", "Kas opmaken"),
        Binding("f5", "reset", "Herstel"),
        Binding("escape", "leave", "Terug"),
        *FieldKeys.FIELD_BINDINGS,
    ]

    def __init__(self, register_name: str | None = None) -> None:
        super().__init__()
        self.register_name = register_name
        self.registers: list[RegisterRow] = []
        self.error = ""
        self.recount = False

    def compose_body(self) -> ComposeResult:
        desk = self.desk
        try:
            self.registers = svc.branch_registers(desk.db, self.staff,
                                                  getattr(desk, "workstation", None),
                                                  desk.config)
        except DeskError as exc:   # no register here, a database fault: the message line
            self.error = str(exc)
        if self.register_name:
            self.registers.sort(key=lambda r: r.name != self.register_name)
        yield Static(Text("Financieel ▸ Kas", style="bold"), id="cash-title")
        with Vertical(id="cash-body"):
            with Horizontal(classes="set-row"):
                yield Label("Kas", classes="set-label")
                options = tuple((str(r.id), r.name) for r in self.registers) or (("", "-"),)
                yield Choice(options, options[0][0], id="cash-register")
            yield Static("", id="cash-totals")
            yield Static("", id="cash-expected")
            with Horizontal(classes="set-row"):
                yield Label("Geteld contant €", classes="set-label")
                yield DeskInput(placeholder="geteld", restrict=AMOUNT_CHARS, max_length=12,
                            id="cash-counted")
                yield Static("", id="cash-difference")
            with Horizontal(classes="set-row"):
                yield Label("Opmerking", classes="set-label")
                yield DeskInput(max_length=svc.MAX_NOTE, id="cash-note")
            yield Static("", id="cash-message")

    def on_mount(self) -> None:
        if self.error:
            self._message(self.error, error=True)
            return
        self.query_one("#cash-counted", Input).focus()
        self._show()

    def _register(self) -> RegisterRow | None:
        value = self.query_one("#cash-register", Choice).value
        return next((r for r in self.registers if str(r.id) == value), None)

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#cash-message", Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

    def show_error(self, error: DeskError) -> None:
        self._message(str(error), error=True)

    def _show(self) -> None:
        """Today's totals and what the drawer should hold: read off the event loop (a busy
        day's payments, over a network file system), shown when they are there."""
        register = self._register()
        if register is None:
            return
        desk = self.desk

        def count_register() -> Counted:
            return (register.id, svc.cash_summary(desk.db, desk.clock, register),
                    svc.cash_up_preview(desk.db, desk.clock, register, config=desk.config))

        if not self.run_write(count_register, self._totals, busy="Kas wordt geteld…",
                              hold=False):
            self.recount = True   # another register was chosen while one was counted

    def _totals(self, found: Counted) -> None:
        register_id, summary, plan = found
        current = self._register()
        if self.recount or current is None or current.id != register_id:
            self.recount = False
            self.call_later(self._show)
            return
        self.plan = plan
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold",
                      title=f"Vandaag {show(summary.day)}", title_justify="left")
        table.add_column("Ontvangstwijze", width=20, no_wrap=True, overflow="ellipsis")
        table.add_column("Aantal", width=7, justify="right")
        table.add_column("Bedrag", width=14, justify="right")
        for label, count, cents in summary.rows():
            table.add_row(Text(printable(label)), str(count), format_cents(cents))
        table.add_row(Text("Totaal", style="bold"),
                      str(summary.cash.count + summary.pin.count),
                      Text(format_cents(summary.total_cents), style="bold"))
        self.query_one("#cash-totals", Static).update(table)
        since = (f"sinds de vorige kasopmaak ({show(self.plan.since.date())} "
                 f"{self.plan.since:%H:%M})" if self.plan.since else "sinds het begin")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=20)
        grid.add_column(width=14, justify="right")
        grid.add_row("Wisselgeld begin", format_cents(self.plan.opening_float_cents))
        grid.add_row("Contant ontvangen", format_cents(self.plan.cash_in_cents))
        grid.add_row("Teruggegeven", format_cents(-self.plan.change_out_cents))
        grid.add_row(Text("Verwacht in kas", style="bold"),
                     Text(format_cents(self.plan.expected_cents), style="bold"))
        self.query_one("#cash-expected", Static).update(
            Group(Text(f"Kasopmaak, {since}", style="bold"), grid))
        self._difference()

    def _difference(self) -> None:
        target = self.query_one("#cash-difference", Static)
        text = self.query_one("#cash-counted", Input).value
        if not text.strip() or not hasattr(self, "plan"):
            target.update("")
            return
        try:
            counted = rules.parse_amount(text) or 0
            target.update(Text(rules.difference_text(
                rules.cash_difference(counted, self.plan.expected_cents))))
        except SettlementError as exc:
            target.update(Text(str(exc), style="bold red"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "cash-counted":
            self._difference()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "cash-counted":
            self.query_one("#cash-note", Input).focus()
        else:
            self.query_one("#cash-counted", Input).focus()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._message("")
        self._show()

    def action_cash_up(self) -> None:
        register = self._register()
        if register is None:
            return
        desk = self.desk
        counted = rules.parse_amount(self.query_one("#cash-counted", Input).value)
        if counted is None:
            raise SettlementError("Vul het getelde contante bedrag in.")
        note = self.query_one("#cash-note", Input).value

        def cash_up() -> svc.CashUpResult:
            return svc.cash_up(desk.db, desk.clock, self.staff, register, counted, note,
                               config=desk.config)

        # F10 pressed again while the cash-up is being recorded records it once.
        self.run_write(cash_up, self._cashed_up, busy="Kasopmaak vastleggen…", once=True,
                       hold=False)

    def _cashed_up(self, result: svc.CashUpResult) -> None:
        self.query_one("#cash-counted", Input).value = ""
        self.query_one("#cash-note", Input).value = ""
        self._show()
        self._message(
            f"Kasopmaak vastgelegd. {result.message} "
            f"Wisselgeld in de kas: {format_cents(result.float_after_cents)}.",
            error=result.difference_cents != 0)

    def action_focus_next(self) -> None:
        # Choice binds Enter to "screen.focus_next"; Screen has the method, not the action.
        self.focus_next()

    def action_reset(self) -> None:
        self.query_one("#cash-counted", Input).value = ""
        self.query_one("#cash-note", Input).value = ""
        self._message("")
        self.query_one("#cash-counted", Input).focus()

    def action_leave(self) -> None:
        self.dismiss()
