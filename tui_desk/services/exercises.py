"""Training exercises the program checks (``data/exercises/*.toml``).

An exercise file holds the assignment, the starting situation and the checks. A check names a
*fact* the program can read from the trainee's sandbox (the tariff of the customer, how they
paid, whether the mandate was processed, ...) and what it should be; a trainer writes a new
exercise by combining facts, without code. The result says per check what was right and what
was not: ``abonnement 0045 ✓, betaald via PIN ✗: contant afgerekend``.

Which customer the checks look at (``[klant]``): the one registered since the exercise was
started with the given surname and birth date, or the existing customer with a given card.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.errors import DeskError
from tui_desk.rules import names
from tui_desk.rules.money import format_cents
from tui_desk.store import exercises as store
from tui_desk.store.db import Database

OK, WRONG = "✓", "✗"
_METHODS = {"pin": "via PIN", "kas": "contant"}


class ExerciseError(DeskError):
    """An exercise file that cannot be used (names the file and the key)."""


@dataclass(frozen=True)
class Check:
    fact: str
    expect: str = ""


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    assignment: str
    situation: str
    checks: tuple[Check, ...]
    surname: str = ""              # [klant] achternaam
    birth_date: dt.date | None = None
    card: str = ""                 # [klant] pas
    question: str = ""             # [vraag] tekst: answered in the exercise screen
    source: str = ""


@dataclass(frozen=True)
class Item:
    label: str
    ok: bool
    why: str = ""

    def text(self) -> str:
        return f"{self.label} {OK}" if self.ok else f"{self.label} {WRONG}: {self.why}" \
            if self.why else f"{self.label} {WRONG}"


@dataclass(frozen=True)
class Result:
    exercise: Exercise
    items: tuple[Item, ...]

    @property
    def passed(self) -> bool:
        return all(i.ok for i in self.items)

    def summary(self) -> str:
        return ", ".join(i.text() for i in self.items)


# -- the facts a check can name ------------------------------------------------------------
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
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    found = store.current_tariff(ctx.db, cid)
    if found is None:
        return Item(label, False, "geen abonnement")
    code, name = found
    return Item(label, code == expect, "" if code == expect else f"{code} ({name}) gekozen")


def _betaling(ctx: _Context, expect: str) -> Item:
    label = f"betaald {_METHODS.get(expect, expect)}"
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
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
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    row = store.customer_fields(ctx.db, cid)
    value = (row["first_name"] if row else "").strip()
    ok = value.casefold() == expect.casefold()
    return Item(label, ok, "" if ok else (f"{value!r} ingevuld" if value else "leeg"))


def _machtiging(ctx: _Context, _expect: str) -> Item:
    label = "incassomachtiging verwerkt"
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    statuses = store.mandate_statuses(ctx.db, cid)
    if "active" in statuses:
        return Item(label, True)
    if "pending" in statuses:
        return Item(label, False, "geprint, maar niet verwerkt (F6 Verwerk machtiging)")
    return Item(label, False, "geen machtiging geprint")


def _geregistreerd(ctx: _Context, expect: str) -> Item:
    label = {"brief": "bedrag geregistreerd met contributiebrief",
             "incasso": "bedrag geregistreerd voor incasso"}.get(expect, "bedrag geregistreerd")
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
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
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    channels = [c for c, _ in store.letters(ctx.db, cid)]
    if expect in channels:
        return Item(label, True)
    if channels:
        return Item(label, False, "per post" if channels[-1] == "post" else "per e-mail")
    return Item(label, False, "geen contributiebrief")


def _antwoord_brief(ctx: _Context, _expect: str) -> Item:
    label = "bedrag uit de contributiebrief"
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
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
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    from tui_desk.rules.contact import parse_phone

    row = store.customer_fields(ctx.db, cid)
    value = row["phone"] if row else ""
    ok = bool(value) and value == parse_phone(expect)
    return Item(label, ok, "" if ok else (f"{value} ingevuld" if value else "niet ingevuld"))


def _pas_geblokkeerd(ctx: _Context, expect: str) -> Item:
    ex = ctx.exercise
    label = f"pas {ex.card} geblokkeerd ({expect.lower()})" if expect else \
        f"pas {ex.card} geblokkeerd"
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    row = next((r for r in store.cards_of(ctx.db, cid) if r["number"] == ex.card), None)
    if row is None or row["status"] == "actief":
        return Item(label, False, "nog actief")
    if expect and row["reason"].casefold() != expect.casefold():
        return Item(label, False, f"reden {row['reason']!r}")
    return Item(label, True)


def _nieuwe_pas(ctx: _Context, _expect: str) -> Item:
    label = "nieuwe pas uitgegeven"
    cid = ctx.customer()
    if cid is None:
        return Item(label, False, _no_customer(ctx))
    active = [r for r in store.cards_of(ctx.db, cid)
              if r["status"] == "actief" and r["number"] != ctx.exercise.card]
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
# Facts that need an expected value (``verwacht``).
_NEEDS_EXPECT = {"abonnement", "betaling", "roepnaam", "geregistreerd", "contributiebrief",
                 "telefoon"}


# -- reading exercise files ----------------------------------------------------------------
def parse(data: dict, ident: str, source: str) -> Exercise:
    def fail(key: str, problem: str) -> ExerciseError:
        return ExerciseError(f"Oefening {source}: {key}: {problem}.")

    def text(table: dict, key: str, where: str, required: bool = True) -> str:
        value = table.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(f"{where}{key}", "moet tekst zijn en is verplicht" if required
                       else "moet tekst zijn")
        return value.strip()

    known = {"titel", "opdracht", "start", "klant", "vraag", "controle"}
    unknown = set(data) - known
    if unknown:
        raise fail(sorted(unknown)[0], "onbekende sleutel")
    start = data.get("start", {})
    klant = data.get("klant", {})
    vraag = data.get("vraag", {})
    for key, value in (("start", start), ("klant", klant), ("vraag", vraag)):
        if not isinstance(value, dict):
            raise fail(key, "moet een tabel zijn")
    birth = None
    if "geboortedatum" in klant:
        value = klant["geboortedatum"]
        if not isinstance(value, dt.date):
            raise fail("klant.geboortedatum", "moet een datum zijn (1984-06-14)")
        birth = value
    card = text(klant, "pas", "klant.", required=False)
    surname = text(klant, "achternaam", "klant.", required=False)
    if not card and not (surname and birth):
        raise fail("klant", "noem de pas, of achternaam en geboortedatum")
    checks = []
    rows = data.get("controle", [])
    if not isinstance(rows, list) or not rows:
        raise fail("controle", "minstens één [[controle]] is nodig")
    for i, row in enumerate(rows):
        where = f"controle[{i}]."
        if not isinstance(row, dict):
            raise fail(f"controle[{i}]", "moet een tabel zijn")
        fact = text(row, "feit", where)
        if fact not in FACTS:
            raise fail(f"{where}feit", f"onbekend feit {fact!r} (bekend: {', '.join(FACTS)})")
        expect = row.get("verwacht", "")
        if not isinstance(expect, str) or (fact in _NEEDS_EXPECT and not expect.strip()):
            raise fail(f"{where}verwacht", f"is verplicht bij {fact}")
        checks.append(Check(fact, expect.strip()))
    question = text(vraag, "tekst", "vraag.", required=False)
    return Exercise(
        id=ident, title=text(data, "titel", ""), assignment=_reflow(text(data, "opdracht", "")),
        situation=_reflow(text(start, "situatie", "start.", required=False)),
        checks=tuple(checks),
        surname=surname, birth_date=birth, card=card, question=question, source=source)


def _reflow(text: str) -> str:
    """Paragraphs of a multi-line TOML string as single lines (the screen wraps them)."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def load_exercises(extra: Path | None = None) -> list[Exercise]:
    """The packaged exercises, and those in ``extra`` (a trainer's folder), by file name."""
    found: dict[str, tuple[str, str]] = {}
    folder = resources.files("tui_desk.data").joinpath("exercises")
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            found[entry.name] = (entry.read_text("utf-8"), f"data/exercises/{entry.name}")
    if extra is not None and extra.is_dir():
        for path in extra.glob("*.toml"):
            found[path.name] = (path.read_text("utf-8"), str(path))
    out = []
    for name in sorted(found):
        text, source = found[name]
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ExerciseError(f"Oefening {source}: geen geldige TOML ({exc}).") from None
        out.append(parse(data, name.removesuffix(".toml"), source))
    return out


