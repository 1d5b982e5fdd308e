"""One reader per section of the configuration file: ``[mail]``, ``[printing]``, ``[[branches]]``
and the others, each returning its typed settings or raising a ConfigError naming the key."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Any

from tui_desk.config.paths import default_data_dir
from tui_desk.config.reader import Reader
from tui_desk.config.settings import (
    _MAIL_PORTS,
    CARD_BARCODES,
    DEFAULT_ACTIVATION_URL,
    DEFAULT_DRAFTS_RETENTION_HOURS,
    DEFAULT_FISCAL_RETENTION_YEARS,
    DEFAULT_GUARDIAN_BELOW_AGE,
    DEFAULT_MANDATE_DAYS,
    DEFAULT_MANDATE_RETENTION_MONTHS,
    DEFAULT_PRE_NOTIFICATION_DAYS,
    DEFAULT_PRINT_JOBS_RETENTION_DAYS,
    DEFAULT_PRINTER_TIMEOUT,
    DEFAULT_RETENTION_YEARS_INACTIVE,
    DEFAULT_SHARED_LOGINS,
    DEFAULT_WAIVE_ROLES,
    FORM_BARCODES,
    MAIL_SECURITY,
    RECEIPT_COLUMNS,
    Branch,
    ConfigError,
    Creditor,
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


def _path(reader: Reader, name: str, default: Path, base: Path | None) -> Path:
    text = reader.str(name)
    if text is None:
        return default
    path = Path(os.path.expandvars(text)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _optional_path(reader: Reader, name: str, base: Path | None) -> Path | None:
    return _path(reader, name, Path(), base) if reader.has(name) else None


def _mail(top: Reader, library: Library, base: Path | None) -> MailSettings:
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


def _identity(top: Reader) -> IdentitySettings:
    identity = top.table_("identity")
    provider = identity.str("provider", "local") or ""
    if provider != "local":
        raise identity.fail("provider", f'only "local" is available, not {provider!r}')
    return IdentitySettings(provider=provider)


def _privacy(top: Reader) -> PrivacySettings:
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


def _registration(top: Reader) -> RegistrationSettings:
    table = top.table_("registration")
    days = table.number("mandate_days", DEFAULT_MANDATE_DAYS, minimum=1, maximum=365,
                        integer=True)
    return RegistrationSettings(mandate_days=int(days))


def _creditor(top: Reader, library: Library) -> Creditor | None:
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


def _settlement(top: Reader) -> SettlementSettings:
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
        demo_folder=_path(printing, "demo_folder", default_data_dir() / "printer-demo", base),
    )


def _scanning(top: Reader, base: Path | None) -> ScanningSettings:
    scanning = top.table_("scanning")
    barcode = scanning.str("barcode", "code128") or ""
    if barcode not in FORM_BARCODES:
        raise scanning.fail("barcode", f'must be "code128" or "codabar", not {barcode!r}')
    return ScanningSettings(inbox=_optional_path(scanning, "inbox", base),
                            export=_optional_path(scanning, "export", base), barcode=barcode)


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
    return shared, _optional_path(demo, "exercises", base)


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
                               _optional_path(reader, "scan_inbox", base)))
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
                                        scan_inbox=_optional_path(reader, "scan_inbox", base)))
    return workstations

