"""A sandbox per trainee: each trainee's own copy of the training database.

The training database (``[demo] path``, or ``--db``) is the *template*: seeded once, never worked
in. Each trainee gets a copy in the folder beside it (``demo.sqlite3`` → ``demo-oefenaars/``),
made on first use with SQLite's backup API (a consistent copy even while another trainee's copy
is being made from it). The copies are the owner's only: files 0600 in a 0700 folder, like the
template.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui_desk.config import Config
from tui_desk.rules.dates import stamp
from tui_desk.store.db import DEMO, Database, StoreError, open_database

SUFFIX = "-oefenaars"
# Setting in each copy: whose sandbox it is (shown in the OEFENOMGEVING banner).
TRAINEE_SETTING = "demo_trainee"
# ... and when it was made (the program's clock): what a trainee does counts from then on.
MADE_SETTING = "demo_sandbox_made"

_SAFE = re.compile(r"[^A-Za-z0-9._@-]")


def folder_of(template: Path | str) -> Path:
    """The folder that holds the trainees' copies of ``template``."""
    t = Path(template)
    return t.with_name(t.stem + SUFFIX)


def file_name(trainee: str) -> str:
    """A file name for the trainee's key: the key itself when it is safe, else the key with
    unsafe characters replaced and a short hash (so ``a/b`` and ``a_b`` stay apart).

    >>> file_name("10.20.0.5")
    '10.20.0.5.sqlite3'
    """
    if not trainee or trainee.startswith("."):
        trainee = "_" + trainee
    safe = _SAFE.sub("_", trainee)
    if safe != trainee or len(safe) > 80:
        import hashlib

        digest = hashlib.sha256(trainee.encode()).hexdigest()[:8]
        safe = f"{safe[:60]}-{digest}"
    return f"{safe}.sqlite3"


def sandbox_path(template: Path | str, trainee: str) -> Path:
    return folder_of(template) / file_name(trainee)


@dataclass(frozen=True)
class Sandbox:
    trainee: str
    path: Path


def open_sandbox(template: Path | str, trainee: str, config: Config,
                 now: dt.datetime) -> tuple[Database, bool]:
    """Open the trainee's copy, making it from the template first when there is none.

    Returns (database, made). The template is only opened (and seeded, the very first time)
    when a copy must be made: a trainee who comes back opens their own file and nothing else.
    """
    path = sandbox_path(template, trainee)
    made = False
    if not path.exists():
        make_sandbox(template, trainee, config, now)
        made = True
    return open_database(path, environment=DEMO, create=False), made


def make_sandbox(template: Path | str, trainee: str, config: Config,
                 now: dt.datetime) -> Path:
    """Copy the template (seeding it first if it is new) to the trainee's file."""
    from tui_desk.store.demo import ensure_demo

    source = ensure_demo(template, config, now.date())
    try:
        return copy_template(source, template, trainee, now)
    finally:
        source.close()


def copy_template(source: Database, template: Path | str, trainee: str,
                  now: dt.datetime) -> Path:
    """Copy the open template ``source`` to ``trainee``'s file with the backup API."""
    path = sandbox_path(template, trainee)
    folder = path.parent
    old = os.umask(0o077)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written under a temporary name and renamed: a trainee's second terminal starting at
        # the same moment never opens a half-made copy.
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        target = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            # A temporary file: no fsync per step (a crash leaves only the .tmp, made again
            # on the next start); the finished copy is synced once below before the rename.
            target.execute("PRAGMA synchronous = OFF")
            source.conn.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
            target.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                [(TRAINEE_SETTING, trainee),
                 (MADE_SETTING, stamp(now))])
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
        with open(tmp, "rb+") as done:
            os.fsync(done.fileno())
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        os.umask(old)
    return path


def trainee_of(db: Database) -> str | None:
    return db.setting(TRAINEE_SETTING)


def sandboxes(template: Path | str) -> list[Sandbox]:
    """Every trainee's copy of ``template`` (sorted by trainee)."""
    folder = folder_of(template)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.sqlite3")):
        if path.name.startswith("."):
            continue
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM settings WHERE key = ?",
                                   (TRAINEE_SETTING,)).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        found.append(Sandbox(row[0] if row else path.stem, path))
    return sorted(found, key=lambda s: s.trainee)


def remove_sandboxes(template: Path | str, trainee: str | None = None) -> list[Path]:
    """Remove every trainee's copy (or only ``trainee``'s); returns the files removed."""
    folder = folder_of(template)
    if trainee is not None:
        targets = [sandbox_path(template, trainee)]
    else:
        targets = sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []
    removed = []
    for path in targets:
        if not path.exists():
            continue
        _refuse_unless_demo(path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        removed.append(path)
    return removed


def _refuse_unless_demo(path: Path) -> None:
    from tui_desk.store.demo import demo_file_state

    if demo_file_state(path) not in ("demo", "empty"):
        raise StoreError(f"{path} is geen oefendatabase van tui-desk en wordt niet verwijderd.")
