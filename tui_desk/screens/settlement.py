"""Inschrijven klant, step 4: AFREKENEN NIEUWE LENER, as in the manual.

The customer's name, Ontvangstwijze (Kas <branch> or PIN), Sessie €, Te ontvangen €, what the
register took in this session, Restant sessie €. Typing the amount the customer hands over shows
the change at once (teruggave-hulp); F10 settles; Enter twice on an empty amount offers
Kwijtschelden or Registreren; F5 (Herstel) undoes what was typed. A free subscription needs no
payment and the screen says so. The rules live in ``services.settlement``; this screen shows.

Keys (all reach the program through a real terminal): F10 Afrekenen, F5 Herstel,
F2 Specificaties, Esc Terug; in the choice K/R pick Kwijtschelden/Registreren.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_desk.errors import DeskError
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import KAS, SettlementError
from tui_desk.rules.text import printable
from tui_desk.screens.dialogs.settle_choice import WAIVE, SettleChoiceScreen
from tui_desk.screens.dialogs.waive_reason import WaiveReasonScreen
from tui_desk.screens.followup_step import FollowUpStep
from tui_desk.services import settlement as svc
from tui_desk.services.settlement import Receipt, SettlementSession
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FieldKeys
from tui_desk.widgets.keys import DeskInput

TITLE = "AFREKENEN NIEUWE LENER"
AMOUNT_CHARS = r"[0-9€.,\s]*"


def _money(cents: int) -> Text:
    return Text(format_cents(cents), justify="right")


class SettlementScreen(FieldKeys, FollowUpStep[SettlementSession | None]):
    """Step 4. ``invoice_ids``: the invoices of this session (from step 3; empty for a free
    subscription); None: every open invoice of the customer. ``on_done(session)`` is called
    after the screen has closed (settled, waived, registered, or left with Esc; the session
    tells what is still open). With ``ask_on_leave`` Esc with an amount open first asks what
    happens to it (Registreren, Open laten, Terug).
    ``receipt_sink`` gets the kassabon of every payment (default: the app's
    ``print_receipt`` if it has one)."""

    CSS_PATH = "settlement.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "settle", "Afrekenen", priority=True),
        Binding("f5", "reset", "Herstel"),
        Binding("f2", "specifications", "Specificaties"),
        Binding("escape", "leave", "Terug", priority=True),
        *FieldKeys.FIELD_BINDINGS,
    ]

    def __init__(self, customer_id: int, *, invoice_ids: list[int] | None = None,
                 on_done: Callable[[SettlementSession | None], None] | None = None,
                 receipt_sink: Callable[[Receipt], None] | None = None,
                 mandate_follows: bool = False, ask_on_leave: bool = False) -> None:
        super().__init__(customer_id, on_done=on_done, ask_on_leave=ask_on_leave)
        self.mandate_follows = mandate_follows
        self.invoice_ids = invoice_ids
        self.receipt_sink = receipt_sink
        self.session: SettlementSession | None = None
        self.error = ""
        self.enters = 0
        self.finished = False
        self.last_receipt: Receipt | None = None
        # The amount field got keys on this screen: only then may a typed-ahead F10 settle.
        self.amount_typed = False

    # -- layout ------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        desk = self.desk
        try:
            self.session = svc.session(
                desk.db, desk.clock, self.staff, self.customer_id,
                getattr(desk, "workstation", None), invoice_ids=self.invoice_ids,
                config=desk.config, mandate_follows=self.mandate_follows)
        except DeskError as exc:
            self.error = str(exc)
        s = self.session
        yield Static(Text(TITLE, style="bold"), id="set-title")
        with Vertical(id="set-body"):
            head = Text()
            if s is not None:
                head.append(printable(s.customer_name), style="bold")
                if s.card_number:
                    head.append(f"   pas {s.card_number}", style="dim")
            yield Static(head, id="set-customer")
            with Horizontal(classes="set-row", id="row-method"):
                yield Label("Ontvangstwijze", classes="set-label")
                methods = s.methods if s is not None else ((KAS, "Kas"),)
                yield Choice(methods, KAS, id="set-method")
            for key, label in (("session", "Sessie €"), ("due", "Te ontvangen €"),
                               ("received", s.register_name if s else "Kas"),
                               ("rest", "Restant sessie €")):
                with Horizontal(classes="set-row", id=f"row-{key}"):
                    yield Label(Text(printable(label)), classes="set-label")
                    yield Static("", classes="set-amount", id=f"set-{key}")
            with Horizontal(classes="set-row", id="row-amount"):
                yield Label("Bedrag €", classes="set-label")
                yield DeskInput(placeholder="ontvangen", restrict=AMOUNT_CHARS, max_length=12,
                            id="set-input")
                yield Static("", id="set-change")
            yield Static(Text(svc.HINT.replace(" · ", "\n"), style="italic"), id="set-hint")
            yield Static("", id="set-message")
            yield Static("", id="set-specs")

    def on_mount(self) -> None:
        self.query_one("#set-specs").display = False
        self._show()
        s = self.session
        if s is None:
            self._message(self.error, error=True)
            self._lock()
        elif s.nothing_due:
            self._message(f"{s.message} Enter of F10: verder.")
            self._lock()
        else:
            self.query_one("#set-input", Input).focus()

    # -- showing -----------------------------------------------------------------------------
    def _show(self) -> None:
        s = self.session
        if s is None:
            return
        self.query_one("#set-session", Static).update(_money(s.session_cents))
        self.query_one("#set-due", Static).update(_money(s.due_cents))
        self.query_one("#set-received", Static).update(_money(s.received_cents))
        self._preview()
        self._show_specs()

    def _preview(self) -> None:
        """The teruggave-hulp: Restant sessie and Teruggave for the amount as typed."""
        s = self.session
        if s is None:
            return
        rest, change = s.due_cents, Text("")
        text = self.query_one("#set-input", Input).value
        if not self.finished and text.strip():
            try:
                planned = svc.preview(s, self._method(), text)
            except SettlementError as exc:
                change = Text(str(exc), style="bold red")
            else:
                if planned is not None:
                    rest = planned.remaining_cents
                    if planned.method == KAS:
                        change = Text(f"Teruggave {format_cents(planned.change_cents)}",
                                      style="bold")
        self.query_one("#set-rest", Static).update(_money(rest))
        self.query_one("#set-change", Static).update(change)

    def _show_specs(self) -> None:
        s = self.session
        if s is None:
            return
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("Specificaties", width=50, no_wrap=True, overflow="ellipsis")
        table.add_column("Open", width=12, justify="right")
        for line in s.lines:
            text = printable(line.description) or f"Factuur {line.invoice_id}"
            if line.note:
                text += f" ({line.note})"
            table.add_row(Text(text), Text(format_cents(line.outstanding_cents)))
        if not s.lines:
            table.add_row(Text("Geen openstaande facturen."), Text(""))
        self.query_one("#set-specs", Static).update(table)

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#set-message", Static)
        target.update(Text(text))
        target.set_class(error, "error")

    def _method(self) -> str:
        return self.query_one("#set-method", Choice).value

    def _lock(self) -> None:
        """Nothing more to pay: the amount and the method no longer take input."""
        self.finished = True
        amount = self.query_one("#set-input", Input)
        amount.value = ""
        amount.disabled = True
        self.query_one("#set-method", Choice).disabled = True
        self.query_one("#row-amount").display = False
        self.query_one("#set-hint").display = False
        self._preview()

    # -- events ------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "set-input":
            self.enters = 0
            self.amount_typed = bool(event.value)
            self._preview()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.finished:
            self.action_leave()
            return
        if event.value.strip():
            self.enters = 0
            self._message("F10 rekent af.")
            return
        self.enters += 1
        if self.enters == 1:
            self._message("Nog een keer Enter: kwijtschelden of registreren.")
            return
        self.enters = 0
        self._choose()

    def on_key(self, event: events.Key) -> None:
        if self.finished and event.key == "enter":
            event.stop()
            self.action_leave()

    # -- actions -----------------------------------------------------------------------------
    def action_settle(self) -> None:
        # The amount typed just before F10 may still be on its way into the field.
        typeahead = bool(self.desk_app.typeahead)
        self.after_typed(lambda: self._settle(typeahead), once=True)

    def _settle(self, typeahead: bool) -> None:
        s = self.session
        if self.finished or s is None:
            self.action_leave()
            return
        if typeahead and not self.amount_typed:
            # F10 typed ahead, before this screen was shown (e.g. pressed again during a
            # save): no money moves on a key the clerk pressed without seeing the amount.
            self.app.bell()
            self._message("F10 kwam binnen voordat dit scherm te zien was. Controleer het "
                          "bedrag en druk nogmaals op F10.", error=True)
            return
        desk = self.desk
        method, text = self._method(), self.query_one("#set-input", Input).value

        def pay_typed() -> svc.PaymentResult:
            return svc.pay_typed(desk.db, desk.clock, self.staff, s, method, text)

        # Keys typed while the money is taken are for what follows it (the receipt preview,
        # "Enter: verder"), not for the amount field they would otherwise reach.
        self.run_write(pay_typed, self._paid, busy="Afrekenen…", once=True)

    def show_error(self, error: DeskError) -> None:
        self._message(str(error), error=True)

    def _paid(self, result: svc.PaymentResult) -> None:
        sink = self.receipt_sink or getattr(self.app, "print_receipt", None)
        if sink is not None:
            try:
                sink(result.receipt)
            except DeskError as exc:  # the money is taken: tell, do not undo
                result = replace(result, receipt_error=f"De kassabon is niet afgedrukt: {exc}")
        self.session = result.session
        self.last_receipt = result.receipt
        paid = format_cents(result.receipt.total_cents)
        how = "met PIN" if result.receipt.method != KAS else "contant"
        text = f"{paid} {how} ontvangen."
        if result.receipt.method == KAS:
            text += f" Teruggave {format_cents(result.change_cents)}."
        if result.receipt_error:
            text += f" {result.receipt_error}"
        self.query_one("#set-input", Input).value = ""
        if result.remaining_cents:
            self._show()
            self._message(f"{text} Nog open {format_cents(result.remaining_cents)}.",
                          error=bool(result.receipt_error))
            return
        self._lock()
        self._show()
        self._message(f"{text} Afgerekend. Enter of F10: verder.",
                      error=bool(result.receipt_error))

    def _choose(self) -> None:
        s = self.session
        if s is None or s.nothing_due:
            return
        self.app.push_screen(SettleChoiceScreen(format_cents(s.due_cents),
                                                may_register=s.may_register), self._chosen)

    def _chosen(self, choice: str | None) -> None:
        s = self.session
        if choice is None or s is None:
            self._message("")
            return
        if choice == WAIVE:
            refusal = svc.waive_refusal(s)
            if refusal:
                self._message(refusal, error=True)
                return
            self.app.push_screen(WaiveReasonScreen(), self._waive)
            return
        desk = self.desk

        def register_open() -> svc.RegisterResult:
            return svc.register_open(desk.db, desk.clock, self.staff, s,
                                     desk.config.privacy)

        self.run_write(register_open, self._registered, busy="Registreren…", once=True)

    def _registered(self, result: svc.RegisterResult | svc.WaiveResult) -> None:
        self._done_with(result.session, f"{result.message} Enter of F10: verder.")

    def _waive(self, reason: str | None) -> None:
        s = self.session
        if reason is None or s is None:
            return
        desk = self.desk

        def waive() -> svc.WaiveResult:
            return svc.waive(desk.db, desk.clock, self.staff, s, reason)

        self.run_write(waive, self._registered, busy="Kwijtschelden…", once=True)

    def _done_with(self, session: SettlementSession, message: str) -> None:
        self.session = session
        self._lock()
        self._show()
        self._message(message)

    def action_focus_next(self) -> None:
        # Choice binds Enter to "screen.focus_next"; Screen has the method, not the action.
        self.focus_next()

    def action_reset(self) -> None:
        """Herstel: undo what was typed."""
        if self.finished:
            return
        self.query_one("#set-input", Input).value = ""
        self.query_one("#set-method", Choice).value = KAS
        self.enters = 0
        self._message("")
        self._preview()
        self.query_one("#set-input", Input).focus()

    def action_specifications(self) -> None:
        specs = self.query_one("#set-specs")
        specs.display = not specs.display

    def action_leave(self) -> None:
        self.leave()

    def ask_first(self, leave: Callable[[], None]) -> bool:
        s = self.session
        if s is None or self.finished or s.due_cents <= 0:
            return False
        # An amount open: Registreren, Open laten, Terug.
        from tui_desk.screens.followups import ask_leave_settlement

        ask_leave_settlement(self, s, leave)
        return True

    def close_with_result(self) -> None:
        session, on_done = self.session, self.on_done
        self.dismiss()
        if on_done is not None:
            on_done(session)
