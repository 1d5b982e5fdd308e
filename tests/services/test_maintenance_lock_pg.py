"""Maintenance on two servers sharing one PostgreSQL database (issue 17): the lock is an
advisory lock in the database, so a second run, from any server, exits cleanly."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tui_desk.cli import main
from tui_desk.services.maintenance import maintenance_lock
from tui_desk.store.db import open_database
from tui_desk.store.lock import AlreadyRunning

RUN = textwrap.dedent("""
    import pathlib, sys, time
    from tui_desk.services.maintenance import AlreadyRunning, maintenance_lock
    from tui_desk.store.db import open_database

    url, barrier, me = sys.argv[1:4]
    folder = pathlib.Path(barrier)

    def wait_for(pattern, count):
        deadline = time.monotonic() + 60
        while len(list(folder.glob(pattern))) < count:
            if time.monotonic() > deadline:
                sys.exit(f"{me}: timed out waiting for {pattern}")
            time.sleep(0.01)

    db = open_database(url, environment="production", create=False)
    (folder / f"ready-{me}").touch()
    wait_for("ready-*", 2)                 # both start at once
    try:
        with maintenance_lock(db):
            (folder / f"ran-{me}").touch()
            wait_for("skipped-*", 1)       # hold it until the other one has tried
    except AlreadyRunning as exc:
        (folder / f"skipped-{me}").touch()
        print(exc)
    db.close()
""")


# Two Python processes start (a few seconds on a loaded machine): the point of the test.
def test_two_maintenance_runs_started_at_once_on_postgresql_run_once(pg_empty, tmp_path):
    open_database(pg_empty, environment="production").close()
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    runs = [subprocess.Popen([sys.executable, "-c", RUN, pg_empty, str(barrier), name],
                             stdout=subprocess.PIPE, text=True) for name in ("a", "b")]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert len(list(barrier.glob("ran-*"))) == 1
    assert len(list(barrier.glob("skipped-*"))) == 1
    said = "".join(outputs)
    assert said.startswith("Onderhoud loopt al (databaseproces ")
    assert "deze keer overgeslagen" in said


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[library]\nname = "Bibliotheek Test"\n'
                    '[[branches]]\ncode = "9401"\nname = "Annen"\n', encoding="utf-8")
    return path


def test_the_command_skips_while_another_server_holds_the_lock(pg_empty, config_file,
                                                               capsys):
    argv = ["--config", str(config_file), "--db", pg_empty, "maintenance"]
    other = open_database(pg_empty, environment="production")
    try:
        with maintenance_lock(other):
            assert main(argv) == 0
            out = capsys.readouterr().out
            assert out.startswith("Onderhoud loopt al (databaseproces ")
            assert "deze keer overgeslagen" in out
        # Released at the end of the block: the next run gets it.
        with maintenance_lock(other):
            pass
    finally:
        other.close()


def test_a_lost_session_releases_the_lock(pg_empty):
    first = open_database(pg_empty, environment="demo")
    second = open_database(pg_empty, environment="demo")
    try:
        lock = maintenance_lock(first)
        lock.__enter__()
        try:
            with maintenance_lock(second):
                raise AssertionError("taken twice")
        except AlreadyRunning:
            pass
        first.close()                   # the process died: the server ends its session
        with maintenance_lock(second):
            pass
    finally:
        second.close()
