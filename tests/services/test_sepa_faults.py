"""The SEPA file under faults (issue 18): never over the database, atomic with its record (a
commit that fails leaves no file and records nothing), only the EPC character set in every text
node, and a customer whose data cannot be exported listed while the rest is exported."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import string
import xml.etree.ElementTree as ET

import pytest

from tests.factories import make_customer, make_staff
from tests.services.test_sepa_export import COLLECT, GOOD, NS, invoice, validate, with_mandate
from tui_desk import cli
from tui_desk.rules.banking import SEPA_ALLOWED
from tui_desk.services import sepa_export as sepa
from tui_desk.store import mandates as store
from tui_desk.store.backup import integrity_check
from tui_desk.store.db import open_database

D = dt.date


@pytest.fixture
def staff(db):
    return make_staff(db, name="J. de Balie")


def due_customers(db, clock, staff, config, count=3, **customer):
    made = []
    for n in range(count):
        customer_id = make_customer(db, **customer)
        with_mandate(db, clock, staff, config, customer_id)
        invoice(db, customer_id, 500 + n, D(2026, 12, 1))
        made.append(customer_id)
    return made


def end_to_end_ids(xml: bytes) -> list[str]:
    return [e.text for e in ET.fromstring(xml).iterfind(".//p:EndToEndId", NS)]


# -- 1. the output path is the database -------------------------------------------------------
@pytest.mark.sqlite_only("the database's own files (and -wal/-shm) as output")
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_database_is_never_the_output(db, clock, staff, config, suffix):
    due_customers(db, clock, staff, config)
    target = db.path.with_name(db.path.name + suffix)
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(sepa.ExportError, match="is de database"):
        sepa.export_collection(db, clock, config, COLLECT, target)
    assert (target.read_bytes() if target.exists() else None) == before
    assert store.collections(db) == []
    assert integrity_check(db.path) == "ok"


def test_the_command_refuses_the_database_as_output_and_it_still_opens(tmp_path, capsys):
    database = tmp_path / "copy.sqlite3"
    config_path = tmp_path / "config.toml"
    config_path.write_text(GOOD + f'\n[database]\npath = "{database}"\n', "utf-8")
    from tui_desk.config import load_file
    from tui_desk.store.branches import sync_branches

    config = load_file(config_path)
    db = open_database(database, environment="production")
    sync_branches(db, config)
    today = dt.date.today()
    from tui_desk.clock import FixedClock

    clock = FixedClock(dt.datetime.combine(today, dt.time(9)))
    staff = make_staff(db)
    customer = make_customer(db)
    with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, today)
    db.close()
    day = (today + dt.timedelta(days=7)).isoformat()
    args = ["--config", str(config_path), "--db", str(database), "sepa-export",
            "--collection-date", day, "-o", str(database)]
    assert cli.main(args) == 1
    assert "is de database" in capsys.readouterr().err
    assert integrity_check(database) == "ok"
    reopened = open_database(database, environment="production")
    assert store.collections(reopened) == []
    reopened.close()
    # through a symbolic link too
    link = tmp_path / "incasso.xml"
    link.symlink_to(database)
    assert cli.main(args[:-1] + [str(link)]) == 1
    assert integrity_check(database) == "ok"


def test_an_existing_file_that_is_not_xml_needs_force(db, clock, staff, config, tmp_path):
    due_customers(db, clock, staff, config)
    target = tmp_path / "notes.txt"
    target.write_text("belangrijke aantekeningen\n")
    with pytest.raises(sepa.ExportError, match="geen XML-bestand"):
        sepa.export_collection(db, clock, config, COLLECT, target)
    assert target.read_text() == "belangrijke aantekeningen\n"
    result = sepa.export_collection(db, clock, config, COLLECT, target, force=True)
    assert result.path == target and target.read_bytes().startswith(b"<?xml")


def test_an_earlier_recorded_export_is_not_overwritten(db, clock, staff, config, tmp_path):
    first_customers = due_customers(db, clock, staff, config, count=1)
    target = tmp_path / "incasso.xml"
    sepa.export_collection(db, clock, config, COLLECT, target)
    first = target.read_bytes()
    due_customers(db, clock, staff, config, count=1)
    with pytest.raises(sepa.ExportError, match="eerder incassobestand"):
        sepa.export_collection(db, clock, config, COLLECT, target)
    assert target.read_bytes() == first
    assert {k.customer_id for k in store.collections(db)} == set(first_customers)


# -- 2. the commit fails ------------------------------------------------------------------------
class FailingCommit:
    """The connection, except that COMMIT fails as on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.mark.sqlite_only("fails SQLite's COMMIT through a wrapped sqlite3 connection")
