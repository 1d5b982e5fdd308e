"""Rows in and out: the store's one way of turning a row into a record and a record into a row.

``record(Cls, row)`` builds a dataclass from a row (``reader(Cls)``: the same, for one class):
each field takes the column of the same name, converted by the field's declared type —

- ``dt.datetime`` and ``dt.date`` from the ISO text the database stores,
- ``bool`` from SQLite's 0/1,
- an enum (the ``StrEnum``s of ``tui_desk.statuses``) from its value,
- anything else as stored.

A field declared ``X | None`` reads NULL (and an empty text) as None. Columns the record does
not declare are ignored; a field without a column keeps its default (no default: a TypeError,
as for any missing argument). Keyword arguments give fields the caller works out itself (a
column under another name, a derived value); they win over the column.

``insert(db, table, column=value, ...)`` is the other way round: one INSERT, dates and moments
written as the database keeps them (``rules.dates.stamp``), the new row's id returned
(``new_id``: ``INSERT ... RETURNING id`` on both engines).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database, StoreError

T = TypeVar("T")

# (field name, converter or None, None allowed) per field of a record class.
_Plan = tuple[tuple[str, Callable[[Any], Any] | None, bool], ...]


def record(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """The dataclass ``cls`` from the row's columns of the same names (see the module)."""
    columns = set(row.keys())
    values = dict(given)
    for name, convert, optional in _plan(typing.cast(type, cls)):
        if name in values or name not in columns:
            continue
        value = row[name]
        if convert is not None:
            value = None if optional and value in (None, "") else convert(value)
        values[name] = value
    return cls(**values)


def reader(cls: type[T]) -> Callable[[sqlite3.Row], T]:
    """``record`` for one class: what ``one`` and the list functions build their rows with."""
    return functools.partial(record, cls)


def one(db: Database, build: Callable[[sqlite3.Row], T], sql: str,
        params: tuple | dict = ()) -> T | None:
    """The record of the query's first row, or None when it finds nothing."""
    row = db.one(sql, params)
    return None if row is None else build(row)


def insert(db: Database, table: str, **values: object) -> int:
    """INSERT one row (``column=value``) into ``table``; returns the new row's id.

    Moments are stored to the second (``stamp``), dates as ISO text; None stays NULL. Table and
    column names come from the code, never from the person at the desk.
    """
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return new_id(db, f"INSERT INTO {table}({columns}) VALUES ({marks}) RETURNING id",
                  tuple(_stored(v) for v in values.values()))


def new_id(db: Database, sql: str, params: tuple | dict = ()) -> int:
    """Run an ``INSERT ... RETURNING id`` (both engines run it) and return the new row's id.

    The one place the store turns a new row into its id: no ``lastrowid`` (PostgreSQL has
    none). The returned row is fetched, so SQLite's statement is done before the commit."""
    new = db.scalar(sql, params)
    if new is None:  # pragma: no cover - an INSERT of one row returns it
        raise StoreError("De nieuwe regel is niet opgeslagen.")
    return int(new)


def changed(db: Database, sql: str, params: tuple | dict = ()) -> int:
    """How many rows an UPDATE or DELETE changed (one, for a status move that took place)."""
    return db.execute(sql, params).rowcount


class Where:
    """The conditions of a WHERE, added one by one with their parameters, joined by AND."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list[object] = []

    def add(self, condition: str, *params: object) -> Where:
        self.conditions.append(condition)
        self.params.extend(params)
        return self

    def among(self, column: str, values: Iterable[object]) -> Where:
        """``column IN (...)``; with no values nothing matches."""
        wanted = list(values)
        # "1 = 0", not "0": PostgreSQL wants a boolean where SQLite takes any number.
        return self.add(f"{column} IN ({marks(wanted)})" if wanted else "1 = 0", *wanted)

    def __str__(self) -> str:
        return " AND ".join(self.conditions) or "1 = 1"


def marks(values: typing.Sized) -> str:
    """``?, ?, ?``: one placeholder per value, for ``IN (...)``."""
    return ", ".join("?" * len(values))


def _stored(value: object) -> object:
    if isinstance(value, dt.datetime):
        return stamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@functools.cache
def _plan(cls: type) -> _Plan:
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        kind, optional = _without_none(hints[f.name])
        plan.append((f.name, _converter(kind), optional))
    return tuple(plan)


def _without_none(hint: Any) -> tuple[Any, bool]:
    """(the type, whether None is allowed) of ``X | None``; other hints as they are."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def _converter(kind: Any) -> Callable[[Any], Any] | None:
    if kind is dt.datetime:
        return dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.fromisoformat
    if kind is bool:
        return bool
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    return None
