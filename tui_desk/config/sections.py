"""One reader per section of the configuration file: ``[mail]``, ``[printing]``, ``[[branches]]``
and the others, each returning its typed settings or raising a ConfigError naming the key."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui_desk.config.office import (
    _creditor,
    _identity,
    _mail,
    _privacy,
    _registration,
    _settlement,
)
from tui_desk.config.paths import default_data_dir
from tui_desk.config.reader import Reader, optional_path, path_value
from tui_desk.config.settings import (
    CARD_BARCODES,
    DEFAULT_PRINTER_TIMEOUT,
    DEFAULT_SHARED_LOGINS,
    FORM_BARCODES,
    RECEIPT_COLUMNS,
    Branch,
    Config,
    ConfigError,
    IdentitySettings,
    Library,
    MailSettings,
    PrintingSettings,
    PrivacySettings,
    RegistrationSettings,
    ScanningSettings,
    SettlementSettings,
    Workstation,
)

_BRANCH_CODE = re.compile(r"^[0-9]{4}$")


def _clients(reader: Reader) -> tuple[str, ...]:
    """``clients``: SSH client addresses or networks; one that can never match is an error."""
    clients = tuple(c.strip() for c in reader.str_list("clients"))
    for client in clients:
        try:
            if "/" in client:
                ipaddress.ip_network(client, strict=False)
            else:
                ipaddress.ip_address(client)
        except ValueError:
            raise reader.fail("clients", f"{client!r} is not an IP address or network "
                                         "(e.g. 10.20.0.11 or 10.20.0.0/24)") from None
    return clients


def _printing(top: Reader, base: Path | None) -> PrintingSettings:
    printing = top.table_("printing")
    return PrintingSettings(
        tries=int(printing.number("tries", 2, minimum=1, maximum=10, integer=True)),
        retry_delay=float(printing.number("retry_delay", 1.0, minimum=0, maximum=60)),
        timeout=float(printing.number("timeout", DEFAULT_PRINTER_TIMEOUT, minimum=0.05,
                                      maximum=600)),
        demo_folder=path_value(printing, "demo_folder", default_data_dir() / "printer-demo", base),
    )


def _scanning(top: Reader, base: Path | None) -> ScanningSettings:
    scanning = top.table_("scanning")
    barcode = scanning.str("barcode", "code128") or ""
    if barcode not in FORM_BARCODES:
        raise scanning.fail("barcode", f'must be "code128" or "codabar", not {barcode!r}')
    return ScanningSettings(inbox=optional_path(scanning, "inbox", base),
                            export=optional_path(scanning, "export", base), barcode=barcode)


def _printers(reader: Reader, printing: PrintingSettings) -> dict[str, Any]:
    """The printer keys of a ``[[workstations]]`` entry, checked, as Workstation fields."""
    from tui_desk.devices.transports import parse_address

    found: dict[str, Any] = {}
    for key in ("receipt_printer", "card_printer"):
        url = reader.str(key)
        if url is None:
            continue
        try:
            parse_address(url)
        except ValueError as exc:
            raise reader.fail(key, str(exc)) from None
        found[key] = url.strip()
    document = reader.str("document_printer")
    if document is not None:
        from tui_desk.devices.ipp import parse_document_printer

        try:
            parse_document_printer(document)
        except ValueError as exc:
            raise reader.fail("document_printer", str(exc)) from None
        found["document_printer"] = document.strip()
    found["printer_timeout"] = float(reader.number("printer_timeout", printing.timeout,
                                                   minimum=0.05, maximum=600))
    for key, default in (("receipt_baudrate", 9600), ("card_baudrate", 115200)):
        found[key] = int(reader.number(key, default, minimum=1200, maximum=921600,
                                       integer=True))
    columns = int(reader.number("receipt_columns", 42, minimum=0, maximum=1000, integer=True))
    if columns not in RECEIPT_COLUMNS:
        raise reader.fail("receipt_columns", f"must be 42 or 48, not {columns}")
    found["receipt_columns"] = columns
    barcode = reader.str("card_barcode", "codabar") or ""
    if barcode not in CARD_BARCODES:
        raise reader.fail("card_barcode", f'must be "codabar" or "code128", not {barcode!r}')
    found["card_barcode"] = barcode
    found["receipt_status"] = reader.flag("receipt_status", True)
    found["card_replies"] = reader.flag("card_replies", True)
    return found


def _library(top: Reader) -> Library:
    lib = top.table_("library")
    return Library(
        name=lib.str("name", required=True) or "",
        address=lib.str("address", "") or "",
        postcode=lib.str("postcode", "") or "",
        place=lib.str("place", "") or "",
    )


def _training(top: Reader, base: Path | None) -> tuple[tuple[str, ...], Path | None]:
    """``[demo] shared_logins`` and ``[demo] exercises``."""
    demo = top.table_("demo")
    shared = (demo.str_list("shared_logins") if "shared_logins" in demo.table
              else DEFAULT_SHARED_LOGINS)
    for login in shared:
        if not login.strip() or login != login.strip():
            raise demo.fail("shared_logins", f"not a login name: {login!r}")
    return shared, optional_path(demo, "exercises", base)


def _branches(top: Reader, source: str, base: Path | None) -> list[Branch]:
    branches: list[Branch] = []
    for reader in top.tables("branches"):
        code = reader.str("code", required=True) or ""
        if not _BRANCH_CODE.match(code):
            raise reader.fail("code", f"must be four digits, not {code!r}")
        if any(b.code == code for b in branches):
            raise reader.fail("code", f"branch {code} is listed twice")
        name = reader.str("name", required=True) or ""
        registers = reader.str_list("registers") or (f"Kas {name}",)
        branches.append(Branch(code, name, reader.str("place", name.upper()) or "", registers,
                               optional_path(reader, "scan_inbox", base)))
    if not branches:
        raise ConfigError(source, "branches", "at least one [[branches]] entry is needed")
    return branches


def _workstations(top: Reader, branches: list[Branch], printing: PrintingSettings,
                  base: Path | None) -> list[Workstation]:
    known = {b.code for b in branches}
    workstations: list[Workstation] = []
    for reader in top.tables("workstations"):
        name = reader.str("name", required=True) or ""
        branch = reader.str("branch", required=True) or ""
        if branch not in known:
            raise reader.fail("branch", f"unknown branch {branch!r} (not in [[branches]])")
        register = reader.str("register")
        if register is not None:
            registers = next(b.registers for b in branches if b.code == branch)
            if register not in registers:
                raise reader.fail("register", f"{register!r} is not a register of branch {branch}")
        if any(w.name == name for w in workstations):
            raise reader.fail("name", f"workstation {name!r} is listed twice")
        workstations.append(Workstation(name, branch, _clients(reader), register,
                                        **_printers(reader, printing),
                                        scan_inbox=optional_path(reader, "scan_inbox", base)))
    return workstations


DATABASE_URL_SCHEMES = ("postgresql", "postgres")


def _database_url(reader: Reader) -> str | None:
    """``[database] url``: a PostgreSQL server instead of the SQLite file (``path``)."""
    url = reader.str("url")
    if url is None:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in DATABASE_URL_SCHEMES:
        raise reader.fail("url", "must start with postgresql:// (a PostgreSQL server; an SQLite "
                                 "file is set with path)")
    if not parts.path.strip("/"):
        raise reader.fail("url", "names no database: postgresql://[user@]host/DATABASE")
    if reader.has("path"):
        raise reader.fail("url", "set either path (SQLite) or url (PostgreSQL), not both")
    if parts.password:
        raise reader.fail("url", "holds a password: put it in ~/.pgpass (mode 0600) or use the "
                                 "server's Unix socket with peer authentication")
    return url


class Problems:
    """The ConfigErrors of one ``parse``: every section is checked even when an earlier one is
    wrong, so that one run (``doctor``) names every problem, not only the first."""

    def __init__(self) -> None:
        self.errors: list[ConfigError] = []
        self.failed: set[str] = set()      # top-level sections with an error

    def run(self, section: str, read: Callable[[], Any], default: Any) -> Any:
        try:
            return read()
        except ConfigError as exc:
            self.errors.append(exc)
            self.failed.add(section)
            return default


def parse_sections(top: Reader, source: str, base: Path | None, problems: Problems) -> Config:
    run = problems.run
    library = run("library", lambda: _library(top), Library(name=""))
    database = run("database", lambda: path_value(top.table_("database"), "path",
                                             default_data_dir() / "tui-desk.sqlite3", base),
                   default_data_dir() / "tui-desk.sqlite3")
    database_url = run("database.url", lambda: _database_url(top.table_("database")), None)
    busy_wait = run("database.busy_wait", lambda: float(top.table_("database").number(
        "busy_wait", 10.0, minimum=0.5, maximum=120)), 10.0)
    cursor_blink = run("screen", lambda: top.table_("screen").flag("cursor_blink", False),
                       False)
    demo_database, auto = run("demo", lambda: (
        path_value(top.table_("demo"), "path", default_data_dir() / "demo.sqlite3", base),
        top.table_("demo").str("auto_sign_in", "balie")),
        (default_data_dir() / "demo.sqlite3", None))
    shared, exercises = run("demo", lambda: _training(top, base),
                            (DEFAULT_SHARED_LOGINS, None))
    branches = run("branches", lambda: _branches(top, source, base), [])
    printing = run("printing", lambda: _printing(top, base), PrintingSettings())
    # Workstations refer to branches and take printer defaults from [printing].
    workstations = [] if problems.failed & {"branches", "printing"} else run(
        "workstations", lambda: _workstations(top, branches, printing, base), [])
    if problems.failed & {"branches", "printing"}:
        problems.failed.add("workstations")
    return Config(
        source=source,
        library=library,
        database=database,
        database_url=database_url,
        busy_wait=busy_wait,
        cursor_blink=cursor_blink,
        demo_database=demo_database,
        demo_auto_sign_in=auto or None,
        branches=tuple(branches),
        workstations=tuple(workstations),
        mail=run("mail", lambda: _mail(top, library, base), MailSettings()),
        identity=run("identity", lambda: _identity(top), IdentitySettings()),
        printing=printing,
        privacy=run("privacy", lambda: _privacy(top), PrivacySettings()),
        scanning=run("scanning", lambda: _scanning(top, base), ScanningSettings()),
        creditor=run("creditor", lambda: _creditor(top, library), None),
        settlement=run("settlement", lambda: _settlement(top), SettlementSettings()),
        registration=run("registration", lambda: _registration(top), RegistrationSettings()),
        demo_shared_logins=shared,
        demo_exercises=exercises,
    )
