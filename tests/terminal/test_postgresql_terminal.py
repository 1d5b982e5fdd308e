"""The manual's search and a registration in a real terminal against PostgreSQL (issue 17):
the training database is moved with ``tui-desk db copy`` to a database of the test cluster,
made a production database for the occasion (its environment marker; the counter program opens
only production databases from ``[database] url``), and tui-desk starts against it with a
configuration file holding ``[database] url``."""

from __future__ import annotations

import shutil
import sys

import psycopg
import pytest

from tests.terminal.test_registration_terminal import type_step_1
from tests.terminal.tmux import Tmux
from tests.terminal.wizard_steps import past_the_duplicates
from tui_desk.config import demo_config
from tui_desk.services.copy import copy_to_postgresql

LOGIN = "clerk-pg"


@pytest.fixture
def pg_terminal(tmp_path, demo_template, pg_empty):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the real-terminal tests (apt-get install tmux)")
    copy_to_postgresql(demo_template, pg_empty)
    with psycopg.connect(pg_empty, autocommit=True) as conn:
        conn.execute("UPDATE settings SET value = 'production' WHERE key = 'environment'")
        conn.execute("UPDATE staff SET login = %s WHERE username = %s",
                     (LOGIN, demo_config().demo_auto_sign_in))
    from importlib.resources import files

    text = files("tui_desk.data").joinpath("demo-config.toml").read_text(encoding="utf-8")
    text = text.replace('auto_sign_in = "balie"', "")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{pg_empty}"\n\n' + text, encoding="utf-8")
    config.chmod(0o600)
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "TUI_DESK_LOGIN": LOGIN,
           "ESCDELAY": "25"}
    terminal = Tmux([sys.executable, "-m", "tui_desk", "--config", str(config)], env=env)
    try:
        yield terminal, pg_empty
    finally:
        terminal.close()


def test_the_manuals_search_and_a_registration_on_postgresql(pg_terminal):
    term, url = pg_terminal
    term.wait_for("Zoek klant", timeout=60)
    term.keys("M-z")
    term.wait_for("pasnummer, achternaam")
    term.type("29401000075801")
    term.keys("Enter")
    screen = term.wait_for("Mw. A. van de Test", timeout=30)   # one hit: the record opens
    assert "29401000075801 [" in screen
    term.keys("Escape")
    term.wait_gone("Mw. A. van de Test")
    term.keys("M-z")
    term.wait_for("pasnummer, achternaam")
    term.keys("C-u")
    term.type("Test")
    term.keys("Enter")
    screen = term.wait_for("Mw. A. van de Test", timeout=30)
    assert "Kruisakkers 41" in screen
    term.keys("Escape")
    type_step_1(term, surname="Postgres", birth="02-02-1992", login="Nee", email="")
    term.wait_for("Let op: zonder inlogaccount kan de klant")
    past_the_duplicates(term)
    term.keys("F10")
    term.wait_for("Klant ingeschreven")
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT k.number FROM customers c JOIN cards k "
                           "ON k.customer_id = c.id WHERE c.surname = 'Postgres'").fetchone()
    assert row is not None and row[0].startswith("2940")
