"""Printing at the counter: the ledenpas on the card printer, receipts on the receipt printer.

Every print is a job in the spool (``store.print_jobs``), stored in one transaction *before* it
is sent. Sending happens outside any database transaction, with retries while the printer cannot
be reached at all; a job that fails keeps its error and waits on the Printwachtrij for a retry or
a cancel. Asking for the same print again (same workstation, kind, customer, card) while a job
for it is queued, printing or failed never makes a second copy ("NOOIT EEN ENTER DOEN"): the
existing job is returned (a failed one is replaced by the new request), and a job printed in
the last few seconds counts as the answer too.

A printer fault never raises into the caller: the print functions return a ``PrintOutcome``
with a Dutch message. A registration or payment is saved first; printing comes after. Called
inside the caller's transaction, a print only queues its job (committed with the business
action) and ``send_queued`` sends it afterwards.

Screens split a print in three, so that the waiting happens in a worker thread (the database
connection belongs to the screen's thread): ``request_*`` stores and claims the job,
``transmit`` talks to the printer (no database), ``finish`` records the result.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import Config, PrinterSettings, PrintingSettings, Workstation
from tui_desk.devices import escpos, evolis
from tui_desk.devices.transports import DemoTransport, PrinterError, open_transport
from tui_desk.models import Customer, Staff
from tui_desk.rules import dates
from tui_desk.rules.money import format_cents
from tui_desk.services import customers as customer_service
from tui_desk.store import accounts as account_store
from tui_desk.store import print_jobs as store
from tui_desk.store.db import Database, DuplicateRecord
from tui_desk.store.print_jobs import FAILED as FAILED  # for the screens
from tui_desk.store.print_jobs import QUEUED as QUEUED
from tui_desk.store.print_jobs import PrintJob

LEDENPAS, INSCHRIJFBEWIJS, KLANTBON, KASSABON, MACHTIGING, UITSCHRIJFBEWIJS = (
    "ledenpas", "inschrijfbewijs", "klantbon", "kassabon", "machtiging", "uitschrijfbewijs")
KIND_LABELS = {LEDENPAS: "Ledenpas", INSCHRIJFBEWIJS: "Inschrijfbewijs", KLANTBON: "Klantbon",
               KASSABON: "Kassabon", MACHTIGING: "Machtiging",
               UITSCHRIJFBEWIJS: "Uitschrijfbewijs"}
STATUS_LABELS = {store.QUEUED: "In wachtrij", store.PRINTING: "Bezig", store.DONE: "Geprint",
                 store.SENT: "Verstuurd", store.FAILED: "Mislukt",
                 store.CANCELLED: "Geannuleerd"}
# A job printed this recently answers a repeated request (a bouncing Enter) instead of a copy.
DUPLICATE_WINDOW = dt.timedelta(seconds=5)
# A job 'printing' for longer than this was left behind by a program that stopped.
STALE_AFTER = dt.timedelta(minutes=10)
DEMO_WORKSTATION = "oefenbalie"
PDF = "pdf"             # a job's options["format"]: an A4 PDF for the office printer
WORKSTATION_ENV = "TUI_DESK_WORKSTATION"


# -- which workstation -----------------------------------------------------------------------
def client_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The SSH client's address (``SSH_CONNECTION``, else ``SSH_CLIENT``), if any: the desk's
    (``services.desk.client_address``), which also keys the session of a draft.

    >>> client_address({"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22"})
    '10.0.0.5'
    """
    from tui_desk.services.desk import client_address as desk_client_address

    return desk_client_address(environ)


def _matches(entry: str, address: str) -> bool:
    entry = entry.strip()
    if entry == address:
        return True
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if "/" in entry:
            return ip in ipaddress.ip_network(entry, strict=False)
        return ip == ipaddress.ip_address(entry)
    except ValueError:
        return False


def resolve_workstation(config: Config, environ: Mapping[str, str] | None = None, *,
                        demo: bool = False) -> Workstation:
    """The workstation this session runs for.

    ``TUI_DESK_WORKSTATION`` names it; otherwise the SSH client's address is looked up in the
    workstations' ``clients`` (addresses or networks such as ``10.0.1.0/24``). Found nowhere:
    a workstation without printers named after the address (printing then says what to
    configure). In demo mode every printer that is not configured is the demo printer.
    """
    env = os.environ if environ is None else environ
    found: Workstation | None = None
    wanted = (env.get(WORKSTATION_ENV) or "").strip()
    address = client_address(env)
    if wanted:
        found = next((w for w in config.workstations if w.name == wanted), None)
    elif address:
        found = next((w for w in config.workstations
                      if any(_matches(c, address) for c in w.clients)), None)
    if found is None:
        name = wanted or (DEMO_WORKSTATION if demo else f"onbekend ({address or 'lokaal'})")
        branch = config.branches[0].code if config.branches else ""
        found = Workstation(name, branch)
    if demo:
        found = replace(found, receipt_printer=found.receipt_printer or "demo:",
                        card_printer=found.card_printer or "demo:",
                        document_printer=found.document_printer or "demo:")
    return found


