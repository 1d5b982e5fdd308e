"""The customer record: loading it whole, changing name and address, the notices."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tui_desk.models import Address, Card, Customer, Notice, SubscriptionPeriod
from tui_desk.store.db import Database
from tui_desk.store.rows import reader, record

# Columns of customers the NAW form may change.
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "initials", "prefix", "surname", "first_name", "birth_date", "phone", "sms", "email",
)
# Columns of addresses the NAW form may change.
ADDRESS_COLUMNS: tuple[str, ...] = (
    "street", "house_number", "house_suffix", "postcode", "place", "country", "verified", "region",
)
ADDRESS_KINDS: tuple[str, ...] = ("hoofdadres", "postadres", "factuuradres", "alternatief")
MAX_NOTICES = 4


_address = reader(Address)
_card = reader(Card)
_notice = reader(Notice)


def _period(row: sqlite3.Row) -> SubscriptionPeriod:
    return record(SubscriptionPeriod, row, tariff_name=row["tariff_name"] or row["tariff_code"])


def exists(db: Database, customer_id: int) -> bool:
    return db.scalar("SELECT 1 FROM customers WHERE id = ?", (customer_id,)) is not None


def load(db: Database, customer_id: int) -> Customer | None:
    """The whole record (addresses, cards, notices, periods), or None for an unknown id."""
    row = db.one(
        "SELECT c.*, COALESCE(b.name, c.branch_code) AS branch_name "
        "FROM customers c LEFT JOIN branches b ON b.code = c.branch_code WHERE c.id = ?",
        (customer_id,),
    )
    if row is None:
        return None
    addresses = tuple(
        _address(r)
        for r in db.all(
            "SELECT * FROM addresses WHERE customer_id = ? ORDER BY CASE kind "
            "WHEN 'hoofdadres' THEN 1 WHEN 'postadres' THEN 2 WHEN 'factuuradres' THEN 3 "
            "ELSE 4 END",
            (customer_id,),
        )
    )
    cards = tuple(
        _card(r)
        for r in db.all(
            "SELECT * FROM cards WHERE customer_id = ? "
            "ORDER BY status = 'actief' DESC, issued_on DESC, id DESC",
            (customer_id,),
        )
    )
    notices = tuple(
        _notice(r)
        for r in db.all(
            "SELECT * FROM notices WHERE customer_id = ? ORDER BY slot", (customer_id,)
        )
    )
    periods = tuple(
        _period(r)
        for r in db.all(
            "SELECT p.*, t.name AS tariff_name FROM subscription_periods p "
            "LEFT JOIN tariffs t ON t.code = p.tariff_code WHERE p.customer_id = ? "
            "ORDER BY p.end_date DESC, p.start_date DESC, p.id",
            (customer_id,),
        )
    )
    main = next((a for a in addresses if a.kind == "hoofdadres"), None)
    return record(Customer, row, address=main, addresses=addresses, cards=cards,
                  notices=notices, periods=periods)


# -- name and address ------------------------------------------------------------------------
def update_customer(
    db: Database, customer_id: int, fields: dict[str, object], *, search_name: str | None,
    updated_at: dt.datetime,
) -> None:
    """Set the given NAW columns (and the search key when the surname changed)."""
    bad = set(fields) - set(CUSTOMER_COLUMNS)
    if bad:
        raise ValueError(f"not a NAW column of customers: {sorted(bad)}")
    values: dict[str, object] = dict(fields)
    if search_name is not None:
        values["search_name"] = search_name
    values["updated_at"] = updated_at.isoformat(timespec="seconds")
    sets = ", ".join(f"{column} = ?" for column in values)
    db.execute(f"UPDATE customers SET {sets} WHERE id = ?", (*values.values(), customer_id))


def save_address(db: Database, customer_id: int, kind: str, fields: dict[str, object]) -> bool:
    """Update the customer's address of this kind, creating it if missing; True if created."""
    if kind not in ADDRESS_KINDS:
        raise ValueError(f"unknown address kind {kind!r}")
    bad = set(fields) - set(ADDRESS_COLUMNS)
    if bad:
        raise ValueError(f"not an address column: {sorted(bad)}")
    if not fields:
        return False
    sets = ", ".join(f"{column} = ?" for column in fields)
    cur = db.execute(
        f"UPDATE addresses SET {sets} WHERE customer_id = ? AND kind = ?",
        (*fields.values(), customer_id, kind),
    )
    if cur.rowcount:
        return False
    columns = ", ".join(("customer_id", "kind", *fields))
    marks = ", ".join("?" for _ in range(len(fields) + 2))
    db.execute(
        f"INSERT INTO addresses({columns}) VALUES ({marks})", (customer_id, kind, *fields.values())
    )
    return True


# -- notices (meldingen) -----------------------------------------------------------------------
def notices(db: Database, customer_id: int) -> list[Notice]:
    return [
        _notice(r)
        for r in db.all("SELECT * FROM notices WHERE customer_id = ? ORDER BY slot", (customer_id,))
    ]


def notice(db: Database, customer_id: int, slot: int) -> Notice | None:
    row = db.one("SELECT * FROM notices WHERE customer_id = ? AND slot = ?", (customer_id, slot))
    return _notice(row) if row else None


def free_slot(db: Database, customer_id: int) -> int | None:
    used = {r[0] for r in db.all("SELECT slot FROM notices WHERE customer_id = ?", (customer_id,))}
    return next((s for s in range(1, MAX_NOTICES + 1) if s not in used), None)


def save_notice(
    db: Database, customer_id: int, slot: int, text: str, private: bool, *,
    created_at: dt.datetime, staff_id: int | None,
) -> None:
    """Write the notice in this slot (1..4), replacing what was there."""
    db.execute(
        "INSERT INTO notices(customer_id, slot, text, private, created_at, staff_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id, slot) DO UPDATE SET "
        "text = excluded.text, private = excluded.private, created_at = excluded.created_at, "
        "staff_id = excluded.staff_id",
        (customer_id, slot, text, int(private), created_at.isoformat(timespec="seconds"),
         staff_id),
    )


def delete_notice(db: Database, customer_id: int, slot: int) -> bool:
    cur = db.execute("DELETE FROM notices WHERE customer_id = ? AND slot = ?", (customer_id, slot))
    return cur.rowcount > 0
