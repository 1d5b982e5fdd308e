"""Paying (cash or PIN, whole or in part, with the receipt) and Kwijtschelden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from tui_desk.clock import Clock
from tui_desk.models import SaleLine, Staff
from tui_desk.rules import settlement as rules
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import KAS, SettlementError
from tui_desk.services.settlement.session import (
    MAX_NOTE,
    SettlementRefused,
    SettlementSession,
    _open_items,
    _outstanding,
    _resolve,
    _settle,
    refresh,
)
from tui_desk.store import audit
from tui_desk.store import settlement as store
from tui_desk.store.db import Database

# -- paying ---------------------------------------------------------------------------------------
# The receipt's lines are the printer's sale lines (``escpos.Kassabon.lines``).
ReceiptLine = SaleLine


@dataclass(frozen=True)
class Receipt:
    """The kassabon of one payment; the screen hands it to the printer service."""

    library_name: str
    branch_name: str
    register_name: str
    staff_name: str
    customer_name: str
    card_number: str
    lines: tuple[ReceiptLine, ...]
    total_cents: int
    method: str                  # kas | pin
    method_label: str            # Kas Annen | PIN
    tendered_cents: int | None   # cash handed over
    change_cents: int
    remaining_cents: int         # still open after this payment
    at: dt.datetime
    payment_id: int
    customer_id: int

    def text_lines(self, width: int = 42) -> list[str]:
        """The receipt as plain lines of at most ``width`` characters (preview, print job)."""

        def row(left: str, cents: int) -> str:
            amount = format_cents(cents)
            return f"{left[:width - len(amount) - 1]:<{width - len(amount)}}{amount}"

        out = [self.library_name[:width], f"{self.branch_name} · {self.register_name}"[:width],
               f"{show(self.at.date())} {self.at:%H:%M}  {self.staff_name}"[:width], "",
               f"Klant: {self.customer_name}"[:width], f"Pas: {self.card_number}"[:width], ""]
        out += [row(line.text, line.amount_cents) for line in self.lines]
        out += ["-" * width, row("Totaal", self.total_cents), row(self.method_label,
                                                                   self.tendered_cents
                                                                   or self.total_cents)]
        if self.method == KAS:
            out.append(row("Teruggave", self.change_cents))
        if self.remaining_cents:
            out.append(row("Nog open", self.remaining_cents))
        return out


@dataclass(frozen=True)
class PaymentResult:
    payment_id: int
    change_cents: int
    remaining_cents: int
    receipt: Receipt
    session: SettlementSession
    # why the receipt sink failed ("" when it did not): the payment itself is recorded
    receipt_error: str = ""


def pay(db: Database, clock: Clock, staff: Staff, current: SettlementSession, method: str,
        amount_cents: int, tendered_cents: int | None = None, *,
        receipt_sink: Callable[[Receipt], None] | None = None) -> PaymentResult:
    """Receive ``amount_cents`` (at most what is open) by ``kas`` or ``pin``; with cash the
    amount handed over gives the change. Less than what is open is a part payment: the rest
    stays open. One transaction: the payment at the session's register, its allocation to the
    invoices (oldest first), invoices fully paid marked paid, audit rows. The receipt goes to
    ``receipt_sink`` (if given) after the commit, and is returned; a sink that fails does not
    undo the payment: its error is in ``receipt_error``."""
    now = clock.now()
    with db.transaction():
        found = _open_items(db, clock, staff, current)
        due = rules.net_due(i.outstanding_cents for i in found)
        checked = rules.check_payment(method, due, amount_cents, tendered_cents)
        payment_id = store.insert_payment(
            db, customer_id=current.customer_id, register_id=current.register.id,
            method=checked.method, amount_cents=checked.amount_cents,
            tendered_cents=checked.tendered_cents, change_cents=checked.change_cents,
            staff_id=staff.id, at=now, session_id=current.id)
        by_id = {i.id: i for i in found}
        lines = []
        for invoice_id, cents in rules.allocate(
                checked.amount_cents, [(i.id, i.outstanding_cents) for i in found]):
            store.insert_allocation(db, payment_id, invoice_id, cents)
            item = by_id[invoice_id]
            lines.append(ReceiptLine(item.description or f"Factuur {invoice_id}", cents))
            if cents == item.outstanding_cents:
                _settle(db, item, "paid", now, staff, current)
        audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                    entity="payment", entity_id=payment_id, action="insert",
                    after={"register": current.register.name, "method": checked.method,
                           "amount_cents": checked.amount_cents,
                           "tendered_cents": checked.tendered_cents,
                           "change_cents": checked.change_cents,
                           "remaining_cents": checked.remaining_cents,
                           "allocations": [(line.text, line.amount_cents) for line in lines],
                           "session_id": current.id})
        _resolve(db, now, current.customer_id, staff)
    receipt = Receipt(
        library_name=current.library_name, branch_name=current.register.branch_name,
        register_name=current.register.name, staff_name=staff.name,
        customer_name=current.customer_name, card_number=current.card_number,
        lines=tuple(lines), total_cents=checked.amount_cents, method=checked.method,
        method_label=current.method_label(checked.method),
        tendered_cents=checked.tendered_cents, change_cents=checked.change_cents,
        remaining_cents=checked.remaining_cents, at=now, payment_id=payment_id,
        customer_id=current.customer_id,
    )
    error = ""
    if receipt_sink is not None:
        try:
            receipt_sink(receipt)
        except Exception as exc:
            error = f"De kassabon is niet afgedrukt: {exc}"
    return PaymentResult(payment_id, checked.change_cents, checked.remaining_cents, receipt,
                         refresh(db, current), error)


def preview(current: SettlementSession, method: str, text: str) -> rules.Payment | None:
    """What F10 would do with the amount field as typed (the teruggave-hulp); None when
    nothing is due. Raises SettlementError (Dutch) for an amount that cannot be paid."""
    if current.due_cents == 0:
        return None
    return rules.payment_for_typed(method, current.due_cents, rules.parse_amount(text))


def pay_typed(db: Database, clock: Clock, staff: Staff, current: SettlementSession, method: str,
              text: str, *, receipt_sink: Callable[[Receipt], None] | None = None
              ) -> PaymentResult:
    """F10 with the amount field as typed: for cash the amount handed over (empty: exactly
    what is due), for PIN the amount paid (empty: what is due)."""
    planned = preview(current, method, text)
    if planned is None:
        raise SettlementError("Er is niets te ontvangen.")
    return pay(db, clock, staff, current, planned.method, planned.amount_cents,
               planned.tendered_cents, receipt_sink=receipt_sink)


# -- waiving --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaiveResult:
    waived_cents: int
    waiver_ids: tuple[int, ...]
    message: str
    session: SettlementSession


def waive_refusal(current: SettlementSession) -> str | None:
    """Why the signed-in staff member may not use Kwijtschelden; None when they may."""
    if current.may_waive:
        return None
    roles = " of ".join(current.waive_roles)
    return (f"Kwijtschelden mag alleen door een medewerker met de rol {roles}. "
            "Kies Registreren of vraag een collega.")


def waive(db: Database, clock: Clock, staff: Staff, current: SettlementSession,
          reason_code: str, note: str = "") -> WaiveResult:
    """Kwijtschelden: waive everything still open in the session, with a reason from
    ``waive_reasons()``. Only for staff with a waive role (default beheer); refused otherwise
    with the reason (SettlementRefused). Booked as waivers, one per invoice, apart from
    payments; the invoices become waived. One transaction with audit rows."""
    if not rules.may_waive(staff.roles, current.waive_roles):
        raise SettlementRefused(waive_refusal(replace(current, may_waive=False)) or "")
    reasons = rules.default_waive_reasons()
    reason = reasons.get(reason_code.strip().upper())
    if reason is None:
        raise SettlementError(f"Onbekende reden voor kwijtschelden: {reason_code!r}.")
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise SettlementError(f"De toelichting is te lang: maximaal {MAX_NOTE} tekens.")
    now = clock.now()
    ids = []
    with db.transaction():
        _found, open_items, total = _outstanding(db, clock, staff, current,
                                               nothing="Er staat niets open om kwijt te schelden.")
        for item in open_items:
            waiver_id = store.insert_waiver(
                db, customer_id=current.customer_id, invoice_id=item.id,
                amount_cents=item.outstanding_cents, reason_code=reason.code,
                reason=reason.label, note=text, staff_id=staff.id, at=now,
                session_id=current.id)
            ids.append(waiver_id)
            audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                        entity="waiver", entity_id=waiver_id, action="insert",
                        after={"invoice_id": item.id, "amount_cents": item.outstanding_cents,
                               "reason_code": reason.code, "reason": reason.label,
                               "note": text, "session_id": current.id})
            _settle(db, item, "waived", now, staff, current)
        _resolve(db, now, current.customer_id, staff)
    message = f"{format_cents(total)} kwijtgescholden ({reason.label})."
    return WaiveResult(total, tuple(ids), message, refresh(db, current))
