"""The demo database's rows, generated without any I/O: given a seed, a day and the tables the
seeding reads (a ``World``: branches, tariffs, prices, postcodes, name lists), the same rows every
time. ``store.demo_writer`` loads the tables, calls this and inserts what comes back.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from typing import Any

from tui_desk.config import Config
from tui_desk.rules import cards, names, pins
from tui_desk.rules.dates import age_on
from tui_desk.rules.periods import end_of_month, period_end
from tui_desk.statuses import CardStatus, PeriodStatus
from tui_desk.store.demo import DEMO_PIN, DEMO_SPECIAL_CARDS
from tui_desk.store.demo_people import DAY, Customer, Seeder, years_before
from tui_desk.store.demo_world import DemoRows, PeriodRow, Row, World

# The first card sequence per branch; 9401 so that the manual's 7580 lies within its range.
_SEQ_START = {"9401": 7460, "9402": 30900, "9403": 24000, "9404": 15800, "9405": 19200,
              "9406": 11300}

# Staff of the other branches (cycled when a config has more branches).
_BRANCH_STAFF = ["K. Bakker", "H. Oosting", "G. Lanting", "W. Hulshof", "T. Kiers",
                 "L. Seinen", "M. Wessels"]


# -- subscription periods -------------------------------------------------------------------------
class _Periods:
    """A customer's subscription periods, priced from the seeder's tables."""

    def __init__(self, seeder: Seeder) -> None:
        self.rng, self.today = seeder.rng, seeder.today
        self.tariffs, self.price = seeder.tariffs, seeder.price

    def tariff_for_age(self, c: Customer, age: int) -> str:
        if age <= 18:
            return "0011"
        if age <= 30 and not c.wants_more:
            return "0021"
        return c.adult_tariff

    def of(self, c: Customer) -> list[PeriodRow]:
        """(tariff, instance, start, end, status, amount, discount, ended_on, reason) rows."""
        rng, today = self.rng, self.today
        audience = "institution" if c.kind == "institution" else "person"
        if c.plan in ("proef", "gastleen", "maand"):
            code = {"proef": "0090", "gastleen": "0345", "maand": "0091"}[c.plan]
            unit, length, _strips = self.tariffs[code]
            amount = self.price(code, audience, c.registered) or 0
            status = PeriodStatus.INVOICED if amount else PeriodStatus.NORMAL
            return [(code, "I001", c.registered, period_end(c.registered, unit, length),
                     status, amount, 0, None, "")]
        if c.kind == "institution":
            code = "0083" if c.institution_kind == "tehuis" else "0082"
            chain = self.chain(c, lambda _start: code, audience, keep=3)
            if c.dbos:
                dbos_start = max(c.registered, years_before(today, rng.randrange(0, 4)))
                chain += self.chain(c, lambda _start: "0086", audience, keep=1,
                                    first=dbos_start, instance="I002")
            return chain
        return self.chain(c, lambda start: self.tariff_for_age(c, age_on(c.birth, start)),
                          audience, keep=4)

    def end_of(self, code: str, start: dt.date) -> dt.date:
        unit, length, _strips = self.tariffs[code]
        # monthly direct-debit periods run per calendar month
        return end_of_month(start) if unit == "month" else period_end(start, unit, length)

    def chain(self, c: Customer, tariff_at: Callable[[dt.date], str], audience: str, *,
              keep: int, first: dt.date | None = None,
              instance: str = "I001") -> list[PeriodRow]:
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
        rows: list[list[Any]] = []
        for code, start, end in spans[-keep:]:
            amount = self.price(code, audience, start)
            if amount is not None:
                rows.append([code, instance, start, end, PeriodStatus.NORMAL, amount, 0, None, ""])
        if not rows:
            code, start, end = spans[-1]
            rows.append([code, instance, start, end, PeriodStatus.NORMAL, 0, 0, None, ""])
        current = rows[-1]
        if c.cancelled_on is not None:
            current[4] = PeriodStatus.CANCELLED
            current[7], current[8] = c.cancelled_on, c.end_reason
        elif current[5]:
            current[4] = (PeriodStatus.NEW if (today - current[2]).days < 7
                          else PeriodStatus.INVOICED)
        if current[5] and rng.random() < 0.03:
            current[6] = current[5] // 2  # a discount (e.g. a town's pass)
        if c.invalid_period and instance == "I001":
            # entered by mistake and voided the same day, as in the manual's Contributie tab
            rows.append([current[0], instance, current[2], current[2] - DAY, PeriodStatus.VOID,
                         current[5], 0, current[2], "Foutief aangemaakt"])
        renews_yearly = self.tariffs[current[0]][0] == "year"
        if c.cancelled_on is None and renews_yearly and (current[3] - today).days < 31:
            nstart = current[3] + DAY
            code = tariff_at(nstart)
            amount = self.price(code, audience, nstart)
            rows.append([code, instance, nstart, self.end_of(code, nstart), PeriodStatus.NEW,
                         amount or 0, 0, None, ""])
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]



# -- special customers ----------------------------------------------------------------------------
def _manual_customer() -> Customer:
    """Mw. A. van de Test of the staff manual (the record's header, tabs 1, 2 and 3)."""
    c = Customer(
        kind="person", gender="V", initials="A.", prefix="van de", surname="Test", first_name="",
        birth=dt.date(1991, 1, 1), branch="9401", registered=dt.date(2021, 4, 15),
        street="Kruisakkers", number=41, suffix="", postcode="9468 BG", place="ANNEN",
        region="AA24 - Annen", email="info@bibliotheekannen.nl", phone="+31880128295",
        last_activity=dt.date(2021, 4, 15), items_on_loan=0, strips=125, balance=0,
        plan="fixed", fixed_card=DEMO_SPECIAL_CARDS["manual"], actor_id=381847,
    )
    start = dt.date(2021, 4, 15)
    c.periods = [
        ("0045", "I001", start, dt.date(2022, 4, 30), PeriodStatus.INVOICED, 5200, 0, None, ""),
        ("0045", "I001", start, dt.date(2021, 4, 14), PeriodStatus.NORMAL, 5200, 0, None, ""),
        ("0045", "I001", start, dt.date(2021, 4, 14), PeriodStatus.VOID, 5200, 0, None, ""),
    ]
    return c


def _special_customers(seeder: Seeder) -> list[Customer]:
    out = [_manual_customer()]
    annen = [("markup", "M", "B.", "[b]Test[/b]", dt.date(1980, 5, 5), "Kruisakkers", 43),
             ("escape", "V", "R.", "\x1b[31mRood", dt.date(1975, 9, 9), "Kruisakkers", 45)]
    for key, gender, initials, surname, birth, street, number in annen:
        out.append(Customer(
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
        out.append(Customer(
            kind="person", gender="M", initials="J.", prefix="", surname=surname,
            first_name=first, birth=birth, branch="9402", registered=dt.date(2016, 2, 1),
            street="Kloosterstraat", number=12, suffix="", postcode=postcode, place="ASSEN",
            region=region, email=f"{key.replace('_', '.')}@ziggo.example",
            last_activity=seeder.today - dt.timedelta(days=30), fixed_card=DEMO_SPECIAL_CARDS[key],
        ))
    # Privacy (AVG) examples: a mother and her 9-year-old son, a blocked customer and a former
    # customer who is anonymised after seeding (_seed_privacy).
    def in_annen(key: str, gender: str, initials: str, prefix: str, surname: str, first: str,
              birth: dt.date, number: int, email: str, **extra: Any) -> Customer:
        return Customer(
            kind="person", gender=gender, initials=initials, prefix=prefix, surname=surname,
            first_name=first, birth=birth, branch="9401",
            registered=extra.pop("registered", dt.date(2020, 3, 2)), street="Kruisakkers",
            number=number, suffix="", postcode="9468 BG", place="ANNEN",
            region="AA24 - Annen", email=email,
            last_activity=extra.pop("last_activity", seeder.today - dt.timedelta(days=20)),
            fixed_card=DEMO_SPECIAL_CARDS[key], **extra)

    today = seeder.today
    out.append(in_annen("ouder", "V", "S.", "de", "Boer", "Sanne", dt.date(1988, 6, 14), 47,
                     "s.deboer@ziggo.example"))
    nine = dt.date(today.year - 9, 3, 1) if (today.month, today.day) >= (3, 1) else \
        dt.date(today.year - 10, 3, 1)
    out.append(in_annen("kind", "M", "D.", "de", "Boer", "Daan", nine, 47, "",
                     registered=max(nine, dt.date(2020, 3, 2))))
    out.append(in_annen("blokkade", "M", "P.", "", "Blok", "Piet", dt.date(1970, 2, 2), 49,
                     "p.blok@kpnmail.example", items_on_loan=1))
    out.append(in_annen("oud_lid", "V", "W.", "", "Vergeten", "Wilma", dt.date(1950, 7, 7), 51,
                     "w.vergeten@hotmail.example", registered=dt.date(2012, 5, 1),
                     last_activity=dt.date(2019, 5, 1), plan="fixed"))
    return out


# -- the rows --------------------------------------------------------------------------------------
def _staff_rows(config: Config, rng: random.Random) -> list[Row]:
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
    return [(u, n, b, r, pins.hash_pin(DEMO_PIN, salt=rng.randbytes(pins.SALT_BYTES)))
            for u, n, b, r in people]


def _stamp(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randrange(9, 18):02d}:{rng.randrange(60):02d}:00"



class DemoGenerator:
    """The demo rows of one seed: first the staff (their PIN salts come from the seed), then,
    with the reference tables loaded, the customers. Call them in that order, once each."""

    def __init__(self, rng_seed: int) -> None:
        self.rng = random.Random(rng_seed)

    def staff(self, config: Config) -> list[Row]:
        """(username, name, branch, roles, pin_hash) of every demo staff member (PIN 1234)."""
        return _staff_rows(config, self.rng)

    def customers(self, world: World, count: int) -> DemoRows:
        """``count`` customers (the special ones of ``DEMO_SPECIAL_CARDS`` among them) with
        their addresses, cards, subscription periods and notices, dated relative to
        ``world.today``."""
        seeder = Seeder(world, self.rng)
        specials = _special_customers(seeder)
        known = {b.code for b in world.config.branches}
        specials = [c for c in specials if c.branch in known]
        n_random = count - len(specials)
        n_institutions = max(1, round(n_random * 0.03))
        people = [seeder.institution() for _ in range(n_institutions)]
        people += [seeder.person() for _ in range(n_random - n_institutions)]
        periods = _Periods(seeder)
        for c in specials + people:
            if c.plan != "fixed":
                c.periods = periods.of(c)
        everyone = sorted(specials + people, key=lambda c: c.registered)
        return _rows(seeder, world, everyone)


def _card_numbers(config: Config, everyone: list[Customer]
                  ) -> tuple[dict[tuple[int, int], str], dict[str, int]]:
    """Cards in order of issue, numbered per branch; the special numbers are reserved.

    Returns the number of each (customer index, change index) and each branch's top sequence.
    """
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
    seq = {b.code: _SEQ_START.get(b.code, 1000) for b in config.branches}
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
    return numbers, top


def _rows(seeder: Seeder, world: World, everyone: list[Customer]) -> DemoRows:
    rng, today = seeder.rng, seeder.today
    fixed_actors = {c.actor_id for c in everyone if c.actor_id is not None}
    pool = [a for a in rng.sample(range(300000, 400000), len(everyone) + len(fixed_actors))
            if a not in fixed_actors][: len(everyone)]
    pool.sort()
    numbers, top = _card_numbers(world.config, everyone)

    out = DemoRows([], [], [], [], [], [(s, code) for code, s in top.items()])
    live = (PeriodStatus.INVOICED, PeriodStatus.NORMAL, PeriodStatus.NEW)
    for i, c in enumerate(everyone):
        cid = world.first_id + i
        actor = c.actor_id if c.actor_id is not None else pool[i]
        created = _stamp(c.registered, rng)
        updated = _stamp(c.last_activity or c.registered, rng)
        if c.plan != "fixed":
            current = [p for p in c.periods if p[4] in live]
            strips = seeder.tariffs[current[-1][0]][2] if current else 0
            if strips and c.strips == 0:
                c.strips = max(0, strips - rng.randrange(0, strips + 1))
        out.customers.append((
            cid, actor, c.kind, c.gender, c.initials, c.prefix, c.surname, c.first_name,
            names.search_key(c.surname), c.birth.isoformat(), c.phone, c.sms, c.email,
            c.newsletter, c.id_checked, int(bool(c.email)), c.loan_history,
            c.notify_loaned_before, c.selection, c.branch, c.registered.isoformat(),
            c.last_activity.isoformat() if c.last_activity else None, c.items_on_loan, c.strips,
            c.balance, created, updated,
        ))
        out.addresses.append((cid, c.street, c.number, c.suffix, c.postcode, c.place, c.region))
        issued = c.registered
        for k, (changed, card_status, reason) in enumerate(c.card_changes):
            out.cards.append((numbers[(i, k - 1)], cid, c.branch, card_status, issued.isoformat(),
                              changed.isoformat(), reason))
            issued = changed
        last = len(c.card_changes) - 1
        out.cards.append((numbers[(i, last)], cid, c.branch, CardStatus.ACTIVE,
                          issued.isoformat(), None, ""))
        for code, instance, start, end, status, amount, discount, ended, reason in c.periods:
            out.periods.append((
                cid, code, instance, c.branch, start.isoformat(), end.isoformat(), status,
                amount, discount, _stamp(start, rng), ended.isoformat() if ended else None,
                reason,
            ))
        for slot, (text, private) in enumerate(c.notices, start=1):
            at = c.registered + dt.timedelta(days=rng.randrange((today - c.registered).days + 1))
            by = world.staff_ids.get(c.branch)
            out.notices.append((cid, slot, text, private, _stamp(at, rng),
                                rng.choice(by) if by else None))
    return out

