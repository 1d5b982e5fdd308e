"""The spool: storing a job (never a second copy), sending it (no database), recording
the result, and the Printwachtrij's retry and cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui_desk.clock import Clock
from tui_desk.config import PrinterSettings, PrintingSettings
from tui_desk.devices import escpos, evolis
from tui_desk.devices.transports import DemoTransport, PrinterError, open_transport
from tui_desk.models import Staff
from tui_desk.services.printing.kinds import (
    DUPLICATE_WINDOW,
    LEDENPAS,
    PDF,
    STALE_AFTER,
    STATUS_LABELS,
    PrintOutcome,
    PrintRequest,
    SendResult,
    kind_label,
)
from tui_desk.services.printing.previews import preview_lines
from tui_desk.store import print_jobs as store
from tui_desk.store.db import Database
from tui_desk.store.engine import inside_transaction
from tui_desk.store.print_jobs import PrintJob

if TYPE_CHECKING:
    from PIL.Image import Image


# -- storing ---------------------------------------------------------------------------------
def job_options(printer: PrinterSettings, **extra: Any) -> dict[str, Any]:
    return {"baudrate": printer.baudrate, "timeout": printer.timeout, "status": printer.status,
            **extra}


def request_job(db: Database, clock: Clock, *, workstation: str, printer: PrinterSettings,
                kind: str, customer_id: int | None, label: str, payload: bytes,
                options: dict[str, Any], request_key: str,
                staff: Staff | None = None) -> PrintRequest:
    """Store the job (one transaction) and claim it for sending; or return the open one."""
    now = clock.now()
    inside = inside_transaction(db)
    what = kind_label(kind)
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
        if job_id is None:
            # Another session stored the same request a moment ago.
            return PrintRequest(store.open_by_key(db, request_key), False,
                                f"{what} wordt al geprint; er komt geen tweede exemplaar.",
                                duplicate=True)
        if not inside:
            store.claim(db, job_id, now)
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
    demo = transport if isinstance(transport, DemoTransport) else None
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
        if demo is not None:
            text = "\n".join(preview_lines(job)) + "\n"
            files.append(str(demo.attach(".txt", text.encode("utf-8"))))
            if job.kind == LEDENPAS:
                panel = evolis.panel_of(payload)
                if panel is not None:
                    buffer = _png(evolis.panel_image(panel))
                    files.append(str(demo.attach(".png", buffer)))
            files.append(str(demo.stem) + ".bin")
    finally:
        transport.close()
    return warning, files, confirmed or demo is not None


def _png(image: Image) -> bytes:
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
        except Exception as exc:
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
    what = kind_label(job.kind) if job else "Opdracht"
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



def card_owner(db: Database, card_number: str) -> tuple[int | None, str] | None:
    """(customer id, card status) of a card number; None when the number is unknown."""
    return store.customer_card(db, card_number)
