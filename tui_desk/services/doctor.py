"""``tui-desk doctor``: is this installation ready for the counters? Said in plain words.

Every check is a small function that returns a ``Check(name, ok, message)``; ``run`` calls them
in order and the command exits 1 when any failed. Nothing is changed: the database is opened
read-only (no migration), the mail server only greeted (and logged in to when configured),
the printers only connected to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from tui_desk.config import Config, ConfigError, Workstation
from tui_desk.config import load as load_config
from tui_desk.store.db import DEMO, PRODUCTION, StoreError, latest_version
from tui_desk.store.health import mail_counts, read_facts

# Short timeouts: a doctor that hangs on an unplugged printer helps nobody.
NETWORK_TIMEOUT = 3.0
# Below this much free space next to the database, warn (WAL growth, a backup, migrations).
MIN_FREE_BYTES = 500 * 1024 * 1024


class Check(NamedTuple):
    name: str
    ok: bool
    message: str


def _mb(size: int) -> str:
    """``12,3 MB`` or ``81,4 GB``."""
    mb = size / (1024 * 1024)
    text = f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.1f} MB"
    return text.replace(".", ",")


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


# -- configuration against the database --------------------------------------------------------
def check_workstations(cfg: Config) -> Check | None:
    """Every SSH client address belongs to one workstation: a client listed under two (or in
    two overlapping networks) would always get the first one's printers."""
    import ipaddress

    if not cfg.workstations:
        return None
    seen: list[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
    problems = []
    for ws in cfg.workstations:
        for client in ws.clients:
            network = ipaddress.ip_network(client, strict=False)
            for other, known in seen:
                if other != ws.name and network.version == known.version and \
                        network.overlaps(known):
                    problems.append(f"{client} van {ws.name} valt ook onder {other} "
                                    f"({known}); die werkplek wint")
            seen.append((ws.name, network))
    if problems:
        return Check("Werkplekken", False, "; ".join(problems) + ".")
    return Check("Werkplekken", True, f"{len(cfg.workstations)} werkplek(ken), elk adres "
                                      "hoort bij één werkplek")


def check_staff(cfg: Config, path: Path, *, demo: bool) -> list[Check]:
    """The staff in the database against the configuration: their branch is configured (else
    their register and card numbers are of a branch that is gone), someone holds a role of
    ``[settlement] waive_roles`` (else nobody can waive), the demo's ``auto_sign_in`` exists."""
    from tui_desk.store.health import active_staff

    try:
        staff = active_staff(path)
    except StoreError:
        return []  # the database check says what is wrong with the file
    if not staff:
        return [Check("Medewerkers", True, "nog geen medewerkers (tui-desk staff add)")]
    checks = []
    codes = {b.code for b in cfg.branches}
    lost = [s for s in staff if s.branch_code not in codes]
    if lost:
        names = ", ".join(f"{s.username} ({s.branch_code})" for s in lost[:5])
        more = f" en nog {len(lost) - 5}" if len(lost) > 5 else ""
        checks.append(Check("Medewerkers", False,
                            f"vestiging niet in [[branches]]: {names}{more}; voeg de vestiging "
                            "weer toe of geef hen een andere."))
    else:
        checks.append(Check("Medewerkers", True, f"{len(staff)} actief, elk van een "
                                                 "geconfigureerde vestiging"))
    roles = cfg.settlement.waive_roles
    if not roles:
        checks.append(Check("Kwijtschelden", True, "[settlement] waive_roles is leeg: niemand "
                                                   "mag kwijtschelden"))
    else:
        allowed = [s for s in staff if s.roles & set(roles)]
        shown = ", ".join(roles)
        checks.append(
            Check("Kwijtschelden", True, f"{len(allowed)} medewerker(s) met rol {shown}")
            if allowed else
            Check("Kwijtschelden", False, f"geen actieve medewerker heeft een rol uit "
                                          f"[settlement] waive_roles ({shown}): niemand kan "
                                          "kwijtschelden."))
    if demo and cfg.demo_auto_sign_in and not any(
            s.username == cfg.demo_auto_sign_in for s in staff):
        checks.append(Check("Oefenomgeving", False,
                            f"[demo] auto_sign_in = {cfg.demo_auto_sign_in!r} is geen "
                            "medewerker van de oefendatabase (balie, educatie, beheer)."))
    return checks


# -- mail ----------------------------------------------------------------------------------------
def check_mail(cfg: Config) -> Check:
    mail = cfg.mail
    if not mail.configured:
        return Check("Mailserver", True,
                     "geen [mail] host: e-mail blijft in de wachtrij en wordt niet verzonden.")
    from tui_desk.services.mailer import check_connection

    # greet (STARTTLS/TLS) and log in, send nothing
    problem = check_connection(dataclasses.replace(mail,
                                                   timeout=min(mail.timeout, NETWORK_TIMEOUT)))
    if problem is not None:
        return Check("Mailserver", False, problem)
    login = f", ingelogd als {mail.username}" if mail.username else ""
    return Check("Mailserver", True, f"{mail.host}:{mail.port} bereikbaar ({mail.security}"
                                     f"{login})")


# -- printers --------------------------------------------------------------------------------------
PRINTER_KINDS: tuple[tuple[str, str], ...] = (
    ("receipt_printer", "bonprinter"),
    ("card_printer", "pasprinter"),
)


def printer_urls(ws: Workstation) -> list[tuple[str, str]]:
    """(kind label, URL) of the printers configured for a workstation, if any."""
    found = []
    for attr, label in PRINTER_KINDS:
        url = getattr(ws, attr, None)
        if isinstance(url, str) and url.strip():
            found.append((label, url.strip()))
    return found


def probe_printer(url: str, timeout: float = NETWORK_TIMEOUT) -> None:
    """Open and close the connection to a printer, as printing would: the address is read by
    ``devices.transports.parse_address`` and opened by ``open_transport`` (``tcp://host``
    means port 9100), with a short timeout. Raises PrinterError (Dutch message) or ValueError
    (a wrong address). Nothing is sent, and nothing is made:

    - the demo printer (``demo:``) is a folder made when the first job arrives: nothing to open;
    - a ``file://`` printer that does not exist yet is made by the first job: its folder must
      exist and be writable (opening it here would create the file).
    """
    from tui_desk.devices.transports import (
        DEMO,
        FILE,
        PrinterError,
        open_transport,
        parse_address,
    )

    address = parse_address(url)
    if address.kind == DEMO:
        return
    target = Path(address.target)
    if address.kind == FILE and not target.exists() and not address.target.startswith("/dev/"):
        folder = target.parent
        if not folder.is_dir():
            raise PrinterError(f"De map {folder} voor {target.name} bestaat niet.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PrinterError(f"Geen toegang tot {folder} om {target.name} te maken (rechten).")
        return
    open_transport(url, timeout=timeout).close()


def check_printer(workstation: str, kind: str, url: str,
                  probe: Callable[[str], None] = probe_printer) -> Check:
    from tui_desk.devices.transports import PrinterError

    name = f"Printer {workstation} ({kind})"
    try:
        probe(url)
    except PrinterError as exc:
        return Check(name, False, exc.message)
    except ValueError as exc:
        return Check(name, False, f"het adres {url!r} klopt niet: {exc}")
    except Exception as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError):
            reason = "geen antwoord (time-out)"
        return Check(name, False, f"{url} niet bereikbaar: {reason}. Staat de printer aan "
                                  "en klopt het adres?")
    return Check(name, True, f"{url} bereikbaar")


def probe_document_printer(url: str, timeout: float = NETWORK_TIMEOUT) -> None:
    """The office printer: ipptool is installed and the IPP port answers (nothing is printed),
    or the ``file://`` folder is writable. Raises PrinterError or ValueError."""
    import shutil
    import socket
    from urllib.parse import urlsplit

    from tui_desk.devices import ipp
    from tui_desk.devices.transports import PrinterError

    printer = ipp.parse_document_printer(url)
    if printer.kind == ipp.DEMO:
        return
    if printer.kind == ipp.FILE:
        folder = Path(printer.target)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise PrinterError(f"De map {folder} bestaat niet of is niet schrijfbaar.")
        return
    if shutil.which(ipp.IPPTOOL) is None:
        raise PrinterError("ipptool ontbreekt (apt-get install cups-ipp-utils).")
    parts = urlsplit(printer.target)
    port = parts.port or (443 if parts.scheme == "ipps" else 631)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as exc:
        raise PrinterError(f"{printer.display} niet bereikbaar: "
                           f"{getattr(exc, 'strerror', None) or exc}.") from None


def check_scan_inboxes(cfg: Config) -> list[Check]:
    """Every configured scan inbox is a folder the service account can read and empty."""
    folders = {cfg.scanning.inbox, *(b.scan_inbox for b in cfg.branches),
               *(w.scan_inbox for w in cfg.workstations)}
    checks = []
    for folder in sorted(f for f in folders if f is not None):
        ok = folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)
        checks.append(Check(f"Scanmap {folder}", ok,
                            "leesbaar en schrijfbaar" if ok else
                            "bestaat niet, of de dienstaccount mag er niet lezen en "
                            "verwijderen"))
    return checks


def check_printers(cfg: Config) -> list[Check]:
    checks = [check_printer(ws.name, kind, url)
              for ws in cfg.workstations for kind, url in printer_urls(ws)]
    checks += [check_printer(ws.name, "kantoorprinter", ws.document_printer,
                             probe=probe_document_printer)
               for ws in cfg.workstations if ws.document_printer]
    return checks


# -- privacy ---------------------------------------------------------------------------------
def check_privacy(cfg: Config, path: Path, now: dt.datetime | None = None) -> Check:
    """The privacy figures: what is kept beyond its retention term (README "Privacy").
    Reported, not a failure: ``tui-desk maintenance`` clears it on its next run."""
    from tui_desk.services.privacy import figures
    from tui_desk.store.health import open_read_only

    try:
        db = open_read_only(path)
    except Exception as exc:
        return Check("Privacy", False, f"niet te lezen: {exc}")
    try:
        found = figures(db, now or dt.datetime.now(), cfg.privacy)
    except Exception as exc:
        return Check("Privacy", True, f"geen cijfers ({exc}); start het programma eerst")
    finally:
        db.close()
    return Check("Privacy", True, "; ".join(found.lines()) + (
        " (tui-desk maintenance ruimt het op)" if found.beyond else ""))


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
