"""Subscription periods and their amounts: when a period ends, what it costs, the cost build-up
of step 3 ("Opbouw abonnementskosten"), the credit of a changed subscription and cancelling.

Period ends (``period_end``), the one place this rule lives:

- **year** (n years): to the end of the month in which the n-th year after the start ends —
  the end of the month of ``start + 12n months - 1 day``. So 15-04-2021 runs to 30-04-2022
  (expiry month April, as the manual's customer), 01-05-2022 to 30-04-2023, and 29-02-2024 to
  28-02-2025. A renewal starts the day after, always on the 1st, and runs exactly 12 months.
- **year with a fixed expiry month** M (a tariff's ``expiry_month``): to the end of the first
  month M after the start month (a start in month M itself runs to M of the next year), plus
  n-1 years. The first period may be shorter than a year; it is billed at the full price.
- **month** (n months): to the day before the same day n months on; when that month has no such
  day, to its last day. 15-01 → 14-02, 01-02 → 28/29-02, 31-01 → 28-02 (29-02 in a leap year),
  30-03 → 29-04, 31-03 → 30-04.
- **week** / **day**: n weeks / days including the start day (gastleen 3 weeks: 01-03 → 21-03).

The price of a period is the price valid on its start date (``store.tariffs.price_on``); a
renewal is billed at the price valid when it starts.

Credit (Muteer abonnement): the unused part of the old period — the days from the change date to
its end, inclusive — is credited pro rata by days of the amount actually charged (amount minus
discount), rounded to whole cents, halves up. A period that had not started is credited whole.

Cancelling (Opzeggen) "per" a date X means the rights end the day before X: per direct ends the
period yesterday (on its first day that leaves start - 1, the manual's "15-04-2021 14-04-2021"),
per the end of the period leaves it as it is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from tui_desk.rules.dates import MONTH_NAMES, age_on, month_year, show, show_long
from tui_desk.rules.money import format_cents
from tui_desk.rules.selections import Selection
from tui_desk.rules.tariffs import Tariff

DAY = dt.timedelta(days=1)


class Period(NamedTuple):
    start: dt.date
    end: dt.date
    expiry_month: int   # 1..12, the month the period ends in (Vervalmaand)


def end_of_month(day: dt.date) -> dt.date:
    """The last day of the month of ``day``.

    >>> end_of_month(dt.date(2024, 2, 10))
    datetime.date(2024, 2, 29)
    """
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it is shorter.

    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: dt.date, unit: str, length: int,
               expiry_month: int | None = None) -> dt.date:
    """The last day of a period of ``length`` times ``unit`` from ``start`` (see the module).

    >>> period_end(dt.date(2021, 4, 15), "year", 1)
    datetime.date(2022, 4, 30)
    >>> period_end(dt.date(2024, 2, 29), "year", 1)
    datetime.date(2025, 2, 28)
    >>> period_end(dt.date(2025, 1, 31), "month", 1)
    datetime.date(2025, 2, 28)
    >>> period_end(dt.date(2021, 10, 12), "year", 1, expiry_month=7)
    datetime.date(2022, 7, 31)
    """
    if length < 1:
        raise ValueError(f"a period lasts at least 1 {unit}, not {length}")
    if unit == "year":
        if expiry_month is not None:
            if not 1 <= expiry_month <= 12:
                raise ValueError(f"expiry month must be 1..12, not {expiry_month}")
            year = start.year if start.month < expiry_month else start.year + 1
            year += length - 1
            return end_of_month(dt.date(year, expiry_month, 1))
        return end_of_month(add_months(start, 12 * length) - DAY)
    if unit == "month":
        # The day before the same day n months on; a month without that day ends on its last.
        same_day = add_months(start, length)
        return same_day if same_day.day < start.day else same_day - DAY
    if unit == "week":
        return start + dt.timedelta(weeks=length) - DAY
    if unit == "day":
        return start + dt.timedelta(days=length) - DAY
    raise ValueError(f"unknown period unit {unit!r}")


def period_for(tariff: Tariff, start: dt.date) -> Period:
    """The period of ``tariff`` that starts on ``start``: (start, end, expiry month).

    >>> period_for(Tariff("0045", "Basis"), dt.date(2021, 4, 15))
    Period(start=datetime.date(2021, 4, 15), end=datetime.date(2022, 4, 30), expiry_month=4)
    """
    end = period_end(start, tariff.period_unit, tariff.period_length,
                     tariff.expiry_month if tariff.period_unit == "year" else None)
    return Period(start, end, end.month)


def next_period(tariff: Tariff, previous_end: dt.date) -> Period:
    """The period that follows one ending on ``previous_end`` (a renewal starts the day after).

    >>> next_period(Tariff("0045", "Basis"), dt.date(2022, 4, 30)).end
    datetime.date(2023, 4, 30)
    """
    return period_for(tariff, previous_end + DAY)


def month_name(month: int) -> str:
    """The Dutch name of a month, capitalised as the record writes it (Vervalmaand).

    >>> month_name(4)
    'April'
    """
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    return MONTH_NAMES[month - 1].capitalize()


def last_day_of_age(birth: dt.date, age: int) -> dt.date:
    """The last day someone is ``age`` years old (the day before the next birthday; a 29-02
    birthday falls on 01-03 in other years).

    >>> last_day_of_age(dt.date(2008, 3, 10), 18)
    datetime.date(2027, 3, 9)
    """
    year = birth.year + age + 1
    try:
        birthday = birth.replace(year=year)
    except ValueError:  # 29 February in a year without one
        birthday = dt.date(year, 3, 1)
    return birthday - DAY


def rights_until(tariff: Tariff, period: Period, birth_date: dt.date | None) -> dt.date:
    """"Rechten t/m": the last day the customer may use the tariff in this period — the period's
    end, or earlier for an age-set tariff when the customer grows out of its range (a youth
    member's rights end the day before the 19th birthday, when the subscription becomes Start).

    >>> youth = Tariff("0011", "Jeugd", category="leeftijd", min_age=0, max_age=18)
    >>> rights_until(youth, period_for(youth, dt.date(2026, 11, 28)), dt.date(2008, 3, 10))
    datetime.date(2027, 3, 9)
    """
    if tariff.by_age and tariff.max_age is not None and birth_date is not None:
        return min(period.end, last_day_of_age(birth_date, tariff.max_age))
    return period.end


def discount_for(selection: Selection | None, amount_cents: int, *, first_period: bool = True,
                 staff_free_used: bool = False, tariff: Tariff | None = None) -> int:
    """The korting in cents on a period of ``amount_cents`` of ``tariff`` from the customer's
    Selectie.

    Free selections (vrijwilliger, personeel) make free only the tariff that is meant for them
    (the manual: "Gratis abonnementen; voor personeel (max 1 per persoon)", "Gratis abonnement
    voor vrijwilligers": 0001 gratis, whose ``selections`` name them) — every period of it,
    except for personnel who already have their one free subscription elsewhere. Any other
    tariff costs what it costs. Action codes give their discount on the first period only. No
    selection, no discount.

    >>> volunteer = Selection("VRIJWILLIGER", "Vrijwilliger", "vrijwilliger",
    ...                       free_subscription=True)
    >>> gratis = Tariff("0001", "gratis", selections=frozenset({"vrijwilliger"}))
    >>> discount_for(volunteer, 5600, first_period=False, tariff=gratis)
    5600
    >>> discount_for(volunteer, 6500, tariff=Tariff("0053", "Compleet"))
    0
    >>> discount_for(Selection("ACTIE-ZOMER", "Zomer", "actie", discount_cents=1000), 5600)
    1000
    >>> discount_for(None, 5600)
    0
    """
    if selection is None or amount_cents <= 0:
        return 0
    if selection.free_subscription:
        if tariff is None or selection.kind not in tariff.selections:
            return 0
        if selection.kind == "personeel" and staff_free_used:
            return 0
        return selection.discount_on(amount_cents)
    if not first_period:
        return 0
    return selection.discount_on(amount_cents)


@dataclass(frozen=True)
class CostBuildUp:
    """"Opbouw abonnementskosten" of step 3, field by field as the manual lists them."""

    name: str                 # Naam: "A. van de Test"
    age: int | None           # Leeftijd (None for institutions)
    tariff_code: str          # Tariefcode
    expiry_month: int         # Vervalmaand, 1..12
    rights_until: dt.date     # Rechten t/m
    subscription_cents: int   # Abonnement €
    discount_cents: int       # Korting €
    balance_cents: int        # Saldo €: what is to be paid
    valid_until: dt.date      # Geldig t/m (shown as month and year)
    tariff_name: str = ""
    start: dt.date | None = None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) in the manual's order, formatted for the screen.

        >>> b = cost_build_up("A. van de Test", dt.date(1991, 1, 1), Tariff("0045", "Basis"),
        ...                   period_for(Tariff("0045", "Basis"), dt.date(2021, 4, 15)), 5200)
        >>> b.rows()[3:]
        [('Vervalmaand', 'April'), ('Rechten t/m', '30-04-2022'), ('Abonnement', '€ 52,00'), \
('Korting', '€ 0,00'), ('Saldo', '€ 52,00'), ('Geldig t/m', 'April 2022')]
        """
        return [
            ("Naam", self.name),
            ("Leeftijd", "" if self.age is None else str(self.age)),
            ("Tariefcode", self.tariff_code),
            ("Vervalmaand", month_name(self.expiry_month)),
            ("Rechten t/m", show(self.rights_until)),
            ("Abonnement", format_cents(self.subscription_cents)),
            ("Korting", format_cents(self.discount_cents)),
            ("Saldo", format_cents(self.balance_cents)),
            ("Geldig t/m", month_year(self.valid_until)),
        ]


def cost_build_up(name: str, birth_date: dt.date | None, tariff: Tariff, period: Period,
                  price_cents: int, discount_cents: int = 0) -> CostBuildUp:
    """The cost build-up of one period; the age is the age on the period's start (None for no
    birth date — institutions).

    >>> cost_build_up("A. van de Test", dt.date(1991, 1, 1), Tariff("0045", "Basis"),
    ...               period_for(Tariff("0045", "Basis"), dt.date(2021, 4, 15)), 5200).age
    30
    """
    discount = max(0, min(discount_cents, price_cents))
    return CostBuildUp(
        name=name,
        age=None if birth_date is None else age_on(birth_date, period.start),
        tariff_code=tariff.code,
        expiry_month=period.expiry_month,
        rights_until=rights_until(tariff, period, birth_date),
        subscription_cents=price_cents,
        discount_cents=discount,
        balance_cents=price_cents - discount,
        valid_until=period.end,
        tariff_name=tariff.name,
        start=period.start,
    )


def credit_unused(charged_cents: int, start: dt.date, end: dt.date, from_day: dt.date) -> int:
    """The credit for the unused part of a period ``start``..``end`` when it stops being used
    on ``from_day``: ``charged * unused days / all days``, whole cents, halves rounded up.
    A period that had not started yet is credited whole; one that was already over, not at all.

    >>> credit_unused(5200, dt.date(2021, 4, 15), dt.date(2022, 4, 30), dt.date(2021, 11, 1))
    2470
    >>> credit_unused(5200, dt.date(2021, 4, 15), dt.date(2022, 4, 30), dt.date(2021, 4, 15))
    5200
    """
    if charged_cents <= 0:
        return 0
    total = (end - start).days + 1
    if total <= 0:
        return 0
    unused = min(total, max(0, (end - from_day).days + 1))
    return (charged_cents * unused * 2 + total) // (2 * total)


CANCEL_DIRECT = "direct"
CANCEL_NEXT_MONTH = "next_month"
CANCEL_END_OF_PERIOD = "end_of_period"


class CancelOption(NamedTuple):
    key: str             # direct | next_month | end_of_period
    effective: dt.date   # "per" this day: the rights end the day before
    label: str           # "Abonnement opzeggen per 1 mei 2022"


def cancel_options(today: dt.date, period_end_day: dt.date) -> list[CancelOption]:
    """The Opzeggen choices of the Contributie tab, as the manual lists them: per direct, per
    the end of the period (the day after its last day) and per the 1st of next month (left out
    when it is not earlier than the end of the period).

    >>> [o.label for o in cancel_options(dt.date(2021, 4, 15), dt.date(2022, 4, 30))]
    ['Abonnement opzeggen per direct', 'Abonnement opzeggen per 1 mei 2022', \
'Abonnement opzeggen per 1 mei 2021']
    """
    options = [CancelOption(CANCEL_DIRECT, today, "Abonnement opzeggen per direct")]
    after = period_end_day + DAY
    if after > today:
        options.append(CancelOption(CANCEL_END_OF_PERIOD, after,
                                    f"Abonnement opzeggen per {show_long(after)}"))
    first = end_of_month(today) + DAY
    if first < after:
        options.append(CancelOption(CANCEL_NEXT_MONTH, first,
                                    f"Abonnement opzeggen per {show_long(first)}"))
    return options


def cancelled_end(period_start: dt.date, period_end_day: dt.date, effective: dt.date) -> dt.date:
    """The period's new last day when it is cancelled per ``effective``: the day before, but
    never later than it already ended. On its first day that is ``start - 1``.

    >>> cancelled_end(dt.date(2021, 4, 15), dt.date(2022, 4, 30), dt.date(2021, 4, 15))
    datetime.date(2021, 4, 14)
    """
    return min(period_end_day, max(effective, period_start) - DAY)
