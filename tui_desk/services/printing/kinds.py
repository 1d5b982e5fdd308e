"""The kinds of print, their labels and what a print request, a send and a print come to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.store import print_jobs as store
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
PDF = "pdf"             # a job's options["format"]: an A4 PDF for the office printer
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


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
