"""A reserve copy of the database (``tui-desk backup``): made with SQLite's backup API,
checked with ``integrity_check``, and in a folder rotated to the newest ``keep``
(``store.backup``)."""

from __future__ import annotations

import datetime as dt

from tui_desk.config import Config
from tui_desk.services.databases import database_path
from tui_desk.store.backup import BackupError, BackupResult, backup


def back_up(config: Config, target: str, *, demo: bool, now: dt.datetime,
            override: str | None = None, keep: int | None = None) -> BackupResult:
    """A checked copy of the database of ``--demo``/``--db`` to ``target`` (a file, or a
    folder for a timestamped copy); raises BackupError with the reason."""
    return backup(database_path(config, demo=demo, override=override), target, now=now,
                  keep=keep)


__all__ = ["BackupError", "BackupResult", "back_up"]
