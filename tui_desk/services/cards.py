"""A lost or broken card: block it and issue a replacement (8.Passen).

The old card is blocked (geblokkeerd, with the date and the reason) so that it can no longer be
used, a new number of the customer's branch is issued, and the replacement fee from
``data/fees.toml`` is charged as an open invoice that the settlement step collects. One
transaction, audited; printing the new card comes after it (a printer fault loses nothing).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.statuses import CardStatus
from tui_desk.store import audit
from tui_desk.store import cards as store
from tui_desk.store import drafts as draft_store
from tui_desk.store import registrations as reg_store
from tui_desk.store import subscriptions as sub_store
from tui_desk.store.db import Database

FEE_CODE = "vervangende_pas"
REASONS = ("Verloren", "Gestolen", "Beschadigd")


class CardError(DeskError):
    """Why the card cannot be replaced (Dutch)."""


@dataclass(frozen=True)
class Replacement:
    old_number: str | None
    new_number: str
    fee_cents: int
    invoice_id: int | None


def fee_on(day: dt.date, code: str = FEE_CODE) -> int:
    """The fee valid on ``day`` (cents), from the packaged fee list."""
    text = resources.files("tui_desk.data").joinpath("fees.toml").read_text("utf-8")
    rows = [f for f in tomllib.loads(text).get("fees", []) if f.get("code") == code
            and f["valid_from"] <= day]
    if not rows:
        return 0
    return int(max(rows, key=lambda f: f["valid_from"])["price_cents"])


def replace_card(db: Database, clock: Clock, staff: Staff, customer_id: int, reason: str, *,
                 charge: bool = True) -> Replacement:
    """Block the active card with ``reason`` and issue the next number of the branch."""
    reason = " ".join(reason.split())
    if not reason:
        raise CardError("Kies of typ de reden (verloren, gestolen, beschadigd).")
    now = clock.now()
    today = now.date()
    fee = fee_on(today) if charge else 0
    with db.transaction():
        branch = store.customer_branch(db, customer_id)
        if branch is None:
            raise CardError("Deze klant bestaat niet (meer).")
        old = store.active_cards(db, customer_id)
        for number in old:
            store.block(db, number, on=today, reason=reason[:60], status=CardStatus.BLOCKED)
            audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="card",
                        entity_id=number, action="block",
                        before={"status": "actief"},
                        after={"status": "geblokkeerd", "reason": reason})
        number = draft_store.next_free_card_number(db, branch)
        card_id = reg_store.insert_card(db, number=number, customer_id=customer_id,
                                        branch_code=branch, issued_on=today)
        invoice_id = None
        if fee:
            invoice_id = sub_store.insert_invoice(
                db, customer_id=customer_id, period_id=None, amount_cents=fee,
                discount_cents=0, description=f"Vervangende pas {number}", created_at=now,
                due_date=today, staff_id=staff.id)
        audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="card",
                    entity_id=card_id, action="insert",
                    after={"number": number, "replaces": old, "fee_cents": fee,
                           "invoice_id": invoice_id})
    return Replacement(old[0] if old else None, number, fee, invoice_id)
