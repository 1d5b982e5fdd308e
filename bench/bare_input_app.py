"""The reference for a keystroke: a bare Textual app with one Input, focused.

    python bench/bare_input_app.py            # Textual's default Input (bordered, full width)
    python bench/bare_input_app.py --styled   # styled as tui-desk's fields: one row, no
                                              # border, 30 cells, no blinking cursor
"""

import sys

from textual.app import App
from textual.widgets import Input, Static

STYLED = """
Input { height: 1; border: none; padding: 0 1; width: 30; background: $surface; }
Input:focus { background: $boost; border: none; }
"""


class BareInput(App[None]):
    styled = False

    def compose(self):
        yield Static("BARE-INPUT-READY")
        field = Input()
        if self.styled:
            field.cursor_blink = False
        yield field


class StyledInput(BareInput):
    CSS = STYLED
    styled = True


if __name__ == "__main__":
    (StyledInput if "--styled" in sys.argv[1:] else BareInput)().run(mouse=False)
