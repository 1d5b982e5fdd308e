"""One training exercise (menu Oefeningen): the assignment, F5 Begin, F10 Controleer.

The check reads the trainee's own sandbox and lists per point what is right (✓) and what is
not (✗, with why). Only in the training database.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable, printable_lines
from tui_desk.screens.base import DeskScreen
from tui_desk.services import exercises
from tui_desk.widgets.keys import DeskInput


class ExerciseScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "begin", "Begin"),
        Binding("f10", "controleer", "Controleer"),
        Binding("escape", "back", "Terug"),
    ]
    DEFAULT_CSS = """
    ExerciseScreen #exercise-scroll { padding: 0 1; }
    ExerciseScreen #exercise-text { height: auto; }
    ExerciseScreen #exercise-answer { width: 30; }
    ExerciseScreen #exercise-result { height: auto; margin-top: 1; }
    """

    def __init__(self, exercise_id: str) -> None:
        super().__init__()
        self.exercise_id = exercise_id

    @property
    def exercise(self) -> exercises.Exercise:
        return exercises.by_id(self.exercise_id, self.desk.config.demo_exercises)

    def compose_body(self) -> ComposeResult:
        try:
            ex = self.exercise
        except DeskError as exc:   # the exercise file went missing or broke meanwhile
            yield Static(Text(printable(str(exc))), id="exercise-result")
            return
        with VerticalScroll(id="exercise-scroll"):
            yield Static(self._text(ex), id="exercise-text")
            if ex.question:
                yield DeskInput(placeholder="antwoord", id="exercise-answer")
            yield Static(id="exercise-result")

    def _text(self, ex: exercises.Exercise) -> Text:
        # An exercise is a file a trainer wrote (``[demo] exercises``): shown, never obeyed.
        text = Text()
        text.append(printable(ex.title), style="bold")
        text.append("\n")
        if ex.situation:
            text.append("Uitgangssituatie: ", style="bold")
            text.append(printable_lines(ex.situation) + "\n")
        text.append(printable_lines(ex.assignment) + "\n")
        if ex.question:
            text.append("\n" + printable_lines(ex.question), style="bold")
        return text

    def on_mount(self) -> None:
        state = exercises.state(self.desk.db, self.exercise)
        if state.answer and self.exercise.question:
            self.query_one("#exercise-answer", Input).value = state.answer
        self._show_state(state)

    def _show_state(self, state: exercises.State) -> None:
        line = Text()
        if state.started is None:
            line.append("Nog niet begonnen: F5 Begin, doe de opdracht, dan F10 Controleer.")
        else:
            line.append(f"Begonnen {state.started[11:16]}. ")
            if state.summary:
                line.append("Laatste controle: ")
                line.append_text(_marked(printable_lines(state.summary)))
            else:
                line.append("Doe de opdracht (Esc: terug naar het werk), dan F10 Controleer.")
        self.query_one("#exercise-result", Static).update(line)

    def action_begin(self) -> None:
        desk, exercise = self.desk, self.exercise

        def begin() -> exercises.State:
            return exercises.start(desk.db, desk.clock, exercise)

        def begun(state: exercises.State) -> None:
            self._show_state(state)
            self.notify("Oefening begonnen: wat u vanaf nu doet, telt.", timeout=3)

        self.run_write(begin, begun, busy="Oefening beginnen…", once=True, hold=False)

    def action_controleer(self) -> None:
        answer = ""
        if self.exercise.question:
            answer = self.query_one("#exercise-answer", Input).value
        desk, exercise = self.desk, self.exercise

        def check() -> exercises.Result:
            # Reads the sandbox and keeps the result: off the event loop.
            return exercises.check(desk.db, desk.clock, exercise, answer)

        self.run_write(check, self._checked, busy="Controleren…", once=True, hold=False)

    def _checked(self, result: exercises.Result) -> None:
        text = Text()
        text.append("Goed gedaan!\n" if result.passed else "Nog niet helemaal goed:\n",
                    style="bold green" if result.passed else "bold red")
        for item in result.items:
            text.append("✓ " if item.ok else "✗ ", style="bold green" if item.ok else "bold red")
            text.append(printable(item.label))
            if not item.ok and item.why:
                text.append(f": {printable(item.why)}")
            text.append("\n")
        self.query_one("#exercise-result", Static).update(text)

    def action_back(self) -> None:
        self.dismiss(None)


def _marked(summary: str) -> Text:
    out = Text(summary)
    out.highlight_words(["✓"], style="bold green")
    out.highlight_words(["✗"], style="bold red")
    return out
