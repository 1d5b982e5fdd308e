"""Dates: ``datetime.date`` in code, ISO in the database, ``dd-mm-jjjj`` on screen."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as _babel_format


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
    return "" if day is None else _babel_format(day, "d MMMM y", locale="nl_NL")


def month_year(day: dt.date) -> str:
    """``April 2022`` as in "Gefactureerd t/m April 2022".

    >>> month_year(dt.date(2022, 4, 30))
    'April 2022'
    """
    return _babel_format(day, "MMMM y", locale="nl_NL").capitalize()


def from_iso(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


def to_iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years on a date; someone born on 29-02 turns a year older on 01-03.

    >>> age_on(dt.date(1991, 1, 1), dt.date(2021, 4, 15))
    30
    """
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
