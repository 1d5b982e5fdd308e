"""An exercise, its checks and the result of checking it (the shapes the other modules share)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.errors import DeskError

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
