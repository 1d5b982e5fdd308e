"""The queries behind Zoek klant. Each one is an index lookup, so that a search stays instant
with a million customers: cards.number (unique), customers.actor_id (unique),
addresses(postcode, house_number), customers(birth_date) and a range scan on
customers(search_name) for a surname prefix. ``query_plan`` shows SQLite's plan (tests).

Every search has one total order, set in SQL (the customer's id last): a shorter ``limit``
gives the start of a longer one's list, so Zoek klant can fetch its first screenful first and
the rest after it (issue 20). A name search lists in its index's order (name, then birth date),
so that the scan stops after ``limit`` rows however many names start with the prefix."""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3

from tui_desk.models import SearchHit
from tui_desk.rules.dates import from_iso
from tui_desk.rules.names import display_name
from tui_desk.store.db import Database
from tui_desk.store.dialect_check import is_sqlite

# The highest code point: "key" <= name < "key" + MAX_CHAR is every name that starts with key.
MAX_CHAR = "\U0010ffff"

_COLUMNS = (
    "c.id, c.initials, c.prefix, c.surname, c.search_name, c.birth_date, "
    "COALESCE((SELECT k.number FROM cards k WHERE k.customer_id = c.id "
    "ORDER BY k.status = 'actief' DESC, k.issued_on DESC, k.id DESC LIMIT 1), '') AS card_number, "
    "a.street, a.house_number, a.house_suffix, a.postcode, a.place "
)
_MAIN_ADDRESS = "LEFT JOIN addresses a ON a.customer_id = c.id AND a.kind = 'hoofdadres' "
# Initials are stored as typed ("A.", "a.b."): NOCASE keeps "a." with "A.".
_ORDER = "ORDER BY c.search_name, c.initials COLLATE NOCASE, c.birth_date, c.id LIMIT ?"


def _compact_suffix(text: str) -> str:
    return text.upper().replace(" ", "").replace("-", "")


def _by_column(source: str, column: str, value: object, limit: object) -> tuple[str, tuple]:
    """Customers whose ``column`` equals ``value`` (an actor id, a birth date)."""
    return ("SELECT " + _COLUMNS + f"FROM {source} " + _MAIN_ADDRESS
            + f"WHERE {column} = ? " + _ORDER, (value, limit))


# The plan is fixed in the SQL, not left to statistics: CROSS JOIN makes the looked-up table
# the outer loop and INDEXED BY names the index, so a small or freshly ANALYZEd database cannot
# talk SQLite into scanning a million customers (NOT INDEXED leaves the rowid lookup).
def _query(kind: str, **a: object) -> tuple[str, tuple]:
    if kind == "card":
        return (
            # x.status: the searched card's own status, so that no second query is needed
            "SELECT " + _COLUMNS + ", x.status AS searched_status FROM cards x "
            "CROSS JOIN customers c NOT INDEXED ON c.id = x.customer_id "
            + _MAIN_ADDRESS + "WHERE x.number = ? " + _ORDER,
            (a["number"], a["limit"]),
        )
    if kind == "actor":
        return _by_column("customers c", "c.actor_id", a["actor_id"], a["limit"])
    if kind == "postcode":
        where = "m.postcode = ?"
        params: list[object] = [a["postcode"]]
        if a.get("house_number") is not None:
            where += " AND m.house_number = ?"
            params.append(a["house_number"])
            if a.get("suffix"):
                where += " AND replace(replace(upper(m.house_suffix), ' ', ''), '-', '') = ?"
                params.append(_compact_suffix(str(a["suffix"])))
        return (
            # DISTINCT: two addresses of one customer (hoofd- and postadres) may match.
            "SELECT DISTINCT " + _COLUMNS + "FROM addresses m INDEXED BY addresses_postcode "
            "CROSS JOIN customers c NOT INDEXED ON c.id = m.customer_id "
            + _MAIN_ADDRESS + f"WHERE {where} " + _ORDER,
            (*params, a["limit"]),
        )
    if kind == "birth_date":
        return _by_column("customers c INDEXED BY customers_birth_date", "c.birth_date",
                          a["birth_date"], a["limit"])
    if kind == "name":
        key = str(a["key"])
        where = "c.search_name >= ? AND c.search_name < ?"
        params = [key, key + MAX_CHAR]
        index = "customers_search_name"
        if a.get("initials"):
            # Initials are stored as typed ("A.", "A.B.", "a b"): compare the letters only
            # (letters and digits: no LIKE wildcards can get in).
            where += " AND replace(replace(upper(c.initials), '.', ''), ' ', '') LIKE ?"
            letters = "".join(ch for ch in str(a["initials"]).upper() if ch.isalnum())
            params.append(letters + "%")
            index = "customers_search_name_initials"
        # Index order (search_name, birth_date, then the rowid: the id): the scan stops after
        # `limit` rows however short the prefix, and needs no sort.
        return (
            "SELECT " + _COLUMNS + f"FROM customers c INDEXED BY {index} "
            + _MAIN_ADDRESS + f"WHERE {where} ORDER BY c.search_name, c.birth_date, c.id "
            "LIMIT ?",
            (*params, a["limit"]),
        )
    raise ValueError(f"unknown search kind {kind!r}")


