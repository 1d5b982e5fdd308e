"""Issue 13, findings 8 and 9 at the command line: no raw traceback, one Dutch line and a
non-zero exit status for every failure; no stored text reaches the terminal with its escape
sequences."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys

import pytest

from tests.config_files import ANNEN, CREDITOR, LIBRARY, basis_tariff
from tui_desk import cli
from tui_desk.config import load_file
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import PRODUCTION, open_database

EVIL = "Evil\x1b[2J\x1b]0;x\x07"
CONFIG = LIBRARY + """
[database]
path = "prod.sqlite3"
""" + CREDITOR + ANNEN


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def one_dutch_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tui-desk: ")
    return lines[0]


def no_escapes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text)


# -- finding 9: no traceback -----------------------------------------------------------------------
def test_a_config_file_that_is_not_utf8(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_bytes(CONFIG.replace("Test", "T\xebst").encode("latin-1"))
    assert cli.main(["--config", str(path), "staff", "list"]) == 2
    line = one_dutch_line(capsys.readouterr().err)
    assert "not UTF-8" in line and str(path) in line


def test_an_unknown_key_stops_every_command(config_file, capsys):
    config_file.write_text(CONFIG.replace("[creditor]", "[creditr]"), encoding="utf-8")
    assert cli.main(["--config", str(config_file), "staff", "list"]) == 2
    line = one_dutch_line(capsys.readouterr().err)
    assert "`[creditr]`: onbekende sectie; bedoelt u `[creditor]`?" in line


def test_staff_add_with_a_username_that_exists(config_file, capsys):
    args = ["--config", str(config_file), "staff", "add", "jbalie", "--name", "J. de Balie",
            "--branch", "9401"]
    assert cli.main(args) == 0
    capsys.readouterr()
    assert cli.main(args) == 1
    line = one_dutch_line(capsys.readouterr().err)
    assert line == "tui-desk: Er is al een medewerker met deze gebruikersnaam."


def test_an_os_error_is_one_dutch_line(config_file, tmp_path, capsys):
    # The database's folder cannot be made: part of its path is a file.
    wrong = tmp_path / "config.toml" / "data" / "prod.sqlite3"
    assert cli.main(["--config", str(config_file), "--db", str(wrong), "staff", "list"]) == 1
    assert one_dutch_line(capsys.readouterr().err) == (
        f"tui-desk: {wrong.parent}: een deel van het pad is geen map.")


def test_an_unexpected_error_goes_to_the_log_not_the_terminal(config_file, tmp_path, capsys,
                                                              monkeypatch):
    def broken(cfg, args):
        customer = "Verhoeven NL91ABNA0417164300"  # a local: must not be logged
        raise RuntimeError(customer)

    monkeypatch.setattr(cli, "_staff_command", broken)
    monkeypatch.delenv("TUI_DESK_LOG", raising=False)
    assert cli.main(["--config", str(config_file), "staff", "list"]) == 1
    line = one_dutch_line(capsys.readouterr().err)
    log = tmp_path / "state" / "tui-desk" / "tui-desk.log"
    assert line == (f"tui-desk: er ging iets onverwachts mis (RuntimeError); de details staan in "
                    f"{log}. Meld dit aan de beheerder.")
    text = log.read_text(encoding="utf-8")
    assert "staff list" in text and "in broken" in text and "RuntimeError" in text
    assert "Verhoeven" not in text and "NL91" not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_read_only_database_file(tmp_path, monkeypatch):
    """A database file the program's account may read but not write (0400), as after a
    restore by another account. Faithful: the real file and the kernel's permission check.
    Root writes through permission bits (CAP_DAC_OVERRIDE): as root the command runs without
    that capability (util-linux ``setpriv``), so the bits count as for the service account.
    Takes ~1 s: a real process, as the administrator runs it."""
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    db = open_database(tmp_path / "prod.sqlite3", environment=PRODUCTION)
    sync_branches(db, load_file(tmp_path / "config.toml"))
    db.close()
    (tmp_path / "prod.sqlite3").chmod(0o400)
    command = [sys.executable, "-m", "tui_desk", "--config", str(tmp_path / "config.toml"),
               "staff", "add", "jbalie", "--name", "J. de Balie", "--branch", "9401"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "util-linux setpriv is needed to run this test as root"
        command = [setpriv, "--inh-caps=-all",
                   "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", *command]
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"))
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert result.returncode == 1, result.stderr
    line = one_dutch_line(result.stderr)
    assert line.startswith("tui-desk: De database is alleen-lezen"), line


# -- finding 8: stored text passes printable() in every listing ---------------------------------
def test_staff_list_shows_no_escape_sequence(config_file, capsys):
    assert cli.main(["--config", str(config_file), "staff", "add", "evil", "--name", EVIL,
                     "--branch", "9401", "--login", "x\x1b[31m"]) == 0
    capsys.readouterr()
    assert cli.main(["--config", str(config_file), "staff", "list"]) == 0
    out = capsys.readouterr().out
    no_escapes(out)
    assert "Evil^[[2J^[]0;x^G" in out


def test_print_jobs_show_no_escape_sequence(config_file, tmp_path, capsys):
    from tui_desk.store import print_jobs

    db = open_database(tmp_path / "prod.sqlite3", environment=PRODUCTION)
    with db.transaction():
        job = print_jobs.insert(db, now=dt.datetime.now(), workstation="w", printer="demo:",
                                kind="ledenpas", customer_id=None, label=EVIL, payload=b"x",
                                options={}, request_key="k")
        print_jobs.claim(db, job, dt.datetime.now())
        print_jobs.finish(db, job, dt.datetime.now(), ok=False, attempts=1, error=EVIL,
                          printer=EVIL)
    db.close()
    assert cli.main(["--config", str(config_file), "print", "jobs", "--all"]) == 0
    out = capsys.readouterr().out
    no_escapes(out)
    assert out.count("Evil^[[2J") == 3


def test_tariffs_list_shows_no_escape_sequence(config_file, tmp_path, capsys):
    tariffs = tmp_path / "tariffs.toml"
    tariffs.write_text(basis_tariff(name="Basis\x1b[2J\x07", valid_from="2020-01-01"),
                       encoding="utf-8")
    assert cli.main(["--config", str(config_file), "tariffs", "import", str(tariffs)]) == 0
    assert cli.main(["--config", str(config_file), "tariffs", "list"]) == 0
    out = capsys.readouterr().out
    no_escapes(out)
    assert "Basis^[[2J^G" in out


def test_doctor_output_shows_no_escape_sequence(config_file, tmp_path, capsys):
    config_file.write_text(CONFIG + '''
[[workstations]]
name = "annen\\u001b]0;x\\u0007"
branch = "9401"
receipt_printer = "file:///nonexistent/folder/bon.bin"
''', encoding="utf-8")
    assert cli.main(["--config", str(config_file), "doctor"]) == 1
    out = capsys.readouterr().out
    no_escapes(out)
    assert "Printer annen^[]0;x^G (bonprinter)" in out


def test_maintenance_output_shows_no_escape_sequence(config_file, tmp_path, capsys):
    from tests.factories import make_customer, make_staff
    from tests.services.test_sepa_export import invoice, with_mandate
    from tui_desk.clock import SystemClock

    cfg = load_file(config_file)
    db = open_database(tmp_path / "prod.sqlite3", environment=PRODUCTION)
    sync_branches(db, cfg)
    staff = make_staff(db)
    customer = make_customer(db, email="", surname=EVIL)
    with_mandate(db, SystemClock(), staff, cfg, customer)
    invoice(db, customer, 550, dt.date.today() + dt.timedelta(days=3))
    db.close()
    assert cli.main(["--config", str(config_file), "maintenance"]) == 0
    out = capsys.readouterr().out
    assert "Geen e-mailadres" in out
    no_escapes(out)
    assert "Evil^[[2J" in out
