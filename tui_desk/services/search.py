"""Zoek klant: one field that finds a customer by whatever the person at the desk has.

What was typed decides the search (``classify``):

- a card number, scanned (Codabar ``A29401000075801B``) or typed → that card's holder;
- a postcode with house number (``9468 BG 41``, ``9468bg41``, ``9468 BG 41A``) → who lives there;
- a postcode alone → everybody at that postcode;
- a date (``01-01-1991``, ``1-1-1991``, ``01011991``, ``1 januari 1991``) → born that day;
- another number → the actor id (``381847``, shown in square brackets in the record);
- anything else → a surname, with or without prefix, case and accents ignored, matching the
  start of the name (``van der Tes`` finds Test); ``Test, A.`` narrows by initials.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from tui_desk.models import SearchHit
from tui_desk.rules import cards
from tui_desk.rules import dates as date_rules
from tui_desk.rules.dates import parse_date
from tui_desk.rules.names import search_key
from tui_desk.statuses import CardStatus
from tui_desk.store import search as store
from tui_desk.store.db import Database

LIMIT = 200

CARD = "card"
POSTCODE = "postcode"
BIRTH_DATE = "birth_date"
ACTOR = "actor"
NAME = "name"
EMPTY = "empty"

_POSTCODE = re.compile(
    r"^(?P<digits>[1-9]\d{3})\s*(?P<letters>[A-Za-z]{2})"
    r"(?:\s*[-,]?\s*(?P<number>\d{1,5})(?:\s*[-]?\s*(?P<suffix>[A-Za-z0-9]{1,4}))?)?$"
)
_POSTCODE_DIGITS_ONLY = re.compile(r"^[1-9]\d{3}$")
_DATEISH = re.compile(r"^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}$|^\d{8}$|^\d{1,2}\s*[A-Za-z]+\.?\s*\d{4}$")


@dataclass(frozen=True)
class Query:
    """What a search text was taken to mean."""

    kind: str
    card: str = ""
    postcode: str = ""
    house_number: int | None = None
    suffix: str = ""
    birth_date: dt.date | None = None
    actor_id: int | None = None
    name_key: str = ""
    initials: str = ""
    problem: str = ""   # why the text could not be read as what it looked like


@dataclass(frozen=True)
class SearchResult:
    kind: str
    hits: list[SearchHit] = field(default_factory=list)
    message: str = ""
    more: bool = False   # more customers matched than the list shows
    # False: the start of a longer list (``first_rows``); ``search`` fetches the whole list.
    complete: bool = True


def classify(text: str) -> Query:
    """Decide what kind of search a text is.

    >>> classify("A29401000075801B").kind
    'card'
    """
    t = " ".join(text.split())
    if not t:
        return Query(EMPTY)
    if cards.looks_like_card(t):
        return Query(CARD, card=cards.clean(t))
    m = _POSTCODE.match(t)
    if m and m.group("letters").upper() not in ("SA", "SD", "SS"):
        postcode = f"{m.group('digits')} {m.group('letters').upper()}"
        number = int(m.group("number")) if m.group("number") else None
        return Query(POSTCODE, postcode=postcode, house_number=number,
                     suffix=(m.group("suffix") or "").upper())
    if _DATEISH.match(t):
        try:
            return Query(BIRTH_DATE, birth_date=parse_date(t))
        except ValueError as exc:
            if t.isdigit():
                return Query(ACTOR, actor_id=int(t))
            return Query(BIRTH_DATE, problem=str(exc))
    digits = t.replace(" ", "")
    if digits.isdigit():
        if _POSTCODE_DIGITS_ONLY.match(digits):
            return Query(POSTCODE, problem="Typ de postcode met de letters: 9468 BG.")
        return Query(ACTOR, actor_id=int(digits)) if len(digits) <= 12 else Query(
            CARD, card=digits
        )
    surname, _, initials = t.partition(",")
    key = search_key(surname)
    if not key:
        return Query(NAME, problem="Typ een pasnummer, achternaam, postcode of geboortedatum.")
    return Query(NAME, name_key=key, initials="".join(ch for ch in initials if ch.isalnum()))


def search(db: Database, query: str, today: dt.date, limit: int = LIMIT) -> SearchResult:
    """Find customers for what was typed in Zoek klant; hits in name order, at most ``limit``."""
    q = classify(query)
    if q.kind == EMPTY:
        return SearchResult(EMPTY, message="Typ een pasnummer, achternaam, postcode + huisnummer "
                                           "of geboortedatum.")
    if q.problem:
        return SearchResult(q.kind, message=q.problem)
    message = ""
    if q.kind == CARD:
        hits, status = store.by_card_with_status(db, q.card, limit + 1)
        if status is None:
            message = f"Pasnummer {q.card} is onbekend."
            try:
                cards.parse(q.card)
            except cards.CardNumberError as exc:
                message += " " + str(exc)
        elif status[0] is None:
            message = f"Pas {q.card} is niet aan een klant gekoppeld."
        elif status[1] != CardStatus.ACTIVE:
            message = f"Let op: pas {q.card} is {status[1]}."
    elif q.kind == ACTOR:
        hits = store.by_actor(db, int(q.actor_id or 0), limit + 1)
    elif q.kind == POSTCODE:
        hits = store.by_postcode(db, q.postcode, q.house_number, q.suffix, limit + 1)
    elif q.kind == BIRTH_DATE:
        assert q.birth_date is not None
        if q.birth_date > today:
            return SearchResult(BIRTH_DATE, message="Deze geboortedatum ligt in de toekomst.")
        hits = store.by_birth_date(db, q.birth_date, limit + 1)
    else:
        hits = store.by_name(db, q.name_key, q.initials, limit + 1)
    more = len(hits) > limit
    hits = hits[:limit]
    if not hits:
        return SearchResult(q.kind, [], message or "Geen klant gevonden.")
    if more:
        message = (f"Meer dan {limit} klanten gevonden; de eerste {limit} staan in de lijst. "
                   "Zoek preciezer.")
    elif not message:
        message = f"{len(hits)} klant gevonden." if len(hits) == 1 else (
            f"{len(hits)} klanten gevonden."
        )
    return SearchResult(q.kind, hits, message, more)


def first_rows(db: Database, query: str, today: dt.date, rows: int) -> SearchResult:
    """The first ``rows`` hits of ``search`` for the same text: the start of its list (every
    search has one order), for a screen that shows its first screenful before the rest is
    fetched. Not ``complete`` when more customers matched."""
    result = search(db, query, today, limit=rows)
    if not result.more:
        return result
    return replace(result, complete=False,
                   message=f"Meer dan {rows} klanten gevonden; de rest van de lijst volgt…")


def describe(q: Query) -> str:
    """In words what was searched for, for the status line (``geboortedatum 01-01-1991``)."""
    if q.kind == CARD:
        return f"pasnummer {q.card}"
    if q.kind == POSTCODE:
        number = f" {q.house_number}{q.suffix}" if q.house_number is not None else ""
        return f"postcode {q.postcode}{number}"
    if q.kind == BIRTH_DATE:
        return f"geboortedatum {date_rules.show(q.birth_date)}"
    if q.kind == ACTOR:
        return f"klantnummer {q.actor_id}"
    if q.kind == NAME:
        return f"achternaam {q.name_key}…"
    return ""
