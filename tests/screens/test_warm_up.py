"""After the main screen is drawn, the session loads what the first registration needs on a
worker thread, once (issue 20: the first Ctrl+N spent 1.5 s importing schwifty, phonenumbers,
babel and the wizard's screens)."""

from __future__ import annotations

import threading

from textual.screen import Screen

from tests.factories import wait_until
from tui_desk.rules import banking
from tui_desk.screens import main as main_screen
from tui_desk.screens.main import MainScreen


async def test_warm_up_runs_once_on_a_worker_thread_after_the_first_paint(app, monkeypatch):
    log: list[str] = []
    threads: list[threading.Thread] = []
    monkeypatch.setattr(main_screen, "_warm_up_started", threading.Event())

    def warm_up() -> None:
        threads.append(threading.current_thread())
        log.append("warm-up")

    monkeypatch.setattr(main_screen, "warm_up", warm_up)
    original = Screen._refresh_layout

    def refresh_layout(self, *args, **kwargs):
        if isinstance(self, MainScreen):
            log.append("main drawn")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", refresh_layout)
    app.inline_writes = False  # as in the real program (Pilot tests run workers inline)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "warm-up" in log)
        assert log[0] == "main drawn"
        assert threads == [threads[0]] and threads[0] is not threading.main_thread()
        # Another main screen (after Einde sessie and sign-in) does not load it again.
        app.push_screen(MainScreen())
        await pilot.pause()
        await pilot.pause()
        assert log.count("warm-up") == 1


def test_warm_up_loads_the_registrations_libraries():
    main_screen.warm_up()
    assert banking.parse_iban("NL91ABNA0417164300").bic == "ABNANL2A"
