"""store.privacy: a consent record and the customer's flag go together."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_customer
from tui_desk.store import privacy


def test_a_consent_sets_the_customers_flag_and_its_date(db):
    customer = make_customer(db)
    assert db.scalar("SELECT loan_history FROM customers WHERE id = ?", (customer,)) == 0
    at = dt.datetime(2026, 11, 28, 10, 15, 30)
    with db.transaction():
        consent = privacy.insert_consent(db, customer_id=customer, kind="leenhistorie", at=at,
                                         staff_id=None, method="balie", by_guardian=False)
    assert consent == db.scalar("SELECT id FROM consents WHERE customer_id = ?"
                                " AND kind = 'leenhistorie' AND withdrawn_at IS NULL", (customer,))
    row = db.one("SELECT loan_history, updated_at FROM customers WHERE id = ?", (customer,))
    assert (row["loan_history"], row["updated_at"]) == (1, "2026-11-28T10:15:30")
