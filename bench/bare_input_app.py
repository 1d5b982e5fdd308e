"""The floor for bytes per keystroke: a bare Textual app with one Input, focused."""

from textual.app import App
from textual.widgets import Input, Static


class BareInput(App[None]):
    def compose(self):
        yield Static("BARE-INPUT-READY")
        yield Input()


if __name__ == "__main__":
    BareInput().run(mouse=False)
