"""``tui-desk doctor``: is this installation ready for the counters? Said in plain words.

Every check is a small function that returns a ``Check(name, ok, message)``; ``run`` calls them
in order and the command exits 1 when any failed. Nothing is changed: the database is opened
read-only (no migration), the mail server only greeted (and logged in to when configured),
the printers only connected to. A PostgreSQL database (``[database] url``) gets its own checks
(``doctor.postgresql``): the connection, the schema version, the role's rights; the file
checks (permissions, disk space beside the file) do not apply to it.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from tui_desk.config import Config, ConfigError
from tui_desk.config import load as load_config
from tui_desk.services.doctor.common import NETWORK_TIMEOUT, Check, _mb
from tui_desk.services.doctor.devices import (
    PRINTER_KINDS,
    check_printer,
    check_printers,
    check_scan_inboxes,
    printer_urls,
    probe_document_printer,
    probe_printer,
)
from tui_desk.services.doctor.postgresql import check_postgresql
from tui_desk.services.doctor.setup import (
    check_mail,
    check_privacy,
    check_staff,
    check_workstations,
)
from tui_desk.store.db import DEMO, PRODUCTION, StoreError, is_url, latest_version
from tui_desk.store.health import mail_counts, read_facts

# Below this much free space next to the database, warn (WAL growth, a backup, migrations).
MIN_FREE_BYTES = 500 * 1024 * 1024


# -- configuration ---------------------------------------------------------------------------------
def check_config(explicit: str | None, *, demo: bool) -> tuple[Config | None, Check]:
    try:
        cfg = load_config(explicit, demo=demo)
    except ConfigError as exc:
        every = getattr(exc, "errors", [exc])   # ConfigProblems: every problem in the file
        where = f"{exc.source}: " if exc.source != "tui-desk" else ""
        text = "; ".join(f"{e.key}: {e.problem}" for e in every)
        return None, Check("Configuratie", False,
                           f"de configuratie is niet te gebruiken: {where}{text}")
    return cfg, Check("Configuratie", True,
                      f"{cfg.source}: {len(cfg.branches)} vestiging(en), "
                      f"{len(cfg.workstations)} werkplek(ken)")


def check_config_file(cfg: Config) -> Check | None:
    """Not writable by others; not readable by others when it holds the SMTP password."""
    path = Path(cfg.source)
    if not path.is_file():
        return None  # the built-in demo configuration
    mode = path.stat().st_mode
    if mode & stat.S_IWOTH or mode & stat.S_IWGRP:
        return Check("Rechten configuratie", False,
                     f"{path} kan door anderen worden gewijzigd (rechten "
                     f"{stat.filemode(mode)}); maak het 0640 of 0600 (chmod go-w).")
    if cfg.mail.password and mode & stat.S_IROTH:
        return Check("Rechten configuratie", False,
                     f"{path} bevat het SMTP-wachtwoord en is voor iedereen leesbaar; "
                     "gebruik mail.password_file of chmod o-r.")
    return Check("Rechten configuratie", True, f"{path} ({stat.filemode(mode)})")


def check_creditor(cfg: Config) -> Check | None:
    """The incassant (``[creditor]``), when configured; loading the configuration has already
    checked the incassant-ID's check digits, the IBAN and the BIC."""
    creditor = getattr(cfg, "creditor", None)
    if creditor is None:
        return None
    from tui_desk.rules.banking import mask_iban

    return Check("Incassant", True, f"{creditor.id} ({creditor.name}), rekening "
                                    f"{mask_iban(creditor.iban)}")


