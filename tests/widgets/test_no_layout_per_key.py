"""Keystrokes and focus moves in the step-1 form do not lay out the screen.

Textual lays out a screen (``Compositor.reflow``: the size and place of every widget) when a
widget asks for it. Textual's Input asked on every character (its ``virtual_size`` is a
layout reactive), its Footer on every focus move (it rebuilt its keys), and the form on
every field left (an unchanged empty message was set again): in the wizard's step 1, ~110
widgets, that was most of the CPU a keystroke cost (issue 20). These tests count the layouts.
"""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.services.desk import Desk
from tui_desk.widgets.footer import DeskFooter


@pytest.fixture
def app(db, config, clock):
    staff = make_staff(db, name="J. de Balie")
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))


async def _step_1(pilot) -> CustomerStepScreen:
    await pilot.press("ctrl+n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CustomerStepScreen)
    screen.query_one("#f-initials").focus()
    await pilot.pause()
    return screen


async def test_typing_in_a_field_lays_out_nothing(app, layouts):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _step_1(pilot)
        await pilot.press("tab", "tab")  # Achternaam
        assert screen.focused is screen.query_one("#f-surname")
        await pilot.pause()
        layouts.clear()
        await pilot.press(*"Vermeulen")
        await pilot.pause()
        assert screen.query_one("#f-surname").value == "Vermeulen"
        assert screen.draft.get("surname") == "Vermeulen"
        assert layouts == []


async def test_moving_between_fields_lays_out_nothing(app, layouts):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _step_1(pilot)
        layouts.clear()
        await pilot.press("tab", "tab", "shift+tab", "tab")
        await pilot.pause()
        assert screen.focused is screen.query_one("#f-surname")
        assert layouts == []


async def test_a_message_that_appears_still_lays_out_the_form(app, layouts):
    # The counterpart: what changes the form's shape still gets its layout.
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _step_1(pilot)
        screen.query_one("#f-birth_date").focus()
        await pilot.pause()
        layouts.clear()
        await pilot.press(*"31-02-2000", "tab")
        await pilot.pause()
        assert "bestaat niet" in str(screen.query_one("#msg-birth_date").render())
        assert layouts


async def test_a_long_value_scrolls_the_field_and_keeps_the_cursor_in_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _step_1(pilot)
        field = screen.query_one("#f-initials")  # 10 cells wide
        await pilot.press(*"ABCDEFGHIJKLMNOP")
        await pilot.pause()
        assert field.value == "ABCDEFGHIJKLMNOP"
        assert field.scroll_x > 0
        region = field.content_region
        cursor = field.cursor_screen_offset
        assert region.x <= cursor.x <= region.right  # at the end: in the right padding
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_x == 0


async def test_the_footer_shows_other_keys_when_the_screen_has_other_keys(app):
    async with app.run_test(size=(80, 24)) as pilot:
        def keys() -> set[str]:
            return {key.description for key in pilot.app.screen.query_one(DeskFooter).children}

        await pilot.pause()
        on_main = keys()
        await _step_1(pilot)
        await pilot.pause()
        assert "Ok, Vervolg" in keys()
        assert "Ok, Vervolg" not in on_main
