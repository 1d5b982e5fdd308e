"""The postcode table: postcode + house number → street, place and region.

A row covers one side of a street segment: ``9468 BG, 1..99, odd → Kruisakkers, ANNEN``.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

from tui_desk.store.data_files import read_data_file
from tui_desk.store.db import Database, StoreError

COLUMNS = ("postcode", "min_number", "max_number", "parity", "street", "place", "region")
_POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
_BANNED = ("SA", "SD", "SS")


def normalise(postcode: str) -> str | None:
    """``9468bg`` → ``9468 BG``; None when it is not a Dutch postcode."""
    compact = re.sub(r"[\s-]+", "", postcode or "").upper()
    if len(compact) != 6:
        return None
    text = f"{compact[:4]} {compact[4:]}"
    if not _POSTCODE.match(text) or compact[4:] in _BANNED:
        return None
    return text


def _rows(text: str, source: str) -> list[tuple]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise StoreError(f"{source}: missing columns: {', '.join(missing)}")
    rows = []
    for line, rec in enumerate(reader, start=2):
        where = f"{source}: line {line}"
        postcode = normalise(rec["postcode"])
        if postcode is None or postcode != rec["postcode"].strip():
            raise StoreError(f"{where}: not a valid postcode: {rec['postcode']!r}")
        try:
            low, high = int(rec["min_number"]), int(rec["max_number"])
        except (TypeError, ValueError):
            raise StoreError(f"{where}: house numbers must be whole numbers") from None
        parity = (rec["parity"] or "").strip()
        if parity not in ("odd", "even", "all"):
            raise StoreError(f"{where}: parity must be odd, even or all, not {parity!r}")
        if not 0 < low <= high:
            raise StoreError(f"{where}: bad house number range {low}-{high}")
        if parity != "all" and (low % 2 != high % 2 or (low % 2 == 1) != (parity == "odd")):
            raise StoreError(f"{where}: range {low}-{high} does not fit parity {parity}")
        street, place = (rec["street"] or "").strip(), (rec["place"] or "").strip()
        if not street or not place:
            raise StoreError(f"{where}: street and place are required")
        rows.append((postcode, low, high, parity, street, place, (rec["region"] or "").strip()))
    return rows


def read_postcodes(path: Path | str | None = None) -> list[tuple]:
    """The rows of a postcode CSV (columns as ``COLUMNS``); default the built-in demo table."""
    text, source = read_data_file(path, "postcodes.csv", encoding="utf-8-sig")
    return _rows(text, source)


def load_postcodes(db: Database, path: Path | str | None = None, *, replace: bool = False) -> int:
    """Insert (or update by key) the rows of a postcode CSV in one transaction; returns the count.

    ``replace=True`` empties the table first, for loading a complete new edition.
    """
    rows = read_postcodes(path)
    with db.transaction():
        if replace:
            db.execute("DELETE FROM postcodes")
        db.executemany(
            "INSERT INTO postcodes (postcode, min_number, max_number, parity, street, place,"
            " region) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(postcode, min_number, parity) DO UPDATE SET"
            " max_number = excluded.max_number, street = excluded.street,"
            " place = excluded.place, region = excluded.region",
            rows,
        )
    return len(rows)


def lookup(db: Database, postcode: str, number: int) -> sqlite3.Row | None:
    """The row whose range holds ``number`` on the right side of the street, or None.

    Uses the primary key (postcode, min_number, parity): one index range scan per lookup.
    """
    code = normalise(postcode)
    if code is None or number is None or number <= 0:
        return None
    side = "odd" if number % 2 else "even"
    return db.one(
        "SELECT postcode, min_number, max_number, parity, street, place, region FROM postcodes"
        " WHERE postcode = ? AND min_number <= ? AND max_number >= ? AND parity IN (?, 'all')"
        " ORDER BY min_number DESC LIMIT 1",
        (code, number, number, side),
    )
