"""Privacy by design (AVG) and minors, at the counter.

* **Ouder/verzorger**: a customer younger than ``[privacy] guardian_below_age`` (16) on the
  registration day gets a guardian: an existing customer (scan the card) or a typed person.
  Mail about a minor (activation, contribution letter, newsletter consent) goes to the guardian.
* **Consents** (Nieuwsbrief, Leenhistorie bewaren, Melding titel eerder geleend) are records:
  when, by whom, how (balie, formulier), by the guardian, and their withdrawal.
* **Communication preferences** per message kind: channel and language.
* **Blokkades** with type, reason, start and optional end; maintenance lifts ended ones.
* **Inzage**: everything about a customer as JSON and readable Dutch text (``export``).
* **Uitschrijven** and **anonymisation**, on request or by maintenance after
  ``retention_years_inactive``; financial records kept pseudonymised for
  ``fiscal_retention_years``, then removed. Print-job payloads purged after
  ``print_jobs_retention_days``.

Every change is one transaction with an audit row; problems raise ``PrivacyError`` (Dutch).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import PrivacySettings
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import contact, names
from tui_desk.rules import customers as customer_rules
from tui_desk.rules.dates import show
from tui_desk.rules.errors import RuleError
from tui_desk.rules.periods import add_months
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database


class PrivacyError(DeskError):
    """A privacy action that cannot be done; the text says why, in Dutch."""


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

# -- blocks --------------------------------------------------------------------------------------
BLOCK_TYPES = {"adres_onbekend": "Adres onbekend", "openstaand_bedrag": "Openstaand bedrag",
               "gedrag": "Gedrag", "overig": "Overig"}
REASON_MAX = 120

ANONYMOUS = "Geanonimiseerd"


def _staff_id(staff: Staff | None) -> int | None:
    return staff.id if staff else None


def _customer(db: Database, customer_id: int) -> store.PersonRow:
    found = store.person(db, customer_id)
    if found is None:
        raise PrivacyError(f"Klant {customer_id} bestaat niet (meer).")
    return found


def _not_anonymised(person: store.PersonRow) -> None:
    if person.anonymised:
        raise PrivacyError("Deze klant is geanonimiseerd: er kan niets meer worden vastgelegd.")


# -- guardians -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuardianInput:
    """Step 1's guardian: a scanned card, or a typed person."""

    card: str = ""
    name: str = ""
    relation: str = ""
    phone: str = ""
    email: str = ""

    @property
    def empty(self) -> bool:
        return not (self.card.strip() or self.name.strip())


def guardian_needed(kind: str, birth: dt.date | None, today: dt.date,
                    settings: PrivacySettings) -> bool:
    return customer_rules.needs_guardian(kind, birth, today, settings.guardian_below_age)


def check_guardian(db: Database, given: GuardianInput) -> dict[str, str]:
    """Problems with step 1's guardian by field (``ouder_pas``, ``ouder_naam``, ...)."""
    problems: dict[str, str] = {}
    if given.card.strip():
        found = store.customer_by_card(db, given.card.strip())
        if found is None:
            problems["ouder_pas"] = f"Pas {given.card.strip()} is onbekend."
        elif found[1] != "actief":
            problems["ouder_pas"] = f"Pas {given.card.strip()} is niet actief ({found[1]})."
    elif not given.name.strip():
        problems["ouder_pas"] = ("Scan de pas van de ouder/verzorger of vul naam, relatie en "
                                 "telefoon of e-mail in.")
    else:
        if not given.relation.strip():
            problems["ouder_relatie"] = "Relatie is verplicht (bijv. moeder, vader, voogd)."
        if not (given.phone.strip() or given.email.strip()):
            problems["ouder_telefoon"] = "Vul telefoon of e-mail van de ouder/verzorger in."
    for key, parse in (("ouder_telefoon", contact.parse_phone),
                       ("ouder_email", contact.parse_email)):
        text = given.phone if key == "ouder_telefoon" else given.email
        if text.strip():
            try:
                parse(text)
            except RuleError as exc:
                problems[key] = str(exc)
    return problems


def guardian_label(db: Database, card: str) -> str:
    """The name of the customer whose card was scanned as guardian ("" when unknown)."""
    found = store.customer_by_card(db, card.strip())
    if found is None:
        return ""
    p = store.person(db, found[0])
    return names.display_name(p.initials, p.prefix, p.surname, names.salutation(p.gender)) \
        if p else ""


