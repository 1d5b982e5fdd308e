"""Dates: ``datetime.date`` in code, ISO in the database, ``dd-mm-jjjj`` on screen."""

from __future__ import annotations

import datetime as dt
import re

from tui_desk.rules.errors import RuleError

# The Dutch month names, as CLDR (babel, locale nl_NL) writes them in a date. Kept here rather
# than asked from babel: loading babel and its locale data costs ~20 ms at start-up, and the
# main screen shows today's date (tests/rules/test_dates.py checks they agree with babel).
MONTH_NAMES: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def show(day: dt.date | None) -> str:
    """``dd-mm-jjjj``, or empty for no date.

    >>> show(dt.date(1991, 1, 1))
    '01-01-1991'
    """
    return "" if day is None else day.strftime("%d-%m-%Y")


def show_long(day: dt.date | None) -> str:
    """The written Dutch date, as on the record's tab 1.

    >>> show_long(dt.date(1991, 1, 1))
    '1 januari 1991'
    """
    return "" if day is None else f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    """``April 2022`` as in "Gefactureerd t/m April 2022".

    >>> month_year(dt.date(2022, 4, 30))
    'April 2022'
    """
    return f"{MONTH_NAMES[day.month - 1]} {day.year}".capitalize()


def from_iso(text: str | None) -> dt.date | None:
    """A date from the database (ISO), or None for no date.

    >>> from_iso("1991-01-01")
    datetime.date(1991, 1, 1)
    """
    return None if not text else dt.date.fromisoformat(text)


def to_iso(day: dt.date | None) -> str | None:
    """A date for the database (ISO), or None for no date.

    >>> to_iso(dt.date(1991, 1, 1))
    '1991-01-01'
    """
    return None if day is None else day.isoformat()


def stamp(at: dt.datetime) -> str:
    """A moment as the database stores it: ISO 8601 to the second, no time zone.

    >>> stamp(dt.datetime(2021, 4, 15, 10, 5, 30, 123456))
    '2021-04-15T10:05:30'
    """
    return at.isoformat(timespec="seconds")


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years on a date; someone born on 29-02 turns a year older on 01-03.

    >>> age_on(dt.date(1991, 1, 1), dt.date(2021, 4, 15))
    30
    """
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# --- Reading dates typed at the desk ---


class DateError(RuleError):
    """A typed date that cannot be read, does not exist or is out of range."""


MAX_AGE = 120

# Dutch month names and the abbreviations staff type, with the English ones that look alike.
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "febr": 2,
    "maart": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

# [0-9], not \d: \d also matches Arabic-Indic and other digits int() would accept.
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2}) ?[-/.] ?([0-9]{1,2}) ?[-/.] ?([0-9]+)")
_COMPACT = re.compile(r"[0-9]+")
_WRITTEN = re.compile(r"([0-9]{1,2})(?:e|ste|de)? ?[-./]? ?([a-z]+)\.? ?[-./]? ?([0-9]+)")
_FOUR_DIGITS = "Vul het jaar met 4 cijfers in, bijvoorbeeld 01-01-1991."
_FORMAT = "Vul de datum in als dd-mm-jjjj, bijvoorbeeld 01-01-1991 of 1 januari 1991."


def _make(day: int, month: int, year: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{day:02d}-{month:02d}-{year:04d} bestaat niet.") from None


def parse_date(text: str) -> dt.date:
    """Read a date the way staff type it: ``01-01-1991``, ``1-1-1991``, ``1/1/1991``,
    ``01011991``, ``1991-01-01``, ``1 januari 1991``, ``1 jan 1991``, ``1 mrt. 1991``.

    The year must have four digits. Raises :class:`DateError` ("31-02-2000 bestaat niet.").

    >>> parse_date("1 januari 1991")
    datetime.date(1991, 1, 1)
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    if not t:
        raise DateError("Vul een datum in (dd-mm-jjjj).")
    if m := _ISO.fullmatch(t):
        year, month, day = (int(g) for g in m.groups())
        return _make(day, month, year)
    if m := _NUMERIC.fullmatch(t):
        day, month = int(m[1]), int(m[2])
        year_text = m[3]
    elif m := _COMPACT.fullmatch(t):
        if len(t) == 6:
            raise DateError(_FOUR_DIGITS)
        if len(t) != 8:
            raise DateError(_FORMAT)
        day, month, year_text = int(t[:2]), int(t[2:4]), t[4:]
    elif m := _WRITTEN.fullmatch(t):
        month_name = m[2]
        if month_name not in MONTHS:
            shown = month_name if len(month_name) <= 12 else month_name[:11] + "…"
            raise DateError(f"Onbekende maand '{shown}'. Schrijf bijvoorbeeld 1 januari 1991.")
        day, month = int(m[1]), MONTHS[month_name]
        year_text = m[3]
    else:
        raise DateError(_FORMAT)
    if len(year_text) != 4:
        raise DateError(_FOUR_DIGITS)
    return _make(day, month, int(year_text))


def parse_birth_date(text: str, today: dt.date) -> dt.date:
    """A Geboortedatum: any form :func:`parse_date` reads, not in the future and at most
    120 years ago. Raises :class:`DateError`.

    >>> parse_birth_date("01011991", dt.date(2021, 4, 15))
    datetime.date(1991, 1, 1)
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    if not text.strip():
        raise DateError("Vul de geboortedatum in (dd-mm-jjjj).")
    birth = parse_date(text)
    if birth > today:
        raise DateError("Geboortedatum ligt in de toekomst.")
    if age_on(birth, today) > MAX_AGE:
        raise DateError(
            f"Geboortedatum ligt meer dan {MAX_AGE} jaar terug: controleer het jaar."
        )
    return birth
