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
from tui_desk.services import privacy
from tui_desk.services.desk import Desk
from tui_desk.services.registration import (
    FIELD,
    STEP_SUBSCRIPTION,
    Draft,
    RegistrationService,
)
from tui_desk.store import db as store_db
from tui_desk.store import drafts as draft_store
from tui_desk.store.branches import sync_branches
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs
from tui_desk.widgets.choice import Choice, Toggle

IBAN = "NL91ABNA0417164300"
# What tui-desk up to schema 13 stored for step 1 of a child (3, Boekstart) whose father was
# typed in as ouder/verzorger, with Sepa incasso, a newsletter and every choice away from its
# default: every key it used then. The card number comes from "V" (kaart, kaart_gereserveerd,
# kaart_v), the address from the postcode table (adres_gecontroleerd, regio).
OLD_VALUES = {
    "voorletters": "K", "voorvoegsel": "van", "achternaam": "Kruisman", "roepnaam": "Kim",
    "geboortedatum": "14-06-2023", "ouder_pas": "", "ouder_relatie": "vader",
    "ouder_naam": "J. van Kruisman", "ouder_telefoon": "0592 654321",
    "ouder_email": "j.kruisman@example.nl", "land": "Nederland", "postcode": "9468 BG",
    "huisnummer": "41", "toevoeging": "", "straat": "Kruisakkers", "plaats": "ANNEN",
    "persoon": "V", "telefoon": "0592 123456", "sms": "", "incasso": "Ja", "iban": IBAN,
    "bic": "", "legitimatie": "Ja", "inlogaccount": "Nee", "email": "k.kruisman@example.nl",
    "email_leeg": "Nee", "nieuwsbrief": "Ja", "selectie": "Boekstart", "leenhistorie": "Ja",
    "melding_eerder_geleend": "Ja", "kanaal": "post", "taal": "en",
    "adres_gecontroleerd": "Ja", "regio": "Drenthe",
}
RENAMED = {
    "voorletters": "initials", "voorvoegsel": "prefix", "achternaam": "surname",
    "roepnaam": "first_name", "geboortedatum": "birth_date", "land": "country",
    "huisnummer": "house_number", "toevoeging": "house_suffix", "straat": "street",
    "plaats": "place", "persoon": "gender", "telefoon": "phone",
    "kaart": "card_number", "kaart_gereserveerd": "card_reserved",
    "kaart_v": "card_issued_by_system", "ouder_pas": "guardian_card",
    "ouder_relatie": "guardian_relation", "ouder_naam": "guardian_name",
    "ouder_telefoon": "guardian_phone", "ouder_email": "guardian_email",
    "incasso": "direct_debit", "legitimatie": "id_checked", "inlogaccount": "use_login",
    "email_leeg": "no_email", "nieuwsbrief": "newsletter", "selectie": "selection",
    "leenhistorie": "loan_history", "melding_eerder_geleend": "notify_loaned_before",
    "kanaal": "channel", "taal": "language", "adres_gecontroleerd": "address_verified",
    "regio": "region",
}
# Keys the wizard keeps besides step 1's fields (services/registration).
INTERNAL = {"card_reserved", "card_issued_by_system", "address_verified", "region",
            "login_mode", "login_username", "login_search", "tariff"}


@pytest.fixture
def clock():
    return FixedClock(dt.datetime(2026, 11, 28, 10, 0))


@pytest.fixture
def old(tmp_path, config, clock):
    """A database at schema 13 with an open draft in the old format, a registered one and an
    emptied one; the path, the open draft's id, the registered one's id, the emptied one's id
    and the staff member."""
    path = tmp_path / "old.sqlite3"
    db = store_db.open_database(path, environment="demo")
    sync_branches(db, config)
    load_postcodes(db)
    load_tariffs(db)
    staff = make_staff(db, username="jbalie", name="J. de Balie")
    service = RegistrationService(db, clock, staff, config)
    draft = service.start()
    number = service.issue_card(draft)
    old_card = {"kaart": number, "kaart_gereserveerd": number, "kaart_v": "Ja"}
    draft_store.save(db, draft.id, step=draft.step,
                     data={"values": OLD_VALUES | old_card, "duplicates_seen": False},
                     now=clock.now())
    done = service.start()
    draft_store.save(db, done.id, step="klaar", data={"values": {"incasso": "Ja",
                                                                 "tariff": "0049"}},
                     now=clock.now())
    db.execute("UPDATE registration_drafts SET status = 'done' WHERE id = ?", (done.id,))
    emptied = service.start()
    # abandoned and emptied after the retention period (store/retention.py)
    db.execute("UPDATE registration_drafts SET data = '{}', status = 'abandoned' WHERE id = ?",
               (emptied.id,))
    db.close()
    raw = sqlite3.connect(path)
    # and what the counters migration (0015) changed, which runs again after it
    raw.execute("DROP TABLE counters")
    raw.execute("ALTER TABLE branches ADD COLUMN card_seq INTEGER NOT NULL DEFAULT 0")
    raw.execute("PRAGMA user_version = 13")
    raw.commit()
    raw.close()
    return path, draft.id, done.id, emptied.id, staff


