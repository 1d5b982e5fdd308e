"""Login accounts (Single Identity) behind an interface.

The national login service that owns the customers' login accounts is outside this system.
``IdentityService`` is what tui-desk needs of it; ``LocalIdentityService`` is the embedded
implementation in the tui-desk database, the default and what demo and training use. A trainer
plays the customer who clicks the activation link with ``activate_username``
(``tui-desk demo activate USERNAME``).

Username rule (local service)
    The letters of the initials (at most three), then the surname without its prefix, folded to
    lower-case ASCII: accents dropped, spaces, hyphens and apostrophes left out, at most 20
    characters. "A. van de Test" → ``atest``; "J.P. de Vries-Çelik" → ``jpvriescelik``; an
    institution (no initials) uses its name alone. When that name is taken the smallest free
    number from 2 is added: ``atest2``, ``atest3``. "Taken" ignores letter case and counts removed
    accounts too, so a new username never differs from another one only in case and never
    repeats one from an old activation mail. A surname without Latin letters or digits counts
    as ``lid`` ("X. 李" → ``xlid``).
    Look-ups are case-sensitive: "ATest" does not find "atest".

Activation
    A new account is pending. Its activation token (urlsafe, 256 bits) is returned once, for the
    mail; only its SHA-256 is stored. The link works for exactly 24 hours: up to, not including,
    ``created_at + 24h``. A pending account past that moment is removed by ``remove_expired``
    (the maintenance run). An active account belongs to the person and is never removed here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Protocol

from tui_desk.clock import Clock
from tui_desk.config import IdentitySettings
from tui_desk.errors import DeskError
from tui_desk.rules import names
from tui_desk.store import accounts as store
from tui_desk.store.db import Database

ACTIVATION_VALID = dt.timedelta(hours=24)
USERNAME_BASE_MAX = 20
MAX_INITIALS = 3
FALLBACK_BASE = "lid"

PENDING, ACTIVE, REMOVED = "pending", "active", "removed"
STATUS_LABELS = {PENDING: "Nog niet geactiveerd", ACTIVE: "Actief", REMOVED: "Verwijderd"}


class IdentityError(DeskError):
    """A login-account problem, in words for the person at the desk (or the customer)."""


class UnknownAccount(IdentityError):
    def __init__(self, username: str) -> None:
        super().__init__(f"Er is geen inlogaccount met gebruikersnaam '{username}'.")
        self.username = username


class UnknownToken(IdentityError):
    def __init__(self) -> None:
        super().__init__("Deze activeringslink is onbekend. Controleer of de hele link is "
                         "gebruikt.")


class LinkExpired(IdentityError):
    def __init__(self, username: str) -> None:
        super().__init__(
            "Deze activeringslink is verlopen: de link is 24 uur geldig. Het inlogaccount wordt "
            "verwijderd; de bibliotheek kan een nieuw inlogaccount voor je aanmaken."
        )
        self.username = username


class AlreadyActive(IdentityError):
    def __init__(self, username: str) -> None:
        super().__init__(f"Inlogaccount '{username}' is al geactiveerd.")
        self.username = username


class AccountRemoved(IdentityError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"Inlogaccount '{username}' bestaat niet meer: het is niet op tijd geactiveerd. "
            "De bibliotheek kan een nieuw inlogaccount voor je aanmaken."
        )
        self.username = username


@dataclass(frozen=True)
class AccountName:
    """The name a login account is made with at the identity provider (not the customer's
    ``models.PersonName``, which also carries gender and salutation)."""

    initials: str = ""
    prefix: str = ""
    surname: str = ""
    first_name: str = ""


@dataclass(frozen=True)
class LoginAccount:
    """A login account at the identity provider: ``status`` PENDING until the customer uses the
    activation link (before ``expires_at``), then ACTIVE; a pending one becomes REMOVED when
    it was not activated in time or its customer was forgotten (``status_label``: in Dutch)."""

    username: str
    email: str
    status: str
    created_at: dt.datetime
    expires_at: dt.datetime | None = None       # of the activation link
    activated_at: dt.datetime | None = None
    removed_at: dt.datetime | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class NewAccount:
    username: str
    email: str
    expires_at: dt.datetime
    # for the activation link only: never stored, never shown, kept out of repr and tracebacks
    token: str = field(repr=False)


class IdentityService(Protocol):
    """What tui-desk asks of the login service."""

    def find_account(self, username: str) -> LoginAccount | None:
        """The account with exactly this username (case-sensitive); None when there is none
        or it was removed."""
        ...

    def create_account(self, email: str, name: AccountName) -> NewAccount:
        """A new pending account with a unique username and a 24-hour activation token."""
        ...

    def activate(self, token: str) -> LoginAccount:
        """The customer clicked the link: the account becomes active. Raises UnknownToken,
        LinkExpired, AccountRemoved, AlreadyActive."""
        ...

    def activate_username(self, username: str) -> LoginAccount:
        """As ``activate``, by username: the trainer playing the customer."""
        ...

    def forget(self, username: str) -> None:
        """The library no longer links this account: a pending one is withdrawn (its link stops
        working), an active one stays the person's."""
        ...

    def remove_expired(self) -> list[LoginAccount]:
        """Remove pending accounts whose link has expired; the removed ones. A remote service
        that does this itself returns []."""
        ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def username_base(name: AccountName) -> str:
    """The username before any number: see the module docstring.

    >>> username_base(AccountName("A.", "van de", "Test"))
    'atest'
    """
    letters = re.sub(r"[^a-z]", "", names.fold(name.initials))[:MAX_INITIALS]
    surname = re.sub(r"[^a-z0-9]", "", names.search_key(name.surname)) or FALLBACK_BASE
    return (letters + surname)[:USERNAME_BASE_MAX]


