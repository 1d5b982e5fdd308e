"""Up/Down, PgUp/PgDn and Home/End in the forms (Pilot): the cursor moves from field to field,
the field it lands on is in view, and what is typed next lands there.

Before, a form's scroll box took these keys: Down scrolled step 1 while the cursor stayed in its
field, and once that field had scrolled out of sight the next keys went into a field nobody
could see. One kind of form per test: step 1 (a scroll box of inputs, choices and check boxes),
the record's NAW tab (a scroll box inside a tab), step 2 and settlement (no scroll box), a
mandate dialog (a hidden row), and the widgets that keep their own Up/Down.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Select, TextArea

from tests.factories import counter_desk, make_manual_customer, screen_text, wait_until
from tests.screens.test_keys import parse
from tests.screens.test_registration_steps_2_3 import MANUAL_DAY, draft_for, open_step
from tests.settlement_factories import new_lener
from tui_desk import keymap
from tui_desk.app import TuiDeskApp
from tui_desk.screens.customer import CustomerScreen
from tui_desk.screens.help_screen import help_text
from tui_desk.screens.mandate import BankDetailsScreen, MandateScreen
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.registration_login import LoginStepScreen
from tui_desk.screens.settlement import SettlementScreen
from tui_desk.widgets.form import FormInput, FormNavigation

# Step 1 in the order Down walks it: the BIC row (no foreign IBAN) and the ouder/verzorger rows
# (no minor) are hidden and skipped.
STEP_1 = ("card_number", "initials", "prefix", "surname", "first_name", "birth_date", "country",
          "postcode", "house_number", "house_suffix", "street", "place", "gender", "phone", "sms",
          "direct_debit", "iban", "id_checked", "use_login", "email", "no_email", "newsletter",
          "selection", "loan_history", "notify_loaned_before", "channel", "language")


def in_view(widget: Widget, box: Widget | None = None) -> bool:
    """``widget`` lies wholly inside the visible part of ``box`` (its scroll box; the screen)."""
    view = box.scrollable_content_region if box is not None else widget.screen.region
    return widget.region.height > 0 and view.contains_region(widget.region)


async def focused_in_view(pilot, widget_id: str, box: Widget | None = None) -> Widget:
    """The focus is on ``#widget_id`` and, once the scroll has followed, it is in view."""
    app = pilot.app
    assert app.focused is not None and app.focused.id == widget_id, (
        f"focus on {app.focused.id if app.focused else None}, not {widget_id}")
    await wait_until(pilot, lambda: in_view(app.focused, box))
    return app.focused


async def step_1(pilot, start: str | None = None) -> CustomerStepScreen:
    await pilot.press("ctrl+n")
    screen = pilot.app.screen
    assert isinstance(screen, CustomerStepScreen)
    if start is not None:
        screen.query_one(f"#f-{start}").focus()
    await pilot.pause()
    return screen


