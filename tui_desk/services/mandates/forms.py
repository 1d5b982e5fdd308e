"""Print nieuwe machtiging: the mandate form, on the office or the receipt printer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor, Workstation
from tui_desk.models import Staff
from tui_desk.rules import banking
from tui_desk.rules import mandates as rules
from tui_desk.rules.mandates import MandateForm
from tui_desk.store import audit
from tui_desk.store import mandates as store
from tui_desk.store.db import Database
from tui_desk.store.mandates import Mandate

if TYPE_CHECKING:
    from tui_desk.services.printing import PrintOutcome, PrintRequest

from tui_desk.services.mandates.details import MandateError, _holder, check_bank_details


# -- Print nieuwe machtiging ----------------------------------------------------------------------
def creditor_of(config: Config) -> Creditor:
    if config.creditor is None:
        raise MandateError("Er is geen incassant ingesteld ([creditor] in de configuratie): "
                           "machtigingen en incasso zijn niet mogelijk.")
    return config.creditor


def _form(creditor: Creditor, mandate: Mandate, who: store.Holder, day: dt.date) -> MandateForm:
    return MandateForm(
        document_code=mandate.document_code, kenmerk=mandate.kenmerk,
        creditor_name=creditor.name, creditor_address=creditor.address,
        creditor_postcode=creditor.postcode, creditor_place=creditor.place,
        creditor_id=creditor.id, debtor_name=mandate.holder_name, debtor_iban=mandate.iban,
        debtor_bic=mandate.bic, debtor_place=mandate.holder_place, printed_on=day,
        customer_id=mandate.customer_id, actor_id=who.actor_id,
        debtor_address=who.street_line, debtor_postcode=who.postcode,
    )


def print_new_mandate(db: Database, clock: Clock, staff: Staff | None, config: Config,
                      customer_id: int, iban: str, bic: str, holder_name: str,
                      holder_place: str, *,
                      printer: Callable[[MandateForm], object] | None = None) -> MandateForm:
    """Store a pending mandate with a new document code and kenmerk and return the form.

    Forms printed earlier for the customer and never processed are superseded (their codes
    are refused when scanned). ``printer`` gets the form after the commit (e.g. a function
    that spools it with ``print_mandate_form``).
    """
    creditor = creditor_of(config)
    details = check_bank_details(iban, bic, holder_name, holder_place)
    now = clock.now()
    staff_id = staff.id if staff else None
    with db.transaction():
        who = _holder(db, customer_id)
        for _ in range(1000):
            code = rules.document_code(rules.DOCUMENT_PREFIX, store.next_document_sequence(db))
            if not store.document_code_taken(db, code):
                break
        else:  # pragma: no cover - a thousand codes in a row taken: the counter was reset
            raise MandateError("Geen vrije documentcode gevonden; waarschuw de beheerder.")
        kenmerk = rules.make_kenmerk(
            who.actor_id, store.next_kenmerk_number(db, customer_id, who.actor_id))
        store.insert_document(db, code=code, customer_id=customer_id,
                              type_=rules.DOCUMENT_TYPE, at=now, staff_id=staff_id)
        mandate_id = store.insert_mandate(
            db, customer_id=customer_id, kenmerk=kenmerk, document_code=code,
            iban=details.iban, bic=details.bic, holder_name=details.holder_name,
            holder_place=details.holder_place, at=now, staff_id=staff_id)
        superseded = store.cancel_pending(db, customer_id, keep_id=mandate_id)
        audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id, entity="mandate",
                    entity_id=mandate_id, action="insert",
                    after={"kenmerk": kenmerk, "document_code": code, "status": store.PENDING,
                           "iban": banking.mask_iban(details.iban), "bic": details.bic,
                           "holder_name": details.holder_name,
                           "holder_place": details.holder_place})
        for old in superseded:
            audit.write(db, at=now, staff_id=staff_id, customer_id=customer_id,
                        entity="mandate", entity_id=old, action="update",
                        before={"status": store.PENDING}, after={"status": store.CANCELLED})
        mandate = store.get(db, mandate_id)
    assert mandate is not None
    form = _form(creditor, mandate, who, now.date())
    if printer is not None:
        printer(form)
    return form


def form_for(db: Database, config: Config, code: str, day: dt.date) -> MandateForm:
    """The form of a printed mandate again (a reprint of the same document code)."""
    mandate = store.by_document_code(db, rules.parse_document_code(code))
    if mandate is None:
        raise MandateError(f"Documentcode {code} is onbekend.")
    return _form(creditor_of(config), mandate, _holder(db, mandate.customer_id), day)


def _print_args(form: MandateForm, workstation: Workstation) -> dict:
    from tui_desk.devices import escpos

    return {
        "title": rules.FORM_TITLE,
        "rows": rules.form_rows(form),
        "request_key": f"{workstation.name}:machtiging:{form.document_code}",
        "customer_id": form.customer_id or None,
        "label": f"Machtiging {form.kenmerk}",
        "barcode": escpos.Barcode(form.document_code, escpos.CODABAR),
        # "Scan de barcode links bovenaan op de geprinte machtiging"
        "barcode_on_top": True,
    }


def mandate_print_request(db: Database, clock: Clock, config: Config, workstation: Workstation,
                          form: MandateForm, *, staff: Staff | None = None,
                          reprint: bool = False) -> PrintRequest | PrintOutcome:
    """Store the form as a print job (send it with ``printing.transmit``/``finish``, or a
    screen's ``start_print``): an A4 PDF on the workstation's office printer
    (``document_printer``), else the receipt-printer version. ``reprint``: a new copy of a
    form printed before (its own request, so it is not mistaken for a repeated key press)."""
    from tui_desk.services import printing

    if workstation.document_printer:
        from tui_desk.devices.pdf import mandate_pdf

        key = form.document_code + (f"|herdruk|{clock.now():%Y%m%d%H%M%S}" if reprint else "")
        return printing.request_pdf(
            db, clock, workstation, pdf=mandate_pdf(form, symbology=config.scanning.barcode),
            preview=_preview(form), request_key=key, customer_id=form.customer_id or None,
            label=f"Machtiging {form.kenmerk}", staff=staff)
    args = _print_args(form, workstation)
    if reprint:
        args["request_key"] += f":herdruk:{clock.now():%Y%m%d%H%M%S}"
    return printing.request_document(db, clock, config, workstation, staff=staff, **args)


def _preview(form: MandateForm, width: int = 72) -> list[str]:
    """The A4 form as text for the Afdrukvoorbeeld and the Printwachtrij, wrapped to ``width``."""
    import textwrap

    lines = []
    for line in rules.form_lines(form):
        lines += textwrap.wrap(line, width) or [""]
    return lines


def print_mandate_form(db: Database, clock: Clock, config: Config, workstation: Workstation,
                       form: MandateForm, *, staff: Staff | None = None) -> PrintOutcome:
    """Print the form (office printer or receipt printer) and wait (a ``PrintOutcome``)."""
    from tui_desk.services import printing

    request = mandate_print_request(db, clock, config, workstation, form, staff=staff)
    if isinstance(request, printing.PrintOutcome):
        return request
    return printing.send_request(db, clock, config, request)
