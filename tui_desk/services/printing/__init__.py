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

from collections.abc import Callable
from typing import Concatenate, ParamSpec

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.devices import evolis as evolis  # the device a ledenpas goes to (tests break it)
from tui_desk.services.printing.documents import (
    inschrijfbewijs_data,
    kassabon_from,
    klantbon_data,
    request_document,
    request_inschrijfbewijs,
    request_kassabon,
    request_klantbon,
    request_ledenpas,
    request_pdf,
    request_uitschrijfbewijs,
)
from tui_desk.services.printing.kinds import (
    DUPLICATE_WINDOW,
    INSCHRIJFBEWIJS,
    KASSABON,
    KIND_LABELS,
    KLANTBON,
    LEDENPAS,
    MACHTIGING,
    PDF,
    STALE_AFTER,
    STATUS_LABELS,
    UITSCHRIJFBEWIJS,
    PrintOutcome,
    PrintRequest,
    SendResult,
)
from tui_desk.services.printing.previews import (
    describe,
    preview_lines,
    preview_text,
)
from tui_desk.services.printing.spool import (
    cancel,
    card_owner,
    finish,
    get_job,
    list_jobs,
    request_job,
    request_retry,
    transmit,
)
from tui_desk.services.workstations import (
    DEMO_WORKSTATION,
    WORKSTATION_ENV,
    client_address,
    resolve_workstation,
)
from tui_desk.store import print_jobs as store
from tui_desk.store.db import Database
from tui_desk.store.print_jobs import FAILED as FAILED  # for the screens
from tui_desk.store.print_jobs import QUEUED as QUEUED
from tui_desk.store.print_jobs import PrintJob as PrintJob

P = ParamSpec("P")
RequestFunction = Callable[Concatenate[Database, Clock, Config, P], PrintRequest | PrintOutcome]
PrintFunction = Callable[Concatenate[Database, Clock, Config, P], PrintOutcome]


# -- sending what was stored -----------------------------------------------------------------
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


def printed(request: RequestFunction[P]) -> PrintFunction[P]:
    """A ``request_*`` that also sends its job and waits for it: ``print_*`` (the command line
    and the tests; a screen sends in a worker instead)."""

    def run(db: Database, clock: Clock, config: Config, /, *args: P.args,
            **kwargs: P.kwargs) -> PrintOutcome:
        outcome = request(db, clock, config, *args, **kwargs)
        if isinstance(outcome, PrintOutcome):
            return outcome
        return send_request(db, clock, config, outcome)

    run.__name__ = run.__qualname__ = request.__name__.replace("request_", "print_", 1)
    run.__doc__ = f"``{request.__name__}`` and send the job (waits for the printer)."
    return run


# The ledenpas (the active card, or ``card_number``); the receipts; a payment's kassabon (an
# ``escpos.Kassabon`` or the settlement's receipt); any document (the mandate form).
print_ledenpas = printed(request_ledenpas)
print_inschrijfbewijs = printed(request_inschrijfbewijs)
print_klantbon = printed(request_klantbon)
print_kassabon = printed(request_kassabon)
print_document = printed(request_document)


def retry(db: Database, clock: Clock, job_id: int, config: Config | None = None) -> PrintOutcome:
    """Send a failed job again (and wait for it)."""
    request = request_retry(db, clock, job_id)
    if not request.send or request.job is None:
        return PrintOutcome(False, request.message, request.job)
    return finish(db, clock, job_id, transmit(request.job, config.printing if config else None))


def send_queued(db: Database, clock: Clock, config: Config | None,
                workstation: str) -> list[PrintOutcome]:
    """Send the workstation's queued jobs (those stored inside a business transaction)."""
    return [retry(db, clock, job_id, config) for job_id in store.queued_ids(db, workstation)]


__all__ = [
    "DEMO_WORKSTATION",
    "DUPLICATE_WINDOW",
    "INSCHRIJFBEWIJS",
    "KASSABON",
    "KIND_LABELS",
    "KLANTBON",
    "LEDENPAS",
    "MACHTIGING",
    "PDF",
    "PrintOutcome",
    "PrintRequest",
    "STALE_AFTER",
    "STATUS_LABELS",
    "SendResult",
    "UITSCHRIJFBEWIJS",
    "WORKSTATION_ENV",
    "cancel",
    "card_owner",
    "client_address",
    "describe",
    "finish",
    "get_job",
    "inschrijfbewijs_data",
    "kassabon_from",
    "klantbon_data",
    "list_jobs",
    "preview_lines",
    "preview_text",
    "print_document",
    "print_inschrijfbewijs",
    "print_kassabon",
    "print_klantbon",
    "print_ledenpas",
    "request_document",
    "request_inschrijfbewijs",
    "request_job",
    "request_kassabon",
    "request_klantbon",
    "request_ledenpas",
    "request_pdf",
    "request_retry",
    "request_uitschrijfbewijs",
    "resolve_workstation",
    "retry",
    "send_queued",
    "send_request",
    "transmit",
]
