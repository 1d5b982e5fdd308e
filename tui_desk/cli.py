"""Command line: ``tui-desk`` starts the counter program; sub-commands serve the administrator."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import gc
import getpass
import os
import sys
from pathlib import Path
from typing import TextIO

from tui_desk import __version__
from tui_desk.clock import Clock, ShiftedClock, SystemClock
from tui_desk.config import Config, ConfigError, Workstation
from tui_desk.config import load as load_config
from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
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
    reset.set_defaults(func=_demo_reset)
    activate = demo_sub.add_parser(
        "activate", help="play the customer who clicks the activation link of a login account")
    activate.add_argument("username", help="the login account's username (case-sensitive)")
    activate.add_argument("--trainee", metavar="KEY",
                          help="in this trainee's sandbox (default: the sandbox that has it)")
    activate.set_defaults(func=_demo_activate)
    demo_sub.add_parser("exercises", help="list the training exercises").set_defaults(
        func=_demo_exercises)
    demo_sub.add_parser("progress", help="every trainee's exercise results").set_defaults(
        func=_demo_progress)

    sub.add_parser("maintenance", help="remove login accounts not activated within 24 hours "
                   "and send queued mail (for cron or a systemd timer); one run at a time"
                   ).set_defaults(func=_maintenance_command)

    mail = sub.add_parser("mail", help="the mail outbox: what was not sent, and sending it again")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    mail_retry = mail_sub.add_parser(
        "retry", help="queue parked mail again (all, or the mails given, parked or refused) "
                      "and send it now")
    mail_retry.add_argument("ids", nargs="*", type=int, metavar="ID")
    mail_retry.set_defaults(func=_mail_retry)
    mail_list = mail_sub.add_parser("list", help="list mail that was not sent (parked and "
                                    "refused; --queued for what waits)")
    mail_list.add_argument("--queued", action="store_true", help="also the queued mail")
    mail_list.set_defaults(func=_mail_list)

    cust = sub.add_parser("customer", help="a customer's data (AVG)")
    cust_sub = cust.add_subparsers(dest="customer_command", required=True)
    exp = cust_sub.add_parser("export", help="inzage: everything about a customer as JSON and "
                              "readable Dutch text (FILE.json and FILE.txt)")
    exp.add_argument("card", help="the customer's card number")
    exp.add_argument("-o", "--output", help="FILE: writes FILE.json and FILE.txt "
                     "(default: print the text)")
    exp.set_defaults(func=_customer_export)

    # doctor reads the configuration itself: a broken one is what it reports
    sub.add_parser("doctor", help="check configuration, database, mail and printers; "
                   "exit 1 when something is wrong").set_defaults(func=_doctor_command,
                                                                 config_first=False)
    bak = sub.add_parser("backup", help="online backup of the database (SQLite backup API), "
                         "checked with integrity_check")
    bak.add_argument("path", help="backup file, or a directory for a timestamped copy")
    bak.add_argument("--keep", type=int, metavar="N",
                     help="with a directory: keep the newest N timestamped copies")
    bak.set_defaults(func=_backup_command)

    prt = sub.add_parser("print", help="print membership cards; the print queue")
    prt_sub = prt.add_subparsers(dest="print_command", required=True)
    card = prt_sub.add_parser("ledenpas", help="print the ledenpas of one or more cards "
                              "(a batch, e.g. a school class)")
    card.add_argument("cards", nargs="+", metavar="CARDNUMBER")
    card.add_argument("--printer", metavar="URL", help="send to this printer instead of the "
                      "workstation's (e.g. file:///tmp/card.bin, tcp://host:9100, /dev/ttyUSB0)")
    card.add_argument("--workstation", help="the workstation (default: $TUI_DESK_WORKSTATION "
                      "or the SSH client's address)")
    card.set_defaults(func=_print_ledenpas)
    jobs = prt_sub.add_parser("jobs", help="list the print queue")
    jobs.add_argument("--all", action="store_true", help="all workstations")
    jobs.add_argument("--workstation")
    jobs.set_defaults(func=_print_jobs)
    again = prt_sub.add_parser("retry", help="send a failed print job again")
    again.add_argument("job", type=int, metavar="ID")
    again.set_defaults(func=_print_retry)
    drop = prt_sub.add_parser("cancel", help="cancel a queued or failed print job")
    drop.add_argument("job", type=int, metavar="ID")
    drop.set_defaults(func=_print_retry)

    tariffs = sub.add_parser("tariffs", help="tariffs and their prices")
    tariffs_sub = tariffs.add_subparsers(dest="tariffs_command", required=True)
    imp = tariffs_sub.add_parser(
        "import", help="load tariffs and prices from a TOML file (default: the packaged one); "
        "new prices are added with their valid-from date, old ones stay as history")
    imp.add_argument("file", nargs="?")
    imp.set_defaults(func=_tariffs_import)
    tariffs_sub.add_parser("list", help="list tariffs with their current price").set_defaults(
        func=_tariffs_list)

    pc = sub.add_parser("postcodes", help="the postcode table (postcode + number → street)")
    pc_sub = pc.add_subparsers(dest="postcodes_command", required=True)
    pc_imp = pc_sub.add_parser(
        "import", help="load a CSV (postcode,min_number,max_number,parity,street,place,region), "
        "e.g. made from the BAG open data")
    pc_imp.add_argument("file")
    pc_imp.add_argument("--replace", action="store_true", help="empty the table first")
    pc_imp.set_defaults(func=_postcodes_command)

    sepa = sub.add_parser("sepa-export", help="write the SEPA direct-debit file (pain.008.001.02) "
                          "of everything due on active mandates; nothing is collected twice")
    sepa.add_argument("--collection-date", required=True, metavar="YYYY-MM-DD",
                      help="the day the bank collects (ReqdColltnDt)")
    sepa.add_argument("-o", "--output", required=True, metavar="FILE.xml",
                      help="the file for the bank; never the database, and an existing file "
                      "that is not XML (or an earlier recorded export) only with --force")
    sepa.add_argument("--force", action="store_true",
                      help="replace an existing file at the output path")
    sepa.set_defaults(func=_sepa_export_command)

    staff = sub.add_parser("staff", help="manage staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a staff member")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--branch", required=True, help="branch code, e.g. 9401")
    add.add_argument("--roles", default="balie", help="comma separated: balie,educatie,beheer")
    add.add_argument("--login", help="operating-system (SSH) login that signs in as this person")
    add.set_defaults(func=_staff_command, action=_staff_add)
    staff_sub.add_parser("list", help="list staff").set_defaults(func=_staff_command,
                                                                 action=_staff_list)
    pin = staff_sub.add_parser("pin", help="set a staff member's PIN (asked twice)")
    pin.add_argument("username")
    pin.set_defaults(func=_staff_command, action=_staff_pin)
    return p


def _clock(args: argparse.Namespace) -> Clock:
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


def _open(cfg: Config, args: argparse.Namespace) -> Database:
    if args.demo:
        from tui_desk.store.demo import ensure_demo

        path = Path(args.db).expanduser() if args.db else cfg.demo_database
        return ensure_demo(path, cfg, _clock(args).today())
    path = Path(args.db).expanduser() if args.db else cfg.database
    db = open_database(path, environment=PRODUCTION)
    from tui_desk.store.branches import sync_branches
    from tui_desk.store.tariffs import ensure_tariffs

    sync_branches(db, cfg)
    # A new database starts with the packaged tariffs; later changes go through
    # 'tui-desk tariffs import'.
    ensure_tariffs(db)
    return db


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


def _open_sandbox(cfg: Config, args: argparse.Namespace, login: str) -> tuple[Database, str]:
    """The trainee's own copy of the training database (made on first use)."""
    from tui_desk.services.desk import trainee_key
    from tui_desk.store.sandbox import open_sandbox

    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    trainee = trainee_key(login, cfg.demo_shared_logins)
    db, _made = open_sandbox(template, trainee, cfg, _clock(args).now())
    return db, trainee


