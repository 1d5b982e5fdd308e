"""Every file tui-desk writes holds personal data or sits beside it: each one is created
readable by its owner only (0600, folders 0700), whatever the umask (issue 18)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import replace

from tests.factories import make_customer, make_manual_customer, make_staff
from tests.services.test_sepa_export import COLLECT, invoice, with_mandate
from tui_desk.clock import FixedClock
from tui_desk.config import PrintingSettings, Workstation
from tui_desk.services import printing
from tui_desk.services import sepa_export as sepa
from tui_desk.store.backup import backup
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import open_database
from tui_desk.store.lock import exclusive

NOW = dt.datetime(2026, 11, 28, 10, 0)


def test_every_file_the_program_writes_is_private(tmp_path, config, monkeypatch):
    monkeypatch.delenv("TUI_DESK_WORKSTATION", raising=False)
    base = tmp_path / "data"                 # made by the program, like ~/.local/share/tui-desk
    clock = FixedClock(NOW)
    old = os.umask(0o022)                    # a careless umask: nothing may depend on it
    try:
        db = open_database(base / "tui-desk.sqlite3", environment="demo")
        sync_branches(db, config)
        staff = make_staff(db)
        manual = make_manual_customer(db)
        customer = make_customer(db)
        with_mandate(db, clock, staff, config, customer)
        invoice(db, customer, 500, dt.date(2026, 12, 1))
        # the SEPA collection file
        assert sepa.export_collection(db, clock, config, COLLECT, base / "incasso.xml").path
        # the demo printer's folder and files: receipt and card (with its picture)
        cfg = replace(config, printing=PrintingSettings(
            tries=1, retry_delay=0, timeout=0.3, demo_folder=base / "printer-demo"))
        here = printing.resolve_workstation(cfg, {}, demo=True)
        assert printing.print_klantbon(db, clock, cfg, here, manual).ok
        assert printing.print_ledenpas(db, clock, cfg, here, manual).ok
        # a printer that is a file (a spool or a device node)
        spool = Workstation("x", "9401", receipt_printer=f"file://{base}/spool.bin")
        assert printing.print_klantbon(db, clock, cfg, spool, manual).ok
        # the maintenance lock, a backup into a new folder
        with exclusive(db.path):
            pass
        backup(db.path, f"{base}/backups/", now=NOW)
        db.close()
    finally:
        os.umask(old)
    files, folders = [], [base]
    for root, dirs, names in os.walk(base):
        folders += [os.path.join(root, d) for d in dirs]
        files += [os.path.join(root, n) for n in names]
    kinds = {os.path.splitext(f)[1] or os.path.basename(f) for f in files}
    assert {".xml", ".bin", ".txt", ".png", ".lock", ".sqlite3"} <= kinds, kinds
    assert len(folders) == 3                  # data, printer-demo, backups
    wrong = [f"{p} {stat.filemode(os.stat(p).st_mode)}" for p in files
             if stat.S_IMODE(os.stat(p).st_mode) != 0o600]
    wrong += [f"{p} {stat.filemode(os.stat(p).st_mode)}" for p in folders
              if stat.S_IMODE(os.stat(p).st_mode) != 0o700]
    assert wrong == []