def add_guardian(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
                 given: GuardianInput) -> int:
    """Link the guardian to the (new) customer; inside the caller's transaction."""
    problems = check_guardian(db, given)
    if problems:
        raise PrivacyError(" ".join(problems.values()))
    now = clock.now()
    linked = None
    if given.card.strip():
        found = store.customer_by_card(db, given.card.strip())
        assert found is not None
        linked = found[0]
        if linked == customer_id:
            raise PrivacyError("Een klant kan niet zijn eigen ouder/verzorger zijn.")
    phone = contact.parse_phone(given.phone) if given.phone.strip() else ""
    email = contact.parse_email(given.email) if given.email.strip() else ""
    guardian_id = store.insert_guardian(
        db, customer_id=customer_id, guardian_customer_id=linked, name=given.name.strip(),
        relation=given.relation.strip(), phone=phone, email=email, at=now,
        staff_id=_staff_id(staff))
    audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                entity="guardian", entity_id=guardian_id, action="insert",
                after={"guardian_customer_id": linked, "name": given.name.strip(),
                       "relation": given.relation.strip(), "phone": phone, "email": email})
    if linked is not None:
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=linked,
                    entity="guardian", entity_id=guardian_id, action="ward_linked",
                    after={"child_customer_id": customer_id})
    return guardian_id


def guardian_has_email(db: Database, card: str) -> bool:
    found = store.customer_by_card(db, card.strip())
    p = store.person(db, found[0]) if found else None
    return bool(p and p.email)


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
class Guardian:
    name: str
    relation: str
    phone: str
    email: str
    card_number: str
    customer_id: int | None


def guardians(db: Database, customer_id: int) -> list[Guardian]:
    out = []
    for g in store.guardians_of(db, customer_id):
        name = (names.display_name(g.initials, g.prefix, g.surname, names.salutation(g.gender))
                if g.guardian_customer_id else g.name)
        out.append(Guardian(name, g.relation, g.phone, g.email, g.card_number,
                            g.guardian_customer_id))
    return out


@dataclass(frozen=True)
class Ward:
    customer_id: int
    name: str
    birth_date: dt.date | None
    card_number: str
    relation: str


def wards(db: Database, customer_id: int) -> list[Ward]:
    """The children this customer is ouder/verzorger of."""
    return [Ward(w.customer_id, names.display_name(w.initials, w.prefix, w.surname),
                 w.birth_date, w.card_number, w.relation)
            for w in store.wards_of(db, customer_id)]


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


# -- blocks --------------------------------------------------------------------------------------
def add_block(db: Database, clock: Clock, staff: Staff | None, customer_id: int, type: str,
              reason: str, start: dt.date | None = None, end: dt.date | None = None) -> int:
    if type not in BLOCK_TYPES:
        raise PrivacyError(f"Onbekend soort blokkade: {type!r}.")
    text = " ".join(reason.split())
    if not text:
        raise PrivacyError("Vul de reden van de blokkade in.")
    if len(text) > REASON_MAX:
        raise PrivacyError(f"De reden is te lang: hoogstens {REASON_MAX} tekens.")
    now = clock.now()
    start = start or now.date()
    if end is not None and end < start:
        raise PrivacyError("De einddatum ligt voor de begindatum.")
    with db.transaction():
        _not_anonymised(_customer(db, customer_id))
        block_id = store.insert_block(db, customer_id=customer_id, type=type, reason=text,
                                      start=start, end=end, staff_id=_staff_id(staff), at=now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="block", entity_id=block_id, action="insert",
                    after={"type": type, "reason": text, "start": start, "end": end})
    return block_id


def lift_block(db: Database, clock: Clock, staff: Staff | None, block_id: int) -> None:
    now = clock.now()
    with db.transaction():
        found = store.block(db, block_id)
        if found is None or not store.lift_block(db, block_id, at=now,
                                                 staff_id=_staff_id(staff)):
            raise PrivacyError("Deze blokkade is al opgeheven.")
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=found.customer_id,
                    entity="block", entity_id=block_id, action="lift",
                    before={"type": found.type, "end": found.end})


