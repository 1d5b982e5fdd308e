"""The scan inbox: scans matched by the document code in their top-left barcode (a PDF, and a
rotated PNG as a multifunction printer makes it), nothing read outside the inbox, unknown scans,
matching by hand, the archive's checksum and export, and the retention after the last
collection."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pypdfium2 as pdfium
import pytest

from tests.factories import make_customer, make_manual_customer, make_staff
from tui_desk.clock import FixedClock
from tui_desk.config import ScanningSettings, Workstation
from tui_desk.devices.pdf import mandate_pdf
from tui_desk.rules.mandates import document_code
from tui_desk.services import mandates as svc
from tui_desk.services import scans
from tui_desk.store import mandates as store

IBAN = "NL20INGB0001234567"


@pytest.fixture
def staff(db):
    return make_staff(db)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def printed(db, clock, staff, config, customer_id):
    return svc.print_new_mandate(db, clock, staff, config, customer_id, IBAN, "",
                                 "Mw. A. van de Test", "ANNEN")


def scanned_png(form, path, angle: float = 2.0) -> None:
    """The printed form as a multifunction printer scans it: 150 dpi, greyscale, a bit askew."""
    document = pdfium.PdfDocument(mandate_pdf(form))
    image = document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    image.rotate(angle, expand=True, fillcolor=255).save(path)


def test_the_inbox_of_the_workstation_else_the_branch_else_the_default(config, tmp_path):
    branches = (dataclasses.replace(config.branches[0], scan_inbox=tmp_path / "annen"),
                *config.branches[1:])
    config = dataclasses.replace(config, branches=branches,
                                 scanning=ScanningSettings(inbox=tmp_path / "all"))
    annen, assen = Workstation("a", "9401"), Workstation("b", "9402")
    assert scans.inbox_for(config, annen) == tmp_path / "annen"
    assert scans.inbox_for(config, assen) == tmp_path / "all"
    own = Workstation("c", "9401", scan_inbox=tmp_path / "own")
    assert scans.inbox_for(config, own) == tmp_path / "own"
    bare = dataclasses.replace(config, scanning=ScanningSettings(),
                               branches=config.branches[1:])
    assert scans.inbox_for(bare, assen) is None


def test_a_rotated_scan_is_matched_by_its_barcode(db, clock, staff, config, inbox):
    customer = make_manual_customer(db)
    form = printed(db, clock, staff, config, customer)
    scanned_png(form, inbox / "scan0001.png")
    (inbox / "leeg.pdf").write_bytes(b"%PDF-1.4\n")          # not readable: no code
    found, match = scans.find(inbox, form.document_code)
    assert {s.name for s in found} == {"scan0001.png", "leeg.pdf"}
    assert match is not None and match.name == "scan0001.png"
    assert match.code == form.document_code


def test_nothing_outside_the_inbox_is_read(inbox, tmp_path):
    secret = tmp_path / "geheim.pdf"
    secret.write_bytes(b"%PDF-1.4 secret\n")
    (inbox / "link.pdf").symlink_to(secret)
    (inbox / "map.pdf").mkdir()
    assert scans.list_scans(inbox) == []                      # no link, no folder listed
    for name in ("../geheim.pdf", str(secret), "link.pdf", "..", "map.pdf"):
        with pytest.raises(scans.ScanError) as err:
            scans.read(inbox, name)
        assert str(tmp_path) not in str(err.value)            # no path is revealed
    with pytest.raises(scans.ScanError):
        scans.remove(inbox, "../geheim.pdf")
    assert secret.exists()


def test_unknown_scans_and_matching_one_by_hand(db, clock, staff, config, inbox):
    waiting = make_manual_customer(db)
    other = make_customer(db, actor_id=400001)
    pending = printed(db, clock, staff, config, waiting)
    done = printed(db, clock, staff, config, other)
    svc.process_mandate(db, clock, staff, other, done.document_code, "none")   # Geen upload
    scanned_png(pending, inbox / "a-wacht.png")
    scanned_png(done, inbox / "b-later.png")
    unknown_form = dataclasses.replace(pending, document_code=document_code("6775", 99999))
    scanned_png(unknown_form, inbox / "c-onbekend.png")
    (inbox / "d-wit.png").write_bytes((inbox / "a-wacht.png").read_bytes()[:8] + b"junk")
    rows = {r.scan.name: r.reason for r in svc.unknown_scans(db, inbox)}
    assert rows == {"b-later.png": svc.AWAITS_SCAN, "c-onbekend.png": svc.UNKNOWN_CODE,
                    "d-wit.png": svc.NO_CODE}                 # a-wacht waits for Scan pagina

    # the form processed without a scan gets it archived now
    match = svc.match_by_hand(db, clock, staff, inbox, "b-later.png", done.document_code)
    assert not match.process and match.customer_id == other
    assert store.document_file(db, done.document_code)[0] == "b-later.png"
    assert not (inbox / "b-later.png").exists()
    # a form still waiting goes through Verwerk machtiging with the scan
    match = svc.match_by_hand(db, clock, staff, inbox, "c-onbekend.png", pending.document_code)
    assert match.process and match.customer_id == waiting
    with pytest.raises(svc.DocumentRefused, match="al een scan bewaard"):
        svc.match_by_hand(db, clock, staff, inbox, "c-onbekend.png", done.document_code)


def test_the_archive_is_exported_after_its_checksum_is_checked(db, clock, staff, config, inbox,
                                                               tmp_path):
    customer = make_manual_customer(db)
    form = printed(db, clock, staff, config, customer)
    signed = mandate_pdf(form)
    (inbox / "scan.pdf").write_bytes(signed)
    svc.process_mandate(db, clock, staff, customer, form.document_code, "scan",
                        scans.read(inbox, "scan.pdf"), inbox=inbox)
    with pytest.raises(svc.MandateError, match=r"\[scanning\] export"):
        svc.export_scan(db, config, form.document_code)
    config = dataclasses.replace(config, scanning=ScanningSettings(export=tmp_path / "export"))
    path = svc.export_scan(db, config, form.document_code)
    assert path.name == f"machtiging-381847-001-{form.document_code}.pdf"
    assert path.read_bytes() == signed and path.stat().st_mode & 0o777 == 0o600
    db.execute("UPDATE customer_documents SET file_data = ? WHERE document_code = ?",
               (b"%PDF-changed", form.document_code))
    with pytest.raises(svc.MandateError, match="controlegetal"):
        svc.export_scan(db, config, form.document_code)


def test_the_scan_is_kept_while_active_and_14_months_after_the_last_collection(
        db, clock, staff, config, inbox):
    customer = make_manual_customer(db)
    form = printed(db, clock, staff, config, customer)
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = svc.process_mandate(db, clock, staff, customer, form.document_code, "file",
                                 scans.read(inbox, "scan.pdf"), inbox=inbox)
    store.mark_collected(db, result.mandate.id, dt.date(2027, 1, 5))
    later = FixedClock(dt.datetime(2030, 1, 1, 3, 0))
    assert svc.remove_expired_scans(db, later, config) == []          # active: kept
    svc.revoke(db, FixedClock(dt.datetime(2027, 6, 1, 9, 0)), staff, customer,
               reason="Op verzoek klant")
    assert svc.remove_expired_scans(db, FixedClock(dt.datetime(2028, 3, 5, 3, 0)), config) == []
    removed = svc.remove_expired_scans(db, FixedClock(dt.datetime(2028, 3, 6, 3, 0)), config)
    assert removed == [form.document_code]
    assert store.document_file(db, form.document_code) is None
    archived = svc.archived_scan(db, form.document_code)
    assert archived.removed_at == dt.datetime(2028, 3, 6, 3, 0)
    assert svc.remove_expired_scans(db, FixedClock(dt.datetime(2029, 1, 1)), config) == []
