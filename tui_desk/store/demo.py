"""The demo/training database: branches, staff, tariffs, postcodes and ~2,000 invented customers.

Everything (PIN salts included) comes from one ``random.Random(rng_seed)`` and is dated relative
to a given day, so the same seed and day give the same database; only the ``demo_seeded_at``
setting records the wall clock.

The database holds a few customers with known card numbers (``DEMO_SPECIAL_CARDS``):

- ``manual``: Mw. A. van de Test of the staff manual, exactly as its screenshots show her.
- ``markup``: surname ``[b]Test[/b]`` — must be shown literally, never as Rich markup.
- ``escape``: surname ``"\\x1b[31mRood"`` — a terminal escape that must never reach the screen raw.
- ``jansen``, ``jansen_other_birth``, ``janssen``: near-duplicates at one address in Assen for the
  duplicate check (same name and birth date with day and month swapped; one letter more).

All staff have PIN ``1234``.

This module is the demo file's life cycle (open, seed when empty, rebuild) and the constants
other code names; the rows come from the pure ``store.demo_generator`` and are written by
``store.demo_writer``, both imported only when a database is seeded (every start of --demo
imports this module).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_desk.config import Config
from tui_desk.store.db import DEMO, PRODUCTION, Database, StoreError, open_database

if TYPE_CHECKING:
    from tui_desk.store.demo_world import NameData

DEMO_PIN = "1234"

DEMO_SPECIAL_CARDS: dict[str, str] = {
    "manual": "29401000075801",  # Mw. A. van de Test, Kruisakkers 41, 9468 BG ANNEN
    "markup": "29401000075819",  # B. [b]Test[/b]
    "escape": "29401000075827",  # R. \x1b[31mRood
    "jansen": "29402000314158",  # J. Jansen, born 12-03-1985
    "jansen_other_birth": "29402000314166",  # J. Jansen, born 03-12-1985
    "janssen": "29402000314174",  # J. Janssen, born 12-03-1985
    # Privacy (AVG) examples for trainers:
    "ouder": "29401000075835",  # Mw. S. de Boer: ouder/verzorger of Daan; withdrew a consent
    "kind": "29401000075843",   # Daan de Boer, 9 years old, with his mother as guardian
    "blokkade": "29401000075850",  # Hr. P. Blok: a block (gedrag) until a month from today
    "oud_lid": "29401000075868",   # an anonymised former customer
}

# How the customers spread over the branches of the demo config (others get weight 10).
BRANCH_WEIGHTS = {"9401": 8, "9402": 30, "9403": 25, "9404": 12, "9405": 15, "9406": 10}


def load_names() -> NameData:
    """The name lists of ``data/names.toml``."""
    from tui_desk.store.demo_world import name_data

    text = resources.files("tui_desk.data").joinpath("names.toml").read_text("utf-8")
    return name_data(tomllib.loads(text))


def seed_demo(
    db: Database,
    config: Config,
    clock_today: dt.date,
    *,
    customers: int = 2000,
    rng_seed: int = 1991,
    now: dt.datetime | None = None,
) -> int:
    """Fill an empty demo database in one transaction; returns the number of customers.

    Loads branches and registers (from ``config``), tariffs, postcodes, staff (PIN 1234) and
    ``customers`` customers (including the special ones of ``DEMO_SPECIAL_CARDS``), all dated
    relative to ``clock_today``. ``now`` only sets the ``demo_seeded_at`` setting.
    """
    from tui_desk.store.demo_writer import write_demo

    return write_demo(db, config, clock_today, customers=customers, rng_seed=rng_seed, now=now)


# -- the demo file --------------------------------------------------------------------------------
def _demo_file_state(path: Path) -> str:
    """'empty', 'demo', 'production' or 'other' for an existing file."""
    if path.is_dir():
        return "other"
    if path.stat().st_size == 0:
        return "empty"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error:
        return "other"
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return "empty"
        if "settings" not in tables:
            return "other"
        row = conn.execute("SELECT value FROM settings WHERE key = 'environment'").fetchone()
    except sqlite3.Error:
        return "other"
    finally:
        conn.close()
    if row is None:
        return "other"
    return {DEMO: "demo", PRODUCTION: "production"}.get(row[0], "other")


demo_file_state = _demo_file_state


def reset_demo(path: Path | str, config: Config, today: dt.date, **seed_options: Any) -> Database:
    """Throw the demo file away and build it again; returns the open database.

    Refuses (StoreError) when the file is a production database — or anything else that is not
    a tui-desk demo database — so that a mistaken path can never delete real data. Other
    programs must not have the file open: their connections would keep the old, deleted file.
    """
    p = Path(path)
    if p.exists():
        state = _demo_file_state(p)
        if state == "production":
            raise StoreError(
                f"{p} is een productiedatabase en wordt niet verwijderd. Kies voor de "
                "oefenomgeving een eigen bestand."
            )
        if state == "other":
            raise StoreError(
                f"{p} is geen oefendatabase van tui-desk en wordt niet verwijderd. Kies voor de "
                "oefenomgeving een eigen bestand."
            )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{p}{suffix}").unlink(missing_ok=True)
    db = open_database(p, environment=DEMO)
    try:
        seed_demo(db, config, today, **seed_options)
    except BaseException:
        db.close()
        raise
    return db


def ensure_demo(path: Path | str, config: Config, today: dt.date, **seed_options: Any) -> Database:
    """Open the demo database, seeding it first when it has no customers yet."""
    db = open_database(path, environment=DEMO)
    try:
        if not db.scalar("SELECT EXISTS (SELECT 1 FROM customers)"):
            try:
                seed_demo(db, config, today, **seed_options)
            except StoreError:
                # Two trainees started on a new template at the same moment: the other one
                # seeded it while this one waited for the write lock.
                if not db.scalar("SELECT EXISTS (SELECT 1 FROM customers)"):
                    raise
    except BaseException:
        db.close()
        raise
    return db
