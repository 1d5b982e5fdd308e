"""Copying an SQLite database to PostgreSQL (``tui-desk db copy``, issue 17).

The target is a PostgreSQL database without tui-desk's schema (as the administrator made it
with ``createdb``), or one at this program's schema version whose tables are all empty;
anything else is refused before a row is written.

Everything happens in **one transaction** on the target: the schema by the PostgreSQL
migrations (PostgreSQL's DDL is transactional), the rows of every table, the identities set past
the highest ids, and the verification. A copy that fails or is interrupted half-way (a bad row,
a lost connection, Ctrl-C) leaves the target exactly as it was, so it can simply be run again;
and nobody can start a counter on a half-copied database (the schema only appears at the
commit). PostgreSQL holds a large transaction without trouble (no lock escalation, the rows go
to the table files as they are written); the cost is the target's disk space until the commit.

Tables go in foreign-key order (a table after every table it refers to) and the rows of a table
in key order (primary key), read from the source in batches (keyset pagination) and written
with ``executemany`` (psycopg sends a batch in pipeline mode). The ``counters`` table, when the
schema has it, is copied as it is: the SQLite database's counters are already past its highest
numbers. Identity columns are set past the highest copied id.

Verification, per table, on both sides the same way: the row count, and a SHA-256 over the rows
in key order with every value normalised to text (``checksum``). Text keys are ordered by their
bytes on both sides (SQLite's BINARY collation; ``COLLATE "C"`` on PostgreSQL) so the order does
not depend on the server's locale.

The source is opened read-only and never changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui_desk.store.db import Database, latest_version, migrate
from tui_desk.store.dialect import POSTGRESQL, SQLITE
from tui_desk.store.errors import StoreError

BATCH_ROWS = 5000
# Tables the engines keep for themselves, never copied.
_SKIP = {"schema_version"}

Progress = Callable[[str, int, int], None]   # (table, rows done, rows in the table)


class CopyError(StoreError):
    """The copy cannot start or did not verify; the message says why (Dutch)."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]               # the order of the rows (primary key, else all columns)
    text_key: tuple[bool, ...]         # which key columns are text (ordered by bytes)


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


@dataclass(frozen=True)
class CopyResult:
    tables: tuple[TableCheck, ...]

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


