"""Who is at the desk: the SSH login mapped to a staff record, or a sign-in with PIN."""

from __future__ import annotations

import datetime as dt

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.store import audit
from tui_desk.store import staff as staff_store
from tui_desk.store.db import Database

MAX_ATTEMPTS = 5
LOCK_MINUTES = 15


class SignInError(DeskError):
    """Sign-in refused; the message is Dutch and never says which of name or PIN was wrong."""


def staff_for_login(db: Database, login: str | None) -> Staff | None:
    if not login:
        return None
    return staff_store.by_login(db, login)


def sign_in(db: Database, clock: Clock, username: str, pin: str) -> Staff:
    now = clock.now()
    username = username.strip()
    with db.transaction():
        row = staff_store.credentials(db, username)
        if row is None or not row["pin_hash"]:
            raise SignInError("Gebruikersnaam of pincode onjuist.")
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            until = dt.datetime.fromisoformat(row["locked_until"]).strftime("%H:%M")
            raise SignInError(f"Te vaak een verkeerde pincode: geblokkeerd tot {until}.")
        # Imported here: hashlib's OpenSSL set-up costs ~2 ms at every start, and most
        # sessions are signed in by their SSH login, without a PIN.
        from tui_desk.rules.pins import verify_pin

        if verify_pin(pin, row["pin_hash"]):
            staff_store.record_attempt(db, row["id"], ok=True, locked_until=None)
            audit.write(db, at=now, staff_id=row["id"], entity="staff", entity_id=row["id"],
                        action="sign_in")
            staff = staff_store.by_username(db, username)
            assert staff is not None
            return staff
        failed = row["failed_attempts"] + 1
        locked = None
        if failed >= MAX_ATTEMPTS:
            locked = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds")
        staff_store.record_attempt(db, row["id"], ok=False, locked_until=locked)
        audit.write(db, at=now, staff_id=row["id"], entity="staff", entity_id=row["id"],
                    action="sign_in_failed")
    if locked:
        raise SignInError(
            f"Te vaak een verkeerde pincode: geblokkeerd voor {LOCK_MINUTES} minuten."
        )
    left = MAX_ATTEMPTS - failed
    raise SignInError(f"Gebruikersnaam of pincode onjuist. Nog {left} poging(en).")