def blocks(db: Database, customer_id: int) -> list[store.BlockRow]:
    return store.blocks(db, customer_id)


def active_blocks(db: Database, customer_id: int, today: dt.date) -> list[store.BlockRow]:
    """Blocks in force today (started, not ended, not lifted)."""
    return [b for b in store.blocks(db, customer_id)
            if b.lifted_at is None and b.start <= today and (b.end is None or b.end >= today)]


def block_line(b: store.BlockRow) -> str:
    until = f" t/m {show(b.end)}" if b.end else ""
    return f"{BLOCK_TYPES.get(b.type, b.type)}: {b.reason} (vanaf {show(b.start)}{until})"


def lift_ended(db: Database, clock: Clock) -> int:
    """Maintenance: lift every block whose end date has passed (audited, staff none)."""
    now = clock.now()
    lifted = 0
    with db.transaction():
        for b in store.ended_blocks(db, now.date()):
            if store.lift_block(db, b.id, at=now, staff_id=None):
                audit.write(db, at=now, staff_id=None, customer_id=b.customer_id,
                            entity="block", entity_id=b.id, action="lift",
                            before={"type": b.type, "end": b.end},
                            after={"by": "onderhoud (einddatum verstreken)"})
                lifted += 1
    return lifted


# -- inzage --------------------------------------------------------------------------------------
SECTION_LABELS = {
    "customers": "Klant", "addresses": "Adressen", "cards": "Passen",
    "subscription_periods": "Abonnementen", "invoices": "Facturen", "payments": "Betalingen",
    "payment_allocations": "Betaalde facturen", "credit_set_offs": "Verrekeningen",
    "waivers": "Kwijtscheldingen", "contribution_letters": "Contributiebrieven",
    "open_registrations": "Geregistreerde bedragen", "mandates": "Incassomachtigingen",
    "customer_documents": "Klantdocumenten", "collections": "Incasso's",
    "collection_notices": "Vooraankondigingen", "customer_logins": "Inlogaccount (koppeling)",
    "login_accounts": "Inlogaccount", "consents": "Toestemmingen",
    "communication_preferences": "Communicatievoorkeuren", "customer_blocks": "Blokkades",
    "guardians": "Ouder/verzorger", "notices": "Meldingen", "mail_outbox": "Verzonden mail",
    "print_jobs": "Printopdrachten", "audit_log": "Wijzigingen (audit)",
    "registration_drafts": "Inschrijfconcepten",
}
# Column names in the readable text (the JSON keeps the names of the database).
COLUMN_LABELS = {
    "actor_id": "actor-id", "kind": "soort", "gender": "persoon", "initials": "voorletters",
    "prefix": "voorvoegsel", "surname": "achternaam", "first_name": "roepnaam",
    "search_name": "zoeknaam", "birth_date": "geboortedatum", "birth_year": "geboortejaar",
    "phone": "telefoon", "sms": "sms-nummer", "email": "e-mail", "newsletter": "nieuwsbrief",
    "id_checked": "legitimatie gecontroleerd", "use_login": "inlogaccount",
    "loan_history": "leenhistorie", "notify_loaned_before": "melding eerder geleend",
    "selection": "selectie", "branch_code": "vestiging", "registered_on": "inschrijfdatum",
    "last_activity": "laatste activiteit", "items_on_loan": "in bezit", "strips": "strippen",
    "balance_cents": "tegoed (centen)", "created_at": "aangemaakt", "updated_at": "gewijzigd",
    "deregistered_on": "uitgeschreven", "anonymised_on": "geanonimiseerd",
    "street": "straat", "house_number": "huisnummer", "house_suffix": "toevoeging",
    "postcode": "postcode", "place": "plaats", "country": "land", "region": "regio",
    "number": "pasnummer", "status": "status", "issued_on": "uitgegeven",
    "blocked_on": "geblokkeerd", "reason": "reden", "text": "tekst", "private": "privé",
    "tariff_code": "tarief", "start_date": "begin", "end_date": "eind",
    "amount_cents": "bedrag (centen)", "discount_cents": "korting (centen)",
    "description": "omschrijving", "due_date": "vervaldatum", "iban": "IBAN", "bic": "BIC",
    "holder_name": "rekeninghouder", "holder_place": "woonplaats rekeninghouder",
    "username": "gebruikersnaam", "to_addr": "aan", "subject": "onderwerp",
    "body_text": "tekst", "at": "wanneer", "method": "hoe", "relation": "relatie",
    "name": "naam", "channel": "kanaal", "language": "taal", "given_at": "gegeven",
    "withdrawn_at": "ingetrokken", "type": "soort", "entity": "onderdeel",
    "action": "handeling", "before": "voor", "after": "na", "payload": "printgegevens",
}
# Columns never exported: secrets of the login service.
_SECRET_COLUMNS = {"token_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": len(value), "base64": base64.b64encode(value).decode("ascii")}
    return value


