"""Online backups of the database file with SQLite's backup API, and checking a copy.

``backup`` copies the database while counters keep working: the copy is taken in one step
inside one read transaction, so it is the database as it was at one moment (WAL mode lets the
other sessions go on writing meanwhile). The copy is written next to its destination under a
temporary name, created readable by its owner only (0600), switched to a single self-contained
file (journal mode DELETE), checked with ``PRAGMA integrity_check`` and only then renamed into
place. A backup that fails the check never takes the place of an older good one.

Given a directory, the copy gets a timestamped name (``tui-desk-20261128-020000.sqlite3``) and
``keep`` removes the oldest timestamped copies beyond that number.

PostgreSQL (``backup_postgresql``): ``pg_dump --format=custom`` of the database, with the same
rules: a timestamped name after the database (``tui_desk-20261128-020000.dump``), written under a
temporary name, 0600, read back with ``pg_restore --list`` (the dump's table of contents: the
file is complete and readable) before it is renamed into place, and the same ``keep``. The
password, if the URL has one, goes to pg_dump in ``PGPASSWORD``, never on its command line.
Restoring: docs/deployment.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tui_desk.files import fsync_dir, is_database_file
from tui_desk.store.db import BUSY_TIMEOUT_MS
from tui_desk.store.errors import BackupError

SUFFIX = ".sqlite3"
DUMP_SUFFIX = ".dump"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    integrity: str
    removed: tuple[Path, ...] = ()


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can never change (or create) the file at ``path``."""
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def integrity_check(path: Path, *, quick: bool = False) -> str:
    """``ok``, or the problems SQLite reports (joined), for the database file at ``path``."""
    try:
        with contextlib.closing(connect_read_only(path)) as conn:
            pragma = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"niet te lezen als SQLite-database: {exc}"
    return "; ".join(str(r[0]) for r in rows[:10]) or "geen antwoord"


def backup_name(source: Path, at: dt.datetime, serial: int = 0, suffix: str = SUFFIX) -> str:
    """``tui-desk-20261128-020000.sqlite3`` (``-1``, ``-2`` … for more in the same second)."""
    extra = f"-{serial}" if serial else ""
    return f"{source.stem}-{at:%Y%m%d-%H%M%S}{extra}{suffix}"


def _pattern(source: Path, suffix: str = SUFFIX) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(source.stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?"
                      rf"{re.escape(suffix)}$")


def timestamped_backups(folder: Path, source: Path, suffix: str = SUFFIX) -> list[Path]:
    """The timestamped copies of ``source`` in ``folder``, newest first."""
    pattern = _pattern(source, suffix)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), entry))
    found.sort(reverse=True)
    return [path for _, path in found]


