"""Time as a dependency: services ask a clock, tests set it."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class SystemClock:
    """The wall clock, in local time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)

    def today(self) -> dt.date:
        return dt.date.today()


class FixedClock:
    """A clock that only moves when told to (tests, benchmarks, training scenarios)."""

    def __init__(self, at: dt.datetime | dt.date) -> None:
        if not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time(10, 0))
        self._now = at

    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._now.date()

    def set(self, at: dt.datetime) -> None:
        self._now = at

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)


class ShiftedClock:
    """The wall clock moved to another day (training scenarios: "it is 15-04-2021").

    Given a day, time of day keeps running; only the date is shifted by a fixed number of days.
    Given a moment ("15-04-2021 10:00"), the clock starts there and runs on: a class (or a
    test) that must not cross midnight halfway starts in the morning.
    """

    def __init__(self, day: dt.date | dt.datetime) -> None:
        if isinstance(day, dt.datetime):
            self._offset = day - dt.datetime.now()
        else:
            self._offset = day - dt.date.today()

    def now(self) -> dt.datetime:
        return (dt.datetime.now() + self._offset).replace(microsecond=0)

    def today(self) -> dt.date:
        return self.now().date()
