"""A registration ends complete or visibly unfinished (Klanten ▸ Openstaande inschrijvingen).

Leaving step 4 (Afrekenen nieuwe lener) with an amount neither paid, waived nor registered, or
step 5 (Incassomachtiging) without a processed mandate, asks what to do. One answer is to keep
the registration *open* with a reason:

- ``machtiging``: Sepa incasso was chosen, the signed mandate follows; it is expected within
  ``[registration] mandate_days`` days (the config's typed ``RegistrationSettings``);
- ``betaling``: the first amount is not paid (and not registered).

An open registration puts a Melding on the record (a notice that pops up when the record opens)
and is listed for its branch until it is resolved: ``resolve`` closes a ``machtiging`` once the
customer has an active mandate and a ``betaling`` once nothing of the customer's contributie is
left that is neither paid, waived, registered nor collectable by direct debit; the Melding goes
with it. The settlement and mandate services call ``resolve`` inside their own transactions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.services.reasons import typed_reason
from tui_desk.store import audit
from tui_desk.store import customers as customer_store
from tui_desk.store import followups as store
from tui_desk.store import settlement as settlement_store
from tui_desk.store.db import Database
from tui_desk.store.followups import MANDATE, PAYMENT, FollowUp

KINDS = (MANDATE, PAYMENT)
WHAT = {MANDATE: "incassomachtiging ontbreekt", PAYMENT: "eerste bedrag niet betaald"}
REASON_MAX = 80
DEFAULT_REASONS = {
    MANDATE: "Klant levert de getekende machtiging later in",
    PAYMENT: "Klant betaalt later aan de balie",
}


class FollowUpError(DeskError):
    """An open registration that cannot be recorded; the message is Dutch, for the desk."""


@dataclass(frozen=True)
class OpenRegistration:
    """One line of Openstaande inschrijvingen."""

    id: int
    customer_id: int
    card_number: str
    name: str
    kind: str
    reason: str
    opened_on: dt.date
    due_on: dt.date
    overdue: bool

    @property
    def what(self) -> str:
        return WHAT[self.kind]


def _open(row: FollowUp, today: dt.date) -> OpenRegistration:
    return OpenRegistration(
        id=row.id, customer_id=row.customer_id, card_number=row.card_number,
        name=names.display_name(row.initials, row.prefix, row.surname), kind=row.kind,
        reason=row.reason, opened_on=row.opened_at.date(), due_on=row.due_on,
        overdue=today > row.due_on)


def unsettled_cents(db: Database, customer_id: int) -> int:
    """What a ``betaling`` waits for: open contributie that is not registered (letter or
    incasso) and that no direct debit will collect (no active mandate, or a tariff that is
    always paid at the desk)."""
    found = [i for i in settlement_store.items(db, customer_id)
             if i.kind == "contributie" and i.outstanding_cents > 0 and not i.registered]
    if not found:
        return 0
    if store.has_active_mandate(db, customer_id):
        desk_only = settlement_store.pay_directly_invoice_ids(db, [i.id for i in found])
        found = [i for i in found if i.id in desk_only]
    return sum(i.outstanding_cents for i in found)


def _notice_text(kind: str, due_on: dt.date, cents: int) -> str:
    if kind == MANDATE:
        return f"Open inschrijving: machtiging vóór {show(due_on)}"
    return f"Open inschrijving: eerste bedrag {format_cents(cents)} onbetaald"


def _branch_of(db: Database, customer_id: int) -> str:
    """The customer's branch (whose list shows the open registration); a FollowUpError when
    there is no such customer."""
    payer = settlement_store.payer(db, customer_id)
    if payer is None:
        raise FollowUpError(f"Klant {customer_id} bestaat niet (meer).")
    return payer.branch_code


def keep_open(db: Database, clock: Clock, staff: Staff, config: Config, customer_id: int,
              kind: str, reason: str) -> OpenRegistration:
    """Keep the registration open for ``kind`` with ``reason``: a Melding on the record and a
    line in the branch's list. Again for the same kind: the reason is updated. One audited
    transaction."""
    if kind not in KINDS:
        raise FollowUpError(f"Onbekende soort openstaande inschrijving: {kind!r}.")
    text = typed_reason(reason, limit=REASON_MAX, error=FollowUpError,
                        missing="Vul de reden in waarom de inschrijving open blijft.")
    now = clock.now()
    today = now.date()
    with db.transaction():
        branch_code = _branch_of(db, customer_id)
        existing = store.open_of(db, customer_id, kind)
        if existing:
            row = existing[0]
            if row.reason != text:
                store.update_reason(db, row.id, text)
                audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                            entity="open_followup", entity_id=row.id, action="update",
                            before={"reason": row.reason}, after={"reason": text})
        else:
            due = today + dt.timedelta(days=config.registration.mandate_days)
            notice = _notice_text(kind, due, unsettled_cents(db, customer_id))
            slot = customer_store.free_slot(db, customer_id)
            if slot is not None:
                customer_store.save_notice(db, customer_id, slot, notice, True, created_at=now,
                                           staff_id=staff.id)
                audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                            entity="notice", entity_id=f"{customer_id}/{slot}",
                            action="insert", after={"text": notice, "private": True})
            followup_id = store.insert(
                db, customer_id=customer_id, branch_code=branch_code, kind=kind,
                reason=text, at=now, due_on=due, staff_id=staff.id, notice_slot=slot,
                notice_text=notice if slot is not None else "")
            audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                        entity="open_followup", entity_id=followup_id, action="insert",
                        after={"kind": kind, "reason": text, "due_on": due,
                               "notice_slot": slot})
        row = store.open_of(db, customer_id, kind)[0]
    return _open(row, today)


def _close(db: Database, row: FollowUp, now: dt.datetime, how: str,
           staff_id: int | None) -> None:
    if not store.close(db, row.id, at=now, how=how):
        return
    if row.notice_slot is not None:
        current = customer_store.notice(db, row.customer_id, row.notice_slot)
        # only the Melding this wrote (a colleague may have replaced it since)
        if current is not None and current.text == row.notice_text:
            customer_store.delete_notice(db, row.customer_id, row.notice_slot)
            audit.write(db, at=now, staff_id=staff_id, customer_id=row.customer_id,
                        entity="notice", entity_id=f"{row.customer_id}/{row.notice_slot}",
                        action="delete", before={"text": current.text, "private": True},
                        after=None)
    audit.write(db, at=now, staff_id=staff_id, customer_id=row.customer_id,
                entity="open_followup", entity_id=row.id, action="update",
                before={"closed_at": None}, after={"closed_at": now, "closed_how": how})


def resolve(db: Database, now: dt.datetime, customer_id: int, *,
            staff_id: int | None = None) -> list[str]:
    """Close what is no longer open: ``machtiging`` when a mandate is active, ``betaling``
    when ``unsettled_cents`` is 0. Call inside the action's transaction; returns the kinds
    closed."""
    closed = []
    for row in store.open_of(db, customer_id):
        if row.kind == MANDATE and store.has_active_mandate(db, customer_id):
            _close(db, row, now, "machtiging verwerkt", staff_id)
            closed.append(row.kind)
        elif row.kind == PAYMENT and unsettled_cents(db, customer_id) == 0:
            _close(db, row, now, "bedrag afgehandeld", staff_id)
            closed.append(row.kind)
    return closed


def close_without_mandate(db: Database, clock: Clock, staff: Staff, customer_id: int) -> bool:
    """The customer will not sign a mandate (the amount goes by contribution letter): an open
    ``machtiging`` is closed. Call inside the action's transaction."""
    now = clock.now()
    rows = store.open_of(db, customer_id, MANDATE)
    for row in rows:
        _close(db, row, now, "geen incasso: contributiebrief", staff.id)
    return bool(rows)


def open_kinds(db: Database, customer_id: int) -> set[str]:
    """Which follow-ups of the customer are open."""
    return {row.kind for row in store.open_of(db, customer_id)}


def open_for_branch(db: Database, clock: Clock, branch_code: str) -> list[OpenRegistration]:
    """Openstaande inschrijvingen of the branch, oldest first, the overdue ones marked."""
    today = clock.today()
    return [_open(row, today) for row in store.open_for_branch(db, branch_code)]


def open_everywhere(db: Database, today: dt.date) -> list[OpenRegistration]:
    """Every open registration (for the monthly run's report)."""
    return [_open(row, today) for row in store.open_everywhere(db)]
