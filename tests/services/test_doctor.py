"""``tui-desk doctor``: each check on a real file, a real SMTP server and real sockets."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.config_files import toml_table, workstation
from tests.services.test_mailer import free_port, smtp_server
from tui_desk import cli
from tui_desk.config import load_file
from tui_desk.services import doctor
from tui_desk.store.db import PRODUCTION, open_database

CREDITOR = "NL69ZZZ123456780000"


def write_config(tmp_path: Path, extra: str = "", *, db: str = "data/tui-desk.sqlite3") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"""
[library]
name = "Bibliotheek Annen"

[database]
path = "{db}"

[[branches]]
code = "9401"
name = "Annen"
{extra}
""", encoding="utf-8")
    path.chmod(0o640)
    return path


@pytest.fixture
def installed(tmp_path):
    """A configuration and a production database as an installation leaves them."""
    config = write_config(tmp_path)
    open_database(tmp_path / "data" / "tui-desk.sqlite3", environment=PRODUCTION).close()
    return config


def by_name(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


def test_a_healthy_installation_says_so_and_exits_0(installed, capsys):
    assert cli.main(["--config", str(installed), "doctor"]) == 0
    out = capsys.readouterr().out
    assert "ok    Configuratie" in out
    assert "ok    Database" in out and "quick_check ok" in out
    assert "ok    Rechten database" in out
    assert "ok    Schijfruimte" in out
    assert "geen [mail] host" in out
    assert out.rstrip().endswith("Alles in orde.")


def test_the_doctor_changes_nothing(installed, tmp_path):
    db = tmp_path / "data" / "tui-desk.sqlite3"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    doctor.run(str(installed))
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    # Reading a WAL database leaves its -wal/-shm companions: owner-only, like the file.
    for name in os.listdir(db.parent):
        assert (db.parent / name).stat().st_mode & 0o077 == 0, name


def test_a_broken_configuration_is_a_problem_not_a_crash(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[library]\nname = "x"\n[[branches]]\ncode = "94011"\nname = "A"\n')
    assert cli.main(["--config", str(path), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FOUT  Configuratie: de configuratie is niet te gebruiken" in out
    assert "branches[0].code" in out
    assert "1 probleem gevonden." in out


def test_a_missing_database(tmp_path, capsys):
    config = write_config(tmp_path)
    assert cli.main(["--config", str(config), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FOUT  Database" in out and "bestaat niet" in out


def test_open_permissions_and_a_foreign_owner_are_reported(installed, tmp_path):
    db = tmp_path / "data" / "tui-desk.sqlite3"
    db.chmod(0o644)
    db.parent.chmod(0o755)
    check = doctor.check_permissions(db)
    assert not check.ok
    assert "tui-desk.sqlite3 is leesbaar voor anderen (-rw-r--r--; chmod 0600)" in check.message
    assert "toegankelijk voor anderen (drwxr-xr-x; chmod 0700)" in check.message
    if os.geteuid() == 0:
        os.chown(db, 65534, 65534)
        assert "niet van root die het programma draait" in doctor.check_permissions(db).message


def test_a_damaged_database_fails_the_quick_check(installed, tmp_path):
    db = tmp_path / "data" / "tui-desk.sqlite3"
    conn = open_database(db, environment=PRODUCTION)
    with conn.transaction():
        for i in range(3000):
            conn.set_setting(f"filler-{i}", "x" * 200)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 8: middle + page - 8] = b"\xa5" * (page - 16)
    db.write_bytes(bytes(data))
    check = doctor.check_database(db, demo=False)
    assert not check.ok
    assert "de controle vindt fouten" in check.message


def test_a_restored_backup_is_fine_before_its_first_start(installed, tmp_path):
    from tui_desk.store.backup import backup

    db = tmp_path / "data" / "tui-desk.sqlite3"
    copy = backup(db, tmp_path / "copy.sqlite3", now=dt.datetime(2026, 11, 28, 2, 0)).path
    check = doctor.check_database(copy, demo=False)
    assert check.ok
    assert "journal delete: de eerste start zet WAL aan" in check.message


def test_the_training_database_is_not_the_production_database(tmp_path):
    db = tmp_path / "demo.sqlite3"
    open_database(db, environment="demo").close()
    assert "dit is de oefendatabase" in doctor.check_database(db, demo=False).message
    assert doctor.check_database(db, demo=True).ok


def test_too_little_disk_space(installed, tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "MIN_FREE_BYTES", 1 << 60)
    check = doctor.check_disk(tmp_path / "data" / "tui-desk.sqlite3")
    assert not check.ok and "nodig is minstens" in check.message


def test_the_mail_server_is_greeted(tmp_path):
    with smtp_server() as (_inbox, port):
        cfg = load_file(write_config(tmp_path, f"""
