"""Tariffs (abonnementen) and who may take which: the choice list of step 3 (Abonnement).

The tariffs themselves are data (``tui_desk/data/tariffs.toml``, loaded into the database by
``store.tariffs.load_tariffs``); this module only decides, for one customer, one signed-in staff
member and one day, which tariffs may be chosen and, for the others, why not.

The rules, from the manual ("SOORTEN ABONNEMENTEN", "School/Instelling/Tehuizen"):

- Persons see the person tariffs, institutions (Persoon/Instelling = Instelling) their own list;
  a tariff of the other audience is left out of the list altogether, and so is an inactive one
  (0002 Instelling: "niet in gebruik").
- Youth members (0 t/m 18) get the youth tariff (0011 Jeugd) automatically and nothing else.
- Age ranges (Start 19 t/m 30, Basis 19-99, ...) are checked for persons on the day the period
  starts; institutions have no age (their birth date is always 01-01-1980).
- Some tariffs may only be issued by staff with a role: dBos supplement only by education staff
  (role ``educatie``).
- Some are only for a selection: 0001 gratis for personnel and volunteers (Selectie personeel /
  vrijwilliger).
- The monthly direct-debit tariffs (maand-incasso) only with a mandate (Sepa incasso ticked).
- Personnel: at most one free subscription per person.
- dBos supplement: at most one per school (a school is one institution customer).

The first rule a tariff fails gives its reason; the order is the order of the list above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from tui_desk.rules.customers import YOUTH_MAX_AGE
from tui_desk.rules.dates import age_on
from tui_desk.rules.money import format_cents

PERSON, INSTITUTION, BOTH = "person", "institution", "both"
VAST, LEEFTIJD, TIJDELIJK = "vast", "leeftijd", "tijdelijk"

# How a role is named in a reason ("Alleen een educatiemedewerker ...").
ROLE_NAMES = {"balie": "baliemedewerker", "educatie": "educatiemedewerker",
              "beheer": "beheerder"}
SELECTION_NAMES = {"personeel": "personeel", "vrijwilliger": "vrijwilligers",
                   "boekstart": "Boekstart", "actie": "een actiecode"}


@dataclass(frozen=True)
class Tariff:
    """One tariff with everything the rules need to offer it, price it and time its periods."""

    code: str
    name: str
    audience: str = PERSON            # person | institution | both
    category: str = VAST              # vast | leeftijd | tijdelijk ("Tijd.")
    min_age: int | None = None        # lowest age at the start of a period (persons)
    max_age: int | None = None        # highest age at the start of a period (persons)
    period_unit: str = "year"         # year | month | week | day
    period_length: int = 1
    strips: int = 0
    max_items: int | None = None
    description: str = ""
    active: bool = True
    # staff roles of which one is needed to issue it (empty: anyone at the desk)
    roles: frozenset[str] = frozenset()
    # selection kinds of which the customer needs one (empty: anyone)
    selections: frozenset[str] = frozenset()
    needs_mandate: bool = False       # monthly direct debit: only with a mandate
    one_per_person_staff: bool = False  # the free staff subscription: one per person
    one_per_school: bool = False      # dBos supplement: one per institution customer
    expiry_month: int | None = None   # fixed expiry month (1..12) of yearly periods, if any
    pay_directly: bool = False        # always paid at the desk (Maandabonnement)

    @property
    def temporary(self) -> bool:
        """A temporary tariff ("Tijd."): one period, never renewed.

        >>> Tariff("0345", "gastleen abonnement", category="tijdelijk").temporary
        True
        """
        return self.category == TIJDELIJK

    @property
    def by_age(self) -> bool:
        """Set from the customer's age (youth, Start) rather than chosen.

        >>> Tariff("0011", "Jeugd", category="leeftijd", min_age=0, max_age=18).by_age
        True
        """
        return self.category == LEEFTIJD

    @property
    def label(self) -> str:
        """``45-Basis``, as the Contributie tab shows a tariff.

        >>> Tariff("0045", "Basis").label
        '45-Basis'
        """
        return f"{int(self.code)}-{self.name}"

    def for_audience(self, kind: str) -> bool:
        """Whether the tariff belongs to the list of a person or of an institution.

        >>> Tariff("0091", "Maandabonnement", audience="both").for_audience("institution")
        True
        """
        return self.audience in (kind, BOTH)

    def fits_age(self, age: int) -> bool:
        """Whether ``age`` lies in the tariff's age range (no range: every age).

        >>> Tariff("0021", "Start", min_age=19, max_age=30).fits_age(31)
        False
        """
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


@dataclass(frozen=True)
class CustomerFacts:
    """What the eligibility rules need to know about the customer (and other records)."""

    kind: str                             # person | institution
    birth_date: dt.date | None = None
    direct_debit: bool = False            # Sepa incasso ticked with an IBAN / a mandate on file
    selection_kind: str | None = None     # kind of the Selectie code (personeel, vrijwilliger...)
    has_dbos: bool = False                # this school already has a current dBos supplement
    staff_free_elsewhere: bool = False    # this person already has a free staff subscription

    def age(self, day: dt.date) -> int | None:
        """Completed years on ``day``; None for institutions and unknown birth dates.

        >>> CustomerFacts("person", dt.date(1991, 1, 1)).age(dt.date(2021, 4, 15))
        30
        """
        if self.kind == INSTITUTION or self.birth_date is None:
            return None
        return age_on(self.birth_date, day)

    def is_youth(self, day: dt.date) -> bool:
        """A youth member (0 t/m 18) on ``day``.

        >>> CustomerFacts("person", dt.date(2009, 6, 1)).is_youth(dt.date(2026, 11, 28))
        True
        """
        age = self.age(day)
        return age is not None and age <= YOUTH_MAX_AGE


class Choice(NamedTuple):
    """One line of the choice list: the tariff, whether it may be chosen and if not, why."""

    tariff: Tariff
    allowed: bool
    reason: str | None


def ages_label(tariff: Tariff) -> str:
    """The last column of the manual's choice list: ``19-99``, ``Vast`` or ``Tijd.``.

    >>> ages_label(Tariff("0021", "Start", category="leeftijd", min_age=19, max_age=30))
    '19-30'
    >>> ages_label(Tariff("0090", "proefabonnement", category="tijdelijk"))
    'Tijd.'
    """
    if tariff.temporary:
        return "Tijd."
    if tariff.min_age is None and tariff.max_age is None:
        return "Vast"
    low = "0" if tariff.min_age is None else str(tariff.min_age)
    high = "" if tariff.max_age is None else str(tariff.max_age)
    return f"{low}-{high}"


def period_label(tariff: Tariff) -> str:
    """The length of one period as the choice list writes it: ``12 mnd``, ``1 mnd``, ``3 wkn``.

    >>> period_label(Tariff("0045", "Basis"))
    '12 mnd'
    >>> period_label(Tariff("0345", "gastleen", period_unit="week", period_length=3))
    '3 wkn'
    """
    n = tariff.period_length
    if tariff.period_unit == "year":
        return f"{12 * n} mnd"
    if tariff.period_unit == "month":
        return f"{n} mnd"
    if tariff.period_unit == "week":
        return f"{n} {'wk' if n == 1 else 'wkn'}"
    return f"{n} {'dag' if n == 1 else 'dagen'}"


def price_label(tariff: Tariff, price_cents: int | None) -> str:
    """The price column of the choice list: ``€ 56,00 /12 mnd`` or ``Gratis``.

    >>> price_label(Tariff("0045", "Basis"), 5600)
    '€ 56,00 /12 mnd'
    >>> price_label(Tariff("0001", "gratis"), 0)
    'Gratis'
    """
    if price_cents is None:
        return "geen prijs"
    if price_cents == 0:
        return "Gratis"
    return f"{format_cents(price_cents)} /{period_label(tariff)}"


def _range(tariff: Tariff) -> str:
    if tariff.min_age is None:
        return f"t/m {tariff.max_age} jaar"
    if tariff.max_age is None:
        return f"vanaf {tariff.min_age} jaar"
    return f"{tariff.min_age} t/m {tariff.max_age} jaar"


def _refusal(tariff: Tariff, facts: CustomerFacts, roles: frozenset[str],
             day: dt.date) -> str | None:
    """The reason the tariff may not be chosen, or None when it may."""
    age = facts.age(day)
    youth_range = f"0 t/m {YOUTH_MAX_AGE}"
    if facts.is_youth(day):
        if tariff.by_age and age is not None and tariff.fits_age(age):
            return None
        return (f"Jeugdleden ({youth_range} jaar) krijgen automatisch het jeugdabonnement; "
                "een ander abonnement kan pas vanaf 19 jaar.")
    if age is not None and not tariff.fits_age(age):
        return f"{tariff.name} is voor {_range(tariff)}; de klant is {age}."
    if age is None and facts.kind == PERSON and (
        tariff.min_age is not None or tariff.max_age is not None
    ):
        return f"{tariff.name} is voor {_range(tariff)}: vul de geboortedatum in."
    if tariff.roles and not (tariff.roles & roles):
        who = " of ".join(ROLE_NAMES.get(r, r) for r in sorted(tariff.roles))
        return f"Alleen een {who} mag {tariff.name} uitgeven."
    if tariff.selections and facts.selection_kind not in tariff.selections:
        who = " of ".join(SELECTION_NAMES.get(s, s) for s in sorted(tariff.selections))
        return f"{tariff.name} is alleen voor {who} (kies de Selectie bij Klantgegevens)."
    if tariff.one_per_person_staff and facts.selection_kind == "personeel" and (
        facts.staff_free_elsewhere
    ):
        return ("Personeel krijgt maximaal 1 gratis abonnement per persoon; deze medewerker "
                "heeft er al een.")
    if tariff.needs_mandate and not facts.direct_debit:
        return (f"{tariff.name} alleen op verzoek van de klant en met een incassomachtiging: "
                "vink Sepa incasso aan en vul het IBAN in.")
    if tariff.one_per_school and facts.has_dbos:
        return f"Deze school heeft al een {tariff.name} (maximaal 1 per school)."
    return None


def eligibility(
    tariffs: Iterable[Tariff], customer_facts: CustomerFacts, role_set: Iterable[str],
    today: dt.date,
) -> list[Choice]:
    """The choice list for one customer: every active tariff of the customer's audience, by
    code, each with whether it may be chosen and otherwise the reason (Dutch, for the screen).

    >>> basis = Tariff("0045", "Basis", min_age=19, max_age=99)
    >>> [c.allowed for c in eligibility([basis], CustomerFacts("person", dt.date(2000, 1, 1)),
    ...                                  {"balie"}, dt.date(2025, 1, 1))]
    [True]
    >>> eligibility([basis], CustomerFacts("person", dt.date(2009, 1, 1)), {"balie"},
    ...             dt.date(2025, 1, 1))[0].reason
    'Jeugdleden (0 t/m 18 jaar) krijgen automatisch het jeugdabonnement; een ander ...'
    """
    roles = frozenset(role_set)
    result = []
    for tariff in sorted(tariffs, key=lambda t: t.code):
        if not tariff.active or not tariff.for_audience(customer_facts.kind):
            continue
        reason = _refusal(tariff, customer_facts, roles, today)
        result.append(Choice(tariff, reason is None, reason))
    return result


def automatic_tariff(
    tariffs: Iterable[Tariff], customer_facts: CustomerFacts, today: dt.date
) -> Tariff | None:
    """The tariff set automatically from the age: the youth tariff for 0 t/m 18, else None.

    >>> youth = Tariff("0011", "Jeugd", category="leeftijd", min_age=0, max_age=18)
    >>> automatic_tariff([youth], CustomerFacts("person", dt.date(2009, 3, 1)),
    ...                  dt.date(2026, 11, 28)).code
    '0011'
    """
    age = customer_facts.age(today)
    if age is None or age > YOUTH_MAX_AGE:
        return None
    return age_tariff(tariffs, age)


def age_tariff(tariffs: Iterable[Tariff], age: int) -> Tariff | None:
    """The active age-set tariff (category leeftijd) whose range holds ``age``: Jeugd for
    0 t/m 18, Start for 19 t/m 30, None beyond.

    >>> start = Tariff("0021", "Start", category="leeftijd", min_age=19, max_age=30)
    >>> age_tariff([start], 19).code, age_tariff([start], 31)
    ('0021', None)
    """
    found = [t for t in tariffs if t.by_age and t.active and t.audience != INSTITUTION
             and t.fits_age(age)]
    return min(found, key=lambda t: t.code) if found else None
