"""Bank details for SEPA direct debit: IBAN, BIC (only for foreign accounts) and masking."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_desk.rules.errors import RuleError
from tui_desk.rules.postcodes import country_name


class IbanError(RuleError):
    """An IBAN that is not valid or cannot be used for SEPA direct debit."""


class BicError(RuleError):
    """A BIC that is not written like one."""


HOME_COUNTRY = "NL"
UNKNOWN_BANK_WARNING = "Onbekende bank: controleer het IBAN."


@dataclass(frozen=True)
class IbanResult:
    """A checked IBAN. ``bic`` is derived from the bank code where schwifty knows the bank;
    ``warning`` is a Dutch sentence to show (the IBAN is accepted all the same)."""

    iban: str
    bic: str | None
    bank_known: bool
    foreign: bool
    warning: str = ""
    bank_name: str = ""

    @property
    def formatted(self) -> str:
        """``NL91 ABNA 0417 1643 00``"""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


# schwifty's exceptions are all ValueError subclasses; map each to what the desk can act on.
# Order matters: the more specific classes first. (By name: schwifty, ~50 ms to load with its
# bank registry, is imported where an IBAN is checked, not when the program starts.)
_MESSAGES: tuple[tuple[str, str], ...] = (
    ("InvalidChecksumDigits", "IBAN klopt niet: controlegetal is onjuist."),
    ("InvalidCountryCode", "IBAN klopt niet: het begint niet met een bekende landcode."),
    ("InvalidLength", "IBAN klopt niet: het aantal tekens past niet bij het land."),
    ("InvalidBBANChecksum", "IBAN klopt niet: het rekeningnummer is onjuist."),
    ("InvalidBankCode", "IBAN klopt niet: de bankcode is onjuist."),
    ("InvalidBranchCode", "IBAN klopt niet: de filiaalcode is onjuist."),
    ("InvalidAccountCode", "IBAN klopt niet: het rekeningnummer is onjuist."),
    ("InvalidStructure", "IBAN klopt niet: de opbouw past niet bij het land."),
)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _letters_and_digits(text: str, name: str, example: str, error: type[RuleError]) -> str:
    """The code compact in capitals; ``error`` when it is empty or holds anything but letters
    and digits."""
    t = _compact(text)
    if not t:
        raise error(f"Vul een {name} in, bijvoorbeeld {example}.")
    if not re.fullmatch(r"[A-Z0-9]+", t, flags=re.ASCII):
        raise error(f"Een {name} bestaat alleen uit letters en cijfers.")
    return t


def parse_iban(text: str) -> IbanResult:
    """Check an IBAN typed with or without spaces, in any case.

    Dutch IBANs get their BIC from the bank code; a Dutch IBAN of a bank schwifty does not know
    is accepted with a warning. IBANs of countries outside the SEPA zone are refused: they cannot
    be debited. Raises :class:`IbanError`.

    >>> parse_iban("nl91 abna 0417 1643 00").bic
    'ABNANL2A'
    """
    t = _letters_and_digits(text, "IBAN", "NL91 ABNA 0417 1643 00", IbanError)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", t):
        raise IbanError("Een IBAN begint met een landcode en twee cijfers, bijvoorbeeld NL91.")
    from schwifty import IBAN
    from schwifty import exceptions as sx

    try:
        iban = IBAN(t)
    except sx.SchwiftyException as exc:
        message = next((m for name, m in _MESSAGES if isinstance(exc, getattr(sx, name))),
                       "IBAN klopt niet.")
        raise IbanError(message) from None
    if not iban.in_sepa_zone:
        raise IbanError(
            f"Een rekening uit {country_name(iban.country_code)} kan niet voor SEPA-incasso "
            "gebruikt worden."
        )
    foreign = iban.country_code != HOME_COUNTRY
    bic = str(iban.bic) if iban.bic is not None else None
    bank_known = iban.bank is not None
    warning = UNKNOWN_BANK_WARNING if not foreign and bic is None else ""
    return IbanResult(
        iban=iban.compact,
        bic=bic,
        bank_known=bank_known,
        foreign=foreign,
        warning=warning,
        bank_name=iban.bank_name or "",
    )


def parse_bic(text: str) -> str:
    """A BIC of 8 or 11 characters, spaces and case free; returned compact in capitals.
    Whether the bank exists is not checked (not every valid BIC is in schwifty's registry).
    Raises :class:`BicError`.

    >>> parse_bic("cobade ffxxx")
    'COBADEFFXXX'
    """
    t = _letters_and_digits(text, "BIC", "COBADEFFXXX", BicError)
    if len(t) not in (8, 11):
        raise BicError(f"Een BIC heeft 8 of 11 tekens, dit zijn er {len(t)}.")
    from schwifty import BIC
    from schwifty import exceptions as sx

    try:
        return str(BIC(t))
    except sx.InvalidCountryCode:
        raise BicError(f"BIC klopt niet: {t[4:6]} is geen landcode.") from None
    except sx.SchwiftyException:
        raise BicError("BIC klopt niet: 4 letters bank, 2 letters land, 2 tekens plaats.") from None


def bic_asked(result: IbanResult) -> bool:
    """The BIC field is shown only for a foreign IBAN ("Alleen bij buitenlandse
    rekeningnummers"); it is prefilled with the derived BIC where there is one.

    >>> bic_asked(parse_iban("DE89370400440532013000"))
    True
    """
    return result.foreign


def bic_required(result: IbanResult) -> bool:
    """The BIC must be typed: a foreign IBAN whose BIC cannot be derived from the bank code.

    >>> bic_required(parse_iban("BE68539007547034"))
    True
    """
    return result.foreign and result.bic is None


def mask_iban(iban: str) -> str:
    """An IBAN for receipts and screens that need not show it whole: country code and last four
    characters visible, grouped by four, the last four kept together.

    >>> mask_iban("NL91ABNA0417164300")
    'NL** **** **** **4300'
    """
    t = _compact(iban)
    if len(t) <= 6:
        return t
    head = t[:2] + "*" * (len(t) - 6)
    groups = [head[i : i + 4] for i in range(0, len(head), 4)]
    if len(groups[-1]) < 4:
        groups[-1] += t[-4:]
    else:
        groups.append(t[-4:])
    return " ".join(groups)


# -- the SEPA character set ---------------------------------------------------------------------
# The EPC's "Latin character set" that every SEPA bank must accept (EPC217-08): letters, digits,
# / - ? : ( ) . , ' + and space. A file with anything else may be refused by a Dutch bank.
SEPA_ALLOWED = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
# ASCII outside the set, mapped to the nearest allowed character where one reads the same;
# the rest become a space.
_SEPA_ASCII = str.maketrans({
    "&": "+", '"': "'", "`": "'", "_": "-", ";": ",", "!": ".", "[": "(", "]": ")",
    "{": "(", "}": ")", "<": "(", ">": ")", "\\": "/", "|": "/",
})


def sepa_text(text: str, limit: int) -> str:
    """``text`` in the SEPA character set, at most ``limit`` characters, trimmed; may be "".

    Letters of other scripts are transliterated (text-unidecode: ``王小明`` → ``Wang Xiao
    Ming``, ``Γιώργος`` → ``Giorgos``); what has no Latin form (an emoji) is dropped.

    >>> sepa_text("Çelik & Zoë; \\"Bib\\" @home", 70)
    "Celik + Zoe, 'Bib' home"
    """
    from text_unidecode import unidecode

    latin = unidecode(text or "").translate(_SEPA_ASCII)
    kept = "".join(ch if ch in SEPA_ALLOWED else " " for ch in latin)
    return " ".join(kept.split())[:limit].rstrip()


def is_sepa_identifier(text: str, limit: int = 35) -> bool:
    """An identifier (mandate id, end-to-end id) as the EPC wants it: SEPA characters without
    spaces, 1 to ``limit`` long, not starting or ending with ``/`` and without ``//``.

    >>> is_sepa_identifier("MACHT-381847-1"), is_sepa_identifier("A//B")
    (True, False)
    """
    return (0 < len(text) <= limit and all(ch in SEPA_ALLOWED and ch != " " for ch in text)
            and not text.startswith("/") and not text.endswith("/") and "//" not in text)