def _say(message: str) -> None:
    """One line on stderr; the message may quote stored or typed text: made printable."""
    _print(f"tui-desk: {message}", file=sys.stderr)


def _print(text: str = "", *, file: TextIO | None = None) -> None:
    """``print`` for everything the commands write: stored text (names, labels, messages)
    passes ``rules.text.printable`` line by line, so no escape sequence reaches the
    terminal."""
    print("\n".join(printable(line) for line in text.split("\n")), file=file)


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
    from tui_desk.services.auth import staff_for_login
    from tui_desk.services.desk import Desk
    from tui_desk.store import staff as staff_store

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
        staff = staff_store.by_username(db, wanted) if wanted else None
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


def _demo_reset(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.store.sandbox import remove_sandboxes

    path = Path(args.db).expanduser() if args.db else cfg.demo_database
    if args.trainee:
        removed = remove_sandboxes(path, args.trainee)
        if not removed:
            _print(f"tui-desk: geen oefenomgeving van {args.trainee!r}.", file=sys.stderr)
            return 1
        _print(f"Oefenomgeving van {args.trainee} verwijderd; de volgende start maakt een "
              "nieuwe.")
        return 0
    from tui_desk.store.demo import reset_demo

    db = reset_demo(path, cfg, _clock(args).today())
    from tui_desk.store.stats import customer_count

    count = customer_count(db)
    db.close()
    removed = remove_sandboxes(path)
    _print(f"Oefendatabase opnieuw opgebouwd: {path} ({count} klanten); "
          f"{len(removed)} oefenomgeving(en) van cursisten verwijderd.")
    return 0


def _demo_exercises(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.exercises import load_exercises

    for ex in load_exercises(cfg.demo_exercises):
        _print(f"{ex.id}  {ex.title}")
        for line in ex.assignment.strip().splitlines():
            _print(f"    {line}")
        _print()
    return 0


def _demo_progress(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.exercises import progress_lines

    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    _print("\n".join(progress_lines(template, cfg.demo_exercises)))
    return 0


def _demo_activate(cfg: Config, args: argparse.Namespace) -> int:
    """Activate in the trainee's sandbox: the one named with --trainee, else the first one in
    which the account can be activated (the template when no trainee has a sandbox yet)."""
    from tui_desk.services.identity import IdentityError
    from tui_desk.services.login_accounts import demo_activate
    from tui_desk.store.demo import ensure_demo
    from tui_desk.store.sandbox import sandbox_path, sandboxes

    clock = _clock(args)
    template = Path(args.db).expanduser() if args.db else cfg.demo_database
    if args.trainee:
        path = sandbox_path(template, args.trainee)
        if not path.exists():
            _print(f"tui-desk: geen oefenomgeving van {args.trainee!r}.", file=sys.stderr)
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
        _print(result.message)
        return 0
    _print(f"tui-desk: {error}", file=sys.stderr)
    return 1


def _maintenance_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.maintenance import run_all
    from tui_desk.store.lock import AlreadyRunning, exclusive

    clock = _clock(args)
    db = _open(cfg, args)
    try:
        with exclusive(db.path):
            lines = run_all(db, clock, cfg)
    except AlreadyRunning as exc:
        _print(str(exc))
        return 0
    finally:
        db.close()
    _print("\n".join(lines) if lines else "Onderhoud: niets te doen.")
    return 0


def _mail_list(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import mailer

    _clock(args)        # --today only in the training database, as for every command
    db = _open(cfg, args)
    try:
        statuses = ["parked", "failed"] + (["queued"] if args.queued else [])
        found = 0
        for status in statuses:
            for m in mailer.list_status(db, status):
                found += 1
                _print(f"{m.id:>6}  {m.created_at:%d-%m-%Y %H:%M}  "
                       f"{mailer.STATUS_LABELS.get(m.status, m.status):<11} "
                       f"{m.tries:>2}x  {printable(m.to_addr)}  {printable(m.subject)}"
                       + (f"\n        {printable(m.last_error)}" if m.last_error else ""))
        if not found:
            _print("Geen e-mail die wacht op de beheerder.")
        return 0
    finally:
        db.close()


def _mail_retry(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import mailer
    from tui_desk.store.lock import AlreadyRunning, exclusive

    clock = _clock(args)
    db = _open(cfg, args)
    try:
        count = mailer.retry_parked(db, clock, args.ids or None)
        if args.ids and count < len(args.ids):
            _print(f"tui-desk: {len(args.ids) - count} van de opgegeven berichten bestaan niet "
                   "of zijn al verzonden.", file=sys.stderr)
        _print(f"{count} e-mail(s) opnieuw in de wachtrij gezet.")
        if not count:
            return 0 if not args.ids else 1
        try:
            with exclusive(db.path):
                lines = mailer.deliver_due(db, clock, cfg.mail).lines()
        except AlreadyRunning as exc:
            _print(f"{exc} De lopende onderhoudsrun of de volgende verstuurt ze.")
            return 0
        _print("\n".join(lines) if lines else "E-mail: niets verzonden.")
        return 0
    finally:
        db.close()


def _customer_export(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import privacy
    from tui_desk.store.privacy import customer_by_card

    clock = _clock(args)
    db = _open(cfg, args)
    try:
        found = customer_by_card(db, args.card.strip())
        if found is None:
            _say(f"pas {args.card} is onbekend.")
            return 1
        result = privacy.export(db, clock, None, found[0], via="tui-desk customer export")
    finally:
        db.close()
    if args.output:
        base = Path(args.output).expanduser()
        if base.suffix in (".json", ".txt"):
            base = base.with_suffix("")
        json_path, text_path = base.with_suffix(".json"), base.with_suffix(".txt")
        privacy.write_export(result, json_path, text_path)
        _print(f"Inzage geschreven: {json_path} en {text_path}")
    else:
        _print(result.as_text())
    return 0


def _sepa_export_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.sepa_export import ExportError, export_collection

    try:
        day = dt.date.fromisoformat(args.collection_date)
    except ValueError:
        raise ConfigError("tui-desk", "--collection-date",
                          f"geen datum JJJJ-MM-DD: {args.collection_date!r}") from None
    db = _open(cfg, args)
    try:
        result = export_collection(db, _clock(args), cfg, day, args.output,
                                   force=args.force)
    except ExportError as exc:
        _print(f"tui-desk: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    _print("\n".join(result.lines()))
    return 0


def _doctor_command(_cfg: None, args: argparse.Namespace) -> int:
    from tui_desk.services import doctor

    checks = doctor.run(args.config, demo=bool(args.demo), db_override=args.db)
    _print(doctor.report(checks))
    return 0 if all(c.ok for c in checks) else 1


def _backup_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.clock import SystemClock
    from tui_desk.store.backup import BackupError, backup

    source = Path(args.db).expanduser() if args.db else (
        cfg.demo_database if args.demo else cfg.database)
    try:
        target = os.path.expanduser(args.path)  # str: a trailing "/" means a directory
        result = backup(source, target, now=SystemClock().now(),
                        keep=args.keep)
    except BackupError as exc:
        _print(f"tui-desk: reservekopie niet gemaakt: {exc}", file=sys.stderr)
        return 1
    size = f"{result.size / (1024 * 1024):.1f}".replace(".", ",")
    _print(f"Reservekopie gemaakt: {result.path} ({size} MB), gecontroleerd: "
           f"integrity_check {result.integrity}.")
    for old in result.removed:
        _print(f"Oude reservekopie verwijderd: {old}")
    return 0


def _tariffs_import(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.store import tariffs

    db = _open(cfg, args)
    try:
        count = tariffs.load_tariffs(db, args.file)
    finally:
        db.close()
    _print(f"{count} tarieven ingelezen uit {args.file or 'het meegeleverde bestand'}.")
    return 0


def _tariffs_list(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.rules.money import format_cents
    from tui_desk.store import tariffs
    from tui_desk.store.subscriptions import tariff_rules

    db = _open(cfg, args)
    try:
        today = _clock(args).today()
        for spec in tariff_rules(db).values():
            try:
                audience = "institution" if spec.audience == "institution" else "person"
                price = format_cents(tariffs.price_on(db, spec.code, audience, today))
            except StoreError:
                price = "geen prijs"
            _print(f"{spec.code}  {printable(spec.name):<32} {price:>10}  {spec.audience}")
        return 0
    finally:
        db.close()


def _postcodes_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.store.postcodes import load_postcodes

    db = _open(cfg, args)
    try:
        count = load_postcodes(db, args.file, replace=args.replace)
    finally:
        db.close()
    _print(f"{count} postcodereeksen ingelezen uit {args.file}.")
    return 0


def _staff_command(cfg: Config, args: argparse.Namespace) -> int:
    """``tui-desk staff ...``: the sub-command's ``action`` on the opened database; a refused
    command (``services.staff.StaffError``) is one line and exit 2."""
    from tui_desk.services.staff import StaffError

    db = _open(cfg, args)
    try:
        return int(args.action(cfg, db, args))
    except StaffError as exc:
        _say(str(exc))
        return 2
    finally:
        db.close()


def _staff_list(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    for s in staff.all_staff(db):
        _print(f"{printable(s.username):<16} {printable(s.name):<28} {s.branch_code}  "
               f"{','.join(sorted(s.roles)):<22} {printable(s.login)}")
    return 0


def _staff_add(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    staff.add(db, cfg, username=args.username, name=args.name, branch=args.branch,
              roles=args.roles, login=args.login)
    _print(f"Medewerker {args.username} toegevoegd; zet een pincode met "
           f"'tui-desk staff pin {args.username}'.")
    return 0


def _staff_pin(cfg: Config, db: Database, args: argparse.Namespace) -> int:
    from tui_desk.services import staff

    member = staff.member(db, args.username)
    first = getpass.getpass("Nieuwe pincode: ")
    staff.check_pin(first)
    staff.check_repeated(first, getpass.getpass("Nogmaals: "))
    staff.set_pin(db, member, first)
    _print("Pincode gezet.")
    return 0


def _workstation(cfg: Config, args: argparse.Namespace) -> Workstation:
    """The workstation of ``--workstation``, else of this session (``services.workstations``)."""
    from tui_desk.services.workstations import WORKSTATION_ENV, resolve_workstation

    environ = dict(os.environ)
    if getattr(args, "workstation", None):
        environ[WORKSTATION_ENV] = args.workstation
    return resolve_workstation(cfg, environ, demo=bool(args.demo))


def _print_jobs(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import printing

    workstation = _workstation(cfg, args)
    _clock(args)        # --today only in the training database, as for every command
    db = _open(cfg, args)
    try:
        wanted = None if args.all else workstation.name
        jobs = printing.list_jobs(db, wanted)
        if not jobs:
            _print("Geen printopdrachten" + ("." if wanted is None else f" voor {wanted}."))
        for job in jobs:
            row = {k: printable(v) for k, v in printing.describe(job).items()}
            _print(f"{job.id:>5}  {row['Tijd']}  {row['Soort']:<15} {row['Status']:<11} "
                   f"{row['Pogingen']:>2}x  {row['Printer']}  {row['Klant']}"
                   + (f"\n       {row['Laatste fout']}" if row["Laatste fout"] else ""))
        return 0
    finally:
        db.close()


def _print_retry(cfg: Config, args: argparse.Namespace) -> int:
    """``print retry`` and ``print cancel``."""
    from tui_desk.services import printing

    clock = _clock(args)
    db = _open(cfg, args)
    try:
        if args.print_command == "retry":
            outcome = printing.retry(db, clock, args.job, cfg)
        else:
            outcome = printing.cancel(db, clock, args.job)
    finally:
        db.close()
    _print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


def _print_ledenpas(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import printing

    workstation = _workstation(cfg, args)
    clock = _clock(args)
    db = _open(cfg, args)
    try:
        failures = 0
        for number in args.cards:
            owner = printing.card_owner(db, number.strip())
            if owner is None or owner[0] is None:
                _print(f"{number}: onbekende of niet uitgegeven pas.", file=sys.stderr)
                failures += 1
                continue
            outcome = printing.print_ledenpas(db, clock, cfg, workstation, owner[0],
                                              card_number=number.strip(),
                                              printer_url=args.printer)
            _print(f"{number}: {outcome.message}", file=sys.stdout if outcome.ok else sys.stderr)
            failures += 0 if outcome.ok else 1
        return 0 if failures == 0 else 1
    finally:
        db.close()
