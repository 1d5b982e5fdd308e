"""Opening the database: WAL, busy timeout, foreign keys, migrations, environment marker.

Two engines behind one ``Database`` API (issue 17): an SQLite file (``open_database(path)``,
the default, the demo and the quick start) or a PostgreSQL server (``open_database(url)`` with a
``postgresql://`` URL; ``store.pg_backend``, which alone imports psycopg). Store code writes its
SQL once (``store.dialect``); the differences between the engines are listed there.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from tui_desk.store.dialect import POSTGRESQL_NAME, SQLITE, Dialect
from tui_desk.store.errors import (  # noqa: F401 - re-exported: callers import them from store.db
    BUSY_MESSAGE,
    CANNOT_OPEN_MESSAGE,
    DAMAGED_MESSAGE,
    FULL_MESSAGE,
    IO_MESSAGE,
    READ_ONLY_MESSAGE,
    DatabaseBusy,
    DatabaseUnavailable,
    DiskFull,
    DuplicateRecord,
    ReadOnlyDatabase,
    StoreError,
    WriteConflict,
    store_error,
    translated,
)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
# How long a write transaction keeps trying to begin before the person gets a message
# (``Database.busy_wait``; the counter program sets it from ``[database] busy_wait``).
WRITE_RETRY_SECONDS = 10.0
# One try at the write lock: short, so that the connection is free for reads in between and a
# screen that reads while a save waits for another counter never stalls.
_TRY_MS = 0

PRODUCTION = "production"
DEMO = "demo"
# The line in a migration that rebuilds a table with foreign keys pointing to it.
FOREIGN_KEYS_OFF = "-- foreign_keys: off"
# How often ``Database.retrying`` runs a write action that PostgreSQL gave up (a deadlock or a
# serialization failure) before the person gets the busy message.
RETRY_ATTEMPTS = 5
URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(target: Path | str) -> bool:
    """Whether ``target`` names a PostgreSQL server (a URL) rather than an SQLite file."""
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def migration_folder(dialect: Dialect = SQLITE) -> Traversable:
    """``store/migrations`` (SQLite) or ``store/migrations/postgresql`` (same numbers, names)."""
    folder = resources.files("tui_desk.store").joinpath("migrations")
    if dialect.name == POSTGRESQL_NAME:
        folder = folder.joinpath("postgresql")
    return folder


def migrations(dialect: Dialect = SQLITE) -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped for the engine, in order."""
    found = []
    folder = migration_folder(dialect)
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"migrations are not numbered 1..n: {numbers}")
    return found


def latest_version(dialect: Dialect = SQLITE) -> int:
    return len(migrations(dialect))


