"""The monthly run on the demo database: youth to Start, renewals and their invoices, Start
members past 30 listed, and a second run that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_customer
from tui_desk.clock import FixedClock
from tui_desk.rules.dates import age_on
from tui_desk.services.maintenance import format_report, run_monthly
from tui_desk.store import subscriptions as sub_store
from tui_desk.store.demo import seed_demo

D = dt.date
SEED_DAY = D(2026, 11, 28)
RUN_DAY = D(2026, 12, 1)


@pytest.fixture
def demo(db, config):
    seed_demo(db, config, SEED_DAY, customers=300)
    return db


def periods(db, customer_id: int) -> list[tuple]:
    return [tuple(r) for r in db.all(
        "SELECT tariff_code, start_date, end_date, status, amount_cents, discount_cents"
        " FROM subscription_periods WHERE customer_id = ? ORDER BY start_date, id",
        (customer_id,))]


def snapshot(db) -> dict[str, list[tuple]]:
    return {
        "periods": [tuple(r) for r in db.all("SELECT * FROM subscription_periods ORDER BY id")],
        "invoices": [tuple(r) for r in db.all("SELECT * FROM invoices ORDER BY id")],
        "audit": [tuple(r) for r in db.all("SELECT * FROM audit_log ORDER BY id")],
        "strips": [tuple(r) for r in db.all("SELECT id, strips FROM customers ORDER BY id")],
    }


def youth_turned_19(db, day: dt.date) -> set[int]:
    """Computed independently: running youth periods covering ``day`` of people aged 19+."""
    rows = db.all(
        "SELECT p.customer_id, c.birth_date FROM subscription_periods p JOIN customers c"
        " ON c.id = p.customer_id WHERE p.tariff_code = '0011'"
        " AND p.status IN ('Nieuw', 'Gefactureerd', 'Normaal')"
        " AND p.start_date <= ? AND p.end_date >= ?", (day.isoformat(), day.isoformat()))
    return {r[0] for r in rows if age_on(D.fromisoformat(r[1]), day) >= 19}


def due_in_december(db) -> set[int]:
    """Running, non-temporary periods ending in December 2026 that are the latest."""
    rows = db.all(
        "SELECT p.customer_id FROM subscription_periods p JOIN tariffs t"
        " ON t.code = p.tariff_code WHERE p.end_date BETWEEN '2026-12-01' AND '2026-12-31'"
        " AND p.status IN ('Nieuw', 'Gefactureerd', 'Normaal') AND t.category != 'tijdelijk'"
        " AND NOT EXISTS (SELECT 1 FROM subscription_periods q WHERE q.customer_id ="
        " p.customer_id AND q.instance = p.instance AND q.id != p.id"
        " AND q.status != 'Ongeldig' AND q.start_date > p.start_date)")
    return {r[0] for r in rows}


def test_the_first_of_the_month_run_moves_youth_renews_and_is_idempotent(demo):
    # one youth member who turned 19 in November for certain, next to those of the demo
    youth = make_customer(demo, birth_date="2007-11-15", selection="", periods=[
        {"tariff_code": "0011", "start_date": "2026-03-01", "end_date": "2027-03-31",
         "status": "Normaal", "amount_cents": 0}])
    expected_moves = youth_turned_19(demo, RUN_DAY)
    assert youth in expected_moves
    expected_renewals = due_in_december(demo) - expected_moves
    assert expected_renewals

    report = run_monthly(demo, FixedClock(RUN_DAY))

    assert {line.customer_id for line in report.moved_to_start} == expected_moves
    assert periods(demo, youth) == [
        ("0011", "2026-03-01", "2026-11-30", "Normaal", 0, 0),
        ("0021", "2026-12-01", "2027-11-30", "Normaal", 0, 0),
    ]
    assert demo.scalar("SELECT strips FROM customers WHERE id = ?", (youth,)) == 12
    assert youth_turned_19(demo, RUN_DAY) == set()
    for customer_id in expected_moves:
        assert any(p[0] == "0021" and p[1] == "2026-12-01" for p in periods(demo, customer_id))

    renewed = {line.customer_id for line in report.renewed}
    assert renewed >= expected_renewals
    for customer_id in expected_renewals:
        new = [p for p in periods(demo, customer_id) if p[1] == "2027-01-01"]
        assert len(new) == 1, customer_id
        code, _start, end, status, amount, discount = new[0]
        assert end == "2027-12-31" or code in ("0049", "0052")
        invoice = demo.one("SELECT i.* FROM invoices i JOIN subscription_periods p"
                           " ON p.id = i.period_id WHERE p.customer_id = ?"
                           " AND p.start_date = '2027-01-01'", (customer_id,))
        if amount - discount > 0:
            assert status == "Gefactureerd"
            assert (invoice["amount_cents"], invoice["status"], invoice["due_date"]) == (
                amount, "open", "2027-01-01")
        else:
            assert status == "Normaal" and invoice is None
    assert report.changes > 0

    before = snapshot(demo)
    again = run_monthly(demo, FixedClock(dt.datetime(2026, 12, 1, 15, 0)))
    assert again.changes == 0
    assert (again.moved_to_start, again.renewed, again.invoiced) == ([], [], [])
    assert snapshot(demo) == before
    assert "Niets gewijzigd" in format_report(again)
    # and later in the month too
    assert run_monthly(demo, FixedClock(D(2026, 12, 20))).changes == 0
    assert snapshot(demo) == before


def test_renewals_are_billed_at_the_price_valid_when_they_start(demo):
    customer = make_customer(demo, birth_date="1970-01-01", periods=[
        {"tariff_code": "0045", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Gefactureerd", "amount_cents": 5600}])
    volunteer = make_customer(demo, birth_date="1960-01-01", selection="VRIJWILLIGER", periods=[
        {"tariff_code": "0053", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Normaal", "amount_cents": 6500, "discount_cents": 6500}])
    action = make_customer(demo, birth_date="1980-01-01", selection="ACTIE-STUDENT", periods=[
        {"tariff_code": "0045", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Gefactureerd", "amount_cents": 5600, "discount_cents": 2800}])
    demo.execute("INSERT INTO tariff_prices VALUES ('0045', 'person', '2027-01-01', 5900)")

    run_monthly(demo, FixedClock(RUN_DAY))

    assert periods(demo, customer)[-1] == ("0045", "2027-01-01", "2027-12-31", "Gefactureerd",
                                           5900, 0)
    # a volunteer's selection makes 0001 free, not Compleet: it renews at its price
    assert periods(demo, volunteer)[-1] == ("0053", "2027-01-01", "2027-12-31", "Gefactureerd",
                                            6500, 0)
    # an action code only discounts the first period
    assert periods(demo, action)[-1] == ("0045", "2027-01-01", "2027-12-31", "Gefactureerd",
                                         5900, 0)


def test_start_members_past_30_are_listed_and_not_charged(demo):
    over = make_customer(demo, birth_date="1994-06-01", periods=[
        {"tariff_code": "0021", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Normaal", "amount_cents": 0}])
    turning = make_customer(demo, birth_date="1995-12-15", periods=[  # 31 on 01-01-2027
        {"tariff_code": "0021", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Normaal", "amount_cents": 0}])
    report = run_monthly(demo, FixedClock(RUN_DAY))
    listed = {line.customer_id: line.text for line in report.needs_choice}
    assert "32 jaar" in listed[over] and "niets gefactureerd" in listed[over]
    assert "31 jaar op 01-01-2027" in listed[turning]
    for customer_id in (over, turning):
        assert len(periods(demo, customer_id)) == 1
        assert sub_store.invoices_of(demo, customer_id) == []
    assert over not in {line.customer_id for line in report.renewed}
    assert turning not in {line.customer_id for line in report.renewed}


def test_a_youth_member_who_turns_19_before_the_renewal_renews_as_start(demo):
    member = make_customer(demo, birth_date="2007-12-20", periods=[
        {"tariff_code": "0011", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Normaal", "amount_cents": 0}])
    report = run_monthly(demo, FixedClock(RUN_DAY))
    assert member not in {line.customer_id for line in report.moved_to_start}  # 18 today
    assert periods(demo, member)[-1] == ("0021", "2027-01-01", "2027-12-31", "Normaal", 0, 0)


def test_temporary_and_cancelled_subscriptions_are_not_renewed(demo):
    trial = make_customer(demo, birth_date="1980-01-01", periods=[
        {"tariff_code": "0090", "start_date": "2026-11-20", "end_date": "2026-12-17",
         "status": "Normaal", "amount_cents": 0}])
    gone = make_customer(demo, birth_date="1980-01-01", periods=[
        {"tariff_code": "0045", "start_date": "2026-01-01", "end_date": "2026-12-31",
         "status": "Opgezegd", "amount_cents": 5600}])
    demo.execute("UPDATE tariffs SET category = 'tijdelijk' WHERE code = '0090'")
    run_monthly(demo, FixedClock(RUN_DAY))
    assert len(periods(demo, trial)) == 1
    assert len(periods(demo, gone)) == 1


def test_the_report_reads_well(demo):
    make_customer(demo, surname="\x1b[31mRood", birth_date="2007-11-15", periods=[
        {"tariff_code": "0011", "start_date": "2026-03-01", "end_date": "2027-03-31",
         "status": "Normaal", "amount_cents": 0}])
    text = format_report(run_monthly(demo, FixedClock(RUN_DAY)))
    assert text.startswith("Maandelijkse verwerking 01-12-2026 (december 2026)")
    assert "Jeugdleden naar Start (19 jaar):" in text
    assert "Verlengd (nieuwe periode en factuur):" in text
    assert "\x1b" not in text and "^[[31mRood" in text
    assert "Gewijzigd:" in text
