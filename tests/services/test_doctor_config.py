"""Issue 13: ``tui-desk doctor`` reports every problem a screen would otherwise meet later —
the whole configuration ([settlement] and unknown keys included), the workstations, and the
staff in the database against the configuration."""

from __future__ import annotations

import pytest

from tests.config_files import workstation
from tests.factories import make_staff
from tests.services.test_doctor import by_name, write_config
from tui_desk import cli
from tui_desk.config import load_file
from tui_desk.services import doctor
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import DEMO, PRODUCTION, open_database


@pytest.fixture
def installed(tmp_path):
    def make(extra: str = "", staff: tuple[tuple[str, str, str], ...] = ()):
        db = open_database(tmp_path / "data" / "tui-desk.sqlite3", environment=PRODUCTION)
        sync_branches(db, load_file(write_config(tmp_path)))
        for username, branch, roles in staff:
            if branch != "9401":
                db.execute("INSERT OR IGNORE INTO branches(code, name, place) VALUES (?, ?, ?)",
                           (branch, "Weg", "WEG"))
            make_staff(db, username=username, branch_code=branch, roles=roles)
        db.close()
        return write_config(tmp_path, extra)
    return make


def test_a_bad_settlement_value_fails_the_doctor_not_the_screen(installed, capsys):
    config = installed('[settlement]\nopening_float = "abc"\n')
    assert cli.main(["--config", str(config), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FOUT  Configuratie" in out and "settlement.opening_float" in out


def test_a_misspelt_key_fails_the_doctor(installed, capsys):
    config = installed('[mail]\nhots = "smtp.example.nl"\n')
    assert cli.main(["--config", str(config), "doctor"]) == 1
    assert "`[mail] hots`: onbekende sleutel; bedoelt u `host`?" in capsys.readouterr().out


def test_a_client_address_of_two_workstations(installed):
    config = installed(workstation("annen-1", clients=["10.0.0.0/24"])
                       + workstation("annen-2", clients=["10.0.0.7"]))
    check = by_name(doctor.run(str(config)))["Werkplekken"]
    assert not check.ok
    assert "10.0.0.7 van annen-2 valt ook onder annen-1 (10.0.0.0/24)" in check.message


def test_separate_workstations_are_fine(installed):
    config = installed(workstation("annen-1", clients=["10.0.0.5"])
                       + workstation("annen-2", clients=["10.0.0.6"]))
    assert by_name(doctor.run(str(config)))["Werkplekken"].ok


def test_staff_of_a_branch_that_is_no_longer_configured(installed):
    config = installed(staff=(("jbalie", "9401", "balie,beheer"), ("oud", "9499", "balie")))
    checks = by_name(doctor.run(str(config)))
    assert not checks["Medewerkers"].ok
    assert "oud (9499)" in checks["Medewerkers"].message
    assert checks["Kwijtschelden"].ok


def test_nobody_holds_a_waive_role(installed):
    config = installed('[settlement]\nwaive_roles = ["beheer"]\n',
                       staff=(("jbalie", "9401", "balie"),))
    checks = by_name(doctor.run(str(config)))
    assert checks["Medewerkers"].ok
    assert not checks["Kwijtschelden"].ok
    assert "niemand kan kwijtschelden" in checks["Kwijtschelden"].message


def test_the_demo_auto_sign_in_must_be_a_demo_staff_member(tmp_path):
    config = write_config(tmp_path, '[demo]\npath = "demo.sqlite3"\nauto_sign_in = "baliee"\n')
    db = open_database(tmp_path / "demo.sqlite3", environment=DEMO)
    sync_branches(db, load_file(config))
    make_staff(db, username="balie", roles="balie,beheer")
    db.close()
    checks = by_name(doctor.run(str(config), demo=True))
    assert not checks["Oefenomgeving"].ok
    assert "'baliee'" in checks["Oefenomgeving"].message


def test_every_configuration_problem_in_one_run(installed, capsys):
    config = installed('[settlement]\nopening_float = "abc"\n[mail]\nhots = "smtp.example.nl"\n')
    assert cli.main(["--config", str(config), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "settlement.opening_float: is not an amount" in out
    assert "`[mail] hots`: onbekende sleutel; bedoelt u `host`?" in out
