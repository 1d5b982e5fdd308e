"""``LineList``: Zoek klant's list of hits, a line-API widget that draws only what is on the
screen (issue 20: Enter -> first screenful <= 30 ms at a million customers). Behaviour at
80x24 (keys, selection, columns, literal text), and the work counted, never timed: rows turned
into text, lines drawn, layouts.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.factories import screen_text
from tui_desk.widgets.line_list import LineList, fit

COLUMNS = (("Nummer", 6), ("Naam", 12))
VISIBLE = 24 - 1 - 1  # the screen's rows less the Input and the list's header


@dataclass(frozen=True)
class Row:
    key: int
    name: str


def rows(n: int, start: int = 0) -> list[Row]:
    return [Row(i, f"Naam {i}") for i in range(start, start + n)]


class ListApp(App[None]):
    CSS = "Input { height: 1; border: none; } LineList { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[object] = []

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield LineList(COLUMNS, lambda row: (str(row.key), row.name), lambda row: row.key,
                       id="list")

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        self.selected.append(event.key)


def _list(app: ListApp) -> LineList[Row]:
    return app.query_one("#list", LineList)


async def _shown(pilot, data: list[Row]) -> LineList[Row]:
    line_list = _list(pilot.app)
    line_list.set_rows(data)
    line_list.focus()
    await pilot.pause()
    return line_list


async def test_keys_move_the_cursor_and_enter_selects():
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        line_list = await _shown(pilot, rows(100))
        assert line_list.cursor_row == 0
        await pilot.press("down", "down")
        assert line_list.cursor_row == 2
        await pilot.press("up")
        assert line_list.cursor_row == 1
        await pilot.press("pagedown")
        assert line_list.cursor_row == 1 + VISIBLE
        assert line_list.scroll_y == VISIBLE  # a page further
        await pilot.press("pageup")
        assert line_list.cursor_row == 1
        await pilot.press("end")
        assert line_list.cursor_row == 99
        assert "Naam 99" in screen_text(app)  # scrolled into view
        await pilot.press("down")  # past the end: stays
        assert line_list.cursor_row == 99
        await pilot.press("home")
        assert line_list.cursor_row == 0
        assert "Naam 0 " in screen_text(app)
        await pilot.press("up")  # before the start: stays
        assert line_list.cursor_row == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [1]
        assert line_list.highlighted == Row(1, "Naam 1")


async def test_columns_header_and_literal_text():
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _shown(pilot, [Row(1, "[b]Vet[/b]"), Row(2, "\x1b[31mRood"),
                             Row(3, "Heel-lange-naam-van-iemand")])
        text = screen_text(app).splitlines()
        # Each column: one cell of padding, its width, one cell of padding.
        assert text[1].startswith(" Nummer " + " Naam         ")
        assert text[2].startswith(" 1      " + " [b]Vet[/b]   ")  # markup shown as typed
        assert text[3].startswith(" 2      " + " ^[[31mRood   ")  # control character shown
        assert text[4].startswith(" 3      " + " Heel-lange-… ")  # cut with an ellipsis
        assert _list(app).row_texts(2) == ("3", "Heel-lange-…")
        assert "\x1b" not in screen_text(app)


def test_fit_pads_or_cuts_to_the_width_in_cells():
    assert fit("Jan", 5) == "Jan  "
    assert fit("Janssens", 5) == "Jans…"
    assert fit("日本語です", 5) == "日本…"  # wide characters count two cells
    assert fit("x", 0) == ""


async def test_an_empty_list_shows_nothing():
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Nummer" not in screen_text(app)
        line_list = await _shown(pilot, rows(3))
        assert "Nummer" in screen_text(app)
        line_list.clear()
        await pilot.pause()
        assert "Nummer" not in screen_text(app) and line_list.row_count == 0
        await pilot.press("enter")
        assert app.selected == []


async def test_only_the_lines_on_the_screen_are_made_and_drawn(layouts):
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        line_list = await _shown(pilot, rows(30))
        # The first screenful of 30 rows: only the rows on the screen made into text.
        assert line_list.lines_rendered == VISIBLE
        layouts.clear()
        line_list.add_rows(rows(170, start=30))
        await pilot.pause()
        # The rest of the list: rows below the screen are not made into text, and adding
        # them lays out nothing (the list's place does not depend on its rows).
        assert line_list.lines_rendered == VISIBLE
        assert layouts == []
        drawn: list[int] = []
        original = line_list.render_line

        def render_line(y):
            drawn.append(y)
            return original(y)

        line_list.render_line = render_line
        await pilot.press("down")
        await pilot.pause()
        assert sorted(drawn) == [1, 2]  # the cursor's old and new line, not the list
        assert layouts == []
        await pilot.press("end")
        await pilot.pause()
        assert line_list.lines_rendered == 2 * VISIBLE  # the last screenful, not the rows between


async def test_the_cursor_looks_different_when_the_list_has_the_focus():
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        line_list = await _shown(pilot, rows(5))

        def cursor_style():
            return app.screen._compositor.render_strips()[2]._segments[0].style

        focused = cursor_style()
        app.query_one("#field").focus()
        await pilot.pause()
        assert cursor_style() != focused
        line_list.focus()
        await pilot.pause()
        assert cursor_style() == focused


async def test_a_field_keeps_its_keys():
    # The list takes Up and Down only when it has the focus.
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        line_list = await _shown(pilot, rows(5))
        app.query_one("#field", Input).focus()
        await pilot.press("down", "end")
        assert line_list.cursor_row == 0