class Database:
    """One connection to the tui-desk database: the SQLite file (this class) or, in the
    subclass ``store.pg_backend.PgDatabase``, a PostgreSQL server.

    The connection runs in autocommit mode; ``transaction()`` opens an IMMEDIATE transaction so
    that a write never fails half-way on a lock taken by another counter.
    """

    dialect: Dialect = SQLITE

    def __init__(self, conn: Any, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        # The counter program runs writes on a worker thread while its screen keeps reading on
        # the event loop; one connection, so one thread at a time uses it: a statement (with its
        # fetch) or a whole write transaction holds this lock. Waiting for another counter's
        # write lock happens *outside* it (see ``transaction``).
        self.lock = threading.RLock()
        self.busy_wait = WRITE_RETRY_SECONDS
        # Called (from the waiting thread) when a write has to wait for another counter, so the
        # screen can say so at once; set by the one who starts the write.
        # Who is told that a write waits for another counter: per thread, as two workers may
        # write (and wait) at once, each for its own screen.
        self._waiters = threading.local()

    # -- low level -------------------------------------------------------------------------
    # SQLite errors that mean something at the desk (busy, full, read-only, a duplicate) are
    # raised as StoreError (``store_error``); the rest stay what they are: bugs.
    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self.lock, translated():
            return self.conn.execute(sql, params)

    def insert(self, sql: str, params: tuple | dict = ()) -> int:
        """Run an ``INSERT ... RETURNING id`` and return the id of the row it made (the first
        column of the first row it returns)."""
        with self.lock, translated():
            cursor = self.conn.execute(sql, params)
            row = cursor.fetchone() if cursor.description else None
        if row is not None:
            return int(row[0])
        # An INSERT without RETURNING (SQLite only; PostgreSQL needs RETURNING).
        if cursor.lastrowid is None:  # pragma: no cover - set after every INSERT of one row
            raise StoreError("De nieuwe regel is niet opgeslagen.")
        return cursor.lastrowid

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        with self.lock, translated():
            return self.conn.executemany(sql, rows)

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        with self.lock, translated():
            return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self.lock, translated():
            return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        with self.lock, translated():
            row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE with a bounded wait; commit on success, roll back on any error.

        While another process holds the write lock, the lock is tried again every few
        milliseconds for at most ``busy_wait`` seconds, with the connection free in between (a
        screen reading on the event loop is never held up); ``on_wait`` is told once. Then
        ``DatabaseBusy``, with nothing written.
        """
        with self.lock:
            if self.in_transaction:
                # Nested use joins the outer transaction: one business action, one commit.
                yield self
                return
        self._begin()
        try:
            yield self
        except BaseException:
            self._rollback()
            self.lock.release()
            raise
        else:
            try:
                self._commit()
            except BaseException:
                self._rollback()
                raise
            finally:
                self.lock.release()

    def _commit(self) -> None:
        with translated():
            self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk does): never hide the cause.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection (a caller's business action)."""
        return bool(self.conn.in_transaction)

    def retrying(self, work: Callable[[], T], *, attempts: int = RETRY_ATTEMPTS) -> T:
        """Run ``work`` (a whole write action: it opens its own transaction) and run it again
        when the engine gave it up for another one (``WriteConflict``: a PostgreSQL deadlock or
        serialization failure; nothing was written). After ``attempts`` tries the conflict goes
        up as the busy message. Inside a caller's transaction there is nothing to retry here:
        the caller's own ``retrying`` runs the whole action again."""
        attempt = 1
        while True:
            try:
                return work()
            except WriteConflict:
                if attempt >= attempts or self.in_transaction:
                    raise
            time.sleep(random.uniform(0.0, 0.005 * 2 ** attempt))
            attempt += 1

    @property
    def where(self) -> str:
        """The database for a message: the file, or the server without password."""
        return str(self.path) if self.path is not None else ":memory:"

    @property
    def on_wait(self) -> Callable[[], None] | None:
        """Called once when a write of this thread starts to wait for another counter."""
        return getattr(self._waiters, "callback", None)

    @on_wait.setter
    def on_wait(self, callback: Callable[[], None] | None) -> None:
        self._waiters.callback = callback

    def _begin(self) -> None:
        """Take the connection's lock and SQLite's write lock (returns holding both)."""
        deadline = time.monotonic() + self.busy_wait
        delay = 0.005
        told = False
        while True:
            self.lock.acquire()
            try:
                self.conn.execute(f"PRAGMA busy_timeout = {_TRY_MS}")
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                finally:
                    self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            except sqlite3.OperationalError as exc:
                self.lock.release()
                error = store_error(exc)
                if not isinstance(error, DatabaseBusy):
                    if error is None:
                        raise
                    raise error from exc
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        "De database is bezet door een andere balie. Wat u typte is bewaard; "
                        "probeer het zo opnieuw."
                    ) from exc
                if not told and self.on_wait is not None:  # this thread's
                    told = True
                    self.on_wait()
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
            except BaseException:
                self.lock.release()
                raise

    def close(self) -> None:
        self.conn.close()

    # -- metadata ----------------------------------------------------------------------------
    @property
    def version(self) -> int:
        """The schema version: the number of the last migration that ran."""
        return int(self.scalar("PRAGMA user_version"))

    def set_version(self, number: int) -> None:
        """Record the schema version (inside the migration's transaction)."""
        self.execute(f"PRAGMA user_version = {int(number)}")

    def run_script(self, sql: str) -> None:
        """Run a migration's statements one by one, inside the caller's transaction."""
        # executescript would commit on its own; run statement by statement instead.
        for statement in _split_sql(sql):
            self.execute(statement)

    def lock_schema(self) -> None:
        """Keep other processes from migrating at the same moment (inside the migration's
        transaction; SQLite's write lock already does)."""

    def setting(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM settings WHERE key = ?", (key,))

    def set_setting(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def environment(self) -> str | None:
        return self.setting("environment")


def _connect_raw(path: Path | str) -> sqlite3.Connection:
    with translated():
        return _connect(path)


def _connect(path: Path | str) -> sqlite3.Connection:
    # check_same_thread=False: the counter program saves on a worker thread (Database.lock
    # keeps the threads from using the connection at the same moment).
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Erased personal data is overwritten with zeros, not left in free pages (AVG).
    conn.execute("PRAGMA secure_delete = ON")
    # Migrations that recompute search keys call the same function the program uses.
    conn.create_function("tui_search_key", 1, _search_key, deterministic=True)
    return conn


def _search_key(surname: str | None) -> str:
    from tui_desk.rules.names import search_key

    return search_key(surname or "")


def migrate(db: Database, steps: list[tuple[int, str, str]] | None = None) -> int:
    """Bring the schema to the latest version of the engine's series (or to the last of
    ``steps``); returns how many migrations ran."""
    steps = migrations(db.dialect) if steps is None else steps
    current = db.version
    if current > len(steps):
        raise StoreError(
            f"Deze database ({db.where}) is geschreven door een nieuwere versie van tui-desk "
            f"(schema {current}, deze versie kent t/m {len(steps)}). "
            "Installeer de nieuwste versie; de database is niet aangeraakt."
        )
    ran = 0
    for number, _name, sql in steps[current:]:
        apply_migration(db, number, sql, unless_done=True)
        ran += 1
    return ran


def apply_migration(db: Database, number: int, sql: str, *, unless_done: bool = False) -> None:
    """Run one migration in one transaction and set the schema version to ``number``.

    ``unless_done``: skip it when the schema is already at ``number`` by the time the write
    lock is held (another process, e.g. two trainees starting on a new template at once, ran
    it meanwhile)."""
    # A migration that rebuilds a table other tables refer to says so with this line: it
    # runs with foreign keys off (SQLite's "12 steps" for a schema change), and is checked
    # with foreign_key_check before it commits.
    # (PostgreSQL checks foreign keys at the end of the transaction: nothing to switch off.)
    rebuild = db.dialect.is_sqlite and FOREIGN_KEYS_OFF in sql.splitlines()
    if rebuild:
        db.execute("PRAGMA foreign_keys = OFF")    # only possible outside a transaction
    try:
        with db.transaction():
            db.lock_schema()
            if unless_done and db.version >= number:
                return
            db.run_script(sql)
            if rebuild and db.all("PRAGMA foreign_key_check"):
                raise StoreError(f"Migratie {number} laat verwijzingen achter die nergens "
                                 "meer naar wijzen; de database is niet gewijzigd.")
            db.set_version(number)
    finally:
        if rebuild:
            db.execute("PRAGMA foreign_keys = ON")


def _split_sql(sql: str) -> list[str]:
    statements, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def open_database(path: Path | str, *, environment: str, create: bool = True) -> Database:
    """Open (and if allowed create) the database and migrate it: an SQLite file, or with a
    ``postgresql://`` URL the PostgreSQL database it names (which the administrator made;
    ``create=False``: one without tui-desk's schema is refused).

    ``environment`` is ``production`` or ``demo``; a database marked as the other one is
    refused, so that a training session can never write into the real customer file, nor the
    reverse.
    """
    if is_url(path):
        from tui_desk.store.pg_backend import open_postgresql

        return open_postgresql(str(path), environment=environment, create=create)
    memory = str(path) == ":memory:"
    p = None if memory else Path(path)
    if p is not None:
        if not p.exists():
            if not create:
                raise StoreError(f"Database {p} bestaat niet.")
            p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Personal data: the file and its WAL/SHM companions are for the owner only.
            old = os.umask(0o077)
            try:
                _connect_raw(p).close()
            finally:
                os.umask(old)
    old_umask = os.umask(0o077)
    try:
        conn = _connect_raw(p or ":memory:")
        if not memory:
            with translated():
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"Database {p} kan niet in WAL-modus (modus: {mode}).")
            conn.execute("PRAGMA synchronous = NORMAL")
    finally:
        os.umask(old_umask)
    db = Database(conn, p)
    try:
        prepare(db, environment)
    except BaseException:
        conn.close()
        raise
    return db


def prepare(db: Database, environment: str) -> None:
    """Check the environment marker, migrate, and mark a new database (both engines)."""
    marker = _environment_of(db)
    if marker is not None and marker != environment:
        raise StoreError(_wrong_environment(db.where, marker, environment))
    migrate(db)
    if db.environment is None:
        with db.transaction():
            db.set_setting("environment", environment)
    elif db.environment != environment:
        raise StoreError(_wrong_environment(db.where, db.environment, environment))


def _environment_of(db: Database) -> str | None:
    if db.version == 0:
        return None
    try:
        return db.environment
    except sqlite3.OperationalError:
        return None


def _wrong_environment(path: Path | str | None, found: str, wanted: str) -> str:
    if found == DEMO:
        return (
            f"{path} is de oefendatabase (OEFENOMGEVING) en kan niet als productiedatabase "
            "worden geopend. Start met --demo, of kies met --db de echte database."
        )
    return (
        f"{path} is een productiedatabase en kan niet als oefendatabase worden geopend. "
        "Kies voor de oefenomgeving een eigen bestand."
    )
