"""Activation and expiry: the link a customer clicks, the training's stand-in, and the
maintenance job's removal of accounts never activated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.services.identity import (
    ACTIVE,
    REMOVED,
    AlreadyActive,
    IdentityService,
    LoginAccount,
)
from tui_desk.services.login_accounts.common import AUDIT_ENTITY, _identity, token_from_link
from tui_desk.store import accounts as store
from tui_desk.store import audit
from tui_desk.store.db import Database


# -- maintenance and training --------------------------------------------------------------------
@dataclass
class ExpiryReport:
    removed: list[str]                          # usernames the identity service removed
    marked: list[tuple[int, str, str]]          # (customer id, customer label, username)
    activated: list[str]                        # links now known to be active

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.marked or self.activated)

    def lines(self) -> list[str]:
        out = []
        if self.removed:
            out.append(f"Inlogaccounts verwijderd (niet binnen 24 uur geactiveerd): "
                       f"{len(self.removed)}")
            out += [f"  {u}" for u in self.removed]
        if self.marked:
            out.append(f"Klanten gemarkeerd (inlogaccount verwijderd): {len(self.marked)}")
            out += [f"  {label}: {u}" for _, label, u in self.marked]
        if self.activated:
            out.append(f"Inlogaccounts geactiveerd sinds de vorige keer: {len(self.activated)}")
        return out


def expire_unactivated(db: Database, clock: Clock, *,
                       identity: IdentityService | None = None) -> ExpiryReport:
    """The 24-hour rule: remove accounts not activated in time and mark their customers.

    Idempotent: a second run changes nothing. Also learns which pending links were activated.
    """
    ident = _identity(db, clock, identity)
    now = clock.now()
    marked: list[tuple[int, str, str]] = []
    activated: list[str] = []
    with db.transaction():
        removed = [a.username for a in ident.remove_expired()]
        for link in store.links_pending(db):
            account = ident.find_account(link.username)
            if account is not None and account.status == ACTIVE:
                if store.set_link_active(db, link.id):
                    activated.append(link.username)
            elif account is None:
                if store.set_link_removed(db, link.id, now):
                    label = store.customer_label(db, link.customer_id)
                    marked.append((link.customer_id, label, link.username))
                    audit.write(db, at=now, staff_id=None, entity=AUDIT_ENTITY,
                                entity_id=link.username, action="removed_unactivated",
                                customer_id=link.customer_id,
                                before={"status": link.account_status},
                                after={"status": REMOVED})
    return ExpiryReport(removed, marked, activated)


@dataclass(frozen=True)
class ActivationResult:
    username: str
    email: str
    already_active: bool
    message: str


def _activate(db: Database, clock: Clock, activate: Callable[[], LoginAccount],
              ) -> ActivationResult:
    with db.transaction():
        try:
            account = activate()
        except AlreadyActive as exc:
            found = store.link_for_username(db, exc.username)
            return ActivationResult(exc.username, found.email if found else "", True, str(exc))
        link = store.link_for_username(db, account.username)
        if link is not None:
            store.set_link_active(db, link.id)
        audit.write(db, at=clock.now(), staff_id=None, entity=AUDIT_ENTITY,
                    entity_id=account.username, action="activate",
                    customer_id=link.customer_id if link else None, after={"status": ACTIVE})
    return ActivationResult(account.username, account.email, False,
                            f"Inlogaccount '{account.username}' is geactiveerd.")


def activate_link(db: Database, clock: Clock, link_or_token: str, *,
                  identity: IdentityService | None = None) -> ActivationResult:
    """The customer opens the activation link (or a trainer pastes it). Raises IdentityError
    (UnknownToken, LinkExpired, AccountRemoved) when it no longer works."""
    ident = _identity(db, clock, identity)
    token = token_from_link(link_or_token)
    return _activate(db, clock, lambda: ident.activate(token))


def demo_activate(db: Database, clock: Clock, username: str, *,
                  identity: IdentityService | None = None) -> ActivationResult:
    """The trainer plays the customer who clicks the link: ``tui-desk demo activate USERNAME``.
    The same 24-hour rule applies; raises IdentityError (UnknownAccount, LinkExpired,
    AccountRemoved)."""
    ident = _identity(db, clock, identity)
    return _activate(db, clock, lambda: ident.activate_username(username.strip()))


def link_in_mail(body: str) -> str | None:
    """The activation link in an activation mail's text, if there is one (for the trainer who
    plays the customer from the Berichten screen)."""
    for word in body.split():
        if "token=" in word and word.startswith(("http://", "https://")):
            return word.rstrip(".,;)")
    return None
