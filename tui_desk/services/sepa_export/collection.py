"""Writing the collection file (pain.008) and recording it, so nothing is collected twice."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor
from tui_desk.files import fsync_dir, is_database_file, write_private
from tui_desk.rules import banking
from tui_desk.rules.dates import show
from tui_desk.services.sepa_export.planning import (
    NAME_MAX,
    SCHEMA,
    ExportError,
    ExportResult,
    LeftOut,
    PlannedTransaction,
    _creditor,
    plan,
)
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.engine import EngineError


class FileInvalid(ExportError):
    """The file does not validate against the XSD."""


def build_file(creditor: Creditor, collection_date: dt.date,
               transactions: list[PlannedTransaction]) -> tuple[bytes, str]:
    """(pain.008.001.02 XML validated against the XSD, message id)."""
    from sepaxml import SepaDD
    from sepaxml.validation import ValidationError

    creditor_bic = creditor.bic or _derived_bic(creditor.iban)
    if not creditor_bic:
        raise ExportError("De BIC van de bibliotheek ontbreekt en volgt niet uit het IBAN: vul "
                          "creditor.bic in de configuratie.")
    creditor_name = banking.sepa_text(creditor.name, NAME_MAX)
    if not creditor_name:
        raise ExportError("De naam van de incassant (creditor.name) heeft geen tekens uit de "
                          "SEPA-tekenset: vul een naam in Latijnse letters in de configuratie.")
    sepa = SepaDD({
        "name": creditor_name,
        "IBAN": creditor.iban,
        "BIC": creditor_bic,
        "batch": True,
        "creditor_id": creditor.id,
        "currency": "EUR",
    }, schema=SCHEMA)
    for t in transactions:
        payment = {
            "name": t.debtor_name,
            "IBAN": t.mandate.iban,
            "amount": int(t.amount_cents),
            "type": t.sequence_type,
            "collection_date": collection_date,
            "mandate_id": t.mandate.kenmerk,
            "mandate_date": t.mandate.signed_on,
            "description": t.description,
            "endtoend_id": t.end_to_end_id,
        }
        bic = t.mandate.bic or _derived_bic(t.mandate.iban)
        if bic:
            payment["BIC"] = bic
        sepa.add_payment(payment)  # mutates the dict: a fresh one per payment
    try:
        xml = sepa.export(validate=True)
    except ValidationError as exc:
        cause = exc.__cause__
        detail = f": {getattr(cause, 'reason', '') or cause}" if cause else ""
        raise FileInvalid(f"Het incassobestand voldoet niet aan {SCHEMA}{detail}") from exc
    return xml, sepa.msg_id


def _build_leaving_out(creditor: Creditor, result: ExportResult) -> tuple[bytes, str]:
    """The file of ``result.transactions``; a transaction that makes the file invalid is moved
    to ``result.left_out`` (found by validating each on its own) and the rest is exported."""
    try:
        return build_file(creditor, result.collection_date, result.transactions)
    except FileInvalid as whole:
        keep = []
        for t in result.transactions:
            try:
                build_file(creditor, result.collection_date, [t])
            except FileInvalid as exc:
                result.left_out.append(LeftOut(t, str(exc).rstrip(".") + "."))
            else:
                keep.append(t)
        if len(keep) == len(result.transactions):
            raise whole from None           # not one transaction's fault
        result.transactions = keep
        if not keep:
            return b"", ""
        return build_file(creditor, result.collection_date, keep)


def _derived_bic(iban: str) -> str:
    try:
        return banking.parse_iban(iban).bic or ""
    except banking.IbanError:
        return ""


def _looks_like_xml(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _recorded_message(db: Database, path: Path) -> str | None:
    """The MsgId of an earlier collection file at ``path`` whose collections are recorded."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    match = re.search(rb"<MsgId>([^<]{1,35})</MsgId>", head)
    if match is None:
        return None
    message_id = match.group(1).decode("ascii", "replace")
    return message_id if store.message_recorded(db, message_id) else None


