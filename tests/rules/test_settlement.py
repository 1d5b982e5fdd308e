"""Settlement rules in integer cents: change, part payment, allocation, waiving, cash-up."""

from __future__ import annotations

import pytest

from tui_desk.rules import settlement as s
from tui_desk.rules.errors import RuleError
from tui_desk.rules.money import AmountError, format_cents, parse_cents
from tui_desk.rules.settlement import KAS, PIN, SettlementError


def test_the_manuals_52_paid_with_60_gives_8_change():
    payment = s.payment_for_typed(KAS, 5200, s.parse_amount("60"))
    assert payment.amount_cents == 5200
    assert payment.tendered_cents == 6000
    assert format_cents(payment.change_cents) == "€ 8,00"
    assert payment.remaining_cents == 0
    assert s.change_due(5200, 6000) == 800


def test_empty_amount_pays_exactly_what_is_due():
    assert s.payment_for_typed(KAS, 5200, None) == s.Payment(KAS, 5200, 5200, 0, 0)
    assert s.payment_for_typed(PIN, 5200, None) == s.Payment(PIN, 5200, None, 0, 0)


def test_cash_below_the_due_amount_is_a_part_payment():
    payment = s.payment_for_typed(KAS, 5200, 2000)
    assert (payment.amount_cents, payment.change_cents, payment.remaining_cents) == (2000, 0, 3200)
    assert s.remaining_after(5200, 2000) == 3200


def test_part_payment_with_change():
    payment = s.check_payment(KAS, 5200, 2000, 5000)
    assert (payment.change_cents, payment.remaining_cents) == (3000, 3200)


def test_pin_never_more_than_due_and_never_change():
    assert s.payment_for_typed(PIN, 5200, 2000).remaining_cents == 3200
    with pytest.raises(SettlementError, match="Met PIN kan niet meer"):
        s.payment_for_typed(PIN, 5200, 6000)
    with pytest.raises(SettlementError, match="geen teruggave"):
        s.check_payment(PIN, 5200, 5200, 6000)


@pytest.mark.parametrize("amount, tendered, message", [
    (0, None, "groter zijn dan"),
    (-100, None, "groter zijn dan"),
    (5300, None, "meer dan te ontvangen"),
    (5200, 5000, "minder dan te betalen"),
])
def test_amounts_the_rules_refuse(amount, tendered, message):
    with pytest.raises(SettlementError, match=message):
        s.check_payment(KAS, 5200, amount, tendered)


def test_nothing_due_cannot_be_paid():
    with pytest.raises(SettlementError, match="niets te ontvangen"):
        s.payment_for_typed(KAS, 0, None)


def test_unknown_method():
    with pytest.raises(SettlementError, match="ontvangstwijze"):
        s.check_method("creditcard")


@pytest.mark.parametrize("text, cents", [("60", 6000), ("60,00", 6000), ("€ 52,5", 5250),
                                         ("", None), ("   ", None), ("1.234,56", 123456)])
def test_parse_amount(text, cents):
    assert s.parse_amount(text) == cents


@pytest.mark.parametrize("text, message", [("abc", "Geen geldig bedrag"),
                                           ("-5", "negatief"),
                                           ("100000", "meer dan een balie")])
def test_parse_amount_refuses(text, message):
    with pytest.raises(SettlementError, match=message) as info:
        s.parse_amount(text)
    assert isinstance(info.value, RuleError) and isinstance(info.value, ValueError)


def test_parse_cents_raises_a_rule_error_that_is_still_a_value_error():
    with pytest.raises(AmountError):
        parse_cents("zestig")
    with pytest.raises(ValueError):
        parse_cents("zestig")


def test_allocation_goes_to_the_oldest_invoice_first():
    assert s.allocate(5200, [(1, 5200), (2, 6500)]) == [(1, 5200)]
    assert s.allocate(6000, [(1, 5200), (2, 6500)]) == [(1, 5200), (2, 800)]
    assert s.allocate(2000, [(1, 5200), (2, 6500)]) == [(1, 2000)]
    assert s.allocate(1000, [(7, -500), (1, 5200)]) == [(1, 1000)]
    with pytest.raises(SettlementError, match="meer dan open staat"):
        s.allocate(20000, [(1, 5200), (2, 6500)])


def test_credit_notes_are_set_off_oldest_first():
    assert s.set_off_credits([(1, 5200), (2, -3000), (3, 6500)]) == [(2, 1, 3000)]
    assert s.set_off_credits([(1, 1000), (2, -3000), (3, 6500)]) == [(2, 1, 1000), (2, 3, 2000)]
    assert s.set_off_credits([(1, 1000), (2, -3000)]) == [(2, 1, 1000)]
    assert s.set_off_credits([(1, 1000)]) == []
    assert s.net_due([1000, -3000]) == 0
    assert s.net_due([5200, 6500, -3000]) == 8700


def test_waive_permission():
    assert not s.may_waive({"balie"}, ["beheer"])
    assert s.may_waive({"balie", "beheer"}, ["beheer"])
    assert s.may_waive({"educatie"}, ["beheer", "educatie"])


def test_waive_reasons_from_the_data_file():
    reasons = s.default_waive_reasons()
    labels = [r.label for r in reasons.values()]
    for label in ("Coulance", "Foutieve factuur", "Overlijden", "Verhuisd"):
        assert label in labels


@pytest.mark.parametrize("text", [
    '[[reason]]\ncode = "co ul"\nlabel = "x"',
    '[[reason]]\ncode = "COUL"\nlabel = ""',
    '[[reason]]\ncode = "A"\nlabel = "x"\n[[reason]]\ncode = "A"\nlabel = "y"',
    "",
])
def test_bad_waive_reason_files(text):
    with pytest.raises(ValueError):
        s.load_waive_reasons(text)


def test_cash_up_arithmetic():
    # float 100,00; the manual's customer paid 52,00 with 60,00 (8,00 change); another 20,00.
    expected = s.expected_cash(10000, 6000 + 2000, 800)
    assert expected == 17200
    assert s.cash_difference(17200, expected) == 0
    assert s.cash_difference(17000, expected) == -200
    assert s.cash_difference(17550, expected) == 350
    assert s.difference_text(-200) == "Kasverschil: € 2,00 te weinig."
    assert s.difference_text(0) == "Kas klopt."
    with pytest.raises(SettlementError, match="negatief"):
        s.cash_difference(-1, 0)
