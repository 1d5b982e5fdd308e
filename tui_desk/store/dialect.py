"""Where SQLite and PostgreSQL differ, in one place (issue 17).

The SQL in ``store/`` is written once, in the subset both engines run, with SQLite's
placeholders: ``?`` positional and ``:name`` named. ``Database`` hands it to the engine as it is
(SQLite) or rewritten by ``Dialect.translate`` (PostgreSQL: psycopg's ``%s``/``%(name)s``, a
literal ``%`` doubled), once per SQL text (cached); placeholders inside string literals, quoted
names, comments and dollar-quoted bodies are left alone, and so is PostgreSQL's ``::`` cast.

A store module asks ``db.dialect`` only where the engines really differ; keep such places rare
and list them here:

- ``Dialect.name``: ``"sqlite"`` or ``"postgresql"``.
- Placeholders: translated here (above); store code never writes ``%s``.
- New ids: every INSERT whose id is needed says ``RETURNING id`` (``Database.insert``).
- Schema version: ``PRAGMA user_version`` (SQLite) or the one-row ``schema_version`` table
  (PostgreSQL), kept by ``store.db.migrate``; migrations in ``store/migrations`` (SQLite) and
  ``store/migrations/postgresql`` (same numbers and names).
- Write transactions: ``BEGIN IMMEDIATE`` (SQLite: the one write lock, waited for in
  ``Database.transaction``) or ``BEGIN`` READ COMMITTED with row locks and ``lock_timeout``
  (PostgreSQL: ``store.pg_backend``); deadlocks and serialization failures are retried by
  ``Database.retrying``.
- Engine-only operations (SQLite's file copy for the training sandboxes, VACUUM,
  integrity_check, the backup API) check ``db.dialect.name`` and raise a StoreError on the other
  engine (``Dialect.require``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

SQLITE_NAME = "sqlite"
POSTGRESQL_NAME = "postgresql"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class Dialect:
    """The few differences between the engines that store code may ask about."""

    name: str

    @property
    def is_sqlite(self) -> bool:
        return self.name == SQLITE_NAME

    @property
    def is_postgresql(self) -> bool:
        return self.name == POSTGRESQL_NAME

    def translate(self, sql: str) -> str:
        """The SQL as this engine's driver takes it (see the module)."""
        if self.name == SQLITE_NAME:
            return sql
        return to_pyformat(sql)

    def require(self, engine: str, what: str) -> None:
        """Raise a StoreError when ``what`` (Dutch, e.g. "Een oefenkopie") needs ``engine``."""
        if self.name != engine:
            from tui_desk.store.errors import StoreError

            label = "SQLite" if engine == SQLITE_NAME else "PostgreSQL"
            raise StoreError(f"{what} kan alleen met een {label}-database.")


SQLITE = Dialect(SQLITE_NAME)
POSTGRESQL = Dialect(POSTGRESQL_NAME)


@functools.lru_cache(maxsize=4096)
def to_pyformat(sql: str) -> str:
    """``?`` → ``%s``, ``:name`` → ``%(name)s``, ``%`` → ``%%`` outside literals and comments
    (``%`` is doubled inside them too: psycopg reads ``%`` everywhere in the text)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "%":
            out.append("%%")
            i += 1
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == ":":
            if i + 1 < n and sql[i + 1] == ":":           # a cast: value::text
                out.append("::")
                i += 2
                continue
            match = _NAME.match(sql, i + 1)
            if match and (i == 0 or sql[i - 1] != ":"):
                out.append(f"%({match.group()})s")
                i = match.end()
            else:
                out.append(c)
                i += 1
        elif c in ("'", '"'):
            end = _quoted_end(sql, i, c)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif c == "$" and (tag := _DOLLAR_TAG.match(sql, i)) and (i == 0 or not (
                sql[i - 1].isalnum() or sql[i - 1] == "_")):
            end = sql.find(tag.group(), tag.end())
            end = n if end < 0 else end + len(tag.group())
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        else:
            # Copy a run of ordinary characters at once.
            j = i + 1
            while j < n and sql[j] not in "%?:'\"-/$":
                j += 1
            out.append(sql[i:j])
            i = j
    return "".join(out)


def _quoted_end(sql: str, start: int, quote: str) -> int:
    """The index just past the literal or quoted name opened at ``start`` ('' and "" escape)."""
    i = start + 1
    n = len(sql)
    while i < n:
        if sql[i] == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n
