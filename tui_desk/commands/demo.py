"""``tui-desk demo ...``: the training database for the trainer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui_desk.commands.common import clock_of, out
from tui_desk.config import Config


def demo_reset(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.store.sandbox import remove_sandboxes

    path = Path(args.db).expanduser() if args.db else cfg.demo_database
    if args.trainee:
        removed = remove_sandboxes(path, args.trainee)
        if not removed:
            out(f"tui-desk: geen oefenomgeving van {args.trainee!r}.", file=sys.stderr)
            return 1
        out(f"Oefenomgeving van {args.trainee} verwijderd; de volgende start maakt een "
              "nieuwe.")
        return 0
    from tui_desk.store.demo import reset_demo

    db = reset_demo(path, cfg, clock_of(args).today())
    from tui_desk.store.stats import customer_count

    count = customer_count(db)
    db.close()
    removed = remove_sandboxes(path)
    out(f"Oefendatabase opnieuw opgebouwd: {path} ({count} klanten); "
          f"{len(removed)} oefenomgeving(en) van cursisten verwijderd.")
    return 0


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

    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    out("\n".join(progress_lines(template, cfg.demo_exercises)))
    return 0


def demo_activate(cfg: Config, args: argparse.Namespace) -> int:
    """Activate in the trainee's sandbox: the one named with --trainee, else the first one in
    which the account can be activated (the template when no trainee has a sandbox yet)."""
    from tui_desk.services.identity import IdentityError
    from tui_desk.services.login_accounts import demo_activate
    from tui_desk.store.demo import ensure_demo
    from tui_desk.store.sandbox import sandbox_path, sandboxes

    clock = clock_of(args)
    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    if args.trainee:
        path = sandbox_path(template, args.trainee)
        if not path.exists():
            out(f"tui-desk: geen oefenomgeving van {args.trainee!r}.", file=sys.stderr)
            return 1
        paths = [path]
    else:
        paths = [s.path for s in sandboxes(template)] or [template]
    error: IdentityError | None = None
    for path in paths:
        db = ensure_demo(path, cfg, clock.today())
        try:
            result = demo_activate(db, clock, args.username)
        except IdentityError as exc:
            error = exc
            continue
        finally:
            db.close()
        out(result.message)
        return 0
    out(f"tui-desk: {error}", file=sys.stderr)
    return 1

