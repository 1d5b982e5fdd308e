"""The demo/training database: branches, staff, tariffs, postcodes and ~2,000 invented customers.

Everything (PIN salts included) comes from one ``random.Random(rng_seed)`` and is dated relative
to a given day, so the same seed and day give the same database; only the ``demo_seeded_at``
setting records the wall clock.

The database holds a few customers with known card numbers (``DEMO_SPECIAL_CARDS``):

- ``manual``: Mw. A. van de Test of the staff manual, exactly as its screenshots show her.
- ``markup``: surname ``[b]Test[/b]`` — must be shown literally, never as Rich markup.
- ``escape``: surname ``"\\x1b[31mRood"`` — a terminal escape that must never reach the screen raw.
- ``jansen``, ``jansen_other_birth``, ``janssen``: near-duplicates at one address in Assen for the
  duplicate check (same name and birth date with day and month swapped; one letter more).

All staff have PIN ``1234``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import random
import re
import sqlite3
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tui_desk.config import Config
from tui_desk.rules import names
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import DEMO, PRODUCTION, Database, StoreError, open_database

# Every start of --demo imports this module for ensure_demo; what only seeding needs (card
# numbers, periods, the tariff and postcode loaders) is imported where it is used.

DEMO_PIN = "1234"

DEMO_SPECIAL_CARDS: dict[str, str] = {
    "manual": "29401000075801",  # Mw. A. van de Test, Kruisakkers 41, 9468 BG ANNEN
    "markup": "29401000075819",  # B. [b]Test[/b]
    "escape": "29401000075827",  # R. \x1b[31mRood
    "jansen": "29402000314158",  # J. Jansen, born 12-03-1985
    "jansen_other_birth": "29402000314166",  # J. Jansen, born 03-12-1985
    "janssen": "29402000314174",  # J. Janssen, born 12-03-1985
    # Privacy (AVG) examples for trainers:
    "ouder": "29401000075835",  # Mw. S. de Boer: ouder/verzorger of Daan; withdrew a consent
    "kind": "29401000075843",   # Daan de Boer, 9 years old, with his mother as guardian
    "blokkade": "29401000075850",  # Hr. P. Blok: a block (gedrag) until a month from today
    "oud_lid": "29401000075868",   # an anonymised former customer
}

# How the customers spread over the branches of the demo config (others get weight 10).
BRANCH_WEIGHTS = {"9401": 8, "9402": 30, "9403": 25, "9404": 12, "9405": 15, "9406": 10}
# The first card sequence per branch; 9401 so that the manual's 7580 lies within its range.
_SEQ_START = {"9401": 7460, "9402": 30900, "9403": 24000, "9404": 15800, "9405": 19200,
              "9406": 11300}

# Staff of the other branches (cycled when a config has more branches).
_BRANCH_STAFF = ["K. Bakker", "H. Oosting", "G. Lanting", "W. Hulshof", "T. Kiers",
                 "L. Seinen", "M. Wessels"]

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
_CARD_LOSS = [("geblokkeerd", "Verloren"), ("geblokkeerd", "Gestolen"),
              ("vervangen", "Beschadigd"), ("vervangen", "Nieuwe pas")]

# Age weights 0..95: many children (BoekStart, schools), fewer young adults, a long tail.
_AGE_WEIGHTS = (
    [2.0] * 4 + [3.2] * 9 + [1.8] * 6 + [0.8] * 12 + [1.2] * 15 + [1.2] * 20 + [1.1] * 15
    + [0.5] * 10 + [0.15] * 5
)
# Adult subscription preference (from 31, or from 19 for those who want more than Start).
_ADULT_TARIFFS = [("0045", 60), ("0053", 18), ("0049", 6), ("0052", 4), ("0141", 7),
                  ("0001", 5)]

DAY = dt.timedelta(days=1)


# -- dates ----------------------------------------------------------------------------------------
def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _period_end(start: dt.date, unit: str, length: int) -> dt.date:
    """Yearly periods run to the end of the expiry month (15-04-2021 → 30-04-2022); the rule
    lives in ``rules.periods.period_end``."""
    from tui_desk.rules.periods import period_end

    return period_end(start, unit, length)


# -- data files -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _NameData:
    surnames: list[tuple[str, str]]  # (prefix, surname)
    surname_cum: list[float]
    female: dict[str, list[str]]
    male: dict[str, list[str]]
    neutral: list[str]
    institutions: dict[str, list[str]]


def _split_surname(entry: str) -> tuple[str, str]:
    """``van den Berg`` → (``van den``, ``Berg``); a capitalised entry is one whole surname."""
    if entry[:1].islower() or entry.startswith("'"):
        return names.split_prefix(entry)
    return "", entry


def load_names() -> _NameData:
    """The name lists of ``data/names.toml``."""
    text = resources.files("tui_desk.data").joinpath("names.toml").read_text("utf-8")
    data = tomllib.loads(text)
    surnames = [_split_surname(s) for s in data["surnames"]]
    cum, total = [], 0.0
    for i in range(len(surnames)):
        total += 1.0 / (i + 25)  # earlier entries are more common
        cum.append(total)
    first = data["first_names"]
    return _NameData(surnames, cum, first["female"], first["male"],
                     data["neutral_first_names"], data["institutions"])


# -- generated records ----------------------------------------------------------------------------
@dataclass
class _Customer:
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
    card_changes: list[tuple[dt.date, str, str]] = field(default_factory=list)
    fixed_card: str | None = None
    actor_id: int | None = None
    periods: list[tuple] = field(default_factory=list)  # given for plan "fixed", else made
    notices: list[tuple[str, int]] = field(default_factory=list)


class _Seeder:
    def __init__(self, db: Database, config: Config, today: dt.date, rng: random.Random) -> None:
        self.db = db
        self.config = config
        self.today = today
        self.rng = rng
        self.names = load_names()
        self.emails: set[str] = set()
        self.institution_names: set[str] = set()
        tariffs = db.all("SELECT code, period_unit, period_length, strips FROM tariffs")
        self.tariffs = {r["code"]: (r["period_unit"], r["period_length"], r["strips"])
                        for r in tariffs}
        self.prices: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for r in db.all("SELECT tariff_code, audience, valid_from, price_cents FROM tariff_prices"
                        " ORDER BY valid_from"):
            self.prices.setdefault((r["tariff_code"], r["audience"]), []).append(
                (r["valid_from"], r["price_cents"]))
        rows = db.all("SELECT postcode, min_number, max_number, parity, street, place, region"
                      " FROM postcodes ORDER BY postcode, min_number, parity")
        self.postcodes_by_place: dict[str, list[sqlite3.Row]] = {}
        for r in rows:
            self.postcodes_by_place.setdefault(r["place"], []).append(r)
        self.all_postcodes = rows
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
                step = 1 if r["parity"] == "all" else 2
                total += (r["max_number"] - r["min_number"]) // step + 1
                cum.append(total)
            self.cum_cache[place] = cum
        rng = self.rng
        row = rows[bisect.bisect_right(cum, rng.random() * cum[-1])]
        step = 1 if row["parity"] == "all" else 2
        number = row["min_number"] + step * rng.randrange(
            (row["max_number"] - row["min_number"]) // step + 1)
        roll = rng.random()
        suffix = "A" if roll < 0.04 else "B" if roll < 0.055 else (
            rng.choice(["1", "2", "3"]) if roll < 0.075 else "")
        return row["street"], number, suffix, row["postcode"], row["place"], row["region"]

    def postcode_of(self, place: str, street: str, number: int) -> tuple[str, str]:
        """(postcode, region) of a known address in the demo table."""
        for r in self.postcodes_by_place.get(place, ()):
            side = r["parity"] in ("all", "odd" if number % 2 else "even")
            if r["street"] == street and r["min_number"] <= number <= r["max_number"] and side:
                return r["postcode"], r["region"]
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
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + DAY
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
        if _age_on(birth, self.today) >= 19:
            # adults mostly joined as adults or as children at school age
            earliest = birth + dt.timedelta(days=min(4 * 365, age_days))
        start = self.today - dt.timedelta(days=tenure)
        return max(earliest, start)

    def person(self) -> _Customer:
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
        c = _Customer(
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
            earliest = max(c.registered + dt.timedelta(days=30), _years_before(today, 3))
            if earliest < today - DAY:
                c.cancelled_on = earliest + dt.timedelta(
                    days=rng.randrange((today - DAY - earliest).days))
                c.end_reason = rng.choice(_END_REASONS)
        c.invalid_period = rng.random() < 0.03
        self.finish(c)
        return c

    def institution(self) -> _Customer:
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
        c = _Customer(
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

    def finish(self, c: _Customer) -> None:
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

    # -- subscription periods ----------------------------------------------------------------
    def tariff_for_age(self, c: _Customer, age: int) -> str:
        if age <= 18:
            return "0011"
        if age <= 30 and not c.wants_more:
            return "0021"
        return c.adult_tariff

    def periods(self, c: _Customer) -> list[tuple]:
        """(tariff, instance, start, end, status, amount, discount, ended_on, reason) rows."""
        rng, today = self.rng, self.today
        audience = "institution" if c.kind == "institution" else "person"
        if c.plan in ("proef", "gastleen", "maand"):
            code = {"proef": "0090", "gastleen": "0345", "maand": "0091"}[c.plan]
            unit, length, _strips = self.tariffs[code]
            amount = self.price(code, audience, c.registered) or 0
            status = "Gefactureerd" if amount else "Normaal"
            return [(code, "I001", c.registered, _period_end(c.registered, unit, length),
                     status, amount, 0, None, "")]
        if c.kind == "institution":
            code = "0083" if c.institution_kind == "tehuis" else "0082"
            chain = self.chain(c, lambda _start: code, audience, keep=3)
            if c.dbos:
                dbos_start = max(c.registered, _years_before(today, rng.randrange(0, 4)))
                chain += self.chain(c, lambda _start: "0086", audience, keep=1,
                                    first=dbos_start, instance="I002")
            return chain
        return self.chain(c, lambda start: self.tariff_for_age(c, _age_on(c.birth, start)),
                          audience, keep=4)

    def end_of(self, code: str, start: dt.date) -> dt.date:
        unit, length, _strips = self.tariffs[code]
        # monthly direct-debit periods run per calendar month
        return _end_of_month(start) if unit == "month" else _period_end(start, unit, length)

    def chain(self, c: _Customer, tariff_at, audience: str, *, keep: int,
              first: dt.date | None = None, instance: str = "I001") -> list[tuple]:
        """The customer's periods from ``first`` (or registration) to today, the last ``keep``.

        Periods before the first known price are history from before this system and are left
        out. The current period is Gefactureerd when it costs money (Nieuw in its first week),
        Normaal when free, Opgezegd when cancelled; a period due within a month is prepared as
        Nieuw.
        """
        rng, today = self.rng, self.today
        stop = c.cancelled_on or today
        start = first or c.registered
        spans = []
        while start <= stop:
            code = tariff_at(start)
            end = self.end_of(code, start)
            spans.append((code, start, end))
            start = end + DAY
        rows: list[list] = []
        for code, start, end in spans[-keep:]:
            amount = self.price(code, audience, start)
            if amount is not None:
                rows.append([code, instance, start, end, "Normaal", amount, 0, None, ""])
        if not rows:
            code, start, end = spans[-1]
            rows.append([code, instance, start, end, "Normaal", 0, 0, None, ""])
        current = rows[-1]
        if c.cancelled_on is not None:
            current[4], current[7], current[8] = "Opgezegd", c.cancelled_on, c.end_reason
        elif current[5]:
            current[4] = "Nieuw" if (today - current[2]).days < 7 else "Gefactureerd"
        if current[5] and rng.random() < 0.03:
            current[6] = current[5] // 2  # a discount (e.g. a town's pass)
        if c.invalid_period and instance == "I001":
            # entered by mistake and voided the same day, as in the manual's Contributie tab
            rows.append([current[0], instance, current[2], current[2] - DAY, "Ongeldig",
                         current[5], 0, current[2], "Foutief aangemaakt"])
        renews_yearly = self.tariffs[current[0]][0] == "year"
        if c.cancelled_on is None and renews_yearly and (current[3] - today).days < 31:
            nstart = current[3] + DAY
            code = tariff_at(nstart)
            amount = self.price(code, audience, nstart)
            rows.append([code, instance, nstart, self.end_of(code, nstart), "Nieuw",
                         amount or 0, 0, None, ""])
        return [tuple(r) for r in rows]


# -- special customers ----------------------------------------------------------------------------
def _manual_customer() -> _Customer:
    """Mw. A. van de Test of the staff manual (the record's header, tabs 1, 2 and 3)."""
    c = _Customer(
        kind="person", gender="V", initials="A.", prefix="van de", surname="Test", first_name="",
        birth=dt.date(1991, 1, 1), branch="9401", registered=dt.date(2021, 4, 15),
        street="Kruisakkers", number=41, suffix="", postcode="9468 BG", place="ANNEN",
        region="AA24 - Annen", email="info@bibliotheekannen.nl", phone="+31880128295",
        last_activity=dt.date(2021, 4, 15), items_on_loan=0, strips=125, balance=0,
        plan="fixed", fixed_card=DEMO_SPECIAL_CARDS["manual"], actor_id=381847,
    )
    start = dt.date(2021, 4, 15)
    c.periods = [
        ("0045", "I001", start, dt.date(2022, 4, 30), "Gefactureerd", 5200, 0, None, ""),
        ("0045", "I001", start, dt.date(2021, 4, 14), "Normaal", 5200, 0, None, ""),
        ("0045", "I001", start, dt.date(2021, 4, 14), "Ongeldig", 5200, 0, None, ""),
    ]
    return c


def _special_customers(seeder: _Seeder) -> list[_Customer]:
    out = [_manual_customer()]
    annen = [("markup", "M", "B.", "[b]Test[/b]", dt.date(1980, 5, 5), "Kruisakkers", 43),
             ("escape", "V", "R.", "\x1b[31mRood", dt.date(1975, 9, 9), "Kruisakkers", 45)]
    for key, gender, initials, surname, birth, street, number in annen:
        out.append(_Customer(
            kind="person", gender=gender, initials=initials, prefix="", surname=surname,
            first_name="", birth=birth, branch="9401", registered=dt.date(2019, 9, 2),
            street=street, number=number, suffix="", postcode="9468 BG", place="ANNEN",
            region="AA24 - Annen", last_activity=seeder.today - dt.timedelta(days=12),
            items_on_loan=2, fixed_card=DEMO_SPECIAL_CARDS[key],
        ))
    twins = [("jansen", "Jan", "Jansen", dt.date(1985, 3, 12)),
             ("jansen_other_birth", "Jan", "Jansen", dt.date(1985, 12, 3)),
             ("janssen", "Jan", "Janssen", dt.date(1985, 3, 12))]
    postcode, region = seeder.postcode_of("ASSEN", "Kloosterstraat", 12)
    for key, first, surname, birth in twins:
        out.append(_Customer(
            kind="person", gender="M", initials="J.", prefix="", surname=surname,
            first_name=first, birth=birth, branch="9402", registered=dt.date(2016, 2, 1),
            street="Kloosterstraat", number=12, suffix="", postcode=postcode, place="ASSEN",
            region=region, email=f"{key.replace('_', '.')}@ziggo.example",
            last_activity=seeder.today - dt.timedelta(days=30), fixed_card=DEMO_SPECIAL_CARDS[key],
        ))
    # Privacy (AVG) examples: a mother and her 9-year-old son, a blocked customer and a former
    # customer who is anonymised after seeding (_seed_privacy).
    def annen(key: str, gender: str, initials: str, prefix: str, surname: str, first: str,
              birth: dt.date, number: int, email: str, **extra) -> _Customer:
        return _Customer(
            kind="person", gender=gender, initials=initials, prefix=prefix, surname=surname,
            first_name=first, birth=birth, branch="9401",
            registered=extra.pop("registered", dt.date(2020, 3, 2)), street="Kruisakkers",
            number=number, suffix="", postcode="9468 BG", place="ANNEN",
            region="AA24 - Annen", email=email,
            last_activity=extra.pop("last_activity", seeder.today - dt.timedelta(days=20)),
            fixed_card=DEMO_SPECIAL_CARDS[key], **extra)

    today = seeder.today
    out.append(annen("ouder", "V", "S.", "de", "Boer", "Sanne", dt.date(1988, 6, 14), 47,
                     "s.deboer@ziggo.example"))
    nine = dt.date(today.year - 9, 3, 1) if (today.month, today.day) >= (3, 1) else \
        dt.date(today.year - 10, 3, 1)
    out.append(annen("kind", "M", "D.", "de", "Boer", "Daan", nine, 47, "",
                     registered=max(nine, dt.date(2020, 3, 2))))
    out.append(annen("blokkade", "M", "P.", "", "Blok", "Piet", dt.date(1970, 2, 2), 49,
                     "p.blok@kpnmail.example", items_on_loan=1))
    out.append(annen("oud_lid", "V", "W.", "", "Vergeten", "Wilma", dt.date(1950, 7, 7), 51,
                     "w.vergeten@hotmail.example", registered=dt.date(2012, 5, 1),
                     last_activity=dt.date(2019, 5, 1), plan="fixed"))
    return out


def _seed_privacy(db: Database, today: dt.date) -> None:
    """The privacy examples (README "Privacy"), inside the seeding transaction: every consent
    flag as a consent record, Daan's guardian, Sanne's withdrawn newsletter consent, Piet's
    block and the anonymised former customer."""
    from tui_desk.store import privacy

    for kind, flag in privacy.CONSENT_FLAGS.items():
        db.execute(f"INSERT INTO consents(customer_id, kind, given_at, method) SELECT id, ?,"
                   f" registered_on || 'T10:00:00', 'balie' FROM customers WHERE {flag} = 1",
                   (kind,))

    def customer(key: str) -> int:
        return int(db.scalar("SELECT customer_id FROM cards WHERE number = ?",
                             (DEMO_SPECIAL_CARDS[key],)))

    staff = db.scalar("SELECT id FROM staff WHERE username = 'balie'")
    at = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(11, 5))
    mother, child = customer("ouder"), customer("kind")
    privacy.insert_guardian(db, customer_id=child, guardian_customer_id=mother, name="",
                            relation="moeder", phone="", email="", at=at, staff_id=staff)
    consent = privacy.insert_consent(db, customer_id=mother, kind="nieuwsbrief", at=at,
                                     staff_id=staff, method="formulier", by_guardian=False)
    privacy.withdraw_consent(db, consent, customer_id=mother, kind="nieuwsbrief",
                             at=at + dt.timedelta(days=30), staff_id=staff, method="balie")
    privacy.insert_consent(db, customer_id=child, kind="leenhistorie", at=at, staff_id=staff,
                           method="balie", by_guardian=True)
    privacy.insert_block(db, customer_id=customer("blokkade"), type="gedrag",
                         reason="Herhaaldelijk onbeschoft tegen medewerkers",
                         start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=30),
                         staff_id=staff, at=at)
    former = customer("oud_lid")
    actor = db.scalar("SELECT actor_id FROM customers WHERE id = ?", (former,))
    privacy.anonymise(db, former, pseudonym=f"Geanonimiseerd {actor}", day=today,
                      at=dt.datetime.combine(today, dt.time(3, 0)))


