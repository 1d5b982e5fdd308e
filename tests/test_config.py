"""Configuration errors name the key and the problem."""

from __future__ import annotations

import pytest

from tui_desk.config import ConfigError, demo_config, load, load_file

GOOD = """
[library]
name = "Bibliotheek Test"

[database]
path = "data/tui-desk.sqlite3"

[[branches]]
code = "9401"
name = "Annen"
registers = ["Kas Annen"]

[[workstations]]
name = "annen-1"
branch = "9401"
clients = ["10.0.0.5"]
register = "Kas Annen"
"""


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_loads_with_paths_relative_to_the_file(tmp_path):
    cfg = load_file(write(tmp_path, GOOD))
    assert cfg.library.name == "Bibliotheek Test"
    assert cfg.database == tmp_path / "data" / "tui-desk.sqlite3"
    assert cfg.branch("9401").registers == ("Kas Annen",)
    assert cfg.workstations[0].clients == ("10.0.0.5",)


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('code = "9401"', 'code = "94011"'), "branches[0].code", "four digits"),
        (('name = "Bibliotheek Test"', "name = 12"), "library.name", "text"),
        (('branch = "9401"', 'branch = "9999"'), "workstations[0].branch", "unknown branch"),
        (('register = "Kas Annen"\n', 'register = "Kas Assen"\n'),
         "workstations[0].register", "not a register"),
        (('[library]\nname = "Bibliotheek Test"', "[library]"), "library.name", "missing"),
    ],
)
def test_bad_config_names_key_and_problem(tmp_path, change, key, problem):
    text = GOOD.replace(*change)
    with pytest.raises(ConfigError) as err:
        load_file(write(tmp_path, text))
    assert err.value.key == key
    assert problem in err.value.problem
    assert key in str(err.value)


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
