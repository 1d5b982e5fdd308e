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

from tui_desk.services.exercises.checks import (
    FACTS,
)
from tui_desk.services.exercises.files import (
    by_id,
    load_exercises,
    parse,
)
from tui_desk.services.exercises.model import (
    OK,
    WRONG,
    Check,
    Exercise,
    ExerciseError,
    Item,
    Result,
)
from tui_desk.services.exercises.runs import (
    State,
    check,
    progress_lines,
    start,
    state,
)

__all__ = [
    "Check",
    "Exercise",
    "ExerciseError",
    "FACTS",
    "Item",
    "OK",
    "Result",
    "State",
    "WRONG",
    "by_id",
    "check",
    "load_exercises",
    "parse",
    "progress_lines",
    "start",
    "state",
]
