"""Keeping personal data no longer than needed.

A registration draft holds what was typed about a person who is not (yet) a customer: name,
address, birth date, IBAN. Unfinished and abandoned drafts are removed once they have not been
touched for ``[privacy] drafts_retention_hours`` (default 72); finished ones keep only their
status (the customer record has the data). ``tui-desk maintenance`` calls ``purge_drafts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import DEFAULT_DRAFTS_RETENTION_HOURS
from tui_desk.store import drafts as draft_store
from tui_desk.store.db import Database


@dataclass(frozen=True)
class PurgeReport:
    removed: int
    hours: int

    def lines(self) -> list[str]:
        if not self.removed:
            return []
        return [f"Onafgemaakte inschrijvingen verwijderd (ouder dan {self.hours} uur): "
                f"{self.removed}"]


def purge_drafts(db: Database, clock: Clock,
                 hours: int = DEFAULT_DRAFTS_RETENTION_HOURS) -> PurgeReport:
    """Remove drafts not touched for ``hours``; returns how many were removed.

    Card numbers reserved with "V" for a removed draft stay reserved (never handed out twice).
    Idempotent: a second run removes nothing more.
    """
    if hours < 1:
        raise ValueError("hours must be at least 1")
    before = clock.now() - dt.timedelta(hours=hours)
    return PurgeReport(removed=draft_store.purge_older_than(db, before), hours=hours)
