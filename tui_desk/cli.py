"""Command line: ``tui-desk`` starts the counter program; sub-commands serve the administrator."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from tui_desk import __version__
from tui_desk.clock import Clock, ShiftedClock, SystemClock
from tui_desk.config import Config, ConfigError
from tui_desk.config import load as load_config
from tui_desk.store.db import PRODUCTION, Database, StoreError, open_database


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tui-desk",
        description="Baliesoftware voor de bibliotheek (counter software for public libraries).",
    )
    p.add_argument("--version", action="version", version=f"tui-desk {__version__}")
    p.add_argument("--config", help="configuration file (default: $TUI_DESK_CONFIG, "
                   "/etc/tui-desk/config.toml, ~/.config/tui-desk/config.toml)")
    p.add_argument("--db", help="database file; overrides the configuration")
    p.add_argument("--demo", action="store_true",
                   help="open the training database (OEFENOMGEVING), created on first use")
    p.add_argument("--staff", help="demo only: sign in as this demo staff member")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="demo only: work as if it were this day (training scenarios)")
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="training database")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    demo_sub.add_parser("reset", help="rebuild the training database for the next group")
    activate = demo_sub.add_parser(
        "activate", help="play the customer who clicks the activation link of a login account")
    activate.add_argument("username", help="the login account's username (case-sensitive)")

    sub.add_parser("maintenance", help="remove login accounts not activated within 24 hours "
                   "and send queued mail (for cron or a systemd timer)")

    staff = sub.add_parser("staff", help="manage staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a staff member")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--branch", required=True, help="branch code, e.g. 9401")
    add.add_argument("--roles", default="balie", help="comma separated: balie,educatie,beheer")
    add.add_argument("--login", help="operating-system (SSH) login that signs in as this person")
    staff_sub.add_parser("list", help="list staff")
    pin = staff_sub.add_parser("pin", help="set a staff member's PIN (asked twice)")
    pin.add_argument("username")
    return p


def _clock(args: argparse.Namespace) -> Clock:
    """The wall clock; in the training database ``--today`` may move it to another day."""
    if not getattr(args, "today", None):
        return SystemClock()
    if not (args.demo or args.command == "demo"):
        raise ConfigError("tui-desk", "--today", "werkt alleen in de oefenomgeving (--demo)")
    try:
        return ShiftedClock(dt.date.fromisoformat(args.today))
    except ValueError:
        raise ConfigError("tui-desk", "--today", f"geen datum JJJJ-MM-DD: {args.today!r}") from None


def _open(cfg: Config, args: argparse.Namespace) -> Database:
    if args.demo:
        from tui_desk.store.demo import ensure_demo

        path = Path(args.db).expanduser() if args.db else cfg.demo_database
        return ensure_demo(path, cfg, _clock(args).today())
    path = Path(args.db).expanduser() if args.db else cfg.database
    db = open_database(path, environment=PRODUCTION)
    from tui_desk.store.branches import sync_branches

    sync_branches(db, cfg)
    return db


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        demo = bool(args.demo or args.command == "demo")
        cfg = load_config(args.config, demo=demo)
        if args.command == "demo":
            return _demo_command(cfg, args)
        if args.command == "staff":
            return _staff_command(cfg, args)
        if args.command == "maintenance":
            return _maintenance_command(cfg, args)
        return _run(cfg, args)
    except (ConfigError, StoreError) as exc:
        print(f"tui-desk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.auth import staff_for_login
    from tui_desk.services.desk import Desk
    from tui_desk.store import staff as staff_store

    if args.staff and not args.demo:
        print("tui-desk: --staff werkt alleen in de oefenomgeving (--demo).", file=sys.stderr)
        return 2
    db = _open(cfg, args)
    login = os.environ.get("TUI_DESK_LOGIN") or getpass.getuser()
    staff = staff_for_login(db, login)
    if args.demo and staff is None:
        wanted = args.staff or cfg.demo_auto_sign_in
        staff = staff_store.by_username(db, wanted) if wanted else None
        if args.staff and staff is None:
            print(f"tui-desk: onbekende medewerker {args.staff!r}.", file=sys.stderr)
            return 2
    desk = Desk(config=cfg, db=db, demo=bool(args.demo), clock=_clock(args), staff=staff,
                login=login)
    from tui_desk.app import TuiDeskApp

    try:
        TuiDeskApp(desk).run(mouse=False)
    finally:
        db.close()
    return 0


def _demo_command(cfg: Config, args: argparse.Namespace) -> int:
    if args.demo_command == "activate":
        return _demo_activate(cfg, args)
    from tui_desk.store.demo import reset_demo

    path = Path(args.db).expanduser() if args.db else cfg.demo_database
    db = reset_demo(path, cfg, _clock(args).today())
    from tui_desk.store.stats import customer_count

    count = customer_count(db)
    db.close()
    print(f"Oefendatabase opnieuw opgebouwd: {path} ({count} klanten).")
    return 0


def _demo_activate(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.identity import IdentityError
    from tui_desk.services.login_accounts import demo_activate
    from tui_desk.store.demo import ensure_demo

    clock = _clock(args)
    path = Path(args.db).expanduser() if args.db else cfg.demo_database
    db = ensure_demo(path, cfg, clock.today())
    try:
        result = demo_activate(db, clock, args.username)
    except IdentityError as exc:
        print(f"tui-desk: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(result.message)
    return 0


def _maintenance_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.login_accounts import expire_unactivated
    from tui_desk.services.mailer import deliver_due
    from tui_desk.services.maintenance import format_report, run_monthly

    clock = _clock(args)
    db = _open(cfg, args)
    try:
        lines = expire_unactivated(db, clock).lines()
        monthly = format_report(run_monthly(db, clock))
        if monthly.strip():
            lines += monthly.splitlines()
        lines += deliver_due(db, clock, cfg.mail).lines()
    finally:
        db.close()
    print("\n".join(lines) if lines else "Onderhoud: niets te doen.")
    return 0


def _staff_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.rules.pins import hash_pin
    from tui_desk.store import staff as staff_store

    db = _open(cfg, args)
    try:
        if args.staff_command == "list":
            for s in staff_store.all_staff(db):
                print(f"{s.username:<16} {s.name:<28} {s.branch_code}  "
                      f"{','.join(sorted(s.roles)):<22} {s.login or ''}")
            return 0
        if args.staff_command == "add":
            if cfg.branch(args.branch) is None:
                print(f"tui-desk: onbekende vestiging {args.branch}.", file=sys.stderr)
                return 2
            roles = {r.strip() for r in args.roles.split(",") if r.strip()}
            from tui_desk.models import ROLES

            if not roles or roles - set(ROLES):
                print(f"tui-desk: rollen moeten uit {', '.join(ROLES)} komen.", file=sys.stderr)
                return 2
            with db.transaction():
                staff_store.add(db, username=args.username, name=args.name,
                                branch_code=args.branch, roles=",".join(sorted(roles)),
                                pin_hash=None, login=args.login)
            print(f"Medewerker {args.username} toegevoegd; zet een pincode met "
                  f"'tui-desk staff pin {args.username}'.")
            return 0
        if args.staff_command == "pin":
            member = staff_store.by_username(db, args.username)
            if member is None:
                print(f"tui-desk: onbekende medewerker {args.username!r}.", file=sys.stderr)
                return 2
            first = getpass.getpass("Nieuwe pincode: ")
            if len(first) < 4 or not first.isdigit():
                print("tui-desk: een pincode heeft minstens 4 cijfers.", file=sys.stderr)
                return 2
            if getpass.getpass("Nogmaals: ") != first:
                print("tui-desk: de pincodes zijn niet gelijk.", file=sys.stderr)
                return 2
            with db.transaction():
                staff_store.update(db, member.id, pin_hash=hash_pin(first))
            print("Pincode gezet.")
            return 0
    finally:
        db.close()
    return 2
