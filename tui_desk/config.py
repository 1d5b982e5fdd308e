"""Configuration from a TOML file.

Where the file is found, in order: ``--config PATH``, ``$TUI_DESK_CONFIG``,
``/etc/tui-desk/config.toml``, ``~/.config/tui-desk/config.toml``. A production run needs one;
``--demo`` runs without one on the built-in training library (``data/demo-config.toml``).
Every problem is reported with the key it concerns, e.g. ``branches[1].code``.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tui_desk.errors import DeskError

SYSTEM_CONFIG = Path("/etc/tui-desk/config.toml")


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tui-desk" / "config.toml"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tui-desk"


class ConfigError(DeskError):
    """A configuration problem, naming the file, the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        # Problems with the command line itself carry no file name.
        where = "" if source == "tui-desk" else f"{source}: "
        super().__init__(f"{where}{key}: {problem}")


class UnknownKeyError(ConfigError):
    """A section or key the program does not know (a typo, or a key of another version)."""


class ConfigProblems(ConfigError):
    """More than one problem in the file: all of them, the first as key and problem."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        first = errors[0]
        rest = "; ".join(f"{e.key}: {e.problem}" for e in errors[1:])
        super().__init__(first.source, first.key,
                         f"{first.problem} (en nog {len(errors) - 1}: {rest})")


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    place: str
    registers: tuple[str, ...]
    scan_inbox: Path | None = None       # the folder this branch's scanner scans to


RECEIPT_COLUMNS = (42, 48)
CARD_BARCODES = ("codabar", "code128")
DEFAULT_PRINTER_TIMEOUT = 10.0


@dataclass(frozen=True)
class PrinterSettings:
    """One printer as the print service uses it: address (see ``devices.transports``) and
    settings. ``columns`` and ``status`` (ask DLE EOT) are for receipt printers; ``barcode`` and
    ``status`` (wait for the printer's replies) for card printers.
    """

    url: str
    baudrate: int = 9600
    timeout: float = DEFAULT_PRINTER_TIMEOUT
    columns: int = 42
    barcode: str = "codabar"
    status: bool = True


@dataclass(frozen=True)
class PrintingSettings:
    """``[printing]``: the print spool and the demo printer.

    ``tries``: attempts per print when the printer cannot be reached at all (nothing was sent);
    ``demo_folder``: where the demo printer (``demo:``) writes its jobs.
    """

    tries: int = 2
    retry_delay: float = 1.0
    timeout: float = DEFAULT_PRINTER_TIMEOUT
    demo_folder: Path = field(default_factory=lambda: default_data_dir() / "printer-demo")


@dataclass(frozen=True)
class Workstation:
    name: str
    branch: str
    clients: tuple[str, ...] = ()
    register: str | None = None
    # The printers at this counter: addresses as in devices.transports, None for none.
    receipt_printer: str | None = None
    card_printer: str | None = None
    receipt_columns: int = 42
    receipt_baudrate: int = 9600
    receipt_status: bool = True          # ask the receipt printer's status (DLE EOT)
    card_barcode: str = "codabar"
    card_baudrate: int = 115200
    card_replies: bool = True            # the card printer answers every command
    printer_timeout: float = DEFAULT_PRINTER_TIMEOUT
    # The office (A4) printer: ipp://, ipps://, cups:QUEUE, file:///path or demo:
    # (devices.ipp). Without one the mandate form comes out of the receipt printer.
    document_printer: str | None = None
    scan_inbox: Path | None = None       # overrides the branch's and [scanning] inbox

    def receipt(self) -> PrinterSettings | None:
        """The receipt printer's settings, None when this workstation has none."""
        if not self.receipt_printer:
            return None
        return PrinterSettings(self.receipt_printer, self.receipt_baudrate, self.printer_timeout,
                               columns=self.receipt_columns, status=self.receipt_status)

    def document(self) -> PrinterSettings | None:
        """The office printer's settings (A4 PDF), None when this workstation has none."""
        if not self.document_printer:
            return None
        return PrinterSettings(self.document_printer, timeout=self.printer_timeout,
                               status=False)

    def card(self) -> PrinterSettings | None:
        """The card printer's settings, None when this workstation has none."""
        if not self.card_printer:
            return None
        return PrinterSettings(self.card_printer, self.card_baudrate, self.printer_timeout,
                               barcode=self.card_barcode, status=self.card_replies)


@dataclass(frozen=True)
class Library:
    name: str
    address: str = ""
    postcode: str = ""
    place: str = ""


DEFAULT_PRE_NOTIFICATION_DAYS = 7
DEFAULT_MANDATE_RETENTION_MONTHS = 14
FORM_BARCODES = ("code128", "codabar")


@dataclass(frozen=True)
class Creditor:
    """``[creditor]``: the library as SEPA creditor (incassant) on mandates and collection files.

    ``id`` is the incassant-ID (``NLxxZZZ`` + KvK number + 4 digits) with its check digits
    verified when the configuration loads; ``iban``/``bic`` the library's own account, where
    collections are paid; name and address default to ``[library]``. Pre-notifications of a
    collection are mailed ``pre_notification_days`` before it.
    """

    id: str
    name: str
    iban: str
    bic: str                  # "" when not configured: derived from the IBAN when needed
    address: str = ""
    postcode: str = ""
    place: str = ""
    pre_notification_days: int = DEFAULT_PRE_NOTIFICATION_DAYS
    # the signed mandate's scan is kept this long after the mandate's last collection (or
    # its end, when it was never collected on): the refund period for an unauthorised debit
    mandate_retention_months: int = DEFAULT_MANDATE_RETENTION_MONTHS


MAIL_SECURITY = ("starttls", "tls", "none")
_MAIL_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_ACTIVATION_URL = "https://mijn.bibliotheek.nl/activeren"


@dataclass(frozen=True)
class MailSettings:
    """``[mail]``: the SMTP server the outbox delivers through.

    Without ``host`` nothing is sent: mail stays in the outbox (as in the training database).
    """

    host: str = ""
    port: int = 587
    security: str = "starttls"          # starttls | tls (implicit TLS, "SMTPS") | none
    username: str = ""
    password: str = field(default="", repr=False)
    password_file: Path | None = None
    sender: str = ""
    sender_name: str = ""
    # where the activation link points; the token is added as ?token=...
    activation_url: str = DEFAULT_ACTIVATION_URL
    timeout: float = 10.0
    # a CA certificate (PEM) to trust for a relay with a certificate of its own
    ca_file: Path | None = None
    source: str = field(default="", repr=False, compare=False)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def secret(self) -> str:
        """The SMTP password: ``password``, or the first line of ``password_file``.

        The file is read only when mail is sent, so that counter sessions need not read it.
        """
        if self.password_file is None:
            return self.password
        try:
            text = self.password_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(self.source, "mail.password_file",
                              f"{self.password_file} cannot be read: {exc.strerror}") from None
        return text.splitlines()[0].strip() if text.strip() else ""


@dataclass(frozen=True)
class IdentitySettings:
    """``[identity]``: which login-account (Single Identity) service to use.

    Only ``local`` exists: the embedded SQLite implementation (demo, training, and until a
    connection to the national service is written).
    """

    provider: str = "local"


DEFAULT_DRAFTS_RETENTION_HOURS = 72
# The training login a whole class shares (docs/deployment.md): one sandbox per thin terminal.
DEFAULT_SHARED_LOGINS = ("oefen",)

DEFAULT_GUARDIAN_BELOW_AGE = 16
DEFAULT_RETENTION_YEARS_INACTIVE = 2
DEFAULT_FISCAL_RETENTION_YEARS = 7
DEFAULT_PRINT_JOBS_RETENTION_DAYS = 30


@dataclass(frozen=True)
class PrivacySettings:
    """``[privacy]``: minors, and how long personal data is kept (README "Privacy").

    ``drafts_retention_hours``: unfinished (and abandoned) registrations are removed by
    ``tui-desk maintenance`` once they have not been touched for this long.
    ``guardian_below_age``: a customer younger than this on the registration day needs an
    ouder/verzorger. ``retention_years_inactive``: a customer without activity for this long,
    nothing open and nothing on loan, is anonymised by maintenance. ``fiscal_retention_years``:
    the financial records of an anonymised customer are kept (pseudonymised) this long, then
    removed. ``print_jobs_retention_days``: the printer data of finished print jobs is purged
    after this many days.
    """

    drafts_retention_hours: int = DEFAULT_DRAFTS_RETENTION_HOURS
    guardian_below_age: int = DEFAULT_GUARDIAN_BELOW_AGE
    retention_years_inactive: int = DEFAULT_RETENTION_YEARS_INACTIVE
    fiscal_retention_years: int = DEFAULT_FISCAL_RETENTION_YEARS
    print_jobs_retention_days: int = DEFAULT_PRINT_JOBS_RETENTION_DAYS


DEFAULT_WAIVE_ROLES = ("beheer",)


@dataclass(frozen=True)
class SettlementSettings:
    """``[settlement]``: the counter's cash settings.

    ``waive_roles``: the staff roles that may use Kwijtschelden; ``opening_float_cents``: the
    cash in a drawer before its first cash-up (wisselgeld), written ``"100,00"`` in the file.
    """

    waive_roles: tuple[str, ...] = DEFAULT_WAIVE_ROLES
    opening_float_cents: int = 0


DEFAULT_MANDATE_DAYS = 14


@dataclass(frozen=True)
class RegistrationSettings:
    """``[registration]``: how the wizard's follow-up is kept.

    ``mandate_days``: a registration left open for its incassomachtiging ("later") should have a
    processed mandate within this many days; after that it is marked overdue in Klanten ▸
    Openstaande inschrijvingen and in the monthly run's report.
    """

    mandate_days: int = DEFAULT_MANDATE_DAYS


@dataclass(frozen=True)
class ScanningSettings:
    """``[scanning]``: where signed forms arrive (the multifunction printer's scan-to-folder).

    ``inbox``: the default inbox (a branch's or workstation's ``scan_inbox`` overrides it);
    ``export``: where the record's "Exporteer scan" writes a signed mandate for the bank;
    ``barcode``: the symbology of the document code on the A4 form (``code128`` or
    ``codabar``, as the hand scanners at the counter are set up).
    """

    inbox: Path | None = None
    export: Path | None = None
    barcode: str = "code128"


@dataclass(frozen=True)
class Config:
    source: str
    library: Library
    database: Path
    demo_database: Path
    demo_auto_sign_in: str | None
    branches: tuple[Branch, ...]
    workstations: tuple[Workstation, ...] = ()
    mail: MailSettings = field(default_factory=MailSettings)
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    printing: PrintingSettings = field(default_factory=PrintingSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    scanning: ScanningSettings = field(default_factory=ScanningSettings)
    registration: RegistrationSettings = field(default_factory=RegistrationSettings)
    # None: no [creditor] table (no mandates can be printed and nothing collected)
    creditor: Creditor | None = None
    settlement: SettlementSettings = field(default_factory=SettlementSettings)
    # [database] busy_wait: seconds a save waits for another counter's write before the person
    # gets "De database is bezet…" (the screen keeps working meanwhile)
    busy_wait: float = 10.0
    # [screen] cursor_blink: the text cursor blinks. Off by default: a blinking cursor redraws
    # twice a second in every idle session (~1 % of a core each, on a shared server)
    cursor_blink: bool = False
    # [demo] shared_logins: logins a whole class uses; their sandbox is per SSH client address
    demo_shared_logins: tuple[str, ...] = DEFAULT_SHARED_LOGINS
    # [demo] exercises: a trainer's folder of extra exercise files (*.toml); None: only the
    # packaged ones
    demo_exercises: Path | None = None

    def branch(self, code: str) -> Branch | None:
        return next((b for b in self.branches if b.code == code), None)


class _Asked:
    """Which keys of which TOML tables the readers of one ``parse`` asked for.

    Every key a ``_Reader`` is asked for is known; a key in the file that nobody asked for is
    unknown and an error (``unknown_keys``). So a key added to ``parse`` later is known without
    a list to keep up to date.
    """

    def __init__(self) -> None:
        # id(table) -> {key: how it was asked: "key", "table" ([x]) or "tables" ([[x]])}
        self.keys: dict[int, dict[str, str]] = {}

    def note(self, table: dict[str, Any], name: str, kind: str = "key") -> None:
        self.keys.setdefault(id(table), {})[name] = kind

    def of(self, table: dict[str, Any]) -> dict[str, str]:
        return self.keys.get(id(table), {})


class _Reader:
    """Typed access to a TOML table that reports the full key on every error."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "",
                 asked: _Asked | None = None) -> None:
        self.source = source
        self.table = table
        self.prefix = prefix
        self.asked = asked if asked is not None else _Asked()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.key(name), problem)

    def has(self, name: str) -> bool:
        """Whether the table has the key (which is known from now on)."""
        self.asked.note(self.table, name)
        return name in self.table

    def _get(self, name: str, default: Any = None, kind: str = "key") -> Any:
        self.asked.note(self.table, name, kind)
        return self.table.get(name, default)

    def _missing(self, name: str) -> ConfigError:
        # A required key that is missing is often one that is misspelt: say so.
        near = difflib.get_close_matches(name, [k for k in self.table if k != name], n=1)
        hint = f" (is {near[0]!r} a typo?)" if near else ""
        return self.fail(name, f"is missing{hint}")

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self._get(name)
        if name not in self.table:
            if required:
                raise self._missing(name)
            return default
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        return value

    def table_(self, name: str) -> _Reader:
        value = self._get(name, {}, "table")
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        return _Reader(self.source, value, f"{self.key(name)}.", self.asked)

    def tables(self, name: str) -> list[_Reader]:
        value = self._get(name, [], "tables")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"must be a list of tables ([[{name}]])")
        return [_Reader(self.source, v, f"{self.key(name)}[{i}].", self.asked)
                for i, v in enumerate(value)]

    def number(self, name: str, default: float, *, minimum: float, maximum: float,
               integer: bool = False) -> float:
        value = self._get(name)
        if name not in self.table:
            return default
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.fail(name, f"must be {'a whole number' if integer else 'a number'}, "
                                  f"not {type(value).__name__}")
        if not minimum <= value <= maximum:
            raise self.fail(name, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self._get(name)
        if name not in self.table:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, not {type(value).__name__}")
        return value

    def str_list(self, name: str) -> tuple[str, ...]:
        value = self._get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "must be a list of text values")
        return tuple(value)

    def amount(self, name: str, default: int) -> int:
        """An amount of money in euros: ``"100,00"`` (text, as typed at the desk) or a whole
        number of euros; returned in cents."""
        from tui_desk.rules.money import AmountError, parse_cents

        value = self._get(name)
        if name not in self.table:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(name, 'must be an amount in euros as text, e.g. "100,00", '
                                  f"not {type(value).__name__}")
        try:
            return parse_cents(str(value))
        except AmountError:
            raise self.fail(name, f'is not an amount in euros (e.g. "100,00"): {value!r}') \
                from None


def _shown(section: str, index: int | None) -> str:
    return f"[[{section}]]" if index is not None else f"[{section}]"


def unknown_keys(data: dict[str, Any], asked: _Asked,
                 skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(key as shown, Dutch problem) of every key in ``data`` that no reader asked for, in the
    file's order, each with the nearest known key when there is one; top-level ``skip``
    sections are left out."""
    found: list[tuple[str, str]] = []

    def walk(table: dict[str, Any], section: str, index: int | None) -> None:
        known = asked.of(table)
        for key, value in table.items():
            if table is data and key in skip:
                continue
            kind = known.get(key)
            if kind == "table" and isinstance(value, dict):
                walk(value, f"{section}.{key}" if section else key, None)
                continue
            if kind == "tables" and isinstance(value, list):
                for i, entry in enumerate(value):
                    if isinstance(entry, dict):
                        walk(entry, f"{section}.{key}" if section else key, i)
                continue
            if kind is not None:
                continue
            is_table = isinstance(value, dict) or (
                isinstance(value, list) and bool(value)
                and all(isinstance(v, dict) for v in value))
            entry = f" (nr. {index + 1})" if index is not None else ""
            if is_table:
                full = f"{section}.{key}" if section else key
                style = "[[{}]]" if isinstance(value, list) else "[{}]"
                shown = f"`{style.format(full)}`{entry}"
                what = "onbekende sectie"
            else:
                shown = f"`{_shown(section, index)} {key}`{entry}" if section else f"`{key}`"
                what = "onbekende sleutel"
            near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            if near:
                name, near_kind = near[0], known[near[0]]
                full = f"{section}.{name}" if section else name
                suggestion = ("[[{}]]" if near_kind == "tables" else "[{}]").format(full) \
                    if near_kind != "key" else name
                found.append((shown, f"{what}; bedoelt u `{suggestion}`?"))
            elif known:
                names = ", ".join(f"`{k}`" for k in sorted(known))
                found.append((shown, f"{what}; bekend zijn {names}."))
            else:
                found.append((shown, f"{what}."))

    walk(data, "", None)
    return found


_BRANCH_CODE = re.compile(r"^[0-9]{4}$")


def _path(reader: _Reader, name: str, default: Path, base: Path | None) -> Path:
    text = reader.str(name)
    if text is None:
        return default
    path = Path(os.path.expandvars(text)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _optional_path(reader: _Reader, name: str, base: Path | None) -> Path | None:
    return _path(reader, name, Path(), base) if reader.has(name) else None


def _mail(top: _Reader, library: Library, base: Path | None) -> MailSettings:
    mail = top.table_("mail")
    host = (mail.str("host", "") or "").strip()
    security = mail.str("security", "starttls") or ""
    if security not in MAIL_SECURITY:
        raise mail.fail("security", f"must be one of {', '.join(MAIL_SECURITY)}, not {security!r}")
    port = int(mail.number("port", _MAIL_PORTS[security], minimum=1, maximum=65535,
                           integer=True))
    username = mail.str("username", "") or ""
    password = mail.str("password")
    password_file = _optional_path(mail, "password_file", base)
    if password is not None and password_file is not None:
        raise mail.fail("password", "give password or password_file, not both")
    if username and security == "none":
        raise mail.fail("username", 'a login needs security = "starttls" or "tls"')
    if (password is not None or password_file is not None) and not username:
        raise mail.fail("username", "is missing (a password is set)")
    sender = (mail.str("sender", "") or "").strip()
    if host and not sender:
        raise mail.fail("sender", "is missing (needed when mail.host is set)")
    if sender and (sender.count("@") != 1 or any(c.isspace() for c in sender)
                   or sender.startswith("@") or sender.endswith("@")):
        raise mail.fail("sender", f"is not an e-mail address: {sender!r}")
    url = (mail.str("activation_url", DEFAULT_ACTIVATION_URL) or "").strip()
    if not re.match(r"^https?://[^\s/?#]+", url) or "#" in url:
        raise mail.fail("activation_url", f"must be an http(s) address without #, not {url!r}")
    return MailSettings(
        host=host,
        port=port,
        security=security,
        username=username,
        password=password or "",
        password_file=password_file,
        sender=sender,
        sender_name=mail.str("sender_name", library.name) or "",
        activation_url=url,
        timeout=float(mail.number("timeout", 10.0, minimum=0.1, maximum=300)),
        ca_file=_optional_path(mail, "ca_file", base),
        source=top.source,
    )


def _identity(top: _Reader) -> IdentitySettings:
    identity = top.table_("identity")
    provider = identity.str("provider", "local") or ""
    if provider != "local":
        raise identity.fail("provider", f'only "local" is available, not {provider!r}')
    return IdentitySettings(provider=provider)


def _privacy(top: _Reader) -> PrivacySettings:
    privacy = top.table_("privacy")
    hours = privacy.number("drafts_retention_hours", DEFAULT_DRAFTS_RETENTION_HOURS, minimum=1,
                           maximum=24 * 366, integer=True)
    guardian = privacy.number("guardian_below_age", DEFAULT_GUARDIAN_BELOW_AGE, minimum=0,
                              maximum=21, integer=True)
    inactive = privacy.number("retention_years_inactive", DEFAULT_RETENTION_YEARS_INACTIVE,
                              minimum=1, maximum=50, integer=True)
    fiscal = privacy.number("fiscal_retention_years", DEFAULT_FISCAL_RETENTION_YEARS,
                            minimum=1, maximum=50, integer=True)
    print_days = privacy.number("print_jobs_retention_days", DEFAULT_PRINT_JOBS_RETENTION_DAYS,
                                minimum=1, maximum=3660, integer=True)
    return PrivacySettings(drafts_retention_hours=int(hours), guardian_below_age=int(guardian),
                           retention_years_inactive=int(inactive),
                           fiscal_retention_years=int(fiscal),
                           print_jobs_retention_days=int(print_days))


def _registration(top: _Reader) -> RegistrationSettings:
    table = top.table_("registration")
    days = table.number("mandate_days", DEFAULT_MANDATE_DAYS, minimum=1, maximum=365,
                        integer=True)
    return RegistrationSettings(mandate_days=int(days))


def _creditor(top: _Reader, library: Library) -> Creditor | None:
    """``[creditor]``, checked: the incassant-ID's check digits (ISO 7064 mod 97-10, EPC AT-02),
    the library's IBAN and BIC."""
    creditor = top.table_("creditor")
    if "creditor" not in top.table:
        return None
    from stdnum import exceptions as stdnum_errors
    from stdnum.eu import at_02

    text = creditor.str("id", required=True) or ""
    compact = at_02.compact(text)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}", compact):
        raise creditor.fail("id", f"{text!r} is not a SEPA creditor id "
                                  "(NLxxZZZ + KvK number + 4 digits)")
    if compact.startswith("NL") and not re.fullmatch(r"NL[0-9]{2}[A-Z0-9]{3}[0-9]{12}",
                                                     compact):
        raise creditor.fail("id", f"{text!r}: a Dutch creditor id is NLxxZZZ + KvK number "
                                  "(8 digits) + 4 digits")
    try:
        creditor_id = at_02.validate(compact)
    except stdnum_errors.InvalidChecksum:
        raise creditor.fail("id", f"{text!r}: the check digits are wrong (EPC AT-02)") from None
    except stdnum_errors.ValidationError:
        raise creditor.fail("id", f"{text!r} is not a SEPA creditor id "
                                  "(NLxxZZZ + KvK number + 4 digits)") from None
    # The account is checked without schwifty (its bank registry costs every start 0.2 s):
    # shape and ISO 13616 check digits here; the BIC, when not given, is derived at export.
    iban_text = creditor.str("iban", required=True) or ""
    iban = re.sub(r"\s+", "", iban_text).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", iban) or (
            iban.startswith("NL") and len(iban) != 18):
        raise creditor.fail("iban", f"{iban_text!r} is not an IBAN")
    if int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97 != 1:
        raise creditor.fail("iban", f"{iban_text!r}: the check digits are wrong")
    bic_text = creditor.str("bic", "") or ""
    bic = re.sub(r"\s+", "", bic_text).upper()
    if bic and not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", bic):
        raise creditor.fail("bic", f"{bic_text!r} is not a BIC (8 or 11 characters)")
    name = (creditor.str("name", library.name) or "").strip()
    if not name:
        raise creditor.fail("name", "must not be empty")
    days = creditor.number("pre_notification_days", DEFAULT_PRE_NOTIFICATION_DAYS, minimum=1,
                           maximum=60, integer=True)
    retention = creditor.number("mandate_retention_months", DEFAULT_MANDATE_RETENTION_MONTHS,
                                minimum=1, maximum=240, integer=True)
    return Creditor(
        id=creditor_id,
        name=name,
        iban=iban,
        bic=bic,
        address=creditor.str("address", library.address) or "",
        postcode=creditor.str("postcode", library.postcode) or "",
        place=creditor.str("place", library.place) or "",
        pre_notification_days=int(days),
        mandate_retention_months=int(retention),
    )


def _settlement(top: _Reader) -> SettlementSettings:
    from tui_desk.models import ROLES

    settlement = top.table_("settlement")
    roles = settlement.str_list("waive_roles") if settlement.has("waive_roles") \
        else DEFAULT_WAIVE_ROLES
    wrong = [r for r in roles if r not in ROLES]
    if wrong:
        raise settlement.fail("waive_roles", f"{wrong[0]!r} is not a role "
                                             f"(roles: {', '.join(ROLES)})")
    opening = settlement.amount("opening_float", 0)
    if opening < 0:
        raise settlement.fail("opening_float", "must not be negative")
    return SettlementSettings(waive_roles=tuple(dict.fromkeys(roles)),
                              opening_float_cents=opening)


def _clients(reader: _Reader) -> tuple[str, ...]:
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


def _printing(top: _Reader, base: Path | None) -> PrintingSettings:
    printing = top.table_("printing")
    return PrintingSettings(
        tries=int(printing.number("tries", 2, minimum=1, maximum=10, integer=True)),
        retry_delay=float(printing.number("retry_delay", 1.0, minimum=0, maximum=60)),
        timeout=float(printing.number("timeout", DEFAULT_PRINTER_TIMEOUT, minimum=0.05,
                                      maximum=600)),
        demo_folder=_path(printing, "demo_folder", default_data_dir() / "printer-demo", base),
    )


def _scanning(top: _Reader, base: Path | None) -> ScanningSettings:
    scanning = top.table_("scanning")
    barcode = scanning.str("barcode", "code128") or ""
    if barcode not in FORM_BARCODES:
        raise scanning.fail("barcode", f'must be "code128" or "codabar", not {barcode!r}')
    return ScanningSettings(inbox=_optional_path(scanning, "inbox", base),
                            export=_optional_path(scanning, "export", base), barcode=barcode)


def _printers(reader: _Reader, printing: PrintingSettings) -> dict[str, Any]:
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


def parse(data: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, validating every key; a section or key that is not
    read here is an error naming it and the nearest known one."""
    top = _Reader(source, data)
    problems = _Problems()
    config = _parse(top, source, base, problems)
    # A section with an error was not read to its end: its keys are not all known.
    unknown = unknown_keys(data, top.asked, skip=problems.failed)
    errors = problems.errors + [UnknownKeyError(source, key, problem)
                                for key, problem in unknown]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigProblems(errors)
    return config


class _Problems:
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


def _library(top: _Reader) -> Library:
    lib = top.table_("library")
    return Library(
        name=lib.str("name", required=True) or "",
        address=lib.str("address", "") or "",
        postcode=lib.str("postcode", "") or "",
        place=lib.str("place", "") or "",
    )


def _training(top: _Reader, base: Path | None) -> tuple[tuple[str, ...], Path | None]:
    """``[demo] shared_logins`` and ``[demo] exercises``."""
    demo = top.table_("demo")
    shared = (demo.str_list("shared_logins") if "shared_logins" in demo.table
              else DEFAULT_SHARED_LOGINS)
    for login in shared:
        if not login.strip() or login != login.strip():
            raise demo.fail("shared_logins", f"not a login name: {login!r}")
    return shared, _optional_path(demo, "exercises", base)


def _branches(top: _Reader, source: str, base: Path | None) -> list[Branch]:
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
                               _optional_path(reader, "scan_inbox", base)))
    if not branches:
        raise ConfigError(source, "branches", "at least one [[branches]] entry is needed")
    return branches


def _workstations(top: _Reader, branches: list[Branch], printing: PrintingSettings,
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
                                        scan_inbox=_optional_path(reader, "scan_inbox", base)))
    return workstations


def _parse(top: _Reader, source: str, base: Path | None, problems: _Problems) -> Config:
    run = problems.run
    library = run("library", lambda: _library(top), Library(name=""))
    database = run("database", lambda: _path(top.table_("database"), "path",
                                             default_data_dir() / "tui-desk.sqlite3", base),
                   default_data_dir() / "tui-desk.sqlite3")
    busy_wait = run("database.busy_wait", lambda: float(top.table_("database").number(
        "busy_wait", 10.0, minimum=0.5, maximum=120)), 10.0)
    cursor_blink = run("screen", lambda: top.table_("screen").flag("cursor_blink", False),
                       False)
    demo_database, auto = run("demo", lambda: (
        _path(top.table_("demo"), "path", default_data_dir() / "demo.sqlite3", base),
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


def _read(path: Path) -> dict[str, Any]:
    """The TOML of a configuration file; every way it can be unreadable is a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "(file)", f"is not UTF-8 text (byte {exc.start + 1}); save "
                                               "it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(syntax)", str(exc)) from None


def load_file(path: Path) -> Config:
    return parse(_read(path), str(path), path.parent)


def _demo_data() -> dict[str, Any]:
    text = resources.files("tui_desk.data").joinpath("demo-config.toml").read_text("utf-8")
    return tomllib.loads(text)


def demo_config() -> Config:
    """The built-in training library: the branches of the manual (9401 Annen and others)."""
    return parse(_demo_data(), "demo-config.toml (built in)")


def find_config(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TUI_DESK_CONFIG")
    if env:
        return Path(env).expanduser()
    for candidate in (SYSTEM_CONFIG, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load(explicit: str | None, *, demo: bool) -> Config:
    """The configuration for this run.

    In demo mode the training library comes from the built-in demo config; a real config file,
    when there is one, is checked completely and contributes its ``[demo]`` settings (where the
    training database is), its ``[screen]`` settings (how the terminal is drawn) and its
    ``[[workstations]]`` (so that training at a counter prints on
    that counter's printers). Those workstations must belong to a branch and register of the
    training library; one that does not is an error that says so.
    """
    path = find_config(explicit)
    if demo:
        if path is None:
            return demo_config()
        data = _read(path)
        own = parse(data, str(path), path.parent)
        merged = _demo_data()
        builtin = demo_config()
        for key in ("demo", "workstations", "screen"):
            if key in data:
                merged[key] = data[key]
        for i, ws in enumerate(own.workstations):
            branch = builtin.branch(ws.branch)
            codes = ", ".join(f"{b.code} {b.name}" for b in builtin.branches)
            if branch is None:
                raise ConfigError(own.source, f"workstations[{i}].branch",
                                  f"{ws.branch!r} is not a branch of the training library; "
                                  f"with --demo a workstation must use one of its branches "
                                  f"({codes})")
            if ws.register is not None and ws.register not in branch.registers:
                raise ConfigError(own.source, f"workstations[{i}].register",
                                  f"{ws.register!r} is not a register of branch {branch.code} "
                                  f"of the training library ({', '.join(branch.registers)})")
        return parse(merged, f"{own.source} (demo)", path.parent)
    if path is None:
        raise ConfigError(
            "tui-desk",
            "--config",
            "no configuration file found (looked at $TUI_DESK_CONFIG, "
            f"{SYSTEM_CONFIG} and {user_config_path()}); see README 'Configuration', "
            "or start the training database with --demo",
        )
    return load_file(path)
