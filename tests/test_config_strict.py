"""Issue 13: the configuration is checked once, completely, by ``config.load``.

Finding 3: a bad ``[settlement]`` value loaded and crashed the settlement screen later.
Finding 9: a typo in a key or section was silently ignored.
"""

from __future__ import annotations

import pytest

from tests.config_files import ANNEN, LIBRARY, config_error, refuses_settings, workstation
from tests.config_files import write_config as write
from tui_desk.config import ConfigError, ConfigProblems, UnknownKeyError, load, load_file

GOOD = LIBRARY + """
[database]
path = "data/tui-desk.sqlite3"

[mail]
host = "smtp.example.nl"
sender = "noreply@example.nl"

[settlement]
waive_roles = ["beheer", "balie"]
opening_float = "100,00"
""" + ANNEN + 'registers = ["Kas Annen"]\n' + workstation(
    clients=["10.0.0.5", "10.0.1.0/24"], register="Kas Annen",
    receipt_printer="tcp://10.0.0.21:9100")


def test_settlement_is_parsed_into_typed_values(tmp_path):
    cfg = load_file(write(tmp_path, GOOD))
    assert cfg.settlement.waive_roles == ("beheer", "balie")
    assert cfg.settlement.opening_float_cents == 10000
    assert not hasattr(cfg, "raw")


def test_settlement_defaults(tmp_path):
    cfg = load_file(write(tmp_path, GOOD.replace('opening_float = "100,00"', "")
                          .replace('waive_roles = ["beheer", "balie"]', "")))
    assert cfg.settlement.waive_roles == ("beheer",)
    assert cfg.settlement.opening_float_cents == 0


test_a_bad_value_stops_the_load_naming_the_key = refuses_settings(GOOD, [
    ("settlement.opening_float", "abc", "not an amount"),
    ("settlement.opening_float", "-5", "negative"),
    ("settlement.opening_float", 1.5, "as text"),
    ("settlement.waive_roles", 3, "list"),
    ("settlement.waive_roles", ["baas"], "'baas' is not a role"),
    ("workstations[0].clients", ["10.0.0.5", "10.0.0.300"], "not an IP address"),
])


def test_a_misspelt_key_names_the_nearest_known_one(tmp_path):
    with pytest.raises(UnknownKeyError) as err:
        load_file(write(tmp_path, GOOD.replace('host = "smtp', 'hots = "smtp')))
    path = tmp_path / "config.toml"
    assert str(err.value) == f"{path}: `[mail] hots`: onbekende sleutel; bedoelt u `host`?"


def test_a_misspelt_section_names_the_nearest_known_one(tmp_path):
    with pytest.raises(UnknownKeyError) as err:
        load_file(write(tmp_path, GOOD.replace("[settlement]", "[setlement]")))
    assert str(err.value).endswith("`[setlement]`: onbekende sectie; bedoelt u `[settlement]`?")


def test_unknown_keys_everywhere_are_all_named(tmp_path):
    text = ("loglevel = 3\n" + GOOD.replace('receipt_printer = "tcp', 'recipt_printer = "tcp')
            .replace('name = "Annen"', 'name = "Annen"\nplcae = "ANNEN"')
            + '\n[[workstation]]\nname = "x"\n[mail.tls]\nverify = true\n')
    with pytest.raises(ConfigProblems) as err:
        load_file(write(tmp_path, text))
    assert all(isinstance(e, UnknownKeyError) for e in err.value.errors)
    shown = {e.key: e.problem for e in err.value.errors}
    assert shown["`[[branches]] plcae` (nr. 1)"] == "onbekende sleutel; bedoelt u `place`?"
    assert shown["`[[workstations]] recipt_printer` (nr. 1)"] == (
        "onbekende sleutel; bedoelt u `receipt_printer`?")
    assert shown["`[[workstation]]`"] == "onbekende sectie; bedoelt u `[[workstations]]`?"
    assert shown["`[mail.tls]`"].startswith("onbekende sectie; bekend zijn `activation_url`")
    assert "`loglevel`" in shown
    assert "(en nog 4: " in str(err.value)


def test_every_problem_is_named_not_only_the_first(tmp_path):
    text = (GOOD.replace('opening_float = "100,00"', 'opening_float = "abc"')
            .replace('host = "smtp', 'hots = "smtp').replace('code = "9401"', 'code = "94"'))
    with pytest.raises(ConfigProblems) as err:
        load_file(write(tmp_path, text))
    assert [e.key for e in err.value.errors] == [
        "branches[0].code", "settlement.opening_float", "`[mail] hots`"]


def test_a_missing_key_points_at_its_typo(tmp_path):
    error = config_error(tmp_path, GOOD.replace('name = "Bibliotheek Test"',
                                                'nmae = "Bibliotheek Test"'))
    assert error.key == "library.name"
    assert "'nmae' a typo" in error.problem


def test_a_config_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(GOOD.replace("Annen", "Ann\xe9n").encode("latin-1"))
    with pytest.raises(ConfigError) as err:
        load_file(path)
    assert "not UTF-8" in err.value.problem


# -- demo mode keeps the file's [demo] and [[workstations]] ---------------------------------------
DEMO_FILE = LIBRARY + """
[demo]
path = "oefen.sqlite3"
auto_sign_in = "educatie"

[[branches]]
code = "9402"
name = "Assen"
registers = ["Kas Assen 2"]
""" + workstation("assen-2", "9402", clients=["10.0.0.7"], register="Kas Assen 2",
                  card_printer="file:///tmp/card.bin")


def test_demo_mode_keeps_the_files_demo_and_workstations(tmp_path):
    cfg = load(str(write(tmp_path, DEMO_FILE)), demo=True)
    assert cfg.library.name == "Bibliotheek Drenthe (oefenomgeving)"
    assert [b.code for b in cfg.branches][:3] == ["9401", "9402", "9403"]
    assert cfg.demo_database == tmp_path / "oefen.sqlite3"
    assert cfg.demo_auto_sign_in == "educatie"
    (ws,) = cfg.workstations
    assert (ws.name, ws.branch, ws.register, ws.clients, ws.card_printer) == (
        "assen-2", "9402", "Kas Assen 2", ("10.0.0.7",), "file:///tmp/card.bin")


def test_demo_mode_refuses_a_workstation_of_a_branch_the_training_library_lacks(tmp_path):
    text = (DEMO_FILE.replace('code = "9402"', 'code = "0712"')
            .replace('branch = "9402"', 'branch = "0712"'))
    with pytest.raises(ConfigError) as err:
        load(str(write(tmp_path, text)), demo=True)
    assert err.value.key == "workstations[0].branch"
    assert "not a branch of the training library" in err.value.problem
    assert "9401 Annen" in err.value.problem


def test_demo_mode_checks_the_whole_file_too(tmp_path):
    with pytest.raises(UnknownKeyError):
        load(str(write(tmp_path, DEMO_FILE.replace("auto_sign_in", "auto_signin"))), demo=True)


def test_the_built_in_demo_config_has_no_unknown_keys():
    load(None, demo=True)
