"""Test data written straight into a database: customers, cards, periods, staff.

``make_manual_customer`` is the customer of the manual's record pictures: Mw. A. van de Test,
card 29401000075801, actor 381847, Kruisakkers 41, 9468 BG ANNEN, Basis billed to 30-04-2022.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tui_desk.clock import FixedClock
from tui_desk.config import Config
from tui_desk.models import Staff
from tui_desk.rules import cards
from tui_desk.rules.names import search_key
from tui_desk.services.desk import Desk
from tui_desk.store.db import Database
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

_sequence = itertools.count(100_000)

MANUAL_CARD = "29401000075801"
MANUAL_ACTOR = 381847

_TARIFFS = {
    "0001": ("gratis", "both", "vast", 0),
    "0045": ("Basis", "person", "leeftijd", 125),
    "0053": ("Compleet", "person", "leeftijd", 0),
}


def ensure_tariff(db: Database, code: str) -> None:
    name, audience, category, strips = _TARIFFS.get(code, (f"Tarief {code}", "both", "vast", 0))
    db.execute(
        "INSERT INTO tariffs(code, name, audience, category, period_unit, period_length,"
        " strips) VALUES (?, ?, ?, ?, 'year', 1, ?) ON CONFLICT DO NOTHING",
        (code, name, audience, category, strips),
    )


def make_staff(db: Database, username: str = "balie", name: str = "J. Balie",
               branch_code: str = "9401", roles: str = "balie") -> Staff:
    existing = db.one("SELECT id FROM staff WHERE username = ?", (username,))
    if existing is None:
        staff_id = db.insert(
            "INSERT INTO staff(username, name, branch_code, roles) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (username, name, branch_code, roles),
        )
    else:
        staff_id = existing["id"]
    return Staff(staff_id, username, name, branch_code, frozenset(roles.split(",")))


def make_customer(db: Database, **overrides: Any) -> int:
    """Insert a customer with a main address and an active card; returns the customer id.

    Keys: any customers column, plus ``address`` (dict of addresses columns or None),
    ``card`` (number, None for no card), ``card_status``, ``periods`` (list of dicts).
    """
    n = next(_sequence)
    address = overrides.pop("address", {})
    card = overrides.pop("card", cards.make("9401", n).number)
    card_status = overrides.pop("card_status", "actief")
    periods = overrides.pop("periods", [])
    row: dict[str, Any] = {
        "actor_id": 500_000 + n,
        "kind": "person",
        "gender": "M",
        "initials": "J.",
        "prefix": "",
        "surname": f"Klant{n}",
        "birth_date": "1980-05-05",
        "branch_code": "9401",
        "registered_on": "2020-01-01",
        "created_at": "2020-01-01T10:00:00",
        "updated_at": "2020-01-01T10:00:00",
    }
    row.update(overrides)
    if isinstance(row.get("birth_date"), dt.date):
        row["birth_date"] = row["birth_date"].isoformat()
    row.setdefault("search_name", search_key(row["surname"]))
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    customer_id = db.insert(f"INSERT INTO customers({columns}) VALUES ({marks}) RETURNING id",
                            tuple(row.values()))
    if address is not None:
        a = {"street": "Dorpsstraat", "house_number": n % 200 + 1, "postcode": "9401 AA",
             "place": "ASSEN"}
        a.update(address)
        a["customer_id"] = customer_id
        db.execute(
            f"INSERT INTO addresses({', '.join(a)}) VALUES ({', '.join('?' for _ in a)})",
            tuple(a.values()),
        )
    if card is not None:
        db.execute(
            "INSERT INTO cards(number, customer_id, branch_code, status, issued_on) "
            "VALUES (?, ?, ?, ?, ?)",
            (card, customer_id, card[1:5], card_status, row["registered_on"]),
        )
    for p in periods:
        make_period(db, customer_id, **p)
    return customer_id


def make_period(db: Database, customer_id: int, **overrides: Any) -> int:
    p = {
        "tariff_code": "0045", "instance": "I001", "branch_code": "9401",
        "start_date": "2021-04-15", "end_date": "2022-04-30", "status": "Gefactureerd",
        "amount_cents": 5200, "section": "BIEB", "created_at": "2021-04-15T10:00:00",
    }
    p.update(overrides)
    ensure_tariff(db, p["tariff_code"])
    p["customer_id"] = customer_id
    return db.insert(
        f"INSERT INTO subscription_periods({', '.join(p)}) VALUES ({', '.join('?' for _ in p)}) "
        "RETURNING id",
        tuple(p.values()),
    )


def make_manual_customer(db: Database, **overrides: Any) -> int:
    """The manual's customer, as the record pictures show her."""
    values: dict[str, Any] = {
        "actor_id": MANUAL_ACTOR,
        "gender": "V",
        "initials": "A.",
        "prefix": "van de",
        "surname": "Test",
        "birth_date": "1991-01-01",
        "phone": "+31880128295",
        "email": "info@bibliotheekannen.nl",
        "registered_on": "2021-04-15",
        "last_activity": "2021-04-15",
        "strips": 125,
        "created_at": "2021-04-15T10:00:00",
        "updated_at": "2021-04-15T10:00:00",
        "card": MANUAL_CARD,
        "address": {"street": "Kruisakkers", "house_number": 41, "postcode": "9468 BG",
                    "place": "ANNEN", "region": "AA24 - Annen"},
        "periods": [
            {"start_date": "2021-04-15", "end_date": "2022-04-30", "status": "Gefactureerd"},
            {"start_date": "2021-04-15", "end_date": "2021-04-14", "status": "Normaal"},
            {"start_date": "2021-04-15", "end_date": "2021-04-14", "status": "Ongeldig"},
        ],
    }
    values.update(overrides)
    return make_customer(db, **values)


