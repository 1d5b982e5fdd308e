"""Consents (given and withdrawn, with their history), communication preferences and who
receives a message (the guardian for a young member)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import PrivacySettings
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.rules.dates import show
from tui_desk.services.privacy.common import (
    PrivacyError,
    _customer,
    _not_anonymised,
    _staff_id,
)
from tui_desk.services.privacy.guardians import add_guardian, guardian_needed, guardians
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database

# -- consents ------------------------------------------------------------------------------------
NIEUWSBRIEF, LEENHISTORIE, EERDER_GELEEND = "nieuwsbrief", "leenhistorie", "eerder_geleend"
CONSENT_LABELS = {NIEUWSBRIEF: "Nieuwsbrief", LEENHISTORIE: "Leenhistorie bewaren",
                  EERDER_GELEEND: "Melding titel eerder geleend"}
METHODS = {"balie": "aan de balie", "formulier": "op formulier"}
# What withdrawing a consent wipes. tui-desk keeps no loans: the circulation system reads the
# customer's loan-history flag, and stops keeping (and removes) the history when it is off.
WITHDRAW_EFFECT = {
    NIEUWSBRIEF: "De klant krijgt de nieuwsbrief niet meer.",
    LEENHISTORIE: "De leenhistorie wordt niet meer bewaard en is gewist.",
    EERDER_GELEEND: "De melding 'titel eerder geleend' staat uit.",
}
CONSENT_MAIL_KIND = "toestemming"

# -- preferences ---------------------------------------------------------------------------------
MESSAGE_KINDS = {"reservering": "Reservering", "herinnering": "Herinnering/te laat",
                 "contributie": "Contributie", "nieuwsbrief": "Nieuwsbrief"}
CHANNEL_LABELS = {"email": "E-mail", "sms": "SMS", "post": "Post", "geen": "Geen"}
LANGUAGE_LABELS = {"nl": "NL", "en": "EN"}
# Which channels a kind can use: a contribution letter cannot be left unsent nor go by SMS; the
# newsletter is only mailed.
CHANNELS = {"reservering": ("email", "sms", "post", "geen"),
            "herinnering": ("email", "sms", "post", "geen"),
            "contributie": ("email", "post"),
            "nieuwsbrief": ("email", "geen")}


def register_privacy(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                     data: Any, config: Any) -> None:
    """Step 3's OK, for step 1's privacy part (inside the registration's transaction): the
    guardian of a minor, the consents as records (given at the counter, by the guardian for a
    minor) and the communication preferences."""
    if data.guardian is not None and not data.guardian.empty:
        add_guardian(db, clock, staff, customer_id, data.guardian)
    for kind, wanted in ((NIEUWSBRIEF, data.newsletter), (LEENHISTORIE, data.loan_history),
                         (EERDER_GELEEND, data.notify_loaned_before)):
        if wanted:
            give_consent(db, clock, staff, customer_id, kind, "balie",
                         settings=config.privacy, library_name=config.library.name)
    has_email = bool(data.email) or bool(data.guardian and recipient(
        db, clock.today(), customer_id, "activatie", config.privacy).email)
    store_preferences(db, clock, staff, customer_id, default_preferences(
        email=has_email, newsletter=data.newsletter, language=data.language,
        channel=data.channel or None))


@dataclass(frozen=True)
class Recipient:
    """Who a message about the customer goes to, how and in which language."""

    name: str
    email: str
    channel: str
    language: str
    guardian: bool      # sent to the ouder/verzorger of a minor

    @property
    def by_email(self) -> bool:
        return self.channel == "email" and bool(self.email)


def recipient(db: Database, today: dt.date, customer_id: int, kind: str,
              settings: PrivacySettings | None = None) -> Recipient:
    """Where a message of ``kind`` (MESSAGE_KINDS, or ``activatie``) about the customer goes:
    to the ouder/verzorger while the customer is a minor with one, else to the customer; by
    the channel and in the language of the customer's preference."""
    settings = settings or PrivacySettings()
    p = _customer(db, customer_id)
    prefs = preferences(db, customer_id)
    pref = prefs.get(kind) or Preference("email", prefs["contributie"].language)
    name = " ".join(x for x in (p.first_name, p.prefix, p.surname) if x) if p.first_name \
        else names.display_name(p.initials, p.prefix, p.surname)
    email = p.email
    is_guardian = False
    if guardian_needed(p.gender, p.birth_date, today, settings):
        for g in guardians(db, customer_id):
            if g.email:
                name, email, is_guardian = g.name, g.email, True
                break
    channel = pref.channel
    if channel == "email" and not email:
        channel = "post"
    return Recipient(name, email, channel, pref.language, is_guardian)


# -- consents ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsentResult:
    kind: str
    message: str
    mail_id: int | None = None


def give_consent(db: Database, clock: Clock, staff: Staff | None, customer_id: int, kind: str,
                 method: str = "balie", *, settings: PrivacySettings | None = None,
                 library_name: str = "de bibliotheek") -> ConsentResult:
    """Record a consent. For a minor it is given by the ouder/verzorger, who gets a mail that
    confirms the newsletter consent."""
    from tui_desk.store import outbox

    if kind not in CONSENT_LABELS:
        raise PrivacyError(f"Onbekende toestemming: {kind!r}.")
    if method not in METHODS:
        raise PrivacyError("Kies hoe de toestemming is gegeven: balie of formulier.")
    now = clock.now()
    with db.transaction():
        person = _customer(db, customer_id)
        _not_anonymised(person)
        if store.current_consent(db, customer_id, kind) is not None:
            return ConsentResult(kind, f"{CONSENT_LABELS[kind]}: toestemming was al gegeven.")
        to = recipient(db, now.date(), customer_id, "nieuwsbrief", settings)
        consent_id = store.insert_consent(db, customer_id=customer_id, kind=kind, at=now,
                                          staff_id=_staff_id(staff), method=method,
                                          by_guardian=to.guardian)
        mail_id = None
        if kind == NIEUWSBRIEF and to.guardian and to.email:
            subject, body = consent_mail(to, person, library_name, to.language)
            mail_id = outbox.enqueue(db, now=now, to_addr=to.email, subject=subject,
                                     body_text=body, kind=CONSENT_MAIL_KIND,
                                     customer_id=customer_id)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="consent", entity_id=consent_id, action="give",
                    after={"kind": kind, "method": method, "by_guardian": to.guardian,
                           "mail_id": mail_id})
    who = " door de ouder/verzorger" if to.guardian else ""
    return ConsentResult(kind, f"{CONSENT_LABELS[kind]}: toestemming{who} vastgelegd "
                               f"({METHODS[method]}).", mail_id)


