"""The PostgreSQL backend: ``Database`` on a psycopg 3 connection (issue 17).

Opened by ``store.db.open_database`` with a ``postgresql://`` URL; the only module that imports
psycopg (a noticeable part of a second: a counter program on SQLite never pays it).

What it keeps equal to the SQLite backend, so that store code runs unchanged:

- Placeholders ``?`` and ``:name`` (translated once per SQL text, ``store.dialect``).
- Rows (``PgRow``): ``row["col"]`` (case-insensitive, like ``sqlite3.Row``), ``row[0]``, ``len``,
  iteration and ``keys()``. Values as SQLite gives them: booleans as 0/1, an integral NUMERIC
  (a SUM of BIGINT) as ``int``, another as ``float``; dates stay ISO text (contract 4), and a
  ``date``/``datetime`` parameter is sent as ISO text as sqlite3 does.
- Transactions: autocommit outside ``transaction()``; inside it READ COMMITTED with the row
  locks and constraints the statements take. A lock another counter holds is waited for at most
  ``busy_wait`` seconds (``lock_timeout``), then ``DatabaseBusy`` with the same message; the
  ``on_wait`` callback is told once when a statement has waited ``WAIT_NOTICE_SECONDS``.
  Deadlocks and serialization failures come up as ``WriteConflict`` (``Database.retrying``).
- Errors: psycopg's are translated to the StoreError family (``store.errors.pg_store_error``).
- Schema version: a one-row ``schema_version`` table; two processes migrating at once take
  turns (a transaction-level advisory lock).
- A connection the server dropped is made again at the next statement outside a transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from tui_desk.store.db import Database, StoreError, prepare
from tui_desk.store.dialect import POSTGRESQL, to_pyformat
from tui_desk.store.errors import CANNOT_OPEN_MESSAGE, pg_translated

# A statement inside a write that has not finished after this long is taken to wait for another
# counter's row lock: the screen says so ("Even wachten…").
WAIT_NOTICE_SECONDS = 0.25
CONNECT_TIMEOUT_SECONDS = 10
# Two migrating processes take turns on this advisory lock (any fixed number).
_MIGRATION_LOCK = 0x7475_6964_6573_6B  # "tuidesk"


_OPEN = (TransactionStatus.INTRANS, TransactionStatus.INERROR, TransactionStatus.ACTIVE)


# -- rows ------------------------------------------------------------------------------------
class PgRow(tuple):
    """A result row that behaves like ``sqlite3.Row`` (see the module)."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lower()])
            except KeyError:
                raise IndexError("No item with that key") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_ROW_CLASSES: dict[tuple[str, ...], type[PgRow]] = {}


def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            index.setdefault(name.lower(), i)   # the first of two equal names, as sqlite3.Row
        cls = type("PgRow", (PgRow,), {"_names": names, "_index": index})
        _ROW_CLASSES[names] = cls
    return cls


