"""What code outside ``store/`` may know about the database engine, without importing sqlite3
or psycopg: whether a caller's transaction is open, and which exceptions are the engines' own."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from tui_desk.store.db import Database


class _EngineErrorType(type):
    """``isinstance(exc, EngineError)``: an ``sqlite3.Error`` or a ``psycopg.Error``.

    psycopg is imported only when a PostgreSQL database is opened (it takes a noticeable part
    of a second to import): while it is not imported, no psycopg error can exist either."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if isinstance(instance, sqlite3.Error):
            return True
        psycopg = sys.modules.get("psycopg")
        return psycopg is not None and isinstance(instance, psycopg.Error)

    def __subclasscheck__(cls, subclass: type) -> bool:
        if issubclass(subclass, sqlite3.Error):
            return True
        psycopg = sys.modules.get("psycopg")
        return psycopg is not None and issubclass(subclass, psycopg.Error)


class EngineError(Exception, metaclass=_EngineErrorType):
    """The database engines' own errors, for ``isinstance`` checks (not for ``except``, which
    does not ask the metaclass: catch ``StoreError`` or the engine's error inside ``store/``).
    SQLite's text holds no values a person typed; PostgreSQL's may (its DETAIL), see
    ``engine_error_text``."""


def inside_transaction(db: Database) -> bool:
    """Whether a transaction is open on the connection (a caller's business action)."""
    return db.in_transaction


def engine_error_name(exc: BaseException) -> str | None:
    """The engine's name for its error: SQLite's (``SQLITE_FULL``) or PostgreSQL's SQLSTATE
    (``23505``), when it gives one."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorname", None)
    if isinstance(exc, EngineError):
        return getattr(exc, "sqlstate", None)
    return None


# PostgreSQL error classes whose primary message names only the statement's parts (a table, a
# column, a lock) or the server's state, never a value: syntax and access rules, unsupported
# features, transaction state, rollbacks, locks, shutdown, connection, resources, internal.
_PG_VALUE_FREE_CLASSES = ("42", "0A", "25", "40", "55", "57", "08", "53", "54", "58", "XX")


def engine_error_text(exc: BaseException) -> str:
    """The engine's message as far as it holds no values (for the error log): SQLite's text as
    it is; PostgreSQL's primary message only for the classes above (a data or constraint error
    quotes the value: ``invalid input syntax for type integer: "…"``; its DETAIL quotes the row),
    else nothing beyond the error's type and SQLSTATE."""
    if isinstance(exc, sqlite3.Error) or not isinstance(exc, EngineError):
        return str(exc)
    state = getattr(exc, "sqlstate", None) or ""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary and state.startswith(_PG_VALUE_FREE_CLASSES):
        return str(primary)
    return "(message left out: it may quote data)" if state else str(exc).split("\n")[0]
