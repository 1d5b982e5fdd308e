"""What gets printed: the ledenpas, the receipts and documents, each stored as a job."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import Config, PrinterSettings, Workstation
from tui_desk.devices import escpos, evolis
from tui_desk.models import Customer, Staff
from tui_desk.rules.money import format_cents
from tui_desk.services import customers as customer_service
from tui_desk.services.printing.kinds import (
    INSCHRIJFBEWIJS,
    KASSABON,
    KLANTBON,
    LEDENPAS,
    MACHTIGING,
    PDF,
    UITSCHRIJFBEWIJS,
    PrintOutcome,
    PrintRequest,
)
from tui_desk.services.printing.spool import job_options, request_job
from tui_desk.statuses import CardStatus, LoginStatus
from tui_desk.store import accounts as account_store
from tui_desk.store.db import Database


# -- what gets printed -----------------------------------------------------------------------
def _header(config: Config, branch: str = "") -> escpos.Header:
    lib = config.library
    place = " ".join(x for x in (lib.postcode, lib.place) if x)
    return escpos.Header(lib.name, tuple(x for x in (lib.address, place, branch) if x))


def _address_lines(customer: Customer) -> tuple[str, ...]:
    a = customer.address
    if a is None:
        return ()
    return tuple(x for x in (a.line1, a.line2) if x)


def _username(db: Database, customer_id: int) -> tuple[str | None, bool]:
    link = account_store.current_link(db, customer_id)
    if link is None or link.account_status == LoginStatus.REMOVED:
        return None, False
    return link.username, link.account_status == LoginStatus.PENDING


def _no_printer(workstation: Workstation, role: str) -> PrintOutcome:
    what, key = ("pasprinter", "card_printer") if role == "card" else ("bonprinter",
                                                                          "receipt_printer")
    return PrintOutcome(False, f"Voor werkplek {workstation.name} is geen {what} ingesteld "
                               f"({key} in de configuratie).")


def _printer(workstation: Workstation, role: str,
             printer_url: str | None) -> PrinterSettings | None:
    """The workstation's printer for ``role`` (card/receipt); ``printer_url`` replaces its
    address (the command line's ``--printer``), keeping the workstation's settings."""
    if printer_url:
        base = replace(workstation, card_printer=printer_url, receipt_printer=printer_url)
        return base.card() if role == "card" else base.receipt()
    return workstation.card() if role == "card" else workstation.receipt()


def _load(db: Database, customer_id: int) -> Customer | PrintOutcome:
    try:
        return customer_service.load(db, customer_id)
    except customer_service.CustomerNotFound as exc:
        return PrintOutcome(False, str(exc))


def request_ledenpas(db: Database, clock: Clock, config: Config, workstation: Workstation,
                     customer_id: int, *, card_number: str | None = None,
                     printer_url: str | None = None,
                     staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    """Store (and claim) the ledenpas job; an outcome instead when there is nothing to print."""
    found = _printer_and_customer(db, workstation, "card", customer_id, printer_url)
    if isinstance(found, PrintOutcome):
        return found
    printer, customer = found
    number = card_number or (customer.active_card.number if customer.active_card else "")
    if not number:
        return PrintOutcome(False, f"{customer.name} heeft geen actieve pas om te printen.")
    card = next((c for c in customer.cards if c.number == number), None)
    if card is None or card.status != CardStatus.ACTIVE:
        return PrintOutcome(False, f"Pas {number} is niet actief en wordt niet geprint.")
    fields = evolis.CardFields(config.library.name, customer.name, number, printer.barcode)
    try:
        payload = evolis.print_job(fields)
    except ValueError as exc:
        return PrintOutcome(False, f"Ledenpas kan niet worden gemaakt: {exc}")
    return request_job(
        db, clock, workstation=workstation.name, printer=printer, kind=LEDENPAS,
        customer_id=customer_id, label=f"{number} {customer.name}", payload=payload,
        options=job_options(printer, card=fields.as_dict()),
        request_key=f"{LEDENPAS}|{workstation.name}|{printer.url}|{customer_id}|{number}",
        staff=staff)


def inschrijfbewijs_data(db: Database, clock: Clock, customer: Customer) -> escpos.Inschrijfbewijs:
    period = customer_service.current_period(customer)
    username, pending = _username(db, customer.id)
    return escpos.Inschrijfbewijs(
        at=clock.now(), customer_name=customer.full_name, card_number=customer.card_number,
        address_lines=_address_lines(customer), branch=customer.branch_name,
        subscription=period.tariff_name if period else "",
        valid_until=period.end_date if period else None,
        amount_cents=(period.amount_cents - period.discount_cents) if period else None,
        username=username, username_pending=pending, registered_on=customer.registered_on)


def klantbon_data(db: Database, clock: Clock, customer: Customer) -> escpos.Klantbon:
    header = customer_service.record_header(db, customer, clock.today())
    username, _pending = _username(db, customer.id)
    return escpos.Klantbon(
        at=clock.now(), customer_name=customer.full_name, card_number=customer.card_number,
        address_lines=_address_lines(customer), branch=customer.branch_name,
        birth_date=customer.birth_date, subscription=header.tariff_name,
        status_line=header.status_line, contribution_cents=header.contribution_cents,
        balance_cents=header.balance_cents, items_on_loan=customer.items_on_loan,
        strips=customer.strips, active_cards=header.active_cards, username=username)


def _receipt_request(db: Database, clock: Clock, workstation: Workstation,
                     printer: PrinterSettings, *, kind: str, customer_id: int | None, label: str,
                     payload: bytes, key: str, staff: Staff | None) -> PrintRequest:
    return request_job(db, clock, workstation=workstation.name, printer=printer, kind=kind,
                       customer_id=customer_id, label=label, payload=payload,
                       options=job_options(printer, columns=printer.columns),
                       request_key=f"{kind}|{workstation.name}|{printer.url}|{key}",
                       staff=staff)


def _printer_and_customer(db: Database, workstation: Workstation, role: str, customer_id: int,
                          printer_url: str | None
                          ) -> tuple[PrinterSettings, Customer] | PrintOutcome:
    """The printer for ``role`` (card/receipt) and the customer a print for a customer
    needs, or the outcome that says why there is nothing to print."""
    printer = _printer(workstation, role, printer_url)
    if printer is None:
        return _no_printer(workstation, role)
    customer = _load(db, customer_id)
    if isinstance(customer, PrintOutcome):
        return customer
    return printer, customer


# Makes a receipt's bytes: (customer, columns, header, barcode) → ESC/POS.
Rendering = Callable[[Customer, int, escpos.Header, str], bytes]


def _customer_receipt(db: Database, clock: Clock, config: Config, workstation: Workstation,
                      customer_id: int, *, kind: str, render: Rendering,
                      key: Callable[[Customer], str], printer_url: str | None,
                      staff: Staff | None) -> PrintRequest | PrintOutcome:
    """A receipt-printer print about one customer: ``render(customer, columns, header,
    barcode)`` makes its bytes; ``key(customer)`` says which repeat is the same request."""
    found = _printer_and_customer(db, workstation, "receipt", customer_id, printer_url)
    if isinstance(found, PrintOutcome):
        return found
    printer, customer = found
    payload = render(customer, printer.columns, _header(config, customer.branch_name),
                     workstation.card_barcode)
    return _receipt_request(db, clock, workstation, printer, kind=kind,
                            customer_id=customer_id, label=customer.name, payload=payload,
                            key=key(customer), staff=staff)


def request_inschrijfbewijs(db: Database, clock: Clock, config: Config, workstation: Workstation,
                            customer_id: int, *, printer_url: str | None = None,
                            staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    def render(customer: Customer, columns: int, header: escpos.Header, barcode: str) -> bytes:
        return escpos.inschrijfbewijs(inschrijfbewijs_data(db, clock, customer),
                                      columns=columns, header=header, barcode=barcode)

    def key(customer: Customer) -> str:   # a new period is a new Inschrijfbewijs
        period = customer_service.current_period(customer)
        return f"{customer_id}|{period.id if period else ''}"

    return _customer_receipt(db, clock, config, workstation, customer_id, kind=INSCHRIJFBEWIJS,
                             render=render, key=key, printer_url=printer_url, staff=staff)


def request_klantbon(db: Database, clock: Clock, config: Config, workstation: Workstation,
                     customer_id: int, *, printer_url: str | None = None,
                     staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    def render(customer: Customer, columns: int, header: escpos.Header, barcode: str) -> bytes:
        return escpos.klantbon(klantbon_data(db, clock, customer), columns=columns,
                               header=header, barcode=barcode)

    return _customer_receipt(db, clock, config, workstation, customer_id, kind=KLANTBON,
                             render=render, key=lambda _customer: str(customer_id),
                             printer_url=printer_url, staff=staff)


def request_uitschrijfbewijs(db: Database, clock: Clock, config: Config,
                             workstation: Workstation, customer_id: int, *,
                             printer_url: str | None = None,
                             staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    """The Uitschrijfbewijs: proof for the customer that the membership has ended."""
    from tui_desk.services.privacy import uitschrijfbewijs_rows

    rows = uitschrijfbewijs_rows(db, customer_id)
    footer = ("Uw lidmaatschap is beëindigd. Uw gegevens worden bewaard zolang de wet dat "
              "vraagt en daarna verwijderd.",)
    return request_document(db, clock, config, workstation, title="Uitschrijfbewijs",
                            rows=list(rows),
                            request_key=f"{customer_id}", kind=UITSCHRIJFBEWIJS,
                            customer_id=customer_id, label=rows[0][1], footer=footer,
                            printer_url=printer_url, staff=staff)


def kassabon_from(receipt: Any) -> escpos.Kassabon:
    """An ``escpos.Kassabon``, or the settlement service's receipt (duck-typed) made into one.

    Understood attributes: payment_id, at, customer_name, card_number, lines (text,
    amount_cents), total_cents, method_label, tendered_cents, change_cents, remaining_cents,
    register_name, staff_name, branch_name.
    """
    if isinstance(receipt, escpos.Kassabon):
        return receipt
    lines = tuple(escpos.SaleLine(line.text, line.amount_cents) for line in receipt.lines)
    method = getattr(receipt, "method", "")
    return escpos.Kassabon(
        reference=str(receipt.payment_id), at=receipt.at, customer_name=receipt.customer_name,
        card_number=receipt.card_number, lines=lines, total_cents=receipt.total_cents,
        payment_method=receipt.method_label,
        tendered_cents=getattr(receipt, "tendered_cents", None),
        change_cents=getattr(receipt, "change_cents", None) if method != "pin" else None,
        remaining_cents=getattr(receipt, "remaining_cents", 0) or 0,
        register=getattr(receipt, "register_name", ""), staff=getattr(receipt, "staff_name", ""),
        branch=getattr(receipt, "branch_name", ""))


def request_kassabon(db: Database, clock: Clock, config: Config, workstation: Workstation,
                     receipt: Any, *, customer_id: int | None = None,
                     printer_url: str | None = None,
                     staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    printer = _printer(workstation, "receipt", printer_url)
    if printer is None:
        return _no_printer(workstation, "receipt")
    bon = kassabon_from(receipt)
    payload = escpos.kassabon(bon, columns=printer.columns, header=_header(config, bon.branch),
                              barcode=workstation.card_barcode)
    return _receipt_request(db, clock, workstation, printer, kind=KASSABON,
                            customer_id=customer_id,
                            label=f"{bon.customer_name} {format_cents(bon.total_cents)}",
                            payload=payload, key=bon.reference, staff=staff)


def request_document(db: Database, clock: Clock, config: Config, workstation: Workstation, *,
                     title: str, rows: Sequence[escpos.Row], request_key: str,
                     kind: str = MACHTIGING, customer_id: int | None = None, label: str = "",
                     barcode: escpos.Barcode | None = None, footer: Sequence[str] = (),
                     barcode_on_top: bool = False, printer_url: str | None = None,
                     staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    """Any receipt-printer document (the SEPA mandate form): a title and rows; the barcode
    under the rows, or at the top left with ``barcode_on_top`` (a form's document code)."""
    printer = _printer(workstation, "receipt", printer_url)
    if printer is None:
        return _no_printer(workstation, "receipt")
    payload = escpos.document(title, rows, columns=printer.columns, header=_header(config),
                              barcode=barcode, footer=footer, at=clock.now(),
                              barcode_on_top=barcode_on_top)
    return _receipt_request(db, clock, workstation, printer, kind=kind, customer_id=customer_id,
                            label=label or title, payload=payload, key=request_key, staff=staff)


def request_pdf(db: Database, clock: Clock, workstation: Workstation, *, pdf: bytes,
                preview: Sequence[str], request_key: str, kind: str = MACHTIGING,
                customer_id: int | None = None, label: str = "",
                staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    """An A4 document (PDF) for the workstation's office printer, through the spool like every
    print; ``preview`` is its text for the Afdrukvoorbeeld and the Printwachtrij."""
    printer = workstation.document()
    if printer is None:
        return PrintOutcome(False, f"Voor werkplek {workstation.name} is geen kantoorprinter "
                                   "ingesteld (document_printer in de configuratie).")
    return request_job(db, clock, workstation=workstation.name, printer=printer, kind=kind,
                       customer_id=customer_id, label=label, payload=pdf,
                       options={"format": PDF, "timeout": printer.timeout,
                                "preview": list(preview)},
                       request_key=f"{kind}|{workstation.name}|{printer.url}|{request_key}",
                       staff=staff)
