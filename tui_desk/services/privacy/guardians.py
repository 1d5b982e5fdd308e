"""Guardians (ouder/verzorger) of young members and their wards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import PrivacySettings
from tui_desk.models import Staff
from tui_desk.rules import contact, names
from tui_desk.rules import customers as customer_rules
from tui_desk.rules.errors import RuleError
from tui_desk.services.privacy.common import PrivacyError, _staff_id
from tui_desk.statuses import CardStatus
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database


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
    """Problems with step 1's guardian by field (``guardian_card``, ``guardian_name``, ...)."""
    problems: dict[str, str] = {}
    if given.card.strip():
        found = store.customer_by_card(db, given.card.strip())
        if found is None:
            problems["guardian_card"] = f"Pas {given.card.strip()} is onbekend."
        elif found[1] != CardStatus.ACTIVE:
            problems["guardian_card"] = f"Pas {given.card.strip()} is niet actief ({found[1]})."
    elif not given.name.strip():
        problems["guardian_card"] = ("Scan de pas van de ouder/verzorger of vul naam, relatie en "
                                     "telefoon of e-mail in.")
    else:
        if not given.relation.strip():
            problems["guardian_relation"] = "Relatie is verplicht (bijv. moeder, vader, voogd)."
        if not (given.phone.strip() or given.email.strip()):
            problems["guardian_phone"] = "Vul telefoon of e-mail van de ouder/verzorger in."
    for key, parse in (("guardian_phone", contact.parse_phone),
                       ("guardian_email", contact.parse_email)):
        text = given.phone if key == "guardian_phone" else given.email
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
