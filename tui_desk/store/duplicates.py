"""Candidates for the duplicate check: same birth date, or same address (both indexed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.store.db import Database
from tui_desk.store.rows import record


@dataclass(frozen=True)
class CandidateRow:
    customer_id: int
    card_number: str
    kind: str
    gender: str
    initials: str
    prefix: str
    surname: str
    birth_date: dt.date | None
    street: str
    house_number: int | None
    house_suffix: str
    postcode: str
    place: str


_SELECT = """
SELECT c.id AS customer_id, c.kind, c.gender, c.initials, c.prefix, c.surname, c.birth_date,
       COALESCE(a.street, '') AS street, a.house_number,
       COALESCE(a.house_suffix, '') AS house_suffix, COALESCE(a.postcode, '') AS postcode,
       COALESCE(a.place, '') AS place,
       COALESCE((SELECT number FROM cards k WHERE k.customer_id = c.id
                 ORDER BY k.status = 'actief' DESC, k.issued_on DESC LIMIT 1), '') AS card_number
FROM customers c
LEFT JOIN addresses a ON a.customer_id = c.id AND a.kind = 'hoofdadres'
"""


def candidates(
    db: Database,
    *,
    birth_date: dt.date | None,
    postcode: str,
    house_number: int | None,
    limit: int = 500,
) -> list[CandidateRow]:
    rows = []
    if birth_date is not None:
        rows += db.all(_SELECT + " WHERE c.birth_date = ? LIMIT ?", (birth_date.isoformat(), limit))
    if postcode and house_number is not None:
        rows += db.all(
            _SELECT + " WHERE c.id IN (SELECT customer_id FROM addresses "
            "WHERE postcode = ? AND house_number = ?) LIMIT ?",
            (postcode, house_number, limit),
        )
    seen: set[int] = set()
    out = []
    for r in rows:
        if r["customer_id"] not in seen:
            seen.add(r["customer_id"])
            out.append(record(CandidateRow, r))
    return out
