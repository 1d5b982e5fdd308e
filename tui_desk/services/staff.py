"""Staff accounts for the administrator (``tui-desk staff``): who may work at the counter, in
which branch and roles, and the PIN they sign in with. The command line asks and prints; the
rules are here."""

from __future__ import annotations

from tui_desk.config import Config
from tui_desk.errors import DeskError
from tui_desk.models import ROLES, Staff
from tui_desk.rules.pins import hash_pin
from tui_desk.store import staff as store
from tui_desk.store.db import Database

MIN_PIN_DIGITS = 4


class StaffError(DeskError):
    """A staff command that cannot be done as asked; the message is one Dutch sentence."""


def all_staff(db: Database) -> list[Staff]:
    return store.all_staff(db)


def parse_roles(text: str) -> set[str]:
    """Comma-separated roles (``balie,beheer``); every one must be a known role.

    >>> sorted(parse_roles(" beheer, balie "))
    ['balie', 'beheer']
    """
    roles = {r.strip() for r in text.split(",") if r.strip()}
    if not roles or roles - set(ROLES):
        raise StaffError(f"rollen moeten uit {', '.join(ROLES)} komen.")
    return roles


def add(db: Database, config: Config, *, username: str, name: str, branch: str, roles: str,
        login: str | None) -> None:
    """Add a staff member without a PIN (``set_pin`` gives one), in one transaction."""
    if config.branch(branch) is None:
        raise StaffError(f"onbekende vestiging {branch}.")
    chosen = parse_roles(roles)
    with db.transaction():
        store.add(db, username=username, name=name, branch_code=branch,
                  roles=",".join(sorted(chosen)), pin_hash=None, login=login)


def find(db: Database, username: str) -> Staff | None:
    """The staff member with this username, None when there is none."""
    return store.by_username(db, username)


def member(db: Database, username: str) -> Staff:
    """The staff member with this username."""
    found = find(db, username)
    if found is None:
        raise StaffError(f"onbekende medewerker {username!r}.")
    return found


def check_pin(pin: str) -> None:
    """A new PIN has at least four digits and nothing else."""
    if len(pin) < MIN_PIN_DIGITS or not pin.isdigit():
        raise StaffError(f"een pincode heeft minstens {MIN_PIN_DIGITS} cijfers.")


def check_repeated(pin: str, again: str) -> None:
    """The PIN typed a second time is the same."""
    if again != pin:
        raise StaffError("de pincodes zijn niet gelijk.")


def set_pin(db: Database, staff: Staff, pin: str) -> None:
    """Store the PIN's hash (never the PIN), after ``check_pin``."""
    check_pin(pin)
    with db.transaction():
        store.update(db, staff.id, pin_hash=hash_pin(pin))
