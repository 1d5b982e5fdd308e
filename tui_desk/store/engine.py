"""What code outside ``store/`` may know about the database engine, without importing sqlite3:
whether a caller's transaction is open, and which exceptions are the engine's own."""

from __future__ import annotations

import sqlite3

from tui_desk.store.db import Database

# The database engine's own errors (SQLite's text holds no values a person typed).
EngineError = sqlite3.Error


def inside_transaction(db: Database) -> bool:
    """Whether a transaction is open on the connection (a caller's business action)."""
    return db.conn.in_transaction


def engine_error_name(exc: BaseException) -> str | None:
    """SQLite's name for an engine error (``SQLITE_FULL``), when it gives one."""
    return getattr(exc, "sqlite_errorname", None) if isinstance(exc, EngineError) else None
