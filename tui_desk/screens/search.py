"""Zoek klant (Alt+Z) and Zoek klant (direct) (Ctrl+Z).

One field finds a customer by card number (a scan), surname, postcode + house number, birth
date or actor id (see ``services.search``). Names and addresses in the list are shown as
``Text``: never parsed as markup, control characters made visible.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_desk.errors import DeskError
from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen, SafeDispatch
from tui_desk.services import search as search_service
from tui_desk.services.search import SearchHit, SearchResult
from tui_desk.widgets.dialog import Dialog
from tui_desk.widgets.keys import DeskInput
from tui_desk.widgets.line_list import LineList
from tui_desk.widgets.styled import StyledOnce, kept_screen

PLACEHOLDER = "pasnummer, achternaam, postcode + huisnr of geboortedatum"

# (label, width): 68 + 2 cells padding a column + 2 for the scroll bar = 80 columns.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Pasnummer", 14), ("Naam", 18), ("Geboren", 10), ("Adres", 16), ("Plaats", 10),
)


# Rows fetched and drawn first: at 80x24 the list shows 15. The rest of the list (up to
# ``search_service.LIMIT``) is fetched once they are on the screen, and added in one go: every
# addition draws the visible rows again (in parts of 40 the list cost twice the CPU).
FIRST_SCREENFUL = 20

T = TypeVar("T")


def _cells(hit: SearchHit) -> tuple[str, ...]:
    """A hit's columns (shown literally by the list: never markup)."""
    return (hit.card_number, hit.name, dates.show(hit.birth_date), hit.address, hit.place)


def _key(hit: SearchHit) -> int:
    return hit.customer_id


