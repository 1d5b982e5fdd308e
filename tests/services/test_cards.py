"""8.Passen: a lost card is blocked and a replacement issued, with the fee from data/."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import MANUAL_CARD, make_manual_customer, make_staff
from tui_desk.rules import cards as card_rules
from tui_desk.services import cards


def test_a_lost_card_is_blocked_and_the_next_number_issued_with_the_fee(db, clock):
    staff = make_staff(db)
    customer_id = make_manual_customer(db)
    result = cards.replace_card(db, clock, staff, customer_id, "Verloren")
    assert result.old_number == MANUAL_CARD
    assert card_rules.parse(result.new_number).branch_code == "9401"
    rows = {r["number"]: (r["status"], r["reason"], r["blocked_on"])
            for r in db.all("SELECT number, status, reason, blocked_on FROM cards")}
    assert rows[MANUAL_CARD] == ("geblokkeerd", "Verloren", clock.today().isoformat())
    assert rows[result.new_number][0] == "actief"
    fee = db.one("SELECT amount_cents, status, description FROM invoices WHERE id = ?",
                 (result.invoice_id,))
    assert (fee["amount_cents"], fee["status"]) == (cards.fee_on(clock.today()), "open")
    assert result.new_number in fee["description"]
    actions = [r["action"] for r in db.all(
        "SELECT action FROM audit_log WHERE entity = 'card' ORDER BY id")]
    assert actions == ["block", "insert"]


def test_the_fee_comes_from_the_fee_list_with_its_date():
    assert cards.fee_on(dt.date(2026, 11, 28)) == 250
    assert cards.fee_on(dt.date(2020, 1, 1)) == 0


def test_a_reason_is_needed(db, clock):
    staff = make_staff(db)
    customer_id = make_manual_customer(db)
    with pytest.raises(cards.CardError, match="reden"):
        cards.replace_card(db, clock, staff, customer_id, "  ")
    assert db.scalar("SELECT status FROM cards WHERE number = ?", (MANUAL_CARD,)) == "actief"
