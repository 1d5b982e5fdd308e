"""The benchmark database: a demo database grown to a million customers, built once and cached.

The schema comes from ``tui_desk.store.db.open_database`` (the real migrations and indexes); the
first 2,000 customers, the branches, staff, tariffs and the postcode table from ``seed_demo``. The
rest is generated in bulk (executemany, one transaction, journal off while building, then back
to WAL):

- surnames from ``data/names.toml`` with the demo's weights (earlier names more common), the
  prefix split off, ``search_name`` by ``rules.names.search_key``;
- initials from the first names of the birth year's era, one to three letters;
- birth dates spread evenly over 0-95 years before ``TODAY``;
- addresses: streets, places, regions and house-number ranges of ``data/postcodes.csv``. That
  table holds 7,249 addresses; a million customers on them would put ~140 people at every
  address, so each row is also used under other (invented) postcodes of the same shape, for
  about 2.5 customers per address as in a real library's area;
- one active card per customer (``rules.cards.make``, per branch, after the demo's numbers),
  one in twenty also an older replaced card;
- branches weighted as in the demo.

The file is cached as ``bench/results/db/bench-<customers>-v<VERSION>-s<schema>.sqlite3``; change
``VERSION`` when the generator changes. ``python bench/build_db.py [--customers N] [--force]``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS

from tui_desk.config import demo_config
from tui_desk.rules import cards, names
from tui_desk.store import counters
from tui_desk.store.db import DEMO, latest_version, open_database
from tui_desk.store.demo import BRANCH_WEIGHTS, load_names, seed_demo
from tui_desk.store.postcodes import read_postcodes

VERSION = 1
TODAY = dt.date(2026, 11, 28)
DEMO_CUSTOMERS = 2000
CUSTOMERS_PER_ADDRESS = 2.5
CHUNK = 50_000
_BANNED = {"SA", "SD", "SS"}


def cached_path(customers: int) -> Path:
    return RESULTS / "db" / f"bench-{customers}-v{VERSION}-s{latest_version()}.sqlite3"


def ensure(customers: int = 1_000_000, *, force: bool = False, quiet: bool = False) -> Path:
    """The cached benchmark database, built first when missing."""
    path = cached_path(customers)
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"bench-{customers}-*.sqlite3*"):
        old.unlink()  # an older version of the generator or schema
    building = path.with_suffix(".building")
    for p in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    build(building, customers, quiet=quiet)
    os.replace(building, path)
    if not quiet:
        size = path.stat().st_size / 2**20
        print(f"built {path} ({customers:,} customers, {size:.0f} MiB) in "
              f"{time.perf_counter() - started:.0f} s")
    return path


def _postcode_universe(rows: list[tuple], addresses: int, rng: random.Random) -> list[tuple]:
    """(postcode, min, max, parity, street, place, region): the table's rows, then invented
    postcodes that reuse a table row's street and range, until there are ``addresses``."""
    out = list(rows)
    taken = {r[0] for r in rows}
    per_row = sum(_count(r) for r in rows) / len(rows)
    wanted = max(len(rows), round(addresses / per_row))
    letters = [a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ"
               if a + b not in _BANNED]
    while len(out) < wanted:
        base = rng.choice(rows)
        code = f"{rng.randrange(7700, 10000)} {rng.choice(letters)}"
        if code in taken:
            continue
        taken.add(code)
        out.append((code, *base[1:]))
    return out


def _count(row: tuple) -> int:
    step = 1 if row[3] == "all" else 2
    return (row[2] - row[1]) // step + 1


