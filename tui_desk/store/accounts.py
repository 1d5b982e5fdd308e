"""Login accounts of the local identity service and the customers' links to login accounts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui_desk.models import PersonName
from tui_desk.rules.dates import stamp
from tui_desk.statuses import LoginStatus
from tui_desk.store.db import Database
from tui_desk.store.rows import changed, new_id, one, reader, record

ACCOUNT_STATUSES = tuple(LoginStatus)


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    email: str
    status: LoginStatus
    created_at: dt.datetime
    token_expires_at: dt.datetime | None
    activated_at: dt.datetime | None
    removed_at: dt.datetime | None
    removed_reason: str


_account = reader(AccountRow)


# -- login_accounts (the local identity service) -------------------------------------------------
def account_by_username(db: Database, username: str) -> AccountRow | None:
    """Exact, case-sensitive match ("ATest" does not find "atest")."""
    return one(db, _account, "SELECT * FROM login_accounts WHERE username = ?", (username,))


def account_by_token_hash(db: Database, token_hash: str) -> AccountRow | None:
    return one(db, _account, "SELECT * FROM login_accounts WHERE token_hash = ?", (token_hash,))


def usernames_starting(db: Database, base: str) -> set[str]:
    """Lower-cased usernames that start with ``base`` (lower case, ASCII), any status."""
    # '~' sorts after every ASCII letter and digit, so the range covers base + [a-z0-9]*.
    rows = db.all(
        "SELECT lower(username) AS name FROM login_accounts "
        "WHERE lower(username) >= ? AND lower(username) < ?",
        (base, base + "~"),
    )
    return {r["name"] for r in rows}


def insert_account(db: Database, *, username: str, email: str, token_hash: str,
                   created_at: dt.datetime, expires_at: dt.datetime) -> int:
    return new_id(
        db, "INSERT INTO login_accounts(username, email, status, created_at, token_hash,"
        " token_expires_at) VALUES (?, ?, 'pending', ?, ?, ?) RETURNING id",
        (username, email, stamp(created_at), token_hash, stamp(expires_at)),
    )


def mark_active(db: Database, account_id: int, at: dt.datetime) -> bool:
    """A pending account becomes active. The token's hash stays, so that a second click on the
    link can be told "already active" rather than "unknown"."""
    return changed(
        db, "UPDATE login_accounts SET status = 'active', activated_at = ? "
        "WHERE id = ? AND status = 'pending'",
        (stamp(at), account_id),
    ) == 1


def mark_removed(db: Database, account_id: int, at: dt.datetime, reason: str) -> bool:
    """A pending account is removed (only pending ones: an active account is the person's)."""
    return changed(
        db, "UPDATE login_accounts SET status = 'removed', removed_at = ?, removed_reason = ? "
        "WHERE id = ? AND status = 'pending'",
        (stamp(at), reason, account_id),
    ) == 1


def pending_expired(db: Database, now: dt.datetime) -> list[AccountRow]:
    """Pending accounts whose link no longer works (expires_at <= now)."""
    rows = db.all(
        "SELECT * FROM login_accounts WHERE status = 'pending' AND token_expires_at <= ? "
        "ORDER BY token_expires_at, id",
        (stamp(now),),
    )
    return [_account(r) for r in rows]


# -- customer_logins ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkRow:
    id: int
    customer_id: int
    username: str
    email: str
    origin: str
    account_status: str  # a LoginStatus (services compare it with their own str constants)
    linked_at: dt.datetime
    staff_id: int | None
    removed_at: dt.datetime | None
    forgotten_at: dt.datetime | None


def _link(row: sqlite3.Row) -> LinkRow:
    return record(LinkRow, row, account_status=LoginStatus(row["account_status"]))


def current_link(db: Database, customer_id: int) -> LinkRow | None:
    return one(db, _link,
               "SELECT * FROM customer_logins WHERE customer_id = ? AND forgotten_at IS NULL",
               (customer_id,))


def link_for_username(db: Database, username: str) -> LinkRow | None:
    """The customer currently linked to this username (case-sensitive), if any."""
    return one(db, _link,
               "SELECT * FROM customer_logins WHERE username = ? AND forgotten_at IS NULL",
               (username,))


def insert_link(db: Database, *, customer_id: int, username: str, email: str, origin: str,
                account_status: str, linked_at: dt.datetime, staff_id: int | None) -> int:
    return new_id(
        db, "INSERT INTO customer_logins(customer_id, username, email, origin, account_status,"
        " linked_at, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (customer_id, username, email, origin, account_status, stamp(linked_at), staff_id),
    )


def forget_link(db: Database, link_id: int, at: dt.datetime, staff_id: int | None) -> bool:
    return changed(
        db, "UPDATE customer_logins SET forgotten_at = ?, forgotten_by = ? "
        "WHERE id = ? AND forgotten_at IS NULL",
        (stamp(at), staff_id, link_id),
    ) == 1


def links_pending(db: Database) -> list[LinkRow]:
    """Current links whose account this system last knew as not yet activated."""
    rows = db.all(
        "SELECT * FROM customer_logins WHERE forgotten_at IS NULL AND account_status = 'pending' "
        "ORDER BY linked_at, id"
    )
    return [_link(r) for r in rows]


def set_link_active(db: Database, link_id: int) -> bool:
    return changed(
        db, "UPDATE customer_logins SET account_status = 'active' "
        "WHERE id = ? AND account_status <> 'active'",
        (link_id,),
    ) == 1


def set_link_removed(db: Database, link_id: int, at: dt.datetime) -> bool:
    """Mark the customer: the account was removed before it was activated."""
    return changed(
        db, "UPDATE customer_logins SET account_status = 'removed', removed_at = ? "
        "WHERE id = ? AND account_status <> 'removed'",
        (stamp(at), link_id),
    ) == 1


def set_use_login(db: Database, customer_id: int) -> None:
    """The customer uses a login account ("Gebruik inlogaccount" Ja)."""
    db.execute("UPDATE customers SET use_login = 1 WHERE id = ? AND use_login = 0",
               (customer_id,))


@dataclass(frozen=True)
class CustomerContact(PersonName):
    customer_id: int
    actor_id: int
    first_name: str
    email: str


def customer_contact(db: Database, customer_id: int) -> CustomerContact | None:
    """What a login account and its mail need of the customer: name parts and e-mail."""
    return one(db, reader(CustomerContact),
               "SELECT id AS customer_id, actor_id, initials, prefix, surname, first_name, gender,"
               " email FROM customers WHERE id = ?", (customer_id,))


def customer_label(db: Database, customer_id: int) -> str:
    """Actor id and name for messages and reports (``381847 A. van de Test``)."""
    contact = customer_contact(db, customer_id)
    if contact is None:
        return str(customer_id)
    return f"{contact.actor_id} {contact.name}"