# -- results ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PrintRequest:
    """A stored job and whether this caller should send it now."""

    job: PrintJob | None
    send: bool
    message: str
    duplicate: bool = False     # the same print was asked for already: this is that job


@dataclass(frozen=True)
class SendResult:
    ok: bool
    attempts: int
    error: str = ""
    warning: str = ""
    files: tuple[str, ...] = ()      # the demo printer's files
    # The printer said it could print (status answered, every command acknowledged, or the
    # demo printer's file). False: every byte was sent, but the printer does not tell.
    confirmed: bool = True


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to a print, in Dutch for the status line."""

    ok: bool
    message: str
    job: PrintJob | None = None
    duplicate: bool = False
    warning: str = ""

    @property
    def job_id(self) -> int | None:
        return self.job.id if self.job else None


def _kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


# -- storing ---------------------------------------------------------------------------------
def _options(printer: PrinterSettings, **extra: Any) -> dict[str, Any]:
    return {"baudrate": printer.baudrate, "timeout": printer.timeout, "status": printer.status,
            **extra}


def request_job(db: Database, clock: Clock, *, workstation: str, printer: PrinterSettings,
                kind: str, customer_id: int | None, label: str, payload: bytes,
                options: dict[str, Any], request_key: str,
                staff: Staff | None = None) -> PrintRequest:
    """Store the job (one transaction) and claim it for sending; or return the open one."""
    now = clock.now()
    inside = db.conn.in_transaction
    what = _kind_label(kind)
    try:
        with db.transaction():
            store.fail_stale(db, now - STALE_AFTER, now,
                             "Het printen is afgebroken (programma gestopt). Probeer opnieuw.")
            existing = store.open_by_key(db, request_key)
            if existing is not None and existing.status == store.FAILED:
                store.cancel(db, existing.id, now)     # the new request replaces it
            elif existing is not None:
                return PrintRequest(existing, False,
                                    f"{what} wordt al geprint (opdracht {existing.id}); "
                                    "er komt geen tweede exemplaar.", duplicate=True)
            recent = store.done_since(db, request_key, now - DUPLICATE_WINDOW)
            if recent is not None:
                return PrintRequest(recent, False,
                                    f"{what} is zojuist geprint (opdracht {recent.id}); er komt "
                                    "geen tweede exemplaar. Opnieuw printen kan over een paar "
                                    "seconden.", duplicate=True)
            job_id = store.insert(db, now=now, workstation=workstation, printer=printer.url,
                                  kind=kind, customer_id=customer_id, label=label,
                                  payload=payload, options=options, request_key=request_key,
                                  staff_id=staff.id if staff else None)
            if not inside:
                store.claim(db, job_id, now)
    except DuplicateRecord:
        # Another session stored the same request a moment ago.
        existing = store.open_by_key(db, request_key)
        return PrintRequest(existing, False, f"{what} wordt al geprint; er komt geen tweede "
                                             "exemplaar.", duplicate=True)
    job = store.get(db, job_id)
    if inside:
        return PrintRequest(job, False, f"{what} staat in de wachtrij (opdracht {job_id}).")
    return PrintRequest(job, True, f"{what} wordt geprint…")


# -- sending (no database) -------------------------------------------------------------------
def _send_once(job: PrintJob, printing: PrintingSettings) -> tuple[str, list[str], bool]:
    """Open the printer, send, close; returns (warning, demo files, confirmed)."""
    options = job.options
    timeout = float(options.get("timeout", printing.timeout))
    if options.get("format") == PDF:
        from tui_desk.devices import ipp

        # The IPP printer answers with a job id once it has the whole job (confirmed); a PDF
        # written to a folder is there.
        stamp = job.created_at.strftime("%Y%m%d-%H%M%S")
        files = ipp.send(job.printer, job.payload or b"", job_name=f"{stamp}-{job.id}-{job.kind}",
                         timeout=timeout, demo_folder=printing.demo_folder)
        return "", files, True
    transport = open_transport(job.printer, timeout=timeout,
                               baudrate=int(options.get("baudrate", 9600)),
                               demo_folder=printing.demo_folder, label=f"{job.id}-{job.kind}")
    warning, files = "", []
    demo = isinstance(transport, DemoTransport)
    try:
        payload = job.payload or b""
        if job.kind == LEDENPAS:
            replies = bool(options.get("status", True))
            evolis.send(transport, payload, replies=replies, timeout=timeout)
            confirmed = replies and transport.can_read
        else:
            status = escpos.send(transport, payload,
                                 check_status=bool(options.get("status", True)),
                                 status_timeout=min(timeout, 2.0))
            warning = (status.warning or "") if status else ""
            confirmed = status is not None
        if demo:
            text = "\n".join(preview_lines(job)) + "\n"
            files.append(str(transport.attach(".txt", text.encode("utf-8"))))
            if job.kind == LEDENPAS:
                panel = evolis.panel_of(payload)
                if panel is not None:
                    buffer = _png(evolis.panel_image(panel))
                    files.append(str(transport.attach(".png", buffer)))
            files.append(str(transport.stem) + ".bin")
    finally:
        transport.close()
    return warning, files, confirmed or demo


def _png(image) -> bytes:  # noqa: ANN001 - a Pillow image
    import io

    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def transmit(job: PrintJob, printing: PrintingSettings | None = None, *,
             sleep: Callable[[float], None] = time.sleep) -> SendResult:
    """Send a job to its printer, trying again while nothing reached it. Never raises."""
    printing = printing or PrintingSettings()
    attempts = 0
    error = ""
    for attempt in range(1, max(1, printing.tries) + 1):
        attempts = attempt
        try:
            warning, files, confirmed = _send_once(job, printing)
            return SendResult(True, attempts, warning=warning, files=tuple(files),
                              confirmed=confirmed)
        except PrinterError as exc:
            error = exc.message
            if not exc.retryable:
                break
        except Exception as exc:  # noqa: BLE001 - a printer problem never reaches the caller
            error = f"Onverwachte fout bij het printen: {type(exc).__name__}: {exc}"
            break
        if attempt < printing.tries:
            sleep(printing.retry_delay)
    return SendResult(False, attempts, error=error)


def finish(db: Database, clock: Clock, job_id: int, result: SendResult) -> PrintOutcome:
    """Record what ``transmit`` found; the outcome says it in Dutch."""
    now = clock.now()
    with db.transaction():
        store.finish(db, job_id, now, ok=result.ok, attempts=result.attempts,
                     error=result.error, confirmed=result.confirmed)
    job = store.get(db, job_id, with_payload=False)
    what = _kind_label(job.kind) if job else "Opdracht"
    if result.ok:
        message = f"{what} geprint."
        if result.files:
            message = f"{what} geprint op de oefenprinter."
        elif not result.confirmed:
            message = (f"{what} verstuurd naar de printer; deze printer meldt niet of het "
                       "gelukt is: kijk of hij eruit komt.")
        if result.warning:
            message += f" Let op: {result.warning}"
        return PrintOutcome(True, message, job, warning=result.warning)
    return PrintOutcome(False, f"{what} niet geprint: {result.error} De opdracht staat in de "
                               "Printwachtrij; probeer daar opnieuw.", job)


def send_request(db: Database, clock: Clock, config: Config | None,
                 request: PrintRequest) -> PrintOutcome:
    """Send a request's job when it is this caller's to send (synchronously)."""
    if request.job is None:
        return PrintOutcome(False, request.message)
    if not request.send:
        return PrintOutcome(request.job.status != store.FAILED, request.message, request.job,
                            duplicate=request.duplicate)
    result = transmit(request.job, config.printing if config else None)
    return finish(db, clock, request.job.id, result)


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
    if link is None or link.account_status == "removed":
        return None, False
    return link.username, link.account_status == "pending"


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
    printer = _printer(workstation, "card", printer_url)
    if printer is None:
        return _no_printer(workstation, "card")
    customer = _load(db, customer_id)
    if isinstance(customer, PrintOutcome):
        return customer
    number = card_number or (customer.active_card.number if customer.active_card else "")
    if not number:
        return PrintOutcome(False, f"{customer.name} heeft geen actieve pas om te printen.")
    card = next((c for c in customer.cards if c.number == number), None)
    if card is None or card.status != "actief":
        return PrintOutcome(False, f"Pas {number} is niet actief en wordt niet geprint.")
    fields = evolis.CardFields(config.library.name, customer.name, number, printer.barcode)
    try:
        payload = evolis.print_job(fields)
    except ValueError as exc:
        return PrintOutcome(False, f"Ledenpas kan niet worden gemaakt: {exc}")
    return request_job(
        db, clock, workstation=workstation.name, printer=printer, kind=LEDENPAS,
        customer_id=customer_id, label=f"{number} {customer.name}", payload=payload,
        options=_options(printer, card=fields.as_dict()),
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
                       options=_options(printer, columns=printer.columns),
                       request_key=f"{kind}|{workstation.name}|{printer.url}|{key}",
                       staff=staff)


def request_inschrijfbewijs(db: Database, clock: Clock, config: Config, workstation: Workstation,
                            customer_id: int, *, printer_url: str | None = None,
                            staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    printer = _printer(workstation, "receipt", printer_url)
    if printer is None:
        return _no_printer(workstation, "receipt")
    customer = _load(db, customer_id)
    if isinstance(customer, PrintOutcome):
        return customer
    data = inschrijfbewijs_data(db, clock, customer)
    payload = escpos.inschrijfbewijs(data, columns=printer.columns,
                                     header=_header(config, customer.branch_name),
                                     barcode=workstation.card_barcode)
    period = customer_service.current_period(customer)
    return _receipt_request(db, clock, workstation, printer, kind=INSCHRIJFBEWIJS,
                            customer_id=customer_id, label=customer.name, payload=payload,
                            key=f"{customer_id}|{period.id if period else ''}", staff=staff)


def request_klantbon(db: Database, clock: Clock, config: Config, workstation: Workstation,
                     customer_id: int, *, printer_url: str | None = None,
                     staff: Staff | None = None) -> PrintRequest | PrintOutcome:
    printer = _printer(workstation, "receipt", printer_url)
    if printer is None:
        return _no_printer(workstation, "receipt")
    customer = _load(db, customer_id)
    if isinstance(customer, PrintOutcome):
        return customer
    payload = escpos.klantbon(klantbon_data(db, clock, customer), columns=printer.columns,
                              header=_header(config, customer.branch_name),
                              barcode=workstation.card_barcode)
    return _receipt_request(db, clock, workstation, printer, kind=KLANTBON,
                            customer_id=customer_id, label=customer.name, payload=payload,
                            key=str(customer_id), staff=staff)


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


def _run(db: Database, clock: Clock, config: Config,
         request: PrintRequest | PrintOutcome) -> PrintOutcome:
    if isinstance(request, PrintOutcome):
        return request
    return send_request(db, clock, config, request)


def print_ledenpas(db: Database, clock: Clock, config: Config, workstation: Workstation,
                   customer_id: int, *, card_number: str | None = None,
                   printer_url: str | None = None, staff: Staff | None = None) -> PrintOutcome:
    """Print the customer's ledenpas (the active card, or ``card_number``) and wait for it."""
    return _run(db, clock, config, request_ledenpas(
        db, clock, config, workstation, customer_id, card_number=card_number,
        printer_url=printer_url, staff=staff))


