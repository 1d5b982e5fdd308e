"""Candidates for the duplicate check: same birth date, or same address (both indexed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.store.db import Database


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
SELECT c.id, c.kind, c.gender, c.initials, c.prefix, c.surname, c.birth_date,
       a.street, a.house_number, a.house_suffix, a.postcode, a.place,
       COALESCE((SELECT number FROM cards k WHERE k.customer_id = c.id
                 ORDER BY k.status = 'actief' DESC, k.issued_on DESC LIMIT 1), '') AS card
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
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        out.append(
            CandidateRow(
                customer_id=r["id"],
                card_number=r["card"],
                kind=r["kind"],
                gender=r["gender"],
                initials=r["initials"],
                prefix=r["prefix"],
                surname=r["surname"],
                birth_date=dt.date.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
                street=r["street"] or "",
                house_number=r["house_number"],
                house_suffix=r["house_suffix"] or "",
                postcode=r["postcode"] or "",
                place=r["place"] or "",
            )
        )
    return out
