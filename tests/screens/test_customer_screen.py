"""Klantenadministratie at 80x24: the manual's header, the tabs, NAW changes and notices."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Checkbox, DataTable, Input, TabbedContent

from tests.factories import MANUAL_CARD, fill, make_customer, make_staff, screen_text, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens.customer import CustomerScreen, NoticePopup
from tui_desk.screens.main import MainScreen
from tui_desk.services import customers as service
from tui_desk.services.desk import Desk
from tui_desk.store import audit
from tui_desk.store import customers as customer_store

TODAY = dt.date(2026, 11, 28)
SIZE = (80, 24)


@pytest.fixture
def staff(db):
    with db.transaction():
        return make_staff(db)


@pytest.fixture
def app(db, config, staff):
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=FixedClock(TODAY), staff=staff))
    app.animation_level = "none"  # no sliding tab underline: each key settles at once
    return app


def active_tab(app) -> str:
    return app.screen.query_one(TabbedContent).active


async def open_record(app, pilot, customer_id: int, tab: str | None = None) -> CustomerScreen:
    app.open_customer(customer_id, tab=tab)
    await pilot.pause()
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


async def edit_naw(app, pilot, customer_id: int, **fields: str) -> CustomerScreen:
    """The record's NAW tab (key 2) with ``fields`` typed over, e.g. ``place="ASSEN"`` into
    the field #naw-place."""
    screen = await open_record(app, pilot, customer_id)
    await pilot.press("2")
    for name, value in fields.items():
        screen.query_one(f"#naw-{name}", Input).value = value
    return screen


async def test_the_header_reads_as_in_the_manual(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, manual)
        lines = screen_text(app).splitlines()
        assert len(lines) == 24
        assert all(len(line) <= 80 for line in lines)
        header = [line.rstrip() for line in lines[1:6]]
        assert header[0] == (" 29401000075801 [381847] 9401 (Annen) Basis   "
                             "Gefactureerd t/m April 2022")
        assert header[1].split() == "Mw. A. van de Test geboortedatum 01-01-1991 (35 jr.) " \
            "contributie € 52,00".split()
        assert header[2].split() == "Kruisakkers 41 laatste activiteit 15-04-2021 " \
            "registratie € 0,00".split()
        assert header[3].split() == "9468 BG ANNEN in bezit 0 strippen 125".split()
        assert header[4].split() == "actieve passen 1 tegoed € 0,00".split()
        assert ("1.Klant  2.NAW-Gegevens  3.Contributie  4.Overig  5.Meldingen  8.Passen"
                in lines[6])


async def test_tab_1_shows_the_customer_as_in_the_manual(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, manual)
        text = screen_text(app)
        for expected in ("Voorletters  A.", "Voorvoegsel  van de", "Achternaam   Test",
                         "Geboren      1 januari 1991", "088 012 8295",
                         "info@bibliotheekannen.nl", "Filiaal        Annen",
                         "Regio/wijk  AA24 - Annen"):
            assert expected in text
        assert ["Hoofdadres", "Kruisakkers", "41", "9468", "BG", "ANNEN", "NL"] in [
            line.split() for line in text.splitlines()]


async def test_digits_and_ctrl_page_keys_switch_tabs(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, manual)
        assert active_tab(app) == "tab-klant"
        await pilot.press("3")
        assert active_tab(app) == "tab-contributie"
        text = screen_text(app)
        assert "Inschrijfdatum  15 april 2021" in text
        assert ["I001", "/", "9401", "15-04-2021", "30-04-2022", "45-Basis", "Gefactureerd",
                "52,00", "BIEB"] in [line.split() for line in text.splitlines()]
        await pilot.press("8")
        assert active_tab(app) == "tab-passen"
        assert MANUAL_CARD in screen_text(app) and "Actief" in screen_text(app)
        await pilot.press("ctrl+pageup")
        assert active_tab(app) == "tab-meldingen"
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        assert active_tab(app) == "tab-klant"


async def test_a_digit_typed_in_a_field_is_text_not_a_tab_switch(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, manual)
        await pilot.press("2")
        assert active_tab(app) == "tab-naw"
        assert isinstance(app.focused, Input)
        await pilot.press("end", "5")  # typed into Voorletters, no tab switch
        assert active_tab(app) == "tab-naw"
        assert app.focused.value == "A.5"


async def test_the_tab_asked_for_opens_first(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, manual, tab="contributie")
        assert active_tab(app) == "tab-contributie"


async def test_naw_change_is_saved_audited_and_shown_in_the_header(app, db, manual):
    async with app.run_test(size=SIZE) as pilot:
        screen = await edit_naw(app, pilot, manual, surname="Proef", postcode="9401aa")
        await pilot.press("f2")
        assert "Opgeslagen." in screen_text(app)
        assert "Mw. A. van de Proef" in screen_text(app)
        assert screen.query_one("#naw-postcode", Input).value == "9401 AA"
    c = service.load(db, manual)
    assert (c.surname, c.address.postcode) == ("Proef", "9401 AA")
    entries = {e.entity: (e.before, e.after) for e in audit.for_customer(db, manual)}
    assert entries == {"customer": ({"surname": "Test"}, {"surname": "Proef"}),
                       "address": ({"postcode": "9468 BG"}, {"postcode": "9401 AA"})}


