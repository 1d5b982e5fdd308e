"""What every sub-command uses: the clock (``--today``), the database, and the one way
to write to the terminal. The commands parse and write; the work is in ``tui_desk.services``
(they import no ``tui_desk.store``: tests/test_layers.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from contextlib import AbstractContextManager
from typing import TextIO

from tui_desk.clock import Clock, ShiftedClock, SystemClock
from tui_desk.config import Config, ConfigError
from tui_desk.rules.text import printable
from tui_desk.services import databases
from tui_desk.services.databases import Database


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
    """The database of ``--demo``/``--db``, ready for use (``services.databases``)."""
    return databases.open_configured(cfg, _seed_clock(args), demo=bool(args.demo),
                                     override=args.db)


def database(cfg: Config, args: argparse.Namespace) -> AbstractContextManager[Database]:
    """``open_db`` for the length of one command: closed when the block ends."""
    return databases.opened(cfg, _seed_clock(args), demo=bool(args.demo), override=args.db)


def _seed_clock(args: argparse.Namespace) -> Clock:
    """The day a new training database is seeded as of (``--today``); production needs none."""
    return clock_of(args) if args.demo else SystemClock()


def open_trainee_db(cfg: Config, args: argparse.Namespace, login: str) -> tuple[Database, str]:
    """The trainee's own copy of the training database (made on first use)."""
    return databases.open_trainee(cfg, login=login, now=clock_of(args).now(), override=args.db)


def say(message: str) -> None:
    """One line on stderr; the message may quote stored or typed text: made printable."""
    out(f"tui-desk: {message}", file=sys.stderr)


def out(text: str = "", *, file: TextIO | None = None) -> None:
    """The one way the command line writes (stdout, or ``file``): stored text (names, labels,
    messages) passes ``rules.text.printable`` line by line, so no escape sequence reaches the
    terminal. The program itself never writes to the terminal (tests/test_privacy.py)."""
    (file or sys.stdout).write("\n".join(printable(line) for line in text.split("\n")) + "\n")

