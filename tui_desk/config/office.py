"""The sections of the library office: ``[mail]``, ``[identity]``, ``[privacy]``,
``[registration]``, ``[creditor]`` and ``[settlement]``."""

from __future__ import annotations

import re
from pathlib import Path

from tui_desk.config.reader import Reader, optional_path
from tui_desk.config.settings import (
    _MAIL_PORTS,
    DEFAULT_ACTIVATION_URL,
    DEFAULT_DRAFTS_RETENTION_HOURS,
    DEFAULT_FISCAL_RETENTION_YEARS,
    DEFAULT_GUARDIAN_BELOW_AGE,
    DEFAULT_MANDATE_DAYS,
    DEFAULT_MANDATE_RETENTION_MONTHS,
    DEFAULT_PRE_NOTIFICATION_DAYS,
    DEFAULT_PRINT_JOBS_RETENTION_DAYS,
    DEFAULT_RETENTION_YEARS_INACTIVE,
    DEFAULT_WAIVE_ROLES,
    MAIL_SECURITY,
    Creditor,
    IdentitySettings,
    Library,
    MailSettings,
    PrivacySettings,
    RegistrationSettings,
    SettlementSettings,
)

_BRANCH_CODE = re.compile(r"^[0-9]{4}$")


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
    password_file = optional_path(mail, "password_file", base)
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
        ca_file=optional_path(mail, "ca_file", base),
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
