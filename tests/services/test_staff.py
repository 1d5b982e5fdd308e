"""The staff rules of ``tui-desk staff``: roles, branch and PIN (services/staff)."""

from __future__ import annotations

import pytest

from tui_desk.services import staff
from tui_desk.services.auth import SignInError, sign_in
from tui_desk.services.staff import StaffError


def test_roles_must_be_known():
    assert staff.parse_roles("balie, beheer") == {"balie", "beheer"}
    for wrong in ("", " , ", "balie,kok"):
        with pytest.raises(StaffError, match="rollen moeten uit balie, educatie, beheer komen"):
            staff.parse_roles(wrong)


def test_add_checks_the_branch_and_stores_no_pin(db, clock, config):
    branch = config.branches[0].code
    with pytest.raises(StaffError, match="onbekende vestiging 0000"):
        staff.add(db, config, username="x", name="X", branch="0000", roles="balie", login=None)
    staff.add(db, config, username="jbalie", name="J. de Balie", branch=branch,
              roles="beheer,balie", login="jan")
    member = staff.member(db, "jbalie")
    assert member.roles == {"balie", "beheer"} and member.login == "jan"
    with pytest.raises(SignInError):
        sign_in(db, clock, "jbalie", "")


def test_a_pin_has_four_digits_or_more_and_signs_in(db, clock, config):
    staff.add(db, config, username="jbalie", name="J. de Balie",
              branch=config.branches[0].code, roles="balie", login=None)
    member = staff.member(db, "jbalie")
    for wrong in ("123", "12a4", ""):
        with pytest.raises(StaffError, match="minstens 4 cijfers"):
            staff.set_pin(db, member, wrong)
    with pytest.raises(StaffError, match="niet gelijk"):
        staff.check_repeated("1234", "1243")
    staff.set_pin(db, member, "4321")
    assert sign_in(db, clock, "jbalie", "4321").username == "jbalie"


def test_an_unknown_member_is_named(db):
    with pytest.raises(StaffError, match="onbekende medewerker 'niemand'"):
        staff.member(db, "niemand")
