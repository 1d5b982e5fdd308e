"""Tariffs and their price history: loading the tariff file and the price on a given day."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_desk.store.data_files import read_data_file
from tui_desk.store.db import Database, StoreError

AUDIENCES = ("person", "institution", "both")
CATEGORIES = ("vast", "leeftijd", "tijdelijk")
PERIOD_UNITS = ("year", "month", "week", "day")
ROLES = ("balie", "educatie", "beheer")
SELECTION_KINDS = ("boekstart", "vrijwilliger", "personeel", "actie")

_CODE = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class Price:
    audience: str
    valid_from: dt.date
    price_cents: int


@dataclass(frozen=True)
class TariffSpec:
    """One tariff as read from a tariff file (the columns of ``tariffs`` plus its prices)."""

    code: str
    name: str
    description: str
    audience: str
    category: str
    min_age: int | None
    max_age: int | None
    period_unit: str
    period_length: int
    strips: int
    max_items: int | None
    active: bool
    prices: tuple[Price, ...]
    # who may take or issue it (migration 0004; see data/tariffs.toml)
    roles: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()
    needs_mandate: bool = False
    one_per_person_staff: bool = False
    one_per_school: bool = False
    pay_directly: bool = False
    expiry_month: int | None = None


def _fail(source: str, key: str, problem: str) -> StoreError:
    return StoreError(f"{source}: {key}: {problem}")


def _int(entry: dict[str, Any], name: str, source: str, key: str, *,
         default: int | None = None) -> int | None:
    value = entry.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(source, f"{key}.{name}", f"must be a whole number >= 0, not {value!r}")
    return value


def _choice(entry: dict[str, Any], name: str, allowed: tuple[str, ...], source: str,
            key: str) -> str:
    value = entry.get(name)
    if value not in allowed:
        raise _fail(source, f"{key}.{name}", f"must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _names(entry: dict[str, Any], name: str, allowed: tuple[str, ...], source: str,
           key: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise _fail(source, f"{key}.{name}",
                    f"must be a list of {', '.join(allowed)}, not {value!r}")
    return tuple(sorted(set(value)))


def _flag(entry: dict[str, Any], name: str, source: str, key: str) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise _fail(source, f"{key}.{name}", "must be true or false")
    return value


def parse_tariffs(data: dict[str, Any], source: str = "tariffs.toml") -> list[TariffSpec]:
    """Validate parsed TOML (``[[tariffs]]`` entries); every problem names its key."""
    entries = data.get("tariffs")
    if not isinstance(entries, list) or not entries:
        raise _fail(source, "tariffs", "at least one [[tariffs]] entry is needed")
    specs: list[TariffSpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        key = f"tariffs[{i}]"
        if not isinstance(entry, dict):
            raise _fail(source, key, "must be a table")
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _fail(source, f"{key}.code", f"must be four digits as text, not {code!r}")
        if code in seen:
            raise _fail(source, f"{key}.code", f"tariff {code} is listed twice")
        seen.add(code)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _fail(source, f"{key}.name", "must be non-empty text")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise _fail(source, f"{key}.description", "must be text")
        audience = _choice(entry, "audience", AUDIENCES, source, key)
        category = _choice(entry, "category", CATEGORIES, source, key)
        unit = _choice(entry, "period_unit", PERIOD_UNITS, source, key)
        length = _int(entry, "period_length", source, key)
        if not length:
            raise _fail(source, f"{key}.period_length", "must be at least 1")
        min_age = _int(entry, "min_age", source, key)
        max_age = _int(entry, "max_age", source, key)
        if min_age is not None and max_age is not None and min_age > max_age:
            raise _fail(source, f"{key}.max_age", f"is below min_age ({max_age} < {min_age})")
        active = entry.get("active", True)
        if not isinstance(active, bool):
            raise _fail(source, f"{key}.active", "must be true or false")
        expiry_month = _int(entry, "expiry_month", source, key)
        if expiry_month is not None and not (1 <= expiry_month <= 12 and unit == "year"):
            raise _fail(source, f"{key}.expiry_month",
                        "must be 1..12, and only for yearly tariffs")
        prices = []
        raw_prices = entry.get("prices")
        if not isinstance(raw_prices, list) or not raw_prices:
            raise _fail(source, f"{key}.prices", "at least one price is needed")
        for j, p in enumerate(raw_prices):
            pkey = f"{key}.prices[{j}]"
            if not isinstance(p, dict):
                raise _fail(source, pkey, "must be a table")
            valid_from = p.get("valid_from")
            if isinstance(valid_from, str):
                try:
                    valid_from = dt.date.fromisoformat(valid_from)
                except ValueError:
                    valid_from = None
            if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
                raise _fail(source, f"{pkey}.valid_from", "must be a date (2021-01-01)")
            p_audience = _choice(p, "audience", AUDIENCES, source, pkey)
            cents = _int(p, "price_cents", source, pkey)
            if cents is None:
                raise _fail(source, f"{pkey}.price_cents", "is missing")
            prices.append(Price(p_audience, valid_from, cents))
        keys = [(p.audience, p.valid_from) for p in prices]
        if len(set(keys)) != len(keys):
            raise _fail(source, f"{key}.prices", "two prices for the same audience and date")
        specs.append(
            TariffSpec(
                code=code,
                name=name,
                description=description,
                audience=audience,
                category=category,
                min_age=min_age,
                max_age=max_age,
                period_unit=unit,
                period_length=length,
                strips=_int(entry, "strips", source, key) or 0,
                max_items=_int(entry, "max_items", source, key),
                active=active,
                prices=tuple(prices),
                roles=_names(entry, "roles", ROLES, source, key),
                selections=_names(entry, "selections", SELECTION_KINDS, source, key),
                needs_mandate=_flag(entry, "needs_mandate", source, key),
                one_per_person_staff=_flag(entry, "one_per_person_staff", source, key),
                one_per_school=_flag(entry, "one_per_school", source, key),
                pay_directly=_flag(entry, "pay_directly", source, key),
                expiry_month=expiry_month,
            )
        )
    return specs


def read_tariffs(path: Path | str | None = None) -> list[TariffSpec]:
    """The tariffs of a tariff file; without ``path`` the built-in ``data/tariffs.toml``."""
    text, source = read_data_file(path, "tariffs.toml", key="(file)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "(syntax)", str(exc)) from None
    return parse_tariffs(data, source)


def load_tariffs(db: Database, path: Path | str | None = None) -> int:
    """Upsert the tariffs and prices of a tariff file in one transaction; returns how many.

    Tariffs are inserted or updated by code. Prices are keyed by (tariff, audience, valid_from):
    a new date adds a row, an existing date is corrected in place, and rows that are no longer
    in the file are kept — they are the history older periods were billed by. Tariffs missing
    from the file are left as they are.
    """
    specs = read_tariffs(path)
    with db.transaction():
        db.executemany(
            "INSERT INTO tariffs (code, name, description, audience, category, min_age, max_age,"
            " period_unit, period_length, strips, max_items, active, roles, selections,"
            " needs_mandate, one_per_person_staff, one_per_school, pay_directly, expiry_month)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
            " description = excluded.description, audience = excluded.audience,"
            " category = excluded.category, min_age = excluded.min_age,"
            " max_age = excluded.max_age, period_unit = excluded.period_unit,"
            " period_length = excluded.period_length, strips = excluded.strips,"
            " max_items = excluded.max_items, active = excluded.active,"
            " roles = excluded.roles, selections = excluded.selections,"
            " needs_mandate = excluded.needs_mandate,"
            " one_per_person_staff = excluded.one_per_person_staff,"
            " one_per_school = excluded.one_per_school, pay_directly = excluded.pay_directly,"
            " expiry_month = excluded.expiry_month",
            [
                (
                    s.code, s.name, s.description, s.audience, s.category, s.min_age,
                    s.max_age, s.period_unit, s.period_length, s.strips, s.max_items,
                    int(s.active), ",".join(s.roles), ",".join(s.selections),
                    int(s.needs_mandate), int(s.one_per_person_staff), int(s.one_per_school),
                    int(s.pay_directly), s.expiry_month,
                )
                for s in specs
            ],
        )
        db.executemany(
            "INSERT INTO tariff_prices (tariff_code, audience, valid_from, price_cents)"
            " VALUES (?, ?, ?, ?)"
            " ON CONFLICT(tariff_code, audience, valid_from)"
            " DO UPDATE SET price_cents = excluded.price_cents",
            [
                (s.code, p.audience, p.valid_from.isoformat(), p.price_cents)
                for s in specs
                for p in s.prices
            ],
        )
    return len(specs)


def price_on(db: Database, code: str, audience: str, day: dt.date) -> int:
    """The price in cents of tariff ``code`` for ``audience`` on ``day``.

    The latest row with ``valid_from <= day`` wins; a row for the exact audience beats a
    ``both`` row of the same date. Raises StoreError when the tariff has no price that day.
    """
    if audience not in ("person", "institution"):
        raise ValueError(f"audience must be person or institution: {audience!r}")
    cents = db.scalar(
        "SELECT price_cents FROM tariff_prices"
        " WHERE tariff_code = ? AND audience IN (?, 'both') AND valid_from <= ?"
        " ORDER BY valid_from DESC, audience = 'both' LIMIT 1",
        (code, audience, day.isoformat()),
    )
    if cents is None:
        raise StoreError(f"Tarief {code} heeft geen prijs op {day:%d-%m-%Y}.")
    return int(cents)


def ensure_tariffs(db: Database) -> int:
    """Load the packaged tariffs into a database that has none yet; returns how many."""
    if db.scalar("SELECT count(*) FROM tariffs"):
        return 0
    return load_tariffs(db)