# -- step 1: a scroll box of inputs, choices and check boxes ----------------------------------
async def test_down_walks_step_1_field_by_field_and_the_field_stays_in_view(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_1(pilot)
        form = screen.query_one("#reg-form")
        assert form.max_scroll_y > 0  # at 80x24 the form is longer than its box
        for name in STEP_1[1:]:
            await pilot.press("down")
            await focused_in_view(pilot, f"f-{name}", form)
        assert form.scroll_y > 0
        for name in reversed(STEP_1[-5:-1]):
            await pilot.press("up")
            await focused_in_view(pilot, f"f-{name}", form)


async def test_round_the_form_the_cursor_stops_only_where_it_can_be_seen(app):
    # The scroll box can take the focus: Shift+Tab from the first field stopped there and the
    # next keys were lost. The button row lies under the footer at 80x24: Down or Tab from the
    # last field went to its (unseen) button.
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_1(pilot)
        form = screen.query_one("#reg-form")
        for key in ("up", "shift+tab"):
            screen.query_one("#f-card_number").focus()
            await pilot.pause()
            await pilot.press(key)
            await focused_in_view(pilot, "f-language", form)   # round the form, as Tab goes
        for key in ("down", "tab"):
            await pilot.press(key, *"V")
            await focused_in_view(pilot, "f-card_number", form)
            assert app.focused.value == "V"
            await pilot.press("backspace", "up")


async def test_text_typed_after_down_lands_in_the_field_in_view(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_1(pilot)
        form = screen.query_one("#reg-form")
        await pilot.press("down", "down", *"van")
        field = await focused_in_view(pilot, "f-prefix", form)
        assert field.value == "van" and screen.draft.get("prefix") == "van"
        # Further down, where the form has to scroll: Selectie is below the fold.
        screen.query_one("#f-newsletter").focus()
        await pilot.pause()
        await pilot.press("down", *"Boekstart")
        field = await focused_in_view(pilot, "f-selection", form)
        assert field.value == "Boekstart"
        assert screen.query_one("#f-card_number").value == ""
        assert screen.query_one("#f-newsletter").value is False
        assert "Boekstart" in screen_text(app)


async def test_pagedown_end_and_home_move_the_cursor_with_the_form(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_1(pilot)
        form = screen.query_one("#reg-form")
        page = form.scrollable_content_region.height
        await pilot.press("pagedown")
        field = app.focused
        assert field is not None and field.id is not None and field.id != "f-card_number"
        await focused_in_view(pilot, field.id, form)
        # about a screenful further: the next field would be more than a page away
        top = screen.query_one("#f-card_number").region.y
        after = STEP_1.index(field.id[2:]) + 1
        assert field.region.y - top < page
        if after < len(STEP_1):
            assert screen.query_one(f"#f-{STEP_1[after]}").region.y - top >= page
        await pilot.press("pagedown", "pagedown")
        await focused_in_view(pilot, "f-language", form)      # the last field, at the end
        await pilot.press("pageup", "pageup", "pageup")
        await focused_in_view(pilot, "f-card_number", form)
        assert form.scroll_y == 0
        # On a choice (no text to move in) End and Home go to the last and first field.
        screen.query_one("#f-gender").focus()
        await pilot.pause()
        await pilot.press("end")
        await focused_in_view(pilot, "f-language", form)
        assert form.scroll_y == form.max_scroll_y
        await pilot.press("home")
        await focused_in_view(pilot, "f-card_number", form)
        # In a text field End and Home stay the field's own: the cursor in the text.
        await pilot.press(*"V12", "home")
        field = await focused_in_view(pilot, "f-card_number", form)
        assert field.cursor_position == 0
        await pilot.press("end")
        assert app.focused is field and field.cursor_position == 3


async def test_up_and_down_lay_out_nothing(app, layouts):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await step_1(pilot, "initials")
        await pilot.pause()
        layouts.clear()
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert screen.focused is screen.query_one("#f-prefix")
        assert layouts == []


# -- the record's NAW tab: a scroll box in a tab ----------------------------------------------
NAW = ("initials", "prefix", "surname", "first_name", "birth_date", "street", "house_number",
       "house_suffix", "postcode", "place", "phone", "email")


@pytest.fixture
def record_app(db, config):
    return TuiDeskApp(counter_desk(db, config, MANUAL_DAY))


async def open_naw(pilot) -> CustomerScreen:
    app = pilot.app
    app.open_customer(make_manual_customer(app.desk.db), tab="naw")
    await pilot.pause()
    assert isinstance(app.screen, CustomerScreen)
    await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "naw-initials")
    return app.screen


async def test_down_walks_the_naw_tab_and_the_field_stays_in_view(record_app):
    app = record_app
    # 19 rows: the NAW form scrolls (as it does at 80x24 once messages stand next to fields).
    async with app.run_test(size=(80, 19)) as pilot:
        screen = await open_naw(pilot)
        box = screen.query_one("NawTab")
        assert box.max_scroll_y > 0
        for name in NAW[1:]:
            await pilot.press("down")
            await focused_in_view(pilot, f"naw-{name}", box)
        await pilot.press("down")
        await focused_in_view(pilot, "naw-save", box)
        for name in reversed(NAW):
            await pilot.press("up")
            await focused_in_view(pilot, f"naw-{name}", box)
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        assert app.focused is not None and app.focused.id != "naw-initials"
        await focused_in_view(pilot, app.focused.id, box)
        await pilot.press("pageup")
        await focused_in_view(pilot, "naw-initials", box)


async def test_text_typed_after_down_lands_in_the_naw_field_in_view(record_app):
    app = record_app
    async with app.run_test(size=(80, 19)) as pilot:
        screen = await open_naw(pilot)
        box = screen.query_one("NawTab")
        screen.query_one("#naw-house_suffix").focus()
        await pilot.pause()
        await pilot.press("down", "down", "end", *" CENTRUM")
        field = await focused_in_view(pilot, "naw-place", box)
        assert field.value == "ANNEN CENTRUM"
        assert screen.query_one("#naw-postcode").value == "9468 BG"
        assert "ANNEN CENTRUM" in screen_text(app)


async def test_the_record_tables_keep_their_own_up_and_down(record_app):
    app = record_app
    async with app.run_test(size=(80, 24)) as pilot:
        await open_naw(pilot)
        await pilot.press("ctrl+pagedown")              # 3.Contributie: a table
        table = app.focused
        assert isinstance(table, DataTable)
        await pilot.press("down", "up")
        assert app.focused is table


# -- step 2 and settlement: forms without a scroll box -----------------------------------------
async def test_down_and_up_in_step_2(db, config):
    desk = counter_desk(db, config, MANUAL_DAY)
    service, draft = draft_for(desk)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(app, pilot, service, draft)
        assert isinstance(app.screen, LoginStepScreen)
        await pilot.press("left")                    # Bestaand inlogaccount gebruiken
        await pilot.press("down", *"atest")
        field = await focused_in_view(pilot, "login-username")
        assert field.value == "atest"
        await pilot.press("up")
        await focused_in_view(pilot, "login-mode")


async def test_up_and_down_in_settlement(app, db):
    customer_id, ids = new_lener(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SettlementScreen(customer_id, invoice_ids=ids))
        await wait_until(pilot, lambda: app.focused is not None
                         and app.focused.id == "set-input")
        await pilot.press("up")
        await focused_in_view(pilot, "set-method")
        await pilot.press("down", "6", "0")
        field = await focused_in_view(pilot, "set-input")
        assert field.value == "60"
        assert "Teruggave € 8,00" in screen_text(app)


# -- a mandate dialog: a hidden row is passed by ----------------------------------------------
async def test_down_in_the_bank_details_dialog_passes_the_hidden_bic_row(app, db):
    customer_id = make_manual_customer(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(MandateScreen(customer_id, printer=lambda form: None))
        await pilot.pause()
        await pilot.press("f5")
        assert isinstance(app.screen, BankDetailsScreen)
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "md-iban")
        assert not app.screen.query_one("#md-bic-row").display  # a Dutch IBAN: no BIC
        await pilot.press("down")
        await focused_in_view(pilot, "md-holder")
        await pilot.press("down", "ctrl+u", *"ASSEN")
        field = await focused_in_view(pilot, "md-place")
        assert field.value == "ASSEN"
        await pilot.press("up", "up")
        await focused_in_view(pilot, "md-iban")


# -- widgets whose Up/Down mean something of their own ----------------------------------------
class _Form(FormNavigation, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [*FormNavigation.FORM_BINDINGS]

    def compose(self) -> ComposeResult:
        yield FormInput(id="first")
        yield OptionList("een", "twee", "drie", id="options")
        yield Select([("een", 1), ("twee", 2)], id="select")
        yield TextArea("regel 1\nregel 2", id="text")
        yield FormInput(id="last")


class _FormApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_Form())


async def test_lists_selects_and_text_areas_keep_their_own_up_and_down():
    app = _FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")                    # from the text field to the list
        options = app.screen.query_one("#options", OptionList)
        assert app.focused is options
        before = options.highlighted
        await pilot.press("down")                    # the list's cursor, not the next field
        assert app.focused is options and options.highlighted != before
        app.screen.query_one("#select").focus()
        await pilot.pause()
        await pilot.press("down")                    # a Select opens its list
        assert app.screen.query_one("#select", Select).expanded
        await pilot.press("escape")
        app.screen.query_one("#last").focus()
        await pilot.pause()
        await pilot.press("up")                      # into the text area ...
        area = app.screen.query_one("#text", TextArea)
        assert app.focused is area
        area.move_cursor((0, 0))
        await pilot.press("down", "end", "x")       # ... whose lines and End are its own
        assert app.focused is area and area.text == "regel 1\nregel 2x"


# -- the keys as a terminal sends them, and F1 ------------------------------------------------
# What xterm, PuTTY and tmux write for the form keys (Home/End in both forms terminals use).
FORM_BYTES = {"down": ["\x1b[B", "\x1bOB"], "up": ["\x1b[A", "\x1bOA"],
              "pagedown": ["\x1b[6~"], "pageup": ["\x1b[5~"],
              "end": ["\x1b[F", "\x1b[4~"], "home": ["\x1b[H", "\x1b[1~"]}


@pytest.mark.parametrize("key", keymap.FORM, ids=lambda k: k.key)
def test_the_form_keys_arrive_from_a_terminal_as_bound(key):
    assert FORM_BYTES.keys() == {k.key for k in keymap.FORM}
    for data in FORM_BYTES[key.key]:
        assert [e.key for e in parse(data)] == [key.key]


def test_f1_explains_the_form_keys():
    from rich.console import Console

    console = Console(width=76, record=True)
    console.print(help_text("CustomerStepScreen")[1])
    shown = console.export_text()
    assert "↑ ↓" in shown and "vorig/volgend veld" in shown
    assert "PgDn" in shown and "End" in shown
