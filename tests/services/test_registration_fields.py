"""Issue 16: one field table for the wizard and the record. Each test here failed before the
table: the wizard and the record checked the same field in two different ways."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.services import customers as record
from tui_desk.services.registration import RegistrationService, StepIncomplete
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

MANUAL = {
    "initials": "A", "prefix": "van der", "surname": "Test",
    "birth_date": "1 januari 1991", "country": "Nederland", "postcode": "9468 BG",
    "house_number": "41", "gender": "V", "email": "a.test@example.nl", "inlogaccount": "Nee",
}


@pytest.fixture
def service(db, clock, config):
    load_tariffs(db)
    load_postcodes(db)
    return RegistrationService(db, clock, make_staff(db), config)


def step_1(service, **values):
    draft = service.start()
    service.issue_card(draft)
    for name, value in MANUAL.items():
        service.set(draft, name, value)
    service.lookup_address(draft)
    for name, value in values.items():
        service.set(draft, name, value)
    return draft


def test_a_street_with_control_characters_is_refused_at_registration(service):
    draft = step_1(service, street="Kruis\x07\x08\x7fakkers")
    assert "onzichtbaar" in service.check(draft, "street")
    with pytest.raises(StepIncomplete) as caught:
        service.customer_data(draft)
    assert set(caught.value.errors) == {"street"}


def test_a_street_is_limited_as_on_the_record(service):
    draft = step_1(service, street="K" * 81)
    assert "maximaal 80" in service.check(draft, "street")


def test_plaats_takes_no_more_than_60_characters(service):
    draft = step_1(service, place="A" * 10_000)
    assert "maximaal 60" in service.check(draft, "place")
    with pytest.raises(StepIncomplete):
        service.customer_data(draft)


def test_a_toevoeging_in_its_own_field_is_checked(service):
    draft = step_1(service, house_suffix="[@click=app.quit]B[/]")
    assert service.check(draft, "house_suffix")
    with pytest.raises(StepIncomplete) as caught:
        service.customer_data(draft)
    assert set(caught.value.errors) == {"house_suffix"}
    service.set(draft, "house_suffix", "b-2")
    assert service.customer_data(draft).house_suffix == "B-2"


def test_plaats_is_stored_in_capitals_on_the_record_as_at_registration(db, clock, service):
    draft = step_1(service, street="Dorpsstraat", place="Annen")
    assert service.customer_data(draft).place == "ANNEN"
    customer_id = service.register(draft, "0045").customer_id
    changed = record.update_naw(db, clock, None, customer_id, {"place": "Gieten"})
    assert changed.address.place == "GIETEN"


def test_a_street_typed_over_the_postcode_tables_is_no_longer_verified(service, db):
    draft = step_1(service)
    assert service.address_verified(draft)
    service.set(draft, "street", "Kruisakkers")  # the same text: still verified
    assert service.address_verified(draft)
    service.set(draft, "street", "Andere straat")
    assert not service.address_verified(draft)
    customer_id = service.register(draft, "0045").customer_id
    assert db.scalar("SELECT verified FROM addresses WHERE customer_id = ?",
                     (customer_id,)) == 0


def test_an_address_edited_on_the_record_is_no_longer_verified(service, db, clock):
    customer_id = service.register(step_1(service), "0045").customer_id
    assert db.scalar("SELECT verified FROM addresses WHERE customer_id = ?",
                     (customer_id,)) == 1
    record.update_naw(db, clock, None, customer_id, {"street": "Andere straat"})
    assert db.scalar("SELECT verified FROM addresses WHERE customer_id = ?",
                     (customer_id,)) == 0


def test_the_record_refuses_a_toevoeging_and_plaats_as_the_wizard_does(service, db, clock):
    customer_id = service.register(step_1(service), "0045").customer_id
    with pytest.raises(record.ValidationErrors) as caught:
        record.update_naw(db, clock, None, customer_id, {
            "house_suffix": "[@click=app.quit]B[/]", "place": "A" * 61,
            "street": "Kruis\x07\x08\x7fakkers"})
    assert set(caught.value.errors) == {"house_suffix", "place", "street"}