def consent_mail(to: Recipient, child: store.PersonRow, library_name: str,
                 language: str = "nl") -> tuple[str, str]:
    child_name = child.first_name or names.display_name(child.initials, child.prefix,
                                                        child.surname)
    if language == "en":
        return (f"Newsletter of {library_name}: your consent",
                f"Dear {to.name},\n\nYou have given consent for {child_name} to receive the "
                f"newsletter of {library_name}. You can withdraw this consent at any time at "
                f"the library desk.\n\nKind regards,\n\n{library_name}\n")
    return (f"Nieuwsbrief {library_name}: uw toestemming",
            f"Beste {to.name},\n\nU hebt toestemming gegeven dat {child_name} de nieuwsbrief "
            f"van {library_name} ontvangt. U kunt deze toestemming altijd intrekken aan de "
            f"balie van de bibliotheek.\n\nMet vriendelijke groet,\n\n{library_name}\n")


def withdraw_consent(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                     kind: str, method: str = "balie") -> ConsentResult:
    """Withdraw at once: the flag is off in the same transaction (WITHDRAW_EFFECT)."""
    if method not in METHODS:
        raise PrivacyError("Kies hoe de toestemming is ingetrokken: balie of formulier.")
    now = clock.now()
    with db.transaction():
        current = store.current_consent(db, customer_id, kind)
        if current is None:
            raise PrivacyError(f"{CONSENT_LABELS.get(kind, kind)}: er is geen toestemming om "
                               "in te trekken.")
        store.withdraw_consent(db, current.id, customer_id=customer_id, kind=kind, at=now,
                               staff_id=_staff_id(staff), method=method)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="consent", entity_id=current.id, action="withdraw",
                    before={"kind": kind, "given_at": current.given_at},
                    after={"withdrawn_method": method})
    return ConsentResult(kind, f"{CONSENT_LABELS[kind]}: toestemming ingetrokken. "
                               f"{WITHDRAW_EFFECT[kind]}")