@dataclass
class Export:
    customer_id: int
    made_at: dt.datetime
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_json(self) -> str:
        data = {"klant_id": self.customer_id,
                "gemaakt_op": self.made_at.isoformat(timespec="seconds"),
                "gegevens": {table: [{k: _plain(v) for k, v in row.items()} for row in rows]
                             for table, rows in self.sections.items()}}
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)

    def as_text(self) -> str:
        from tui_desk.rules.text import printable

        out = [f"Inzage persoonsgegevens, klant {self.customer_id}",
               f"Gemaakt op {self.made_at:%d-%m-%Y %H:%M}", "",
               "Dit zijn alle gegevens die de bibliotheek in de balieadministratie over deze "
               "klant bewaart.", ""]
        for table, rows in self.sections.items():
            label = SECTION_LABELS.get(table, table)
            out.append(f"== {label} ({len(rows)}) ==")
            if not rows:
                out.append("  (geen)")
            for i, row in enumerate(rows, 1):
                out.append(f"  [{i}]")
                for key, value in row.items():
                    if value is None or value == "":
                        continue
                    shown = (f"({len(value)} bytes printer- of bestandsgegevens)"
                             if isinstance(value, bytes) else printable(str(value)))
                    out.append(f"    {COLUMN_LABELS.get(key, key)}: {shown}")
            out.append("")
        return "\n".join(out)


def collect(db: Database, customer_id: int, made_at: dt.datetime) -> Export:
    """Every row that refers to the customer, found from the schema's foreign keys, plus the
    rows reached through them (payment allocations, set-offs, the login account)."""
    export = Export(customer_id, made_at)
    export.sections["customers"] = store.rows_where(db, "customers", "id", customer_id)
    for table, column in store.customer_key_columns(db):
        rows = store.rows_where(db, table, column, customer_id)
        if table in export.sections:
            seen = {json.dumps(r, default=str) for r in export.sections[table]}
            export.sections[table] += [r for r in rows if json.dumps(r, default=str) not in seen]
        else:
            export.sections[table] = rows
    export.sections["payment_allocations"] = store.payment_allocations_of(db, customer_id)
    export.sections["credit_set_offs"] = store.credit_set_offs_of(db, customer_id)
    export.sections["login_accounts"] = store.login_accounts_of(db, customer_id)
    for rows in export.sections.values():
        for row in rows:
            for secret in _SECRET_COLUMNS & set(row):
                row.pop(secret)
    return export


def export(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
           *, via: str = "balie") -> Export:
    """Inzage: everything about the customer; the export itself is logged (who, when)."""
    now = clock.now()
    with db.transaction():
        _customer(db, customer_id)
        result = collect(db, customer_id, now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="inzage", action="export", after={"via": via})
    return result


# -- uitschrijven and anonymisation ---------------------------------------------------------------
@dataclass(frozen=True)
class Deregistration:
    customer_id: int
    day: dt.date
    credit_cents: int
    message: str


