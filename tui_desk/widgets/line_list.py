"""A list of rows in fixed-width columns that draws only the lines on the screen.

Zoek klant showed its hits in a Textual ``DataTable``: every visible cell went through Rich
(``Padding`` + ``Styled`` + ``console.render_lines``), ~85 cells for one screenful, and the
table kept its own copy of every row as renderables. Enter -> first screenful cost ~33 ms of
CPU at a million customers, most of it drawing the table (issue 20, target 30 ms wall).

``LineList`` is a line-API widget (a ``ScrollView`` with ``render_line``, as Textual's ``Log``):
it keeps the rows as the caller's objects (the search hits), turns a row into its line of text
only when that line is drawn, and draws one line as one segment. Columns have a fixed width; a
cell's text is shown literally (never markup: control characters made visible by
``rules.text.printable``), cut with an ellipsis when too long. The header line stays at the
top; the cursor is a row (Up, Down, PageUp, PageDown, Home, End; Enter posts ``Selected``).
It looks like the ``DataTable`` it replaces (the same component styles, zebra stripes, cell
padding of one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_desk.rules.text import printable

R = TypeVar("R")

_PARTS = ("line-list--header", "line-list--even-row", "line-list--odd-row", "line-list--cursor")
PADDING = 1  # cells on either side of a column's text, as DataTable's cell_padding


def fit(text: str, width: int) -> str:
    """``text`` shown literally in exactly ``width`` cells: padded, or cut with an ellipsis
    as Rich's ``overflow="ellipsis"`` does."""
    shown = printable(text)
    length = cell_len(shown)
    if length > width:
        return set_cell_size(shown, width - 1) + "…" if width > 0 else ""
    return shown + " " * (width - length)