# -- seeding --------------------------------------------------------------------------------------
def _staff(config: Config, rng: random.Random) -> list[tuple]:
    """(username, name, branch, roles, pin_hash) of every demo staff member."""
    home = "9401" if config.branch("9401") else config.branches[0].code
    people = [("balie", "J. de Balie", home, "balie"),
              ("educatie", "E. Dijkstra", home, "balie,educatie"),
              ("beheer", "P. Lanting", home, "balie,beheer")]
    others = [b for b in config.branches if b.code != home]
    for i, branch in enumerate(others):
        slug = re.sub(r"[^a-z0-9]+", "-", names.fold(branch.name)).strip("-") or branch.code
        people.append((f"balie-{slug}", _BRANCH_STAFF[i % len(_BRANCH_STAFF)], branch.code,
                       "balie"))
    from tui_desk.rules import pins

    return [(u, n, b, r, pins.hash_pin(DEMO_PIN, salt=rng.randbytes(pins.SALT_BYTES)))
            for u, n, b, r in people]


def _stamp(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randrange(9, 18):02d}:{rng.randrange(60):02d}:00"


def seed_demo(
    db: Database,
    config: Config,
    clock_today: dt.date,
    *,
    customers: int = 2000,
    rng_seed: int = 1991,
    now: dt.datetime | None = None,
) -> int:
    """Fill an empty demo database in one transaction; returns the number of customers.

    Loads branches and registers (from ``config``), tariffs, postcodes, staff (PIN 1234) and
    ``customers`` customers (including the special ones of ``DEMO_SPECIAL_CARDS``), all dated
    relative to ``clock_today``. ``now`` only sets the ``demo_seeded_at`` setting.
    """
    if db.environment != DEMO:
        raise StoreError("Alleen een oefendatabase (OEFENOMGEVING) kan met demoklanten worden "
                         "gevuld.")
    if customers < 10:
        raise ValueError("customers must be at least 10")
    from tui_desk.store.postcodes import load_postcodes
    from tui_desk.store.tariffs import load_tariffs

    rng = random.Random(rng_seed)
    staff = _staff(config, rng)  # scrypt is slow: hash before taking the write lock
    with db.transaction():
        if db.scalar("SELECT count(*) FROM customers"):
            raise StoreError("De oefendatabase bevat al klanten; gebruik 'opnieuw opbouwen'.")
        sync_branches(db, config)
        load_tariffs(db)
        load_postcodes(db)
        db.conn.executemany(
            "INSERT INTO staff (username, name, branch_code, roles, pin_hash)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(username) DO UPDATE SET name = excluded.name,"
            " branch_code = excluded.branch_code, roles = excluded.roles,"
            " pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = NULL,"
            " active = 1",
            staff,
        )
        staff_ids: dict[str, list[int]] = {}
        for row in db.all("SELECT id, branch_code FROM staff"):
            staff_ids.setdefault(row["branch_code"], []).append(row["id"])

        seeder = _Seeder(db, config, clock_today, rng)
        specials = _special_customers(seeder)
        known = {b.code for b in config.branches}
        specials = [c for c in specials if c.branch in known]
        n_random = customers - len(specials)
        n_institutions = max(1, round(n_random * 0.03))
        people = [seeder.institution() for _ in range(n_institutions)]
        people += [seeder.person() for _ in range(n_random - n_institutions)]
        for c in specials + people:
            if c.plan != "fixed":
                c.periods = seeder.periods(c)
        everyone = sorted(specials + people, key=lambda c: c.registered)
        _write(db, seeder, everyone, staff_ids)
        # Imported here: ensure_demo (every start of --demo) needs none of the seeding code.
        from tui_desk.store.mandates import seed_demo_mandates

        seed_demo_mandates(db, config, clock_today)
        _seed_privacy(db, clock_today)
        db.set_setting("demo_seeded_at",
                       (now or dt.datetime.now()).replace(microsecond=0).isoformat())
        db.set_setting("demo_today", clock_today.isoformat())
        db.set_setting("demo_rng_seed", str(rng_seed))
    return len(everyone)


