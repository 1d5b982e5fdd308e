"""The audit log: who changed what, when, before and after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    staff_name: str
    entity: str
    entity_id: str | None
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def write(
    db: Database,
    *,
    at: dt.datetime,
    staff_id: int | None,
    entity: str,
    action: str,
    entity_id: object = None,
    customer_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    import json  # here, not at the top: audit is loaded at every start, json only used later

    db.execute(
        "INSERT INTO audit_log(at, staff_id, customer_id, entity, entity_id, action, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            stamp(at),
            staff_id,
            customer_id,
            entity,
            None if entity_id is None else str(entity_id),
            action,
            json.dumps(before, ensure_ascii=False, default=str) if before is not None else None,
            json.dumps(after, ensure_ascii=False, default=str) if after is not None else None,
        ),
    )


def for_customer(db: Database, customer_id: int, limit: int = 200) -> list[AuditEntry]:
    rows = db.all(
        "SELECT a.*, COALESCE(s.name, '') AS staff_name FROM audit_log a "
        "LEFT JOIN staff s ON s.id = a.staff_id WHERE a.customer_id = ? "
        "ORDER BY a.at DESC, a.id DESC LIMIT ?",
        (customer_id, limit),
    )
    import json

    return [
        AuditEntry(
            at=dt.datetime.fromisoformat(r["at"]),
            staff_name=r["staff_name"],
            entity=r["entity"],
            entity_id=r["entity_id"],
            action=r["action"],
            before=json.loads(r["before"]) if r["before"] else {},
            after=json.loads(r["after"]) if r["after"] else {},
        )
        for r in rows
    ]