def backup(source: Path, target: Path | str, *, now: dt.datetime,
           keep: int | None = None) -> BackupResult:
    """Copy the database at ``source`` to ``target`` (a file, or a directory - existing, or
    written with a trailing slash - for a timestamped copy); see the module docstring.
    Raises BackupError with the reason."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"De database {source} bestaat niet; er is niets om te bewaren.")
    dest, to_folder = _destination(source, target, now, keep, SUFFIX)
    if is_database_file(source, dest):
        raise BackupError("De reservekopie kan niet over de database zelf heen worden geschreven.")
    checked: list[str] = []

    def make(partial: Path) -> None:
        _copy(source, partial)
        result = integrity_check(partial)
        if result != "ok":
            raise BackupError(f"De kopie is niet in orde (integrity_check: {result}); "
                              "de vorige reservekopie blijft staan.")
        checked.append(result)

    _write_privately(dest, make)
    removed = _prune(Path(target), source, SUFFIX, keep) if to_folder else ()
    return BackupResult(path=dest, size=dest.stat().st_size, integrity=checked[0],
                        removed=removed)


def _destination(stem: Path, target: Path | str, now: dt.datetime, keep: int | None,
                 suffix: str) -> tuple[Path, bool]:
    """The file a backup of ``stem`` goes to, and whether ``target`` is a folder (then the copy
    gets the date and time in its name, and ``keep`` may prune the oldest)."""
    # "backups/" names a folder even before it exists; Path() would drop the slash.
    to_folder = str(target).endswith(os.sep) or Path(target).is_dir()
    target = Path(target)
    if keep is not None:
        if not to_folder:
            raise BackupError("--keep werkt alleen als het doel een map is "
                              "(dan krijgt elke kopie de datum en tijd in de naam).")
        if keep < 1:
            raise BackupError("--keep moet minstens 1 zijn.")
    if not to_folder:
        if not target.parent.is_dir():
            raise BackupError(f"De map {target.parent} bestaat niet.")
        return target, False
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    serial = 0
    dest = target / backup_name(stem, now, suffix=suffix)
    while dest.exists():
        serial += 1
        dest = target / backup_name(stem, now, serial, suffix=suffix)
    return dest, True


def _write_privately(dest: Path, make: Callable[[Path], None]) -> None:
    """``make`` writes and checks the copy in a private temporary file beside ``dest``; only a
    copy that passed is synced and renamed into place (the previous one stays otherwise)."""
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    old_umask = os.umask(0o077)
    try:
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise BackupError(f"Kan niet schrijven in {dest.parent}: {exc.strerror}.") from None
        try:
            make(partial)
            with open(partial, "rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(partial, 0o600)
            os.replace(partial, dest)
            fsync_dir(dest.parent)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
    finally:
        os.umask(old_umask)


def _prune(folder: Path, stem: Path, suffix: str, keep: int | None) -> tuple[Path, ...]:
    """Remove all but the ``keep`` newest timestamped copies of ``stem`` in ``folder``."""
    removed: list[Path] = []
    if keep is not None:
        for old in timestamped_backups(folder, stem, suffix)[keep:]:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
                removed.append(old)
    return tuple(removed)


def _copy(source: Path, dest: Path) -> None:
    try:
        src = connect_read_only(source)
    except sqlite3.Error as exc:
        raise BackupError(f"De database {source} kan niet worden geopend: {exc}.") from None
    try:
        dst = sqlite3.connect(str(dest), isolation_level=None)
        try:
            # pages=-1 (the default): all pages in one step, inside one read transaction: a
            # consistent snapshot even while other sessions write (they continue in the WAL).
            src.backup(dst)
            # The copied header says WAL; a backup is better one self-contained file.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"De reservekopie is mislukt: {exc}.") from None
    finally:
        src.close()


# -- PostgreSQL: pg_dump ----------------------------------------------------------------------
def pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``: on PATH, else Debian's newest
    /usr/lib/postgresql/<version>/bin."""
    import glob
    import shutil

    found = shutil.which(name)
    if found:
        return found
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                     key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                     else 0, reverse=True)
    for folder in folders:
        if (Path(folder) / name).exists():
            return str(Path(folder) / name)
    raise BackupError(f"{name} is niet geïnstalleerd (apt-get install postgresql-client).")


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that gives pg_dump the password."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[1]}")), env


def database_name(url: str) -> str:
    """The database's name in ``url`` (the backup's name starts with it)."""
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(url).path.lstrip("/")) or "tui-desk"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def backup_postgresql(url: str, target: Path | str, *, now: dt.datetime,
                      keep: int | None = None) -> BackupResult:
    """``pg_dump --format=custom`` of the database at ``url`` to ``target`` (a file, or a folder
    for a timestamped copy), checked with ``pg_restore --list``; see the module. Raises
    BackupError with the reason."""
    import subprocess

    stem = Path(database_name(url) + DUMP_SUFFIX)
    dest, to_folder = _destination(stem, target, now, keep, DUMP_SUFFIX)
    dump, restore = pg_tool("pg_dump"), pg_tool("pg_restore")
    plain, env = _libpq(url)
    listed: list[str] = []

    def make(partial: Path) -> None:
        made = subprocess.run([dump, "--format=custom", "--no-password",
                               f"--file={partial}", f"--dbname={plain}"],
                              capture_output=True, text=True, env=env)
        if made.returncode != 0:
            raise BackupError("pg_dump is mislukt: "
                              f"{_first_line(made.stderr, url)}; de vorige reservekopie "
                              "blijft staan.")
        check = subprocess.run([restore, "--list", str(partial)], capture_output=True,
                               text=True)
        if check.returncode != 0 or "TABLE DATA" not in check.stdout:
            raise BackupError("De kopie is niet in orde (pg_restore --list: "
                              f"{_first_line(check.stderr, url) or 'geen tabellen'}); "
                              "de vorige reservekopie blijft staan.")
        listed.extend(check.stdout.splitlines())

    _write_privately(dest, make)
    removed = _prune(Path(target), stem, DUMP_SUFFIX, keep) if to_folder else ()
    entries = sum(1 for line in listed if line and not line.startswith(";"))
    return BackupResult(path=dest, size=dest.stat().st_size,
                        integrity=f"pg_restore --list: {entries} onderdelen",
                        removed=removed)


def _first_line(text: str, url: str) -> str:
    """The first line of a tool's error, without the URL's password."""
    from urllib.parse import urlsplit

    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    password = urlsplit(url).password
    return line.replace(password, "***") if password else line
