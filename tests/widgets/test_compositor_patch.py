"""The compositor workaround (tui_desk/widgets/compositor.py) draws the same cells as Textual.

For regions of the step-1 form (a field, a whole row, the form with the footer, a field
scrolled half out of view) the partial update Textual would write to the terminal is made with
and without the workaround; the bytes must be equal, and the workaround renders fewer widgets.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.services.desk import Desk
from tui_desk.widgets import compositor as patch


@pytest.fixture
def app(db, config, clock):
    staff = make_staff(db, name="J. de Balie")
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))


def _update(app, region: Region, patched: bool, rendered: list[Widget]) -> str:
    compositor = app.screen._compositor
    (patch.install if patched else patch.uninstall)()
    original = Widget.render_lines

    def render_lines(self, crop):
        rendered.append(self)
        return original(self, crop)

    Widget.render_lines = render_lines  # type: ignore[method-assign]
    try:
        compositor._dirty_regions = {region}
        update = compositor.render_partial_update()
    finally:
        Widget.render_lines = original  # type: ignore[method-assign]
        patch.install()
    assert update is not None
    return update.render_segments(app.console)


async def test_partial_updates_are_the_same_with_fewer_widgets_rendered(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        screen = app.screen
        screen.query_one("#f-surname").focus()
        await pilot.press(*"Vermeulen")
        screen.query_one("#reg-form").scroll_to(y=3, animate=False)
        await pilot.pause()
        field = screen.query_one("#f-surname").region
        row = screen.query_one("#row-postcode").region
        regions = [field, row, Region(0, 0, 80, 24), Region(10, 2, 60, 21),
                   Region(field.x + 3, field.y, 2, 1)]
        for region in regions:
            narrow: list[Widget] = []
            wide: list[Widget] = []
            assert _update(app, region, True, narrow) == _update(app, region, False, wide)
            assert len(narrow) <= len(wide)
        few: list[Widget] = []
        every: list[Widget] = []
        _update(app, field, True, few)
        _update(app, field, False, every)
        assert len(few) < len(every) / 3
