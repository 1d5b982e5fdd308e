"""Printwachtrij: this workstation's print jobs; a failed one can be printed again or cancelled.

Also the way every screen prints (``start_print``, ``print_for_customer``): the job is stored
and claimed by the caller, the printer is talked to and the result recorded in a worker thread
(a card takes seconds; the write may wait for another counter), and the outcome is announced
back on the screen's thread. In demo mode a preview of the print follows.

The list is read and the retry/cancel written off the event loop (``run_write``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui_desk.config import Workstation
from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.services import printing
from tui_desk.services.printing import FAILED, QUEUED, PrintJob, PrintOutcome, PrintRequest
from tui_desk.widgets.desk_app import desk_app
from tui_desk.widgets.listing import ListingScreen, cell


def workstation_of(app: App[Any]) -> Workstation:
    """The workstation of this session (the desk's, or resolved from the SSH connection)."""
    desk = desk_app(app).desk
    found = getattr(desk, "workstation", None)
    if isinstance(found, Workstation):
        return found
    return printing.resolve_workstation(desk.config, demo=desk.demo)


Making = Callable[[], "PrintRequest | PrintOutcome"]


def start_print(app: App[Any], request: PrintRequest | PrintOutcome | Making, *,
                preview: bool | None = None,
                on_done: Callable[[PrintOutcome], None] | None = None) -> None:
    """Store (if need be), send and record a print in one worker thread; announce the outcome.

    ``request`` is a stored request, or a function that stores one: that is called in the
    worker (storing the job may wait for another counter's lock). ``preview``: show the
    Afdrukvoorbeeld afterwards (default: in demo mode). ``on_done`` gets the outcome (also when
    nothing was sent: no printer, a repeated request). One worker from start to end, so waiting
    for the app's workers waits for the whole print.
    """
    desk = desk_app(app).desk
    show = desk.demo if preview is None else preview
    if isinstance(request, PrintOutcome) or (isinstance(request, PrintRequest) and (
            not request.send or request.job is None)):
        _unsent(app, request, on_done=on_done, held=False)
        return
    if show:
        # The preview comes next on screen: keys typed meanwhile are for it (Enter closes it).
        desk_app(app).hold_keys()
    settings = desk.config.printing

    def done(outcome: PrintOutcome) -> None:
        try:
            app.notify(outcome.message, severity="information" if outcome.ok else "error",
                       timeout=6 if outcome.ok else 12)
            if outcome.ok and show and outcome.job is not None:
                from tui_desk.screens.print_preview import PrintPreviewScreen

                app.push_screen(PrintPreviewScreen.for_job(outcome.job))
            if on_done:
                on_done(outcome)
            for screen in app.screen_stack:
                if isinstance(screen, PrintQueueScreen):
                    screen.reload()
        finally:
            if show:
                desk_app(app).release_keys()

    def work() -> None:
        # The job stored, the printer, then what it said into the database, then the job as
        # stored for the preview: all off the event loop (a write may wait for another
        # counter's lock).
        try:
            stored = request if isinstance(request, PrintRequest) else request()
            if isinstance(stored, PrintOutcome) or not stored.send or stored.job is None:
                app.call_from_thread(_unsent, app, stored, on_done=on_done, held=show)
                return
            job = stored.job
            app.call_from_thread(app.notify, stored.message, timeout=4)
            result = printing.transmit(job, settings)
            outcome = printing.finish(desk.db, desk.clock, job.id, result)
            if outcome.ok and show:
                outcome = replace(outcome, job=printing.get_job(desk.db, job.id))
        except Exception as exc:  # told on the screen's thread
            app.call_from_thread(_failed, app, exc, show)
            return
        app.call_from_thread(done, outcome)

    name = f"print-{request.job.id}" if isinstance(request, PrintRequest) and request.job else (
        "print")
    app.run_worker(work, thread=True, group="print", name=name, exit_on_error=False)


def _failed(app: App[Any], exc: Exception, held: bool) -> None:
    try:
        if isinstance(exc, DeskError):
            desk_app(app).show_error(exc)
        else:
            desk_app(app).report_unexpected(exc, where="print")
    finally:
        if held:
            desk_app(app).release_keys()


def _unsent(app: App[Any], request: PrintRequest | PrintOutcome, *,
            on_done: Callable[[PrintOutcome], None] | None, held: bool) -> None:
    """Nothing to send (no printer, a repeated request, already done): say so. ``held``: the
    keys held for a preview are released however this ends."""
    try:
        if isinstance(request, PrintOutcome):
            app.notify(request.message, severity="information" if request.ok else "error",
                       timeout=8)
            outcome = request
        else:
            app.notify(request.message, severity="warning", timeout=8)
            outcome = PrintOutcome(request.job is not None and request.job.status != FAILED,
                                   request.message, request.job, duplicate=request.duplicate)
        if on_done:
            on_done(outcome)
    finally:
        if held:
            desk_app(app).release_keys()


def print_for_customer(app: App[Any], kind: str, customer_id: int, *,
                       preview: bool | None = None,
                       on_done: Callable[[PrintOutcome], None] | None = None) -> None:
    """Print klantgegevens: ``kind`` is ``ledenpas``, ``inschrijfbewijs`` or ``klantbon``.

    The job is stored in the worker, not on the event loop: another counter may hold the lock.
    """
    desk = desk_app(app).desk
    ws = workstation_of(app)
    makers = {printing.LEDENPAS: printing.request_ledenpas,
              printing.INSCHRIJFBEWIJS: printing.request_inschrijfbewijs,
              printing.KLANTBON: printing.request_klantbon,
              printing.UITSCHRIJFBEWIJS: printing.request_uitschrijfbewijs}
    maker = makers[kind]

    def make() -> PrintRequest | PrintOutcome:
        return maker(desk.db, desk.clock, desk.config, ws, customer_id, staff=desk.staff)

    start_print(app, make, preview=preview, on_done=on_done)


def print_kassabon(app: App[Any], receipt: Any, *, customer_id: int | None = None,
                   preview: bool | None = None,
                   on_done: Callable[[PrintOutcome], None] | None = None) -> None:
    """Print a payment's receipt (``escpos.Kassabon`` or the settlement's ``Receipt``)."""
    desk = desk_app(app).desk
    ws = workstation_of(app)

    def make() -> PrintRequest | PrintOutcome:
        return printing.request_kassabon(desk.db, desk.clock, desk.config, ws, receipt,
                                         customer_id=customer_id, staff=desk.staff)

    start_print(app, make, preview=preview, on_done=on_done)


class PrintQueueScreen(ListingScreen[PrintJob]):
    """Printwachtrij: the jobs of this workstation (T: all workstations)."""

    # (label, width): 64 + 2 cells padding a column + 2 for the scroll bar = 80 columns.
    COLUMNS = (("Tijd", 11), ("Soort", 8), ("Klant", 9), ("Printer", 7), ("Status", 9),
               ("Pogingen", 8), ("Laatste fout", 12))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "retry", "Opnieuw"),
        Binding("a", "cancel_job", "Annuleren"),
        Binding("v", "preview", "Voorbeeld"),
        Binding("t", "toggle_all", "Alle werkplekken"),
        *ListingScreen.LISTING_BINDINGS,
    ]

    def __init__(self, workstation: str | None = None) -> None:
        super().__init__()
        self.workstation = workstation
        self.show_all = False
        self.reread = False

    def on_mount(self) -> None:
        if self.workstation is None:
            self.workstation = workstation_of(self.app).name
        self.add_columns()
        self.reload()
        self.table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.reload()

    # -- the list --------------------------------------------------------------------------
    def reload(self, then: tuple[str, bool] | None = None) -> None:
        """Read the jobs off the event loop, then show them; ``then``: (message, error) for
        the status line afterwards."""
        desk = self.desk
        where = None if self.show_all else self.workstation

        def read_jobs() -> list[PrintJob]:
            return printing.list_jobs(desk.db, where)

        def show(jobs: list[PrintJob]) -> None:
            self._fill(jobs)
            if then is not None:
                self.set_status(then[0], error=then[1])

        if not self.run_write(read_jobs, show, busy="", hold=False):
            self.reread = True   # read again when the running read is done

    def _fill(self, jobs: list[PrintJob]) -> None:
        if self.reread:
            self.reread = False
            self.call_later(self.reload)
        desk = self.desk
        table = self.table
        selected = self.selected()
        self.rows = {str(j.id): j for j in jobs}
        table.clear()
        today = desk.clock.today()
        for job in jobs:
            row = printing.describe(job)
            row["Tijd"] = (f"{job.created_at:%H:%M}" if job.created_at.date() == today
                           else f"{job.created_at:%d-%m %H:%M}")
            table.add_row(*(cell(row[label]) for label, _ in self.COLUMNS), key=str(job.id))
        where = "alle werkplekken" if self.show_all else f"werkplek {self.workstation}"
        self.query_one("#queue-title", Static).update(Text(printable(f"Printwachtrij — {where}")))
        failed = sum(1 for j in jobs if j.status == FAILED)
        summary = f"{len(jobs)} opdracht(en)" + (f", {failed} mislukt" if failed else "")
        self.set_status(summary if jobs else "Geen printopdrachten.")
        if selected is not None and str(selected.id) in self.rows:
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        self.show_detail()

    def detail_of(self, job: PrintJob, width: int) -> Text:
        row = printing.describe(job)
        width = max(20, width - 2 or 76)

        def cut(line: str) -> str:
            line = printable(line)
            return line if len(line) <= width else line[:width - 1] + "…"

        text = Text(cut(f"Opdracht {job.id} · {row['Soort']} · {row['Status']} · {job.label}"))
        text.append("\n" + cut(f"Printer: {job.printer}"))
        if job.last_error:
            text.append("\n")
            text.append(printable(f"Laatste fout: {job.last_error}"), style="bold")
        return text

    # -- actions ---------------------------------------------------------------------------
    def action_retry(self) -> None:
        job = self.picked()
        if job is None:
            return
        if job.status not in (FAILED, QUEUED):
            self.set_status(f"Opdracht {job.id} is {printing.STATUS_LABELS[job.status].lower()};"
                            " alleen een mislukte opdracht kan opnieuw.", error=True)
            return
        desk, job_id = self.desk, job.id

        def claim_again() -> PrintRequest:
            return printing.request_retry(desk.db, desk.clock, job_id)

        def claimed(request: PrintRequest) -> None:
            self.reload(then=(request.message, not request.send))
            start_print(self.app, request, preview=False)

        # O pressed again while the job is being claimed prints it once.
        self.run_write(claim_again, claimed, busy="Opnieuw printen…", once=True, hold=False)

    def action_cancel_job(self) -> None:
        job = self.picked()
        if job is None:
            return
        desk, job_id = self.desk, job.id
        self.run_write(lambda: printing.cancel(desk.db, desk.clock, job_id),
                       lambda outcome: self.reload(then=(outcome.message, not outcome.ok)),
                       busy="Annuleren…", once=True, hold=False)

    def action_preview(self) -> None:
        job = self.picked()
        if job is None:
            return
        full = printing.get_job(self.desk.db, job.id)
        if full is not None:
            from tui_desk.screens.print_preview import PrintPreviewScreen

            self.app.push_screen(PrintPreviewScreen.for_job(full))

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.reload()
