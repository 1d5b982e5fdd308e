"""The signed forms' scans: the archive, the scan inbox, matching by hand and expiry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.models import Staff
from tui_desk.rules import mandates as rules
from tui_desk.services import scans
from tui_desk.services.scans import Scan
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database

if TYPE_CHECKING:
    pass

from tui_desk.services.mandates.details import DocumentRefused, MandateError
from tui_desk.services.mandates.life import mandate_panel
from tui_desk.services.mandates.processing import _take_out_of_inbox, known_document


# -- the archived scan ----------------------------------------------------------------------------
def archived_scan(db: Database, code: str) -> store.ArchivedScan | None:
    """The scan archived with a document (or the note that maintenance removed it)."""
    return store.archived_scan(db, code)


def scan_for_mandate(db: Database, customer_id: int) -> store.ArchivedScan | None:
    """The archived scan of the customer's current mandate (active, else the latest ended)."""
    panel = mandate_panel(db, customer_id)
    if panel.current is None:
        return None
    return store.archived_scan(db, panel.current.document_code)


def _suffix(file_type: str, name: str) -> str:
    known = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
             "image/tiff": ".tif"}
    return known.get(file_type) or (Path(name).suffix.lower() or ".bin")


def export_folder(config: Config, *, demo: bool = False) -> Path | None:
    """``[scanning] export``; the training database has one in its data folder."""
    if config.scanning.export is not None:
        return config.scanning.export
    if demo:
        from tui_desk.config import default_data_dir

        return default_data_dir() / "scan-export"
    return None


def export_scan(db: Database, config: Config, code: str, *, demo: bool = False) -> Path:
    """Write a document's archived scan to ``[scanning] export`` (readable by its owner only),
    for the bank's questions, after checking it against its SHA-256."""
    import hashlib
    import os

    folder = export_folder(config, demo=demo)
    if folder is None:
        raise MandateError("Er is geen map voor geëxporteerde scans ingesteld ([scanning] "
                           "export in de configuratie).")
    found = store.document_file(db, code)
    mandate = store.by_document_code(db, code)
    if found is None or mandate is None:
        raise MandateError(f"Bij documentcode {code} is geen scan bewaard.")
    name, file_type, data = found
    if hashlib.sha256(data).hexdigest() != store.document_checksum(db, code):
        raise MandateError(f"De bewaarde scan van documentcode {code} klopt niet met zijn "
                           "controlegetal; waarschuw de beheerder.")
    target = folder / f"machtiging-{mandate.kenmerk}-{code}{_suffix(file_type, name)}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise MandateError(f"De scan kan niet worden geëxporteerd: {exc.strerror or exc}."
                           ) from None
    return target


# -- the scan inbox -------------------------------------------------------------------------------
UNKNOWN_CODE, NO_CODE, DONE_ALREADY, SUPERSEDED, AWAITS_SCAN = (
    "onbekende code", "geen code gevonden", "al verwerkt met scan", "vervangen formulier",
    "verwerkt zonder scan")


@dataclass(frozen=True)
class UnknownScan:
    scan: Scan
    reason: str
    customer_name: str = ""


def pending_code(db: Database, customer_id: int) -> str | None:
    """The document code of the customer's printed, unprocessed mandate form."""
    pending = mandate_panel(db, customer_id).pending
    return pending.document_code if pending else None


def unknown_scans(db: Database, inbox: Path, *, limit: int = 200) -> list[UnknownScan]:
    """Scans in the inbox that no printed form waits for: no code, an unknown or superseded
    code, or a form processed already (with its scan, or without: then it can be attached)."""
    found = scans.list_scans(inbox, limit=limit)
    states = store.document_states(db, [s.code for s in found if s.code])
    out = []
    for scan in found:
        doc = states.get(scan.code) if scan.code else None
        if scan.code is None:
            out.append(UnknownScan(scan, NO_CODE))
        elif doc is None:
            out.append(UnknownScan(scan, UNKNOWN_CODE))
        elif doc.status == store.PRINTED and doc.mandate_status == store.PENDING:
            continue                       # waits for Verwerk machtiging: Scan pagina finds it
        elif doc.status == store.PRINTED:
            out.append(UnknownScan(scan, SUPERSEDED, doc.customer_name))
        elif store.has_file(db, doc.document_code):
            out.append(UnknownScan(scan, DONE_ALREADY, doc.customer_name))
        else:
            out.append(UnknownScan(scan, AWAITS_SCAN, doc.customer_name))
    return out


@dataclass(frozen=True)
class HandMatch:
    """What matching a scan by hand to a document code leads to."""

    customer_id: int
    document_code: str
    process: bool          # the form waits: go through Verwerk machtiging with this scan
    message: str


def match_by_hand(db: Database, clock: Clock, staff: Staff | None, inbox: Path, name: str,
                  code: str) -> HandMatch:
    """Onbekende scans ▸ Koppelen: the clerk gives the document code of the paper form. A form
    that waits to be processed is processed with this scan (the screen goes on to Verwerk
    machtiging); a form processed without a scan (Geen upload) gets it archived now."""
    code, doc = known_document(db, code)
    if doc.status == store.PRINTED and doc.mandate_status == store.PENDING:
        return HandMatch(doc.customer_id, code, True,
                         "Verwerk de machtiging met deze scan (Controleer, Opslaan).")
    if doc.status == store.PRINTED:
        raise DocumentRefused(f"Documentcode {code} is vervangen door een later geprinte "
                              "machtiging: verwerk het laatst geprinte formulier.")
    if store.has_file(db, code):
        raise DocumentRefused(f"Bij documentcode {code} is al een scan bewaard.")
    scan = scans.read(inbox, name)
    now = clock.now()
    with db.transaction():
        if not store.attach_file(db, code, file_name=scan.name, file_type=scan.file_type,
                                 data=scan.data, sha256=scan.sha256):
            raise DocumentRefused(f"Bij documentcode {code} kan geen scan meer worden bewaard.")
        audit.write(db, at=now, staff_id=staff.id if staff else None,
                    customer_id=doc.customer_id, entity="mandate", entity_id=doc.mandate_id or 0,
                    action="update", before={"file_name": ""},
                    after={"file_name": scan.name, "sha256": scan.sha256, "source": "scan"})
    warning = _take_out_of_inbox(inbox, scan)
    return HandMatch(doc.customer_id, code, False,
                     f"Scan {scan.name} bewaard bij machtiging van {doc.customer_name}. "
                     + warning)


def remove_expired_scans(db: Database, clock: Clock, config: Config) -> list[str]:
    """Maintenance: scans of mandates whose retention has passed are removed (the document and
    the mandate stay). Returns the document codes."""
    months = (config.creditor.mandate_retention_months if config.creditor
              else rules_retention_default())
    today = clock.today()
    now = clock.now()
    removed = []
    with db.transaction():
        for kept in store.kept_scans(db):
            until = rules.scan_kept_until(kept.mandate_status, kept.signed_on, kept.revoked_on,
                                          kept.last_collected_on, months)
            if until is not None and until < today and store.remove_file(db, kept.document_code,
                                                                         now):
                audit.write(db, at=now, staff_id=None, customer_id=kept.customer_id,
                            entity="mandate", entity_id=kept.mandate_id, action="update",
                            before={"scan": "bewaard"},
                            after={"scan": "verwijderd", "bewaard_tot": until,
                                   "source": "maintenance"})
                removed.append(kept.document_code)
    return removed


def rules_retention_default() -> int:
    from tui_desk.config import DEFAULT_MANDATE_RETENTION_MONTHS

    return DEFAULT_MANDATE_RETENTION_MONTHS
