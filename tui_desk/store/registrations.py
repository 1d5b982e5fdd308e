"""Writing a new customer (step 3 saves step 1): the customer row, main address and card.

Call these inside the caller's transaction; the service writes the subscription period, invoice,
audit rows and the draft status in the same one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tui_desk.store.db import Database, StoreError
from tui_desk.store.rows import new_id

# Actor ids of new customers continue after the highest one in use (the demo uses 300000+).
FIRST_ACTOR_ID = 300_000

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "actor_id", "kind", "gender", "initials", "prefix", "surname", "first_name", "search_name",
    "birth_date", "phone", "sms", "email", "newsletter", "id_checked", "use_login",
    "loan_history", "notify_loaned_before", "selection", "branch_code", "registered_on",
    "last_activity", "items_on_loan", "strips", "balance_cents", "created_at", "updated_at",
)
ADDRESS_COLUMNS: tuple[str, ...] = (
    "street", "house_number", "house_suffix", "postcode", "place", "country", "verified",
    "region",
)


def next_actor_id(db: Database) -> int:
    """The next free actor id; unique as long as it is used in the same write transaction."""
    return int(db.scalar("SELECT COALESCE(MAX(actor_id), ?) + 1 FROM customers",
                         (FIRST_ACTOR_ID,)))


def insert_customer(db: Database, values: dict[str, Any]) -> int:
    """Insert a customers row from ``values`` (keys of CUSTOMER_COLUMNS); returns its id."""
    bad = set(values) - set(CUSTOMER_COLUMNS)
    if bad:
        raise ValueError(f"not a customers column: {sorted(bad)}")
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return new_id(db, f"INSERT INTO customers({columns}) VALUES ({marks}) RETURNING id",
                  tuple(values.values()))


def insert_address(db: Database, customer_id: int, kind: str, values: dict[str, Any]) -> int:
    bad = set(values) - set(ADDRESS_COLUMNS)
    if bad:
        raise ValueError(f"not an addresses column: {sorted(bad)}")
    columns = ", ".join(("customer_id", "kind", *values))
    marks = ", ".join("?" for _ in range(len(values) + 2))
    return new_id(db, f"INSERT INTO addresses({columns}) VALUES ({marks}) RETURNING id",
                  (customer_id, kind, *values.values()))


def insert_card(db: Database, *, number: str, customer_id: int, branch_code: str,
                issued_on: dt.date) -> int:
    """Issue an active card; StoreError (Dutch) when the number was issued already."""
    if db.scalar("SELECT 1 FROM cards WHERE number = ?", (number,)):
        raise StoreError(f"Pas {number} is al uitgegeven. Scan een andere blanco pas of typ V.")
    return new_id(
        db, "INSERT INTO cards(number, customer_id, branch_code, status, issued_on)"
        " VALUES (?, ?, ?, 'actief', ?) RETURNING id",
        (number, customer_id, branch_code, issued_on.isoformat()),
    )


def release_reservation(db: Database, number: str) -> bool:
    """Drop the "V" reservation of a card number that is now issued; True if there was one."""
    return db.execute("DELETE FROM card_reservations WHERE number = ?", (number,)).rowcount > 0