def test_the_migration_renames_every_dutch_key_and_keeps_the_values(old):
    path, draft_id, done_id, emptied_id, _staff = old
    db = store_db.open_database(path, environment="demo")
    try:
        assert db.version == store_db.latest_version()
        values = draft_store.get(db, draft_id).data["values"]
        card = values["card_number"]
        old_values = OLD_VALUES | {"kaart": card, "kaart_gereserveerd": card, "kaart_v": "Ja"}
        assert values == {RENAMED.get(k, k): v for k, v in old_values.items()}
        # every key is one the code reads today: step 1's fields and the wizard's own
        assert set(values) <= set(FIELD) | INTERNAL
        assert set(fields.BY_KEY) <= set(FIELD)
        assert draft_store.get(db, done_id).data["values"] == {"direct_debit": "Ja",
                                                                "tariff": "0049"}
        assert draft_store.get(db, emptied_id).data == {}
    finally:
        db.close()


def test_a_migrated_draft_resumes_whole_through_the_service(old, clock, config):
    path, draft_id, done_id, _emptied, staff = old
    db = store_db.open_database(path, environment="demo")
    try:
        service = RegistrationService(db, clock, staff, config)
        draft = service.resume(draft_id)
        assert service.errors(draft) == {}
        assert service.guardian_asked(draft)
        data = service.customer_data(draft)
        assert (data.initials, data.prefix, data.surname, data.first_name) == \
            ("K.", "van", "Kruisman", "Kim")
        assert data.birth_date == dt.date(2023, 6, 14)
        assert data.card_number == draft.get("card_number") and data.card_issued_by_system
        assert (data.street, data.house_number, data.place) == ("Kruisakkers", 41, "ANNEN")
        assert data.address_verified and data.region == "Drenthe"
        assert data.direct_debit and data.iban == IBAN
        assert data.id_checked and not data.use_login
        assert data.email == "k.kruisman@example.nl" and data.newsletter
        assert data.selection == "BOEKSTART"
        assert data.loan_history and data.notify_loaned_before
        assert (data.channel, data.language) == ("post", "en")
        assert data.guardian == privacy.GuardianInput("", "J. van Kruisman", "vader",
                                                      "0592 654321", "j.kruisman@example.nl")
        assert service.display_name(draft) == "K. van Kruisman"
        # and on to a customer with all of it
        assert service.finish_customer_step(draft, duplicates_seen=True) == STEP_SUBSCRIPTION
        tariff = next(c.code for c in service.tariff_choices(draft) if c.allowed)
        customer_id = service.register(draft, tariff).customer_id
        assert tuple(db.one(
            "SELECT id_checked, use_login, newsletter, selection, loan_history,"
            " notify_loaned_before FROM customers WHERE id = ?", (customer_id,))) == \
            (1, 0, 1, "BOEKSTART", 1, 1)
        [guardian] = privacy.guardians(db, customer_id)
        assert (guardian.relation, guardian.email) == ("vader", "j.kruisman@example.nl")
        assert privacy.preferences(db, customer_id)["contributie"] == \
            privacy.Preference("post", "en")
        # a draft registered before the upgrade still says Sepa incasso was ticked (a second
        # F10 on it goes on to the mandate step)
        db.execute("UPDATE registration_drafts SET customer_id = ? WHERE id = ?",
                   (customer_id, done_id))
        assert service.registered(Draft(done_id, "klaar", {}, staff.branch_code)).direct_debit
    finally:
        db.close()


async def test_a_migrated_draft_resumes_whole_on_the_screen(old, config, clock):
    path, draft_id, _done, _emptied, staff = old
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
            texts = {name: screen.query_one(f"#f-{name}", Input).value for name in (
                "card_number", "first_name", "birth_date", "guardian_relation",
                "guardian_name", "guardian_phone", "guardian_email", "house_number", "street",
                "place", "iban", "email", "selection")}
            assert texts == {
                "card_number": screen.draft.get("card_number"), "first_name": "Kim",
                "birth_date": "14-06-2023", "guardian_relation": "vader",
                "guardian_name": "J. van Kruisman", "guardian_phone": "0592 654321",
                "guardian_email": "j.kruisman@example.nl", "house_number": "41",
                "street": "Kruisakkers", "place": "ANNEN", "iban": IBAN,
                "email": "k.kruisman@example.nl", "selection": "Boekstart"}
            assert texts["card_number"].startswith("29401")
            choices = {name: screen.query_one(f"#f-{name}", Choice).value for name in (
                "gender", "id_checked", "use_login", "loan_history", "notify_loaned_before",
                "channel", "language")}
            assert choices == {"gender": "V", "id_checked": "Ja", "use_login": "Nee",
                               "loan_history": "Ja", "notify_loaned_before": "Ja",
                               "channel": "post", "language": "en"}
            toggles = {name: screen.query_one(f"#f-{name}", Toggle).value
                       for name in ("direct_debit", "no_email", "newsletter")}
            assert toggles == {"direct_debit": True, "no_email": False, "newsletter": True}
            # the ouder/verzorger rows are shown for the child, with what was typed
            assert all(screen.query_one(f"#row-{name}").display for name in (
                "guardian_card", "guardian_relation", "guardian_name", "guardian_phone"))
    finally:
        db.close()
