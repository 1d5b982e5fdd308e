"""Reading exercise files: the packaged ones and a folder the configuration names."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

from tui_desk.rules import fields
from tui_desk.services.exercises.checks import _NEEDS_EXPECT, FACTS
from tui_desk.services.exercises.model import Check, Exercise, ExerciseError

# An exercise file is written by a trainer in the manual's words: ``[klant] achternaam = …``.
# Its keys are the field table's labels written small ("achternaam" → ``surname``), and "pas"
# for the card; the file is read into these keys here, at the boundary, and nowhere else.
CUSTOMER_KEYS: dict[str, str] = {f.label.lower(): f.key for f in fields.FIELDS} | {"pas": "card"}
_IN_FILE = {key: word for word, key in CUSTOMER_KEYS.items()}


def customer_keys(klant: dict) -> dict:
    """``[klant]`` of an exercise file under the keys in code (unknown words kept as they are)."""
    return {CUSTOMER_KEYS.get(word, word): value for word, value in klant.items()}


# -- reading exercise files ----------------------------------------------------------------
def parse(data: dict, ident: str, source: str) -> Exercise:
    def fail(key: str, problem: str) -> ExerciseError:
        return ExerciseError(f"Oefening {source}: {key}: {problem}.")

    def text(table: dict, key: str, where: str, required: bool = True, word: str = "") -> str:
        """``table[key]`` as text; ``word``: the key as the file writes it, for the message."""
        value = table.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(f"{where}{word or key}", "moet tekst zijn en is verplicht" if required
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
    customer = customer_keys(klant)
    birth = customer.get("birth_date")
    if birth is not None and not isinstance(birth, dt.date):
        raise fail(f"klant.{_IN_FILE['birth_date']}", "moet een datum zijn (1984-06-14)")
    card = text(customer, "card", "klant.", required=False, word=_IN_FILE["card"])
    surname = text(customer, "surname", "klant.", required=False, word=_IN_FILE["surname"])
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
