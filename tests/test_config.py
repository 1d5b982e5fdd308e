"""Configuration errors name the key and the problem."""

from __future__ import annotations

import pytest

from tests.config_files import (
    ANNEN,
    CREDITOR,
    LIBRARY,
    config_error,
    refuses_settings,
    with_setting,
    workstation,
)
from tests.config_files import write_config as write
from tui_desk.config import ConfigError, demo_config, load, load_file

GOOD = LIBRARY + """
[database]
path = "data/tui-desk.sqlite3"
""" + ANNEN + 'registers = ["Kas Annen"]\n' + workstation(clients=["10.0.0.5"],
                                                         register="Kas Annen")


def test_good_config_loads_with_paths_relative_to_the_file(tmp_path):
    cfg = load_file(write(tmp_path, GOOD))
    assert cfg.library.name == "Bibliotheek Test"
    assert cfg.database == tmp_path / "data" / "tui-desk.sqlite3"
    assert cfg.branch("9401").registers == ("Kas Annen",)
    assert cfg.workstations[0].clients == ("10.0.0.5",)


test_bad_config_names_key_and_problem = refuses_settings(GOOD, [
    ("branches[0].code", "94011", "four digits"),
    ("library.name", 12, "text"),
    ("workstations[0].branch", "9999", "unknown branch"),
    ("workstations[0].register", "Kas Assen", "not a register"),
    ("library.name", None, "missing"),
])


def test_toml_syntax_error_is_reported_with_the_file(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_file(write(tmp_path, "[library\nname="))
    assert "config.toml" in str(err.value)


def test_config_found_through_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DESK_CONFIG", str(write(tmp_path, GOOD)))
    assert load(None, demo=False).library.name == "Bibliotheek Test"


def test_production_without_config_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("TUI_DESK_CONFIG", raising=False)
    monkeypatch.setattr("tui_desk.config.SYSTEM_CONFIG", tmp_path / "none.toml")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="--demo"):
        load(None, demo=False)


def test_demo_runs_without_a_config_on_the_manuals_branches(monkeypatch, tmp_path):
    monkeypatch.delenv("TUI_DESK_CONFIG", raising=False)
    monkeypatch.setattr("tui_desk.config.SYSTEM_CONFIG", tmp_path / "none.toml")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    cfg = load(None, demo=True)
    assert cfg.branch("9401").registers == ("Kas Annen",)
    assert cfg == demo_config() or cfg.branches == demo_config().branches


SCANNING = GOOD.replace('registers = ["Kas Annen"]\n', 'registers = ["Kas Annen"]\n'
                        'scan_inbox = "scans/annen"\n') + """
document_printer = "cups:Kantoor_A4"
scan_inbox = "/srv/scans/balie-1"

[scanning]
inbox = "scans/alle"
export = "export"
barcode = "codabar"
""" + CREDITOR + """mandate_retention_months = 18
"""


def test_office_printer_scan_inbox_and_retention_are_typed(tmp_path):
    cfg = load_file(write(tmp_path, SCANNING))
    desk = cfg.workstations[0]
    assert desk.document_printer == "cups:Kantoor_A4"
    assert desk.document().url == "cups:Kantoor_A4"
    assert str(desk.scan_inbox) == "/srv/scans/balie-1"
    assert cfg.branch("9401").scan_inbox == tmp_path / "scans" / "annen"
    assert (cfg.scanning.inbox, cfg.scanning.export, cfg.scanning.barcode) == (
        tmp_path / "scans" / "alle", tmp_path / "export", "codabar")
    assert cfg.creditor.mandate_retention_months == 18
    defaults = load_file(write(tmp_path, GOOD))
    assert defaults.scanning.inbox is None and defaults.scanning.barcode == "code128"
    assert defaults.workstations[0].document() is None


test_bad_scanning_keys_name_the_key = refuses_settings(SCANNING, [
    ("workstations[0].document_printer", "lpr://x/q", "unknown kind of office printer"),
    ("scanning.barcode", "qr", "code128"),
    ("creditor.mandate_retention_months", 0, "between"),
    ("scanning.inbox", 3, "text"),
])


def test_demo_shared_logins_and_exercises_folder(tmp_path):
    cfg = load_file(write(tmp_path, GOOD))
    assert cfg.demo_shared_logins == ("oefen",) and cfg.demo_exercises is None
    cfg = load_file(write(tmp_path, GOOD + '\n[demo]\nshared_logins = ["klas1", "klas2"]\n'
                          'exercises = "oefeningen"\n'))
    assert cfg.demo_shared_logins == ("klas1", "klas2")
    assert cfg.demo_exercises == tmp_path / "oefeningen"
    with pytest.raises(ConfigError, match="demo.shared_logins: not a login name"):
        load_file(write(tmp_path, GOOD + '\n[demo]\nshared_logins = [" "]\n'))
    with pytest.raises(ConfigError, match="demo.shared_logins: must be a list"):
        load_file(write(tmp_path, GOOD + '\n[demo]\nshared_logins = [1]\n'))


def test_privacy_terms_are_typed_with_defaults_and_checked(tmp_path):
    cfg = load_file(write(tmp_path, GOOD))
    assert (cfg.privacy.guardian_below_age, cfg.privacy.retention_years_inactive,
            cfg.privacy.fiscal_retention_years, cfg.privacy.print_jobs_retention_days) == \
        (16, 2, 7, 30)
    cfg = load_file(write(tmp_path, GOOD + "\n[privacy]\nguardian_below_age = 13\n"
                          "retention_years_inactive = 3\nfiscal_retention_years = 10\n"
                          "print_jobs_retention_days = 7\n"))
    assert (cfg.privacy.guardian_below_age, cfg.privacy.retention_years_inactive,
            cfg.privacy.fiscal_retention_years, cfg.privacy.print_jobs_retention_days) == \
        (13, 3, 10, 7)
    for key, value in (("guardian_below_age", "30"), ("retention_years_inactive", "0"),
                       ("fiscal_retention_years", '"zeven"'),
                       ("print_jobs_retention_days", "0")):
        with pytest.raises(ConfigError) as err:
            load_file(write(tmp_path, GOOD + f"\n[privacy]\n{key} = {value}\n"))
        assert err.value.key == f"privacy.{key}"


def test_database_url_selects_postgresql_and_the_path_stays_for_sqlite(tmp_path):
    text = GOOD.replace('path = "data/tui-desk.sqlite3"',
                        'url = "postgresql://tuidesk@/tuidesk?host=/var/run/postgresql"')
    cfg = load_file(write(tmp_path, text))
    assert cfg.database_url == "postgresql://tuidesk@/tuidesk?host=/var/run/postgresql"
    assert load_file(write(tmp_path, GOOD)).database_url is None


test_bad_database_url_names_the_key = refuses_settings(with_setting(GOOD, "database.path", None), [
    ("database.url", "sqlite:///x.sqlite3", "must start with postgresql://"),
    ("database.url", "/var/lib/tui-desk.sqlite3", "must start with postgresql://"),
    ("database.url", "postgresql://db.example.nl", "names no database"),
    ("database.url", "postgresql://tuidesk:geheim@db.example.nl/tuidesk", "holds a password"),
])


def test_database_path_and_url_together_are_refused(tmp_path):
    text = GOOD.replace('path = "data/tui-desk.sqlite3"',
                        'path = "data/tui-desk.sqlite3"\nurl = "postgresql://db/tuidesk"')
    error = config_error(tmp_path, text)
    assert (error.key, "not both" in error.problem) == ("database.url", True)
