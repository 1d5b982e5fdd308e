"""Addresses: Dutch postcode and house number, the postcode-table range rule, countries."""

from __future__ import annotations

import re
import unicodedata

from tui_desk.rules import names
from tui_desk.rules.errors import RuleError


class PostcodeError(RuleError):
    """A postcode that does not exist or cannot be read."""


class HouseNumberError(RuleError):
    """A Huisnummer (+ toevoeging) that cannot be read."""


class CountryError(RuleError):
    """A Land that is not a known country name or ISO code."""


HOUSE_NUMBER_MAX = 99999
SUFFIX_MAX = 6
FOREIGN_POSTCODE_MAX = 12
_BANNED = ("SA", "SD", "SS")
_SHAPE = "Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 9468 BG."


def _shown(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}


def parse_postcode(text: str) -> str:
    """A Dutch postcode written the standard way, ``9468 BG``; case and spaces are free.

    Raises :class:`PostcodeError`, e.g. "Postcode 1234 SS bestaat niet: SA, SD en SS worden
    niet gebruikt."

    >>> parse_postcode("9468bg")
    '9468 BG'
    """
    t = re.sub(r"\s+", "", text)
    if not t:
        raise PostcodeError("Vul een postcode in, bijvoorbeeld 9468 BG.")
    # Checked before stdnum: str.upper() turns "ß" into "SS" and non-ASCII digits into nothing
    # stdnum reports clearly.
    if not t.isascii():
        raise PostcodeError(_SHAPE)
    # Imported here: python-stdnum costs ~15 ms to load, not needed before an address is typed.
    from stdnum.exceptions import ValidationError as _StdnumError
    from stdnum.nl import postcode as _nl_postcode

    try:
        return _nl_postcode.validate(t)
    except _StdnumError:
        pass
    compact = _nl_postcode.compact(t)
    if re.fullmatch(r"[0-9]{4}[A-Z]{2}", compact):
        written = f"{compact[:4]} {compact[4:]}"
        if compact[0] == "0":
            raise PostcodeError(
                f"Postcode {written} bestaat niet: een postcode begint niet met 0."
            ) from None
        if compact[4:] in _BANNED:
            raise PostcodeError(
                f"Postcode {written} bestaat niet: SA, SD en SS worden niet gebruikt."
            ) from None
    raise PostcodeError(_SHAPE) from None


def parse_house_number(text: str) -> tuple[int, str]:
    """Huisnummer and toevoeging: ``41`` → (41, ""), ``41A``, ``41 a`` → (41, "A"),
    ``41-2`` → (41, "2"), ``41 bis`` → (41, "BIS"), ``41A-2`` → (41, "A-2").

    The number is 1..99999; the toevoeging is letters and digits, upper case, groups joined with
    "-", at most 6 characters. Raises :class:`HouseNumberError`.

    >>> parse_house_number("41 a")
    (41, 'A')
    """
    t = text.strip()
    if not t:
        raise HouseNumberError("Vul een huisnummer in.")
    m = re.fullmatch(r"([0-9]+)(.*)", t, flags=re.DOTALL)
    if not m:
        raise HouseNumberError("Een huisnummer begint met cijfers, bijvoorbeeld 41 of 41A.")
    digits, rest = m.groups()
    # Length first: int() of thousands of digits is slow and, past 4300, a ValueError.
    if len(digits.lstrip("0")) > len(str(HOUSE_NUMBER_MAX)) or not 1 <= int(digits) <= (
        HOUSE_NUMBER_MAX
    ):
        raise HouseNumberError(f"Een huisnummer ligt tussen 1 en {HOUSE_NUMBER_MAX}.")
    number = int(digits)
    groups = [g for g in re.split(r"[\s\-/.]+", rest) if g]
    for group in groups:
        if not re.fullmatch(r"[0-9A-Za-z]+", group):
            raise HouseNumberError("Een toevoeging bestaat alleen uit letters en cijfers.")
    suffix = "-".join(groups).upper()
    if len(suffix) > SUFFIX_MAX:
        raise HouseNumberError(f"De toevoeging is te lang: maximaal {SUFFIX_MAX} tekens.")
    return number, suffix


