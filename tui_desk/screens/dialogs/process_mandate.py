"""Actor document uploaden: the signed mandate's scan, checked and stored."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.rules.text import printable
from tui_desk.screens.dialogs.done import DoneScreen
from tui_desk.screens.dialogs.mandate_dialog import (
    SCAN_HINT,
    SOURCE_CHOICES,
    MandateDialog,
    row,
    value_text,
)
from tui_desk.screens.dialogs.review_mandate import ReviewMandateScreen
from tui_desk.services import mandates as svc
from tui_desk.services import scans
from tui_desk.services.mandates import (
    DocumentCheck,
    MandateError,
    ProcessResult,
)
from tui_desk.services.scans import Scan, ScanFile
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FormInput


class ProcessMandateScreen(MandateDialog):
    """"Actor document uploaden": Bronkeuze, the scan from the inbox, Document scancode,
    Controleer, Opslaan, then the review and "Vastleggen klantdocument voltooid"; dismisses with
    the ``ProcessResult``.

    *Scan pagina* reads the newest scans of the inbox (in a worker thread) and picks the one
    whose top-left barcode is this customer's printed form; the clerk confirms with Opslaan.
    *Selecteer bestand* lists the inbox to choose from. Nothing else on the server is offered.
    ``scan_name``/``code``: a scan matched by hand on Onbekende scans.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "lookup", "Klant opzoeken"),
        Binding("f10", "save", "Opslaan"),
        Binding("f5", "reload_scans", "Scanmap vernieuwen"),
    ]
    ENTER_STAYS = frozenset({"md-code"})

    def __init__(self, customer_id: int, *, source: str | None = None,
                 scan_name: str | None = None, code: str | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.source = source
        self.wanted_scan = scan_name
        self.given_code = code
        self.checked: DocumentCheck | None = None
        self.scans: list[Scan] = []
        self.inbox: Path | None = None

    def compose(self) -> ComposeResult:
        desk = self.desk
        from tui_desk.screens.print_queue import workstation_of

        self.inbox = scans.inbox_for(desk.config, workstation_of(self.app), demo=desk.demo)
        if self.source is None:
            self.source = "scan" if self.inbox is not None else "none"
        with self.frame("Actor document uploaden", classes="md-dialog", id="md-upload"):
            yield row("Bronkeuze:", Choice(SOURCE_CHOICES, self.source, id="md-source"))
            with Vertical(id="md-file-row"):
                yield Static("", id="md-scans-title", classes="md-line")
                yield OptionList(id="md-scans")
            yield Static(Text(SCAN_HINT, style="italic"), classes="md-line")
            yield row("Document scancode:", FormInput(value=self.given_code or "", id="md-code",
                                                       max_length=24))
            with Horizontal(classes="md-row"):
                yield Label("Klantnaam:", classes="md-label")
                yield Static("", id="md-klantnaam", classes="md-value")
                yield Label("Actor id:", classes="md-label-short")
                yield Static("", id="md-actor", classes="md-value-short")
            yield row("Documenttype:", Static("", id="md-type", classes="md-value"))
            yield Static("", classes="md-message")
            with Horizontal(classes="md-buttons"):
                yield Button("Controleer", id="md-check", compact=True)
                yield Button("Klant opzoeken (F4)", id="md-lookup", compact=True)
                yield Button("Opslaan", id="md-save", compact=True)

    def on_mount(self) -> None:
        self._show_source()
        self.query_one("#md-code", Input).focus()
        if self.given_code:
            self.action_check()

    def _source(self) -> str:
        return self.query_one("#md-source", Choice).value

    def _show_source(self) -> None:
        source = self._source()
        self.query_one("#md-file-row").display = source in ("scan", "file")
        if source in ("scan", "file"):
            self.action_reload_scans()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._show_source()

    # -- the inbox ------------------------------------------------------------------------
    def action_reload_scans(self) -> None:
        """Read the inbox again (a worker thread: decoding a page takes a moment)."""
        source = self._source()
        if source not in ("scan", "file"):
            return
        title = self.query_one("#md-scans-title", Static)
        if self.inbox is None:
            title.update(Text(printable(scans.no_inbox_message(None)), style="bold"))
            self.query_one("#md-scans", OptionList).clear_options()
            return
        wanted = svc.pending_code(self.desk.db, self.customer_id) if source == "scan" else None
        title.update(Text("Scanmap wordt gelezen…" if source == "scan" else "Scanmap:"))
        inbox = self.inbox

        def work() -> None:
            try:
                found = scans.list_scans(inbox, read_codes=source == "scan")
                error = ""
            except scans.ScanError as exc:
                found, error = [], str(exc)
            self.app.call_from_thread(self._scans_read, source, wanted, found, error)

        self.run_worker(work, thread=True, group="scans", exclusive=True, exit_on_error=False)

    def _scans_read(self, source: str, wanted: str | None, found: list[Scan], error: str) -> None:
        if not self.is_attached or self._source() != source:
            return
        self.scans = found
        options = self.query_one("#md-scans", OptionList)
        options.clear_options()
        for scan in found:
            label = scan.label + (f"  code {scan.code}" if scan.code and source == "scan" else "")
            options.add_option(Option(Text(printable(label), no_wrap=True,
                                           overflow="ellipsis"), id=scan.name))
        title = self.query_one("#md-scans-title", Static)
        if error:
            title.update(Text(printable(error), style="bold"))
            return
        if not found:
            title.update(Text("De scanmap is leeg: scan de getekende machtiging in (F5: "
                              "opnieuw kijken)."))
            return
        pick = None
        if self.wanted_scan is not None:
            pick = next((i for i, s in enumerate(found) if s.name == self.wanted_scan), None)
        elif source == "scan" and wanted:
            pick = next((i for i, s in enumerate(found) if s.code == wanted), None)
        if source == "scan" and pick is None:
            title.update(Text("Geen scan met de documentcode van deze machtiging in de scanmap: "
                              "scan de pagina in en druk F5, of kies Selecteer bestand.",
                              style="bold"))
            options.highlighted = 0
            return
        title.update(Text(f"Nieuwste scans ({len(found)}):" if pick is None else
                          f"Gevonden: {printable(found[pick].name)} — controleer en Opslaan."))
        options.highlighted = pick if pick is not None else 0
        if source == "scan" and pick is not None and wanted:
            code = self.query_one("#md-code", Input)
            if code.value.strip() != wanted:
                code.value = wanted
            self.action_check()

    def _chosen_scan(self) -> Scan | None:
        options = self.query_one("#md-scans", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.scans):
            return None
        return self.scans[index]

    # -- Controleer, Opslaan --------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "md-code":
            self.action_check()

    def on_input_changed(self, event: Input.Changed) -> None:
        if (event.input.id == "md-code" and self.checked is not None
                and event.value.strip() != self.checked.document_code):
            self.checked = None
            self._show_check(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "md-check":
            self.action_check()
        elif event.button.id == "md-lookup":
            self.action_lookup()
        else:
            self.action_save()

    def action_lookup(self) -> None:
        """Klant opzoeken: the code will not scan (or the form is not at hand) — take the code
        of this customer's printed, not yet processed form, and check it."""
        try:
            code = svc.pending_document_code(self.desk.db, self.customer_id)
        except MandateError as exc:
            self.say(str(exc), error=True)
            return
        field = self.query_one("#md-code", Input)
        with field.prevent(Input.Changed):   # a changed code would clear the check below
            field.value = code
        self.action_check()

    def _show_check(self, check: DocumentCheck | None) -> None:
        self.query_one("#md-klantnaam", Static).update(value_text(check.klantnaam if check else ""))
        self.query_one("#md-actor", Static).update(value_text(check.actor_id if check else ""))
        self.query_one("#md-type", Static).update(value_text(check.documenttype if check else ""))

    def action_check(self) -> bool:
        """Controleer: who the scanned code belongs to, or why it cannot be processed."""
        code = self.query_one("#md-code", Input).value
        desk = self.desk
        try:
            self.checked = svc.check_document(desk.db, self.customer_id, code)
        except MandateError as exc:
            self.checked = None
            self._show_check(None)
            self.say(str(exc), error=True)
            self.query_one("#md-code", Input).focus()
            return False
        self._show_check(self.checked)
        self.say("Controleer de klant en het documenttype; Opslaan (Enter of F10).")
        self.query_one("#md-save", Button).focus()
        return True

    def action_save(self) -> None:
        """Opslaan → "Controleer gegevens incassomachtiging"."""
        if self.checked is None and not self.action_check():
            return
        assert self.checked is not None
        source = self._source()
        chosen: ScanFile | None = None
        if source in ("scan", "file"):
            scan = self._chosen_scan()
            problem = ""
            if self.inbox is None:
                problem = scans.no_inbox_message(None)
            elif scan is None:
                problem = ("Kies de scan van de getekende machtiging uit de scanmap, of kies "
                           "Geen upload.")
            elif source == "scan" and scan.code != self.checked.document_code:
                problem = (f"Op scan {scan.name} staat niet documentcode "
                           f"{self.checked.document_code}: kies de juiste scan.")
            else:
                try:
                    chosen = scans.read(self.inbox, scan.name)
                except scans.ScanError as exc:
                    problem = str(exc)
            if problem:
                self.say(problem, error=True)
                self.query_one("#md-scans", OptionList).focus()
                return
        desk = self.desk
        try:
            review = svc.review_mandate(desk.db, desk.clock, self.customer_id,
                                        self.checked.document_code)
        except MandateError as exc:
            self.say(str(exc), error=True)
            return
        code, customer_id, inbox = self.checked.document_code, self.customer_id, self.inbox

        def process_mandate() -> ProcessResult:
            return svc.process_mandate(desk.db, desk.clock, desk.staff, customer_id, code,
                                       source, chosen, inbox=inbox)

        def recorded(result: ProcessResult | None) -> None:
            if result is None:
                return      # Esc on the review: back here, nothing recorded

            def closed(_: object) -> None:
                self.dismiss(result)

            text = result.message + (f"\n{result.warning}" if result.warning else "")
            self.app.push_screen(DoneScreen(text), callback=closed)

        # The review's OK records (off the event loop); a failure is said there.
        self.app.push_screen(ReviewMandateScreen(review, process_mandate), callback=recorded)