def print_inschrijfbewijs(db: Database, clock: Clock, config: Config, workstation: Workstation,
                          customer_id: int, *, printer_url: str | None = None,
                          staff: Staff | None = None) -> PrintOutcome:
    return _run(db, clock, config, request_inschrijfbewijs(
        db, clock, config, workstation, customer_id, printer_url=printer_url, staff=staff))


def print_klantbon(db: Database, clock: Clock, config: Config, workstation: Workstation,
                   customer_id: int, *, printer_url: str | None = None,
                   staff: Staff | None = None) -> PrintOutcome:
    return _run(db, clock, config, request_klantbon(
        db, clock, config, workstation, customer_id, printer_url=printer_url, staff=staff))


def print_kassabon(db: Database, clock: Clock, config: Config, workstation: Workstation,
                   receipt: Any, *, customer_id: int | None = None,
                   printer_url: str | None = None, staff: Staff | None = None) -> PrintOutcome:
    """Print a payment's receipt (an ``escpos.Kassabon`` or the settlement's receipt)."""
    return _run(db, clock, config, request_kassabon(
        db, clock, config, workstation, receipt, customer_id=customer_id,
        printer_url=printer_url, staff=staff))


def print_document(db: Database, clock: Clock, config: Config, workstation: Workstation,
                   **kwargs: Any) -> PrintOutcome:
    """``request_document`` and send: e.g. the mandate form (``kind="machtiging"``)."""
    return _run(db, clock, config, request_document(db, clock, config, workstation, **kwargs))


