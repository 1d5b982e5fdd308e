"""The administrator's commands: staff, tariffs, postcodes, demo reset."""

from __future__ import annotations

import pytest

from tests.config_files import basis_tariff
from tui_desk.cli import main
from tui_desk.store.db import open_database


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "config.toml"
    path.write_text(
        '[library]\nname = "Bibliotheek Test"\n[database]\npath = "prod.sqlite3"\n'
        '[[branches]]\ncode = "9401"\nname = "Annen"\n', encoding="utf-8")
    return path


def test_a_new_production_database_starts_with_the_packaged_tariffs(config_file, capsys):
    assert main(["--config", str(config_file), "tariffs", "list"]) == 0
    out = capsys.readouterr().out
    assert "0045  Basis" in out and "€ 56,00" in out


BASIS_2027 = basis_tariff(valid_from="2027-01-01", price_cents=5900)


def test_tariff_import_adds_a_price_and_keeps_the_history(config_file, tmp_path):
    import datetime as dt

    from tui_desk.store.tariffs import price_on

    new_file = tmp_path / "tariffs.toml"
    new_file.write_text(BASIS_2027, encoding="utf-8")
    assert main(["--config", str(config_file), "tariffs", "import", str(new_file)]) == 0
    db = open_database(tmp_path / "prod.sqlite3", environment="production")
    assert price_on(db, "0045", "person", dt.date(2021, 4, 15)) == 5200
    assert price_on(db, "0045", "person", dt.date(2026, 11, 28)) == 5600
    assert price_on(db, "0045", "person", dt.date(2027, 2, 1)) == 5900


def test_postcode_import(config_file, tmp_path, capsys):
    csv = tmp_path / "bag.csv"
    csv.write_text("postcode,min_number,max_number,parity,street,place,region\n"
                   "1011 AB,1,99,odd,Damrak,AMSTERDAM,\n", encoding="utf-8")
    assert main(["--config", str(config_file), "postcodes", "import", str(csv)]) == 0
    assert "1 postcodereeksen" in capsys.readouterr().out


def test_staff_add_and_list(config_file, capsys):
    assert main(["--config", str(config_file), "staff", "add", "jbalie", "--name",
                 "J. de Balie", "--branch", "9401", "--login", "jan"]) == 0
    assert main(["--config", str(config_file), "staff", "list"]) == 0
    assert "jbalie" in capsys.readouterr().out
    assert main(["--config", str(config_file), "staff", "add", "x", "--name", "X",
                 "--branch", "9999"]) == 2


def test_bad_config_gives_the_key_and_exit_code_2(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[library]\nname = "X"\n[[branches]]\ncode = "94011"\nname = "A"\n')
    assert main(["--config", str(path), "staff", "list"]) == 2
    assert "branches[0].code" in capsys.readouterr().err


def test_today_is_for_the_training_database_only(config_file, capsys):
    assert main(["--config", str(config_file), "--today", "2021-04-15", "tariffs", "list"]) == 2
    assert "oefenomgeving" in capsys.readouterr().err


def test_today_takes_a_moment_and_the_clock_runs_on_from_it():
    import argparse
    import datetime as dt

    from tui_desk.cli import _clock
    from tui_desk.config import ConfigError

    args = argparse.Namespace(today="2021-04-15T10:00", demo=True, command=None)
    clock = _clock(args)
    assert clock.today() == dt.date(2021, 4, 15)
    assert dt.datetime(2021, 4, 15, 10, 0) <= clock.now() < dt.datetime(2021, 4, 15, 10, 1)
    with pytest.raises(ConfigError, match="JJJJ-MM-DDTUU:MM"):
        _clock(argparse.Namespace(today="2021-04-15T25:00", demo=True, command=None))


# -- what the commands leave to services (they import no store: tests/test_layers.py) ----------
@pytest.mark.parametrize("argv, line", [
    (["customer", "export", "29401000000000"], "tui-desk: pas 29401000000000 is onbekend."),
    (["--demo", "demo", "reset", "--trainee", "nobody"],
     "tui-desk: geen oefenomgeving van 'nobody'."),
    (["--demo", "demo", "activate", "--trainee", "nobody", "atest"],
     "tui-desk: geen oefenomgeving van 'nobody'."),
])
def test_a_refusal_of_a_service_is_one_line_and_exit_1(config_file, tmp_path, capsys, argv,
                                                       line):
    database = tmp_path / ("demo.sqlite3" if "--demo" in argv else "prod.sqlite3")
    assert main(["--config", str(config_file), "--db", str(database), *argv]) == 1
    assert capsys.readouterr().err == line + "\n"


def test_maintenance_skips_while_another_run_holds_the_lock(config_file, tmp_path, capsys):
    from tui_desk.store.lock import exclusive

    database = tmp_path / "prod.sqlite3"
    argv = ["--config", str(config_file), "--db", str(database), "maintenance"]
    assert main(argv) == 0
    capsys.readouterr()
    with exclusive(database):
        assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("Onderhoud loopt al (proces ") and "deze keer overgeslagen" in out
