"""One maintenance run at a time: an advisory lock on a file beside the database.

``tui-desk maintenance`` runs from a timer every few minutes. A run that takes longer than the
interval (a mail server that answers slowly, a large monthly job) must not be joined by the
next one: both would send the same queued mail. A lease row in the database would have to be
renewed by a heartbeat while the run waits on a mail server, and guessed expired after a crash.
``fcntl.flock`` needs neither: the lock is held exactly as long as the process that took it
holds the file open, whatever it is waiting on, and the kernel releases it when the process
ends in any way (a crash, ``kill -9``, a reboot). So a long run keeps it and a dead one never
blocks the next. The lock file stays (removing it would let two processes lock two different
files); it holds the pid and start time of the run that has it, for the message. (flock is
local to the machine: the database lives on the server's own disk, see docs/deployment.md.)

On PostgreSQL two servers share the database, so a file on one of them guards nothing:
``advisory`` takes a session-level advisory lock (``pg_try_advisory_lock``) on the database
connection instead. It has the same two properties: held exactly as long as the session that
took it (whatever it waits on), released by the server when that session ends in any way (the
process dies, the connection drops). The message names the holder's server process and start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tui_desk.files import PRIVATE_FILE
from tui_desk.store.db import StoreError

if TYPE_CHECKING:
    from tui_desk.store.db import Database


class AlreadyRunning(StoreError):
    """Another process holds the lock; the message says which and since when (Dutch)."""


def lock_path(database: Path, name: str) -> Path:
    """``tui-desk.sqlite3`` → ``tui-desk.sqlite3.maintenance.lock``"""
    return database.with_name(f"{database.name}.{name}.lock")


@contextlib.contextmanager
def exclusive(database: Path | None, name: str = "maintenance", *,
              what: str = "Onderhoud") -> Iterator[Path | None]:
    """Hold the lock ``name`` of the database at ``database`` for the block; ``AlreadyRunning``
    at once when another process has it. An in-memory database (tests) has nothing to lock."""
    if database is None:
        yield None
        return
    path = lock_path(database, name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
            who = (f" (proces {holder[0]}, gestart {holder[1].replace('T', ' ')})"
                   if len(holder) >= 2 else "")
            raise AlreadyRunning(f"{what} loopt al{who}; deze keer overgeslagen.") from None
        stamp = f"{os.getpid()} {dt.datetime.now().isoformat(timespec='seconds')}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def advisory_key(name: str) -> int:
    """The 64-bit advisory lock number of ``name`` (stable, signed as PostgreSQL's bigint)."""
    digest = hashlib.sha256(f"tui-desk:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def advisory(db: Database, name: str = "maintenance", *,
             what: str = "Onderhoud") -> Iterator[None]:
    """``exclusive`` for a PostgreSQL database shared by several servers: a session-level
    advisory lock on ``db``'s connection (see the module); ``AlreadyRunning`` at once when
    another session, on this server or another, has it."""
    db.dialect.require("postgresql", "Een gedeeld slot op de database")
    key = advisory_key(name)
    if not db.scalar("SELECT pg_try_advisory_lock(?)", (key,)):
        holder = db.one(
            "SELECT a.pid, a.backend_start, a.client_addr::text AS client FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.classid = ((?::bigint >> 32) & 4294967295)::oid "
            "AND l.objid = (?::bigint & 4294967295)::oid AND l.objsubid = 1",
            (key, key))
        who = ""
        if holder is not None and holder["backend_start"] is not None:
            since = holder["backend_start"]
            since = since.strftime("%Y-%m-%d %H:%M:%S") if hasattr(since, "strftime") else since
            place = f" vanaf {holder['client']}" if holder["client"] else ""
            who = f" (databaseproces {holder['pid']}{place}, verbonden {since})"
        raise AlreadyRunning(f"{what} loopt al{who}; deze keer overgeslagen.")
    try:
        yield
    finally:
        # A lost connection has released it already (the server ends the session's locks).
        with contextlib.suppress(StoreError):
            db.scalar("SELECT pg_advisory_unlock(?)", (key,))