class HitList(LineList[SearchHit]):
    """Zoek klant's list: the hits as data, only the lines on the screen drawn."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, _cells, _key, id=id)


def read_off_loop(screen: SafeDispatch, work: Callable[[], T], then: Callable[[T], Any], *,
                  hold: bool) -> None:
    """Run ``work`` (a search: it only reads) on a worker thread, then ``then(result)`` on the
    event loop; a DeskError goes to the screen's ``show_error``, anything else to the app's
    error report (as ``run_write``). No busy line: a search takes milliseconds, and a line
    that comes and goes lays out the screen twice. ``hold``: the keys typed meanwhile wait
    for the answer (Down right after Enter goes to the list, not to an empty screen)."""
    app = screen.desk_app
    if hold:
        app.hold_keys()

    async def job() -> None:
        try:
            result = work() if app.inline_writes else await asyncio.to_thread(work)
            then(result)
        except DeskError as exc:
            screen.show_error(exc)
        except Exception as exc:  # the one place for the unexpected
            app.report_unexpected(exc, where=f"{type(screen).__name__}:search")
        finally:
            if hold:
                app.call_later(app.release_keys)

    screen.run_worker(job(), group="search", exit_on_error=False)


class SearchScreen(StyledOnce, DeskScreen):
    """Zoek klant: the field, a status line and the list of customers found."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Terug"),
        Binding("down", "to_list", "Naar lijst", show=False),
    ]

    # The name under which the app keeps the one Zoek klant it shows again (``for_query``).
    INSTALLED_AS: ClassVar[str] = "search"

    def __init__(self, query: str | None = None) -> None:
        super().__init__()
        self.initial_query = query
        self.result: SearchResult | None = None
        self._ticket = 0        # the search the list is for; an answer for an older one is dropped
        self._stale = False     # another screen came over the list (a record that may change)
        self._first_pending = False  # a search runs whose first screenful is not shown yet
        self._to_list = False   # ... and Down asked for the list meanwhile

    @classmethod
    def for_query(cls, app: App, query: str | None = None) -> SearchScreen:
        """Zoek klant, empty or searching ``query``: built once per session and shown again
        for the next search, instead of composing and styling it anew on every Alt+Z."""
        return kept_screen(app, cls.INSTALLED_AS, cls, lambda: cls(query),
                           lambda kept: kept.reset(query))

    def reset(self, query: str | None) -> bool:
        """Show an empty Zoek klant (searching ``query``) as a newly built one would; False
        when this screen was never built."""
        fields = self.query("#search-input")
        if not fields:
            return False
        self._ticket += 1
        self._stale = False
        self._first_pending = self._to_list = False
        self.result = None
        field = fields.first(Input)
        with field.prevent(Input.Changed):
            field.value = query or ""
        field.cursor_position = len(field.value)
        status = self.query_one("#search-status", Static)
        status.update("", layout=False)  # one line, always: its size never changes
        status.remove_class("-warning")
        self.query_one("#search-results", HitList).clear()
        self.hide_busy()
        if query:
            self.run_search(query, open_single=False)
        self.set_focus(field, scroll_visible=False)
        return True

    def compose_body(self) -> ComposeResult:
        with Vertical(id="search-body"):
            with Horizontal(id="search-bar"):
                yield Label("Zoek klant", id="search-label")
                yield DeskInput(placeholder=PLACEHOLDER, id="search-input", compact=True)
            yield Static(id="search-status")
            yield HitList(id="search-results")

    def on_mount(self) -> None:
        field = self.query_one("#search-input", Input)
        if self.initial_query:
            field.value = self.initial_query
            self.run_search(self.initial_query, open_single=False)
        field.focus()

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # Back from a record that may have been changed (or removed): show the list as it is now.
        if self._stale and self.result is not None and self.result.kind != search_service.EMPTY:
            hit_list = self.query_one("#search-results", HitList)
            self.run_search(self.query_one("#search-input", Input).value, open_single=False,
                            keep_row=hit_list.cursor_row)
        self._stale = False

    # -- searching -------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(event.value, open_single=True)

    def run_search(self, query: str, *, open_single: bool, keep_row: int = 0) -> None:
        """Search off the event loop: the first screenful first (and the row the cursor was
        on, for a list shown again), drawn at once; then the rest of the list."""
        self._ticket += 1
        ticket = self._ticket
        self._first_pending, self._to_list = True, False
        db, today = self.desk.db, self.desk.clock.today()
        rows = max(FIRST_SCREENFUL, keep_row + 1)

        def first_screenful() -> SearchResult:
            return search_service.first_rows(db, query, today, rows)

        def show(result: SearchResult) -> None:
            if ticket != self._ticket:
                return  # another search (or Escape) came meanwhile
            self.result = result
            if result.kind != search_service.EMPTY:
                self.desk_app.last_search = query
            self.show_result(result, keep_row)
            self._first_pending = False
            if self._to_list:
                self._to_list = False
                self.action_to_list()
            if open_single and len(result.hits) == 1 and not result.more:
                self.desk_app.open_customer(result.hits[0].customer_id)
            elif not result.complete:
                # Once the first screenful is on the screen.
                self.call_after_refresh(self._fetch_rest, ticket, query)

        read_off_loop(self, first_screenful, show, hold=True)

    def _fetch_rest(self, ticket: int, query: str) -> None:
        if ticket != self._ticket:
            return
        db, today = self.desk.db, self.desk.clock.today()

        def whole_list() -> SearchResult:
            return search_service.search(db, query, today)

        def show(result: SearchResult) -> None:
            if ticket == self._ticket:
                self.result = result
                self._extend(result)

        read_off_loop(self, whole_list, show, hold=False)

    def _extend(self, result: SearchResult) -> None:
        """The whole list after its first screenful: the rows after those shown; the whole
        list again if its start changed meanwhile (a customer registered)."""
        hit_list = self.query_one("#search-results", HitList)
        shown = [hit.customer_id for hit in hit_list.rows]
        if [hit.customer_id for hit in result.hits[:len(shown)]] != shown:
            self.show_result(result, hit_list.cursor_row)
            return
        self._set_status(result)
        hit_list.add_rows(result.hits[len(shown):])

    def _set_status(self, result: SearchResult) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(printable(result.message)), layout=False)
        status.set_class(not result.hits, "-warning")

    def show_result(self, result: SearchResult, keep_row: int = 0) -> None:
        self._set_status(result)
        hit_list = self.query_one("#search-results", HitList)
        hit_list.set_rows(result.hits, cursor=keep_row)

    # -- the list --------------------------------------------------------------------------
    def action_to_list(self) -> None:
        hit_list = self.query_one("#search-results", HitList)
        if self._first_pending:
            # Down typed right after Enter, before the first screenful came: to the list then.
            self._to_list = True
        elif hit_list.row_count:
            # At once, not as Widget.focus does (later): a second Down typed with the first
            # must reach the list.
            self.set_focus(hit_list)

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        event.stop()
        if isinstance(event.key, int):
            self.desk_app.open_customer(event.key)

    def on_key(self, event: events.Key) -> None:
        # Up on the first row of the list goes back to the search field.
        hit_list = self.query_one("#search-results", HitList)
        if event.key == "up" and self.focused is hit_list and hit_list.cursor_row == 0:
            event.stop()
            self.query_one("#search-input", Input).focus()

    def action_close(self) -> None:
        self._ticket += 1  # a search still on its way is not shown any more
        self._first_pending = self._to_list = False
        self.dismiss()


class DirectSearchScreen(Dialog[None]):
    """Zoek klant (direct): scan or type; one match opens the record, otherwise the list."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Sluiten")]

    def compose(self) -> ComposeResult:
        with self.frame("Zoek klant (direct)", id="direct-box"):
            yield DeskInput(placeholder="scan de pas, of typ pasnummer of naam", id="direct-input",
                        compact=True)
            yield Static(id="direct-status")

    def on_mount(self) -> None:
        self.query_one("#direct-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        desk = self.desk_app.desk
        query = event.value
        db, today = desk.db, desk.clock.today()

        def look_up() -> SearchResult:
            return search_service.first_rows(db, query, today, FIRST_SCREENFUL)

        read_off_loop(self, look_up, lambda result: self._found(query, result), hold=True)

    def _found(self, query: str, result: SearchResult) -> None:
        if not self.is_attached or self.app.screen is not self:
            return
        if result.kind == search_service.EMPTY:
            self.query_one("#direct-status", Static).update(Text(result.message))
            return
        if len(result.hits) == 1 and not result.more:
            self.app.pop_screen()
            self.desk_app.open_customer(result.hits[0].customer_id)
            return
        self.app.switch_screen(SearchScreen.for_query(self.app, query))