def deregister(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
               reason: str = "Uitgeschreven op verzoek") -> Deregistration:
    """Uitschrijven: running subscription periods end today (the unused part credited), and
    the customer is marked deregistered. Refused with items on loan."""
    from tui_desk.services import subscriptions
    from tui_desk.store import subscriptions as sub_store

    now = clock.now()
    today = now.date()
    with db.transaction():
        state = store.customer_state(db, customer_id)
        if state is None:
            raise PrivacyError(f"Klant {customer_id} bestaat niet (meer).")
        if state["anonymised_on"]:
            raise PrivacyError("Deze klant is al geanonimiseerd.")
        if state["deregistered_on"]:
            raise PrivacyError(f"Deze klant is al uitgeschreven op "
                               f"{show(dt.date.fromisoformat(state['deregistered_on']))}.")
        if state["items_on_loan"]:
            raise PrivacyError(f"De klant heeft nog {state['items_on_loan']} materiaal in bezit: "
                               "eerst inleveren, dan uitschrijven.")
        credit = 0
        for instance in sub_store.instances(db, customer_id):
            running = sub_store.running_periods(db, customer_id, instance, today)
            cents, _ = subscriptions.stop_periods_from(
                db, running, today, today=today, now=now, staff_id=_staff_id(staff),
                reason=reason, credit=True, source="uitschrijven")
            credit += cents
        store.set_deregistered(db, customer_id, today, now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="customer", entity_id=customer_id, action="deregister",
                    after={"deregistered_on": today, "reason": reason})
    return Deregistration(customer_id, today, credit,
                          f"Klant uitgeschreven per {show(today)}. Het uitschrijfbewijs wordt "
                          "geprint.")


def uitschrijfbewijs_rows(db: Database, customer_id: int) -> list[tuple[str, str]]:
    """The rows of the Uitschrijfbewijs (label, value)."""
    from tui_desk.store import customers as customer_store

    c = customer_store.load(db, customer_id)
    if c is None:
        raise PrivacyError(f"Klant {customer_id} bestaat niet (meer).")
    state = store.customer_state(db, customer_id)
    day = state["deregistered_on"] if state else None
    return [("Naam", c.full_name), ("Pasnummer", c.card_number),
            ("Ingeschreven", show(c.registered_on)),
            ("Uitgeschreven", show(dt.date.fromisoformat(day)) if day else "")]


@dataclass(frozen=True)
class Anonymised:
    customer_id: int
    pseudonym: str
    message: str


def can_anonymise(db: Database, customer_id: int) -> str | None:
    """Why the customer cannot be anonymised now, or None."""
    from tui_desk.services.settlement import open_amounts

    state = store.customer_state(db, customer_id)
    if state is None:
        return f"Klant {customer_id} bestaat niet (meer)."
    if state["anonymised_on"]:
        return "Deze klant is al geanonimiseerd."
    if state["items_on_loan"]:
        return f"De klant heeft nog {state['items_on_loan']} materiaal in bezit."
    if open_amounts(db, customer_id).outstanding_cents > 0:
        return "Er staat nog een bedrag open: eerst afrekenen of kwijtschelden."
    return None


def anonymise(db: Database, clock: Clock, staff: Staff | None, customer_id: int, *,
              reason: str = "op verzoek") -> Anonymised:
    """Vergeten: remove the customer's personal data everywhere (store.anonymise), keep the
    financial records pseudonymised, and log that it happened (not the data). Then the WAL is
    checkpointed so the erased data is gone from the files (secure_delete is on)."""
    now = clock.now()
    with db.transaction():
        why = can_anonymise(db, customer_id)
        if why:
            raise PrivacyError(why)
        state = store.customer_state(db, customer_id)
        if state is None:       # can_anonymise said so already; the type checker wants it here
            raise PrivacyError(f"Klant {customer_id} bestaat niet (meer).")
        pseudonym = f"{ANONYMOUS} {state['actor_id']}"
        usernames = store.anonymise(db, customer_id, pseudonym=pseudonym, day=now.date(), at=now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="customer", entity_id=customer_id, action="anonymise",
                    after={"reason": reason, "login_accounts_removed": len(usernames)})
    store.checkpoint(db)
    return Anonymised(customer_id, pseudonym,
                      f"Klant geanonimiseerd ({reason}). De financiële gegevens blijven "
                      "gepseudonimiseerd bewaard voor de fiscale termijn.")


# -- maintenance and the figures -----------------------------------------------------------------
@dataclass
class RetentionReport:
    blocks_lifted: int = 0
    anonymised: int = 0
    skipped_open_amount: int = 0
    fiscal_removed: int = 0
    print_jobs_purged: int = 0
    mails_emptied: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.blocks_lifted:
            out.append(f"Blokkades opgeheven (einddatum verstreken): {self.blocks_lifted}")
        if self.anonymised:
            out.append(f"Klanten geanonimiseerd (bewaartermijn verstreken): {self.anonymised}")
        if self.fiscal_removed:
            out.append(f"Financiële gegevens verwijderd (fiscale termijn verstreken): "
                       f"{self.fiscal_removed} klant(en)")
        if self.print_jobs_purged:
            out.append(f"Printgegevens gewist (bewaartermijn verstreken): "
                       f"{self.print_jobs_purged}")
        if self.mails_emptied:
            out.append(f"Mailteksten gewist (fiscale termijn verstreken): {self.mails_emptied}")
        return out


