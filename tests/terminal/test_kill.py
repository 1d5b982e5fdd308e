"""A dropped line or a killed process at any step of the wizard loses nothing.

The program is killed (SIGKILL: nothing runs after it; SIGHUP: what a dropped SSH connection
sends) while a registration is at step 1, 2 or 3. Afterwards the database passes
``PRAGMA integrity_check``, no half customer exists, and the draft holds what was typed, so the
wizard resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import time

import pytest

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_registration_terminal import MANUAL_DAY, type_step_1
from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.services.registration import RegistrationService
from tui_desk.store import staff as staff_store
from tui_desk.store.db import open_database


def pane_pid(term) -> int:
    out = term._tmux("display-message", "-p", "-t", term.name, "#{pane_pid}")
    return int(out.stdout.strip())


def wait_dead(pid: int, timeout: float = 5.0) -> None:
    """Gone, or a zombie waiting for tmux to reap it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/status") as status:
                if any(line.startswith("State:") and "Z" in line for line in status):
                    return
        except FileNotFoundError:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still alive")


def wait_stored(path, text: str, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        raw = sqlite3.connect(path)
        try:
            found = raw.execute("SELECT count(*) FROM registration_drafts WHERE data LIKE ?",
                                (f"%{text}%",)).fetchone()[0]
        finally:
            raw.close()
        if found:
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} was not stored in the draft")


def walk_to(term, step: int) -> None:
    type_step_1(term, surname="Afgebroken", birth="05-05-1975", email="weg@example.nl")
    if step == 1:
        return
    term.keys("F10")
    term.wait_for("Inlogaccount (stap 2)")
    if step == 2:
        return
    term.keys("F10")
    term.wait_for("Opbouw abonnementskosten")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
@pytest.mark.parametrize("step", [1, 2, 3])
def test_killed_at_a_step_the_database_is_whole_and_the_draft_resumes(demo_terminal, tmp_path,
                                                                      step, sig):
    term = demo_terminal("--today", MANUAL_DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    path = sandbox_of(tmp_path)
    before = sqlite3.connect(path).execute("SELECT count(*) FROM customers").fetchone()[0]
    walk_to(term, step)
    # Step 1 stores the draft on leaving a field (and at most a second after a key): wait
    # until what was typed is stored, as a clerk's next key would find it.
    wait_stored(path, "weg@example.nl")
    pid = pane_pid(term)
    os.kill(pid, sig)
    wait_dead(pid)

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT count(*) FROM customers").fetchone()[0] == before
    assert raw.execute("SELECT count(*) FROM customers WHERE surname = 'Afgebroken'"
                       ).fetchone()[0] == 0
    raw.close()

    db = open_database(path, environment="demo")
    staff = staff_store.by_username(db, demo_config().demo_auto_sign_in)
    service = RegistrationService(db, FixedClock(dt.date.fromisoformat(MANUAL_DAY)), staff)
    [row] = [d for d in service.open_drafts() if d.data["values"].get("surname")
             == "Afgebroken"]
    draft = service.resume(row.id)
    assert draft.step == {1: "klantgegevens", 2: "inlogaccount", 3: "abonnement"}[step]
    assert draft.values["birth_date"] == "05-05-1975"
    assert draft.values["email"] == "weg@example.nl"
    assert draft.values["street"] == "Kruisakkers"
    db.close()