def first_free(base: str, taken: set[str]) -> str:
    """``base`` when free, else ``base`` + the smallest free number from 2.

    >>> first_free("atest", {"atest", "atest2"})
    'atest3'
    """
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def _account(row: store.AccountRow) -> LoginAccount:
    return LoginAccount(
        username=row.username,
        email=row.email,
        status=row.status,
        created_at=row.created_at,
        expires_at=row.token_expires_at,
        activated_at=row.activated_at,
        removed_at=row.removed_at,
    )


class LocalIdentityService:
    """The login service in the tui-desk database (SQLite). Every write joins the caller's
    transaction when there is one, so it can run inside the registration's."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def find_account(self, username: str) -> LoginAccount | None:
        row = store.account_by_username(self.db, username)
        if row is None or row.status == REMOVED:
            return None
        return _account(row)

    def create_account(self, email: str, name: AccountName) -> NewAccount:
        now = self.clock.now()
        expires = now + ACTIVATION_VALID
        base = username_base(name)
        with self.db.transaction():
            username = first_free(base, store.usernames_starting(self.db, base))
            while True:
                token = secrets.token_urlsafe(32)
                digest = token_hash(token)
                if store.account_by_token_hash(self.db, digest) is None:
                    break
            store.insert_account(self.db, username=username, email=email, token_hash=digest,
                                 created_at=now, expires_at=expires)
        return NewAccount(username=username, email=email, expires_at=expires, token=token)

    def activate(self, token: str) -> LoginAccount:
        row = store.account_by_token_hash(self.db, token_hash(token.strip()))
        if row is None:
            raise UnknownToken()
        return self._activate(row)

    def activate_username(self, username: str) -> LoginAccount:
        row = store.account_by_username(self.db, username)
        if row is None:
            raise UnknownAccount(username)
        return self._activate(row)

    def _activate(self, row: store.AccountRow) -> LoginAccount:
        now = self.clock.now()
        if row.status == ACTIVE:
            raise AlreadyActive(row.username)
        if row.status == REMOVED:
            raise AccountRemoved(row.username)
        if row.token_expires_at is None or now >= row.token_expires_at:
            raise LinkExpired(row.username)
        with self.db.transaction():
            store.mark_active(self.db, row.id, now)
        updated = store.account_by_username(self.db, row.username)
        assert updated is not None
        return _account(updated)

    def forget(self, username: str) -> None:
        row = store.account_by_username(self.db, username)
        if row is not None and row.status == PENDING:
            with self.db.transaction():
                store.mark_removed(self.db, row.id, self.clock.now(), "forgotten")

    def remove_expired(self) -> list[LoginAccount]:
        now = self.clock.now()
        removed = []
        with self.db.transaction():
            for row in store.pending_expired(self.db, now):
                if store.mark_removed(self.db, row.id, now, "expired"):
                    removed.append(row.username)
        found = (store.account_by_username(self.db, u) for u in removed)
        return [_account(r) for r in found if r is not None]


def identity_service(db: Database, clock: Clock,
                     settings: IdentitySettings | None = None) -> IdentityService:
    """The configured login service (only ``local`` exists)."""
    provider = settings.provider if settings else "local"
    if provider != "local":  # config.parse refuses others; a guard for hand-made settings
        raise IdentityError(f"Onbekende inlogdienst {provider!r}.")
    return LocalIdentityService(db, clock)
