"""Persons and institutions: Persoon/Instelling codes, salutation, youth and the Roepnaam rule."""

from __future__ import annotations

import datetime as dt

from tui_desk.rules import names
from tui_desk.rules.dates import age_on
from tui_desk.rules.errors import RuleError


class GenderError(RuleError):
    """A Persoon/Instelling choice that is not one of Man, Vrouw, Neutraal, Onbekend, Instelling."""


MAN, VROUW, NEUTRAAL, ONBEKEND, INSTELLING = "M", "V", "X", "O", "I"

# The codes in the order of the choice on the screen, with the labels of the manual.
GENDERS: dict[str, str] = {
    MAN: "Man",
    VROUW: "Vrouw",
    NEUTRAAL: "Neutraal",
    ONBEKEND: "Onbekend",
    INSTELLING: "Instelling",
}

# The manual: schools, institutions and homes always get this birth date, which prevents a wrong
# salutation in letters and mail.
INSTITUTION_BIRTH_DATE = dt.date(1980, 1, 1)

# Youth members are 0 t/m 18; at 19 the youth subscription turns into Start.
YOUTH_MAX_AGE = 18


def parse_gender(text: str) -> str:
    """The code for a typed Persoon/Instelling choice: a code or a label, any case.

    Raises :class:`GenderError`.

    >>> parse_gender("vrouw")
    'V'
    """
    t = text.strip()
    for code, label in GENDERS.items():
        if t.upper() == code or t.casefold() == label.casefold():
            return code
    raise GenderError("Kies Man, Vrouw, Neutraal, Onbekend of Instelling.")


def gender_label(code: str) -> str:
    """The label shown for a code; empty for an unknown code.

    >>> gender_label("X")
    'Neutraal'
    """
    return GENDERS.get(code, "")


def is_institution(code: str) -> bool:
    """True for the Instelling choice (schools, institutions, homes).

    >>> is_institution("I")
    True
    """
    return code == INSTELLING


def salutation(code: str) -> str:
    """Dhr. for Man, Mw. for Vrouw, nothing otherwise (the one rule lives in ``names``).

    >>> salutation("M")
    'Dhr.'
    """
    return names.salutation(code)


def birth_date_for(code: str, typed: dt.date | None) -> dt.date | None:
    """The birth date to store: institutions always get 01-01-1980, persons what was typed.

    >>> birth_date_for("I", None)
    datetime.date(1980, 1, 1)
    """
    return INSTITUTION_BIRTH_DATE if is_institution(code) else typed


def is_youth(birth: dt.date, today: dt.date) -> bool:
    """A youth member: 0 t/m 18 years old on ``today``.

    >>> is_youth(dt.date(2006, 4, 16), dt.date(2025, 4, 15))
    True
    """
    return 0 <= age_on(birth, today) <= YOUTH_MAX_AGE


def roepnaam_required(kind: str, birth: dt.date | None, today: dt.date) -> bool:
    """The Roepnaam is required for youth members only ("alleen invullen bij jeugdleden");
    never for institutions, and not while the birth date is unknown.

    >>> roepnaam_required("V", dt.date(2015, 6, 1), dt.date(2025, 1, 15))
    True
    """
    if is_institution(kind) or birth is None:
        return False
    return is_youth(birth, today)


def needs_guardian(kind: str, birth: dt.date | None, today: dt.date, below_age: int) -> bool:
    """A person younger than ``below_age`` on ``today`` needs an ouder/verzorger (AVG: below
    16 a parent consents for the child). Institutions and unknown birth dates do not.

    >>> needs_guardian("M", dt.date(2017, 6, 15), dt.date(2026, 11, 28), 16)
    True
    >>> needs_guardian("V", dt.date(2010, 6, 15), dt.date(2026, 11, 28), 16)
    False
    """
    if kind == "I" or kind == "institution" or birth is None:
        return False
    return age_on(birth, today) < below_age
