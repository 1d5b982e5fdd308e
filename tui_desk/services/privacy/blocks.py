"""Blocks on a customer (adres onbekend, openstaand bedrag, ...): adding, lifting, ending."""

from __future__ import annotations

import datetime as dt

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules.dates import show
from tui_desk.services.privacy.common import (
    BLOCK_TYPES,
    REASON_MAX,
    PrivacyError,
    _customer,
    _not_anonymised,
    _staff_id,
)
from tui_desk.services.reasons import typed_reason
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database


# -- blocks --------------------------------------------------------------------------------------
def add_block(db: Database, clock: Clock, staff: Staff | None, customer_id: int, type: str,
              reason: str, start: dt.date | None = None, end: dt.date | None = None) -> int:
    if type not in BLOCK_TYPES:
        raise PrivacyError(f"Onbekend soort blokkade: {type!r}.")
    text = typed_reason(reason, limit=REASON_MAX, missing="Vul de reden van de blokkade in.",
                        error=PrivacyError)
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
