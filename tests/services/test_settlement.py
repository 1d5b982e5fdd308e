"""Step 4 (Afrekenen nieuwe lener) and Financieel ▸ Kas without a screen: paying cash and PIN,
part payments, Kwijtschelden, Registreren with a contribution letter, the cash-up."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.factories import make_active_mandate, make_customer, make_staff
from tests.settlement_factories import make_invoice, new_lener
from tui_desk.config import SettlementSettings, Workstation
from tui_desk.rules.settlement import KAS, PIN, SettlementError
from tui_desk.services import settlement as svc
from tui_desk.services.settlement import SettlementRefused
from tui_desk.store import audit, outbox
from tui_desk.store import settlement as store
from tui_desk.store import subscriptions as sub_store


@pytest.fixture
def balie(db):
    return make_staff(db, name="J. de Balie")


@pytest.fixture
def beheer(db):
    return make_staff(db, "beheer", "B. Heer", roles="balie,beheer")


def open_session(db, clock, staff, config, customer_id, invoice_ids=None, workstation=None):
    return svc.session(db, clock, staff, customer_id, workstation, invoice_ids=invoice_ids,
                       config=config)


def status_of(db, invoice_id):
    return next(i.status for i in sub_store.invoices_of(db, db.scalar(
        "SELECT customer_id FROM invoices WHERE id = ?", (invoice_id,))) if i.id == invoice_id)


# -- the session ------------------------------------------------------------------------------
def test_the_session_shows_the_manuals_numbers(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    assert s.customer_name == "A. van de Test"
    assert s.register_name == "Kas Annen"
    assert s.methods == (("kas", "Kas Annen"), ("pin", "PIN"))
    assert (s.session_cents, s.due_cents, s.received_cents) == (5200, 5200, 0)
    assert not s.free and s.message == ""
    assert not s.may_waive


def test_the_workstations_register_wins_over_the_branchs_first(db, clock, config):
    assen = make_staff(db, "assen", "A. Ssen", branch_code="9402")
    customer_id, ids = new_lener(db)
    assert open_session(db, clock, assen, config, customer_id, ids).register_name == "Kas Assen"
    desk2 = Workstation("balie-2", "9402", (), "Kas Assen 2")
    s = open_session(db, clock, assen, config, customer_id, ids, workstation=desk2)
    assert s.register_name == "Kas Assen 2"
    assert s.register.branch_name == "Assen"


def test_a_free_subscription_needs_no_payment(db, clock, balie, config):
    customer_id, ids = new_lener(db, None)
    s = open_session(db, clock, balie, config, customer_id, ids)
    assert s.free and s.nothing_due
    assert s.message == "Gratis abonnement: er hoeft niets betaald te worden."
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        svc.pay(db, clock, balie, s, KAS, 100)
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        svc.pay_typed(db, clock, balie, s, KAS, "")
    assert svc.preview(s, KAS, "60") is None
    assert db.scalar("SELECT COUNT(*) FROM payments") == 0


# -- paying -----------------------------------------------------------------------------------
def test_cash_52_with_60_tendered_gives_8_change_and_a_receipt(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    printed = []
    result = svc.pay_typed(db, clock, balie, s, KAS, "60", receipt_sink=printed.append)
    assert (result.change_cents, result.remaining_cents) == (800, 0)
    assert status_of(db, ids[0]) == "paid"
    [payment] = store.payments_of(db, customer_id)
    assert (payment.method, payment.amount_cents, payment.tendered_cents,
            payment.change_cents) == ("kas", 5200, 6000, 800)
    assert payment.register_id == s.register.id and payment.staff_id == balie.id
    assert payment.at == clock.now() and payment.session_id == s.id
    receipt = result.receipt
    assert printed == [receipt]
    assert receipt.customer_name == "A. van de Test"
    assert receipt.card_number == s.card_number and len(receipt.card_number) == 14
    assert (receipt.total_cents, receipt.tendered_cents, receipt.change_cents) == (5200, 6000, 800)
    assert receipt.method_label == "Kas Annen" and receipt.branch_name == "Annen"
    assert receipt.library_name == config.library.name and receipt.staff_name == "J. de Balie"
    assert receipt.lines[0].amount_cents == 5200 and "Contributie" in receipt.lines[0].text
    text = "\n".join(receipt.text_lines())
    assert "€ 52,00" in text and "€ 60,00" in text and "Teruggave" in text and "€ 8,00" in text
    assert result.session.due_cents == 0 and result.session.received_cents == 5200
    assert result.session.message == "Alles is afgerekend."
    actions = {(e.entity, e.action) for e in audit.for_customer(db, customer_id)}
    assert {("payment", "insert"), ("invoice", "update")} <= actions


def test_pin_pays_what_is_due(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    result = svc.pay(db, clock, balie, s, PIN, 5200)
    assert (result.change_cents, result.remaining_cents) == (0, 0)
    assert result.receipt.method_label == "PIN" and result.receipt.tendered_cents is None
    [payment] = store.payments_of(db, customer_id)
    assert (payment.method, payment.tendered_cents, payment.change_cents) == ("pin", None, 0)
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        svc.pay(db, clock, balie, result.session, PIN, 100)


def test_pin_more_than_due_is_refused_and_nothing_is_written(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    with pytest.raises(SettlementError, match="meer dan te ontvangen"):
        svc.pay(db, clock, balie, s, PIN, 6000)
    with pytest.raises(SettlementError, match="Met PIN"):
        svc.pay_typed(db, clock, balie, s, PIN, "60")
    assert db.scalar("SELECT COUNT(*) FROM payments") == 0
    assert status_of(db, ids[0]) == "open"


def test_part_payment_leaves_the_rest_open(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    first = svc.pay_typed(db, clock, balie, s, KAS, "20")
    assert (first.change_cents, first.remaining_cents) == (0, 3200)
    assert status_of(db, ids[0]) == "open"
    assert first.session.due_cents == 3200 and first.session.received_cents == 2000
    assert first.session.session_cents == 5200
    assert svc.open_amounts(db, customer_id).outstanding_cents == 3200
    clock.advance(minutes=1)
    second = svc.pay(db, clock, balie, first.session, PIN, 3200)
    assert second.remaining_cents == 0
    assert status_of(db, ids[0]) == "paid"
    assert [p.amount_cents for p in store.payments_of(db, customer_id)] == [2000, 3200]


def test_a_payment_goes_to_the_oldest_invoice_first(db, clock, balie, config):
    customer_id = make_customer(db)
    old = make_invoice(db, customer_id, 5200, created_at=dt.datetime(2025, 11, 1, 9, 0))
    new = make_invoice(db, customer_id, 6500, created_at=dt.datetime(2026, 11, 1, 9, 0))
    s = open_session(db, clock, balie, config, customer_id)        # every open invoice
    assert s.due_cents == 11700
    result = svc.pay(db, clock, balie, s, KAS, 6000)
    assert [(line.amount_cents) for line in result.receipt.lines] == [5200, 800]
    assert status_of(db, old) == "paid" and status_of(db, new) == "open"
    assert result.remaining_cents == 5700


def test_an_open_credit_note_is_set_off_first(db, clock, balie, config):
    customer_id = make_customer(db)
    old = make_invoice(db, customer_id, 5200, created_at=dt.datetime(2026, 1, 1, 9, 0))
    credit = make_invoice(db, customer_id, -3000, kind="creditnota", description="Creditering",
                          created_at=dt.datetime(2026, 6, 1, 9, 0), credits_invoice_id=old)
    new = make_invoice(db, customer_id, 6500, created_at=dt.datetime(2026, 6, 1, 9, 0))
    s = open_session(db, clock, balie, config, customer_id)
    assert s.due_cents == 8700
    result = svc.pay(db, clock, balie, s, PIN, 8700)
    assert result.remaining_cents == 0
    assert {status_of(db, i) for i in (old, new, credit)} == {"paid"}
    assert [line.amount_cents for line in result.receipt.lines] == [2200, 6500]


def test_a_second_counter_cannot_make_the_customer_pay_twice(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s1 = open_session(db, clock, balie, config, customer_id, ids)
    s2 = open_session(db, clock, balie, config, customer_id, ids)
    svc.pay(db, clock, balie, s1, KAS, 5200)
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        svc.pay(db, clock, balie, s2, KAS, 5200)


def test_a_failing_printer_does_not_undo_the_payment(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)

    def broken(_receipt):
        raise OSError("printer offline")

    result = svc.pay(db, clock, balie, s, KAS, 5200, receipt_sink=broken)
    assert "printer offline" in result.receipt_error
    assert status_of(db, ids[0]) == "paid"


# -- waiving ----------------------------------------------------------------------------------
def test_waiving_needs_the_permission(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    with pytest.raises(SettlementRefused, match="rol beheer"):
        svc.waive(db, clock, balie, s, "COUL")
    assert status_of(db, ids[0]) == "open"
    assert db.scalar("SELECT COUNT(*) FROM waivers") == 0


def test_beheer_waives_with_a_reason_booked_apart_from_payments(db, clock, beheer, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, beheer, config, customer_id, ids)
    assert s.may_waive
    partly = svc.pay(db, clock, beheer, s, KAS, 2000)
    result = svc.waive(db, clock, beheer, partly.session, "OVERL", "Bericht van de familie")
    assert result.waived_cents == 3200
    assert result.message == "€ 32,00 kwijtgescholden (Overlijden)."
    assert status_of(db, ids[0]) == "waived"
    row = db.one("SELECT * FROM waivers")
    assert (row["invoice_id"], row["amount_cents"], row["reason_code"], row["reason"],
            row["note"], row["staff_id"]) == (ids[0], 3200, "OVERL", "Overlijden",
                                              "Bericht van de familie", beheer.id)
    assert db.scalar("SELECT SUM(amount_cents) FROM payments") == 2000
    assert result.session.due_cents == 0 and result.session.waived_cents == 3200
    with pytest.raises(SettlementError, match="Onbekende reden"):
        svc.waive(db, clock, beheer, s, "WHATEVER")


def test_waive_roles_come_from_the_configuration(db, clock, balie, config):
    own = dataclasses.replace(config, settlement=SettlementSettings(waive_roles=("balie",)))
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, own, customer_id, ids)
    assert s.may_waive
    assert svc.waive(db, clock, balie, s, "COUL").waived_cents == 5200


# -- registering ------------------------------------------------------------------------------
def test_register_queues_a_contribution_letter_by_email(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    result = svc.register_open(db, clock, balie, s)
    assert result.channel == "email" and result.amount_cents == 5200
    assert "a.test@example.nl" in result.message
    mail = outbox.get(db, result.mail_id)
    assert mail.kind == "contributiebrief" and mail.to_addr == "a.test@example.nl"
    assert mail.status == "queued" and mail.customer_id == customer_id
    assert "€ 52,00" in mail.body_text and "A. van de Test" in mail.body_text
    letter = store.letter(db, result.letter_id)
    assert (letter.channel, letter.mail_id, letter.amount_cents) == ("email", mail.id, 5200)
    # the amount stays open, shown as registered; tegoed is not touched
    assert status_of(db, ids[0]) == "open"
    assert svc.open_amounts(db, customer_id) == svc.OpenAmounts(5200, 5200)
    assert db.scalar("SELECT balance_cents FROM customers WHERE id = ?", (customer_id,)) == 0
    assert result.session.registered_cents == 5200
    assert store.postal_pending(db) == []


def test_register_without_email_lists_the_letter_for_the_postal_batch(db, clock, balie, config):
    customer_id, ids = new_lener(db, email="")
    s = open_session(db, clock, balie, config, customer_id, ids)
    result = svc.register_open(db, clock, balie, s)
    assert result.channel == "post" and result.mail_id is None
    assert "postbatch" in result.message
    assert db.scalar("SELECT COUNT(*) FROM mail_outbox") == 0
    [pending] = svc.postal_batch(db)
    assert pending.id == result.letter_id and "€ 52,00" in pending.body_text
    assert svc.mark_postal_printed(db, clock, [pending.id], "2026-11-28") == 1
    assert svc.postal_batch(db) == []


def test_register_with_an_active_mandate_goes_to_direct_debit(db, clock, balie, config,
                                                              monkeypatch):
    customer_id, ids = new_lener(db)
    assert not store.has_active_mandate(db, customer_id)    # works on the schema as it is
    monkeypatch.setattr(store, "has_active_mandate", lambda _db, cid: cid == customer_id)
    s = open_session(db, clock, balie, config, customer_id, ids)
    result = svc.register_open(db, clock, balie, s)
    assert result.channel == "incasso" and result.letter_id is None
    assert "incasso" in result.message
    assert db.scalar("SELECT COUNT(*) FROM mail_outbox") == 0
    assert db.scalar("SELECT collection FROM open_registrations") == "incasso"


def test_has_active_mandate_is_the_mandates_modules_definition(db, clock, balie, config,
                                                               monkeypatch):
    from tui_desk.services import mandates as mandate_service
    from tui_desk.store import mandates as mandate_store

    customer_id, _ids = new_lener(db)
    other = make_customer(db)
    # One definition of "active": settlement, the Incasso tick and the tariffs all ask it.
    monkeypatch.setattr(mandate_store, "has_active", lambda _db, cid: cid == customer_id)
    assert store.has_active_mandate(db, customer_id)
    assert not store.has_active_mandate(db, other)
    assert mandate_service.has_incasso(db, customer_id)
    assert not mandate_service.has_incasso(db, other)


@pytest.mark.parametrize("status", ["pending", "active", "revoked", "lapsed", "cancelled"])
def test_only_an_active_mandate_counts(db, status):
    from tui_desk.services import mandates as mandate_service

    customer_id, _ids = new_lener(db)
    code = "6775991190016261"
    db.execute("INSERT INTO customer_documents(document_code, customer_id, type, created_at)"
               " VALUES (?, ?, '01 - Incassomachtiging', '2026-11-28T09:00:00')",
               (code, customer_id))
    signed = None if status in ("pending", "cancelled") else "2026-11-28"
    revoked = "2026-11-28" if status == "revoked" else None
    db.execute("INSERT INTO mandates(customer_id, kenmerk, document_code, iban, holder_name,"
               " status, printed_at, signed_on, revoked_on) VALUES (?, 'K-1', ?,"
               " 'NL20INGB0001234567', 'A. van de Test', ?, '2026-11-28T09:00:00', ?, ?)",
               (customer_id, code, status, signed, revoked))
    assert store.has_active_mandate(db, customer_id) is (status == "active")
    assert mandate_service.has_incasso(db, customer_id) is (status == "active")


def test_a_registered_amount_can_be_paid_later_at_the_counter(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    svc.register_open(db, clock, balie, open_session(db, clock, balie, config, customer_id, ids))
    clock.advance(days=3)
    later = open_session(db, clock, balie, config, customer_id)
    assert later.due_cents == 5200 and later.lines[0].registered
    svc.pay(db, clock, balie, later, PIN, 5200)
    assert svc.open_amounts(db, customer_id) == svc.OpenAmounts(0, 0)


def export_for_direct_debit(db, customer_id, invoice_id, amount_cents=5200):
    """The invoice went out in a SEPA collection file (on an active mandate)."""
    from tui_desk.store import mandates as mandate_store

    at = dt.datetime(2026, 11, 20, 9, 0)
    with db.transaction():
        mandate_id = make_active_mandate(db, customer_id, at, kenmerk="K-1",
                                         holder_name="A. van de Test")
        mandate_store.insert_collection(
            db, mandate_id=mandate_id, customer_id=customer_id, invoice_id=invoice_id,
            amount_cents=amount_cents, sequence_type="FRST", collection_date=dt.date(2026, 12, 1),
            end_to_end_id="E2E-1", message_id="MSG-1", at=at, file_name="incasso.xml")


def test_an_invoice_exported_for_direct_debit_is_not_charged_at_the_desk(db, clock, balie,
                                                                         config):
    customer_id, [collected] = new_lener(db)
    export_for_direct_debit(db, customer_id, collected)
    s = open_session(db, clock, balie, config, customer_id)
    assert (s.session_cents, s.due_cents) == (0, 0)
    [line] = s.lines
    assert (line.invoice_id, line.collected, line.note) == (collected, True,
                                                            "wordt geïncasseerd")
    assert s.nothing_due and "automatische incasso" in s.message
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        svc.pay(db, clock, balie, s, PIN, 5200)
    with pytest.raises(SettlementError, match="niets open"):
        svc.register_open(db, clock, balie, s)
    assert db.scalar("SELECT COUNT(*) FROM payments") == 0
    assert db.scalar("SELECT COUNT(*) FROM open_registrations") == 0
    # the customer still owes it until the bank has collected it
    assert svc.open_amounts(db, customer_id).outstanding_cents == 5200


def test_next_to_a_collected_invoice_only_the_rest_is_received(db, clock, balie, config):
    customer_id, [collected] = new_lener(db)
    export_for_direct_debit(db, customer_id, collected)
    later = make_invoice(db, customer_id, 1100, description="Maandabonnement",
                         created_at=dt.datetime(2026, 11, 28, 9, 30), period=False)
    credit = make_invoice(db, customer_id, -300, kind="creditnota", description="Creditering",
                          created_at=dt.datetime(2026, 11, 28, 9, 45))
    s = open_session(db, clock, balie, config, customer_id)
    assert s.due_cents == 1100 - 300
    assert [(line.invoice_id, line.note) for line in s.lines] == [
        (collected, "wordt geïncasseerd"), (later, ""), (credit, "")]
    result = svc.pay(db, clock, balie, s, PIN, 800)
    assert result.remaining_cents == 0
    assert [line.text for line in result.receipt.lines] == ["Maandabonnement"]
    assert status_of(db, collected) == "open"
    assert db.scalar("SELECT COUNT(*) FROM credit_set_offs WHERE invoice_id = ?",
                     (collected,)) == 0
    assert result.session.due_cents == 0


def test_the_registration_and_the_letter_are_one_transaction(db, clock, balie, config,
                                                             monkeypatch):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "insert_registration", broken)
    with pytest.raises(RuntimeError):
        svc.register_open(db, clock, balie, s)
    for table in ("mail_outbox", "contribution_letters", "open_registrations"):
        assert db.scalar(f"SELECT COUNT(*) FROM {table}") == 0


# -- the register -----------------------------------------------------------------------------
def test_cash_summary_and_cash_up(db, clock, balie, config):
    own = dataclasses.replace(config, settlement=SettlementSettings(opening_float_cents=10000))
    c1, i1 = new_lener(db)
    c2, i2 = new_lener(db)
    c3, i3 = new_lener(db, 6500)
    svc.pay_typed(db, clock, balie, open_session(db, clock, balie, own, c1, i1), KAS, "60")
    svc.pay(db, clock, balie, open_session(db, clock, balie, own, c2, i2), PIN, 5200)
    svc.pay(db, clock, balie, open_session(db, clock, balie, own, c3, i3), KAS, 2000, 2000)

    summary = svc.cash_summary(db, clock, "Kas Annen")
    assert (summary.cash.count, summary.cash.amount_cents) == (2, 7200)
    assert (summary.cash.tendered_cents, summary.cash.change_cents) == (8000, 800)
    assert (summary.pin.count, summary.pin.amount_cents) == (1, 5200)
    assert summary.total_cents == 12400
    assert summary.rows() == [("Kas Annen", 2, 7200), ("PIN", 1, 5200)]
    assert svc.cash_summary(db, clock, "Kas Annen", dt.date(2026, 11, 27)).total_cents == 0

    plan = svc.cash_up_preview(db, clock, "Kas Annen", config=own)
    # 100,00 float + 80,00 cash in - 8,00 change out
    assert (plan.opening_float_cents, plan.expected_cents, plan.pin_cents) == (10000, 17200, 5200)
    clock.advance(hours=7)
    result = svc.cash_up(db, clock, balie, "Kas Annen", 17000, "  briefje   kwijt ", config=own)
    assert (result.expected_cents, result.counted_cents, result.difference_cents) == (
        17200, 17000, -200)
    assert result.message == "Kasverschil: € 2,00 te weinig."
    row = store.last_cash_up(db, summary.register.id)
    assert (row.difference_cents, row.staff_id, row.note, row.float_after_cents) == (
        -200, balie.id, "briefje kwijt", 10000)
    assert db.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'cash_up'") == 1

    # the next cash-up starts from the float left in the drawer, with only the new payments
    clock.advance(hours=1)
    c4, i4 = new_lener(db)
    svc.pay(db, clock, balie, open_session(db, clock, balie, own, c4, i4), KAS, 5200)
    nxt = svc.cash_up_preview(db, clock, summary.register, config=own)
    assert (nxt.opening_float_cents, nxt.cash_in_cents, nxt.expected_cents) == (
        10000, 5200, 15200)
    assert svc.cash_up(db, clock, balie, summary.register, 15200).message == "Kas klopt."


def test_cash_up_refuses_a_negative_count(db, clock, balie):
    with pytest.raises(SettlementError, match="negatief"):
        svc.cash_up(db, clock, balie, "Kas Annen", -100)
    with pytest.raises(SettlementError, match="bestaat niet"):
        svc.cash_up(db, clock, balie, "Kas Nergens", 0)


def test_session_is_frozen(db, clock, balie, config):
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.due_cents = 0  # type: ignore[misc]


def test_the_receipt_becomes_escpos_bytes_with_the_euro_in_cp858(db, clock, balie, config):
    # the printer service (services/printing.py) takes the receipt as it is
    escpos = pytest.importorskip("tui_desk.devices.escpos")
    printing = pytest.importorskip("tui_desk.services.printing")
    customer_id, ids = new_lener(db)
    s = open_session(db, clock, balie, config, customer_id, ids)
    receipt = svc.pay_typed(db, clock, balie, s, KAS, "60").receipt
    assert receipt.customer_id == customer_id
    data = escpos.kassabon(printing.kassabon_from(receipt))
    assert b"A. van de Test" in data
    assert "€ 52,00".encode("cp858") in data and "€ 8,00".encode("cp858") in data
    assert b"\xd5" in data          # € in code page 858


def test_in_the_wizard_with_incasso_ticked_registering_means_direct_debit(db, clock, balie):
    """Step 4 comes before the mandate of step 5: no contribution letter for an amount that
    will be collected by direct debit."""
    customer_id, ids = new_lener(db)
    current = svc.session(db, clock, balie, customer_id, invoice_ids=ids, mandate_follows=True)
    result = svc.register_open(db, clock, balie, current)
    assert result.channel == "incasso"
    assert "machtiging volgt" in result.message
    assert db.scalar("SELECT count(*) FROM contribution_letters") == 0