def test_a_failed_commit_leaves_no_file_and_records_nothing(db, clock, staff, config, tmp_path):
    due_customers(db, clock, staff, config, count=5)
    full1, full2 = tmp_path / "full1.xml", tmp_path / "full2.xml"
    real = db.conn
    db.conn = FailingCommit(real)
    try:
        with pytest.raises(sepa.ExportError, match="niets vastgelegd") as err:
            sepa.export_collection(db, clock, config, COLLECT, full1)
    finally:
        db.conn = real
    assert "schijf is vol" in str(err.value)
    assert not real.in_transaction
    assert sorted(os.listdir(tmp_path)) == sorted(
        p for p in os.listdir(tmp_path) if not p.startswith(".") and p != "full1.xml")
    assert not full1.exists()
    assert store.collections(db) == []
    # Run again once the disk has room: every debit is in exactly one file.
    result = sepa.export_collection(db, clock, config, COLLECT, full2)
    ids = end_to_end_ids(full2.read_bytes())
    assert len(ids) == len(set(ids)) == len(result.transactions) == 5
    assert sepa.export_collection(db, clock, config, COLLECT, tmp_path / "full3.xml").path is None


def test_a_failure_while_recording_removes_the_temporary_file(db, clock, staff, config,
                                                             tmp_path, monkeypatch):
    due_customers(db, clock, staff, config, count=2)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "mark_collected", broken)
    with pytest.raises(sepa.ExportError, match="disk I/O error"):
        sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    assert list(tmp_path.glob("*.xml")) == [] and list(tmp_path.glob(".*partial")) == []
    assert store.collections(db) == []


def test_the_file_is_private(db, clock, staff, config, tmp_path):
    due_customers(db, clock, staff, config, count=1)
    old = os.umask(0o022)
    try:
        sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.xml").stat().st_mode) == 0o600


# -- 3. the SEPA character set ------------------------------------------------------------------
NAMES = [
    ("محمد علي", "Rotterdam"),
    ("王小明", "Assen"),
    ("Γιώργος Παπαδόπουλος", "Emmen"),
    ("😀", "Annen"),
    ("A" + string.punctuation + "Z", "Zuidlaren"),
    ("Çelik & Zoë; O'Brien-Van der Berg", "Gieten"),
    ("  Jansen  ", "Annen"),
]


def test_names_of_every_script_become_sepa_characters(db, clock, staff, config, tmp_path):
    customers = {}
    for holder, place in NAMES:
        customer_id = make_customer(db, surname="Klant", initials="")
        mandate = with_mandate(db, clock, staff, config, customer_id)
        # Imported or older data: the holder's name as it is in the database.
        db.execute("UPDATE mandates SET holder_name = ?, holder_place = ? WHERE id = ?",
                   (holder, place, mandate.id))
        invoice(db, customer_id, 500, D(2026, 12, 1),
                description=f"Contributie {holder} {string.punctuation}")
        customers[customer_id] = holder
    # The library's own name in the configuration, with an ampersand.
    import dataclasses

    config = dataclasses.replace(config, creditor=dataclasses.replace(
        config.creditor, name="Bibliotheek Annen & Gieten"))
    out = tmp_path / "incasso.xml"
    result = sepa.export_collection(db, clock, config, COLLECT, out)
    xml = out.read_bytes()
    validate(xml)
    texts = [e.text for e in ET.fromstring(xml).iter() if e.text and e.text.strip()]
    assert texts
    bad = [t for t in texts if not set(t) <= SEPA_ALLOWED]
    assert bad == []
    names = [e.text for e in ET.fromstring(xml).iterfind(".//p:Dbtr/p:Nm", NS)]
    assert len(names) == len(NAMES)
    assert all(n == n.strip() and n and "  " not in n for n in names)
    assert "Wang Xiao Ming" in names and "Giorgos Papadopoulos" in names
    assert "Celik + Zoe, O'Brien-Van der Berg" in names
    emoji = next(c for c, h in customers.items() if h == "😀")
    actor = db.scalar("SELECT actor_id FROM customers WHERE id = ?", (emoji,))
    assert f"Klant {actor}" in names
    report = "\n".join(result.lines())
    assert f"'Klant {actor}'" in report and "SEPA-tekenset" in report
    assert result.left_out == []


def test_a_customer_that_cannot_be_exported_is_listed_and_the_rest_goes(db, clock, staff,
                                                                      config, tmp_path):
    good = due_customers(db, clock, staff, config, count=2)
    [broken] = due_customers(db, clock, staff, config, count=1)
    card = db.scalar("SELECT number FROM cards WHERE customer_id = ?", (broken,))
    db.execute("UPDATE mandates SET iban = 'NL00INGB0000000001' WHERE customer_id = ?",
               (broken,))
    result = sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    validate((tmp_path / "x.xml").read_bytes())
    assert [t.customer_id for t in result.transactions] == good
    assert {k.customer_id for k in store.collections(db)} == set(good)
    report = "\n".join(result.lines())
    assert f"pas {card}" in report and "IBAN" in report and "NIET in het bestand" in report
