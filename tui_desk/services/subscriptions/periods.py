"""Writing a subscription period with its invoice, and ending or crediting periods: the
pieces the registration, the Contributie tab and the monthly run build their transactions of."""

from __future__ import annotations

import datetime as dt

from tui_desk.rules import periods as period_rules
from tui_desk.rules.dates import show
from tui_desk.rules.periods import CostBuildUp, Period
from tui_desk.rules.tariffs import (
    Tariff,
)
from tui_desk.statuses import InvoiceStatus, PeriodStatus
from tui_desk.store import audit
from tui_desk.store import subscriptions as store
from tui_desk.store.db import Database
from tui_desk.store.subscriptions import InvoiceRow, PeriodRow


# -- writing a period and its invoice ---------------------------------------------------------
def _period_audit(tariff: Tariff, period: Period, build: CostBuildUp, status: str,
                  instance: str) -> dict[str, object]:
    return {"tariff_code": tariff.code, "tariff": tariff.name, "instance": instance,
            "start_date": period.start, "end_date": period.end, "status": status,
            "amount_cents": build.subscription_cents, "discount_cents": build.discount_cents}


def _invoice_text(tariff: Tariff, start: dt.date, end: dt.date) -> str:
    return f"Contributie {tariff.label} {show(start)} t/m {show(end)}"


def write_period(
    db: Database, *, customer_id: int, tariff: Tariff, period: Period, build: CostBuildUp,
    instance: str, branch_code: str, status: str, now: dt.datetime, staff_id: int | None,
    due_date: dt.date, source: str | None = None,
) -> tuple[int, int | None]:
    """Insert a period (and its open invoice when an amount is due) with their audit rows;
    returns (period id, invoice id or None). Call inside a transaction."""
    period_id = store.insert_period(
        db, customer_id=customer_id, tariff_code=tariff.code, instance=instance,
        branch_code=branch_code, start=period.start, end=period.end, status=status,
        amount_cents=build.subscription_cents, discount_cents=build.discount_cents,
        created_at=now,
    )
    after = _period_audit(tariff, period, build, status, instance)
    if source:
        after["source"] = source
    audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="subscription",
                entity_id=period_id, action="insert", after=after)
    invoice_id = None
    if build.balance_cents > 0:
        invoice_id = store.insert_invoice(
            db, customer_id=customer_id, period_id=period_id,
            amount_cents=build.subscription_cents, discount_cents=build.discount_cents,
            description=_invoice_text(tariff, period.start, period.end), created_at=now,
            due_date=due_date, staff_id=staff_id,
        )
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="invoice",
                    entity_id=invoice_id, action="insert",
                    after={"period_id": period_id, "amount_cents": build.subscription_cents,
                           "discount_cents": build.discount_cents, "status": "open",
                           "due_date": due_date, **({"source": source} if source else {})})
    return period_id, invoice_id


def _credit(db: Database, *, period: PeriodRow, cents: int, now: dt.datetime,
            staff_id: int | None, text: str) -> int:
    """Give back ``cents`` of a period's charge; returns what was credited.

    What the open invoice still needs (``store.settlement`` items: part payments, set-offs
    and waivers counted) is what the credit first takes away. A credit that covers it marks
    the invoice ``credited`` (nothing is owed any more); what the customer had already paid
    (or had set off) of it comes back as a credit note, at most the rest of the credit. A
    smaller credit is a credit note (an open negative invoice), which settlement offsets
    against what the customer owes. Nothing is credited on a waived invoice. The waived part
    of an invoice is never given back: it was not paid.
    """
    from tui_desk.store import mandates as mandate_store
    from tui_desk.store import settlement as settlement_store

    if cents <= 0:
        return 0
    invoice = store.invoice_for_period(db, period.id)
    if invoice is not None and invoice.status in (InvoiceStatus.WAIVED, InvoiceStatus.CREDITED):
        return 0
    credited = 0
    # An invoice already in a direct-debit file will be collected by the bank: it cannot be
    # cancelled any more, so it is treated as paid and the credit is a credit note.
    in_collection = invoice is not None and invoice.id in mandate_store.collected_invoice_ids(
        db, period.customer_id)
    if invoice is not None and invoice.status == "open" and not in_collection:
        item = next(iter(settlement_store.items(db, period.customer_id, [invoice.id])), None)
        outstanding = item.outstanding_cents if item else invoice.due_cents
        if cents >= outstanding:
            store.set_invoice_status(db, invoice.id, "credited", now)
            audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id,
                        entity="invoice", entity_id=invoice.id, action="update",
                        before={"status": "open", "outstanding_cents": outstanding},
                        after={"status": "credited", "reason": text})
            covered = (item.paid_cents + item.set_off_cents) if item else 0
            credited = outstanding
            cents = min(cents - outstanding, covered)
            if cents <= 0:
                return credited
    note = store.insert_invoice(
        db, customer_id=period.customer_id, period_id=period.id, amount_cents=-cents,
        discount_cents=0, description=text, created_at=now, due_date=now.date(),
        staff_id=staff_id, kind="creditnota",
        credits_invoice_id=invoice.id if isinstance(invoice, InvoiceRow) else None,
    )
    audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id, entity="invoice",
                entity_id=note, action="insert",
                after={"kind": "creditnota", "period_id": period.id, "amount_cents": -cents,
                       "credits_invoice_id": invoice.id if invoice else None})
    return credited + cents


def _end(db: Database, period: PeriodRow, *, end: dt.date, status: str, today: dt.date,
         now: dt.datetime, staff_id: int | None, reason: str,
         source: str | None = None) -> None:
    store.end_period(db, period.id, end=end, status=status, ended_on=today, reason=reason)
    after: dict[str, object] = {"end_date": end, "status": status, "ended_on": today,
                                "end_reason": reason}
    if source:
        after["source"] = source
    audit.write(db, at=now, staff_id=staff_id, customer_id=period.customer_id,
                entity="subscription", entity_id=period.id, action="update",
                before={"end_date": period.end, "status": period.status,
                        "ended_on": period.ended_on, "end_reason": period.end_reason},
                after=after)


def stop_periods_from(
    db: Database, periods: list[PeriodRow], day: dt.date, *, today: dt.date, now: dt.datetime,
    staff_id: int | None, reason: str, credit: bool, source: str | None = None,
) -> tuple[int, tuple[int, ...]]:
    """End the given running periods so that none gives rights from ``day`` on: one that has
    started runs to ``day - 1`` (status kept), one that had not started is voided (Ongeldig,
    its end the day before its start). With ``credit`` the unused part is credited. Returns
    (credit in cents, ids of the voided periods). Call inside a transaction."""
    credited, voided = 0, []
    for p in periods:
        if p.end < day:
            continue
        if p.start >= day:
            _end(db, p, end=p.start - period_rules.DAY, status=PeriodStatus.VOID, today=today,
                 now=now, staff_id=staff_id, reason=reason, source=source)
            voided.append(p.id)
        else:
            _end(db, p, end=day - period_rules.DAY, status=p.status, today=today, now=now,
                 staff_id=staff_id, reason=reason, source=source)
        if credit:
            cents = period_rules.credit_unused(p.charged_cents, p.start, p.end, day)
            credited += _credit(db, period=p, cents=cents, now=now, staff_id=staff_id,
                                text=f"Creditering {reason}".strip())
    return credited, tuple(voided)


