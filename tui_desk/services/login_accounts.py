"""Step 2 of the registration (Inlogaccount) and the login account on the customer record.

The manual: with "Gebruik inlogaccount" Ja the wizard asks *Bestaand inlogaccount gebruiken*
(look up the username, case-sensitive, show Gebruikersnaam and E-mail, link it) or *Nieuw
inlogaccount genereren* ("Genereren van inlogaccount gelukt", a username, and a mail with an
activation link valid for 24 hours). Accounts not activated in time are removed (the
maintenance run); "Vergeet inlogaccount" unlinks one so that a new one can be generated.

The customer row only exists once step 3 saves it, so:

* before that, the screen calls ``find_existing`` to show the "Resultaat";
* step 3's transaction calls ``complete`` (or ``use_existing`` / ``generate``) with the new
  customer's id. Every function here runs in the caller's transaction when there is one, else
  in its own: the account, the link, the queued activation mail and the audit rows commit
  together. Nothing waits on the SMTP server: the mail is only queued (see services/mailer.py).

Problems raise ``LoginAccountError`` (or another ``IdentityError``) whose text is Dutch and
meant for the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.services.identity import (
    ACTIVE,
    PENDING,
    REMOVED,
    STATUS_LABELS,
    AlreadyActive,
    IdentityError,
    IdentityService,
    LoginAccount,
    PersonName,
    identity_service,
)
from tui_desk.store import accounts as store
from tui_desk.store import audit, outbox
from tui_desk.store.db import Database

# What the screens say, in the manual's words.
CHOICE_EXISTING = "Bestaand inlogaccount gebruiken"
CHOICE_NEW = "Nieuw inlogaccount genereren"
SEARCH_TITLE = "Bestaand inlogaccount zoeken"
USERNAME_LABEL = "Inlogaccount gebruikersnaam"
CASE_SENSITIVE_HINT = "Hoofdlettergevoelig"
RESULT_TITLE = "Resultaat"
GENERATED_MESSAGE = "Genereren van inlogaccount gelukt"
REMINDER_24_HOURS = (
    "LET OP! De klant ontvangt een mail met de gebruikersnaam en moet binnen 24 uur via de link "
    "het e-mailadres bevestigen en een wachtwoord aanmaken. Geef dit altijd door bij het "
    "inschrijven."
)
REMOVED_NOTICE = (
    "Het inlogaccount is verwijderd: het is niet binnen 24 uur geactiveerd. Gebruik 'Vergeet "
    "inlogaccount' en genereer daarna een nieuw inlogaccount."
)
NO_EMAIL_MESSAGE = (
    "Zonder e-mailadres kan er geen inlogaccount worden gemaakt: de klant kan dan niet inloggen "
    "op de website, de online bibliotheek en andere online diensten van de bibliotheek."
)
FORGET_LABEL = "Vergeet inlogaccount"

EXISTING, GENERATED, NONE = "existing", "generated", "none"
MAIL_KIND = "activation"
MAIL_SUBJECT = "Activeer je inlogaccount van de bibliotheek"
AUDIT_ENTITY = "login_account"


class LoginAccountError(IdentityError):
    """Step 2 or the record cannot do this; the text says why, in Dutch."""


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
class CustomerLogin:
    """The login account on the customer record."""

    customer_id: int
    username: str
    email: str
    origin: str
    linked_at: dt.datetime
    status: str                 # pending | active | removed
    status_label: str
    expires_at: dt.datetime | None = None
    removed_at: dt.datetime | None = None
    notice: str = ""            # e.g. REMOVED_NOTICE

    @property
    def removed_unactivated(self) -> bool:
        return self.status == REMOVED


@dataclass(frozen=True)
class LoginChoice:
    """What step 2 decided, kept in the draft until step 3 saves the customer."""

    mode: str = GENERATED       # existing | generated | none
    username: str = ""          # for existing


# -- helpers -------------------------------------------------------------------------------------
def _identity(db: Database, clock: Clock, identity: IdentityService | None,
              config: Config | None = None) -> IdentityService:
    if identity is not None:
        return identity
    return identity_service(db, clock, config.identity if config else None)


def activation_link(base_url: str, token: str) -> str:
    """``https://mijn.bibliotheek.nl/activeren?token=...`` (``&token=`` when the base has a
    query already)."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}{urlencode({'token': token})}"


def token_from_link(link: str) -> str:
    """The token of an activation link (or the text itself when it is a bare token)."""
    text = link.strip()
    if "token=" not in text:
        return text
    values = parse_qs(urlsplit(text).query).get("token", [])
    return values[0] if values else ""


def _greeting_name(contact: store.CustomerContact) -> str:
    if contact.first_name:
        return " ".join(p for p in (contact.first_name, contact.prefix, contact.surname) if p)
    return names.display_name(contact.initials, contact.prefix, contact.surname)


