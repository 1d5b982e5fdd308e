"""A mandate's life after it was processed: the record's panel, revoking, a new IBAN,
lapsing after 36 months unused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules import banking
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database
from tui_desk.store.mandates import Mandate

if TYPE_CHECKING:
    pass

from tui_desk.services.mandates.details import REASON_MAX, MandateError, MandateInputError
from tui_desk.statuses import MandateStatus


# -- the mandate's life ---------------------------------------------------------------------------
def pending_document_code(db: Database, customer_id: int) -> str:
    """"Klant opzoeken" in Actor document uploaden: the document code of the customer's
    printed form that is not processed yet (the newest). Raises MandateError when there is
    none."""
    for mandate in store.for_customer(db, customer_id):
        if mandate.status == MandateStatus.PENDING:
            return mandate.document_code
    raise MandateError("Voor deze klant is geen geprinte machtiging die nog verwerkt moet "
                       "worden. Print eerst de machtiging (F5).")


def active_mandate(db: Database, customer_id: int) -> Mandate | None:
    """The customer's active mandate (Incasso ticked), if any."""
    return store.active_for(db, customer_id)


def has_incasso(db: Database, customer_id: int) -> bool:
    """Incasso ticked: the customer has an active mandate (``store.mandates.has_active``)."""
    return store.has_active(db, customer_id)


@dataclass(frozen=True)
class MandatePanel:
    """What the record's incasso fields show: the active mandate, or else the latest one that
    was revoked or lapsed, and a form printed but not yet processed."""

    direct_debit: bool
    current: Mandate | None
    pending: Mandate | None
    history: tuple[Mandate, ...] = field(default=())

    @property
    def kenmerk(self) -> str:
        return self.current.kenmerk if self.current and self.direct_debit else ""


def mandate_panel(db: Database, customer_id: int) -> MandatePanel:
    everything = store.for_customer(db, customer_id)
    active = next((m for m in everything if m.status == store.ACTIVE), None)
    ended = next((m for m in everything if m.status in (store.REVOKED, store.LAPSED)), None)
    pending = next((m for m in everything if m.status == store.PENDING), None)
    return MandatePanel(direct_debit=active is not None, current=active or ended, pending=pending,
                        history=tuple(everything))


def revoke(db: Database, clock: Clock, staff: Staff | None, customer_id: int, *, reason: str,
           on: dt.date | None = None) -> Mandate:
    """Datum intrekking machtiging and Reden intrekking: the active mandate ends on ``on``
    (default today; not in the future) and nothing is collected on it any more."""
    today = clock.today()
    day = on or today
    text = " ".join((reason or "").split())
    errors = {}
    if not text:
        errors["reason"] = "Vul de reden van intrekking in."
    elif len(text) > REASON_MAX:
        errors["reason"] = f"De reden heeft hoogstens {REASON_MAX} tekens."
    if day > today:
        errors["revoked_on"] = "De datum van intrekking ligt in de toekomst."
    if errors:
        raise MandateInputError(errors)
    now = clock.now()
    with db.transaction():
        mandate = store.active_for(db, customer_id)
        if mandate is None:
            raise MandateError("Deze klant heeft geen actieve machtiging.")
        if mandate.signed_on and day < mandate.signed_on:
            raise MandateInputError({"revoked_on": "De datum van intrekking ligt voor de datum "
                                     f"van de machtiging ({show(mandate.signed_on)})."})
        store.revoke(db, mandate.id, on=day, reason=text)
        audit.write(db, at=now, staff_id=staff.id if staff else None, customer_id=customer_id,
                    entity="mandate", entity_id=mandate.id, action="update",
                    before={"status": store.ACTIVE},
                    after={"status": store.REVOKED, "revoked_on": day, "revoke_reason": text})
        done = store.get(db, mandate.id)
    assert done is not None
    return done


@dataclass(frozen=True)
class IbanChange:
    kept: bool                    # the mandate stays (overstapservice, or the same IBAN)
    needs_new_mandate: bool       # print a new mandate with ``iban`` and let the customer sign
    iban: str
    bic: str
    message: str
    mandate: Mandate | None = None


def change_iban(db: Database, clock: Clock, staff: Staff | None, customer_id: int, iban: str,
                bic: str = "", *, switch_service: bool) -> IbanChange:
    """A new account. "Klant gebruikt overstapservice": the mandate is kept with the new IBAN.
    Without it the current mandate is revoked (today) and a new one is needed."""
    info = banking.parse_iban(iban) if (iban or "").strip() else None
    if info is None:
        raise MandateInputError({"iban": "Vul het nieuwe IBAN in."})
    checked_bic = ""
    if info.foreign:
        checked_bic = banking.parse_bic(bic) if (bic or "").strip() else (info.bic or "")
        if not checked_bic:
            raise MandateInputError({"bic": "Vul de BIC in: die is nodig bij een buitenlands "
                                            "rekeningnummer."})
    now = clock.now()
    today = now.date()
    staff_id = staff.id if staff else None
    with db.transaction():
        mandate = store.active_for(db, customer_id)
        if mandate is None:
            return IbanChange(False, True, info.iban, checked_bic,
                              "Geen actieve machtiging: print een nieuwe machtiging met dit IBAN.")
        if mandate.iban == info.iban:
            return IbanChange(True, False, info.iban, checked_bic, "Het IBAN is ongewijzigd.",
                              mandate)
        if not rules.needs_new_mandate(mandate.iban, info.iban, switch_service):
            store.change_iban(db, mandate.id, iban=info.iban, bic=checked_bic, on=today)
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="mandate", entity_id=mandate.id, action="update",
                        before={"iban": banking.mask_iban(mandate.iban), "bic": mandate.bic},
                        after={"iban": banking.mask_iban(info.iban), "bic": checked_bic,
                               "uses_switch_service": True})
            return IbanChange(True, False, info.iban, checked_bic,
                              f"IBAN gewijzigd; machtiging {mandate.kenmerk} blijft geldig "
                              "(overstapservice).", store.get(db, mandate.id))
        reason = "Nieuw rekeningnummer zonder overstapservice"
        store.revoke(db, mandate.id, on=today, reason=reason)
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="mandate",
                    entity_id=mandate.id, action="update", before={"status": store.ACTIVE},
                    after={"status": store.REVOKED, "revoked_on": today,
                           "revoke_reason": reason})
        return IbanChange(False, True, info.iban, checked_bic,
                          f"Machtiging {mandate.kenmerk} is ingetrokken: het nieuwe IBAN vraagt "
                          "een nieuwe machtiging. Print een nieuwe machtiging en laat de klant "
                          "tekenen.", store.get(db, mandate.id))


def lapse_unused(db: Database, clock: Clock) -> list[Mandate]:
    """Active mandates not used for 36 months lapse (for the monthly run and the export)."""
    today = clock.today()
    lapsed = []
    with db.transaction():
        for m in store.all_active(db):
            if m.signed_on and rules.is_lapsed(m.signed_on, m.last_collected_on, today):
                store.set_lapsed(db, m.id)
                audit.write(db, at=clock.now(), staff_id=None, customer_id=m.customer_id,
                            entity="mandate", entity_id=m.id, action="update",
                            before={"status": store.ACTIVE},
                            after={"status": store.LAPSED, "source": "maintenance"})
                lapsed.append(m)
    return lapsed