def matches(range_min: int, range_max: int, parity: str, number: int) -> bool:
    """Whether a house number falls in a row of the postcode table: ``range_min`` t/m
    ``range_max`` and the row's parity, ``'odd'``, ``'even'`` or ``'all'``.

    An unknown parity is a fault in the table, not in the typed number: ValueError.

    >>> matches(1, 99, "odd", 41)
    True
    """
    if parity == "odd":
        fits = number % 2 == 1
    elif parity == "even":
        fits = number % 2 == 0
    elif parity == "all":
        fits = True
    else:
        raise ValueError(f"unknown parity in postcode table: {parity!r}")
    return fits and range_min <= number <= range_max


def parse_foreign_postcode(text: str) -> str:
    """A postcode abroad is not checked, only tidied: spaces collapsed, upper case, at most
    12 characters; empty is allowed (not every country has postcodes). Raises
    :class:`PostcodeError`.

    >>> parse_foreign_postcode(" sw1a  1aa ")
    'SW1A 1AA'
    """
    if any(_invisible(ch) for ch in text):
        raise PostcodeError("Postcode bevat een onzichtbaar of ongeldig teken.")
    t = re.sub(r"\s+", " ", text).strip().upper()
    if len(t) > FOREIGN_POSTCODE_MAX:
        raise PostcodeError(f"Postcode is te lang: maximaal {FOREIGN_POSTCODE_MAX} tekens.")
    return t


# --- Countries ---------------------------------------------------------------------------------

# First the countries most customers come from, then every other ISO 3166 country by its Dutch
# name (from the CLDR data babel ships). Codes that are not countries (EU, UN, ZZ, XA...) are left
# out; XK (Kosovo) is kept.
_FIRST = ("NL", "BE", "DE", "FR", "GB")
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


def _countries() -> dict[str, str]:
    from babel import Locale

    territories = Locale("nl").territories
    codes = [
        c for c in territories
        if isinstance(c, str) and len(c) == 2 and c.isalpha() and c.isupper()
        and c not in _NOT_COUNTRIES
    ]
    rest = sorted((c for c in codes if c not in _FIRST), key=lambda c: names.fold(territories[c]))
    return {c: territories[c] for c in (*_FIRST, *rest)}


# Names people type that are not the official Dutch name.
_ALIASES = {
    "holland": "NL", "engeland": "GB", "groot brittannie": "GB", "uk": "GB", "schotland": "GB",
    "wales": "GB", "noord ierland": "GB", "vs": "US", "usa": "US", "amerika": "US",
}

# Built on first use (babel's locale data takes ~50 ms to load and sort): ``COUNTRIES`` is
# ISO 3166 alpha-2 code → Dutch name, Nederland first: ``COUNTRIES["BE"] == "België"``.
_TABLES: tuple[dict[str, str], dict[str, str]] | None = None


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(COUNTRIES, folded name or alias → code), built once."""
    global _TABLES
    if _TABLES is None:
        countries = _countries()
        by_name = {names.fold(name): code for code, name in countries.items()} | _ALIASES
        _TABLES = (countries, by_name)
    return _TABLES


def __getattr__(name: str) -> dict[str, str]:
    # ``from tui_desk.rules.postcodes import COUNTRIES`` still works (PEP 562).
    if name == "COUNTRIES":
        return _tables()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def country_code(text: str) -> str:
    """The ISO code for a Land typed as a code or a Dutch name, any case, accents optional.

    Raises :class:`CountryError`.

    >>> country_code("Nederland"), country_code("be"), country_code("Belgie")
    ('NL', 'BE', 'BE')
    """
    t = text.strip()
    if not t:
        raise CountryError("Vul een land in, bijvoorbeeld Nederland.")
    countries, by_name = _tables()
    if len(t) == 2 and t.upper() in countries:
        return t.upper()
    code = by_name.get(names.fold(t))
    if code is None:
        raise CountryError(f"Land '{_shown(t, 30)}' is onbekend.")
    return code


def country_name(code: str) -> str:
    """The Dutch name of a country code; the code itself when unknown.

    >>> country_name("DE")
    'Duitsland'
    """
    return _tables()[0].get(code.upper(), code)
