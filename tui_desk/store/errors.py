"""What the database engines' errors mean for the person at the desk: the StoreError family
with its Dutch messages, and the one place that translates an ``sqlite3.Error`` (``translated``)
or a ``psycopg.Error`` (``pg_translated``; psycopg is imported only by the PostgreSQL backend).
``store.db`` re-exports them."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from tui_desk.errors import DeskError


class StoreError(DeskError):
    """A database problem explained in words for the person at the desk or the administrator."""


class DatabaseBusy(StoreError):
    """Another counter holds the write lock longer than we wait."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full: nothing could be saved."""


class ReadOnlyDatabase(StoreError):
    """The database file (or its folder) cannot be written."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened, is damaged, or the disk gives read/write errors."""


class DuplicateRecord(StoreError):
    """A value that must be unique (a username, a login, a card number) exists already."""


class WriteConflict(DatabaseBusy):
    """PostgreSQL gave up one of two transactions that got in each other's way (a deadlock or a
    serialization failure): nothing was written, and the whole action can simply run again
    (``Database.retrying`` does that; only when the retries run out does the person see the busy
    message)."""


class BackupError(StoreError):
    """The backup could not be made or did not check out; the message says why, in Dutch."""


BUSY_MESSAGE = "De database is bezet door een andere balie. Probeer het zo opnieuw."
FULL_MESSAGE = ("De schijf is vol: er kon niets worden opgeslagen. Waarschuw de beheerder "
                "(ruimte maken op de server).")
READ_ONLY_MESSAGE = ("De database is alleen-lezen: er kon niets worden opgeslagen. Waarschuw de "
                     "beheerder (rechten van het databasebestand en zijn map).")
CANNOT_OPEN_MESSAGE = ("De database kan niet worden geopend (bestaat de map, zijn de rechten "
                       "goed?). Waarschuw de beheerder.")
DAMAGED_MESSAGE = ("De database is beschadigd of geen tui-desk-database. Waarschuw de "
                   "beheerder: 'tui-desk doctor' zegt meer, een reservekopie terugzetten helpt.")
IO_MESSAGE = ("De database kan niet worden gelezen of geschreven (schijffout). Waarschuw de "
              "beheerder.")
SERVER_GONE_MESSAGE = ("De databaseserver is niet bereikbaar. Wat u typte is bewaard; probeer "
                       "het zo opnieuw of waarschuw de beheerder.")
RIGHTS_MESSAGE = ("De database weigert deze handeling (rechten van de databasegebruiker). "
                  "Waarschuw de beheerder.")
# UNIQUE constraint failed: <table>.<column> -> what it means at the desk
_DUPLICATES = {
    "staff.username": "Er is al een medewerker met deze gebruikersnaam.",
    "staff.login": "Er is al een medewerker met deze login.",
}

# SQLite's primary result codes (https://sqlite.org/rescode.html)
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_CONSTRAINT, _SQLITE_NOTADB = 19, 26
# Without a result code (an error made by hand, an old sqlite3 module): SQLite's own texts.
_BY_TEXT = (
    ("database is locked", _SQLITE_BUSY),
    ("database table is locked", _SQLITE_LOCKED),
    ("readonly database", _SQLITE_READONLY),
    ("database or disk is full", _SQLITE_FULL),
    ("unable to open database", _SQLITE_CANTOPEN),
    ("disk i/o error", _SQLITE_IOERR),
    ("malformed", _SQLITE_CORRUPT),
    ("file is not a database", _SQLITE_NOTADB),
    ("unique constraint failed", _SQLITE_CONSTRAINT),
)


