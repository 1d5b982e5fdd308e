"""All SQL of settlement (step 4 and Financieel ▸ Kas): registers, the outstanding amount of
invoices, payments and their allocations, credit set-offs, waivers, registrations of open
amounts and contribution letters; the registers and cash-ups are in ``store.cashup``
(re-exported here).

Functions here never open a transaction of their own: the service wraps one business action
(a payment, a waiver, a registration, a cash-up) in one. See ``migrations/0005_settlement.sql``
for how the outstanding amount of an invoice is computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui_desk.models import PersonName
from tui_desk.rules.dates import stamp
from tui_desk.statuses import InvoiceStatus, PostalStatus
from tui_desk.store.cashup import (  # noqa: F401 - re-exported: callers use store.settlement
    CashUpRow,
    RegisterRow,
    cash_ups_of,
    insert_cash_up,
    last_cash_up,
    register_by_id,
    register_by_name,
    registers_of_branch,
)
from tui_desk.store.db import Database
from tui_desk.store.rows import Where, changed, insert, marks, one, reader


# -- the customer as settlement needs it --------------------------------------------------------
@dataclass(frozen=True)
class PayerRow(PersonName):
    id: int
    email: str
    card_number: str
    branch_code: str


def payer(db: Database, customer_id: int) -> PayerRow | None:
    return one(db, reader(PayerRow),
               "SELECT c.id, c.initials, c.prefix, c.surname, c.gender, c.email, c.branch_code,"
               " COALESCE((SELECT number FROM cards k WHERE k.customer_id = c.id"
               "  ORDER BY k.status = 'actief' DESC, k.issued_on DESC LIMIT 1), '') AS card_number"
               " FROM customers c WHERE c.id = ?", (customer_id,))


def has_active_mandate(db: Database, customer_id: int) -> bool:
    """Whether the customer has an active SEPA direct-debit mandate: Registreren then leaves
    the amount to the collection. The mandates module's definition (``mandates.has_active``),
    so that settlement, the Incasso tick and the direct-debit tariffs always agree."""
    from tui_desk.store import mandates

    return mandates.has_active(db, customer_id)


# -- invoices and what they still need ------------------------------------------------------------
@dataclass(frozen=True)
class OpenItem:
    """An invoice or credit note with what it still needs (negative for a credit note)."""

    id: int
    customer_id: int
    kind: str
    description: str
    status: InvoiceStatus
    created_at: dt.datetime
    due_cents: int          # amount - discount
    paid_cents: int
    set_off_cents: int      # set off against credit notes (for a credit note: used)
    waived_cents: int
    registered: bool

    @property
    def outstanding_cents(self) -> int:
        if self.kind == "creditnota":
            return self.due_cents + self.set_off_cents
        return self.due_cents - self.paid_cents - self.set_off_cents - self.waived_cents


_ITEM_SELECT = (
    "SELECT i.id, i.customer_id, i.kind, i.description, i.status, i.created_at,"
    " i.amount_cents - i.discount_cents AS due_cents,"
    " COALESCE((SELECT SUM(a.amount_cents) FROM payment_allocations a"
    "  WHERE a.invoice_id = i.id), 0) AS paid_cents,"
    " CASE WHEN i.kind = 'creditnota'"
    "  THEN COALESCE((SELECT SUM(s.amount_cents) FROM credit_set_offs s"
    "   WHERE s.credit_invoice_id = i.id), 0)"
    "  ELSE COALESCE((SELECT SUM(s.amount_cents) FROM credit_set_offs s"
    "   WHERE s.invoice_id = i.id), 0) END AS set_off_cents,"
    " COALESCE((SELECT SUM(w.amount_cents) FROM waivers w WHERE w.invoice_id = i.id), 0)"
    "  AS waived_cents,"
    " EXISTS (SELECT 1 FROM open_registrations g WHERE g.invoice_id = i.id) AS registered"
    " FROM invoices i"
)


_item = reader(OpenItem)


def items(db: Database, customer_id: int, invoice_ids: Sequence[int] | None = None, *,
          open_only: bool = True) -> list[OpenItem]:
    """The customer's invoices (all, or those of ``invoice_ids``) oldest first; by default only
    the open ones."""
    where = Where().add("i.customer_id = ?", customer_id)
    if open_only:
        where.add("i.status = 'open'")
    if invoice_ids is not None:
        where.among("i.id", invoice_ids)
    return [_item(r) for r in db.all(f"{_ITEM_SELECT} WHERE {where} ORDER BY i.created_at, i.id",
                                     tuple(where.params))]


def pay_directly_invoice_ids(db: Database, invoice_ids: Sequence[int]) -> set[int]:
    """Those of ``invoice_ids`` that bill a tariff paid at the desk only (``pay_directly``:
    0091 Maandabonnement, "altijd direct betalen"): never registered, never collected."""
    ids = tuple(invoice_ids)
    if not ids:
        return set()
    return {r[0] for r in db.all(
        "SELECT i.id FROM invoices i JOIN subscription_periods p ON p.id = i.period_id"
        f" JOIN tariffs t ON t.code = p.tariff_code WHERE i.id IN ({marks(ids)})"
        " AND t.pay_directly = 1", ids)}


def outstanding_cents(db: Database, customer_id: int) -> int:
    """What the customer still owes on all open invoices (credit notes count against it)."""
    return sum(i.outstanding_cents for i in items(db, customer_id))


def registered_cents(db: Database, customer_id: int) -> int:
    """The outstanding amount of the customer's registered invoices (Wise's "registratie")."""
    return sum(i.outstanding_cents for i in items(db, customer_id) if i.registered)


def settle_invoice(db: Database, invoice_id: int, status: InvoiceStatus | str,
                   at: dt.datetime) -> None:
    """Mark an open invoice settled ('paid' or 'waived') when nothing is outstanding."""
    db.execute("UPDATE invoices SET status = ?, settled_at = ? WHERE id = ? AND status = 'open'",
               (status, stamp(at), invoice_id))


# -- payments ---------------------------------------------------------------------------------
def insert_payment(db: Database, *, customer_id: int, register_id: int, method: str,
                   amount_cents: int, tendered_cents: int | None, change_cents: int,
                   staff_id: int, at: dt.datetime, session_id: str) -> int:
    return insert(db, "payments", customer_id=customer_id, register_id=register_id,
                  method=method, amount_cents=amount_cents, tendered_cents=tendered_cents,
                  change_cents=change_cents, staff_id=staff_id, at=at, session_id=session_id)


def insert_allocation(db: Database, payment_id: int, invoice_id: int, amount_cents: int) -> int:
    return insert(db, "payment_allocations", payment_id=payment_id, invoice_id=invoice_id,
                  amount_cents=amount_cents)


def insert_set_off(db: Database, *, credit_invoice_id: int, invoice_id: int, amount_cents: int,
                   at: dt.datetime, staff_id: int | None) -> int:
    return insert(db, "credit_set_offs", credit_invoice_id=credit_invoice_id,
                  invoice_id=invoice_id, amount_cents=amount_cents, at=at, staff_id=staff_id)


@dataclass(frozen=True)
class PaymentRow:
    id: int
    customer_id: int
    register_id: int
    method: str
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    staff_id: int
    at: dt.datetime
    session_id: str


_payment = reader(PaymentRow)


def payments_of(db: Database, customer_id: int) -> list[PaymentRow]:
    return [_payment(r) for r in db.all(
        "SELECT * FROM payments WHERE customer_id = ? ORDER BY at, id", (customer_id,))]


def session_totals(db: Database, session_id: str) -> tuple[int, int, int]:
    """(paid, waived, registered) cents of one settlement session."""
    paid = db.scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE session_id = ?",
                     (session_id,))
    waived = db.scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM waivers WHERE session_id = ?",
                       (session_id,))
    registered = db.scalar(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM open_registrations WHERE session_id = ?",
        (session_id,))
    return int(paid), int(waived), int(registered)


@dataclass(frozen=True)
class MethodTotals:
    method: str
    count: int
    amount_cents: int       # what went to invoices
    tendered_cents: int     # cash handed over (kas)
    change_cents: int       # change given out (kas)


def totals_between(db: Database, register_id: int, after: dt.datetime | None,
                   until: dt.datetime) -> dict[str, MethodTotals]:
    """Payments at a register with ``after < at <= until`` (no lower bound when ``after`` is
    None), per method; every method present."""
    sql = ("SELECT method, COUNT(*) AS n, SUM(amount_cents) AS amount,"
           " SUM(COALESCE(tendered_cents, 0)) AS tendered, SUM(change_cents) AS change"
           " FROM payments WHERE register_id = ? AND at <= ?")
    params: list[object] = [register_id, stamp(until)]
    if after is not None:
        sql += " AND at > ?"
        params.append(stamp(after))
    found = {m: MethodTotals(m, 0, 0, 0, 0) for m in ("kas", "pin")}
    for r in db.all(sql + " GROUP BY method", tuple(params)):
        found[r["method"]] = MethodTotals(r["method"], r["n"], r["amount"], r["tendered"],
                                          r["change"])
    return found


# -- waivers, registrations, letters ----------------------------------------------------------
def insert_waiver(db: Database, *, customer_id: int, invoice_id: int, amount_cents: int,
                  reason_code: str, reason: str, note: str, staff_id: int, at: dt.datetime,
                  session_id: str) -> int:
    return insert(db, "waivers", customer_id=customer_id, invoice_id=invoice_id,
                  amount_cents=amount_cents, reason_code=reason_code, reason=reason, note=note,
                  staff_id=staff_id, at=at, session_id=session_id)


def insert_registration(db: Database, *, customer_id: int, invoice_id: int, amount_cents: int,
                        collection: str, letter_id: int | None, staff_id: int,
                        at: dt.datetime, session_id: str) -> int:
    return insert(db, "open_registrations", customer_id=customer_id, invoice_id=invoice_id,
                  amount_cents=amount_cents, collection=collection, letter_id=letter_id,
                  staff_id=staff_id, at=at, session_id=session_id)


def move_registrations_to_letter(db: Database, invoice_ids: Sequence[int],
                                 letter_id: int) -> int:
    """Amounts registered for incasso that go by contribution letter after all."""
    ids = tuple(invoice_ids)
    if not ids:
        return 0
    return changed(
        db, f"UPDATE open_registrations SET collection = 'brief', letter_id = ? WHERE invoice_id IN"
        f" ({marks(ids)}) AND collection = 'incasso'", (letter_id, *ids))


def insert_letter(db: Database, *, customer_id: int, amount_cents: int, created_at: dt.datetime,
                  channel: str, to_addr: str, subject: str, body_text: str,
                  mail_id: int | None, staff_id: int | None) -> int:
    return insert(db, "contribution_letters", customer_id=customer_id,
                  amount_cents=amount_cents, created_at=created_at, channel=channel,
                  to_addr=to_addr, subject=subject, body_text=body_text, mail_id=mail_id,
                  postal_status=PostalStatus.PENDING if channel == "post" else None,
                  staff_id=staff_id)


@dataclass(frozen=True)
class LetterRow:
    id: int
    customer_id: int
    amount_cents: int
    created_at: dt.datetime
    channel: str
    to_addr: str
    subject: str
    body_text: str
    mail_id: int | None
    postal_status: PostalStatus | None
    postal_batch: str | None


_letter = reader(LetterRow)


def letter(db: Database, letter_id: int) -> LetterRow | None:
    return one(db, _letter, "SELECT * FROM contribution_letters WHERE id = ?", (letter_id,))


def postal_pending(db: Database) -> list[LetterRow]:
    """Contribution letters waiting for the postal batch, oldest first."""
    return [_letter(r) for r in db.all(
        "SELECT * FROM contribution_letters WHERE postal_status = 'pending'"
        " ORDER BY created_at, id")]


def mark_printed(db: Database, letter_ids: Iterable[int], batch: str, at: dt.datetime) -> int:
    """The postal batch ``batch`` printed these letters; returns how many were pending."""
    ids = list(letter_ids)
    if not ids:
        return 0
    return changed(
        db, "UPDATE contribution_letters SET postal_status = 'printed', postal_batch = ?,"
        f" printed_at = ? WHERE postal_status = 'pending' AND id IN ({marks(ids)})",
        (batch, stamp(at), *ids),
    )
