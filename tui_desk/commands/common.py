"""What every sub-command uses: the clock (``--today``), the database, and the one way
to write to the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from tui_desk.clock import Clock, ShiftedClock, SystemClock
from tui_desk.config import Config, ConfigError
from tui_desk.rules.text import printable
from tui_desk.store.db import PRODUCTION, Database, open_database


def clock_of(args: argparse.Namespace) -> Clock:
    """The wall clock; in the training database ``--today`` may move it to another day."""
    if not getattr(args, "today", None):
        return SystemClock()
    if not (args.demo or args.command == "demo"):
        raise ConfigError("tui-desk", "--today", "werkt alleen in de oefenomgeving (--demo)")
    try:
        if "T" in args.today:
            return ShiftedClock(dt.datetime.fromisoformat(args.today).replace(tzinfo=None))
        return ShiftedClock(dt.date.fromisoformat(args.today))
    except ValueError:
        raise ConfigError("tui-desk", "--today",
                          f"geen datum JJJJ-MM-DD (of JJJJ-MM-DDTUU:MM): {args.today!r}"
                          ) from None


def open_db(cfg: Config, args: argparse.Namespace) -> Database:
    if args.demo:
        from tui_desk.store.demo import ensure_demo

        path = Path(args.db).expanduser() if args.db else cfg.demo_database
        return ensure_demo(path, cfg, clock_of(args).today())
    path = Path(args.db).expanduser() if args.db else cfg.database
    db = open_database(path, environment=PRODUCTION)
    from tui_desk.store.branches import sync_branches
    from tui_desk.store.tariffs import ensure_tariffs

    sync_branches(db, cfg)
    # A new database starts with the packaged tariffs; later changes go through
    # 'tui-desk tariffs import'.
    ensure_tariffs(db)
    return db


def open_trainee_db(cfg: Config, args: argparse.Namespace, login: str) -> tuple[Database, str]:
    """The trainee's own copy of the training database (made on first use)."""
    from tui_desk.services.desk import trainee_key
    from tui_desk.store.sandbox import open_sandbox

    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    trainee = trainee_key(login, cfg.demo_shared_logins)
    db, _made = open_sandbox(template, trainee, cfg, clock_of(args).now())
    return db, trainee


def say(message: str) -> None:
    """One line on stderr; the message may quote stored or typed text: made printable."""
    out(f"tui-desk: {message}", file=sys.stderr)


def out(text: str = "", *, file: TextIO | None = None) -> None:
    """The one way the command line writes (stdout, or ``file``): stored text (names, labels,
    messages) passes ``rules.text.printable`` line by line, so no escape sequence reaches the
    terminal. The program itself never writes to the terminal (tests/test_privacy.py)."""
    (file or sys.stdout).write("\n".join(printable(line) for line in text.split("\n")) + "\n")

