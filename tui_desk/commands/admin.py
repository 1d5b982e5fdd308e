"""The administrator's sub-commands of ``tui-desk``: doctor, backup, tariffs, postcodes, staff."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from tui_desk.clock import SystemClock
from tui_desk.commands.common import clock_of, database, out, say
from tui_desk.config import Config
from tui_desk.rules.text import printable
from tui_desk.services.databases import Database


def doctor_command(_cfg: None, args: argparse.Namespace) -> int:
    from tui_desk.services import doctor

    checks = doctor.run(args.config, demo=bool(args.demo), db_override=args.db)
    out(doctor.report(checks))
    return 0 if all(c.ok for c in checks) else 1


def backup_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.backups import BackupError, back_up

    try:
        target = os.path.expanduser(args.path)  # str: a trailing "/" means a directory
        result = back_up(cfg, target, demo=bool(args.demo), now=SystemClock().now(),
                         override=args.db, keep=args.keep)
    except BackupError as exc:
        out(f"tui-desk: reservekopie niet gemaakt: {exc}", file=sys.stderr)
        return 1
    size = f"{result.size / (1024 * 1024):.1f}".replace(".", ",")
    check = (result.integrity if result.integrity.startswith("pg_restore")
             else f"integrity_check {result.integrity}")
    out(f"Reservekopie gemaakt: {result.path} ({size} MB), gecontroleerd: {check}.")
    for old in result.removed:
        out(f"Oude reservekopie verwijderd: {old}")
    return 0


def tariffs_import(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.tables import import_tariffs

    with database(cfg, args) as db:
        count = import_tariffs(db, args.file)
    out(f"{count} tarieven ingelezen uit {args.file or 'het meegeleverde bestand'}.")
    return 0


def tariffs_list(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.rules.money import format_cents
    from tui_desk.services.tables import tariff_prices

    with database(cfg, args) as db:
        for t in tariff_prices(db, clock_of(args).today()):
            price = "geen prijs" if t.price_cents is None else format_cents(t.price_cents)
            out(f"{t.code}  {printable(t.name):<32} {price:>10}  {t.audience}")
    return 0


def postcodes_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.tables import import_postcodes

    with database(cfg, args) as db:
        count = import_postcodes(db, args.file, replace=args.replace)
    out(f"{count} postcodereeksen ingelezen uit {args.file}.")
    return 0


def staff_command(cfg: Config, args: argparse.Namespace) -> int:
    """``tui-desk staff ...``: the sub-command's ``action`` on the opened database; a refused
    command (``services.staff.StaffError``) is one line and exit 2."""
    from tui_desk.services.staff import StaffError

    with database(cfg, args) as db:
        try:
            return int(args.action(cfg, db, args))
        except StaffError as exc:
            say(str(exc))
            return 2


def staff_list(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    for s in staff.all_staff(db):
        out(f"{printable(s.username):<16} {printable(s.name):<28} {s.branch_code}  "
            f"{','.join(sorted(s.roles)):<22} {printable(s.login)}")
    return 0


def staff_add(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    staff.add(db, cfg, username=args.username, name=args.name, branch=args.branch,
              roles=args.roles, login=args.login)
    out(f"Medewerker {args.username} toegevoegd; zet een pincode met "
        f"'tui-desk staff pin {args.username}'.")
    return 0


def staff_pin(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    member = staff.member(db, args.username)
    first = getpass.getpass("Nieuwe pincode: ")
    staff.check_pin(first)
    staff.check_repeated(first, getpass.getpass("Nogmaals: "))
    staff.set_pin(db, member, first)
    out("Pincode gezet.")
    return 0