[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "noreply@bibliotheekannen.nl"
"""))
        check = doctor.check_mail(cfg)
    assert check.ok, check.message
    assert f"127.0.0.1:{port} bereikbaar" in check.message


def test_an_unreachable_mail_server(tmp_path):
    cfg = load_file(write_config(tmp_path, f"""
[mail]
host = "127.0.0.1"
port = {free_port()}
security = "none"
sender = "noreply@bibliotheekannen.nl"
"""))
    check = doctor.check_mail(cfg)
    assert not check.ok
    assert "niet bereikbaar" in check.message


def test_the_mail_check_is_the_mailers_public_check_with_a_short_timeout(tmp_path,
                                                                        monkeypatch):
    from tui_desk.services import mailer

    asked = []

    def check_connection(settings):
        asked.append(settings.timeout)
        return "SMTP-server smtp.example.org:587: inloggen mislukt: 535 nee"

    monkeypatch.setattr(mailer, "check_connection", check_connection)
    cfg = load_file(write_config(tmp_path, """
[mail]
host = "smtp.example.org"
timeout = 30
sender = "noreply@bibliotheekannen.nl"
"""))
    check = doctor.check_mail(cfg)
    assert check == doctor.Check("Mailserver", False,
                                 "SMTP-server smtp.example.org:587: inloggen mislukt: 535 nee")
    assert asked == [doctor.NETWORK_TIMEOUT]


def test_the_smtp_password_file_must_be_private(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("geheim\n")
    secret.chmod(0o644)
    cfg = load_file(write_config(tmp_path, f"""
[mail]
host = "smtp.example.org"
username = "balie"
password_file = "{secret}"
sender = "noreply@bibliotheekannen.nl"
"""))
    check = doctor.check_mail_settings(cfg)
    assert not check.ok and "leesbaar voor anderen" in check.message
    secret.chmod(0o600)
    assert doctor.check_mail_settings(cfg).ok


def test_a_password_in_a_world_readable_config_file(tmp_path):
    path = write_config(tmp_path, """
[mail]
host = "smtp.example.org"
username = "balie"
password = "geheim"
sender = "noreply@bibliotheekannen.nl"
""")
    path.chmod(0o644)
    check = doctor.check_config_file(load_file(path))
    assert not check.ok and "SMTP-wachtwoord" in check.message
    path.chmod(0o666)
    assert "kan door anderen worden gewijzigd" in doctor.check_config_file(load_file(path)).message


def test_the_creditor_is_named_when_configured(tmp_path):
    good = load_file(write_config(tmp_path, f'[creditor]\nid = "{CREDITOR}"\nname = "Bieb"\n'
                                            'iban = "NL91ABNA0417164300"\n'))
    assert doctor.check_creditor(good) == doctor.Check(
        "Incassant", True, f"{CREDITOR} (Bieb), rekening NL** **** **** **4300")
    assert doctor.check_creditor(load_file(write_config(tmp_path))) is None
    # a wrong incassant-ID is a configuration problem, said by the first check
    path = write_config(tmp_path, '[creditor]\nid = "NL00ZZZ123456780000"\nname = "Bieb"\n'
                                  'iban = "NL91ABNA0417164300"\n')
    cfg, check = doctor.check_config(str(path), demo=False)
    assert cfg is None and not check.ok and "creditor.id" in check.message


# -- printers ------------------------------------------------------------------------------------
@pytest.fixture
def listening_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []

    def accept() -> None:
        try:
            conn, _ = server.accept()
            accepted.append(conn)
        except OSError:
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    server.close()
    for conn in accepted:
        conn.close()


def test_a_network_printer_that_answers(listening_port):
    check = doctor.check_printer("annen-balie-1", "bonprinter",
                                 f"tcp://127.0.0.1:{listening_port}")
    assert check == doctor.Check("Printer annen-balie-1 (bonprinter)", True,
                                 f"tcp://127.0.0.1:{listening_port} bereikbaar")


def test_printers_that_cannot_be_reached_are_named(tmp_path):
    closed = doctor.check_printer("annen-balie-1", "bonprinter", f"tcp://127.0.0.1:{free_port()}")
    assert not closed.ok and closed.name == "Printer annen-balie-1 (bonprinter)"
    missing = doctor.check_printer("annen-balie-1", "pasprinter", str(tmp_path / "ttyUSB9"))
    assert not missing.ok
    wrong = doctor.check_printer("annen-balie-1", "pasprinter", "lpt1")
    assert not wrong.ok and "klopt niet" in wrong.message


def test_every_workstations_printers_from_the_configuration(installed, tmp_path,
                                                           listening_port, capsys):
    closed = free_port()
    config = write_config(tmp_path, (
        workstation("annen-balie-1", receipt_printer=f"tcp://127.0.0.1:{listening_port}")
        + workstation("annen-balie-2", receipt_printer=f"tcp://127.0.0.1:{closed}",
                      card_printer="demo:")
        + workstation("annen-kantoor")))
    checks = by_name(doctor.run(str(config)))
    assert checks["Printer annen-balie-1 (bonprinter)"].ok
    assert not checks["Printer annen-balie-2 (bonprinter)"].ok
    assert f"127.0.0.1:{closed}" in checks["Printer annen-balie-2 (bonprinter)"].message
    assert checks["Printer annen-balie-2 (pasprinter)"].ok
    assert not any("annen-kantoor" in name for name in checks)
    assert cli.main(["--config", str(config), "doctor"]) == 1
    assert "1 probleem gevonden." in capsys.readouterr().out


def test_only_configured_printers_are_checked():
    assert doctor.printer_urls(SimpleNamespace(name="a")) == []
    ws = SimpleNamespace(name="a", receipt_printer="tcp://10.0.0.5:9100", card_printer="")
    assert doctor.printer_urls(ws) == [("bonprinter", "tcp://10.0.0.5:9100")]
    assert doctor.check_printer("a", "bonprinter", "demo:").ok


def test_a_tcp_printer_without_a_port_is_probed_on_9100(monkeypatch):
    from tui_desk.devices import transports

    asked = []

    def refuse(address, timeout):
        asked.append((address, timeout))
        raise ConnectionRefusedError

    monkeypatch.setattr(transports.socket, "create_connection", refuse)
    check = doctor.check_printer("annen-balie-1", "bonprinter", "tcp://10.0.0.5")
    assert asked == [(("10.0.0.5", 9100), doctor.NETWORK_TIMEOUT)]     # short timeout
    assert not check.ok and "10.0.0.5:9100 weigert de verbinding" in check.message


def test_a_file_printer_is_checked_without_making_the_file(tmp_path):
    target = tmp_path / "bonnen" / "bon.bin"
    missing_folder = doctor.check_printer("a", "bonprinter", f"file://{target}")
    assert not missing_folder.ok and "bestaat niet" in missing_folder.message
    target.parent.mkdir()
    assert doctor.check_printer("a", "bonprinter", f"file://{target}").ok
    assert not target.exists()               # the doctor changes nothing
    target.write_bytes(b"")
    assert doctor.check_printer("a", "bonprinter", f"file://{target}").ok
    assert target.read_bytes() == b""


def test_a_demo_printer_folder_is_not_made_by_the_doctor(tmp_path):
    folder = tmp_path / "oefenprinter"
    assert doctor.check_printer("a", "pasprinter", f"demo:{folder}").ok
    assert not folder.exists()


def test_the_report_counts_the_problems():
    text = doctor.report([doctor.Check("A", True, "goed"), doctor.Check("B", False, "stuk"),
                          doctor.Check("C", False, "ook stuk")])
    assert text.splitlines() == ["ok    A: goed", "FOUT  B: stuk", "FOUT  C: ook stuk", "",
                                 "2 problemen gevonden."]


def test_the_office_printer_and_the_scan_inboxes(installed, tmp_path, listening_port):
    inbox = tmp_path / "scans"
    inbox.mkdir()
    closed = free_port()
    config = write_config(tmp_path, (
        workstation("annen-balie-1",
                    document_printer=f"ipp://127.0.0.1:{listening_port}/ipp/print",
                    scan_inbox="scans")
        + workstation("annen-balie-2", document_printer=f"ipp://127.0.0.1:{closed}/ipp/print")
        + toml_table("[scanning]", inbox="ontbreekt")))
    checks = by_name(doctor.run(str(config)))
    assert checks["Printer annen-balie-1 (kantoorprinter)"].ok
    down = checks["Printer annen-balie-2 (kantoorprinter)"]
    assert not down.ok and f"127.0.0.1:{closed}/ipp/print niet bereikbaar" in down.message
    assert checks[f"Scanmap {inbox}"].ok
    assert not checks[f"Scanmap {tmp_path / 'ontbreekt'}"].ok


@pytest.mark.sqlite_only("the doctor reads the SQLite file (its PostgreSQL checks come later)")
def test_doctor_reports_the_privacy_figures(db, config):
    import datetime as dt

    from tests.factories import make_customer
    from tui_desk.services.doctor import check_privacy

    make_customer(db, last_activity="2020-01-01", registered_on="2015-01-01")
    db.execute("INSERT INTO registration_drafts(staff_id, branch_code, step, data, created_at,"
               " updated_at) SELECT id, '9401', 'klantgegevens', '{}', '2026-01-01T10:00:00',"
               " '2026-01-01T10:00:00' FROM staff LIMIT 1")
    check = check_privacy(config, db.path, dt.datetime(2026, 11, 28, 10))
    assert check.ok and check.name == "Privacy"
    assert "klanten voorbij de bewaartermijn: 1" in check.message
    assert "printopdrachten met gegevens voorbij de bewaartermijn: 0" in check.message
    assert "tui-desk maintenance" in check.message