def activation_mail(*, customer_name: str, username: str, link: str, expires_at: dt.datetime,
                    library_name: str, child_name: str = "",
                    language: str = "nl") -> tuple[str, str]:
    """(subject, body) of the activation mail; with ``child_name`` it is written to the
    ouder/verzorger of a minor, with ``language="en"`` in English."""
    if language == "en":
        return _activation_mail_en(customer_name=customer_name, username=username, link=link,
                                   expires_at=expires_at, library_name=library_name,
                                   child_name=child_name)
    whom = f"{child_name} (u bent ouder/verzorger)" if child_name else "je"
    body = f"""Beste {customer_name},

Welkom bij {library_name}! Er is een inlogaccount voor {whom} aangemaakt. Daarmee log je in op de
website, de online bibliotheek en andere online diensten van de bibliotheek.

Je gebruikersnaam is: {username}

Activeer je inlogaccount via deze link. Je bevestigt dan je e-mailadres en maakt een
wachtwoord aan:

{link}

Let op: de link is 24 uur geldig, tot {expires_at:%d-%m-%Y} om {expires_at:%H:%M} uur. Een
inlogaccount dat dan niet is geactiveerd, wordt verwijderd.

Is de link verlopen? Kom dan langs bij de balie of neem contact op met de bibliotheek. Wij
maken dan een nieuw inlogaccount voor je aan.

Heb je dit inlogaccount niet aangevraagd? Dan kun je deze mail negeren.

Met vriendelijke groet,

{library_name}
"""
    return MAIL_SUBJECT, body


MAIL_SUBJECT_EN = "Activate your library login account"


def _activation_mail_en(*, customer_name: str, username: str, link: str,
                        expires_at: dt.datetime, library_name: str,
                        child_name: str) -> tuple[str, str]:
    whom = f"{child_name} (you are the parent or guardian)" if child_name else "you"
    body = f"""Dear {customer_name},

Welcome to {library_name}! A login account has been created for {whom}. It gives access to
the website, the online library and the other online services of the library.

The username is: {username}

Activate the login account with this link, confirm the e-mail address and choose a password:

{link}

Please note: the link is valid for 24 hours, until {expires_at:%d-%m-%Y} at {expires_at:%H:%M}.
A login account that is not activated by then is removed.

Has the link expired? Please come to the library desk and we will create a new login account.

Did you not ask for this login account? Then you can ignore this mail.

Kind regards,

{library_name}
"""
    return MAIL_SUBJECT_EN, body


def _contact(db: Database, customer_id: int) -> store.CustomerContact:
    contact = store.customer_contact(db, customer_id)
    if contact is None:
        raise LoginAccountError(f"Klant {customer_id} bestaat niet (meer).")
    return contact


def _no_current_link(db: Database, customer_id: int) -> None:
    link = store.current_link(db, customer_id)
    if link is not None:
        raise LoginAccountError(
            f"Deze klant heeft al inlogaccount '{link.username}'. Gebruik eerst "
            f"'{FORGET_LABEL}' om een ander inlogaccount te koppelen."
        )


def _usable_account(db: Database, clock: Clock, identity: IdentityService,
                    username: str) -> LoginAccount:
    """The account to link, or a LoginAccountError that says why not."""
    wanted = username.strip()
    if not wanted:
        raise LoginAccountError("Vul de gebruikersnaam van het inlogaccount in.")
    account = identity.find_account(wanted)
    if account is None:
        raise LoginAccountError(
            f"Geen inlogaccount gevonden met gebruikersnaam '{wanted}'. Let op: hoofdletters "
            "en kleine letters tellen mee."
        )
    if (account.status == PENDING and account.expires_at is not None
            and clock.now() >= account.expires_at):
        raise LoginAccountError(
            f"Inlogaccount '{wanted}' is niet binnen 24 uur geactiveerd en wordt verwijderd. "
            f"Kies '{CHOICE_NEW}'."
        )
    linked = store.link_for_username(db, account.username)
    if linked is not None:
        raise LoginAccountError(
            f"Inlogaccount '{wanted}' is al gekoppeld aan klant "
            f"{store.customer_label(db, linked.customer_id)}."
        )
    return account


# -- step 2 and the record -----------------------------------------------------------------------
def find_existing(db: Database, clock: Clock, username: str, *,
                  identity: IdentityService | None = None) -> AccountResult:
    """*Bestaand inlogaccount zoeken*: exact, case-sensitive. Raises LoginAccountError when
    there is no such account, or it cannot be linked (expired, linked to another customer)."""
    account = _usable_account(db, clock, _identity(db, clock, identity), username)
    return AccountResult(account.username, account.email, account.status, account.status_label)


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
        new = ident.create_account(email, PersonName(
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
