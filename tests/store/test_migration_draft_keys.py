"""Migration 0014: a draft saved with the Dutch keys of the earlier versions resumes whole."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from textual.widgets import Input

from tests.factories import make_staff, screen_text, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.rules import fields
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.resume import ResumeScreen
from tui_desk.services.desk import Desk
from tui_desk.services.registration import RegistrationService
from tui_desk.store import db as store_db
from tui_desk.store import drafts as draft_store
from tui_desk.store.branches import sync_branches
from tui_desk.store.postcodes import load_postcodes

# What tui-desk up to schema 13 stored for a step 1 filled in (the keys it used then).
OLD_VALUES = {
    "voorletters": "K", "voorvoegsel": "van", "achternaam": "Kruisman", "roepnaam": "",
    "geboortedatum": "14-06-1984", "land": "Nederland", "postcode": "9468 BG",
    "huisnummer": "41", "toevoeging": "", "straat": "Kruisakkers", "plaats": "ANNEN",
    "persoon": "V", "telefoon": "0592 123456", "sms": "", "email": "k.kruisman@example.nl",
    "adres_gecontroleerd": "Ja", "regio": "Drenthe", "incasso": "Nee", "inlogaccount": "Nee",
    "legitimatie": "Ja", "email_leeg": "Nee", "nieuwsbrief": "Nee", "taal": "nl",
}
RENAMED = {
    "voorletters": "initials", "voorvoegsel": "prefix", "achternaam": "surname",
    "roepnaam": "first_name", "geboortedatum": "birth_date", "land": "country",
    "huisnummer": "house_number", "toevoeging": "house_suffix", "straat": "street",
    "plaats": "place", "persoon": "gender", "telefoon": "phone",
}


@pytest.fixture
def clock():
    return FixedClock(dt.datetime(2026, 11, 28, 10, 0))


@pytest.fixture
def old(tmp_path, config, clock):
    """A database at schema 13 with an open draft in the old format and an emptied one; the
    path, the open draft's id, the emptied one's id and the staff member."""
    path = tmp_path / "old.sqlite3"
    db = store_db.open_database(path, environment="demo")
    sync_branches(db, config)
    load_postcodes(db)
    staff = make_staff(db, username="jbalie", name="J. de Balie")
    service = RegistrationService(db, clock, staff)
    draft = service.start()
    service.issue_card(draft)
    values = {**OLD_VALUES, **{k: v for k, v in draft.values.items() if k.startswith("kaart")}}
    draft_store.save(db, draft.id, step=draft.step,
                     data={"values": values, "duplicates_seen": False}, now=clock.now())
    emptied = service.start()
    # abandoned and emptied after the retention period (store/retention.py)
    db.execute("UPDATE registration_drafts SET data = '{}', status = 'abandoned' WHERE id = ?",
               (emptied.id,))
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 13")
    raw.commit()
    raw.close()
    return path, draft.id, emptied.id, staff


def test_the_migration_renames_the_field_tables_keys_and_keeps_the_rest(old):
    path, draft_id, emptied_id, _staff = old
    db = store_db.open_database(path, environment="demo")
    try:
        assert db.version == store_db.latest_version()
        values = draft_store.get(db, draft_id).data["values"]
        expected = {RENAMED.get(k, k) for k in OLD_VALUES}
        assert expected <= set(values)
        assert not set(RENAMED) & set(values)
        assert set(RENAMED.values()) | {"postcode", "sms", "email"} == set(fields.BY_KEY)
        assert values["surname"] == "Kruisman" and values["street"] == "Kruisakkers"
        assert values["kaart_v"] == "Ja" and values["inlogaccount"] == "Nee"
        assert draft_store.get(db, emptied_id).data == {}
    finally:
        db.close()


def test_a_migrated_draft_resumes_through_the_service(old, clock):
    path, draft_id, _emptied, staff = old
    db = store_db.open_database(path, environment="demo")
    try:
        service = RegistrationService(db, clock, staff)
        draft = service.resume(draft_id)
        assert service.errors(draft) == {}
        data = service.customer_data(draft)
        assert (data.initials, data.prefix, data.surname) == ("K.", "van", "Kruisman")
        assert data.birth_date == dt.date(1984, 6, 14)
        assert (data.street, data.house_number, data.place) == ("Kruisakkers", 41, "ANNEN")
        assert data.address_verified and data.region == "Drenthe"
        assert service.display_name(draft) == "K. van Kruisman"
    finally:
        db.close()


async def test_a_migrated_draft_resumes_on_the_screen(old, config, clock):
    path, draft_id, _emptied, staff = old
    db = store_db.open_database(path, environment="demo")
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, ResumeScreen)
                             and "K. van Kruisman" in screen_text(app))
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, CustomerStepScreen))
            screen = app.screen
            assert screen.draft.id == draft_id
            shown = {name: screen.query_one(f"#f-{name}", Input).value
                     for name in ("surname", "birth_date", "house_number", "street", "place")}
            assert shown == {"surname": "Kruisman", "birth_date": "14-06-1984",
                             "house_number": "41", "street": "Kruisakkers", "place": "ANNEN"}
    finally:
        db.close()
