"""The facts a check can name (klant ingeschreven, abonnement, betaald, ...), read from the
trainee's database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tui_desk.errors import DeskError
from tui_desk.rules import names
from tui_desk.rules.money import format_cents
from tui_desk.services.exercises.model import _METHODS, Exercise, Item
from tui_desk.statuses import CardStatus
from tui_desk.store import exercises as store
from tui_desk.store.db import Database


# -- the facts a check can name ------------------------------------------------------------
class _NoCustomer(Exception):
    """The customer a check is about is not there: ``item`` says so."""

    def __init__(self, item: Item) -> None:
        super().__init__(item.label)
        self.item = item


@dataclass
class _Context:
    db: Database
    exercise: Exercise
    since: str | None
    answer: str
    customer_id: int | None = None
    looked_up: bool = False
    notes: list[str] = field(default_factory=list)

    def customer(self) -> int | None:
        if not self.looked_up:
            self.looked_up = True
            ex = self.exercise
            if ex.card:
                self.customer_id = store.customer_by_card(self.db, ex.card)
            elif ex.surname and ex.birth_date:
                found = store.customers_since(self.db, names.search_key(ex.surname),
                                              ex.birth_date.isoformat(), self.since)
                self.customer_id = found[0] if found else None
        return self.customer_id

    def required(self, label: str) -> int:
        """The customer the check ``label`` is about; when there is none, the check fails
        with "geen klant ..." (``fact`` turns it into the check's item)."""
        cid = self.customer()
        if cid is None:
            raise _NoCustomer(Item(label, False, _no_customer(self)))
        return cid

    def who(self) -> str:
        ex = self.exercise
        if ex.card:
            return f"pas {ex.card}"
        born = ex.birth_date.strftime("%d-%m-%Y") if ex.birth_date else ""
        return f"{ex.surname}, geboren {born}"


def _no_customer(ctx: _Context) -> str:
    if ctx.exercise.card:
        return f"geen klant met {ctx.who()}"
    return f"geen klant {ctx.who()} ingeschreven"


def _ingeschreven(ctx: _Context, _expect: str) -> Item:
    cid = ctx.customer()
    return Item("klant ingeschreven", cid is not None,
                "" if cid else _no_customer(ctx))


def _abonnement(ctx: _Context, expect: str) -> Item:
    label = f"abonnement {expect}"
    cid = ctx.required(label)
    found = store.current_tariff(ctx.db, cid)
    if found is None:
        return Item(label, False, "geen abonnement")
    code, name = found
    return Item(label, code == expect, "" if code == expect else f"{code} ({name}) gekozen")


def _betaling(ctx: _Context, expect: str) -> Item:
    label = f"betaald {_METHODS.get(expect, expect)}"
    cid = ctx.required(label)
    methods = store.payment_methods(ctx.db, cid)
    if expect in methods and store.open_invoice_cents(ctx.db, cid) == 0:
        return Item(label, True)
    if not methods:
        open_cents = store.open_invoice_cents(ctx.db, cid)
        why = (f"niet afgerekend ({format_cents(open_cents)} staat open)" if open_cents
               else "niet afgerekend")
        return Item(label, False, why)
    if expect in methods:
        rest = format_cents(store.open_invoice_cents(ctx.db, cid))
        return Item(label, False, f"er staat nog {rest} open")
    other = methods[-1]
    return Item(label, False, "contant afgerekend" if other == "kas" else "met PIN afgerekend")


def _roepnaam(ctx: _Context, expect: str) -> Item:
    label = f"roepnaam {expect}"
    cid = ctx.required(label)
    row = store.customer_fields(ctx.db, cid)
    value = (row["first_name"] if row else "").strip()
    ok = value.casefold() == expect.casefold()
    return Item(label, ok, "" if ok else (f"{value!r} ingevuld" if value else "leeg"))


def _machtiging(ctx: _Context, _expect: str) -> Item:
    label = "incassomachtiging verwerkt"
    cid = ctx.required(label)
    statuses = store.mandate_statuses(ctx.db, cid)
    if "active" in statuses:
        return Item(label, True)
    if "pending" in statuses:
        return Item(label, False, "geprint, maar niet verwerkt (F6 Verwerk machtiging)")
    return Item(label, False, "geen machtiging geprint")


def _geregistreerd(ctx: _Context, expect: str) -> Item:
    label = {"brief": "bedrag geregistreerd met contributiebrief",
             "incasso": "bedrag geregistreerd voor incasso"}.get(expect, "bedrag geregistreerd")
    cid = ctx.required(label)
    ways = store.registered_open(ctx.db, cid)
    if expect in ways:
        return Item(label, True)
    if ways:
        return Item(label, False, f"geregistreerd als {ways[-1]}")
    methods = store.payment_methods(ctx.db, cid)
    if methods:
        return Item(label, False, f"{_METHODS.get(methods[-1], methods[-1])} afgerekend")
    return Item(label, False, "niets geregistreerd")


def _brief(ctx: _Context, expect: str) -> Item:
    label = "contributiebrief per e-mail" if expect == "email" else "contributiebrief per post"
    cid = ctx.required(label)
    channels = [c for c, _ in store.letters(ctx.db, cid)]
    if expect in channels:
        return Item(label, True)
    if channels:
        return Item(label, False, "per post" if channels[-1] == "post" else "per e-mail")
    return Item(label, False, "geen contributiebrief")


def _antwoord_brief(ctx: _Context, _expect: str) -> Item:
    label = "bedrag uit de contributiebrief"
    cid = ctx.required(label)
    found = store.letters(ctx.db, cid)
    if not found:
        return Item(label, False, "geen contributiebrief")
    amount = found[-1][1]
    typed = ctx.answer.strip()
    if not typed:
        return Item(label, False, "geen antwoord ingevuld")
    from tui_desk.rules.settlement import parse_amount

    try:
        cents = parse_amount(typed)
    except DeskError:
        cents = None
    ok = cents == amount
    return Item(label, ok, "" if ok else f"{typed} ingevuld, de brief noemt een ander bedrag")


def _geen_dubbele(ctx: _Context, _expect: str) -> Item:
    ex = ctx.exercise
    label = "geen dubbele klant ingeschreven"
    if not ex.birth_date:
        return Item(label, False, "de oefening noemt geen geboortedatum")
    key = names.search_key(ex.surname) if ex.surname else ""
    new = store.customers_since(ctx.db, key, ex.birth_date.isoformat(), ctx.since)
    existing = ctx.customer()
    new = [c for c in new if c != existing]
    return Item(label, not new, "" if not new else "er is een nieuwe klant bij gekomen "
                "(open de bestaande klant in plaats van inschrijven)")


def _telefoon(ctx: _Context, expect: str) -> Item:
    label = f"telefoon {expect}"
    cid = ctx.required(label)
    from tui_desk.rules.contact import parse_phone

    row = store.customer_fields(ctx.db, cid)
    value = row["phone"] if row else ""
    ok = bool(value) and value == parse_phone(expect)
    return Item(label, ok, "" if ok else (f"{value} ingevuld" if value else "niet ingevuld"))


def _pas_geblokkeerd(ctx: _Context, expect: str) -> Item:
    ex = ctx.exercise
    label = f"pas {ex.card} geblokkeerd ({expect.lower()})" if expect else \
        f"pas {ex.card} geblokkeerd"
    cid = ctx.required(label)
    row = next((r for r in store.cards_of(ctx.db, cid) if r["number"] == ex.card), None)
    if row is None or row["status"] == CardStatus.ACTIVE:
        return Item(label, False, "nog actief")
    if expect and row["reason"].casefold() != expect.casefold():
        return Item(label, False, f"reden {row['reason']!r}")
    return Item(label, True)


def _nieuwe_pas(ctx: _Context, _expect: str) -> Item:
    label = "nieuwe pas uitgegeven"
    cid = ctx.required(label)
    active = [r for r in store.cards_of(ctx.db, cid)
              if r["status"] == CardStatus.ACTIVE and r["number"] != ctx.exercise.card]
    return Item(label, bool(active), "" if active else "geen nieuwe actieve pas")


FACTS: dict[str, Callable[[_Context, str], Item]] = {
    "ingeschreven": _ingeschreven,
    "abonnement": _abonnement,
    "betaling": _betaling,
    "roepnaam": _roepnaam,
    "machtiging": _machtiging,
    "geregistreerd": _geregistreerd,
    "contributiebrief": _brief,
    "antwoord_brief_bedrag": _antwoord_brief,
    "geen_dubbele_klant": _geen_dubbele,
    "telefoon": _telefoon,
    "pas_geblokkeerd": _pas_geblokkeerd,
    "nieuwe_pas": _nieuwe_pas,
}


def fact(ctx: _Context, name: str, expect: str) -> Item:
    """The item of one check: the fact ``name`` against the expected value."""
    try:
        return FACTS[name](ctx, expect)
    except _NoCustomer as missing:
        return missing.item


# Facts that need an expected value (``verwacht``).
_NEEDS_EXPECT = {"abonnement", "betaling", "roepnaam", "geregistreerd", "contributiebrief",
                 "telefoon"}