def _inactive_before(today: dt.date, settings: PrivacySettings) -> dt.date:
    return add_months(today, -12 * settings.retention_years_inactive)


def past_retention(db: Database, today: dt.date, settings: PrivacySettings) -> list[int]:
    """Customers past the retention term: inactive, nothing on loan, nothing open."""
    from tui_desk.services.settlement import open_amounts

    return [cid for cid in store.activity_candidates(db, _inactive_before(today, settings))
            if open_amounts(db, cid).outstanding_cents <= 0]


def run_retention(db: Database, clock: Clock, settings: PrivacySettings) -> RetentionReport:
    """``tui-desk maintenance``: lift ended blocks, anonymise customers past the retention
    term, remove financial records past the fiscal term, purge print-job payloads and old
    mail texts. Idempotent."""
    report = RetentionReport(blocks_lifted=lift_ended(db, clock))
    now = clock.now()
    today = now.date()
    for cid in past_retention(db, today, settings):
        try:
            anonymise(db, clock, None, cid, reason="bewaartermijn verstreken")
        except PrivacyError:
            report.skipped_open_amount += 1
            continue
        report.anonymised += 1
    fiscal_before = add_months(today, -12 * settings.fiscal_retention_years)
    with db.transaction():
        for cid in store.fiscal_candidates(db, fiscal_before):
            if store.remove_financial(db, cid, today):
                audit.write(db, at=now, staff_id=None, customer_id=cid, entity="customer",
                            entity_id=cid, action="fiscal_removed",
                            after={"fiscal_retention_years": settings.fiscal_retention_years})
                report.fiscal_removed += 1
        report.print_jobs_purged = store.purge_print_payloads(
            db, now - dt.timedelta(days=settings.print_jobs_retention_days), now)
        report.mails_emptied = store.empty_old_mails(
            db, dt.datetime.combine(fiscal_before, dt.time()))
    if report.anonymised or report.fiscal_removed or report.print_jobs_purged \
            or report.mails_emptied:
        store.checkpoint(db)
    return report


@dataclass(frozen=True)
class PrivacyFigures:
    past_retention: int
    anonymised: int
    drafts_past: int
    mails_past: int
    print_jobs_past: int

    def lines(self) -> list[str]:
        return [
            f"klanten voorbij de bewaartermijn: {self.past_retention}",
            f"geanonimiseerde klanten: {self.anonymised}",
            f"inschrijfconcepten voorbij de bewaartermijn: {self.drafts_past}",
            f"mails voorbij de bewaartermijn: {self.mails_past}",
            f"printopdrachten met gegevens voorbij de bewaartermijn: {self.print_jobs_past}",
        ]

    @property
    def beyond(self) -> int:
        return self.past_retention + self.drafts_past + self.mails_past + self.print_jobs_past


def figures(db: Database, now: dt.datetime, settings: PrivacySettings) -> PrivacyFigures:
    today = now.date()
    fiscal_before = dt.datetime.combine(add_months(today, -12 * settings.fiscal_retention_years),
                                        dt.time())
    return PrivacyFigures(
        past_retention=len(past_retention(db, today, settings)),
        anonymised=store.anonymised_count(db),
        drafts_past=store.drafts_past(db, now - dt.timedelta(
            hours=settings.drafts_retention_hours)),
        mails_past=store.mails_past(db, fiscal_before),
        print_jobs_past=store.print_jobs_past(db, now - dt.timedelta(
            days=settings.print_jobs_retention_days)),
    )


def write_export(result: Export, json_path: Path, text_path: Path) -> None:
    """Write the inzage as JSON and as readable text, readable by the owner only."""
    import os

    json_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path, content in ((json_path, result.as_json()), (text_path, result.as_text())):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content + "\n")


def export_folder() -> Path:
    """Where the record's Inzage action writes (the service account's data folder)."""
    from tui_desk.config import default_data_dir

    return default_data_dir() / "inzage"
