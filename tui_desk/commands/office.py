"""The office's sub-commands of ``tui-desk``: maintenance, mail, a customer's inzage, the
SEPA export and printing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from tui_desk.commands.common import clock_of, database, out
from tui_desk.config import Config, ConfigError, Workstation
from tui_desk.rules.text import printable


def maintenance_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.maintenance import AlreadyRunning, maintenance_lock, run_all

    clock = clock_of(args)
    with database(cfg, args) as db:
        try:
            with maintenance_lock(db):
                lines = run_all(db, clock, cfg)
        except AlreadyRunning as exc:
            out(str(exc))
            return 0
    out("\n".join(lines) if lines else "Onderhoud: niets te doen.")
    return 0


def mail_list(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import mailer

    clock_of(args)        # --today only in the training database, as for every command
    with database(cfg, args) as db:
        statuses = ["parked", "failed"] + (["queued"] if args.queued else [])
        found = 0
        for status in statuses:
            for m in mailer.list_status(db, status):
                found += 1
                out(f"{m.id:>6}  {m.created_at:%d-%m-%Y %H:%M}  "
                    f"{mailer.STATUS_LABELS.get(m.status, m.status):<11} "
                    f"{m.tries:>2}x  {printable(m.to_addr)}  {printable(m.subject)}"
                    + (f"\n        {printable(m.last_error)}" if m.last_error else ""))
        if not found:
            out("Geen e-mail die wacht op de beheerder.")
        return 0


def mail_retry(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import mailer
    from tui_desk.services.maintenance import AlreadyRunning, maintenance_lock

    clock = clock_of(args)
    with database(cfg, args) as db:
        count = mailer.retry_parked(db, clock, args.ids or None)
        if args.ids and count < len(args.ids):
            out(f"tui-desk: {len(args.ids) - count} van de opgegeven berichten bestaan niet "
                "of zijn al verzonden.", file=sys.stderr)
        out(f"{count} e-mail(s) opnieuw in de wachtrij gezet.")
        if not count:
            return 0 if not args.ids else 1
        try:
            with maintenance_lock(db):
                lines = mailer.deliver_due(db, clock, cfg.mail).lines()
        except AlreadyRunning as exc:
            out(f"{exc} De lopende onderhoudsrun of de volgende verstuurt ze.")
            return 0
        out("\n".join(lines) if lines else "E-mail: niets verzonden.")
        return 0


def customer_export(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import privacy

    clock = clock_of(args)
    with database(cfg, args) as db:
        result = privacy.export_by_card(db, clock, args.card, via="tui-desk customer export")
    if args.output:
        base = Path(args.output).expanduser()
        if base.suffix in (".json", ".txt"):
            base = base.with_suffix("")
        json_path, text_path = base.with_suffix(".json"), base.with_suffix(".txt")
        privacy.write_export(result, json_path, text_path)
        out(f"Inzage geschreven: {json_path} en {text_path}")
    else:
        out(result.as_text())
    return 0


def sepa_export_command(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services.sepa_export import ExportError, export_collection

    try:
        day = dt.date.fromisoformat(args.collection_date)
    except ValueError:
        raise ConfigError("tui-desk", "--collection-date",
                          f"geen datum JJJJ-MM-DD: {args.collection_date!r}") from None
    with database(cfg, args) as db:
        try:
            result = export_collection(db, clock_of(args), cfg, day, args.output,
                                       force=args.force)
        except ExportError as exc:
            out(f"tui-desk: {exc}", file=sys.stderr)
            return 1
    out("\n".join(result.lines()))
    return 0


def workstation_of(cfg: Config, args: argparse.Namespace) -> Workstation:
    """The workstation of ``--workstation``, else of this session (``services.workstations``)."""
    from tui_desk.services.workstations import WORKSTATION_ENV, resolve_workstation

    environ = dict(os.environ)
    if getattr(args, "workstation", None):
        environ[WORKSTATION_ENV] = args.workstation
    return resolve_workstation(cfg, environ, demo=bool(args.demo))


def print_jobs(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import printing

    workstation = workstation_of(cfg, args)
    clock_of(args)        # --today only in the training database, as for every command
    with database(cfg, args) as db:
        wanted = None if args.all else workstation.name
        jobs = printing.list_jobs(db, wanted)
        if not jobs:
            out("Geen printopdrachten" + ("." if wanted is None else f" voor {wanted}."))
        for job in jobs:
            row = {k: printable(v) for k, v in printing.describe(job).items()}
            out(f"{job.id:>5}  {row['Tijd']}  {row['Soort']:<15} {row['Status']:<11} "
                f"{row['Pogingen']:>2}x  {row['Printer']}  {row['Klant']}"
                + (f"\n       {row['Laatste fout']}" if row["Laatste fout"] else ""))
        return 0


def print_retry(cfg: Config, args: argparse.Namespace) -> int:
    """``print retry`` and ``print cancel``."""
    from tui_desk.services import printing

    clock = clock_of(args)
    with database(cfg, args) as db:
        if args.print_command == "retry":
            outcome = printing.retry(db, clock, args.job, cfg)
        else:
            outcome = printing.cancel(db, clock, args.job)
    out(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


def print_ledenpas(cfg: Config, args: argparse.Namespace) -> int:
    from tui_desk.services import printing

    workstation = workstation_of(cfg, args)
    clock = clock_of(args)
    with database(cfg, args) as db:
        failures = 0
        for number in args.cards:
            owner = printing.card_owner(db, number.strip())
            if owner is None or owner[0] is None:
                out(f"{number}: onbekende of niet uitgegeven pas.", file=sys.stderr)
                failures += 1
                continue
            outcome = printing.print_ledenpas(db, clock, cfg, workstation, owner[0],
                                              card_number=number.strip(),
                                              printer_url=args.printer)
            out(f"{number}: {outcome.message}", file=sys.stdout if outcome.ok else sys.stderr)
            failures += 0 if outcome.ok else 1
        return 0 if failures == 0 else 1

