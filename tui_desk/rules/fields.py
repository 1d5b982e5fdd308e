"""The customer's fields, once: key, the manual's label, parser, limit and mandatory rule.

The registration wizard (step 1) and the record's tab 2.NAW-Gegevens both check and store a
field through this table, so that a field cannot be checked one way at the desk and another
way on the record. ``key`` is the field's one name: in code, in the database column, in the
registration draft that keeps what was typed (migration 0014 renamed the Dutch keys of drafts
saved before) and in the wizard's widget ids (``#f-surname``); people see only ``label``.

``max_length`` is what a text field takes: the screens cut a paste beyond it (with a message
next to the field), and the parser refuses longer text that arrives any other way.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tui_desk.rules import contact, customers, dates, names, postcodes
from tui_desk.rules.errors import RuleError


class FieldError(RuleError):
    """Text a field does not take: an invisible character, or longer than its limit."""


class Mandatory(enum.Enum):
    """When a field must be filled in."""

    ALWAYS = "always"
    PERSON = "person"        # everyone but an institution (Geboortedatum)
    YOUTH = "youth"          # youth members only (Roepnaam: "alleen invullen bij jeugdleden")
    DUTCH = "dutch"          # a Dutch address (Postcode)
    EMAIL = "email"          # unless [Leeg] is ticked or the ouder/verzorger has an address
    NEVER = "never"


@dataclass(frozen=True)
class Context:
    """What a parser needs besides the text: the day (birth dates), the address's country
    (postcodes, phone numbers) and whether a Roepnaam is required (a youth member)."""

    today: dt.date
    country: str = "NL"
    required: bool = False


Parser = Callable[[str, Context], object]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    max_length: int
    mandatory: Mandatory
    parse: Parser

    def check(self, text: str, context: Context) -> object:
        """The value to store for ``text``; raises a RuleError with a Dutch message."""
        return self.parse(text, context)


# Cc: control (BEL, BS, DEL, ESC), Cf: format (zero-width, bidi overrides), Co/Cn/Cs: private,
# unassigned, surrogates, Zl/Zp: line and paragraph separators. None belongs in stored text.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def has_invisible(text: str) -> bool:
    """True when ``text`` holds a control or invisible format character.

    >>> has_invisible("Kruis\\x07akkers"), has_invisible("Kruisakkers")
    (True, False)
    """
    return any(unicodedata.category(ch) in _INVISIBLE for ch in text)


def parse_text(text: str, label: str, limit: int) -> str:
    """Free text (Straat, Plaats): spaces tidied, no invisible characters, at most ``limit``.

    >>> parse_text("  Kruis   akkers ", "Straat", 80)
    'Kruis akkers'
    """
    t = unicodedata.normalize("NFC", text)
    if has_invisible(t):
        raise FieldError(f"{label} bevat een onzichtbaar of ongeldig teken.")
    t = " ".join(t.split())
    if len(t) > limit:
        raise FieldError(f"{label} is te lang: maximaal {limit} tekens, dit zijn er {len(t)}.")
    return t


def parse_suffix(text: str) -> str:
    """A Toevoeging typed in its own field, checked as the one typed after the number.

    >>> parse_suffix(" a-2 "), parse_suffix("")
    ('A-2', '')
    """
    if not text.strip():
        return ""
    if has_invisible(text):
        raise postcodes.HouseNumberError("Een toevoeging bestaat alleen uit letters en cijfers.")
    _number, suffix = postcodes.parse_house_number(f"1 {text.strip()}")
    return suffix


def _postcode(text: str, context: Context) -> str:
    if not text.strip():
        return ""
    if context.country == "NL":
        return postcodes.parse_postcode(text)
    return postcodes.parse_foreign_postcode(text)


def _birth_date(text: str, context: Context) -> dt.date:
    return dates.parse_birth_date(text, context.today)


STREET_MAX = 80
PLACE_MAX = 60
# Characters the screens take in a field; the parsers have the last word on what is stored.
_HOUSE_NUMBER_TYPED = 13      # "99999 BIS-2A": number, space, toevoeging
_PHONE_TYPED = 25             # "+31 (0)6 - 12 34 56 78" and the like
_COUNTRY_TYPED = 40
_DATE_TYPED = 20              # "1 september 1991"
_INITIALS_TYPED = 20          # ten initials with their periods
_PREFIX_TYPED = 15            # "van de la", "v. d."

FIELDS: tuple[Field, ...] = (
    Field("initials", "Voorletters", _INITIALS_TYPED, Mandatory.NEVER,
          lambda t, c: names.normalise_initials(t)),
    Field("prefix", "Voorvoegsel", _PREFIX_TYPED, Mandatory.NEVER,
          lambda t, c: names.parse_prefix(t)),
    Field("surname", "Achternaam", names.SURNAME_MAX, Mandatory.ALWAYS,
          lambda t, c: names.parse_surname(t)),
    Field("first_name", "Roepnaam", names.GIVEN_NAME_MAX, Mandatory.YOUTH,
          lambda t, c: names.parse_given_name(t, required=c.required)),
    Field("birth_date", "Geboortedatum", _DATE_TYPED, Mandatory.PERSON,
          _birth_date),
    Field("country", "Land", _COUNTRY_TYPED, Mandatory.ALWAYS,
          lambda t, c: postcodes.country_code(t)),
    Field("postcode", "Postcode", postcodes.FOREIGN_POSTCODE_MAX, Mandatory.DUTCH,
          _postcode),
    Field("house_number", "Huisnummer", _HOUSE_NUMBER_TYPED, Mandatory.ALWAYS,
          lambda t, c: postcodes.parse_house_number(t)),
    Field("house_suffix", "Toevoeging", postcodes.SUFFIX_MAX, Mandatory.NEVER,
          lambda t, c: parse_suffix(t)),
    Field("street", "Straat", STREET_MAX, Mandatory.ALWAYS,
          lambda t, c: parse_text(t, "Straat", STREET_MAX)),
    Field("place", "Plaats", PLACE_MAX, Mandatory.ALWAYS,
          lambda t, c: parse_text(t, "Plaats", PLACE_MAX).upper()),
    Field("gender", "Persoon/Instelling", 10, Mandatory.ALWAYS,
          lambda t, c: customers.parse_gender(t)),
    Field("phone", "Telefoon", _PHONE_TYPED, Mandatory.NEVER,
          lambda t, c: contact.parse_phone(t, c.country)),
    Field("sms", "SMS-nummer", _PHONE_TYPED, Mandatory.NEVER,
          lambda t, c: contact.parse_sms(t, c.country)),
    Field("email", "E-mail", contact.EMAIL_MAX, Mandatory.EMAIL,
          lambda t, c: contact.parse_email(t)),
)
BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def field(key: str) -> Field:
    """The field by its key.

    >>> field("street").label
    'Straat'
    """
    return BY_KEY[key]


def parse(key: str, text: str, context: Context) -> object:
    """``text`` checked and normalised as field ``key`` stores it. Raises RuleError.

    >>> parse("place", " Annen ", Context(dt.date(2025, 1, 1)))
    'ANNEN'
    """
    return field(key).check(text, context)


def is_mandatory(key: str, *, institution: bool, youth: bool, dutch: bool,
                 email_optional: bool = False) -> bool:
    """Whether field ``key`` must be filled for this customer.

    >>> is_mandatory("birth_date", institution=True, youth=False, dutch=True)
    False
    """
    rule = field(key).mandatory
    return {
        Mandatory.ALWAYS: True,
        Mandatory.PERSON: not institution,
        Mandatory.YOUTH: youth and not institution,
        Mandatory.DUTCH: dutch,
        Mandatory.EMAIL: not email_optional,
        Mandatory.NEVER: False,
    }[rule]


def cut(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters, and whether anything was cut off.

    >>> cut("abcdef", 4)
    ('abcd', True)
    """
    return (text[:limit], True) if len(text) > limit else (text, False)


def cut_message(label: str, limit: int) -> str:
    """What the screen says next to a field whose paste was cut.

    >>> cut_message("Plaats", 60)
    'Ingekort: Plaats heeft hoogstens 60 tekens.'
    """
    return f"Ingekort: {label} heeft hoogstens {limit} tekens."


__all__ = [
    "BY_KEY", "FIELDS", "Context", "Field", "FieldError", "Mandatory",
    "cut", "cut_message", "field", "has_invisible", "is_mandatory", "parse",
    "parse_suffix", "parse_text",
]
