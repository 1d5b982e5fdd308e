"""Library card numbers: ``2`` + 4-digit branch + 8-digit sequence + Luhn check digit."""

from __future__ import annotations

from dataclasses import dataclass

from tui_desk.rules.errors import RuleError
from tui_desk.rules.scanned import clean, digits

CUSTOMER_TYPE = "2"
LENGTH = 14


class CardNumberError(RuleError):
    """A card number that is not valid; the message is Dutch, for the person at the desk."""


@dataclass(frozen=True)
class CardNumber:
    number: str

    @property
    def branch_code(self) -> str:
        return self.number[1:5]

    @property
    def sequence(self) -> int:
        return int(self.number[5:13])

    def __str__(self) -> str:
        return self.number


def looks_like_card(text: str) -> bool:
    """True for input that is a card number by its shape (14 digits), valid or not.

    >>> looks_like_card("29401000075801")
    True
    """
    c = clean(text)
    return len(c) == LENGTH and c.isdigit()


def parse(text: str, known_branches: set[str] | frozenset[str] | None = None) -> CardNumber:
    """Check a scanned or typed card number.

    >>> parse("29401000075801").branch_code
    '9401'
    """
    c = digits(text, name="pasnummer", length=LENGTH, error=CardNumberError,
               empty="Vul een pasnummer in of typ V voor een nieuw nummer.")
    if c[0] != CUSTOMER_TYPE:
        raise CardNumberError("Dit is geen klantenpas (een klantenpas begint met 2).")
    # Imported here: python-stdnum costs ~15 ms to load, not needed before a card is checked.
    from stdnum import luhn

    if not luhn.is_valid(c):
        raise CardNumberError("Het controlecijfer klopt niet: scan de pas opnieuw.")
    card = CardNumber(c)
    if known_branches is not None and card.branch_code not in known_branches:
        raise CardNumberError(f"Vestigingscode {card.branch_code} is onbekend.")
    return card


def make(branch_code: str, sequence: int) -> CardNumber:
    """The card number for a branch and sequence, with its check digit.

    >>> make("9401", 7580).number
    '29401000075801'
    """
    if len(branch_code) != 4 or not branch_code.isdigit():
        raise ValueError(f"branch code must be 4 digits: {branch_code!r}")
    if not 0 < sequence < 10**8:
        raise ValueError(f"sequence out of range: {sequence}")
    body = f"{CUSTOMER_TYPE}{branch_code}{sequence:08d}"
    from stdnum import luhn

    return CardNumber(body + luhn.calc_check_digit(body))