def _write(db: Database, seeder: _Seeder, everyone: list[_Customer],
           staff_ids: dict[str, list[int]]) -> None:
    from tui_desk.rules import cards

    rng, today = seeder.rng, seeder.today
    first_id = (db.scalar("SELECT max(id) FROM customers") or 0) + 1
    fixed_actors = {c.actor_id for c in everyone if c.actor_id is not None}
    pool = [a for a in rng.sample(range(300000, 400000), len(everyone) + len(fixed_actors))
            if a not in fixed_actors][: len(everyone)]
    pool.sort()

    # Cards in order of issue, numbered per branch; the special numbers are reserved.
    reserved: dict[str, set[int]] = {}
    for number in DEMO_SPECIAL_CARDS.values():
        card = cards.parse(number)
        reserved.setdefault(card.branch_code, set()).add(card.sequence)
    issues: list[tuple[dt.date, int, int]] = []  # (issued_on, customer index, change index)
    for i, c in enumerate(everyone):
        issues.append((c.registered, i, -1))
        for k, (changed, _status, _reason) in enumerate(c.card_changes):
            issues.append((changed, i, k))
    issues.sort()
    seq = {b.code: _SEQ_START.get(b.code, 1000) for b in seeder.config.branches}
    numbers: dict[tuple[int, int], str] = {}
    for _day, i, k in issues:
        c = everyone[i]
        if c.fixed_card and k == len(c.card_changes) - 1:
            numbers[(i, k)] = c.fixed_card
            continue
        s = seq[c.branch] + 1
        while s in reserved.get(c.branch, ()):
            s += 1
        seq[c.branch] = s
        numbers[(i, k)] = cards.make(c.branch, s).number
    top = dict(seq)
    for branch, used in reserved.items():
        if branch in top:
            top[branch] = max(top[branch], *used)

    customer_rows, address_rows, card_rows, period_rows, notice_rows = [], [], [], [], []
    for i, c in enumerate(everyone):
        cid = first_id + i
        actor = c.actor_id if c.actor_id is not None else pool[i]
        created = _stamp(c.registered, rng)
        updated = _stamp(c.last_activity or c.registered, rng)
        if c.plan != "fixed":
            current = [p for p in c.periods if p[4] in ("Gefactureerd", "Normaal", "Nieuw")]
            strips = seeder.tariffs[current[-1][0]][2] if current else 0
            if strips and c.strips == 0:
                c.strips = max(0, strips - rng.randrange(0, strips + 1))
        customer_rows.append((
            cid, actor, c.kind, c.gender, c.initials, c.prefix, c.surname, c.first_name,
            names.search_key(c.surname), c.birth.isoformat(), c.phone, c.sms, c.email,
            c.newsletter, c.id_checked, int(bool(c.email)), c.loan_history,
            c.notify_loaned_before, c.selection, c.branch, c.registered.isoformat(),
            c.last_activity.isoformat() if c.last_activity else None, c.items_on_loan, c.strips,
            c.balance, created, updated,
        ))
        address_rows.append((cid, c.street, c.number, c.suffix, c.postcode, c.place, c.region))
        issued = c.registered
        for k, (changed, status, reason) in enumerate(c.card_changes):
            card_rows.append((numbers[(i, k - 1)], cid, c.branch, status, issued.isoformat(),
                              changed.isoformat(), reason))
            issued = changed
        last = len(c.card_changes) - 1
        card_rows.append((numbers[(i, last)], cid, c.branch, "actief", issued.isoformat(),
                          None, ""))
        for code, instance, start, end, status, amount, discount, ended, reason in c.periods:
            period_rows.append((
                cid, code, instance, c.branch, start.isoformat(), end.isoformat(), status,
                amount, discount, _stamp(start, rng), ended.isoformat() if ended else None,
                reason,
            ))
        for slot, (text, private) in enumerate(c.notices, start=1):
            at = c.registered + dt.timedelta(days=rng.randrange((today - c.registered).days + 1))
            by = staff_ids.get(c.branch)
            notice_rows.append((cid, slot, text, private, _stamp(at, rng),
                                rng.choice(by) if by else None))

    conn = db.conn
    conn.executemany(
        "INSERT INTO customers (id, actor_id, kind, gender, initials, prefix, surname, first_name,"
        " search_name, birth_date, phone, sms, email, newsletter, id_checked, use_login,"
        " loan_history, notify_loaned_before, selection, branch_code, registered_on,"
        " last_activity, items_on_loan, strips, balance_cents, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        customer_rows,
    )
    conn.executemany(
        "INSERT INTO addresses (customer_id, street, house_number, house_suffix, postcode, place,"
        " region) VALUES (?, ?, ?, ?, ?, ?, ?)",
        address_rows,
    )
    conn.executemany(
        "INSERT INTO cards (number, customer_id, branch_code, status, issued_on, blocked_on,"
        " reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        card_rows,
    )
    conn.executemany(
        "INSERT INTO subscription_periods (customer_id, tariff_code, instance, branch_code,"
        " start_date, end_date, status, amount_cents, discount_cents, created_at, ended_on,"
        " end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        period_rows,
    )
    conn.executemany(
        "INSERT INTO notices (customer_id, slot, text, private, created_at, staff_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        notice_rows,
    )
    conn.executemany(
        "UPDATE branches SET card_seq = max(card_seq, ?) WHERE code = ?",
        [(s, code) for code, s in top.items()],
    )


