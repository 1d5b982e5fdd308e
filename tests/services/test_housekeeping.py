"""Drafts hold personal data: they are removed after ``[privacy] drafts_retention_hours``."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.config import ConfigError, demo_config, load_file
from tui_desk.services.housekeeping import purge_drafts
from tui_desk.services.registration import RegistrationService
from tui_desk.store import drafts as draft_store


@pytest.fixture
def service(db, clock):
    return RegistrationService(db, clock, make_staff(db))


def typed(service, surname: str):
    draft = service.start()
    service.set(draft, "surname", surname)
    service.set(draft, "iban", "NL91ABNA0417164300")
    return draft


def test_drafts_untouched_for_the_retention_time_are_removed(db, clock, service):
    old = typed(service, "Oud")
    abandoned = typed(service, "Weg")
    service.abandon(abandoned)
    clock.advance(hours=50)
    recent = typed(service, "Recent")
    clock.advance(hours=1)
    service.set(old, "initials", "A")        # touched: the clock starts again
    clock.advance(hours=22, minutes=30)          # abandoned: 73.5 h; old: 22.5 h; recent: 23.5 h

    report = purge_drafts(db, clock, 72)
    assert report.removed == 1
    assert report.lines() == ["Onafgemaakte inschrijvingen verwijderd (ouder dan 72 uur): 1"]
    assert draft_store.get(db, abandoned.id) is None
    assert {d.id for d in service.open_drafts()} == {old.id, recent.id}

    clock.advance(hours=50)
    assert purge_drafts(db, clock, 72).removed == 2
    assert service.open_drafts() == []
    assert purge_drafts(db, clock, 72).removed == 0     # idempotent
    assert purge_drafts(db, clock, 72).lines() == []


def test_a_reserved_card_number_stays_reserved_after_its_draft_is_gone(db, clock, service):
    draft = service.start()
    number = service.issue_card(draft)
    clock.advance(hours=100)
    assert purge_drafts(db, clock).removed == 1
    assert draft_store.card_number_taken(db, number)
    assert draft_store.reservation_owner(db, number) is None


def test_retention_comes_from_the_privacy_section(tmp_path):
    assert demo_config().privacy.drafts_retention_hours == 72
    base = '[library]\nname = "B"\n[[branches]]\ncode = "9401"\nname = "Annen"\n'
    path = tmp_path / "config.toml"
    path.write_text(base + "[privacy]\ndrafts_retention_hours = 24\n")
    assert load_file(path).privacy.drafts_retention_hours == 24
    path.write_text(base + "[privacy]\ndrafts_retention_hours = 0\n")
    with pytest.raises(ConfigError, match="privacy.drafts_retention_hours"):
        load_file(path)
    path.write_text(base + '[privacy]\ndrafts_retention_hours = "3 dagen"\n')
    with pytest.raises(ConfigError, match="whole number"):
        load_file(path)


def test_hours_must_be_positive(db, clock):
    with pytest.raises(ValueError):
        purge_drafts(db, clock, 0)