def pg_row(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    """psycopg row factory: rows of one result share a class that knows the column names."""
    description = cursor.description
    if description is None:
        return tuple  # type: ignore[return-value]  # no result: never called
    cls = _row_class(tuple(c.name for c in description))
    return cls


# -- values as SQLite gives and takes them ---------------------------------------------------
class _BoolAsInteger(Dumper):
    """True/False into the INTEGER 0/1 columns (contract 4: booleans stay integers)."""

    oid = psycopg.postgres.types["int4"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _IsoText(Dumper):
    """A date or datetime as ISO text, as sqlite3's default adapters send it."""

    oid = 0  # unknown: the column's type decides (TEXT in this schema)

    def dump(self, obj: Any) -> bytes:
        if isinstance(obj, dt.datetime):
            return obj.isoformat(" ").encode()
        return cast(dt.date, obj).isoformat().encode()


class _IntegerOrFloat(Loader):
    """NUMERIC as SQLite would give it: an integral value (SUM of BIGINT) as int."""

    def load(self, data: Any) -> Any:
        text = bytes(data)
        if b"." in text or b"e" in text.lower() or b"N" in text:
            return float(text)
        return int(text)


class _BoolLoader(Loader):
    """A boolean result (``EXISTS``, a comparison) as SQLite's 0/1."""

    def load(self, data: Any) -> Any:
        return 1 if bytes(data) == b"t" else 0


def _adapt(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInteger)
    conn.adapters.register_dumper(dt.date, _IsoText)
    conn.adapters.register_dumper(dt.datetime, _IsoText)
    conn.adapters.register_loader("numeric", _IntegerOrFloat)
    conn.adapters.register_loader("bool", _BoolLoader)


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection in autocommit mode with the adapters above."""
    options: dict[str, Any] = {"application_name": "tui-desk"}
    if "connect_timeout" not in url:
        options["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    with pg_translated():
        conn = psycopg.connect(url, autocommit=True, row_factory=pg_row, **options)
    _adapt(conn)
    return conn


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


# -- the database ----------------------------------------------------------------------------
class PgDatabase(Database):
    """``Database`` on PostgreSQL (see the module)."""

    dialect = POSTGRESQL

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        super().__init__(conn, None)
        self.url = url
        self._applied_wait: float | None = None
        self._told = False

    @property
    def where(self) -> str:
        return redacted(self.url)

    # -- statements ---------------------------------------------------------------------------
    def _cursor(self, sql: str, params: tuple | dict | Sequence[Any]) -> psycopg.Cursor[Any]:
        """Run one statement (the caller holds ``lock``); the rows are fetched already."""
        if not self.in_transaction and self.conn.broken:
            self.conn = connect(self.url)         # the server dropped us between two actions
            self._applied_wait = None
        timer = self._watch()
        try:
            cursor = self.conn.cursor()
            if params:
                cursor.execute(to_pyformat(sql), params)
            else:
                cursor.execute(sql.encode())  # bytes: no placeholders, no prepared statement
            return cursor
        finally:
            if timer is not None:
                timer.cancel()

    def execute(self, sql: str, params: tuple | dict = ()) -> Any:
        with self.lock, pg_translated():
            return self._cursor(sql, params)

    def insert(self, sql: str, params: tuple | dict = ()) -> int:
        with self.lock, pg_translated():
            cursor = self._cursor(sql, params)
            row = cursor.fetchone() if cursor.description else None
        if row is None:
            raise StoreError("De nieuwe regel is niet opgeslagen (INSERT zonder RETURNING id).")
        return int(row[0])

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        with self.lock, pg_translated():
            cursor = self.conn.cursor()
            cursor.executemany(to_pyformat(sql), rows)
            return cursor

    def one(self, sql: str, params: tuple | dict = ()) -> Any:
        with self.lock, pg_translated():
            return self._cursor(sql, params).fetchone()

    def all(self, sql: str, params: tuple | dict = ()) -> Any:
        with self.lock, pg_translated():
            return self._cursor(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        with self.lock, pg_translated():
            row = self._cursor(sql, params).fetchone()
        return None if row is None else row[0]

    # -- transactions -------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        # UNKNOWN (a lost connection) is no open transaction: there is nothing left to commit.
        return self.conn.info.transaction_status in _OPEN

    # ``transaction()`` is Database's: BEGIN (READ COMMITTED, see ``_begin``), commit on
    # success, roll back on any error, nested use joins the outer transaction. Waiting for
    # another counter's row lock is bounded by ``busy_wait`` (``lock_timeout``) and told to
    # ``on_wait`` (see the module).
    def _commit(self) -> None:
        with pg_translated():
            self.conn.execute(b"COMMIT")

    def _begin(self) -> None:
        """Take the connection's lock and open the transaction (returns holding the lock)."""
        self.lock.acquire()
        try:
            with pg_translated():
                if self.conn.broken:
                    self.conn = connect(self.url)
                    self._applied_wait = None
                if self._applied_wait != self.busy_wait:
                    milliseconds = max(1, int(self.busy_wait * 1000))
                    self.conn.execute(f"SET lock_timeout = {milliseconds}".encode())
                    self._applied_wait = self.busy_wait
                self.conn.execute(b"BEGIN ISOLATION LEVEL READ COMMITTED")
            self._told = False
        except BaseException:
            self.lock.release()
            raise

    def _rollback(self) -> None:
        if self.in_transaction and not self.conn.broken:
            with contextlib.suppress(psycopg.Error):
                self.conn.execute(b"ROLLBACK")

    def _watch(self) -> threading.Timer | None:
        """A timer that tells ``on_wait`` when the coming statement of a write takes long."""
        callback = self.on_wait
        if callback is None or self._told or not self.in_transaction:
            return None

        def tell() -> None:
            self._told = True
            callback()

        timer = threading.Timer(WAIT_NOTICE_SECONDS, tell)
        timer.daemon = True
        timer.start()
        return timer

    def close(self) -> None:
        self.conn.close()

    # -- metadata ----------------------------------------------------------------------------
    @property
    def version(self) -> int:
        if self.scalar("SELECT to_regclass('schema_version')") is None:
            return 0
        return int(self.scalar("SELECT version FROM schema_version") or 0)

    def set_version(self, number: int) -> None:
        self.execute("UPDATE schema_version SET version = ?", (int(number),))

    def run_script(self, sql: str) -> None:
        # One simple query: PostgreSQL runs the statements in order (inside the transaction),
        # dollar-quoted function bodies included.
        self.execute(sql)

    def lock_schema(self) -> None:
        self.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        if self.scalar("SELECT count(*) FROM schema_version") == 0:
            self.execute("INSERT INTO schema_version(version) VALUES (0)")


def open_postgresql(url: str, *, environment: str, create: bool = True) -> PgDatabase:
    """The PostgreSQL database ``url`` names, migrated and checked like an SQLite file."""
    db = PgDatabase(connect(url), url)
    try:
        if not create and db.version == 0:
            raise StoreError(f"{db.where} heeft nog geen tui-desk-gegevens. {CANNOT_OPEN_MESSAGE}")
        prepare(db, environment)
    except BaseException:
        db.close()
        raise
    return db
