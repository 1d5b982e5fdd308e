"""Invoices for settlement tests, written through the store's own insert function."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_customer, make_period
from tui_desk.store import subscriptions as sub_store
from tui_desk.store.db import Database

AT = dt.datetime(2026, 11, 28, 9, 0)


def make_invoice(db: Database, customer_id: int, amount_cents: int = 5200, *,
                 discount_cents: int = 0, kind: str = "contributie",
                 description: str = "Contributie 45-Basis 28-11-2026 t/m 30-11-2027",
                 created_at: dt.datetime = AT, period: bool = True,
                 credits_invoice_id: int | None = None) -> int:
    """An open invoice (a credit note with ``kind="creditnota"`` and a negative amount)."""
    period_id = None
    if period and kind == "contributie":
        period_id = make_period(db, customer_id, start_date=created_at.date().isoformat(),
                                end_date="2027-11-30", status="Nieuw",
                                amount_cents=amount_cents, created_at=created_at.isoformat())
    return sub_store.insert_invoice(
        db, customer_id=customer_id, period_id=period_id, amount_cents=amount_cents,
        discount_cents=discount_cents, description=description, created_at=created_at,
        due_date=created_at.date(), staff_id=None, kind=kind,
        credits_invoice_id=credits_invoice_id)


def new_lener(db: Database, amount_cents: int | None = 5200, **customer) -> tuple[int, list[int]]:
    """The manual's new customer (A. van de Test) with the invoice step 3 made (none when
    ``amount_cents`` is None: a free subscription). Returns (customer id, invoice ids)."""
    values = {"gender": "V", "initials": "A.", "prefix": "van de", "surname": "Test",
              "email": "a.test@example.nl", "registered_on": "2026-11-28"}
    values.update(customer)
    customer_id = make_customer(db, **values)
    if amount_cents is None:
        return customer_id, []
    return customer_id, [make_invoice(db, customer_id, amount_cents)]