def make_active_mandate(db: Database, customer_id: int, at: dt.datetime,
                        kenmerk: str = "381847-001",
                        holder_name: str = "Mw. A. van de Test") -> int:
    """An active SEPA mandate of the customer: its form printed, signed and processed at
    ``at`` (document code 6775991190016261, IBAN NL20INGB0001234567)."""
    from tui_desk.store import mandates as mandate_store

    code = "6775991190016261"
    with db.transaction():
        mandate_store.insert_document(db, code=code, customer_id=customer_id,
                                      type_="01 - Incassomachtiging", at=at, staff_id=None)
        mandate_id = mandate_store.insert_mandate(
            db, customer_id=customer_id, kenmerk=kenmerk, document_code=code,
            iban="NL20INGB0001234567", bic="", holder_name=holder_name,
            holder_place="ANNEN", at=at, staff_id=None)
        mandate_store.activate(db, mandate_id, signed_on=at.date(), at=at, staff_id=None)
    return mandate_id


def counter_desk(db: Database, config: Config, when: dt.datetime) -> Desk:
    """J. de Balie signed in at a training counter on ``db`` with the postcode table and the
    tariffs loaded, the clock standing at ``when``."""
    load_postcodes(db)
    load_tariffs(db)
    staff = make_staff(db, name="J. de Balie")
    return Desk(config=config, db=db, demo=True, clock=FixedClock(when), staff=staff)


def screen_text(app) -> str:  # a running textual App
    """The characters on the terminal screen of a Pilot test, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def fill(pilot, text: str) -> None:  # a textual Pilot
    """Put text into the focused Input as if typed, without one idle-wait per key."""
    pilot.app.focused.insert_text_at_cursor(text)
    await pilot.pause()


async def screen_after(pilot, *keys: str) -> str:  # a textual Pilot
    """The screen's text once ``keys`` are pressed and the app has handled them."""
    await pilot.press(*keys)
    await pilot.pause()
    return screen_text(pilot.app)


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (a message still queued under load)."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        await pilot.pause(0.01)
