"""Files the program writes beside the database: never over the database itself, and private.

Two rules for every file with personal data that tui-desk writes (a backup, a SEPA collection
file, the demo printer's jobs):

* it is never written over the database or one of SQLite's companion files (``-wal``,
  ``-shm``, ``-journal``): a mistyped output path (``-o tui-desk.sqlite3``) would otherwise
  replace the customer file and the next start finds ``database disk image is malformed``;
* it is created readable by its owner only (0600, folders 0700), whatever the umask, and under
  a temporary name beside its destination, so that a half-written file never takes the place
  of a good one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

COMPANIONS = ("", "-wal", "-shm", "-journal")
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def database_files(database: Path) -> list[Path]:
    """The database file and the companions SQLite keeps beside it."""
    return [database.with_name(database.name + suffix) for suffix in COMPANIONS]


def is_database_file(database: Path | None, target: Path) -> bool:
    """Is ``target`` the database at ``database`` or one of its companions? Compared both as
    resolved paths (a file not there yet) and as files (a hard link, a symbolic link)."""
    if database is None:
        return False
    try:
        wanted = target.resolve()
    except OSError:
        wanted = target.absolute()
    for path in database_files(Path(database)):
        try:
            if path.resolve() == wanted:
                return True
            if path.exists() and target.exists() and path.samefile(target):
                return True
        except OSError:
            continue
    return False


def create_private(path: Path, *, replace: bool = False) -> int:
    """Create ``path`` for writing, mode 0600 whatever the umask; returns the file descriptor.
    ``path`` must not exist, unless ``replace`` (then it is emptied and made 0600).
    ``OSError`` as the OS gives it."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)      # the umask could only have taken bits away; be explicit
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to ``path`` as a new file (or over it, with ``replace``), 0600, and flush
    it to the disk."""
    fd = create_private(path, replace=replace)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) readable by its owner only; an existing folder is
    left as it is (it may be shared on purpose)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(folder, PRIVATE_DIR)
    return folder


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
