"""Is this new customer probably someone already registered?

Wise's "Ontdubbelen" compares last name, address and birth date exactly. Staff type "v.d." for
"van der", forget accents and make typos, so here two people are *likely the same* when

- the birth dates are equal and the surnames are equal after folding prefix, case and accents,
  or differ by one typo (one letter added, dropped, changed or two swapped; two for long names);
- or they live at the same address (postcode, house number and suffix), their initials start
  alike and their surnames are equal or one typo apart.

Two people with the same common surname and different birth dates at different addresses are
not flagged. Institutions all carry birth date 01-01-1980, so for them the birth date says
nothing and only the name and address count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.rules.names import PREFIXES, fold, normalise_prefix, split_prefix

# Single words that are prefixes or articles ("de", "het", "'t", "van"): left out of an
# institution's name when comparing, so "OBS De Kruisakkers" is "OBS Kruisakkers".
_NAME_FILLERS = frozenset(p for p in PREFIXES if " " not in p) | {"t"}


@dataclass(frozen=True)
class Person:
    initials: str
    prefix: str
    surname: str
    birth_date: dt.date | None
    postcode: str = ""
    house_number: int | None = None
    house_suffix: str = ""
    institution: bool = False


def surname_key(prefix: str, surname: str) -> str:
    """The surname without prefix, folded: ``v.d. Tést`` and ``van der Test`` give ``test``.

    >>> surname_key("v.d.", "Tést")
    'test'
    """
    _prefix, bare = split_prefix(f"{normalise_prefix(prefix)} {surname}".strip())
    return fold(bare).replace(" ", "").replace("'", "")


def institution_key(name: str) -> str:
    """An institution's name folded, without articles and prefixes, without spaces.

    >>> institution_key("OBS De Kruisakkers") == institution_key("OBS Kruisakkers")
    True
    """
    words = [w.strip("'") if w != "'t" else w for w in fold(name).split()]
    kept = [w for w in words if w and w not in _NAME_FILLERS]
    return "".join(kept or words).replace("'", "")


def surname_parts(prefix: str, surname: str) -> tuple[str, ...]:
    """The parts of a double-barrelled surname, each folded without its prefix, sorted:
    ``Jansen-de Vries`` and ``de Vries-Jansen`` give the same parts.

    >>> surname_parts("", "Jansen-de Vries") == surname_parts("de", "Vries-Jansen")
    True
    """
    whole = f"{normalise_prefix(prefix)} {surname}".strip()
    parts = [p for p in whole.split("-") if p.strip()]
    if len(parts) < 2:
        return ()
    return tuple(sorted(surname_key("", p) for p in parts))


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps).

    >>> distance("jansen", "janssen")
    1
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def names_alike(a: str, b: str) -> bool:
    """Equal, or one typo apart (two for names of eight letters or more).

    >>> names_alike("jansen", "janssen"), names_alike("jansen", "pietersen")
    (True, False)
    """
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    allowed = 2 if min(len(a), len(b)) >= 8 else 1
    return distance(a, b) <= allowed


def _initial(initials: str) -> str:
    letters = fold(initials).replace(" ", "").replace("'", "")
    return letters[:1]


def _same_address(a: Person, b: Person) -> bool:
    return (
        bool(a.postcode)
        and a.house_number is not None
        and a.postcode.replace(" ", "").upper() == b.postcode.replace(" ", "").upper()
        and a.house_number == b.house_number
        and fold(a.house_suffix) == fold(b.house_suffix)
    )


def likely_same(new: Person, known: Person) -> str | None:
    """Why ``known`` is probably ``new`` (Dutch, for the screen), or None.

    >>> a = Person("A.", "v.d.", "Test", dt.date(1991, 1, 1))
    >>> likely_same(a, Person("A.", "van der", "Test", dt.date(1991, 1, 1)))
    'zelfde geboortedatum en achternaam'
    """
    if new.institution or known.institution:
        ka = institution_key(f"{new.prefix} {new.surname}")
        kb = institution_key(f"{known.prefix} {known.surname}")
    else:
        ka, kb = surname_key(new.prefix, new.surname), surname_key(known.prefix, known.surname)
    if not ka or not kb:
        return None
    equal = ka == kb
    parts = surname_parts(new.prefix, new.surname)
    swapped = not equal and bool(parts) and parts == surname_parts(known.prefix, known.surname)
    alike = equal or swapped or names_alike(ka, kb)
    use_birth = not (new.institution or known.institution)
    if use_birth and new.birth_date and new.birth_date == known.birth_date and alike:
        first_new, first_known = _initial(new.initials), _initial(known.initials)
        if _same_address(new, known) and first_new and first_known and first_new != first_known:
            # twins, or a parent and child: staff decide at a glance
            return "zelfde adres en geboortedatum, andere voorletters"
        if swapped:
            return "zelfde geboortedatum, dubbele achternaam omgedraaid"
        return "zelfde geboortedatum en achternaam" if equal else (
            "zelfde geboortedatum, achternaam lijkt erop"
        )
    if _same_address(new, known) and alike:
        if new.institution or known.institution:
            return "zelfde adres en naam"
        if _initial(new.initials) and _initial(new.initials) == _initial(known.initials):
            return "zelfde adres en voorletters"
    return None


def same_person(new: Person, known: Person) -> bool:
    """For "max 1 per persoon" (the free staff subscription): the same birth date, surnames
    equal or one typo apart as the duplicate check folds them, and the same first initial
    where both have one (twins with other initials are two people).

    >>> same_person(Person("A.", "van de", "Test", dt.date(1990, 2, 2)),
    ...             Person("A.", "v.d.", "Tesst", dt.date(1990, 2, 2)))
    True
    """
    if new.birth_date is None or new.birth_date != known.birth_date:
        return False
    ka, kb = surname_key(new.prefix, new.surname), surname_key(known.prefix, known.surname)
    parts = surname_parts(new.prefix, new.surname)
    if not ka or not kb or not (
        names_alike(ka, kb) or (parts and parts == surname_parts(known.prefix, known.surname))
    ):
        return False
    a, b = _initial(new.initials), _initial(known.initials)
    return not (a and b and a != b)


def same_school(new_name: str, known_name: str) -> bool:
    """For "maximaal 1 abonnement per school" (dBos), between institutions at one address:
    the names equal or one typo apart without articles, case, accents and punctuation.

    >>> same_school("OBS De Kruisakkers", "obs kruisakkers"), same_school("OBS De Horst",
    ...                                                                   "OBS Kruisakkers")
    (True, False)
    """
    a, b = institution_key(new_name), institution_key(known_name)
    return bool(a and b) and names_alike(a, b)