# -- the queue -------------------------------------------------------------------------------
def list_jobs(db: Database, workstation: str | None = None, *, limit: int = 200) -> list[PrintJob]:
    """Jobs, newest first (without their bytes); one workstation's or all."""
    return store.list_jobs(db, workstation, limit=limit)


def get_job(db: Database, job_id: int) -> PrintJob | None:
    return store.get(db, job_id)


def request_retry(db: Database, clock: Clock, job_id: int) -> PrintRequest:
    """Claim a failed (or queued) job for sending again."""
    now = clock.now()
    with db.transaction():
        store.fail_stale(db, now - STALE_AFTER, now,
                         "Het printen is afgebroken (programma gestopt). Probeer opnieuw.")
        job = store.get(db, job_id, with_payload=False)
        if job is None:
            return PrintRequest(None, False, f"Printopdracht {job_id} bestaat niet.")
        if not store.claim(db, job_id, now):
            return PrintRequest(job, False, f"Opdracht {job_id} kan niet opnieuw: status "
                                            f"{STATUS_LABELS.get(job.status, job.status)}.")
    return PrintRequest(store.get(db, job_id), True, f"Opdracht {job_id} wordt opnieuw "
                                                     "geprint…")


def retry(db: Database, clock: Clock, job_id: int, config: Config | None = None) -> PrintOutcome:
    """Send a failed job again (and wait for it)."""
    request = request_retry(db, clock, job_id)
    if not request.send:
        return PrintOutcome(False, request.message, request.job)
    return finish(db, clock, job_id, transmit(request.job, config.printing if config else None))