class LineList(ScrollView, Generic[R], can_focus=True):
    """Rows of fixed-width columns under a header line, with a row cursor; drawn line by line.

    ``cells(row)`` gives a row's texts, one per column; ``key(row)`` what ``Selected`` carries.
    """

    ALLOW_MAXIMIZE = False

    COMPONENT_CLASSES: ClassVar[set[str]] = set(_PARTS)

    # DataTable's look (its default CSS for the same parts).
    DEFAULT_CSS = """
    LineList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .line-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .line-list--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .line-list--even-row {
            background: $surface-darken-1 40%;
        }
        & > .line-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .line-list--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .line-list--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .line-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Kiezen", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home,ctrl+home", "first", show=False),
        Binding("end,ctrl+end", "last", show=False),
    ]

    # Rows added or removed do not lay out the screen: the list's place and size never depend
    # on its rows. Only the scroll bar's coming or going does (``show_vertical_scrollbar``).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    class Selected(Message):
        """Enter on a row (or a click on the row under the cursor)."""

        def __init__(self, line_list: LineList[Any], index: int, key: object) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index
            self.key = key

        @property
        def control(self) -> LineList[Any]:
            return self.line_list

    def __init__(self, columns: Sequence[tuple[str, int]], cells: Callable[[R], Sequence[str]],
                 key: Callable[[R], object], *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = tuple(columns)
        self._cells = cells
        self._key = key
        self._rows: list[R] = []
        self._lines: dict[int, str] = {}   # row index -> its text, made when first drawn
        self._cursor = 0
        self._width = sum(width + 2 * PADDING for _label, width in self.columns)
        self._header = "".join(" " * PADDING + fit(label, width) + " " * PADDING
                               for label, width in self.columns)
        self.lines_rendered = 0  # rows turned into text, for tests that count the work
        # (width, first row shown, header, even, odd and cursor styles) of the current pass
        self._pass: tuple[int, int, Style, Style, Style, Style] = (
            0, 0, Style(), Style(), Style(), Style())
        self._empty_style = Style()
        self._kept_styles: tuple[tuple[object, ...], tuple[Style, ...]] | None = None

    # -- the data --------------------------------------------------------------------------
    @property
    def rows(self) -> Sequence[R]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def highlighted(self) -> R | None:
        """The row under the cursor; None when the list is empty."""
        return self._rows[self._cursor] if self._rows else None

    def row_texts(self, index: int) -> tuple[str, ...]:
        """What the row's cells show (trailing padding removed), for tests and checks."""
        return tuple(fit(text, width).rstrip()
                     for text, (_label, width) in zip(self._cells(self._rows[index]),
                                                      self.columns, strict=True))

    def set_rows(self, rows: Sequence[R], cursor: int = 0) -> None:
        """Show ``rows`` instead of what was shown, the cursor on row ``cursor`` (clamped)."""
        self._rows = list(rows)
        self._lines.clear()
        self._cursor = max(0, min(cursor, len(self._rows) - 1))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._set_size()
        self._cursor_into_view()
        self.refresh()

    def add_rows(self, rows: Sequence[R]) -> None:
        """Add ``rows`` after the last; only lines now on the screen are drawn again."""
        if not rows:
            return
        first = len(self._rows)
        self._rows.extend(rows)
        self._set_size()
        top = int(self.scroll_y)
        if first < top + self._page():
            self.refresh_lines(first + 1, top + self._page() - first)

    def clear(self) -> None:
        self.set_rows([])

    def _set_size(self) -> None:
        self.virtual_size = Size(self._width, len(self._rows) + 1 if self._rows else 0)

    def _watch_virtual_size(self, size: Size) -> None:
        # What a layout would do for it (ScrollView._size_updated): the scroll bar shown or
        # not (a layout only when that changes) and its thumb, the scroll position kept within.
        self._scroll_update(size)

    # -- drawing ---------------------------------------------------------------------------
    def _line_of(self, index: int) -> str:
        line = self._lines.get(index)
        if line is None:
            self.lines_rendered += 1
            line = "".join(" " * PADDING + fit(text, width) + " " * PADDING
                           for text, (_label, width) in zip(self._cells(self._rows[index]),
                                                            self.columns, strict=True))
            self._lines[index] = line
        return line

    def _part_styles(self) -> tuple[Style, ...]:
        """The header, even row, odd row and cursor styles. Textual forgets a widget's
        component styles on every refresh (a cursor move too) and works them out again from the
        stylesheet; kept here until the widget is styled again (``notify_style_update``: focus,
        theme) or its component styles are replaced."""
        current = tuple(self._component_styles.get(part) for part in _PARTS)
        kept = self._kept_styles
        if kept is None or any(a is not b for a, b in zip(kept[0], current, strict=True)):
            kept = (current, tuple(self.get_component_rich_style(part) for part in _PARTS))
            self._kept_styles = kept
        return kept[1]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept_styles = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass needs, looked up once (not per line).
        if not self._rows:
            self._empty_style = Style.from_color(bgcolor=self.background_colors[0].rich_color)
        header, even, odd, cursor = self._part_styles()
        self._pass = (self.size.width, int(self.scroll_y), header, even, odd, cursor)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, top, header, even, odd, cursor = self._pass
        if not self._rows:
            # An empty list shows nothing, not even its header: the background behind it.
            return Strip.blank(width, self._empty_style)
        if y == 0:
            style, text = header, self._header
        else:
            index = top + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            style = odd if index % 2 else even
            if index == self._cursor:
                style = style + cursor
            text = self._line_of(index)
        if width != self._width:
            text = set_cell_size(text, width)
        return Strip([Segment(text, style)], width)

    def _on_resize(self, _event: events.Resize) -> None:
        self._cursor_into_view()

    # -- the cursor ------------------------------------------------------------------------
    def _page(self) -> int:
        """Rows the list shows at once (the header line not counted)."""
        return max(1, self.scrollable_content_region.height - 1)

    def _cursor_into_view(self) -> None:
        top, page = int(self.scroll_y), self._page()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False, immediate=True)

    def move_cursor(self, row: int) -> None:
        """The cursor to ``row`` (clamped), scrolled into view; only the two lines redrawn."""
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        old, self._cursor = self._cursor, row
        top = int(self.scroll_y)
        self._cursor_into_view()
        if int(self.scroll_y) == top:  # a scroll draws the whole list anyway
            for index in {old, row}:
                self.refresh_line(index + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_down(self) -> None:
        page = self._page()
        self.scroll_to(y=min(int(self.scroll_y) + page, int(self.max_scroll_y)), animate=False,
                       immediate=True)
        self.move_cursor(self._cursor + page)

    def action_page_up(self) -> None:
        page = self._page()
        self.scroll_to(y=max(int(self.scroll_y) - page, 0), animate=False, immediate=True)
        self.move_cursor(self._cursor - page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        if self._rows:
            row = self._rows[self._cursor]
            self.post_message(self.Selected(self, self._cursor, self._key(row)))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index < len(self._rows):
            event.stop()
            if index == self._cursor:
                self.action_select_cursor()
            else:
                self.move_cursor(index)
