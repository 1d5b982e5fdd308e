"""The printers of a workstation in the configuration: checked, with the key in every error."""

from __future__ import annotations

from tests.config_files import ANNEN, LIBRARY, config_error, refuses_settings, workstation
from tests.config_files import write_config as write
from tui_desk.config import demo_config, load_file

BASE = LIBRARY + ANNEN + """
[printing]
tries = 3
retry_delay = 0.5
demo_folder = "printjobs"
""" + workstation(clients=["10.0.0.5"], receipt_printer="tcp://10.0.0.5:9100",
                  card_printer="rfc2217://10.0.0.5:2217", receipt_columns=48,
                  card_barcode="code128", card_baudrate=9600, printer_timeout=5)


def test_printers_are_read(tmp_path):
    cfg = load_file(write(tmp_path, BASE))
    ws = cfg.workstations[0]
    assert ws.receipt_printer == "tcp://10.0.0.5:9100"
    receipt, card = ws.receipt(), ws.card()
    assert (receipt.url, receipt.columns, receipt.baudrate, receipt.timeout) == (
        "tcp://10.0.0.5:9100", 48, 9600, 5.0)
    assert (card.url, card.barcode, card.baudrate, card.status) == (
        "rfc2217://10.0.0.5:2217", "code128", 9600, True)
    assert cfg.printing.tries == 3 and cfg.printing.retry_delay == 0.5
    assert cfg.printing.demo_folder == tmp_path / "printjobs"


def test_a_workstation_without_printers(tmp_path):
    text = BASE.split("receipt_printer")[0]
    ws = load_file(write(tmp_path, text)).workstations[0]
    assert ws.receipt() is None and ws.card() is None
    assert (ws.receipt_columns, ws.card_barcode) == (42, "codabar")


test_wrong_printer_settings_name_the_key = refuses_settings(BASE, [
    ("workstations[0].receipt_printer", "10.0.0.5:9100", "unknown kind of printer address"),
    ("workstations[0].card_printer", "socket://10.0.0.5", "no port"),
    ("workstations[0].receipt_columns", 40, "42 or 48"),
    ("workstations[0].card_barcode", "ean13", "codabar"),
    ("workstations[0].printer_timeout", 0, "between"),
    ("workstations[0].card_replies", "ja", "true or false"),
    ("printing.tries", 0, "between"),
])


def test_a_workstation_listed_twice(tmp_path):
    assert config_error(tmp_path, BASE + workstation()).key == "workstations[1].name"


def test_the_demo_config_needs_no_printers():
    cfg = demo_config()
    assert cfg.workstations == ()
    assert cfg.printing.demo_folder.name == "printer-demo"