def store_error(exc: sqlite3.Error) -> StoreError | None:
    """The StoreError (Dutch message) that an SQLite error means for the person at the desk,
    or None when it is not a condition of the database file (a bug: a wrong statement, a
    missing table): that stays an unexpected error.

    The one place where SQLite's errors are translated; ``Database`` uses it for every statement
    and transaction. The message holds no values, only what happened and what to do.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    if code is None:
        code = next((c for t, c in _BY_TEXT if t in text), None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusy(BUSY_MESSAGE)
    if primary == _SQLITE_FULL:
        return DiskFull(FULL_MESSAGE)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return ReadOnlyDatabase(READ_ONLY_MESSAGE)
    if primary == _SQLITE_CANTOPEN:
        return DatabaseUnavailable(CANNOT_OPEN_MESSAGE)
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseUnavailable(DAMAGED_MESSAGE)
    if primary == _SQLITE_IOERR:
        return DatabaseUnavailable(IO_MESSAGE)
    if primary == _SQLITE_CONSTRAINT and "unique constraint failed" in text:
        column = text.split("unique constraint failed:", 1)[1].split(",")[0].strip()
        return DuplicateRecord(_DUPLICATES.get(
            column, f"Dit gegeven bestaat al en mag maar één keer voorkomen ({column})."))
    return None


@contextlib.contextmanager
def _translating(engine_error: type[BaseException] | tuple[type[BaseException], ...],
                 to_store: Callable[[Any], StoreError | None]) -> Iterator[None]:
    """Turn an engine error that ``to_store`` knows into its StoreError; the rest stay bugs."""
    try:
        yield
    except engine_error as exc:
        error = to_store(exc)
        if error is None:
            raise
        raise error from exc


def translated() -> contextlib.AbstractContextManager[None]:
    """Turn an SQLite error that ``store_error`` knows into its StoreError."""
    return _translating(sqlite3.Error, store_error)


# PostgreSQL's SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_RETRY = {"40001", "40P01"}                          # serialization failure, deadlock
_PG_BUSY = {"55P03", "57014"}                           # lock_not_available, query_canceled
_PG_FULL = {"53100", "53200", "54000"}                  # disk_full, out_of_memory, limits
_PG_READ_ONLY = {"25006"}                               # read_only_sql_transaction
_PG_RIGHTS = {"42501"}                                  # insufficient_privilege
_PG_GONE_CLASSES = ("08", "57P", "58")                  # connection, shutdown, system errors


def pg_store_error(exc: BaseException) -> StoreError | None:
    """The StoreError a ``psycopg.Error`` means at the desk, or None for a bug (a wrong
    statement, a missing table). Like ``store_error``, the message names no values: PostgreSQL's
    DETAIL (which quotes the duplicate value) is never used."""
    import psycopg

    if not isinstance(exc, psycopg.Error):
        return None
    state = exc.sqlstate or ""
    if state in _PG_RETRY:
        return WriteConflict(BUSY_MESSAGE)
    if state in _PG_BUSY:
        return DatabaseBusy(BUSY_MESSAGE)
    if state in _PG_FULL:
        return DiskFull(FULL_MESSAGE)
    if state in _PG_READ_ONLY:
        return ReadOnlyDatabase(READ_ONLY_MESSAGE)
    if state in _PG_RIGHTS:
        return ReadOnlyDatabase(RIGHTS_MESSAGE)
    if state == "23505":
        # "table.column" as SQLite names it: the column from the DETAIL's "Key (column)=(…)"
        # (only the part before the value), else the constraint's or unique index's name.
        table = exc.diag.table_name or ""
        column = exc.diag.constraint_name or ""
        key = re.match(r"Key \((.+?)\)=\(", exc.diag.message_detail or "")
        if key and table:
            column = f"{table}.{key.group(1).split(',')[0].strip()}"
        return DuplicateRecord(_DUPLICATES.get(
            column, f"Dit gegeven bestaat al en mag maar één keer voorkomen ({column})."))
    if state.startswith(_PG_GONE_CLASSES) or (
            not state and isinstance(exc, psycopg.OperationalError)):
        # No SQLSTATE: the client lost (or never had) the connection.
        return DatabaseUnavailable(SERVER_GONE_MESSAGE)
    if isinstance(exc, psycopg.errors.ConnectionTimeout):
        return DatabaseUnavailable(SERVER_GONE_MESSAGE)
    return None


def pg_translated() -> contextlib.AbstractContextManager[None]:
    """Turn a psycopg error that ``pg_store_error`` knows into its StoreError."""
    import psycopg

    return _translating(psycopg.Error, pg_store_error)