def by_id(exercise_id: str, extra: Path | None = None) -> Exercise:
    for ex in load_exercises(extra):
        if ex.id == exercise_id:
            return ex
    raise ExerciseError(f"Er is geen oefening {exercise_id!r}.")


# -- doing an exercise ---------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    started: str | None = None
    checked: str | None = None
    passed: bool | None = None
    summary: str = ""
    answer: str = ""

    @property
    def label(self) -> str:
        if self.passed:
            return "goed"
        if self.passed is False:
            return "nog niet goed"
        return "begonnen" if self.started else "niet begonnen"


def state(db: Database, exercise: Exercise) -> State:
    raw = store.load_state(db, exercise.id)
    return State(raw.get("started"), raw.get("checked"), raw.get("passed"),
                 raw.get("summary", ""), raw.get("answer", ""))


def start(db: Database, clock: Clock, exercise: Exercise) -> State:
    """Begin (or begin again): only what is done from now on counts."""
    new = State(started=clock.now().isoformat(timespec="seconds"))
    store.save_state(db, exercise.id, {"started": new.started})
    return new


def check(db: Database, clock: Clock, exercise: Exercise, answer: str = "") -> Result:
    """Read the sandbox and say per check what is right and what is not; the result is kept
    for ``tui-desk demo progress``."""
    current = state(db, exercise)
    since = current.started or db.setting("demo_sandbox_made")
    ctx = _Context(db, exercise, since, answer)
    items = tuple(FACTS[c.fact](ctx, c.expect) for c in exercise.checks)
    result = Result(exercise, items)
    store.save_state(db, exercise.id, {
        "started": current.started, "checked": clock.now().isoformat(timespec="seconds"),
        "passed": result.passed, "summary": result.summary(), "answer": answer})
    return result


def progress_lines(template: Path, extra: Path | None = None) -> list[str]:
    """The trainer's overview: per trainee, per exercise, the last result."""
    from tui_desk.store.sandbox import sandboxes

    exercises = load_exercises(extra)
    found = sandboxes(template)
    if not found:
        return ["Nog geen cursisten: niemand heeft de oefenomgeving gestart."]
    lines = []
    for box in found:
        states = store.all_states(box.path)
        done = sum(1 for ex in exercises if states.get(ex.id, {}).get("passed"))
        lines.append(f"{box.trainee}: {done} van {len(exercises)} oefeningen goed")
        for ex in exercises:
            st = states.get(ex.id)
            if not st:
                continue
            mark = OK if st.get("passed") else (WRONG if st.get("passed") is False else "…")
            detail = st.get("summary") or "begonnen, nog niet gecontroleerd"
            lines.append(f"  {mark} {ex.title}: {detail}")
    return lines
