"""``tui-desk demo ...``: the training database for the trainer."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui_desk.commands.common import clock_of, out
from tui_desk.config import Config


def demo_reset(cfg: Config, args: argparse.Namespace) -> int:
    """Build the training database again, or with --trainee remove that trainee's copy; a
    trainee without one is ``training.NoSandbox`` (one line, exit 1)."""
    from tui_desk.services import training

    path = _template(cfg, args)
    if args.trainee:
        training.remove_trainee(path, args.trainee)
        out(f"Oefenomgeving van {args.trainee} verwijderd; de volgende start maakt een "
            "nieuwe.")
        return 0
    rebuilt = training.rebuild(path, cfg, clock_of(args).today())
    out(f"Oefendatabase opnieuw opgebouwd: {path} ({rebuilt.customers} klanten); "
        f"{rebuilt.sandboxes_removed} oefenomgeving(en) van cursisten verwijderd.")
    return 0


def _template(cfg: Config, args: argparse.Namespace) -> Path:
    """The training database the trainees' copies are made from (``--db`` or ``[demo] path``)."""
    from tui_desk.services.databases import database_path

    return database_path(cfg, demo=True, override=args.db)


def demo_exercises(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.exercises import load_exercises

    for ex in load_exercises(cfg.demo_exercises):
        out(f"{ex.id}  {ex.title}")
        for line in ex.assignment.strip().splitlines():
            out(f"    {line}")
        out()
    return 0


def demo_progress(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.exercises import progress_lines

    out("\n".join(progress_lines(_template(cfg, args), cfg.demo_exercises)))
    return 0


def demo_activate(cfg: Config, args: argparse.Namespace) -> int:
    """Activate in the trainee's sandbox: the one named with --trainee, else the first one in
    which the account can be activated (``services.training.activate``)."""
    from tui_desk.services import training

    result = training.activate(_template(cfg, args), cfg, clock_of(args), args.username,
                               trainee=args.trainee)
    out(result.message)
    return 0
