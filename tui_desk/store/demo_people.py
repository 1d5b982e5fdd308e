"""Invented people and institutions for the demo database: names, addresses, contact details,
activity and card history, drawn from one ``random.Random``. No I/O: the tables they are drawn
from come in a ``World``."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from dataclasses import dataclass, field

from tui_desk.rules import names
from tui_desk.rules.dates import age_on
from tui_desk.rules.periods import add_months
from tui_desk.statuses import CardStatus
from tui_desk.store.demo import BRANCH_WEIGHTS
from tui_desk.store.demo_world import PeriodRow, PostcodeRange, World
from tui_desk.store.errors import StoreError

_MAIL_DOMAINS = ["ziggo.example", "kpnmail.example", "gmail.example", "hotmail.example",
                 "outlook.example", "home.example", "planet.example", "live.example",
                 "icloud.example", "xs4all.example"]
_AREA_CODES = {"ANNEN": "592", "ASSEN": "592", "EMMEN": "591", "MEPPEL": "522",
               "HOOGEVEEN": "528", "RODEN": "50"}

_NOTICES = [
    "Pas kwijt gemeld, nieuwe pas meegegeven",
    "Post komt retour: adres controleren",
    "Openstaande boete nog niet betaald",
    "Wil geen nieuwsbrief, ook niet per post",
    "Legitimatie nog tonen bij volgend bezoek",
    "Ouder/verzorger tekent voor het jeugdlid",
    "Reserveringen graag telefonisch melden",
    "Slechtziend: grote letter boeken voorkeur",
    "Leest veel streekromans, tips welkom",
    "Boek met waterschade ingeleverd, vergoed",
]
_PRIVATE_NOTICES = [
    "Eerst overleggen met teamleider",
    "Machtiging ingetrokken: contributie contant",
    "Betalingsregeling lopend, zie financieel",
    "Geen nieuwe pas zonder legitimatie",
]
_END_REASONS = ["Verhuisd", "Op verzoek klant", "Geen interesse meer", "Te duur", "Overleden"]
_CARD_LOSS = [(CardStatus.BLOCKED, "Verloren"), (CardStatus.BLOCKED, "Gestolen"),
              (CardStatus.REPLACED, "Beschadigd"), (CardStatus.REPLACED, "Nieuwe pas")]

# Age weights 0..95: many children (BoekStart, schools), fewer young adults, a long tail.
_AGE_WEIGHTS = (
    [2.0] * 4 + [3.2] * 9 + [1.8] * 6 + [0.8] * 12 + [1.2] * 15 + [1.2] * 20 + [1.1] * 15
    + [0.5] * 10 + [0.15] * 5
)
# Adult subscription preference (from 31, or from 19 for those who want more than Start).
_ADULT_TARIFFS = [("0045", 60), ("0053", 18), ("0049", 6), ("0052", 4), ("0141", 7),
                  ("0001", 5)]

DAY = dt.timedelta(days=1)



def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes the 28th."""
    return add_months(day, -12 * years)

# -- generated records -----------------------------------------------------------------------------
@dataclass
class Customer:
    kind: str
    gender: str
    initials: str
    prefix: str
    surname: str
    first_name: str
    birth: dt.date
    branch: str
    registered: dt.date
    street: str
    number: int
    suffix: str
    postcode: str
    place: str
    region: str
    email: str = ""
    phone: str = ""
    sms: str = ""
    newsletter: int = 0
    id_checked: int = 1
    loan_history: int = 0
    notify_loaned_before: int = 0
    selection: str = ""
    last_activity: dt.date | None = None
    items_on_loan: int = 0
    strips: int = 0
    balance: int = 0
    plan: str = "regular"  # regular | proef | gastleen | maand | institution | fixed
    adult_tariff: str = "0045"
    wants_more: bool = False  # 19-30 and not content with Start
    institution_kind: str = ""
    cancelled_on: dt.date | None = None
    end_reason: str = ""
    invalid_period: bool = False
    dbos: bool = False
    card_changes: list[tuple[dt.date, CardStatus, str]] = field(default_factory=list)
    fixed_card: str | None = None
    actor_id: int | None = None
    periods: list[PeriodRow] = field(default_factory=list)  # given for plan "fixed", else made
    notices: list[tuple[str, int]] = field(default_factory=list)




