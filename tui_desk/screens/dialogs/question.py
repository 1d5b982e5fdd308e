"""A question with lettered answers (leaving a registration step unfinished)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.widgets.dialog import ChoiceDialog, box_css


class QuestionScreen(ChoiceDialog):
    """A question with lettered answers: the letter, or the arrows and Enter; Esc is Terug.
    ``choices``: (letter, label, answer id). A letter typed before the question was on the
    screen does not answer it (type-ahead: the clerk did not choose)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(letter, f"answer('{letter}')", show=False) for letter in "bloprt"),
    ]
    DEFAULT_CSS = box_css("QuestionScreen", width=60, border="$warning") + """
    QuestionScreen OptionList { height: auto; border: none; }
    QuestionScreen Static { height: auto; }
    """

    def __init__(self, title: str, question: str,
                 choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with self.frame(self.title_text):
            yield Static(Text(self.question), id="question-text")
            yield OptionList(*(Option(f"{letter.upper()}  {label}", id=answer)
                               for letter, label, answer in self.choices), id="question-choices")

    def on_mount(self) -> None:
        self.focus_choices()

    def action_answer(self, letter: str) -> None:
        answer = next((a for key, _label, a in self.choices if key == letter), None)
        if answer is None:
            self.app.bell()
        elif not self.typed_ahead():
            self.dismiss(answer)
