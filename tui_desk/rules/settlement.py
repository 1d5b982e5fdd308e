"""Settling what a customer owes at the counter (step 4, "Afrekenen nieuwe lener"): the change
("teruggave"), part payments, how a payment is spread over open invoices, waiver reasons and the
cash-up (kasopmaak). Everything in integer cents.

What the amount field means, as in the manual ("vul e.v. bedrag in voor teruggave-hulp"):

- **Kas** (cash): the amount the customer hands over. At least what is due: the whole amount is
  paid and the difference is the change (€ 52,00 due, € 60,00 tendered → € 8,00 change). Less
  than what is due: a part payment of that amount; the rest stays open. Empty: exactly what is
  due.
- **PIN**: the amount paid by card; never more than what is due (there is no change on a card
  payment). Less is a part payment. Empty: what is due.

A payment goes to the oldest open invoice first. Open credit notes (negative amounts from a
changed subscription) are set off against the oldest open invoices before anything is paid.

The cash-up compares the cash counted in the drawer with what the register expects: the
opening float, plus the cash taken in, minus the change given out.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tui_desk.rules.errors import RuleError
from tui_desk.rules.money import AmountError, format_cents, parse_cents

KAS = "kas"
PIN = "pin"
METHODS = (KAS, PIN)
# The largest amount anyone types at a counter; more is a typing error (an extra zero or two).
MAX_AMOUNT_CENTS = 1_000_000


class SettlementError(RuleError):
    """An amount or settlement the rules refuse; the message is Dutch, for the desk.

    >>> str(SettlementError("Er is niets te ontvangen."))
    'Er is niets te ontvangen.'
    """


class Payment(NamedTuple):
    """One payment as the rules settle it."""

    method: str
    amount_cents: int              # what goes to the invoices
    tendered_cents: int | None     # cash handed over (None for PIN)
    change_cents: int              # teruggave
    remaining_cents: int           # still open after this payment


# -- amounts typed at the desk ------------------------------------------------------------------
def parse_amount(text: str) -> int | None:
    """The amount field: empty gives None (the whole amount), else cents; never negative.

    >>> parse_amount("60"), parse_amount("  "), parse_amount("52,5")
    (6000, None, 5250)
    """
    if not text.strip():
        return None
    try:
        cents = parse_cents(text)
    except AmountError:
        raise SettlementError(
            f"Geen geldig bedrag: {text.strip()!r}. Typ bijvoorbeeld 60 of 60,00.") from None
    if cents < 0:
        raise SettlementError("Een bedrag kan niet negatief zijn.")
    if cents > MAX_AMOUNT_CENTS:
        raise SettlementError(f"{format_cents(cents)} is meer dan een balie ontvangt "
                              f"(hoogstens {format_cents(MAX_AMOUNT_CENTS)}).")
    return cents


def check_method(method: str) -> str:
    """``kas`` or ``pin``; anything else is refused.

    >>> check_method("PIN")
    'pin'
    """
    m = method.strip().lower()
    if m not in METHODS:
        raise SettlementError(f"Onbekende ontvangstwijze: {method!r} (kas of pin).")
    return m


def change_due(amount_cents: int, tendered_cents: int) -> int:
    """The change (teruggave) when ``tendered_cents`` is handed over for ``amount_cents``.

    >>> format_cents(change_due(5200, 6000))
    '€ 8,00'
    """
    if tendered_cents < amount_cents:
        raise SettlementError(
            f"Ontvangen {format_cents(tendered_cents)} is minder dan te betalen "
            f"{format_cents(amount_cents)}.")
    return tendered_cents - amount_cents


def remaining_after(due_cents: int, paid_cents: int) -> int:
    """What stays open after a (part) payment.

    >>> remaining_after(5200, 2000)
    3200
    """
    if paid_cents < 0 or paid_cents > due_cents:
        raise SettlementError(
            f"Betaald {format_cents(paid_cents)} past niet bij te ontvangen "
            f"{format_cents(due_cents)}.")
    return due_cents - paid_cents


def check_payment(method: str, due_cents: int, amount_cents: int,
                  tendered_cents: int | None = None) -> Payment:
    """Validate a payment of ``amount_cents`` towards ``due_cents``, with for cash the amount
    tendered (default: exactly the amount). A part payment is allowed; more than is due, a
    negative or zero amount, too little tendered or a tendered amount with PIN are not.

    >>> check_payment("kas", 5200, 5200, 6000).change_cents
    800
    >>> check_payment("pin", 5200, 2000).remaining_cents
    3200
    """
    method = check_method(method)
    if due_cents <= 0:
        raise SettlementError("Er is niets te ontvangen.")
    if amount_cents <= 0:
        raise SettlementError("Het bedrag moet groter zijn dan € 0,00.")
    if amount_cents > due_cents:
        raise SettlementError(
            f"{format_cents(amount_cents)} is meer dan te ontvangen {format_cents(due_cents)}.")
    if method == PIN:
        if tendered_cents is not None and tendered_cents != amount_cents:
            raise SettlementError("Bij PIN is er geen teruggave: het bedrag is wat er gepind "
                                  "wordt.")
        return Payment(PIN, amount_cents, None, 0, due_cents - amount_cents)
    tendered = amount_cents if tendered_cents is None else tendered_cents
    if tendered > MAX_AMOUNT_CENTS:
        raise SettlementError(f"{format_cents(tendered)} is meer dan een balie ontvangt "
                              f"(hoogstens {format_cents(MAX_AMOUNT_CENTS)}).")
    change = change_due(amount_cents, tendered)
    return Payment(KAS, amount_cents, tendered, change, due_cents - amount_cents)


def payment_for_typed(method: str, due_cents: int, typed_cents: int | None) -> Payment:
    """What F10 does with the amount field (see the module): for cash the amount tendered, for
    PIN the amount paid; empty pays what is due.

    >>> check = payment_for_typed("kas", 5200, 6000)
    >>> format_cents(check.amount_cents), format_cents(check.change_cents)
    ('€ 52,00', '€ 8,00')
    >>> payment_for_typed("kas", 5200, 2000).remaining_cents
    3200
    """
    method = check_method(method)
    if due_cents <= 0:
        raise SettlementError("Er is niets te ontvangen.")
    if typed_cents is None:
        return check_payment(method, due_cents, due_cents)
    if typed_cents <= 0:
        raise SettlementError("Het bedrag moet groter zijn dan € 0,00.")
    if method == PIN:
        if typed_cents > due_cents:
            raise SettlementError(
                f"Met PIN kan niet meer dan te ontvangen {format_cents(due_cents)} betaald "
                "worden.")
        return check_payment(PIN, due_cents, typed_cents)
    return check_payment(KAS, due_cents, min(typed_cents, due_cents), typed_cents)


# -- spreading a payment over open invoices -------------------------------------------------------
def set_off_credits(items: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Set open credit notes off against open invoices, oldest first on both sides.

    ``items`` are (invoice id, outstanding cents) oldest first: credit notes negative, invoices
    positive. Returns (credit note id, invoice id, cents) per set-off.

    >>> set_off_credits([(1, 5200), (2, -3000), (3, 6500)])
    [(2, 1, 3000)]
    >>> set_off_credits([(1, 1000), (2, -3000), (3, 6500)])
    [(2, 1, 1000), (2, 3, 2000)]
    """
    charges = [[i, c] for i, c in items if c > 0]
    result = []
    for credit_id, cents in items:
        left = -cents
        for charge in charges:
            if left <= 0:
                break
            take = min(left, charge[1])
            if take > 0:
                result.append((credit_id, charge[0], take))
                charge[1] -= take
                left -= take
    return result