# -- the demo file --------------------------------------------------------------------------------
def _demo_file_state(path: Path) -> str:
    """'empty', 'demo', 'production' or 'other' for an existing file."""
    if path.is_dir():
        return "other"
    if path.stat().st_size == 0:
        return "empty"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error:
        return "other"
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return "empty"
        if "settings" not in tables:
            return "other"
        row = conn.execute("SELECT value FROM settings WHERE key = 'environment'").fetchone()
    except sqlite3.Error:
        return "other"
    finally:
        conn.close()
    if row is None:
        return "other"
    return {DEMO: "demo", PRODUCTION: "production"}.get(row[0], "other")


demo_file_state = _demo_file_state


def reset_demo(path: Path | str, config: Config, today: dt.date, **seed_options) -> Database:
    """Throw the demo file away and build it again; returns the open database.

    Refuses (StoreError) when the file is a production database — or anything else that is not
    a tui-desk demo database — so that a mistaken path can never delete real data. Other
    programs must not have the file open: their connections would keep the old, deleted file.
    """
    p = Path(path)
    if p.exists():
        state = _demo_file_state(p)
        if state == "production":
            raise StoreError(
                f"{p} is een productiedatabase en wordt niet verwijderd. Kies voor de "
                "oefenomgeving een eigen bestand."
            )
        if state == "other":
            raise StoreError(
                f"{p} is geen oefendatabase van tui-desk en wordt niet verwijderd. Kies voor de "
                "oefenomgeving een eigen bestand."
            )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{p}{suffix}").unlink(missing_ok=True)
    db = open_database(p, environment=DEMO)
    try:
        seed_demo(db, config, today, **seed_options)
    except BaseException:
        db.close()
        raise
    return db


def ensure_demo(path: Path | str, config: Config, today: dt.date, **seed_options) -> Database:
    """Open the demo database, seeding it first when it has no customers yet."""
    db = open_database(path, environment=DEMO)
    try:
        if not db.scalar("SELECT EXISTS (SELECT 1 FROM customers)"):
            try:
                seed_demo(db, config, today, **seed_options)
            except StoreError:
                # Two trainees started on a new template at the same moment: the other one
                # seeded it while this one waited for the write lock.
                if not db.scalar("SELECT EXISTS (SELECT 1 FROM customers)"):
                    raise
    except BaseException:
        db.close()
        raise
    return db
