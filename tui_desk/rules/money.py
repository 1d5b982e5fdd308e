"""Money is integer cents; on screen it is ``€ 56,00``."""

from __future__ import annotations

import re

from tui_desk.rules.errors import RuleError


class AmountError(RuleError):
    """An amount typed at the desk that is not an amount (still a ``ValueError``).

    >>> isinstance(AmountError("Geen geldig bedrag: 'x'"), ValueError)
    True
    """


def format_cents(cents: int, *, symbol: bool = True) -> str:
    """Show an amount the Dutch way.

    >>> format_cents(5600)
    '€ 56,00'
    >>> format_cents(-123456)
    '€ -1.234,56'
    """
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    # Thousands grouped by "." as babel's nl_NL format_decimal does, without loading babel.
    text = f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"
    return f"€ {text}" if symbol else text


_AMOUNT = re.compile(r"^(?P<sign>-)?(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)?(?:[,.](?P<frac>\d{1,2}))?$")


def parse_cents(text: str) -> int:
    """Read an amount typed at the desk: ``60``, ``60,00``, ``€ 1.234,5``.

    Raises :class:`AmountError` (a ``ValueError``) with a Dutch message on anything else.

    >>> parse_cents("€ 60,5")
    6050
    """
    t = text.strip().replace("€", "").replace(" ", "")
    m = _AMOUNT.match(t)
    if not t or not m or (m.group("whole") is None and m.group("frac") is None):
        raise AmountError(f"Geen geldig bedrag: {text!r}")
    whole = int((m.group("whole") or "0").replace(".", ""))
    frac = (m.group("frac") or "0").ljust(2, "0")
    cents = whole * 100 + int(frac)
    return -cents if m.group("sign") else cents
