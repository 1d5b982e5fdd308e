"""Login account labels, the account on the record, the activation mail and the checks every
action shares. (The results of the actions are in ``linking``.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.rules import names
from tui_desk.services.identity import (
    PENDING,
    REMOVED,
    IdentityError,
    IdentityService,
    LoginAccount,
    identity_service,
)
from tui_desk.store import accounts as store
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


# -- the record -------------------------------------------------------------------------------
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
