"""The floor for start-up: a bare Textual app that shows one widget."""

from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static("BARE-READY")


if __name__ == "__main__":
    Bare().run(mouse=False)
