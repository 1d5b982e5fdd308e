"""Step 1 is built once per session and reset for the next registration (issue 20).

Ctrl+N used to compose, mount and style the form's ~110 widgets every time (635 ms of CPU).
Now the app keeps the screen and shows the next draft in it; nothing of the previous
customer may remain visible or be stored in the new draft.
"""

from __future__ import annotations

from tui_desk.screens.registration_customer import CustomerStepScreen


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_next_registration_gets_the_same_screen_emptied(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        first = app.screen
        assert isinstance(first, CustomerStepScreen)
        # A customer half typed: a name, a wrong birth date (its message), a minor's rows.
        first.query_one("#f-surname").focus()
        await pilot.press(*"Jansen", "tab")
        first.query_one("#f-birth_date").focus()
        await pilot.press(*"31-02-2000", "tab")
        assert "bestaat niet" in _text(first, "#msg-birth_date")
        first.query_one("#f-birth_date").focus()
        await pilot.press("ctrl+u", *"01-06-2015", "tab")
        assert first.query_one("#row-guardian_card").display
        first.query_one("#f-gender").focus()
        await pilot.press("v")
        old_draft = first.draft
        await pilot.press("escape")  # interrupted: the draft is kept
        assert not isinstance(app.screen, CustomerStepScreen)

        await pilot.press("ctrl+n")
        await pilot.pause()
        second = app.screen
        assert second is first
        assert second.draft is not old_draft
        assert app.focused is second.query_one("#f-card_number")
        for name in ("card_number", "surname", "birth_date", "guardian_card"):
            assert second.query_one(f"#f-{name}").value == ""
        assert second.query_one("#f-gender").value == second.draft.get("gender") == "O"
        assert _text(second, "#msg-birth_date") == ""
        assert not second.query_one("#msg-birth_date").has_class("error")
        assert not second.query_one("#row-guardian_card").display
        assert second.query_one("#label-surname").has_class("required")
        # The old draft keeps what was typed; the new one starts empty and gets the new keys.
        assert old_draft.get("surname") == "Jansen"
        second.query_one("#f-surname").focus()
        await pilot.press(*"Bakker", "tab")
        assert second.draft.get("surname") == "Bakker"
        assert second.draft.get("birth_date") == ""
        assert old_draft.get("surname") == "Jansen"


async def test_a_step_1_under_another_screen_is_not_taken_over(app):
    # Ctrl+N from Zoek klant opened over step 1: that step 1 keeps its customer.
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        first = app.screen
        first.query_one("#f-surname").focus()
        await pilot.press(*"Jansen", "tab")
        await pilot.press("alt+z")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        second = app.screen
        assert isinstance(second, CustomerStepScreen)
        assert second is not first
        assert second.query_one("#f-surname").value == ""
        assert first.query_one("#f-surname").value == "Jansen"


async def test_building_step_1_does_not_focus_the_form_container(app, monkeypatch):
    # Textual focuses a new screen's first focusable widget: the form's scrolling container,
    # whose focus and blur restyled its ~120 widgets twice before the first field had the
    # focus (issue 20: ~0.2 s of CPU on the session's first Ctrl+N). Counted, not timed.
    from textual.widget import Widget

    focused: list[str | None] = []
    original = Widget.watch_has_focus

    def watch_has_focus(self, value):
        focused.append(self.id)
        return original(self, value)

    monkeypatch.setattr(Widget, "watch_has_focus", watch_has_focus)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CustomerStepScreen)
        assert app.focused is app.screen.query_one("#f-card_number")
        assert "reg-form" not in focused