def consent_history(db: Database, customer_id: int) -> list[store.ConsentRow]:
    return store.consents(db, customer_id)


def consent_line(c: store.ConsentRow) -> str:
    """``Nieuwsbrief: gegeven 03-05-2024 aan de balie door J. de Balie; ingetrokken ...``"""
    text = (f"{CONSENT_LABELS.get(c.kind, c.kind)}: gegeven {show(c.given_at.date())} "
            f"{METHODS.get(c.method, c.method)}")
    if c.given_by:
        text += f" door {c.given_by}"
    if c.by_guardian:
        text += " (ouder/verzorger)"
    if c.withdrawn_at:
        text += (f"; ingetrokken {show(c.withdrawn_at.date())} "
                 f"{METHODS.get(c.withdrawn_method, c.withdrawn_method)}")
        if c.withdrawn_by:
            text += f" door {c.withdrawn_by}"
    return text


# -- communication preferences -------------------------------------------------------------------
@dataclass(frozen=True)
class Preference:
    channel: str
    language: str = "nl"


def default_preferences(*, email: bool, newsletter: bool, language: str = "nl",
                        channel: str | None = None) -> dict[str, Preference]:
    """Sensible defaults: e-mail when there is an address, else post; the newsletter only by
    e-mail and only with the consent. ``channel`` (step 1's choice) overrides where allowed."""
    base = channel or ("email" if email else "post")
    out = {}
    for kind in MESSAGE_KINDS:
        wanted = base
        if kind == "nieuwsbrief":
            wanted = "email" if (newsletter and email) else "geen"
        if wanted == "email" and not email:
            wanted = "post"
        if wanted not in CHANNELS[kind]:
            wanted = "email" if email and "email" in CHANNELS[kind] else CHANNELS[kind][-1]
            if kind == "contributie":
                wanted = "email" if email else "post"
        out[kind] = Preference(wanted, language)
    return out


def preferences(db: Database, customer_id: int) -> dict[str, Preference]:
    """Every message kind's preference: stored, else the default."""
    stored = store.preferences(db, customer_id)
    person = store.person(db, customer_id)
    has_email = bool(person and person.email) or any(
        g.email for g in store.guardians_of(db, customer_id))
    defaults = default_preferences(email=has_email,
                                   newsletter=bool(store.current_consent(db, customer_id,
                                                                         NIEUWSBRIEF)))
    return {k: Preference(*stored[k]) if k in stored else defaults[k] for k in MESSAGE_KINDS}


def set_preference(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                   kind: str, channel: str, language: str) -> None:
    if kind not in MESSAGE_KINDS:
        raise PrivacyError(f"Onbekende berichtsoort: {kind!r}.")
    if channel not in CHANNELS[kind]:
        allowed = ", ".join(CHANNEL_LABELS[c] for c in CHANNELS[kind])
        raise PrivacyError(f"{MESSAGE_KINDS[kind]} kan alleen via: {allowed}.")
    if language not in LANGUAGE_LABELS:
        raise PrivacyError("Kies de taal NL of EN.")
    now = clock.now()
    with db.transaction():
        _not_anonymised(_customer(db, customer_id))
        before = preferences(db, customer_id)[kind]
        store.set_preference(db, customer_id=customer_id, kind=kind, channel=channel,
                             language=language, at=now, staff_id=_staff_id(staff))
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="preference", entity_id=kind, action="update",
                    before={"channel": before.channel, "language": before.language},
                    after={"channel": channel, "language": language})


def store_preferences(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                      prefs: dict[str, Preference]) -> None:
    """Step 1's preferences for the new customer (inside the registration's transaction)."""
    now = clock.now()
    for kind, pref in prefs.items():
        store.set_preference(db, customer_id=customer_id, kind=kind, channel=pref.channel,
                             language=pref.language, at=now, staff_id=_staff_id(staff))
