"""Twenty counters register customers at the same moment on one database file.

Each process drives the registration workflow service (no screen) through steps 1-3. Every
registration must be stored exactly once, no error may reach a person, and card numbers and
actor ids stay unique. Spawning 20 Python processes takes a few seconds on two cores: this is
the one slow test of the services, on purpose.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.store.demo import ensure_demo

PROCESSES = 20
EACH = 2
DAY = dt.date(2026, 11, 28)


def _letters(worker: int, n: int) -> str:
    """A surname part without digits: 'Ba', 'Bb', … unique per worker and registration."""
    i = worker * EACH + n
    return "B" + chr(ord("a") + i // 26) + chr(ord("a") + i % 26)


def _register(args: tuple[str, int]) -> list[tuple[str, int] | str]:
    path, worker = args
    from tui_desk.services.registration import RegistrationService
    from tui_desk.store import staff as staff_store
    from tui_desk.store.db import open_database

    db = open_database(path, environment="demo")
    staff = staff_store.by_username(db, "balie")
    service = RegistrationService(db, FixedClock(dt.datetime.combine(DAY, dt.time(10))), staff,
                                  demo_config())
    out: list[tuple[str, int] | str] = []
    for n in range(EACH):
        try:
            draft = service.start()
            service.issue_card(draft)
            for name, value in {
                "initials": "K", "surname": f"Gelijktijdig {_letters(worker, n)}",
                "birth_date": f"{(worker % 28) + 1:02d}-03-1980", "postcode": "9468 BG",
                "house_number": str(1 + 2 * worker), "gender": "M", "inlogaccount": "Nee",
                "email_leeg": "Ja",
            }.items():
                message = service.set(draft, name, value)
                assert message is None, (name, message)
            service.lookup_address(draft)
            service.finish_customer_step(draft, duplicates_seen=True)
            done = service.register(draft, "0045")
            out.append((draft.values["kaart"], done.customer_id))
        except Exception as exc:  # every failure is reported, none may happen
            out.append(f"{type(exc).__name__}: {exc}")
    db.close()
    return out


@pytest.fixture
def shared_db(tmp_path) -> Path:
    path = tmp_path / "shared.sqlite3"
    ensure_demo(path, demo_config(), DAY, customers=50).close()
    return path


def test_twenty_counters_register_at_once(shared_db):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        results = pool.map(_register, [(str(shared_db), w) for w in range(PROCESSES)])
    flat = [r for per in results for r in per]
    errors = [r for r in flat if isinstance(r, str)]
    assert errors == []
    assert len(flat) == PROCESSES * EACH

    raw = sqlite3.connect(shared_db)
    rows = raw.execute("SELECT c.id, c.actor_id, k.number FROM customers c JOIN cards k "
                       "ON k.customer_id = c.id WHERE c.surname LIKE 'Gelijktijdig%'").fetchall()
    assert len(rows) == PROCESSES * EACH                      # each stored exactly once
    assert len({r[1] for r in rows}) == len(rows)             # actor ids unique
    assert len({r[2] for r in rows}) == len(rows)             # card numbers unique
    assert {r[2] for r in rows} == {card for card, _ in flat}
    assert raw.execute("SELECT count(*) FROM cards").fetchone()[0] == raw.execute(
        "SELECT count(DISTINCT number) FROM cards").fetchone()[0]
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
