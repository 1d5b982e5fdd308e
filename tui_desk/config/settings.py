"""The typed, frozen settings a configuration file parses into, and the ConfigError family."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui_desk.config.paths import default_data_dir
from tui_desk.errors import DeskError

# Re-exported by tui_desk.config: ``from tui_desk.config import Config`` and the like.
__all__ = [
    "ConfigError",
    "UnknownKeyError",
    "ConfigProblems",
    "Branch",
    "RECEIPT_COLUMNS",
    "CARD_BARCODES",
    "DEFAULT_PRINTER_TIMEOUT",
    "PrinterSettings",
    "PrintingSettings",
    "Workstation",
    "Library",
    "DEFAULT_PRE_NOTIFICATION_DAYS",
    "DEFAULT_MANDATE_RETENTION_MONTHS",
    "FORM_BARCODES",
    "Creditor",
    "MAIL_SECURITY",
    "DEFAULT_ACTIVATION_URL",
    "MailSettings",
    "IdentitySettings",
    "DEFAULT_DRAFTS_RETENTION_HOURS",
    "DEFAULT_SHARED_LOGINS",
    "DEFAULT_GUARDIAN_BELOW_AGE",
    "DEFAULT_RETENTION_YEARS_INACTIVE",
    "DEFAULT_FISCAL_RETENTION_YEARS",
    "DEFAULT_PRINT_JOBS_RETENTION_DAYS",
    "PrivacySettings",
    "DEFAULT_WAIVE_ROLES",
    "SettlementSettings",
    "DEFAULT_MANDATE_DAYS",
    "RegistrationSettings",
    "ScanningSettings",
    "Config",
]


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
    """``[library]``: the library's name (on the membership card, the kassabon, the mails and
    the main screen) and address; ``[creditor]`` takes them for what it does not name."""

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
    """The whole configuration as ``config.load`` parsed it, one typed field a table of the
    README's Configuration section. ``source``: the file it was read from (errors name it);
    ``database`` / ``demo_database``: the SQLite files of the counter (unless ``database_url``
    names a PostgreSQL server) and of the demo; ``demo_auto_sign_in``: the demo's staff member
    for a login that is not mapped (None: none).
    """

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
    # [database] url: a PostgreSQL server (postgresql://…) instead of the SQLite file
    # ``database``; None: SQLite. The training database is always SQLite.
    database_url: str | None = None
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