def check_mail_settings(cfg: Config) -> Check | None:
    mail = cfg.mail
    if mail.password_file is None:
        return None
    try:
        secret = mail.secret()
    except ConfigError as exc:
        return Check("E-mailwachtwoord", False, f"het wachtwoordbestand is niet te lezen: "
                                                 f"{exc.problem}")
    if not secret:
        return Check("E-mailwachtwoord", False, f"{mail.password_file} is leeg.")
    st = mail.password_file.stat()
    # root:tui-desk 0640 is fine (the service reads, cannot change it); others reading is not.
    own_groups = {os.getegid(), *os.getgroups()}
    if st.st_mode & stat.S_IRWXO or (st.st_mode & stat.S_IRGRP and st.st_gid not in own_groups):
        return Check("E-mailwachtwoord", False,
                     f"{mail.password_file} is leesbaar voor anderen "
                     f"({stat.filemode(st.st_mode)}); chmod 0600, of 0640 met de groep van "
                     "de dienstgebruiker.")
    return Check("E-mailwachtwoord", True,
                 f"{mail.password_file} ({stat.filemode(st.st_mode)})")


# -- database ----------------------------------------------------------------------------------
def database_path(cfg: Config, *, demo: bool, override: str | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    return cfg.demo_database if demo else cfg.database


def database_url(cfg: Config, *, demo: bool, override: str | None = None) -> str | None:
    """The PostgreSQL URL to check (``--db postgresql://…`` or ``[database] url``), or None for
    an SQLite file."""
    if override:
        return override if is_url(override) else None
    return None if demo else cfg.database_url


def check_database(path: Path, *, demo: bool) -> Check:
    if not path.exists():
        return Check("Database", False,
                     f"{path} bestaat niet. Het programma maakt hem bij de eerste start; "
                     "controleer anders [database] path.")
    try:
        facts = read_facts(path)
    except StoreError as exc:
        return Check("Database", False, f"{path} is niet te lezen: {exc}.")
    wanted = DEMO if demo else PRODUCTION
    problems = []
    if facts.quick_check != "ok":
        problems.append(f"de controle vindt fouten ({facts.quick_check}); zet een "
                        "reservekopie terug (docs/deployment.md)")
    latest = latest_version()
    if facts.schema_version > latest:
        problems.append(f"geschreven door een nieuwere versie (schema {facts.schema_version}, "
                        f"deze versie kent t/m {latest}); installeer de nieuwste versie")
    if facts.environment is not None and facts.environment != wanted:
        problems.append("dit is de oefendatabase" if facts.environment == DEMO
                        else "dit is de productiedatabase")
    if problems:
        return Check("Database", False, f"{path}: " + "; ".join(problems) + ".")
    notes = ["quick_check ok"]
    # A restored backup is one file in DELETE mode: the program turns WAL on when it opens it.
    notes.append("WAL" if facts.journal_mode == "wal" else
                 f"journal {facts.journal_mode}: de eerste start zet WAL aan")
    notes.append(f"schema {facts.schema_version}" if facts.schema_version >= latest else
                 f"schema {facts.schema_version} → {latest} bij de volgende start")
    return Check("Database", True, f"{path}: in orde ({', '.join(notes)})")


def check_outbox(path: Path) -> Check | None:
    """Mail that waits for the administrator: parked after its tries, or refused."""
    try:
        counts = mail_counts(path)
    except StoreError:
        return None
    parked, failed = counts.get("parked", 0), counts.get("failed", 0)
    queued = counts.get("queued", 0)
    if not parked and not failed:
        return Check("E-mailwachtrij", True, f"{queued} in de wachtrij, niets geparkeerd")
    from tui_desk.services.mailer import not_sent_lines

    return Check("E-mailwachtrij", False, " ".join(
        line.removeprefix("LET OP: ") for line in not_sent_lines(parked, failed)))


def check_permissions(path: Path) -> Check:
    """Personal data: the file (and WAL/SHM) 0600 and its folder 0700, owned by this user."""
    if not path.exists():
        return Check("Rechten database", False, f"{path} bestaat niet.")
    me = os.geteuid()
    problems = []
    folder = path.parent
    st = folder.stat()
    if st.st_mode & 0o077:
        problems.append(f"de map {folder} is toegankelijk voor anderen "
                        f"({stat.filemode(st.st_mode)}; chmod 0700)")
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if not f.exists():
            continue
        st = f.stat()
        if st.st_mode & 0o077:
            problems.append(f"{f.name} is leesbaar voor anderen "
                            f"({stat.filemode(st.st_mode)}; chmod 0600)")
        if st.st_uid != me:
            problems.append(f"{f.name} is van gebruiker {_user(st.st_uid)}, niet van "
                            f"{_user(me)} die het programma draait")
    if problems:
        return Check("Rechten database", False, "; ".join(problems) + ".")
    return Check("Rechten database", True, f"alleen leesbaar voor {_user(me)} (0600 in 0700)")


def _user(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


def check_disk(path: Path) -> Check:
    folder = path.parent if path.parent.exists() else Path.home()
    usage = shutil.disk_usage(folder)
    size = path.stat().st_size if path.exists() else 0
    needed = max(MIN_FREE_BYTES, 2 * size)
    if usage.free < needed:
        return Check("Schijfruimte", False,
                     f"nog {_mb(usage.free)} vrij bij {folder}; nodig is minstens "
                     f"{_mb(needed)} (groei, reservekopie).")
    return Check("Schijfruimte", True, f"{_mb(usage.free)} vrij bij {folder}")


# -- all together ------------------------------------------------------------------------------
def run(explicit_config: str | None, *, demo: bool = False,
        db_override: str | None = None) -> list[Check]:
    cfg, first = check_config(explicit_config, demo=demo)
    checks = [first]
    if cfg is None:
        return checks
    optional: Iterable[Check | None] = (check_config_file(cfg), check_creditor(cfg),
                                        check_mail_settings(cfg))
    checks += [c for c in optional if c is not None]
    workstations = check_workstations(cfg)
    if workstations is not None:
        checks.append(workstations)
    url = database_url(cfg, demo=demo, override=db_override)
    if url is not None:
        checks += check_postgresql(url, demo=demo)
        checks.append(check_mail(cfg))
        checks += check_printers(cfg)
        checks += check_scan_inboxes(cfg)
        return checks
    path = database_path(cfg, demo=demo, override=db_override)
    checks.append(check_database(path, demo=demo))
    if path.exists():
        checks.append(check_permissions(path))
        checks += check_staff(cfg, path, demo=demo)
        outbox = check_outbox(path)
        if outbox is not None:
            checks.append(outbox)
    checks.append(check_disk(path))
    if path.exists():
        checks.append(check_privacy(cfg, path))
    checks.append(check_mail(cfg))
    checks += check_printers(cfg)
    checks += check_scan_inboxes(cfg)
    return checks


def report(checks: list[Check]) -> str:
    """The checks, one line each; names and messages (they quote configured and stored text)
    pass ``rules.text.printable``."""
    from tui_desk.rules.text import printable

    lines = []
    for c in checks:
        lines.append(f"{'ok  ' if c.ok else 'FOUT'}  {printable(c.name)}: {printable(c.message)}")
    bad = sum(not c.ok for c in checks)
    lines.append("")
    lines.append("Alles in orde." if not bad else
                 f"{bad} {'probleem' if bad == 1 else 'problemen'} gevonden.")
    return "\n".join(lines)


__all__ = [
    "Check",
    "MIN_FREE_BYTES",
    "NETWORK_TIMEOUT",
    "PRINTER_KINDS",
    "check_config",
    "check_config_file",
    "check_creditor",
    "check_database",
    "check_disk",
    "check_mail",
    "check_mail_settings",
    "check_outbox",
    "check_permissions",
    "check_postgresql",
    "check_printer",
    "check_printers",
    "check_privacy",
    "check_scan_inboxes",
    "check_staff",
    "check_workstations",
    "database_path",
    "database_url",
    "printer_urls",
    "probe_document_printer",
    "probe_printer",
    "report",
    "run",
]