class Seeder:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.config = world.config
        self.today = world.today
        self.rng = rng
        self.names = world.names
        self.emails: set[str] = set()
        self.institution_names: set[str] = set()
        self.tariffs = world.tariffs
        self.prices = world.prices
        self.postcodes_by_place: dict[str, list[PostcodeRange]] = {}
        for r in world.postcodes:
            self.postcodes_by_place.setdefault(r.place, []).append(r)
        self.all_postcodes = world.postcodes
        self.cum_cache: dict[str, list[int]] = {}

    # -- small pickers -----------------------------------------------------------------------
    def price(self, code: str, audience: str, day: dt.date) -> int | None:
        """In memory, the same rule as ``tariffs.price_on``; None before the first price."""
        iso = day.isoformat()
        best: tuple[str, int, int] | None = None
        for aud, rank in ((audience, 1), ("both", 0)):
            for valid_from, cents in self.prices.get((code, aud), ()):
                if valid_from <= iso and (best is None or (valid_from, rank) > best[:2]):
                    best = (valid_from, rank, cents)
        return None if best is None else best[2]

    def address(self, place: str) -> tuple[str, int, str, str, str, str]:
        rows = self.postcodes_by_place.get(place) or self.all_postcodes
        cum = self.cum_cache.get(place)
        if cum is None:
            cum, total = [], 0
            for r in rows:
                step = 1 if r.parity == "all" else 2
                total += (r.max_number - r.min_number) // step + 1
                cum.append(total)
            self.cum_cache[place] = cum
        rng = self.rng
        row = rows[bisect.bisect_right(cum, rng.random() * cum[-1])]
        step = 1 if row.parity == "all" else 2
        number = row.min_number + step * rng.randrange(
            (row.max_number - row.min_number) // step + 1)
        roll = rng.random()
        suffix = "A" if roll < 0.04 else "B" if roll < 0.055 else (
            rng.choice(["1", "2", "3"]) if roll < 0.075 else "")
        return row.street, number, suffix, row.postcode, row.place, row.region

    def postcode_of(self, place: str, street: str, number: int) -> tuple[str, str]:
        """(postcode, region) of a known address in the demo table."""
        for r in self.postcodes_by_place.get(place, ()):
            side = r.parity in ("all", "odd" if number % 2 else "even")
            if r.street == street and r.min_number <= number <= r.max_number and side:
                return r.postcode, r.region
        raise StoreError(f"{street} {number}, {place} staat niet in de postcodetabel.")

    def branch_and_place(self) -> tuple[str, str]:
        branches = self.config.branches
        weights = [BRANCH_WEIGHTS.get(b.code, 10) for b in branches]
        branch = self.rng.choices(branches, weights)[0]
        place = branch.place.upper()
        if self.rng.random() < 0.05:  # some live in another town than their library
            place = self.rng.choice(branches).place.upper()
        return branch.code, place

    def birth_date(self, age: int) -> dt.date:
        latest = years_before(self.today, age)
        earliest = years_before(self.today, age + 1) + DAY
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def first_name(self, gender: str, birth: dt.date) -> str:
        era = "old" if birth.year < 1960 else "middle" if birth.year < 1990 else "young"
        if gender == "X":
            return self.rng.choice(self.names.neutral)
        if gender == "O":
            gender = self.rng.choice("MV")
        lists = self.names.female if gender == "V" else self.names.male
        return self.rng.choice(lists[era])

    def initials(self, first: str, birth: dt.date) -> str:
        letters = [part[0].upper() for part in first.split("-") if part]
        extra = self.rng.random()
        more = 0.6 if birth.year < 1960 else 0.35
        if extra < more:
            letters.append(self.rng.choice("AJHMGWCEPRK"))
            if extra < more / 3:
                letters.append(self.rng.choice("AJHMGWCEPRK"))
        return "".join(f"{ch}." for ch in letters)

    def email(self, first: str, prefix: str, surname: str) -> str:
        def bare(text: str) -> str:
            return re.sub(r"[^a-z0-9]", "", names.fold(text))

        rng = self.rng
        style = rng.random()
        sur = bare(prefix + surname)
        if style < 0.45:
            local = f"{bare(first)}.{sur}"
        elif style < 0.7:
            local = f"{bare(first)[:1]}{sur}"
        elif style < 0.85:
            local = f"{bare(first)}{sur}{rng.randrange(60, 100):02d}"
        else:
            local = f"fam.{sur}"
        address = f"{local}@{rng.choice(_MAIL_DOMAINS)}"
        n = 2
        while address in self.emails:
            address = f"{local}{n}@{address.split('@')[1]}"
            n += 1
        self.emails.add(address)
        return address

    def phone(self, place: str, mobile: bool) -> str:
        rng = self.rng
        if mobile:
            return f"+316{rng.randrange(1, 6)}{rng.randrange(10**7):07d}"
        area = _AREA_CODES.get(place, "592")
        rest = 9 - len(area)
        return f"+31{area}{rng.randrange(2, 10)}{rng.randrange(10 ** (rest - 1)):0{rest - 1}d}"

    # -- customers ---------------------------------------------------------------------------
    def registered_on(self, birth: dt.date) -> dt.date:
        rng = self.rng
        age_days = (self.today - birth).days
        tenure = int(rng.expovariate(1 / (8 * 365)))
        if tenure > 30 * 365:
            tenure = rng.randrange(30 * 365)
        earliest = birth + dt.timedelta(days=min(120, age_days))
        if age_on(birth, self.today) >= 19:
            # adults mostly joined as adults or as children at school age
            earliest = birth + dt.timedelta(days=min(4 * 365, age_days))
        start = self.today - dt.timedelta(days=tenure)
        return max(earliest, start)

    def person(self) -> Customer:
        rng = self.rng
        today = self.today
        age = rng.choices(range(len(_AGE_WEIGHTS)), _AGE_WEIGHTS)[0]
        birth = self.birth_date(age)
        roll = rng.random()
        gender = "V" if roll < 0.52 else "M" if roll < 0.97 else "X" if roll < 0.98 else "O"
        first = self.first_name(gender, birth)
        prefix, surname = self.names.surnames[
            bisect.bisect_right(self.names.surname_cum, rng.random() * self.names.surname_cum[-1])
        ]
        branch, place = self.branch_and_place()
        street, number, suffix, postcode, place, region = self.address(place)
        c = Customer(
            kind="person", gender=gender, initials=self.initials(first, birth), prefix=prefix,
            surname=surname, first_name=first if age <= 18 or rng.random() < 0.35 else "",
            birth=birth, branch=branch, registered=self.registered_on(birth), street=street,
            number=number, suffix=suffix, postcode=postcode, place=place, region=region,
        )
        email_chance = 0.35 if age < 12 else 0.65 if age <= 18 else 0.75 if age <= 75 else 0.45
        if rng.random() < email_chance:
            c.email = self.email(first, prefix, surname)
            c.newsletter = int(rng.random() < 0.45)
        if rng.random() < 0.8:
            mobile = age >= 12 and rng.random() < 0.7
            c.phone = self.phone(place, mobile)
            if mobile and rng.random() < 0.5:
                c.sms = c.phone
        c.id_checked = int(age < 12 or rng.random() < 0.93)
        c.loan_history = int(rng.random() < 0.3)
        c.notify_loaned_before = int(rng.random() < 0.2)
        c.adult_tariff = rng.choices([t for t, _ in _ADULT_TARIFFS],
                                     [w for _, w in _ADULT_TARIFFS])[0]
        c.wants_more = rng.random() < 0.25
        if age <= 3 and rng.random() < 0.6:
            c.selection = "BOEKSTART"
        if c.adult_tariff == "0001" and age >= 19:
            c.selection = rng.choice(["PERSONEEL", "VRIJWILLIGER"])
        # temporary subscriptions: recent sign-ups only
        roll = rng.random()
        if age >= 19 and roll < 0.03:
            c.plan = ("proef", "gastleen", "maand")[int(roll / 0.01)]
            c.registered = max(c.registered, today - dt.timedelta(days=rng.randrange(1, 75)))
        elif rng.random() < 0.08:
            # cancelled in the last three years (older ex-members are no longer on file)
            earliest = max(c.registered + dt.timedelta(days=30), years_before(today, 3))
            if earliest < today - DAY:
                c.cancelled_on = earliest + dt.timedelta(
                    days=rng.randrange((today - DAY - earliest).days))
                c.end_reason = rng.choice(_END_REASONS)
        c.invalid_period = rng.random() < 0.03
        self.finish(c)
        return c

    def institution(self) -> Customer:
        rng = self.rng
        kinds = self.names.institutions
        kind = rng.choices(["school", "tehuis", "other"], [60, 25, 15])[0]
        name = rng.choice(kinds[kind])
        branch, place = self.branch_and_place()
        if name in self.institution_names:  # the same school name in another town
            name = f"{name} {place.title()}"
        self.institution_names.add(name)
        street, number, suffix, postcode, place, region = self.address(place)
        registered = self.today - dt.timedelta(days=int(rng.uniform(30, 25 * 365)))
        c = Customer(
            kind="institution", gender="I", initials="", prefix="", surname=name, first_name="",
            birth=dt.date(1980, 1, 1), branch=branch, registered=registered, street=street,
            number=number, suffix="", postcode=postcode, place=place, region=region,
            plan="institution", institution_kind=kind,
        )
        if rng.random() < 0.85:
            slug = re.sub(r"[^a-z0-9]", "", names.fold(name))
            c.email = f"info@{slug}.example"
            if c.email in self.emails:
                c.email = f"{place.lower()}@{slug}.example"
            self.emails.add(c.email)
        c.phone = self.phone(place, mobile=False)
        c.dbos = kind == "school" and rng.random() < 0.25
        self.finish(c)
        return c

    def finish(self, c: Customer) -> None:
        """Activity, loans, strips, balance, notices and card history."""
        rng, today = self.rng, self.today
        end = c.cancelled_on or today
        span = (end - c.registered).days
        c.last_activity = end - dt.timedelta(days=min(span, int(rng.expovariate(1 / 45))))
        recent = (today - c.last_activity).days < 90 and c.cancelled_on is None
        if c.kind == "institution":
            c.items_on_loan = rng.randrange(0, 31) if recent else 0
        else:
            c.items_on_loan = rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12]) if recent else 0
        roll = rng.random()
        if roll < 0.05:
            c.balance = -rng.choice([50, 100, 150, 200, 250, 300, 450, 750])
        elif roll < 0.07:
            c.balance = rng.choice([100, 500, 1000])
        if rng.random() < 0.07:
            for _ in range(rng.choice([1, 1, 1, 2])):
                private = rng.random() < 0.25
                text = rng.choice(_PRIVATE_NOTICES if private else _NOTICES)
                c.notices.append((text, int(private)))
        if rng.random() < 0.06 and span > 30:
            changed = c.registered + dt.timedelta(days=rng.randrange(1, span))
            status, reason = rng.choice(_CARD_LOSS)
            c.card_changes.append((changed, status, reason))

