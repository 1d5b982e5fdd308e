"""Editing keys act in the order typed, however fast the keys come (tui_desk/widgets/keys.py).

The keys are posted to the app in one burst, as the terminal driver does when a typist, a
scanner or an SSH connection delivers several at once; nothing waits in between.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.widget import Widget
from textual.widgets import Input

from tests.factories import wait_until
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FormInput
from tui_desk.widgets.keys import DeskInput


def _key(name: str) -> Key:
    character = name if len(name) == 1 else {"space": " "}.get(name)
    return Key(name, character)


class Form(App[None]):
    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        # Nested like the wizard's rows: a key that bubbles passes several queues.
        with Vertical(), Horizontal(), Horizontal():
            yield self.make()


async def _burst(make: Callable[[], Widget], keys: list[str]) -> str:
    """The field's value after the keys, typed in one burst."""
    app = Form(make)
    async with app.run_test() as pilot:
        field = app.query_one("Horizontal Horizontal > *")
        field.focus()
        await pilot.pause()
        for name in keys:
            app.post_message(_key(name))
        await wait_until(pilot, lambda: app._message_queue.empty())
        await pilot.pause()
        await pilot.pause()
        return str(field.value)  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", [DeskInput, FormInput])
async def test_ctrl_u_then_typing_keeps_what_was_typed(cls):
    def field() -> Widget:
        return cls(value="31-02-2000", select_on_focus=False)

    assert await _burst(field, ["ctrl+u", *"1 januari 1991"]) == "1 januari 1991"


async def test_backspace_between_characters_removes_the_one_before_it():
    assert await _burst(DeskInput, ["a", "b", "backspace", "c", "left", "x"]) == "axc"


async def test_a_plain_input_loses_the_order_which_is_why_every_screen_uses_desk_input():
    # The defect this module fixes, kept visible: if Textual changes, this test says so.
    def field() -> Widget:
        return Input(value="31-02-2000", select_on_focus=False)

    assert await _burst(field, ["ctrl+u", *"1 januari 1991"]) != "1 januari 1991"


async def test_choice_arrow_then_letter_ends_on_the_letter():
    def field() -> Widget:
        return Choice((("m", "Man"), ("v", "Vrouw"), ("o", "Onbekend")), "m")

    assert await _burst(field, ["right", "right", "m"]) == "m"
