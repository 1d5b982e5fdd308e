"""Doing an exercise: its state, starting it, checking it, and every trainee's progress."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.services.exercises.checks import _Context, fact
from tui_desk.services.exercises.files import load_exercises
from tui_desk.services.exercises.model import OK, WRONG, Exercise, Result
from tui_desk.store import exercises as store
from tui_desk.store.db import Database


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
    items = tuple(fact(ctx, c.fact, c.expect) for c in exercise.checks)
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
