"""Which engine a ``Database`` runs on, for the few store places whose SQL must differ.

The store's SQL is written once, in the subset SQLite and PostgreSQL both run (issue 17). Where
they really differ, a store module asks ``is_sqlite(db)``; the places are:

- ``store.search``: SQLite's planner hints (``INDEXED BY``, ``NOT INDEXED``, ``CROSS JOIN``)
  and its ``COLLATE NOCASE`` (PostgreSQL: the plain query, ``lower()``).
- ``store.privacy``: reading the schema (which tables refer to customers, their primary keys):
  ``sqlite_master``/``PRAGMA`` or PostgreSQL's catalog.
- ``store.retention.checkpoint``: SQLite's WAL checkpoint (PostgreSQL: nothing to do).

SQLite-only operations (the sandbox copy with the backup API, ``store.backup``,
``store.health``, the demo file checks) open SQLite files themselves and are not reached on
PostgreSQL.

Until the PostgreSQL seam (issue 17, contract 1) is merged, ``store.db.Database`` is the SQLite
connection and anything else (the tests' PostgreSQL stand-in) is not; with the seam this
function's body becomes ``return db.dialect.is_sqlite`` and nothing else changes.
"""

from __future__ import annotations

from typing import Any


def is_sqlite(db: Any) -> bool:
    """Whether ``db`` is a SQLite database (the store's ``Database`` on a SQLite file)."""
    from tui_desk.store.db import Database

    return type(db) is Database
