"""Step 1 of the registration, driven without a screen, as the manual describes it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tests.factories import make_customer, make_staff
from tui_desk.rules import cards
from tui_desk.services.registration import (
    STEP_LOGIN,
    STEP_SUBSCRIPTION,
    DuplicatesFound,
    RegistrationService,
    StepIncomplete,
)
from tui_desk.store import drafts as draft_store
from tui_desk.store.db import open_database
from tui_desk.store.postcodes import load_postcodes

MANUAL = {
    "initials": "A",
    "prefix": "van der",
    "surname": "Test",
    "birth_date": "1 januari 1991",
    "country": "Nederland",
    "postcode": "9468 BG",
    "house_number": "41",
    "gender": "V",
    "email": "a.test@example.nl",
}


@pytest.fixture
def service(db, clock):
    load_postcodes(db)
    staff = make_staff(db)
    return RegistrationService(db, clock, staff)


def fill(service, draft, values):
    messages = {}
    for name, value in values.items():
        message = service.set(draft, name, value)
        if message:
            messages[name] = message
    return messages


def test_the_manuals_customer_passes_step_1_and_goes_to_the_login_step(service):
    draft = service.start()
    service.issue_card(draft)
    assert fill(service, draft, MANUAL) == {}
    found = service.lookup_address(draft)
    assert (found.found, found.street, found.place) == (True, "Kruisakkers", "ANNEN")
    data = service.customer_data(draft)
    assert (data.initials, data.prefix, data.surname) == ("A.", "van der", "Test")
    assert data.birth_date == dt.date(1991, 1, 1)
    assert (data.postcode, data.house_number, data.street, data.place) == (
        "9468 BG", 41, "Kruisakkers", "ANNEN")
    assert data.address_verified
    assert service.finish_customer_step(draft) == STEP_LOGIN


def test_missing_fields_are_named_and_nothing_typed_is_lost(service, db):
    draft = service.start()
    fill(service, draft, {"surname": "Test", "postcode": "1234 SS"})
    with pytest.raises(StepIncomplete) as err:
        service.finish_customer_step(draft)
    problems = err.value.errors
    assert problems["kaart"] == "Klantnummer is verplicht."
    assert "SS" in problems["postcode"]
    assert "birth_date" in problems
    again = service.resume(draft.id)
    assert again.values["postcode"] == "1234 SS"
    assert again.values["surname"] == "Test"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("birth_date", "31-02-2000", "bestaat niet"),
        ("iban", "NL91ABNA0417164301", "controlegetal"),
        ("sms", "088 012 82 95", "mobiel"),
        ("kaart", "29401000075802", "controlecijfer"),
        ("kaart", "29999000075804", "Vestigingscode"),
    ],
)
def test_wrong_input_gets_a_dutch_message_at_the_field(service, field, value, fragment):
    draft = service.start()
    message = service.set(draft, field, value)
    assert message and fragment in message
    assert service.resume(draft.id).values[field] == value


def test_a_card_already_issued_is_refused(service, db):
    make_customer(db, card="29401000075801")
    draft = service.start()
    assert "al uitgegeven" in service.set(draft, "kaart", "29401000075801")


def test_v_issues_the_next_free_number_of_the_branch(service, db):
    taken = cards.make("9401", 1).number
    make_customer(db, card=taken)
    draft = service.start()
    number = service.issue_card(draft)
    assert number == cards.make("9401", 2).number
    assert service.check(draft, "kaart") is None
    other = service.start()
    assert service.issue_card(other) == cards.make("9401", 3).number
    # the reserved number cannot be typed into another registration
    assert "al uitgegeven" in service.set(other, "kaart", number)


def test_v_at_two_counters_at_once_gives_different_numbers(tmp_path, config, clock):
    from tui_desk.store.branches import sync_branches

    path = tmp_path / "shared.sqlite3"
    first = open_database(path, environment="demo")
    sync_branches(first, config)
    staff = make_staff(first)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def counter() -> None:
        try:
            db = open_database(path, environment="demo")
            service = RegistrationService(db, clock, staff)
            for _ in range(10):
                numbers.append(service.issue_card(service.start()))
            db.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=counter) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(numbers) == 40 and len(set(numbers)) == 40


def test_institution_gets_1980_birth_date_and_no_initials(service):
    draft = service.start()
    service.issue_card(draft)
    fill(service, draft, {"gender": "I", "surname": "OBS De Regenboog",
                          "postcode": "9468 BG", "house_number": "41", "email_leeg": "Ja",
                          "inlogaccount": "Nee", "initials": ""})
    service.lookup_address(draft)
    data = service.customer_data(draft)
    assert data.birth_date == dt.date(1980, 1, 1)
    assert data.kind == "institution"


def test_roepnaam_is_required_for_youth_only(service):
    draft = service.start()
    fill(service, draft, {"birth_date": "01-06-2015"})
    assert "first_name" in service.required(draft)
    fill(service, draft, {"birth_date": "01-06-1990"})
    assert "first_name" not in service.required(draft)


def test_unknown_address_stays_editable_and_is_marked_not_checked(service):
    draft = service.start()
    service.issue_card(draft)
    fill(service, draft, MANUAL | {"postcode": "1011 AB", "house_number": "1",
                                   "street": "Handgetypt", "place": "Amsterdam"})
    assert service.lookup_address(draft).found is False
    data = service.customer_data(draft)
    assert not data.address_verified
    assert data.street == "Handgetypt"
    assert any("niet gecontroleerd" in w for w in data.warnings)


def test_foreign_address_skips_the_dutch_postcode_rule(service):
    draft = service.start()
    service.issue_card(draft)
    fill(service, draft, MANUAL | {"country": "Duitsland", "postcode": "26789", "house_number": "3",
                                   "street": "Hauptstraße", "place": "Leer"})
    data = service.customer_data(draft)
    assert (data.country, data.postcode) == ("DE", "26789")


def test_bic_is_asked_for_a_foreign_iban_only(service):
    draft = service.start()
    fill(service, draft, {"incasso": "Ja", "iban": "NL91ABNA0417164300"})
    assert not service.bic_asked(draft)
    fill(service, draft, {"iban": "BE68539007547034"})
    assert service.bic_asked(draft)
    assert "bic" in service.required(draft)


def test_no_login_account_without_email(service):
    draft = service.start()
    service.issue_card(draft)
    fill(service, draft, MANUAL | {"email": "", "email_leeg": "Ja"})
    with pytest.raises(StepIncomplete) as err:
        service.customer_data(draft)
    assert "inlogaccount" in err.value.errors
    fill(service, draft, {"inlogaccount": "Nee"})
    service.lookup_address(draft)
    assert service.finish_customer_step(draft) == STEP_SUBSCRIPTION


# -- duplicates ------------------------------------------------------------------------------
def _register_draft(service, **values):
    draft = service.start()
    service.issue_card(draft)
    fill(service, draft, MANUAL | values)
    service.lookup_address(draft)
    return draft


def test_v_d_test_is_found_when_van_der_test_exists(service, db):
    make_customer(db, initials="A.", prefix="van der", surname="Test", gender="V",
                  birth_date="1991-01-01", address={"postcode": "9401 AA", "house_number": 3})
    draft = _register_draft(service, prefix="v.d.")
    with pytest.raises(DuplicatesFound) as found:
        service.finish_customer_step(draft)
    [candidate] = found.value.candidates
    assert candidate.name == "Mw. A. van der Test"
    assert candidate.reason == "zelfde geboortedatum en achternaam"
    # "toch nieuwe klant": go on
    assert service.finish_customer_step(draft, duplicates_seen=True) == STEP_LOGIN


def test_janssen_is_found_for_jansen_with_the_same_birth_date(service, db):
    make_customer(db, surname="Janssen", birth_date="1991-01-01",
                  address={"postcode": "9401 AA", "house_number": 3})
    draft = _register_draft(service, prefix="", surname="Jansen")
    [candidate] = service.duplicates(draft)
    assert "lijkt erop" in candidate.reason


def test_same_common_surname_with_other_birth_date_is_not_flagged(service, db):
    make_customer(db, surname="Jansen", birth_date="1975-03-03",
                  address={"postcode": "9401 AA", "house_number": 3})
    draft = _register_draft(service, prefix="", surname="Jansen")
    assert service.duplicates(draft) == []


def test_same_address_and_initials_is_flagged(service, db):
    make_customer(db, initials="A.", prefix="van der", surname="Tets", birth_date="1990-02-02",
                  address={"postcode": "9468 BG", "house_number": 41, "street": "Kruisakkers"})
    draft = _register_draft(service)
    [candidate] = service.duplicates(draft)
    assert candidate.reason == "zelfde adres en voorletters"


# -- whose draft: the session (training database) --------------------------------------------------
def test_a_draft_records_the_session_that_started_it(db, clock):
    staff = make_staff(db)
    draft = RegistrationService(db, clock, staff, session="oefen@10.0.0.5").start()
    assert draft_store.get(db, draft.id).session == "oefen@10.0.0.5"
    plain = RegistrationService(db, clock, staff).start()
    assert draft_store.get(db, plain.id).session is None


def test_in_the_training_database_only_this_sessions_drafts_are_offered(db, clock):
    balie = make_staff(db)                          # every trainee signs in as this one
    mine = RegistrationService(db, clock, balie, session="oefen@10.0.0.5").start()
    theirs = RegistrationService(db, clock, balie, session="oefen@10.0.0.6").start()
    unknown = RegistrationService(db, clock, balie).start()      # no session recorded
    offered = RegistrationService(db, clock, balie, session="oefen@10.0.0.5").open_drafts()
    assert {d.id for d in offered} == {mine.id, unknown.id}
    assert theirs.id not in {d.id for d in offered}
    # after a dropped line the same terminal logs in again: the same session key
    again = RegistrationService(db, clock, balie, session="oefen@10.0.0.5").open_drafts()
    assert mine.id in {d.id for d in again}


def test_in_production_a_staff_members_drafts_are_offered_at_any_counter(tmp_path, clock,
                                                                          config):
    from tui_desk.store.branches import sync_branches

    prod = open_database(tmp_path / "prod.sqlite3", environment="production")
    sync_branches(prod, config)
    try:
        jan = make_staff(prod)
        here = RegistrationService(prod, clock, jan, session="jan@10.0.0.5").start()
        there = RegistrationService(prod, clock, jan, session="jan@10.0.0.9").start()
        offered = RegistrationService(prod, clock, jan, session="jan@10.0.0.9").open_drafts()
        assert {d.id for d in offered} == {here.id, there.id}
    finally:
        prod.close()
