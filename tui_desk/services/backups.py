"""A reserve copy of the database (``tui-desk backup``): made with SQLite's backup API,
checked with ``integrity_check``, and in a folder rotated to the newest ``keep``; for a
PostgreSQL database (``[database] url`` or ``--db postgresql://…``) made with ``pg_dump
--format=custom`` and checked with ``pg_restore --list``, with the same naming and rotation
(``store.backup``)."""

from __future__ import annotations

import datetime as dt

from tui_desk.config import Config
from tui_desk.services.databases import database_path
from tui_desk.store.backup import BackupError, BackupResult, backup, backup_postgresql
from tui_desk.store.db import is_url


def back_up(config: Config, target: str, *, demo: bool, now: dt.datetime,
            override: str | None = None, keep: int | None = None) -> BackupResult:
    """A checked copy of the database of ``--demo``/``--db`` to ``target`` (a file, or a
    folder for a timestamped copy); raises BackupError with the reason."""
    url = override if override and is_url(override) else (
        None if override or demo else config.database_url)
    if url:
        return backup_postgresql(url, target, now=now, keep=keep)
    return backup(database_path(config, demo=demo, override=override), target, now=now,
                  keep=keep)


__all__ = ["BackupError", "BackupResult", "back_up"]