# -- the source --------------------------------------------------------------------------------
def open_source(path: Path) -> Database:
    """The SQLite database at ``path``, read-only, at this program's schema version."""
    from tui_desk.store.backup import connect_read_only

    if not path.is_file():
        raise CopyError(f"De database {path} bestaat niet.")
    try:
        conn = connect_read_only(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise CopyError(f"{path} is niet te lezen als SQLite-database: {exc}.") from None
    conn.row_factory = sqlite3.Row
    source = Database(conn, path)
    latest = latest_version(SQLITE)
    if version != latest:
        source.close()
        raise CopyError(
            f"{path} heeft schemaversie {version}, deze versie van tui-desk schrijft {latest}. "
            "Start tui-desk eerst één keer met deze database (dan wordt hij bijgewerkt), "
            "of gebruik dezelfde versie van tui-desk als die de database schreef.")
    return source


def source_tables(source: Database) -> list[Table]:
    """The source's tables in foreign-key order (referred-to tables first)."""
    names = [r["name"] for r in source.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    names = [n for n in names if n not in _SKIP]
    refers: dict[str, set[str]] = {}
    tables: dict[str, Table] = {}
    for name in names:
        info = source.all(f'PRAGMA table_info("{name}")')
        columns = tuple(r["name"] for r in info)
        pk = sorted((r["pk"], r["name"]) for r in info if r["pk"])
        key = tuple(n for _, n in pk) or columns
        types = {r["name"]: (r["type"] or "").upper() for r in info}
        text_key = tuple("INT" not in types[k] for k in key)
        tables[name] = Table(name, columns, key, text_key)
        refers[name] = {r["table"] for r in source.all(f'PRAGMA foreign_key_list("{name}")')
                        if r["table"] != name}
    ordered: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path:
            return
        for parent in sorted(refers.get(name, ())):
            if parent in tables:
                visit(parent, (*path, name))
        done.add(name)
        ordered.append(name)

    for name in names:
        visit(name, ())
    return [tables[n] for n in ordered]


# -- the target --------------------------------------------------------------------------------
def target_tables(target: Database) -> set[str]:
    return {r["table_name"] for r in target.all(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")}


def check_target(target: Database) -> None:
    """Refuse a target with data, or with a schema of another version (see the module)."""
    target.dialect.require(POSTGRESQL.name, "Kopiëren naar een database")
    version = target.version
    latest = latest_version(POSTGRESQL)
    where = target.where
    if version == 0:
        if target_tables(target):
            raise CopyError(f"{where} bevat al tabellen (maar geen tui-desk-schema); kopieer "
                            "alleen naar een nieuwe, lege database (createdb).")
        return
    if version != latest:
        raise CopyError(f"{where} heeft al een tui-desk-schema van een andere versie "
                        f"({version}, deze versie schrijft {latest}); kopieer alleen naar een "
                        "nieuwe, lege database.")
    for table in sorted(target_tables(target) - _SKIP):
        if target.scalar(f'SELECT 1 FROM "{table}" LIMIT 1') is not None:
            raise CopyError(f"{where} is niet leeg (tabel {table} heeft al rijen); kopieer "
                            "alleen naar een nieuwe, lege database.")


def copy_database(source: Database, target: Database, *,
                  progress: Progress | None = None) -> CopyResult:
    """Copy every table of ``source`` (SQLite) into ``target`` (PostgreSQL) and verify it, in
    one transaction on the target (see the module); raises CopyError on a refusal or a
    difference (then nothing was written)."""
    check_target(target)
    tables = source_tables(source)
    with target.transaction():
        migrate(target)
        missing = {t.name for t in tables} - target_tables(target)
        if missing:
            raise CopyError("De PostgreSQL-migraties maken niet dezelfde tabellen als de "
                            f"SQLite-database (ontbreekt: {', '.join(sorted(missing))}).")
        # Rows the migrations seeded (settings) are replaced by the source's own.
        for table in reversed(tables):
            target.execute(f'DELETE FROM "{table.name}"')
        for table in tables:
            _copy_table(source, target, table, progress)
        set_identities(target)
        result = verify(source, target, tables)
        bad = [t for t in result.tables if not t.ok]
        if bad:
            raise CopyError(difference_message(bad))
    return result


def _copy_table(source: Database, target: Database, table: Table,
                progress: Progress | None) -> None:
    total = int(source.scalar(f'SELECT count(*) FROM "{table.name}"') or 0)
    columns = ", ".join(f'"{c}"' for c in table.columns)
    marks = ", ".join("?" * len(table.columns))
    insert = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    done = 0
    if progress:
        progress(table.name, 0, total)
    for batch in batches(source, table):
        target.executemany(insert, [tuple(row) for row in batch])
        done += len(batch)
        if progress:
            progress(table.name, done, total)


def set_identities(target: Database) -> None:
    """Every identity column's next value past the highest id in its table."""
    for row in target.all(
            "SELECT c.relname AS tbl, a.attname AS col FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND a.attidentity <> '' AND NOT a.attisdropped "
            "ORDER BY 1, 2"):
        table, column = row["tbl"], row["col"]
        highest = target.scalar(f'SELECT max("{column}") FROM "{table}"')
        called = "true" if highest is not None else "false"   # false: the next is this one
        target.execute(f"SELECT setval(pg_get_serial_sequence(?, ?), {int(highest or 1)}, "
                       f"{called})", (f'"{table}"', column))


# -- reading in key order, checksums -------------------------------------------------------------
def _order(db: Database, table: Table) -> list[str]:
    if db.dialect.is_postgresql:
        return [f'"{k}" COLLATE "C"' if text else f'"{k}"'
                for k, text in zip(table.key, table.text_key, strict=True)]
    return [f'"{k}"' for k in table.key]


def batches(db: Database, table: Table, size: int = BATCH_ROWS) -> Iterator[list[Any]]:
    """The rows of ``table`` in key order, ``size`` at a time (keyset pagination: each batch
    starts after the last key of the one before, so a large table is never held at once)."""
    columns = ", ".join(f'"{c}"' for c in table.columns)
    order = _order(db, table)
    positions = [table.columns.index(k) for k in table.key]
    head = f'SELECT {columns} FROM "{table.name}"'
    tail = f" ORDER BY {', '.join(order)} LIMIT {int(size)}"
    if len(table.key) != len(table.columns):
        after = f" WHERE ({', '.join(order)}) > ({', '.join('?' * len(order))})"
    else:
        after = None                   # no primary key: one batch (small tables only)
        tail = f" ORDER BY {', '.join(order)}"
    rows = db.all(head + tail)
    while rows:
        yield rows
        if after is None or len(rows) < size:
            return
        last = rows[-1]
        rows = db.all(head + after + tail, tuple(last[p] for p in positions))


def _text(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "x" + bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value                       # int, str, None: JSON writes them unambiguously


def checksum(db: Database, table: Table) -> tuple[int, str]:
    """(rows, SHA-256 hex) of ``table`` in key order, each row as a JSON list of its values
    normalised to text (bytes as hex, floats by repr); the same on both engines."""
    digest = hashlib.sha256()
    count = 0
    for batch in batches(db, table):
        for row in batch:
            digest.update(json.dumps([_text(v) for v in row], ensure_ascii=False).encode())
            digest.update(b"\n")
            count += 1
    return count, digest.hexdigest()


def verify(source: Database, target: Database,
           tables: Sequence[Table] | None = None) -> CopyResult:
    """Row count and checksum of every table on both sides."""
    checks = []
    for table in tables if tables is not None else source_tables(source):
        rows_s, sum_s = checksum(source, table)
        rows_t, sum_t = checksum(target, table)
        checks.append(TableCheck(table.name, rows_s, rows_t, sum_s, sum_t))
    return CopyResult(tuple(checks))


def difference_message(bad: Sequence[TableCheck]) -> str:
    parts = [f"{t.table} ({t.source_rows} → {t.target_rows} rijen)"
             if t.source_rows != t.target_rows else f"{t.table} (andere inhoud)" for t in bad]
    return ("De kopie verschilt van het origineel: " + ", ".join(parts)
            + ". Er is niets gekopieerd.")


@contextlib.contextmanager
def opened_source(path: Path) -> Iterator[Database]:
    source = open_source(path)
    try:
        yield source
    finally:
        source.close()


@contextlib.contextmanager
def opened_target(url: str) -> Iterator[Database]:
    """The PostgreSQL database at ``url`` as it is: not migrated, not marked (the copy does
    both, in its transaction)."""
    from tui_desk.store.db import is_url

    if not is_url(url):
        raise CopyError(f"{url} is geen PostgreSQL-adres (postgresql://…).")
    from tui_desk.store.pg_backend import PgDatabase, connect

    target = PgDatabase(connect(url), url)
    try:
        yield target
    finally:
        target.close()