def check_target(db: Database, target: Path, *, force: bool = False) -> None:
    """Refuse an output path that would destroy something (see the module docstring)."""
    if is_database_file(db.path, target):
        raise ExportError(f"{target} is de database (of een bestand van de database); het "
                          "incassobestand kan daar niet worden geschreven. Kies een andere naam, "
                          "bijvoorbeeld incasso.xml.")
    if target.is_dir():
        raise ExportError(f"{target} is een map; geef een bestandsnaam, bijvoorbeeld "
                          f"{target / 'incasso.xml'}.")
    if not target.parent.is_dir():
        raise ExportError(f"Map {target.parent} bestaat niet.")
    if not target.exists() or force:
        return
    if not _looks_like_xml(target):
        raise ExportError(f"{target} bestaat al en is geen XML-bestand; het wordt niet "
                          "overschreven. Kies een andere naam, of geef --force als het echt "
                          "weg mag.")
    earlier = _recorded_message(db, target)
    if earlier is not None:
        raise ExportError(f"{target} is een eerder incassobestand (bericht {earlier}) waarvan "
                          "de incasso's al zijn vastgelegd; overschrijven zou die incasso's "
                          "kwijtmaken. Kies een andere naam, of geef --force als het bestand "
                          "al bij de bank is.")


def export_collection(db: Database, clock: Clock, config: Config, collection_date: dt.date,
                      path: str | Path, *, staff_id: int | None = None,
                      force: bool = False) -> ExportResult:
    """Write the collection file for ``collection_date`` to ``path`` and record what it holds.

    With nothing new to collect no file is written (the result says so). The file appears at
    ``path`` only after its collections are committed; when anything fails before, no file
    is there and nothing is recorded (see the module docstring).
    """
    creditor = _creditor(config)
    today = clock.today()
    if collection_date < today:
        raise ExportError(f"De incassodatum {show(collection_date)} ligt in het verleden.")
    target = Path(path).expanduser()
    check_target(db, target, force=force)
    now = clock.now()
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with db.transaction():
            result = plan(db, config, collection_date, lapse=True)
            for m in result.lapsed:
                audit.write(db, at=now, staff_id=staff_id, customer_id=m.customer_id,
                            entity="mandate", entity_id=m.id, action="update",
                            before={"status": store.ACTIVE},
                            after={"status": store.LAPSED, "source": "sepa-export"})
            if not result.transactions:
                return result
            xml, message_id = _build_leaving_out(creditor, result)
            if not result.transactions:
                return result
            _record(db, result, now, message_id, target, staff_id)
            _write_partial(partial, target, xml)
            # The COMMIT at the end of this block is what makes the file true; until it
            # succeeded the file only exists under its temporary name.
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, (EngineError, StoreError)):
            raise ExportError(
                f"De incasso's konden niet worden vastgelegd ({exc}); er is geen "
                "incassobestand gemaakt en er is niets vastgelegd. Los de oorzaak op (bijv. "
                "schijfruimte) en exporteer opnieuw.") from exc
        raise
    try:
        os.replace(partial, target)
    except OSError as exc:
        raise ExportError(
            f"De incasso's zijn vastgelegd, maar het bestand kon niet naar {target} worden "
            f"verplaatst ({exc.strerror}). Het staat in {partial}: hernoem het zelf en stuur "
            "het naar de bank; niet opnieuw exporteren.") from None
    fsync_dir(target.parent)
    result.path = target
    result.message_id = message_id
    return result


def _record(db: Database, result: ExportResult, now: dt.datetime, message_id: str,
            target: Path, staff_id: int | None) -> None:
    for t in result.transactions:
        for invoice_id, cents in t.invoices:
            store.insert_collection(
                db, mandate_id=t.mandate.id, customer_id=t.customer_id,
                invoice_id=invoice_id, amount_cents=cents, sequence_type=t.sequence_type,
                collection_date=result.collection_date, end_to_end_id=t.end_to_end_id,
                message_id=message_id, at=now, file_name=str(target))
        store.mark_collected(db, t.mandate.id, result.collection_date)
        audit.write(db, at=now, staff_id=staff_id, customer_id=t.customer_id,
                    entity="collection", entity_id=t.end_to_end_id, action="insert",
                    after={"kenmerk": t.mandate.kenmerk, "sequence_type": t.sequence_type,
                           "amount_cents": t.amount_cents,
                           "invoices": [i for i, _ in t.invoices],
                           "collection_date": result.collection_date, "file": str(target)})


def _write_partial(partial: Path, target: Path, data: bytes) -> None:
    """The file under its temporary name beside the target, 0600, on the disk."""
    try:
        write_private(partial, data)
    except OSError as exc:
        raise ExportError(f"{target} kan niet geschreven worden: {exc.strerror}; er is niets "
                          "vastgelegd.") from None