def cancel(db: Database, clock: Clock, job_id: int) -> PrintOutcome:
    """Cancel a queued or failed job; a job at the printer or printed stays as it is."""
    with db.transaction():
        job = store.get(db, job_id, with_payload=False)
        if job is None:
            return PrintOutcome(False, f"Printopdracht {job_id} bestaat niet.")
        if not store.cancel(db, job_id, clock.now()):
            return PrintOutcome(False, f"Opdracht {job_id} kan niet worden geannuleerd: status "
                                       f"{STATUS_LABELS.get(job.status, job.status)}.", job)
    return PrintOutcome(True, f"Opdracht {job_id} geannuleerd.",
                        store.get(db, job_id, with_payload=False))


def send_queued(db: Database, clock: Clock, config: Config | None,
                workstation: str) -> list[PrintOutcome]:
    """Send the workstation's queued jobs (those stored inside a business transaction)."""
    outcomes = []
    for job_id in store.queued_ids(db, workstation):
        outcomes.append(retry(db, clock, job_id, config))
    return outcomes


def card_owner(db: Database, card_number: str) -> tuple[int | None, str] | None:
    """(customer id, card status) of a card number; None when the number is unknown."""
    return store.customer_card(db, card_number)


# -- previews --------------------------------------------------------------------------------
def preview_lines(job: PrintJob) -> list[str]:
    """The job as text: the receipt's lines, or a picture of the card with its fields."""
    if job.kind == LEDENPAS:
        fields = job.options.get("card")
        if isinstance(fields, dict):
            return evolis.preview_lines(evolis.CardFields.from_dict(fields))
        panel = evolis.panel_of(job.payload or b"")
        return evolis.bitmap_preview(panel) if panel else ["(geen voorbeeld)"]
    if job.options.get("format") == PDF:
        lines = job.options.get("preview")
        return [str(x) for x in lines] if isinstance(lines, list) else ["(pdf)"]
    columns = job.options.get("columns")
    try:
        return escpos.preview_lines(job.payload or b"", columns if isinstance(columns, int)
                                    else None)
    except ValueError as exc:
        return [f"(geen voorbeeld: {exc})"]


def preview_text(job: PrintJob) -> str:
    return "\n".join(preview_lines(job))


def describe(job: PrintJob) -> dict[str, str]:
    """The columns of the Printwachtrij for one job, as text."""
    return {
        "Tijd": f"{dates.show(job.created_at.date())} {job.created_at:%H:%M}",
        "Soort": _kind_label(job.kind),
        "Klant": job.label,
        "Printer": job.printer,
        "Status": STATUS_LABELS.get(job.status, job.status),
        "Pogingen": str(job.tries),
        "Laatste fout": job.last_error,
    }
