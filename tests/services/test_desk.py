"""The desk session: whose registration drafts are offered where."""

from __future__ import annotations

from tests.factories import make_staff
from tui_desk.services import desk as desk_module
from tui_desk.services.desk import Desk, session_key
from tui_desk.services.registration import RegistrationService

SSH = "10.0.0.5 51000 10.0.0.1 22"


def test_the_session_is_the_login_and_the_ssh_client_address_not_the_port_or_pty():
    first = session_key("oefen", {"SSH_CONNECTION": SSH, "SSH_TTY": "/dev/pts/3"})
    # the line dropped; the same thin terminal logs in again: new port, new pseudo-terminal
    again = session_key("oefen", {"SSH_CONNECTION": "10.0.0.5 51877 10.0.0.1 22",
                                  "SSH_TTY": "/dev/pts/9"})
    assert first == again == "oefen@10.0.0.5"
    assert session_key("oefen", {"SSH_CONNECTION": "10.0.0.6 51000 10.0.0.1 22"}) != first
    assert session_key("oefen", {"SSH_CLIENT": "10.0.0.7 40000 22"}) == "oefen@10.0.0.7"


def test_without_ssh_the_terminal_name_or_lokaal():
    assert session_key("balie", {}, "/dev/tty2") == "balie@/dev/tty2"
    assert session_key(None, {"TUI_DESK_LOGIN": "piet"}, None) == "piet@lokaal"
    assert session_key(None, {"USER": "root"}, None) == "root@lokaal"


def test_the_desks_session_comes_from_the_environment(db, config, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    desk = Desk(config=config, db=db, demo=True, login="oefen")
    assert desk.session == "oefen@10.0.0.5"
    monkeypatch.delenv("SSH_CONNECTION")
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.setattr(desk_module, "terminal_name", lambda: "/dev/tty3")
    assert desk.session == "oefen@/dev/tty3"


def test_the_resume_offer_is_per_session_in_the_demo_and_per_person_in_production(
        db, clock, config, monkeypatch):
    balie = make_staff(db)
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    mine = RegistrationService(db, clock, balie, session="oefen@10.0.0.5").start()
    theirs = RegistrationService(db, clock, balie, session="oefen@10.0.0.6").start()
    demo = Desk(config=config, db=db, demo=True, clock=clock, staff=balie, login="oefen")
    assert [d.id for d in demo.open_registrations()] == [mine.id]
    production = Desk(config=config, db=db, demo=False, clock=clock, staff=balie,
                      login="oefen")
    assert {d.id for d in production.open_registrations()} == {mine.id, theirs.id}
    assert Desk(config=config, db=db, demo=True).open_registrations() == []
