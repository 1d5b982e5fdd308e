"""Registrations: customers registered per second through the workflow service, without a
screen, and one registration through the screens (Pilot, 80x24).

Without a screen, each registration is what a counter does, on a fresh demo database (2,000
customers): start a draft, "V" for the next free card number, type the fields of step 1 one by
one (each change is saved: the draft), fill street and place from the postcode table, "Ok,
Vervolg" (the duplicate check; once more when it found someone), a generated login account,
tariff 0045 Basis, and the save (customer, address, card, login account, activation mail,
subscription period, invoice: one transaction). The people are invented (random surname,
initials, birth date 19-80 years ago, an address of the postcode table, unique e-mail).

Through the screens: Ctrl+N, the same fields typed into step 1 (a field's text pasted in one
go, as the Pilot tests do; Enter between fields), F10, F10 on the duplicates list if it shows,
F10 for a new login account, F10 on step 3 with the tariff the screen proposes, until the
"klaar" screen: the time of the whole wizard, Pilot's waits for idle included.

    python bench/registrations.py [--count 200] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median, percentile, publish, table

from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.rules.names import PREFIXES
from tui_desk.store import staff as staff_store
from tui_desk.store.db import Database
from tui_desk.store.demo import ensure_demo, load_names
from tui_desk.store.postcodes import read_postcodes

TODAY = dt.date(2026, 11, 28)
TARIFF = "0045"  # Basis
_NAMES = None
_POSTCODES = None


def person(rng: random.Random, tag: str) -> dict[str, str]:
    """Step 1's fields for an invented adult, as typed at the desk."""
    global _NAMES, _POSTCODES
    if _NAMES is None:
        _NAMES = load_names()
        _POSTCODES = read_postcodes()
    prefix, surname = rng.choice(_NAMES.surnames)
    while prefix and prefix not in PREFIXES:
        # names.toml holds "de la Rie", whose prefix step 1 refuses ("Voorvoegsel 'de la' is
        # onbekend"): a person the form cannot take as typed; pick another.
        prefix, surname = rng.choice(_NAMES.surnames)
    pc = rng.choice(_POSTCODES)
    step = 1 if pc[3] == "all" else 2
    number = pc[1] + step * rng.randrange((pc[2] - pc[1]) // step + 1)
    birth = TODAY - dt.timedelta(days=rng.randrange(19 * 366, 80 * 365))
    return {
        "initials": rng.choice("ABCDEFGHJKLMNPRSTW") + rng.choice(["", "J", "M"]),
        "prefix": prefix,
        "surname": surname,
        "birth_date": birth.strftime("%d-%m-%Y"),
        "postcode": pc[0],
        "house_number": str(number),
        "gender": rng.choice("MV"),
        "phone": f"0592 {rng.randrange(200000, 999999)}",
        "legitimatie": "Ja",
        "email": f"{tag}@example.nl",
    }


def demo_service(db: Database, clock: FixedClock, username: str = "balie"):
    from tui_desk.services.registration import RegistrationService

    staff = staff_store.by_username(db, username)
    return RegistrationService(db, clock, staff, demo_config())


def counter_service(path: str, index: int):
    """Counter process ``index``'s service on the shared bench database: the demo staff member
    by turn, the fixed day at 10:00, and its own random generator for the people it registers.
    """
    from tui_desk.store.db import DEMO, open_database

    db = open_database(path, environment=DEMO, create=False)
    staff = [r["username"] for r in db.all("SELECT username FROM staff ORDER BY id")]
    clock = FixedClock(dt.datetime.combine(TODAY, dt.time(10, 0)))
    return demo_service(db, clock, staff[index % len(staff)]), random.Random(index)


def register_one(service, fields: dict[str, str]) -> tuple[int, float]:
    """One whole registration through the service; (customer id, seconds in register())."""
    from tui_desk.services.registration import LOGIN_GENERATED, DuplicatesFound

    draft = service.start()
    service.issue_card(draft)
    for name, value in fields.items():
        service.set(draft, name, value)
    service.lookup_address(draft)
    try:
        service.finish_customer_step(draft)
    except DuplicatesFound:
        service.finish_customer_step(draft, duplicates_seen=True)  # "toch nieuwe klant"
    service.choose_login(draft, LOGIN_GENERATED)
    t = time.perf_counter()
    done = service.register(draft, TARIFF)
    return done.customer_id, time.perf_counter() - t


def fresh_demo(folder: Path) -> Path:
    path = folder / "demo.sqlite3"
    ensure_demo(path, demo_config(), TODAY).close()
    return path


def measure_service(count: int, folder: Path, seed: int = 11) -> dict:
    path = fresh_demo(folder)
    db = ensure_demo(path, demo_config(), TODAY)
    clock = FixedClock(dt.datetime.combine(TODAY, dt.time(10, 0)))
    service = demo_service(db, clock)
    rng = random.Random(seed)
    people = [person(rng, f"bench.{i}") for i in range(count)]
    register_one(service, person(rng, "warm-up"))  # imports, statement cache
    whole, commits = [], []
    started = time.perf_counter()
    for fields in people:
        t = time.perf_counter()
        _cid, commit = register_one(service, fields)
        whole.append(time.perf_counter() - t)
        commits.append(commit)
    elapsed = time.perf_counter() - started
    db.close()
    return {
        "registrations": count, "seconds": elapsed, "per_second": count / elapsed,
        "whole_p50_ms": median(whole) * 1000, "whole_p95_ms": percentile(whole, 95) * 1000,
        "register_p50_ms": median(commits) * 1000,
        "register_p95_ms": percentile(commits, 95) * 1000,
    }


async def _pilot_wizard(path: Path, fields: dict[str, str]) -> dict:
    from tui_desk.app import TuiDeskApp
    from tui_desk.screens.duplicates import DuplicatesScreen
    from tui_desk.screens.registration_done import RegistrationDoneScreen
    from tui_desk.services.desk import Desk

    db = ensure_demo(path, demo_config(), TODAY)
    clock = FixedClock(dt.datetime.combine(TODAY, dt.time(10, 0)))
    desk = Desk(config=demo_config(), db=db, demo=True, clock=clock,
                staff=staff_store.by_username(db, "balie"))
    app = TuiDeskApp(desk)
    keys = 0

    async def enter(pilot, text: str, field: str | None = None) -> None:
        nonlocal keys
        if field is not None:
            pilot.app.screen.query_one(field).focus()
            await pilot.pause()
        if text:
            pilot.app.focused.insert_text_at_cursor(text)
            keys += len(text)
        await pilot.press("enter")
        keys += 1

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("ctrl+n")
        await pilot.press("V", "enter")
        keys += 3
        for name in ("initials", "prefix", "surname", "first_name", "birth_date",
                     "country"):
            await enter(pilot, fields.get(name, ""))
        await enter(pilot, fields["postcode"])
        await enter(pilot, fields["house_number"])
        await pilot.press("enter")  # Toevoeging
        app.screen.query_one("#f-gender").focus()
        await pilot.pause()
        await pilot.press(fields["gender"].lower())
        await enter(pilot, fields["email"], "#f-email")
        keys += 2
        step1 = time.perf_counter() - started
        await pilot.press("f10")
        keys += 1
        if isinstance(app.screen, DuplicatesScreen):
            await pilot.press("f10")
            keys += 1
        await pilot.press("f10")  # step 2: new login account
        await pilot.pause()
        await pilot.press("f10")  # step 3: save with the proposed tariff
        keys += 2
        for _ in range(50):
            if isinstance(app.screen, RegistrationDoneScreen):
                break
            await pilot.pause(0.05)
        elapsed = time.perf_counter() - started
        ok = isinstance(app.screen, RegistrationDoneScreen)
        screen = type(app.screen).__name__
    customers = db.scalar("SELECT count(*) FROM customers")
    db.close()
    return {"seconds": elapsed, "step_1_seconds": step1, "keys": keys, "completed": ok,
            "final_screen": screen, "customers_after": customers}


def measure_pilot(folder: Path, seed: int = 12) -> dict:
    path = fresh_demo(folder)
    rng = random.Random(seed)
    return asyncio.run(_pilot_wizard(path, person(rng, "pilot")))


def report(out: dict) -> str:
    s, p = out["service"], out["pilot"]
    rows = [
        ["service, no screen", f"{s['per_second']:.1f} /s", s["whole_p50_ms"], s["whole_p95_ms"],
         s["register_p50_ms"], s["register_p95_ms"]],
        ["screens (Pilot, 80x24)", "1 wizard", p["seconds"] * 1000, "", "", ""],
    ]
    return (table(["registrations", "rate", "whole p50 ms", "p95 ms", "register() p50 ms",
                   "p95 ms"], rows)
            + f"\nservice: {s['registrations']} registrations in {s['seconds']:.1f} s on a fresh "
              f"demo database; Pilot: {p['keys']} keys, step 1 {p['step_1_seconds']:.2f} s, "
              f"ended on {p['final_screen']}" + ("" if p["completed"] else " (NOT completed)"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tui-desk-bench-") as tmp:
        out = {"service": measure_service(a.count, Path(tmp) / "service"),
               "pilot": measure_pilot(Path(tmp) / "pilot")}
    return publish("registrations", "Registrations", out, report(out), a.json)


if __name__ == "__main__":
    raise SystemExit(main())
