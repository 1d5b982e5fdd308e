"""The reference tables the office loads from files: tariffs with their prices, and the
postcode table (postcode + house number → street, place, region)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tui_desk.rules.tariffs import INSTITUTION, PERSON
from tui_desk.store import tariffs as tariff_store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.subscriptions import tariff_rules


@dataclass(frozen=True)
class TariffPrice:
    code: str
    name: str
    audience: str
    price_cents: int | None      # None: no price on that day


def import_tariffs(db: Database, path: Path | str | None = None) -> int:
    """Load tariffs and prices from a TOML file (the packaged one when None); how many."""
    return tariff_store.load_tariffs(db, path)


def tariff_prices(db: Database, day: dt.date) -> list[TariffPrice]:
    """Every tariff with its price on ``day`` (for an institution or a person, as it is meant)."""
    found = []
    for spec in tariff_rules(db).values():
        audience = INSTITUTION if spec.audience == INSTITUTION else PERSON
        try:
            price: int | None = tariff_store.price_on(db, spec.code, audience, day)
        except StoreError:
            price = None
        found.append(TariffPrice(spec.code, spec.name, spec.audience, price))
    return found


def import_postcodes(db: Database, path: Path | str, *, replace: bool = False) -> int:
    """Load postcode ranges from a CSV (``replace``: empty the table first); how many."""
    return load_postcodes(db, path, replace=replace)