def allocate(amount_cents: int, items: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spread a payment over open invoices, oldest first: (invoice id, cents) per invoice it
    touches. ``items`` are (invoice id, outstanding cents) oldest first; non-positive ones are
    skipped. The last invoice touched may stay partly open.

    >>> allocate(6000, [(1, 5200), (2, 1500)])
    [(1, 5200), (2, 800)]
    """
    if amount_cents <= 0:
        raise SettlementError("Het bedrag moet groter zijn dan € 0,00.")
    total = sum(c for _, c in items if c > 0)
    if amount_cents > total:
        raise SettlementError(
            f"{format_cents(amount_cents)} is meer dan open staat ({format_cents(total)}).")
    left, result = amount_cents, []
    for invoice_id, cents in items:
        if left == 0:
            break
        if cents <= 0:
            continue
        take = min(left, cents)
        result.append((invoice_id, take))
        left -= take
    return result


def net_due(outstanding: Iterable[int]) -> int:
    """What is to be received for a set of open items (credit notes count against it); never
    below zero — a credit larger than the charges is not paid out at the counter.

    >>> net_due([5200, -3000]), net_due([-500])
    (2200, 0)
    """
    return max(0, sum(outstanding))


# -- waiving ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaiveReason:
    code: str
    label: str


def load_waive_reasons(text: str) -> dict[str, WaiveReason]:
    """Read ``waive_reasons.toml`` (``[[reason]]`` with ``code`` and ``label``), in file order.

    >>> load_waive_reasons('[[reason]]\\ncode = "COUL"\\nlabel = "Coulance"')["COUL"].label
    'Coulance'
    """
    data = tomllib.loads(text)
    result: dict[str, WaiveReason] = {}
    for i, entry in enumerate(data.get("reason", [])):
        code, label = entry.get("code"), entry.get("label")
        if not isinstance(code, str) or not code.isalnum() or not code.isupper() or len(code) > 8:
            raise ValueError(f"reason[{i}].code must be A-Z 0-9, at most 8 long: {code!r}")
        if not isinstance(label, str) or not label.strip() or len(label) > 40:
            raise ValueError(f"reason[{i}].label must be text of 1-40 characters: {label!r}")
        if code in result:
            raise ValueError(f"reason[{i}].code {code} is listed twice")
        result[code] = WaiveReason(code, label.strip())
    if not result:
        raise ValueError("no [[reason]] entries")
    return result


def default_waive_reasons() -> dict[str, WaiveReason]:
    """The reasons packaged with tui-desk (``tui_desk/data/waive_reasons.toml``).

    >>> default_waive_reasons()["COUL"].label
    'Coulance'
    """
    from importlib.resources import files

    return load_waive_reasons(
        files("tui_desk.data").joinpath("waive_reasons.toml").read_text("utf-8"))


def may_waive(roles: Iterable[str], waive_roles: Iterable[str]) -> bool:
    """Kwijtschelden is for staff with one of ``waive_roles`` (default: beheer).

    >>> may_waive({"balie"}, ["beheer"]), may_waive({"balie", "beheer"}, ["beheer"])
    (False, True)
    """
    return bool(set(roles) & set(waive_roles))


# -- the cash-up -----------------------------------------------------------------------------
def expected_cash(opening_float_cents: int, cash_in_cents: int, change_out_cents: int) -> int:
    """What the drawer should hold: the opening float plus the cash taken in (tendered) minus
    the change given out.

    >>> format_cents(expected_cash(10000, 6000, 800))
    '€ 152,00'
    """
    return opening_float_cents + cash_in_cents - change_out_cents


def cash_difference(counted_cents: int, expected_cents: int) -> int:
    """Counted minus expected: positive is too much in the drawer, negative too little.

    >>> cash_difference(15000, 15200)
    -200
    """
    if counted_cents < 0:
        raise SettlementError("Het getelde bedrag kan niet negatief zijn.")
    return counted_cents - expected_cents


def difference_text(difference_cents: int) -> str:
    """The cash-up verdict in Dutch.

    >>> difference_text(0), difference_text(-200), difference_text(150)
    ('Kas klopt.', 'Kasverschil: € 2,00 te weinig.', 'Kasverschil: € 1,50 te veel.')
    """
    if difference_cents == 0:
        return "Kas klopt."
    word = "te veel" if difference_cents > 0 else "te weinig"
    return f"Kasverschil: {format_cents(abs(difference_cents))} {word}."
