"""The customer record: loading, the header, NAW changes with their audit rows, notices."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tests.factories import MANUAL_CARD, make_customer, make_staff
from tui_desk.rules.money import format_cents
from tui_desk.services import customers as service
from tui_desk.services.search import search
from tui_desk.store import audit


@pytest.fixture
def staff(db):
    with db.transaction():
        return make_staff(db)


def test_the_manual_customer_loads_whole(db, manual):
    c = service.load(db, manual)
    assert c.full_name == "Mw. A. van de Test"
    assert c.card_number == MANUAL_CARD
    assert c.actor_id == 381847
    assert (c.branch_code, c.branch_name) == ("9401", "Annen")
    assert c.address.line1 == "Kruisakkers 41" and c.address.line2 == "9468 BG ANNEN"
    assert [p.status for p in c.periods][0] == "Gefactureerd"
    assert c.periods[0].label == "45-Basis"


def test_the_header_reads_as_in_the_manual(db, manual):
    c = service.load(db, manual)
    h = service.record_header(db, c, TODAY)
    assert h.tariff_name == "Basis"
    assert h.status_line == "Gefactureerd t/m April 2022"
    assert format_cents(h.contribution_cents) == "€ 52,00"
    assert h.age == 35
    assert h.active_cards == 1


def test_header_without_periods(db):
    with db.transaction():
        cid = make_customer(db)
    h = service.record_header(db, service.load(db, cid), TODAY)
    assert h.status_line == "Geen abonnement" and h.contribution_cents == 0


def test_the_header_shows_the_registered_open_amount_as_registratie(db, clock, config, staff):
    from tests.settlement_factories import new_lener
    from tui_desk.rules.settlement import PIN
    from tui_desk.services import settlement

    customer_id, ids = new_lener(db)
    h = service.record_header(db, service.load(db, customer_id), TODAY)
    assert (h.registration_cents, h.balance_cents) == (0, 0)   # open, not registered yet
    session = settlement.session(db, clock, staff, customer_id, invoice_ids=ids, config=config)
    session = settlement.pay(db, clock, staff, session, PIN, 2000).session
    settlement.register_open(db, clock, staff, session)
    h = service.record_header(db, service.load(db, customer_id), TODAY)
    assert format_cents(h.registration_cents) == "€ 32,00"
    assert h.registration_cents == settlement.open_amounts(db, customer_id).registered_cents
    assert h.balance_cents == 0          # Registreren does not touch the tegoed


def test_the_headers_tegoed_is_the_balance_plus_credit_beyond_what_is_owed(db):
    from tests.settlement_factories import make_invoice

    with db.transaction():
        cid = make_customer(db, balance_cents=500)
        make_invoice(db, cid, -2470, kind="creditnota", description="Creditering")
    h = service.record_header(db, service.load(db, cid), TODAY)
    assert h.balance_cents == 500 + 2470 and h.registration_cents == 0
    with db.transaction():
        make_invoice(db, cid, 5200)
    h = service.record_header(db, service.load(db, cid), TODAY)
    assert h.balance_cents == 500        # the credit note goes against the invoice


def test_an_unknown_customer_is_not_found(db):
    with pytest.raises(service.CustomerNotFound):
        service.load(db, 4242)


def test_naw_values_fill_the_form(db, manual):
    values = service.naw_values(service.load(db, manual))
    assert values["birth_date"] == "01-01-1991"
    assert values["postcode"] == "9468 BG"
    assert values["house_number"] == "41"
    assert values["phone"] == "088 012 8295"


def test_update_naw_saves_normalised_values_and_audits_only_the_changes(db, clock, staff,
                                                                        manual):
    c = service.update_naw(db, clock, staff, manual, {
        "surname": "Proef", "prefix": "v.d.", "initials": "a b", "birth_date": "2 februari 1992",
        "postcode": "9401aa", "house_number": "12a", "phone": "06-1234 5678",
        "email": "A.Test@Example.NL", "place": "ANNEN",  # place unchanged
    })
    assert (c.initials, c.prefix, c.surname) == ("A.B.", "van der", "Proef")
    assert c.birth_date == dt.date(1992, 2, 2)
    assert c.address.postcode == "9401 AA"
    assert (c.address.house_number, c.address.house_suffix) == (12, "A")
    assert c.phone == "+31612345678"
    assert c.email == "A.Test@example.nl"
    assert db.scalar("SELECT search_name FROM customers WHERE id = ?", (manual,)) == "proef"
    # The new name is found, the old one no longer.
    assert [h.customer_id for h in search(db, "van der Proef", TODAY).hits] == [manual]
    assert search(db, "Test", TODAY).hits == []

    entries = {e.entity: e for e in audit.for_customer(db, manual)}
    assert set(entries) == {"customer", "address"}
    person = entries["customer"]
    assert person.action == "update" and person.staff_name == "J. Balie"
    assert person.before == {"initials": "A.", "prefix": "van de", "surname": "Test",
                             "birth_date": "1991-01-01", "phone": "+31880128295",
                             "email": "info@bibliotheekannen.nl"}
    assert person.after == {"initials": "A.B.", "prefix": "van der", "surname": "Proef",
                            "birth_date": "1992-02-02", "phone": "+31612345678",
                            "email": "A.Test@example.nl"}
    address = entries["address"]
    assert address.before == {"postcode": "9468 BG", "house_number": 41, "house_suffix": ""}
    assert address.after == {"postcode": "9401 AA", "house_number": 12, "house_suffix": "A"}


def test_invalid_naw_input_saves_nothing_and_says_why_per_field(db, clock, staff, manual):
    with pytest.raises(service.ValidationErrors) as caught:
        service.update_naw(db, clock, staff, manual, {
            "surname": "", "postcode": "1234 SS", "birth_date": "31-02-1991",
            "email": "geen mail", "phone": "12", "initials": "Z", "street": "Nieuwe straat",
        })
    errors = caught.value.errors
    assert set(errors) == {"surname", "postcode", "birth_date", "email", "phone"}
    assert "achternaam" in errors["surname"].lower()
    assert "SS" in errors["postcode"]
    assert "bestaat niet" in errors["birth_date"]
    c = service.load(db, manual)
    assert (c.surname, c.initials, c.address.street) == ("Test", "A.", "Kruisakkers")
    assert audit.for_customer(db, manual) == []


def test_future_birth_date_and_control_characters_are_refused(db, clock, staff, manual):
    with pytest.raises(service.ValidationErrors) as caught:
        service.update_naw(db, clock, staff, manual, {"birth_date": "01-01-2030",
                                                      "street": "Kruis\x1b[2Jakkers"})
    assert set(caught.value.errors) == {"birth_date", "street"}


def test_an_unchanged_form_writes_nothing(db, clock, staff, manual):
    values = service.naw_values(service.load(db, manual))
    service.update_naw(db, clock, staff, manual, values)
    assert audit.for_customer(db, manual) == []


def test_an_address_is_created_when_there_was_none(db, clock, staff):
    with db.transaction():
        cid = make_customer(db, address=None)
    c = service.update_naw(db, clock, staff, cid, {"street": "Kruisakkers", "house_number": "41",
                                                   "postcode": "9468 BG", "place": "ANNEN"})
    assert c.address.line1 == "Kruisakkers 41"
    (entry,) = audit.for_customer(db, cid)
    assert (entry.entity, entry.action) == ("address", "insert")


def test_update_of_a_removed_customer(db, clock, staff):
    with pytest.raises(service.CustomerNotFound):
        service.update_naw(db, clock, staff, 999, {"surname": "X"})


# -- notices ----------------------------------------------------------------------------------
def test_four_notices_fit_a_fifth_is_refused(db, clock, staff, manual):
    for i in range(4):
        c = service.set_notice(db, clock, staff, manual, f"Melding {i + 1}")
    assert [n.slot for n in c.notices] == [1, 2, 3, 4]
    with pytest.raises(service.ValidationErrors) as caught:
        service.set_notice(db, clock, staff, manual, "Vijfde")
    assert "4 meldingen" in caught.value.errors["slot"]
    assert len(service.load(db, manual).notices) == 4


def test_a_notice_has_at_most_60_characters(db, clock, staff, manual):
    service.set_notice(db, clock, staff, manual, "x" * 60)
    with pytest.raises(service.ValidationErrors) as caught:
        service.set_notice(db, clock, staff, manual, "y" * 61)
    assert "60 tekens" in caught.value.errors["text"]
    with pytest.raises(service.ValidationErrors):
        service.set_notice(db, clock, staff, manual, "   ")
    assert [n.text for n in service.load(db, manual).notices] == ["x" * 60]


def test_notices_are_edited_deleted_and_audited(db, clock, staff, manual):
    service.set_notice(db, clock, staff, manual, "Pas kwijt gemeld", private=False)
    service.set_notice(db, clock, staff, manual, "Let op: adres controleren", private=True,
                       slot=1)
    c = service.load(db, manual)
    assert [(n.slot, n.text, n.private) for n in c.notices] == [
        (1, "Let op: adres controleren", True)]
    assert [n.text for n in service.private_notices(c)] == ["Let op: adres controleren"]
    c = service.delete_notice(db, clock, staff, manual, 1)
    assert c.notices == ()
    actions = [(e.action, e.before, e.after) for e in reversed(audit.for_customer(db, manual))]
    assert actions == [
        ("insert", {}, {"text": "Pas kwijt gemeld", "private": False}),
        ("update", {"text": "Pas kwijt gemeld", "private": False},
         {"text": "Let op: adres controleren", "private": True}),
        ("delete", {"text": "Let op: adres controleren", "private": True}, {}),
    ]


def test_a_freed_slot_is_used_again(db, clock, staff, manual):
    for i in range(3):
        service.set_notice(db, clock, staff, manual, f"M{i}")
    service.delete_notice(db, clock, staff, manual, 2)
    c = service.set_notice(db, clock, staff, manual, "Nieuw")
    assert [(n.slot, n.text) for n in c.notices] == [(1, "M0"), (2, "Nieuw"), (3, "M2")]


def test_unchanged_fields_are_not_checked_again(db, clock, staff):
    # Imported data the rules would refuse today does not block another change.
    with db.transaction():
        cid = make_customer(db, surname="[b]Test[/b]")
    values = service.naw_values(service.load(db, cid))
    c = service.update_naw(db, clock, staff, cid, {**values, "phone": "0592 123456"})
    assert (c.surname, c.phone) == ("[b]Test[/b]", "+31592123456")
    with pytest.raises(service.ValidationErrors) as caught:
        service.update_naw(db, clock, staff, cid, {**values, "surname": "[i]Test"})
    assert set(caught.value.errors) == {"surname"}
