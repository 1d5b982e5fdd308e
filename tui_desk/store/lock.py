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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from tui_desk.files import PRIVATE_FILE
from tui_desk.store.db import StoreError


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
