"""What the demo generator reads and what it returns: plain data, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from tui_desk.config import Config
from tui_desk.rules import names

# One row as executemany takes it.
Row = tuple[Any, ...]
# (tariff, instance, start, end, status, amount, discount, ended_on, reason) of one period.
PeriodRow = tuple[str, str, dt.date, dt.date, str, int, int, "dt.date | None", str]


class PostcodeRange(NamedTuple):
    """One row of the postcode table, as the seeder picks addresses from it."""

    postcode: str
    min_number: int
    max_number: int
    parity: str
    street: str
    place: str
    region: str


@dataclass(frozen=True)
class NameData:
    surnames: list[tuple[str, str]]  # (prefix, surname)
    surname_cum: list[float]
    female: dict[str, list[str]]
    male: dict[str, list[str]]
    neutral: list[str]
    institutions: dict[str, list[str]]


def _split_surname(entry: str) -> tuple[str, str]:
    """``van den Berg`` → (``van den``, ``Berg``); a capitalised entry is one whole surname."""
    if entry[:1].islower() or entry.startswith("'"):
        return names.split_prefix(entry)
    return "", entry


def name_data(data: dict[str, Any]) -> NameData:
    """The name lists of ``data/names.toml`` (parsed) with the surnames' cumulative weights."""
    surnames = [_split_surname(s) for s in data["surnames"]]
    cum: list[float] = []
    total = 0.0
    for i in range(len(surnames)):
        total += 1.0 / (i + 25)  # earlier entries are more common
        cum.append(total)
    first = data["first_names"]
    return NameData(surnames, cum, first["female"], first["male"],
                    data["neutral_first_names"], data["institutions"])


@dataclass(frozen=True)
class World:
    """What the generator reads: the config's branches and the loaded reference tables."""

    config: Config
    today: dt.date
    names: NameData
    tariffs: dict[str, tuple[str, int, int]]  # code → (period unit, period length, strips)
    prices: dict[tuple[str, str], list[tuple[str, int]]]  # (code, audience) → (from, cents)
    postcodes: list[PostcodeRange]  # ordered by postcode, min_number, parity
    staff_ids: dict[str, list[int]]  # branch code → staff ids
    first_id: int  # the id of the first customer


@dataclass
class DemoRows:
    """The rows to insert, in the column order of ``demo_writer``'s INSERTs."""

    customers: list[Row]
    addresses: list[Row]
    cards: list[Row]
    periods: list[Row]
    notices: list[Row]
    card_seq: list[tuple[int, str]]  # (highest sequence, branch code)

