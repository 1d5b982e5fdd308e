"""Opening the database: WAL, busy timeout, foreign keys, migrations, environment marker."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from tui_desk.errors import DeskError

BUSY_TIMEOUT_MS = 5000
# How long a write transaction keeps trying to begin before the person gets a message.
WRITE_RETRY_SECONDS = 15.0

PRODUCTION = "production"
DEMO = "demo"


class StoreError(DeskError):
    """A database problem explained in words for the person at the desk or the administrator."""


class DatabaseBusy(StoreError):
    pass


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped in ``store/migrations``, in order."""
    found = []
    folder = resources.files("tui_desk.store").joinpath("migrations")
    for entry in folder.iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"migrations are not numbered 1..n: {numbers}")
    return found


def latest_version() -> int:
    return len(migrations())


class Database:
    """One connection to the tui-desk SQLite file.

    The connection runs in autocommit mode; ``transaction()`` opens an IMMEDIATE transaction so
    that a write never fails half-way on a lock taken by another counter.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path

    # -- low level -------------------------------------------------------------------------
    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE with a bounded retry; commit on success, roll back on any error."""
        if self.conn.in_transaction:
            # Nested use joins the outer transaction: one business action, one commit.
            yield self
            return
        deadline = time.monotonic() + WRITE_RETRY_SECONDS
        delay = 0.01
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        "De database is bezet door een andere balie. Probeer het zo opnieuw."
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # -- metadata ----------------------------------------------------------------------------
    @property
    def version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

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
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Erased personal data is overwritten with zeros, not left in free pages (AVG).
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def migrate(db: Database) -> int:
    """Bring the schema to the latest version; returns how many migrations ran."""
    steps = migrations()
    current = db.version
    if current > len(steps):
        raise StoreError(
            f"Deze database ({db.path}) is geschreven door een nieuwere versie van tui-desk "
            f"(schema {current}, deze versie kent t/m {len(steps)}). "
            "Installeer de nieuwste versie; de database is niet aangeraakt."
        )
    ran = 0
    for number, _name, sql in steps[current:]:
        with db.transaction():
            # executescript would commit on its own; run statement by statement instead.
            for statement in _split_sql(sql):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        ran += 1
    return ran


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
    """Open (and if allowed create) the database and migrate it.

    ``environment`` is ``production`` or ``demo``; a file marked as the other one is refused, so
    that a training session can never write into the real customer file, nor the reverse.
    """
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
        conn = _connect_raw(":memory:" if memory else p)
        if not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"Database {p} kan niet in WAL-modus (modus: {mode}).")
            conn.execute("PRAGMA synchronous = NORMAL")
    finally:
        os.umask(old_umask)
    db = Database(conn, p)
    try:
        marker = _environment_of(db)
        if marker is not None and marker != environment:
            raise StoreError(_wrong_environment(p, marker, environment))
        migrate(db)
        if db.environment is None:
            with db.transaction():
                db.set_setting("environment", environment)
        elif db.environment != environment:
            raise StoreError(_wrong_environment(p, db.environment, environment))
    except BaseException:
        conn.close()
        raise
    return db


def _environment_of(db: Database) -> str | None:
    if db.version == 0:
        return None
    try:
        return db.environment
    except sqlite3.OperationalError:
        return None


def _wrong_environment(path: Path | None, found: str, wanted: str) -> str:
    if found == DEMO:
        return (
            f"{path} is de oefendatabase (OEFENOMGEVING) en kan niet als productiedatabase "
            "worden geopend. Start met --demo, of kies met --db de echte database."
        )
    return (
        f"{path} is een productiedatabase en kan niet als oefendatabase worden geopend. "
        "Kies voor de oefenomgeving een eigen bestand."
    )