# SQLite's planner hints, which PostgreSQL neither needs (its planner uses the same indexes by
# its statistics) nor parses; SQLite's NOCASE is PostgreSQL's lower() (both fold ASCII only,
# the columns being in the "C" collation there).
_HINTS = ((re.compile(r" (?:INDEXED BY \w+|NOT INDEXED)"), ""),
          (re.compile(r"\bCROSS JOIN\b"), "JOIN"),
          (re.compile(r"(c\.initials) COLLATE NOCASE"), r"lower(\1)"),
          # PostgreSQL sorts a SELECT DISTINCT only by what it selects.
          (re.compile(r"^(SELECT DISTINCT .*?a\.place) FROM"),
           r"\1, lower(c.initials) AS initials_order FROM"))


def _sql(db: Database, kind: str, **args: object) -> tuple[str, tuple]:
    """``_query`` as this database's engine takes it (see ``_HINTS``)."""
    sql, params = _query(kind, **args)
    if not is_sqlite(db):
        sql = _plain(sql)
    return sql, params


@functools.cache
def _plain(sql: str) -> str:
    for pattern, replacement in _HINTS:
        sql = pattern.sub(replacement, sql)
    return sql


def _hits(rows: list[sqlite3.Row]) -> list[SearchHit]:
    # By position, in the order of _COLUMNS (a name lookup in a Row costs more than the rest
    # of the work for a row): 0 id, 1 initials, 2 prefix, 3 surname, 4 search_name,
    # 5 birth_date, 6 card_number, 7 street, 8 house_number, 9 house_suffix, 10 postcode, 11 place
    hits = []
    for r in rows:
        number = r[8]
        suffix = r[9] or ""
        if number is None:
            number_text = ""
        elif suffix[:1].isalpha():
            number_text = f"{number}{suffix}"
        else:
            number_text = f"{number} {suffix}".strip()
        hits.append(
            SearchHit(
                customer_id=r[0],
                card_number=r[6],
                name=display_name(r[1], r[2], r[3]),
                birth_date=from_iso(r[5]),
                address=f"{r[7] or ''} {number_text}".strip(),
                place=r[11] or "",
            )
        )
    return hits


def _run(db: Database, kind: str, **args: object) -> list[SearchHit]:
    sql, params = _sql(db, kind, **args)
    return _hits(db.all(sql, params))


def by_card(db: Database, number: str, limit: int = 200) -> list[SearchHit]:
    """The customer holding this exact card number (any status)."""
    return _run(db, "card", number=number, limit=limit)


def by_card_with_status(
    db: Database, number: str, limit: int = 200
) -> tuple[list[SearchHit], tuple[int | None, str] | None]:
    """``by_card`` and ``card_status`` together: one query when the card has a holder."""
    sql, params = _sql(db, "card", number=number, limit=limit)
    rows = db.all(sql, params)
    if not rows:
        return [], card_status(db, number)
    return _hits(rows), (rows[0]["id"], rows[0]["searched_status"])


def card_status(db: Database, number: str) -> tuple[int | None, str] | None:
    """(customer id or None for an unissued card, status) of a card number, None if unknown."""
    row = db.one("SELECT customer_id, status FROM cards WHERE number = ?", (number,))
    return None if row is None else (row["customer_id"], row["status"])


def by_actor(db: Database, actor_id: int, limit: int = 200) -> list[SearchHit]:
    return _run(db, "actor", actor_id=actor_id, limit=limit)


def by_postcode(
    db: Database, postcode: str, house_number: int | None = None, suffix: str = "",
    limit: int = 200,
) -> list[SearchHit]:
    """Customers with an address at the postcode (``9468 BG``), optionally number + suffix."""
    return _run(db, "postcode", postcode=postcode, house_number=house_number, suffix=suffix,
                limit=limit)


def by_birth_date(db: Database, birth_date: dt.date, limit: int = 200) -> list[SearchHit]:
    return _run(db, "birth_date", birth_date=birth_date.isoformat(), limit=limit)


def by_name(db: Database, key: str, initials: str = "", limit: int = 200) -> list[SearchHit]:
    """Customers whose search name starts with ``key`` (already folded, without prefix)."""
    return _run(db, "name", key=key, initials=initials, limit=limit)


def query_plan(db: Database, kind: str, **args: object) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN for a search, one line a step, indented two spaces per
    level as the sqlite3 shell shows it: ``SEARCH c USING INDEX customers_birth_date ...``."""
    args.setdefault("limit", 200)
    sql, params = _query(kind, **args)
    depth: dict[int, int] = {0: -1}
    lines = []
    for r in db.all("EXPLAIN QUERY PLAN " + sql, params):
        depth[r["id"]] = depth.get(r["parent"], -1) + 1
        lines.append("  " * depth[r["id"]] + r["detail"])
    return lines
