"""F1's help is a dialog like the others (``DeskModal``): keys typed while it opens reach it.

Before: the help screen was a plain ``ModalScreen``, which never told the type-ahead that it
was shown, so every key after F1 (Esc to close it, an arrow to scroll) was held for 20 seconds
(the hold limit): in a real terminal the help did not close.
"""

from __future__ import annotations

from tests.factories import wait_until
from tests.resilience.test_faults import desk  # noqa: F401 - the fixture, used by name
from tui_desk.app import TuiDeskApp
from tui_desk.screens.help_screen import HelpScreen
from tui_desk.screens.main import MainScreen


async def test_escape_right_after_f1_closes_the_help(desk):  # noqa: F811 - the fixture
    app = TuiDeskApp(desk)
    app.hold_on_screen_change = True   # as in the real program: keys wait for the next screen
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), timeout=5)