async def test_invalid_naw_input_is_explained_next_to_the_field_and_kept(app, db, manual):
    async with app.run_test(size=SIZE) as pilot:
        screen = await edit_naw(app, pilot, manual, postcode="1234 SS", email="geen mail")
        await pilot.press("ctrl+s")
        text = screen_text(app)
        assert "Niet opgeslagen" in text
        postcode_line = next(line for line in text.splitlines() if "Postcode" in line)
        assert "1234 SS" in postcode_line and "Postcode 1234 SS bestaat niet" in postcode_line
        assert "SS worden niet gebruikt" in text  # the message wraps beside the field
        assert screen.query_one("#naw-email", Input).value == "geen mail"
        assert app.focused is screen.query_one("#naw-postcode", Input)
    assert service.load(db, manual).address.postcode == "9468 BG"
    assert audit.for_customer(db, manual) == []


async def test_escape_with_unsaved_changes_warns_once(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        await edit_naw(app, pilot, manual, place="ASSEN")
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerScreen)
        assert "Wijzigingen niet opgeslagen" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_alt_m_goes_to_notices_where_one_is_added_and_deleted(app, db, manual):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot, manual)
        await pilot.press("alt+m")
        assert active_tab(app) == "tab-meldingen"
        assert app.focused is screen.query_one("#notices-table", DataTable)
        await pilot.press("enter")
        assert app.focused is screen.query_one("#notice-input", Input)
        await fill(pilot, "Pas kwijt gemeld [b]niet[/b]")
        await pilot.press("tab", "space")  # the privé box
        assert screen.query_one("#notice-private", Checkbox).value
        await pilot.press("f2")
        assert "1   Pas kwijt gemeld [b]niet[/b]" in screen_text(app)
        (notice,) = service.load(db, manual).notices
        assert (notice.slot, notice.private) == (1, True)
        await pilot.press("delete")
        assert "Melding 1 verwijderd." in screen_text(app)
    assert service.load(db, manual).notices == ()
    assert [e.action for e in audit.for_customer(db, manual)] == ["delete", "insert"]


async def test_a_notice_is_cut_at_60_characters(app, db, manual):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot, manual, tab="meldingen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "notice-input")
        await fill(pilot, "x" * 59)
        await pilot.press("y", "z")  # the 61st character does not go in
        assert screen.query_one("#notice-input", Input).value == "x" * 59 + "y"
        await pilot.press("enter")
    assert [n.text for n in service.load(db, manual).notices] == ["x" * 59 + "y"]


async def test_a_private_notice_pops_up_when_the_record_opens(app, db, clock, staff, manual):
    service.set_notice(db, clock, staff, manual, "Eerst bellen", private=False)
    with db.transaction():  # as if imported: the service would refuse the escape character
        customer_store.save_notice(db, manual, 2, "Heeft [red]boete[/red]\x1b[2J open", True,
                                   created_at=clock.now(), staff_id=None)
    async with app.run_test(size=SIZE) as pilot:
        app.open_customer(manual)
        # Under load the popup is on top a moment before its text is laid out.
        await wait_until(pilot, lambda: isinstance(app.screen, NoticePopup)
                         and "Heeft" in screen_text(app))
        text = screen_text(app)
        assert "Heeft [red]boete[/red]^[[2J open" in text
        assert "bellen" not in text  # only the private one pops up
        await pilot.press("enter")
        assert isinstance(app.screen, CustomerScreen)


async def test_names_with_markup_and_escapes_show_literally(app, db):
    with db.transaction():
        cid = make_customer(db, initials="B.", surname="[b]Test[/b]", prefix="",
                            address={"street": "Straat[/]\x1b[2J", "place": "[i]ANNEN"})
    async with app.run_test(size=SIZE) as pilot:
        await open_record(app, pilot, cid)
        text = screen_text(app)
        assert "Dhr. B. [b]Test[/b]" in text
        assert "Achternaam   [b]Test[/b]" in text
        assert "Straat[/]^[[2J" in text
        assert "[I]ANNEN" in text
        assert "\x1b" not in text


async def test_a_customer_that_no_longer_exists_says_so_and_escape_goes_back(app):
    async with app.run_test(size=SIZE) as pilot:
        app.open_customer(4242)
        await pilot.pause()
        assert "Klant 4242 bestaat niet (meer)." in screen_text(app)
        await pilot.press("2", "f2", "alt+m")  # nothing to switch to or save: no crash
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_escape_with_an_unsaved_notice_warns_once(app, manual):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot, manual, tab="meldingen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "notice-input")
        await fill(pilot, "Nog niet opgeslagen")
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerScreen)
        assert "Melding niet opgeslagen" in screen_text(app)
        assert screen.query_one("#notice-private", Checkbox).label.plain == "privé: nee"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_paste_beyond_plaats_limit_is_cut_with_a_message(app, manual):
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot, manual, tab="naw")
        place = screen.query_one("#naw-place", Input)
        place.focus()
        place.value = ""
        place.post_message(events.Paste("A" * 10_000))
        await wait_until(pilot, lambda: len(place.value) == 60)
        assert "hoogstens 60 tekens" in str(screen.query_one("#naw-place-error").render())
        await pilot.press("f2")
        await wait_until(pilot, lambda: service.load(app.desk.db, manual).address.place
                         == "A" * 60)
