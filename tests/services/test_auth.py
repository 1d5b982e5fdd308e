"""Sign-in: the SSH login maps to staff; otherwise username + PIN, with a limit on attempts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_staff
from tui_desk.rules.pins import hash_pin
from tui_desk.services.auth import MAX_ATTEMPTS, SignInError, sign_in, staff_for_login
from tui_desk.store import audit
from tui_desk.store import staff as staff_store


@pytest.fixture
def clerk(db):
    member = make_staff(db, username="jbalie", name="J. de Balie")
    staff_store.update(db, member.id, pin_hash=hash_pin("4321"), login="jan")
    return member


def test_the_ssh_login_maps_to_the_staff_member(db, clerk):
    assert staff_for_login(db, "jan").username == "jbalie"
    assert staff_for_login(db, "piet") is None


def test_right_pin_signs_in_and_is_audited(db, clock, clerk):
    staff = sign_in(db, clock, "jbalie", "4321")
    assert staff.name == "J. de Balie"
    row = db.one("SELECT action, staff_id FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (row["action"], row["staff_id"]) == ("sign_in", clerk.id)


def test_wrong_pin_says_so_without_telling_which_part_was_wrong(db, clock, clerk):
    with pytest.raises(SignInError, match="Gebruikersnaam of pincode onjuist. Nog 4"):
        sign_in(db, clock, "jbalie", "0000")
    with pytest.raises(SignInError, match="^Gebruikersnaam of pincode onjuist.$"):
        sign_in(db, clock, "niemand", "0000")


def test_too_many_wrong_pins_lock_the_account_for_a_while(db, clock, clerk):
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(SignInError):
            sign_in(db, clock, "jbalie", "0000")
    with pytest.raises(SignInError, match="geblokkeerd voor 15 minuten"):
        sign_in(db, clock, "jbalie", "0000")
    with pytest.raises(SignInError, match="geblokkeerd tot"):
        sign_in(db, clock, "jbalie", "4321")
    clock.advance(minutes=16)
    assert sign_in(db, clock, "jbalie", "4321").username == "jbalie"
    # a good sign-in resets the count
    with pytest.raises(SignInError, match="Nog 4"):
        sign_in(db, clock, "jbalie", "0000")


def test_failed_attempts_are_in_the_audit_log(db, clock, clerk):
    with pytest.raises(SignInError):
        sign_in(db, clock, "jbalie", "0000")
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'") == 1
    assert isinstance(audit.for_customer(db, 0), list)
    assert clock.now() >= dt.datetime(2026, 11, 28)
