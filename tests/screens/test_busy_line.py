"""The busy line appears only for work that outlasts a moment (issue 20: a line that came and
went laid out the whole screen twice per save, mostly for saves of a few milliseconds).
Counted: layouts of the screen; the line itself: shown or not."""

from __future__ import annotations

import threading

from textual.dom import DOMNode
from textual.screen import Screen

from tests.factories import wait_until
from tui_desk.widgets.busy import BusyLine


def _count_layouts(monkeypatch) -> list[int]:
    layouts = [0]
    original = Screen._refresh_layout

    def refresh_layout(self, *args, **kwargs):
        layouts[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", refresh_layout)
    return layouts


async def test_a_quick_save_does_not_lay_out_the_screen(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        done: list[str] = []
        layouts = _count_layouts(monkeypatch)
        screen.run_write(lambda: "klaar", done.append, busy="Bezig met opslaan…", hold=False)
        await wait_until(pilot, lambda: done == ["klaar"])
        await pilot.pause()
        assert layouts == [0]
        assert not screen.query_one(BusyLine).has_class("shown")


async def test_work_that_takes_longer_shows_the_line_until_it_is_done(app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.inline_writes = False  # a worker thread, as in the real program
        await pilot.pause()
        screen = app.screen
        line = screen.query_one(BusyLine)
        release = threading.Event()
        done: list[bool] = []
        screen.run_write(lambda: release.wait(10), done.append, busy="Bezig met opslaan…",
                         hold=False)
        await wait_until(pilot, lambda: line.has_class("shown"))
        assert line.text == "Bezig met opslaan…"
        release.set()
        await wait_until(pilot, lambda: done == [True])
        assert not line.has_class("shown")


async def test_waiting_for_another_counter_shows_at_once(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(BusyLine)
        line.show("Bezig…")
        assert not line.has_class("shown") and line.waiting_to_appear
        line.show("Even wachten: een andere balie schrijft…")  # the work now waits
        assert line.has_class("shown")
        assert line.text.startswith("Even wachten")
        line.hide()
        assert not line.has_class("shown") and not line.waiting_to_appear


async def test_a_save_finds_the_busy_line_without_querying_the_screen(app, monkeypatch):
    # hide_busy runs after every write: a query of the whole screen for its busy line was most
    # of what a quick save cost the event loop (issue 20, step 1: ~110 widgets).
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        queried: list[object] = []
        original = DOMNode.query

        def query(self, selector=None):
            queried.append(selector)
            return original(self, selector)

        monkeypatch.setattr(DOMNode, "query", query)
        done: list[str] = []
        for n in range(1, 4):
            screen.run_write(lambda: "klaar", done.append, busy="Bezig met opslaan…",
                             hold=False)
            await wait_until(pilot, lambda n=n: len(done) == n)
        assert BusyLine not in queried
        assert screen.query_one(BusyLine) is not None
