"""A screen shown for the first time after its mount, or shown again, is not styled twice
(issue 20: restyling every widget of a new wizard step on ScreenResume was a third of the CPU
of showing it). Counted: widgets restyled when the screen is shown."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from tui_desk.widgets.styled import StyledOnce


class Plain(Screen[None]):
    def compose(self) -> ComposeResult:
        for n in range(20):
            yield Label(f"Veld {n}", classes="label")
            yield Input(id=f"f{n}")


class Once(StyledOnce, Plain):
    pass


class Other(Screen[None]):
    CSS = "Static { color: red; }"  # a screen whose CSS grows the stylesheet

    def compose(self) -> ComposeResult:
        yield Static("anders")


class TwoScreens(App[None]):
    CSS = ".label { width: 12; } Input { width: 20; }"


async def _restyled_when_shown(screen: Screen, monkeypatch, then=None) -> list[int]:
    counts: list[int] = []
    original = Stylesheet.update_nodes

    def update_nodes(self, nodes, animate=False):
        nodes = list(nodes)
        counts.append(sum(1 for node in nodes if node.screen is screen))
        return original(self, nodes, animate=animate)

    app = TwoScreens()
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(Stylesheet, "update_nodes", update_nodes)
        app.install_screen(screen, "kept")  # shown again, as Zoek klant and step 1 are
        await app.push_screen("kept")
        await pilot.pause()
        shown_first = sum(counts)
        await app.pop_screen()
        await pilot.pause()
        counts.clear()
        if then is not None:
            await then(app, pilot)
        await app.push_screen("kept")
        await pilot.pause()
        await pilot.pause()
        return [shown_first, sum(counts)]


async def test_a_screen_is_not_restyled_when_it_is_shown(monkeypatch):
    plain = await _restyled_when_shown(Plain(), monkeypatch)
    once = await _restyled_when_shown(Once(), monkeypatch)
    assert plain[0] > 40 and plain[1] > 40  # Textual restyles all its widgets each time
    assert once[0] <= 2 and once[1] <= 2  # the focused field (its :focus), not the screen


async def test_it_is_restyled_after_the_stylesheet_grew(monkeypatch):
    async def other_screen_css(app, pilot):
        await app.push_screen(Other())
        await pilot.pause()
        await app.pop_screen()
        await pilot.pause()

    once = await _restyled_when_shown(Once(), monkeypatch, other_screen_css)
    assert once[1] > 40
