"""Contact details: Telefoon, SMS-nummer and E-mail."""

from __future__ import annotations

import re
from types import ModuleType
from typing import TYPE_CHECKING

from tui_desk.rules.errors import RuleError

if TYPE_CHECKING:
    import phonenumbers


class PhoneError(RuleError):
    """A Telefoon or SMS-nummer that is not a valid number (or, for SMS, not a mobile one)."""


class EmailError(RuleError):
    """An E-mail address that is not written like one."""


EMAIL_MAX = 254
_LOCAL_MAX = 64
# What people type in a phone number besides digits. Letters are refused on purpose:
# phonenumbers silently ignores trailing text ("06-12345678a") and reads "ext 3" as extension.
_PHONE_CHARS = re.compile(r"\+?[0-9 ()./\-]+")
# Types a text message can reach. FIXED_LINE_OR_MOBILE is what libphonenumber says for
# countries whose mobile and fixed numbers share a plan (the US); it may be a mobile.
_SMS_TYPES = ("MOBILE", "FIXED_LINE_OR_MOBILE")


def _phonenumbers() -> ModuleType:
    """phonenumbers, imported when a number is checked or shown: loading it costs ~40 ms,
    which the program should not spend before its first screen."""
    import phonenumbers

    return phonenumbers


def _parse(text: str, country: str) -> phonenumbers.PhoneNumber:
    phonenumbers = _phonenumbers()
    t = text.strip()
    if not _PHONE_CHARS.fullmatch(t) or not any(ch.isdigit() for ch in t):
        raise PhoneError("Een telefoonnummer bestaat uit cijfers, bijvoorbeeld 0592 123456.")
    try:
        number = phonenumbers.parse(t, country.upper())
    except phonenumbers.NumberParseException:
        # Not a ValueError: phonenumbers' own exception class, for any text it cannot read.
        raise PhoneError("Dit telefoonnummer is niet te lezen.") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("Dit telefoonnummer bestaat niet: controleer het aantal cijfers.")
    return number


def parse_phone(text: str, country: str = "NL") -> str:
    """A Telefoon in E.164 (``+31880128295``); numbers without ``+``/``00`` are read as
    numbers of ``country``. Empty input gives "". Raises :class:`PhoneError`.

    >>> parse_phone("(088) 012 82 95")
    '+31880128295'
    """
    return _e164(text, country)


def parse_sms(text: str, country: str = "NL") -> str:
    """An SMS-nummer in E.164: it must be a mobile number. Empty input gives "".
    Raises :class:`PhoneError`.

    >>> parse_sms("06-1234 5678")
    '+31612345678'
    """
    return _e164(text, country, mobile=True)


def _e164(text: str, country: str, *, mobile: bool = False) -> str:
    """The number in E.164, "" for empty input; ``mobile``: it must be a mobile number."""
    if not text.strip():
        return ""
    number = _parse(text, country)
    phonenumbers = _phonenumbers()
    if mobile:
        sms_types = {getattr(phonenumbers.PhoneNumberType, name) for name in _SMS_TYPES}
        if phonenumbers.number_type(number) not in sms_types:
            raise PhoneError("Een SMS-nummer moet een mobiel nummer zijn.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def show_phone(e164: str) -> str:
    """A stored number for display: Dutch numbers in the national form, others in the
    international form; text that is not a number is shown as it is.

    >>> show_phone("+31612345678"), show_phone("+32470123456")
    ('06 12345678', '+32 470 12 34 56')
    """
    if not e164:
        return ""
    phonenumbers = _phonenumbers()
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    formats = phonenumbers.PhoneNumberFormat
    style = formats.NATIONAL if number.country_code == 31 else formats.INTERNATIONAL
    return phonenumbers.format_number(number, style)


_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")


def parse_email(text: str) -> str:
    """An E-mail address: ``name@domain.tld``, no spaces, at most 254 characters; the domain
    is lower-cased, the part before ``@`` kept as typed. Empty input gives "" (the [Leeg]
    choice itself belongs to the screen). Raises :class:`EmailError`.

    >>> parse_email("Info@BibliotheekAnnen.NL")
    'Info@bibliotheekannen.nl'
    """
    t = text.strip()
    if not t:
        return ""
    if any(ch.isspace() for ch in t):
        raise EmailError("Een e-mailadres bevat geen spaties.")
    if not t.isascii():
        raise EmailError(
            "Een e-mailadres mag geen letters met accenten of bijzondere tekens bevatten."
        )
    if len(t) > EMAIL_MAX:
        raise EmailError(f"Dit e-mailadres is te lang: maximaal {EMAIL_MAX} tekens.")
    if t.count("@") != 1:
        raise EmailError("Een e-mailadres heeft precies één @, bijvoorbeeld naam@voorbeeld.nl.")
    local, domain = t.split("@")
    if not local or len(local) > _LOCAL_MAX or not _LOCAL.fullmatch(local):
        raise EmailError("Het deel voor de @ klopt niet, bijvoorbeeld naam@voorbeeld.nl.")
    labels = domain.split(".")
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TLD.fullmatch(labels[-1])
    ):
        raise EmailError("Het deel na de @ klopt niet, bijvoorbeeld naam@voorbeeld.nl.")
    return f"{local}@{domain.lower()}"
