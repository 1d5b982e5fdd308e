"""Step 2 and the record: use an existing login account, generate one, forget it, its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.models import Staff
from tui_desk.services.identity import (
    PENDING,
    REMOVED,
    STATUS_LABELS,
    AccountName,
    IdentityService,
)
from tui_desk.services.login_accounts.common import (
    AUDIT_ENTITY,
    EXISTING,
    GENERATED,
    GENERATED_MESSAGE,
    MAIL_KIND,
    NO_EMAIL_MESSAGE,
    NONE,
    REMINDER_24_HOURS,
    REMOVED_NOTICE,
    CustomerLogin,
    LoginAccountError,
    _contact,
    _greeting_name,
    _identity,
    _no_current_link,
    _usable_account,
    activation_link,
    activation_mail,
)
from tui_desk.store import accounts as store
from tui_desk.store import audit, outbox
from tui_desk.store.db import Database


# -- step 2 and the record -----------------------------------------------------------------------
def find_existing(db: Database, clock: Clock, username: str, *,
                  identity: IdentityService | None = None) -> AccountResult:
    """*Bestaand inlogaccount zoeken*: exact, case-sensitive. Raises LoginAccountError when
    there is no such account, or it cannot be linked (expired, linked to another customer)."""
    account = _usable_account(db, clock, _identity(db, clock, identity), username)
    return AccountResult(account.username, account.email, account.status, account.status_label)


# -- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AccountResult:
    """The "Resultaat" of *Bestaand inlogaccount zoeken*."""

    username: str
    email: str
    status: str
    status_label: str


@dataclass(frozen=True)
class LinkResult:
    customer_id: int
    username: str
    email: str
    origin: str                 # existing | generated
    message: str


@dataclass(frozen=True)
class GenerateResult:
    """What the screen shows after *Nieuw inlogaccount genereren*."""

    customer_id: int
    username: str
    email: str
    expires_at: dt.datetime     # the first moment the link no longer works
    mail_id: int                # the queued activation mail (mail_outbox)
    message: str = GENERATED_MESSAGE
    reminder: str = REMINDER_24_HOURS


@dataclass(frozen=True)
class LoginChoice:
    """What step 2 decided, kept in the draft until step 3 saves the customer."""

    mode: str = GENERATED       # existing | generated | none
    username: str = ""          # for existing


def use_existing(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                 username: str, *, identity: IdentityService | None = None) -> LinkResult:
    """Link an existing login account to the customer (the manual's moving customer)."""
    ident = _identity(db, clock, identity)
    now = clock.now()
    with db.transaction():
        _contact(db, customer_id)
        _no_current_link(db, customer_id)
        account = _usable_account(db, clock, ident, username)
        store.insert_link(db, customer_id=customer_id, username=account.username,
                          email=account.email, origin=EXISTING, account_status=account.status,
                          linked_at=now, staff_id=staff.id if staff else None)
        store.set_use_login(db, customer_id)
        audit.write(db, at=now, staff_id=staff.id if staff else None, entity=AUDIT_ENTITY,
                    entity_id=account.username, action="link_existing", customer_id=customer_id,
                    after={"username": account.username, "email": account.email,
                           "status": account.status})
    return LinkResult(customer_id, account.username, account.email, EXISTING,
                      f"Inlogaccount '{account.username}' is gekoppeld aan de klant.")


def generate(db: Database, clock: Clock, config: Config, staff: Staff | None, customer_id: int,
             *, identity: IdentityService | None = None) -> GenerateResult:
    """*Nieuw inlogaccount genereren* for the customer, with the customer's e-mail address.

    Creates the account, links it and queues the activation mail, all in one transaction.
    """
    from tui_desk.services.privacy import recipient

    ident = _identity(db, clock, identity, config)
    now = clock.now()
    with db.transaction():
        contact = _contact(db, customer_id)
        # A minor's mail goes to the ouder/verzorger (services/privacy.py).
        to = recipient(db, now.date(), customer_id, "activatie", config.privacy)
        email = contact.email.strip() or to.email
        if not email or not to.email:
            raise LoginAccountError(NO_EMAIL_MESSAGE)
        _no_current_link(db, customer_id)
        new = ident.create_account(email, AccountName(
            contact.initials, contact.prefix, contact.surname, contact.first_name))
        store.insert_link(db, customer_id=customer_id, username=new.username,
                          email=email, origin=GENERATED, account_status=PENDING,
                          linked_at=now, staff_id=staff.id if staff else None)
        store.set_use_login(db, customer_id)
        subject, body = activation_mail(
            customer_name=to.name if to.guardian else _greeting_name(contact),
            username=new.username,
            link=activation_link(config.mail.activation_url, new.token),
            expires_at=new.expires_at, library_name=config.library.name,
            child_name=_greeting_name(contact) if to.guardian else "", language=to.language,
        )
        mail_id = outbox.enqueue(db, now=now, to_addr=to.email, subject=subject,
                                 body_text=body, kind=MAIL_KIND, customer_id=customer_id)
        audit.write(db, at=now, staff_id=staff.id if staff else None, entity=AUDIT_ENTITY,
                    entity_id=new.username, action="generate", customer_id=customer_id,
                    after={"username": new.username, "email": email, "mailed_to": to.email,
                           "guardian": to.guardian, "expires_at": new.expires_at,
                           "mail_id": mail_id})
    return GenerateResult(customer_id, new.username, email, new.expires_at, mail_id)


def complete(db: Database, clock: Clock, config: Config, staff: Staff | None, customer_id: int,
             choice: LoginChoice, *, identity: IdentityService | None = None,
             ) -> LinkResult | GenerateResult | None:
    """Carry out step 2's choice for the customer step 3 just created (in its transaction)."""
    if choice.mode == EXISTING:
        return use_existing(db, clock, staff, customer_id, choice.username, identity=identity)
    if choice.mode == GENERATED:
        return generate(db, clock, config, staff, customer_id, identity=identity)
    if choice.mode == NONE:
        return None
    raise ValueError(f"unknown login choice {choice.mode!r}")


def forget(db: Database, clock: Clock, staff: Staff | None, customer_id: int, *,
           identity: IdentityService | None = None) -> LinkResult:
    """*Vergeet inlogaccount*: unlink the customer's account so a new one can be generated.

    A pending account is withdrawn from the identity service (its link stops working); an
    active one stays the person's, to be linked again with *Bestaand inlogaccount gebruiken*.
    """
    ident = _identity(db, clock, identity)
    now = clock.now()
    with db.transaction():
        link = store.current_link(db, customer_id)
        if link is None:
            raise LoginAccountError("Deze klant heeft geen inlogaccount om te vergeten.")
        store.forget_link(db, link.id, now, staff.id if staff else None)
        ident.forget(link.username)
        audit.write(db, at=now, staff_id=staff.id if staff else None, entity=AUDIT_ENTITY,
                    entity_id=link.username, action="forget", customer_id=customer_id,
                    before={"username": link.username, "email": link.email,
                            "status": link.account_status})
    return LinkResult(customer_id, link.username, link.email, link.origin,
                      f"Inlogaccount '{link.username}' is vergeten. Er kan nu een nieuw "
                      "inlogaccount worden gegenereerd.")


def login_status(db: Database, clock: Clock, customer_id: int, *,
                 identity: IdentityService | None = None) -> CustomerLogin | None:
    """The customer's current login account for the record; None when there is none."""
    link = store.current_link(db, customer_id)
    if link is None:
        return None
    status, expires_at = link.account_status, None
    if status == PENDING:
        account = _identity(db, clock, identity).find_account(link.username)
        if account is None:
            status = REMOVED
        else:
            status, expires_at = account.status, account.expires_at
    label = STATUS_LABELS[status]
    notice = ""
    if status == REMOVED:
        notice = REMOVED_NOTICE
    elif status == PENDING and expires_at is not None:
        if clock.now() >= expires_at:
            label = "Niet op tijd geactiveerd"
            notice = REMOVED_NOTICE
        else:
            label = f"Nog niet geactiveerd (link geldig tot {expires_at:%d-%m-%Y %H:%M})"
    return CustomerLogin(
        customer_id=customer_id, username=link.username, email=link.email, origin=link.origin,
        linked_at=link.linked_at, status=status, status_label=label, expires_at=expires_at,
        removed_at=link.removed_at, notice=notice,
    )