def build(path: Path, customers: int, *, quiet: bool = False, seed: int = 2026) -> None:
    def say(text: str) -> None:
        if not quiet:
            print(f"  {time.perf_counter() - t0:6.1f} s  {text}", flush=True)

    t0 = time.perf_counter()
    config = demo_config()
    db = open_database(path, environment=DEMO)
    seed_demo(db, config, TODAY, customers=min(DEMO_CUSTOMERS, customers))
    say(f"demo database seeded ({min(DEMO_CUSTOMERS, customers)} customers)")
    bulk = customers - min(DEMO_CUSTOMERS, customers)
    conn = db.conn
    conn.execute("PRAGMA journal_mode = OFF")  # a bench file: rebuilt, never repaired
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB while building

    rng = random.Random(seed)
    name_data = load_names()
    surname_keys = [(prefix, surname, names.search_key(surname))
                    for prefix, surname in name_data.surnames]
    surname_cum = name_data.surname_cum
    universe = _postcode_universe(read_postcodes(), round(customers / CUSTOMERS_PER_ADDRESS), rng)
    branches = [b.code for b in config.branches]
    branch_cum, total = [], 0
    for code in branches:
        total += BRANCH_WEIGHTS.get(code, 10)
        branch_cum.append(total)
    # The card sequences are counters (store/counters.py): card:<branch>, the last one given.
    seq = {code: 0 for code in branches}
    seq.update({r[0][len("card:"):]: r[1] for r in conn.execute(
        "SELECT name, value FROM counters WHERE name LIKE 'card:%'")})
    first_id = (conn.execute("SELECT max(id) FROM customers").fetchone()[0] or 0) + 1
    first_actor = max(400000, (conn.execute("SELECT max(actor_id) FROM customers")
                               .fetchone()[0] or 0) + 1)
    oldest = (TODAY - dt.date(TODAY.year - 96, TODAY.month, 1)).days
    today_ord = TODAY.toordinal()
    eras = ("old", "middle", "young")
    first_names = {g: {era: lists[era] for era in eras}
                   for g, lists in (("V", name_data.female), ("M", name_data.male))}
    stamp = f"{TODAY.isoformat()}T09:00:00"
    say(f"{len(universe):,} postcodes for {bulk:,} more customers")

    random_ = rng.random
    randrange = rng.randrange
    conn.execute("BEGIN")
    done = 0
    while done < bulk:
        n = min(CHUNK, bulk - done)
        customer_rows, address_rows, card_rows = [], [], []
        for i in range(done, done + n):
            cid = first_id + i
            prefix, surname, key = surname_keys[bisect.bisect_right(
                surname_cum, random_() * surname_cum[-1])]
            gender = "V" if random_() < 0.5 else "M"
            birth_ord = today_ord - randrange(oldest)
            birth = dt.date.fromordinal(birth_ord)
            era = "old" if birth.year < 1960 else "middle" if birth.year < 1990 else "young"
            first = rng.choice(first_names[gender][era])
            initials = first[0] + "."
            roll = random_()
            if roll < 0.35:
                initials += rng.choice("AJHMGWCEPRK") + "."
                if roll < 0.1:
                    initials += rng.choice("AJHMGWCEPRK") + "."
            branch = branches[bisect.bisect_right(branch_cum, random_() * total)]
            joined = max(birth_ord, today_ord - 30 * 365)  # members for up to 30 years
            registered = dt.date.fromordinal(joined + randrange(today_ord - joined + 1))
            customer_rows.append((
                cid, first_actor + i, gender, initials, prefix, surname, first, key,
                birth.isoformat(), branch, registered.isoformat(), stamp, stamp))
            pc = universe[randrange(len(universe))]
            step = 1 if pc[3] == "all" else 2
            number = pc[1] + step * randrange((pc[2] - pc[1]) // step + 1)
            roll = random_()
            suffix = "A" if roll < 0.04 else "B" if roll < 0.055 else (
                rng.choice("123") if roll < 0.075 else "")
            address_rows.append((cid, pc[4], number, suffix, pc[0], pc[5], pc[6]))
            if random_() < 0.05:
                seq[branch] += 1
                card_rows.append((cards.make(branch, seq[branch]).number, cid, branch,
                                  "vervangen", registered.isoformat()))
            seq[branch] += 1
            card_rows.append((cards.make(branch, seq[branch]).number, cid, branch, "actief",
                              registered.isoformat()))
        conn.executemany(
            "INSERT INTO customers (id, actor_id, kind, gender, initials, prefix, surname,"
            " first_name, search_name, birth_date, branch_code, registered_on, created_at,"
            " updated_at) VALUES (?, ?, 'person', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            customer_rows)
        conn.executemany(
            "INSERT INTO addresses (customer_id, street, house_number, house_suffix, postcode,"
            " place, region) VALUES (?, ?, ?, ?, ?, ?, ?)", address_rows)
        conn.executemany(
            "INSERT INTO cards (number, customer_id, branch_code, status, issued_on)"
            " VALUES (?, ?, ?, ?, ?)", card_rows)
        done += n
        say(f"{DEMO_CUSTOMERS + done:,} customers")
    for code, last in seq.items():
        counters.raise_to(db, counters.card(code), last)
    counters.raise_to(db, counters.ACTOR_ID,
                      conn.execute("SELECT max(actor_id) FROM customers").fetchone()[0])
    db.set_setting("bench_db_version", str(VERSION))
    db.set_setting("bench_customers", str(customers))
    conn.execute("COMMIT")
    say("committed")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA optimize")
    db.close()
    say("done")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--force", action="store_true", help="rebuild even when cached")
    a = ap.parse_args()
    print(ensure(a.customers, force=a.force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
