"""End to end over a real OpenSSH server: log in as a counter would, work, sign out.

The login runs the shipped ForceCommand wrapper (deploy/tui-desk-wrapper), which starts the
program in a clean environment; the keys arrive through ssh and tmux as from a thin terminal.
Extend a flow from the ``ssh_session`` fixture (tests/terminal/sshd.py, registered in conftest:
logged in, main screen, OEFENOMGEVING) and end with F12.
"""

from __future__ import annotations

import time

from tests.terminal.sshd import ESCDELAY_MS
from tests.terminal.test_demo_terminal import assert_manual_header, zoek_klant


def wait_until_closed(session, timeout: float = 15.0) -> str:
    end = time.monotonic() + timeout
    while not session.terminal.exited():
        if time.monotonic() > end:
            raise AssertionError(f"the SSH session did not end:\n{session.terminal.screen()}")
        time.sleep(0.05)
    return session.terminal.screen()


def test_log_in_over_ssh_find_the_manuals_customer_and_sign_out(ssh_session):
    term = ssh_session.terminal
    screen = term.screen()
    assert "OEFENOMGEVING" in screen and "Klanten" in screen

    # Alt+Z over SSH: Zoek klant; the manual's card opens her record.
    assert_manual_header(zoek_klant(term, "29401000075801", "[381847]"))

    # F12 ends the session with the customer; F12 on the main screen signs out, and the SSH
    # connection closes with the program.
    term.keys("F12")
    term.wait_gone("[381847]")
    term.wait_for("Zoek klant")
    term.keys("F12")
    wait_until_closed(ssh_session)


def test_the_wrapper_gives_the_program_a_clean_known_environment(ssh_session):
    env = ssh_session.program_environment()
    assert env["TEXTUAL_COLOR_SYSTEM"] == "standard"
    assert env["ESCDELAY"] == ESCDELAY_MS
    assert env["TERM"] == "xterm-256color"           # what tmux told ssh, passed on
    assert env["TUI_DESK_LOGIN"] == ssh_session.server.user
    assert env["SSH_CONNECTION"].startswith("127.0.0.1 ")
    assert env["SSH_CONNECTION"].split()[3] == str(ssh_session.server.port)
    assert "TEXTUAL_LOG" not in env                   # set on the ForceCommand line: dropped
    assert not (ssh_session.env_file.parent / "textual.log").exists()
    assert env["LANG"] == "C.UTF-8"
    ssh_session.terminal.keys("F12")
    wait_until_closed(ssh_session)


def test_register_a_customer_over_ssh_and_sign_out(ssh_session):
    """The whole wizard through sshd: steps 1-3, settlement in cash, the record, F12."""
    import sqlite3

    from tests.terminal.test_registration_terminal import type_step_1
    from tests.terminal.wizard_steps import register_with

    term = ssh_session.terminal
    type_step_1(term, surname="Overssh", birth="07-07-1977", login="Nee", email="")
    term.keys("F10")
    term.wait_for("Abonnement (stap 3)")
    register_with(term, "0045")
    term.type("100")
    term.wait_for("Teruggave")
    term.keys("F10")
    term.wait_for("Afgerekend")
    term.wait_for("Kassabon — opdracht")
    term.keys("Escape")
    term.wait_gone("Kassabon — opdracht")
    term.keys("Enter")
    screen = term.wait_for("1.Klant")                 # the new customer's record
    assert "A. van der Overssh" in screen and "Basis" in screen
    raw = sqlite3.connect(ssh_session.demo_db)
    assert raw.execute("SELECT count(*) FROM customers WHERE surname = 'Overssh'"
                       ).fetchone()[0] == 1
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    term.keys("F12")
    term.wait_gone("A. van der Overssh")
    term.keys("F12")
    wait_until_closed(ssh_session)
