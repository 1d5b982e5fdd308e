"""The database a command or the counter program works in, opened ready for use.

Production: the configured file, or the PostgreSQL server of ``[database] url`` (or ``--db``, a
path or a ``postgresql://`` URL), migrated, with the configuration's branches and,
on a new database, the packaged tariffs (later changes go through ``tui-desk tariffs import``).
Training: the shared template (seeded on first use, ``store.demo``) or a trainee's own copy of
it (``store.sandbox``). A reserve copy of the same file: ``services.backups``.

The command line (``tui_desk/commands``, ``cli.py``) opens its database here and talks to
services only (tests/test_layers.py); ``Database`` and ``StoreError`` are named here for its
annotations and messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.store.db import PRODUCTION, Database, StoreError, is_url, open_database


def database_path(config: Config, *, demo: bool, override: str | None = None) -> Path:
    """The file to work in: ``override`` (``--db``), else the training template or the
    production database of the configuration."""
    if override:
        return Path(override).expanduser()
    return config.demo_database if demo else config.database


def open_configured(config: Config, clock: Clock, *, demo: bool,
                    override: str | None = None) -> Database:
    """The training template (built on first use, seeded as of ``clock``'s day) or the
    production database, migrated, with its branches and tariffs."""
    path = database_path(config, demo=demo, override=override)
    if demo:
        from tui_desk.store.demo import ensure_demo

        return ensure_demo(path, config, clock.today())
    from tui_desk.store.branches import sync_branches
    from tui_desk.store.tariffs import ensure_tariffs

    target: Path | str = path
    if override and is_url(override):
        target = override                   # --db postgresql://…
    elif not override and config.database_url:
        target = config.database_url        # [database] url: the PostgreSQL server
    db = open_database(target, environment=PRODUCTION)
    sync_branches(db, config)
    ensure_tariffs(db)
    return db


@contextmanager
def opened(config: Config, clock: Clock, *, demo: bool,
           override: str | None = None) -> Iterator[Database]:
    """``open_configured`` for one command: the database is closed when the block ends."""
    db = open_configured(config, clock, demo=demo, override=override)
    try:
        yield db
    finally:
        db.close()


def open_trainee(config: Config, *, login: str, now: dt.datetime,
                 override: str | None = None) -> tuple[Database, str]:
    """The trainee's own copy of the training database (made on first use) and the trainee's
    key (``services.desk.trainee_key``)."""
    from tui_desk.services.desk import trainee_key
    from tui_desk.store.sandbox import open_sandbox

    template = database_path(config, demo=True, override=override)
    trainee = trainee_key(login, config.demo_shared_logins)
    db, _made = open_sandbox(template, trainee, config, now)
    return db, trainee


__all__ = [
    "Database", "StoreError", "database_path", "open_configured", "open_trainee", "opened",
]
