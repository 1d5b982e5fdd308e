"""A terminal that goes away ends the session, and what was typed is kept.

The line drops (``tmux kill-server``: the terminal's master side closes) while a name is being
typed in step 1, before the draft's once-a-second save. However the program was started, it
stores the draft and ends within its busy wait; nothing keeps running:

- started directly (``exec``: the program is the terminal's session leader, the kernel sends it
  SIGHUP);
- under a parent process, as ``make demo`` does (the parent is the session leader and gets the
  SIGHUP; the program only reads end-of-file from its terminal). Before, Textual's input loop
  read that end-of-file ten thousand times a second for ever, at 100 % CPU;
- over SSH through the shipped wrapper (sshd closes the terminal when the client goes).

Each test finds the program by its database path (unique to the test) and waits for the process
to be gone, then reads the draft from the database.
"""

from __future__ import annotations

import os
import shlex
import signal
import sqlite3
import sys
import time
from pathlib import Path

from tests.terminal.conftest import TRAINEE, sandbox_of
from tests.terminal.test_kill import wait_dead
from tests.terminal.tmux import Tmux

NAME = "Opgehangen"
# The busy wait (10 s) plus the ending's slack, and a loaded machine's start-up of Python.
GONE_WITHIN = 30.0


def program_pids(database: Path) -> list[int]:
    """The running ``python -m tui_desk`` processes that use ``database``."""
    wanted = str(database).encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                argv = file.read().split(b"\0")
        except OSError:
            continue
        if os.path.basename(argv[0]).startswith(b"python") and b"tui_desk" in argv \
                and wanted in argv:
            found.append(int(entry))
    return found


def the_program(database: Path, timeout: float = 30.0) -> int:
    end = time.monotonic() + timeout
    while True:
        pids = program_pids(database)
        if len(pids) == 1:
            return pids[0]
        assert time.monotonic() < end, f"program not found (or more than one): {pids}"
        time.sleep(0.05)


def type_a_name_in_step_1(term: Tmux) -> None:
    """Step 1 up to Achternaam, and the name typed there (the field keeps the focus: only the
    timed save, a second later, would store it)."""
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.type("V")
    term.keys("Enter")                     # Klantnummer: the next free card
    term.wait_for("Nieuw pasnummer uitgegeven")
    term.type("A")
    term.keys("Enter", "Enter")            # Voorletters, Voorvoegsel
    term.type(NAME)
    term.wait_for(NAME)


def drafts_with(path: Path, text: str) -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT count(*) FROM registration_drafts WHERE data LIKE ?",
                           (f"%{text}%",)).fetchone()[0]
    finally:
        raw.close()


def assert_kept_and_released(path: Path) -> None:
    assert drafts_with(path, NAME) == 1
    raw = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.execute("BEGIN IMMEDIATE")     # no lock left behind
        raw.execute("ROLLBACK")
    finally:
        raw.close()


def hang_up(term: Tmux, pid: int) -> None:
    try:
        term.close()                       # tmux kill-server: the line drops
        wait_dead(pid, timeout=GONE_WITHIN)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)   # a test that failed leaves nothing running
        except ProcessLookupError:
            pass


def test_started_directly_the_hangup_keeps_the_typed_name_and_ends(demo_terminal, tmp_path):
    term = demo_terminal()
    term.wait_for("OEFENOMGEVING", timeout=30)
    pid = the_program(tmp_path / "demo.sqlite3")
    type_a_name_in_step_1(term)
    hang_up(term, pid)
    assert_kept_and_released(sandbox_of(tmp_path))


def test_started_under_a_parent_like_make_the_hangup_ends_the_program(tmp_path):
    """The parent (here a shell that waits, as make does) is the session leader: the program
    itself gets no SIGHUP, only end-of-file from its terminal."""
    database = tmp_path / "demo.sqlite3"
    status = tmp_path / "status"
    program = [sys.executable, "-m", "tui_desk", "--demo", "--db", str(database)]
    # ``trap "" HUP``: the shell outlives the hang-up, as make does, and writes the status.
    script = f'trap "" HUP; "$@"; echo $? > {shlex.quote(str(status))}'
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "TUI_DESK_LOGIN": TRAINEE,
           "ESCDELAY": "25"}
    term = Tmux(["sh", "-c", script, "sh", *program], env=env)
    try:
        term.wait_for("OEFENOMGEVING", timeout=30)
        pid = the_program(database)
        assert os.getsid(pid) != pid       # not the session leader: no SIGHUP for it
        type_a_name_in_step_1(term)
    except BaseException:
        term.close()
        raise
    hang_up(term, pid)
    assert_kept_and_released(sandbox_of(tmp_path))
    end = time.monotonic() + 10
    while not status.exists() or not status.read_text().strip():
        assert time.monotonic() < end, "the parent never saw the program end"
        time.sleep(0.05)
    assert status.read_text().strip() == "129"   # 128 + SIGHUP: the terminal went away


def test_over_ssh_a_dropped_connection_keeps_the_typed_name_and_ends(private_sshd, ssh_session):
    _server, session = private_sshd
    term = ssh_session.terminal
    pid = the_program(session / "demo.sqlite3")   # the wrapper's --db
    type_a_name_in_step_1(term)
    hang_up(term, pid)
    assert_kept_and_released(ssh_session.demo_db)
