"""Tab 4.Overig: the customer's change log (who, when, what, before and after) at 80x24."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from tests.factories import make_manual_customer, make_staff, screen_text
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.screens import audit_log
from tui_desk.screens.customer import CustomerScreen
from tui_desk.services.desk import Desk
from tui_desk.store import audit

NOW = dt.datetime(2026, 11, 28, 10, 0)
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def staff(db):
    return make_staff(db, name="J. Balie")


@pytest.fixture
def manual(db, staff):
    customer_id = make_manual_customer(db)
    audit.write(db, at=dt.datetime(2021, 4, 15, 9, 30), staff_id=staff.id,
                customer_id=customer_id, entity="customer", entity_id=customer_id,
                action="insert", after={"surname": "Test", "iban": IBAN,
                                        "birth_date": "1991-01-01", "newsletter": False})
    audit.write(db, at=dt.datetime(2026, 11, 1, 3, 0), staff_id=None, customer_id=customer_id,
                entity="invoice", entity_id=7, action="insert",
                after={"amount_cents": 5600, "status": "open"})
    return customer_id


@pytest.fixture
def app(db, config, staff):
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=FixedClock(NOW), staff=staff))
    app.animation_level = "none"
    return app


async def open_log(app, pilot, customer_id) -> CustomerScreen:
    app.open_customer(customer_id)
    await pilot.pause()
    await pilot.press("4")
    screen = app.screen
    assert isinstance(screen, CustomerScreen)
    assert screen.query_one(TabbedContent).active == "tab-overig"
    assert screen.focused is screen.query_one("#audit-table")
    return screen


async def test_tab_4_lists_who_when_what_before_and_after(app, manual):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_log(app, pilot, manual)
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        for heading in ("Wanneer", "Wie", "Wat", "Voor → Na"):
            assert heading in text
        # newest first; the system's monthly run has no staff member
        assert "01-11-2026 03:00" in text and "systeem" in text and "Factuur nieuw" in text
        assert "bedrag: € 56,00" in text
        assert "15-04-2021 09:30" in text and "J. Balie" in text and "Klant nieuw" in text
        # the detail below shows the highlighted entry in full
        assert "01-11-2026 03:00  systeem  Factuur nieuw (7)" in text
        await pilot.press("down")
        text = screen_text(app)
        assert "achternaam: Test" in text
        assert "geboortedatum: 01-01-1991" in text and "nieuwsbrief: nee" in text
        assert "IBAN: NL** **** **** **4300" in text
        assert IBAN not in text and "ABNA" not in text
        assert screen.query_one("#audit-table", DataTable).row_count == 2


async def test_a_change_made_on_tab_2_shows_on_tab_4_at_once(app, manual):
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_customer(manual)
        await pilot.pause()
        await pilot.press("2")
        surname = app.screen.query_one("#naw-surname", Input)
        surname.value = "Tester"
        await pilot.press("f2")
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")  # the digit would be typed
        assert app.screen.query_one(TabbedContent).active == "tab-overig"
        text = screen_text(app)
        assert "28-11-2026 10:00" in text
        assert "Klant gewijzigd" in text
        assert "achternaam: Test → Tester" in text


async def test_untrusted_text_shows_literally(db, app, manual, staff):
    audit.write(db, at=NOW, staff_id=staff.id, customer_id=manual, entity="notice",
                entity_id=f"{manual}/1", action="update",
                before={"text": "[b]vet[/b]"}, after={"text": "\x1b[31mRood"})
    async with app.run_test(size=(80, 24)) as pilot:
        await open_log(app, pilot, manual)
        text = screen_text(app)
        assert "tekst: [b]vet[/b] → ^[[31mRood" in text
        assert "\x1b" not in text


def entry(before=None, after=None, action="update", entity="customer"):
    return audit.AuditEntry(at=NOW, staff_name="", entity=entity, entity_id=None,
                            action=action, before=before or {}, after=after or {})


def test_changes_are_written_as_field_old_new():
    assert audit_log.changes(entry({"surname": "Test", "place": "ANNEN"},
                                   {"surname": "Tester", "place": "ANNEN"})) == [
        "achternaam: Test → Tester"]
    assert audit_log.changes(entry(after={"email": ""}, action="insert")) == ["e-mail: —"]
    assert audit_log.changes(entry(before={"text": "Boete"}, action="delete")) == [
        "tekst: Boete → —"]
    assert audit_log.changes(entry({"iban": ""}, {"iban": "DE89370400440532013000"})) == [
        "IBAN: — → DE** **** **** **** **3000"]
    # an IBAN under another name is masked as well
    assert audit_log.changes(entry(after={"rekening": "NL91 ABNA 0417 1643 00"})) == [
        "rekening: NL** **** **** **4300"]
    assert audit_log.entity_action(entry(entity="mystery", action="x\x1b")) == "mystery x^["
    assert audit_log.who(entry()) == "systeem"
