"""Command line: ``tui-desk`` starts the counter program; sub-commands serve the administrator."""

from __future__ import annotations

import argparse
import errno
import gc
import getpass
import os
import sys
from typing import Any

from tui_desk import __version__
from tui_desk.commands import admin, office
from tui_desk.commands import demo as training
from tui_desk.commands.admin import staff_command as _staff_command  # tests replace it
from tui_desk.commands.common import clock_of as _clock
from tui_desk.commands.common import open_db as _open
from tui_desk.commands.common import open_trainee_db as _open_sandbox
from tui_desk.commands.common import out as _print
from tui_desk.commands.common import say as _say
from tui_desk.config import Config, ConfigError
from tui_desk.config import load as load_config
from tui_desk.errors import DeskError


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
    p.add_argument("--today", metavar="YYYY-MM-DD[THH:MM]",
                   help="demo only: work as if it were this day, or this moment (the clock "
                        "runs on from there; training scenarios)")
    p.set_defaults(func=_run, config_first=True)      # no sub-command: the counter program
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="training database")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    reset = demo_sub.add_parser(
        "reset", help="rebuild the training database for the next group and remove every "
        "trainee's sandbox (or, with --trainee, only that trainee's)")
    reset.add_argument("--trainee", metavar="KEY",
                       help="remove only this trainee's sandbox (a login or an SSH client "
                       "address, as 'demo progress' lists them)")
    reset.set_defaults(func=training.demo_reset)
    activate = demo_sub.add_parser(
        "activate", help="play the customer who clicks the activation link of a login account")
    activate.add_argument("username", help="the login account's username (case-sensitive)")
    activate.add_argument("--trainee", metavar="KEY",
                          help="in this trainee's sandbox (default: the sandbox that has it)")
    activate.set_defaults(func=training.demo_activate)
    demo_sub.add_parser("exercises", help="list the training exercises").set_defaults(
        func=training.demo_exercises)
    demo_sub.add_parser("progress", help="every trainee's exercise results").set_defaults(
        func=training.demo_progress)

    sub.add_parser("maintenance", help="remove login accounts not activated within 24 hours "
                   "and send queued mail (for cron or a systemd timer); one run at a time"
                   ).set_defaults(func=office.maintenance_command)

    mail = sub.add_parser("mail", help="the mail outbox: what was not sent, and sending it again")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    mail_retry = mail_sub.add_parser(
        "retry", help="queue parked mail again (all, or the mails given, parked or refused) "
                      "and send it now")
    mail_retry.add_argument("ids", nargs="*", type=int, metavar="ID")
    mail_retry.set_defaults(func=office.mail_retry)
    mail_list = mail_sub.add_parser("list", help="list mail that was not sent (parked and "
                                    "refused; --queued for what waits)")
    mail_list.add_argument("--queued", action="store_true", help="also the queued mail")
    mail_list.set_defaults(func=office.mail_list)

    cust = sub.add_parser("customer", help="a customer's data (AVG)")
    cust_sub = cust.add_subparsers(dest="customer_command", required=True)
    exp = cust_sub.add_parser("export", help="inzage: everything about a customer as JSON and "
                              "readable Dutch text (FILE.json and FILE.txt)")
    exp.add_argument("card", help="the customer's card number")
    exp.add_argument("-o", "--output", help="FILE: writes FILE.json and FILE.txt "
                     "(default: print the text)")
    exp.set_defaults(func=office.customer_export)

    # doctor reads the configuration itself: a broken one is what it reports
    sub.add_parser("doctor", help="check configuration, database, mail and printers; "
                   "exit 1 when something is wrong").set_defaults(func=admin.doctor_command,
                                                                 config_first=False)
    bak = sub.add_parser("backup", help="online backup of the database (SQLite backup API), "
                         "checked with integrity_check")
    bak.add_argument("path", help="backup file, or a directory for a timestamped copy")
    bak.add_argument("--keep", type=int, metavar="N",
                     help="with a directory: keep the newest N timestamped copies")
    bak.set_defaults(func=admin.backup_command)

    dbp = sub.add_parser("db", help="the database itself: move it to PostgreSQL")
    db_sub = dbp.add_subparsers(dest="db_command", required=True)
    copy = db_sub.add_parser(
        "copy", help="copy an SQLite database into a new, empty PostgreSQL database (schema "
        "by the migrations, every row, identities past the highest ids), in one transaction, "
        "verified per table by row count and checksum")
    copy.add_argument("--from", dest="source", required=True, metavar="PATH.sqlite3",
                      help="the SQLite database (read, never changed)")
    copy.add_argument("--to", dest="target", required=True, metavar="postgresql://…",
                      help="the PostgreSQL database (made with createdb, still empty)")
    copy.set_defaults(func=_db_copy, config_first=False)

    prt = sub.add_parser("print", help="print membership cards; the print queue")
    prt_sub = prt.add_subparsers(dest="print_command", required=True)
    card = prt_sub.add_parser("ledenpas", help="print the ledenpas of one or more cards "
                              "(a batch, e.g. a school class)")
    card.add_argument("cards", nargs="+", metavar="CARDNUMBER")
    card.add_argument("--printer", metavar="URL", help="send to this printer instead of the "
                      "workstation's (e.g. file:///tmp/card.bin, tcp://host:9100, /dev/ttyUSB0)")
    card.add_argument("--workstation", help="the workstation (default: $TUI_DESK_WORKSTATION "
                      "or the SSH client's address)")
    card.set_defaults(func=office.print_ledenpas)
    jobs = prt_sub.add_parser("jobs", help="list the print queue")
    jobs.add_argument("--all", action="store_true", help="all workstations")
    jobs.add_argument("--workstation")
    jobs.set_defaults(func=office.print_jobs)
    again = prt_sub.add_parser("retry", help="send a failed print job again")
    again.add_argument("job", type=int, metavar="ID")
    again.set_defaults(func=office.print_retry)
    drop = prt_sub.add_parser("cancel", help="cancel a queued or failed print job")
    drop.add_argument("job", type=int, metavar="ID")
    drop.set_defaults(func=office.print_retry)

    tariffs = sub.add_parser("tariffs", help="tariffs and their prices")
    tariffs_sub = tariffs.add_subparsers(dest="tariffs_command", required=True)
    imp = tariffs_sub.add_parser(
        "import", help="load tariffs and prices from a TOML file (default: the packaged one); "
        "new prices are added with their valid-from date, old ones stay as history")
    imp.add_argument("file", nargs="?")
    imp.set_defaults(func=admin.tariffs_import)
    tariffs_sub.add_parser("list", help="list tariffs with their current price").set_defaults(
        func=admin.tariffs_list)

    pc = sub.add_parser("postcodes", help="the postcode table (postcode + number → street)")
    pc_sub = pc.add_subparsers(dest="postcodes_command", required=True)
    pc_imp = pc_sub.add_parser(
        "import", help="load a CSV (postcode,min_number,max_number,parity,street,place,region), "
        "e.g. made from the BAG open data")
    pc_imp.add_argument("file")
    pc_imp.add_argument("--replace", action="store_true", help="empty the table first")
    pc_imp.set_defaults(func=admin.postcodes_command)

    sepa = sub.add_parser("sepa-export", help="write the SEPA direct-debit file (pain.008.001.02) "
                          "of everything due on active mandates; nothing is collected twice")
    sepa.add_argument("--collection-date", required=True, metavar="YYYY-MM-DD",
                      help="the day the bank collects (ReqdColltnDt)")
    sepa.add_argument("-o", "--output", required=True, metavar="FILE.xml",
                      help="the file for the bank; never the database, and an existing file "
                      "that is not XML (or an earlier recorded export) only with --force")
    sepa.add_argument("--force", action="store_true",
                      help="replace an existing file at the output path")
    sepa.set_defaults(func=office.sepa_export_command)

    staff = sub.add_parser("staff", help="manage staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a staff member")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--branch", required=True, help="branch code, e.g. 9401")
    add.add_argument("--roles", default="balie", help="comma separated: balie,educatie,beheer")
    add.add_argument("--login", help="operating-system (SSH) login that signs in as this person")
    add.set_defaults(func=_staff_command, action=admin.staff_add)
    staff_sub.add_parser("list", help="list staff").set_defaults(func=_staff_command,
                                                                 action=admin.staff_list)
    pin = staff_sub.add_parser("pin", help="set a staff member's PIN (asked twice)")
    pin.add_argument("username")
    pin.set_defaults(func=_staff_command, action=admin.staff_pin)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command. No traceback reaches the terminal: an expected failure (a DeskError)
    is one Dutch line on stderr, exit 2 for a mistake in the command line or the configuration
    and 1 for the rest; an OS error (a file that is missing or not writable, a full disk) is
    one Dutch line, exit 1; anything else is written to the log (``tui_desk.crashlog``, without
    local variables or personal data) and one line says where, exit 1."""
    args = _parser().parse_args(argv)
    if args.command is None:
        # The counter program: no garbage collection until its first screen is shown; the
        # collector would walk every object of every module being imported (~10 ms of the
        # start-up). TuiDeskApp turns it back on after the first frame.
        gc.disable()
    try:
        return _dispatch(args)
    except ConfigError as exc:
        _say(str(exc))
        return 2
    except DeskError as exc:
        _say(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head & co.
        return 0
    except OSError as exc:
        _say(os_error_message(exc))
        return 1
    except Exception as exc:
        from tui_desk import crashlog

        log = crashlog.write(exc, f"tui-desk {_command_name(args)}")
        _say(f"er ging iets onverwachts mis ({type(exc).__name__}); de details staan in {log}. "
             "Meld dit aan de beheerder.")
        return 1
    finally:
        gc.enable()


def _command_name(args: argparse.Namespace) -> str:
    """The sub-command (``staff add``), never its arguments (they may be personal data)."""
    command = args.command or "(balie)"
    sub = getattr(args, f"{command.replace('-', '_')}_command", None)
    return f"{command} {sub}" if sub else command


_OS_PROBLEMS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "geen toegang (rechten)",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quotum) is op",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "bestaat al",
}


def os_error_message(exc: OSError) -> str:
    """An OS error in Dutch: the file it concerns and what is wrong with it."""
    problem = _OS_PROBLEMS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    where = exc.filename if exc.filename is not None else None
    return f"{where}: {problem}." if where else f"{problem}."


def _dispatch(args: argparse.Namespace) -> int:
    """Run the sub-command's function (``set_defaults(func=...)`` in ``_parser``) with the
    configuration, read first unless the command reads it itself."""
    if not args.config_first:
        return int(args.func(None, args))
    demo = bool(args.demo or args.command == "demo")
    return int(args.func(load_config(args.config, demo=demo), args))


def _run(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import staff as staff_service
    from tui_desk.services.auth import staff_for_login
    from tui_desk.services.desk import Desk

    if args.staff and not args.demo:
        _print("tui-desk: --staff werkt alleen in de oefenomgeving (--demo).", file=sys.stderr)
        return 2
    login = os.environ.get("TUI_DESK_LOGIN") or getpass.getuser()
    trainee = None
    if args.demo:
        db, trainee = _open_sandbox(cfg, args, login)
    else:
        db = _open(cfg, args)
    staff = staff_for_login(db, login)
    if args.demo and staff is None:
        wanted = args.staff or cfg.demo_auto_sign_in
        staff = staff_service.find(db, wanted) if wanted else None
        if args.staff and staff is None:
            _print(f"tui-desk: onbekende medewerker {args.staff!r}.", file=sys.stderr)
            return 2
    desk = Desk(config=cfg, db=db, demo=bool(args.demo), clock=_clock(args), staff=staff,
                login=login, trainee=trainee)
    from tui_desk.app import TuiDeskApp

    db.busy_wait = cfg.busy_wait
    app = TuiDeskApp(desk)
    try:
        app.run(mouse=False)
    finally:
        db.close()
    # Non-zero after an error that ended the session (Textual sets it), so a wrapper or
    # systemd sees it.
    return app.return_code or 0


def _db_copy(_cfg: Config | None, args: argparse.Namespace) -> int:
    """``tui-desk db copy``: a progress bar on a terminal (rich), silence otherwise, then one
    line per table with its rows and checksum."""
    from tui_desk.services.copy import copy_to_postgresql, where

    progress = None
    bar: Any = None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        bar = Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                       console=Console(stderr=True), transient=True)
        tasks: dict[str, Any] = {}

        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total or 1)
            bar.update(tasks[table], completed=done if total else 1)

    try:
        if bar is not None:
            bar.start()
        result = copy_to_postgresql(args.source, args.target, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    for check in result.tables:
        _print(f"{check.table:<28} {check.target_rows:>9} rijen  {check.target_sum[:16]}")
    _print(f"Gekopieerd naar {where(args.target)}: {len(result.tables)} tabellen, "
           f"{result.rows} rijen; aantallen en controlegetallen gelijk aan het origineel.")
    return 0
