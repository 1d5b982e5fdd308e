"""Uitschrijven (ending the membership) and anonymisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules.dates import show
from tui_desk.services.privacy.common import ANONYMOUS, PrivacyError, _found, _staff_id
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database


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
        state = _found(store.customer_state(db, customer_id), customer_id)
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

    c = _found(customer_store.load(db, customer_id), customer_id)
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
        state = _found(store.customer_state(db, customer_id), customer_id)
        pseudonym = f"{ANONYMOUS} {state['actor_id']}"
        usernames = store.anonymise(db, customer_id, pseudonym=pseudonym, day=now.date(), at=now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="customer", entity_id=customer_id, action="anonymise",
                    after={"reason": reason, "login_accounts_removed": len(usernames)})
    store.checkpoint(db)
    return Anonymised(customer_id, pseudonym,
                      f"Klant geanonimiseerd ({reason}). De financiële gegevens blijven "
                      "gepseudonimiseerd bewaard voor de fiscale termijn.")
