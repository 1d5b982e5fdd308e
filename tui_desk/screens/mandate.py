"""Inschrijven klant, step 5 — Incassomachtiging, as in the manual; also the record's incasso
fields (IBAN, Bic (*), Incasso with the kenmerk, overstapservice, dates and reason).

``MandateScreen`` shows the customer's mandate and leads through the manual's dialogs, each a
keyboard screen:

- F5 *Print nieuwe machtiging* → ``BankDetailsScreen`` "Geef de bankrekeninggegevens in": IBAN,
  BIC (*alleen bij buitenlandse rekeningnummers*: shown only for a foreign IBAN), Naam and
  Plaats rekeninghouder → OK prints the form ("Laat de klant het formulier controleren en
  ondertekenen").
- F6 *Verwerk machtiging* → ``ProcessMandateScreen`` "Actor document uploaden": Bronkeuze Scan
  pagina / Selecteer bestand / Geen upload, Document scancode (a scanner's Enter is
  Controleer): Klantnaam, Actor id, Documenttype → Opslaan → ``ReviewMandateScreen``
  "Controleer gegevens incassomachtiging" → OK → ``DoneScreen`` "Vastleggen klantdocument
  voltooid" → OK: the kenmerk is shown and Incasso ticked.
- F9 *Intrekken* → ``RevokeScreen``: Datum intrekking machtiging, Reden intrekking.
- F2 *IBAN wijzigen* → ``IbanChangeScreen``: the new IBAN and "Klant gebruikt overstapservice".

Keys reach the program through a real terminal: F2 F5 F6 F9 F10, Enter, Tab, Esc. Names and
places are shown as ``Text`` built from ``printable(...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.errors import DeskError
from tui_desk.rules import dates
from tui_desk.rules.errors import RuleError
from tui_desk.rules.mandates import MandateForm
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskModal, DeskScreen
from tui_desk.screens.results import said_by
from tui_desk.services import mandates as svc
from tui_desk.services import scans
from tui_desk.services.mandates import (
    DocumentCheck,
    IbanChange,
    MandateError,
    MandateInputError,
    MandatePanel,
    MandateReview,
    ProcessResult,
)
from tui_desk.services.printing import PrintRequest
from tui_desk.services.scans import Scan, ScanFile
from tui_desk.store.mandates import Mandate
from tui_desk.widgets.choice import Choice, Toggle
from tui_desk.widgets.form import FormInput, FormNavigation

TITLE = "Inschrijven klant · Incassomachtiging (stap 5)"
BIC_NOTE = "* Alleen bij buitenlandse rekeningnummers"
SIGN_HINT = ("Laat de klant het formulier controleren en ondertekenen. "
             "Daarna: F6 Verwerk machtiging.")
SCAN_HINT = "Scan de barcode links bovenaan op de geprinte machtiging."
SOURCE_CHOICES = (("scan", "Scan pagina"), ("file", "Selecteer bestand"), ("none", "Geen upload"))


def _text(value: object) -> Text:
    return Text(printable(str(value or "")))


def _grouped(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def _row(label: str, widget, *, id: str | None = None) -> Horizontal:  # noqa: ANN001 - a widget
    return Horizontal(Label(label, classes="md-label"), widget, classes="md-row", id=id)


class _Dialog(FormNavigation, DeskModal):
    """A dialog in a frame: Enter/Tab move on, Enter on a button presses it, Esc closes."""

    CSS_PATH = "mandate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormNavigation.FORM_BINDINGS,
        Binding("escape", "close", "Terug"),
    ]

    # A field named in a MandateInputError → the input that gets the focus.
    ERROR_FIELDS: ClassVar[dict[str, str]] = {}

    @property
    def desk(self):  # noqa: ANN201 - Desk
        return self.app.desk  # type: ignore[attr-defined]

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one(".md-message", Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

    def show_error(self, error: DeskError) -> None:
        """An expected failure is said in the dialog's message line; what was typed stays."""
        if not self.query(".md-message"):
            super().show_error(error)   # the dialog is not built (its mount failed)
            return
        if isinstance(error, MandateInputError) and error.errors:
            self._message(" ".join(error.errors.values()), error=True)
            target = self.ERROR_FIELDS.get(next(iter(error.errors)))
            if target and self.query(f"#{target}"):
                self.query_one(f"#{target}", Input).focus()
            return
        self._message(str(error), error=True)

    def action_close(self) -> None:
        self.dismiss(None)


# -- Geef de bankrekeninggegevens in --------------------------------------------------------------
class BankDetailsScreen(_Dialog):
    """"Geef de bankrekeninggegevens in voor klant: …" → OK stores a pending mandate and prints
    its form; dismisses with the ``MandateForm`` (None on Esc).

    ``data``: the starting values (``services.mandates.mandate_data_for``); ``iban``/``bic``
    override its account (after an IBAN change). ``printer`` gets the form after it is saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "ok", "OK"),
    ]
    FIELDS = ("md-iban", "md-bic", "md-holder", "md-place")
    ERROR_FIELDS = {"iban": "md-iban", "bic": "md-bic", "holder_name": "md-holder",
                    "holder_place": "md-place"}

    def __init__(self, customer_id: int, data: svc.MandateData, *, iban: str | None = None,
                 bic: str | None = None,
                 printer: Callable[[MandateForm], object] | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.data = data
        self.iban = data.iban if iban is None else iban
        self.bic = data.bic if bic is None else bic
        self.printer = printer

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog") as box:
            box.border_title = "Geef de bankrekeninggegevens in"
            yield Static(Text.assemble("voor klant: ", (printable(self.data.customer_name),
                                                        "bold")), classes="md-line")
            yield _row("IBAN rekeningnummer:", FormInput(value=self.iban, id="md-iban",
                                                         max_length=42))
            yield _row("BIC banknummer: *", FormInput(value=self.bic, id="md-bic",
                                                      max_length=14), id="md-bic-row")
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line", id="md-bic-note")
            yield _row("Naam rekeninghouder:", FormInput(value=self.data.holder_name,
                                                         id="md-holder", max_length=70))
            yield _row("Plaats rekeninghouder:", FormInput(value=self.data.holder_place,
                                                           id="md-place", max_length=35))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-ok", compact=True)

    def on_mount(self) -> None:
        self._show_bic()
        self.query_one("#md-iban", Input).focus()

    def _show_bic(self) -> None:
        info = svc.iban_info(self.query_one("#md-iban", Input).value)
        foreign = bool(info and info.foreign)
        self.query_one("#md-bic-row").display = foreign
        bic = self.query_one("#md-bic", Input)
        if foreign and info is not None and info.bic and not bic.value.strip():
            bic.value = info.bic
        if info is not None and info.warning:
            self._message(info.warning)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "md-iban":
            self._show_bic()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        value = {f: self.query_one(f"#{f}", Input).value for f in self.FIELDS}
        if not self.query_one("#md-bic-row").display:
            value["md-bic"] = ""
        desk, customer_id, printer = self.desk, self.customer_id, self.printer
        from tui_desk.screens.print_queue import start_print, workstation_of

        workstation = workstation_of(self.app)

        def print_new_mandate() -> tuple[MandateForm, PrintRequest | None]:
            form = svc.print_new_mandate(
                desk.db, desk.clock, desk.staff, desk.config, customer_id,
                value["md-iban"], value["md-bic"], value["md-holder"], value["md-place"])
            if printer is not None:
                return form, None
            # The workstation's receipt printer, through the print spool.
            return form, svc.mandate_print_request(desk.db, desk.clock, desk.config,
                                                   workstation, form, staff=desk.staff)

        def printed(done: tuple[MandateForm, PrintRequest | None]) -> None:
            form, request = done
            if printer is not None:
                printer(form)
            elif request is not None:
                start_print(self.app, request)
            self.dismiss(form)

        # OK pressed again while it is stored prints one form; keys typed meanwhile go to the
        # screen below, which is shown next.
        self.run_write(print_new_mandate, printed, busy="Machtiging vastleggen…", once=True)


# -- Actor document uploaden ----------------------------------------------------------------------
class ProcessMandateScreen(_Dialog):
    """"Actor document uploaden": Bronkeuze, the scan from the inbox, Document scancode,
    Controleer, Opslaan, then the review and "Vastleggen klantdocument voltooid"; dismisses with
    the ``ProcessResult``.

    *Scan pagina* reads the newest scans of the inbox (in a worker thread) and picks the one
    whose top-left barcode is this customer's printed form; the clerk confirms with Opslaan.
    *Selecteer bestand* lists the inbox to choose from. Nothing else on the server is offered.
    ``scan_name``/``code``: a scan matched by hand on Onbekende scans.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
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
        self.inbox = None

    def compose(self) -> ComposeResult:
        desk = self.desk
        from tui_desk.screens.print_queue import workstation_of

        self.inbox = scans.inbox_for(desk.config, workstation_of(self.app), demo=desk.demo)
        if self.source is None:
            self.source = "scan" if self.inbox is not None else "none"
        with Vertical(classes="md-dialog", id="md-upload") as box:
            box.border_title = "Actor document uploaden"
            yield _row("Bronkeuze:", Choice(SOURCE_CHOICES, self.source, id="md-source"))
            with Vertical(id="md-file-row"):
                yield Static("", id="md-scans-title", classes="md-line")
                yield OptionList(id="md-scans")
            yield Static(Text(SCAN_HINT, style="italic"), classes="md-line")
            yield _row("Document scancode:", FormInput(value=self.given_code or "", id="md-code",
                                                       max_length=24))
            with Horizontal(classes="md-row"):
                yield Label("Klantnaam:", classes="md-label")
                yield Static("", id="md-klantnaam", classes="md-value")
                yield Label("Actor id:", classes="md-label-short")
                yield Static("", id="md-actor", classes="md-value-short")
            yield _row("Documenttype:", Static("", id="md-type", classes="md-value"))
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
            self._message(str(exc), error=True)
            return
        field = self.query_one("#md-code", Input)
        with field.prevent(Input.Changed):   # a changed code would clear the check below
            field.value = code
        self.action_check()

    def _show_check(self, check: DocumentCheck | None) -> None:
        self.query_one("#md-klantnaam", Static).update(_text(check.klantnaam if check else ""))
        self.query_one("#md-actor", Static).update(_text(check.actor_id if check else ""))
        self.query_one("#md-type", Static).update(_text(check.documenttype if check else ""))

    def action_check(self) -> bool:
        """Controleer: who the scanned code belongs to, or why it cannot be processed."""
        code = self.query_one("#md-code", Input).value
        desk = self.desk
        try:
            self.checked = svc.check_document(desk.db, self.customer_id, code)
        except MandateError as exc:
            self.checked = None
            self._show_check(None)
            self._message(str(exc), error=True)
            self.query_one("#md-code", Input).focus()
            return False
        self._show_check(self.checked)
        self._message("Controleer de klant en het documenttype; Opslaan (Enter of F10).")
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
                self._message(problem, error=True)
                self.query_one("#md-scans", OptionList).focus()
                return
        desk = self.desk
        try:
            review = svc.review_mandate(desk.db, desk.clock, self.customer_id,
                                        self.checked.document_code)
        except MandateError as exc:
            self._message(str(exc), error=True)
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


class ReviewMandateScreen(_Dialog):
    """"Controleer gegevens incassomachtiging": OK (Enter, F10) records; Esc goes back.

    ``record``: the write OK makes; the dialog dismisses with its result once it is stored
    (with True when there is none). OK pressed again while it is stored records once; a
    failure (another counter holds the database) is said here and OK can be pressed again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "ok", "OK"),
    ]

    def __init__(self, review: MandateReview,
                 record: Callable[[], ProcessResult] | None = None) -> None:
        super().__init__()
        self.review = review
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog", id="md-review") as box:
            box.border_title = "Controleer gegevens incassomachtiging"
            for label, value in self.review.rows():
                yield _row(f"{label}:", Static(_text(value), classes="md-value"))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-review-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-review-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    def action_form_move(self, step: int, submit: bool) -> None:
        # Enter is OK here, run by the key's own binding (not through the button's Pressed
        # message), so that the app knows the key and drops it when pressed again meanwhile.
        if submit:
            self.action_ok()
        else:
            super().action_form_move(step, submit)

    def action_ok(self) -> None:
        if self.record is None:
            self.dismiss(True)
            return
        self.run_write(self.record, self.dismiss, busy="Machtiging verwerken…", once=True)

    def action_close(self) -> None:
        self.dismiss(None if self.record is not None else False)


class DoneScreen(_Dialog):
    """A message with OK ("Vastleggen klantdocument voltooid")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "close", "OK"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog md-small") as box:
            box.border_title = "Opmerking"
            yield Static(Text(self.text, style="bold"), classes="md-line", id="md-done-text")
            yield Static("", classes="md-message")
            yield Button("OK", id="md-done-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-done-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)


# -- Intrekken and IBAN wijzigen ------------------------------------------------------------------
class RevokeScreen(_Dialog):
    """Datum intrekking machtiging (default today) and Reden intrekking; dismisses with the
    revoked ``Mandate``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "ok", "OK"),
    ]

    ERROR_FIELDS: ClassVar[dict[str, str]] = {"reason": "md-reason",
                                               "revoked_on": "md-revoked-on"}

    def __init__(self, customer_id: int, kenmerk: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.kenmerk = kenmerk

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog") as box:
            box.border_title = "Machtiging intrekken"
            yield Static(_text(f"Kenmerk machtiging {self.kenmerk}"), classes="md-line")
            yield _row("Datum intrekking:", FormInput(
                value=dates.show(self.desk.clock.today()), id="md-revoked-on", max_length=20))
            yield _row("Reden intrekking:", FormInput(id="md-reason", max_length=60))
            yield Static("", classes="md-message")
            yield Button("OK", id="md-revoke-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-reason", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        desk = self.desk
        try:
            day = dates.parse_date(self.query_one("#md-revoked-on", Input).value)
        except RuleError as exc:
            self._message(str(exc), error=True)
            self.query_one("#md-revoked-on", Input).focus()
            return
        customer_id, reason = self.customer_id, self.query_one("#md-reason", Input).value

        def revoke() -> Mandate:
            return svc.revoke(desk.db, desk.clock, desk.staff, customer_id, reason=reason,
                              on=day)

        self.run_write(revoke, self.dismiss, busy="Machtiging intrekken…", once=True)


class IbanChangeScreen(_Dialog):
    """A new IBAN, with "Klant gebruikt overstapservice" (keeps the mandate) or without (a new
    mandate is needed); dismisses with the ``IbanChange``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "ok", "OK"),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog") as box:
            box.border_title = "IBAN wijzigen"
            yield _row("Nieuw IBAN:", FormInput(id="md-new-iban", max_length=42))
            yield _row("BIC banknummer: *", FormInput(id="md-new-bic", max_length=14),
                       id="md-new-bic-row")
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line")
            yield Toggle("Klant gebruikt overstapservice", False, id="md-switch")
            yield Static("", classes="md-message")
            yield Button("OK", id="md-iban-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#md-new-bic-row").display = False
        self.query_one("#md-new-iban", Input).focus()

    ERROR_FIELDS: ClassVar[dict[str, str]] = {"iban": "md-new-iban", "bic": "md-new-bic"}

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "md-new-iban":
            info = svc.iban_info(event.value)
            self.query_one("#md-new-bic-row").display = bool(info and info.foreign)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        desk = self.desk
        bic = self.query_one("#md-new-bic", Input).value
        if not self.query_one("#md-new-bic-row").display:
            bic = ""
        customer_id = self.customer_id
        iban = self.query_one("#md-new-iban", Input).value
        switch = self.query_one("#md-switch", Toggle).value

        def change_iban() -> IbanChange:
            return svc.change_iban(desk.db, desk.clock, desk.staff, customer_id, iban, bic,
                                   switch_service=switch)

        self.run_write(change_iban, self.dismiss, busy="IBAN wijzigen…", once=True)


# -- the incasso fields ---------------------------------------------------------------------------
class MandateScreen(DeskScreen):
    """Step 5 and the record's incasso fields for ``customer_id``.

    ``on_done(panel)`` is called when the screen closes (Esc or F10) with the customer's
    ``MandatePanel`` (``panel.incasso``: a mandate is active). With ``ask_on_leave`` leaving
    without an active mandate first asks: Later (open), Geen incasso (contributiebrief), Terug.
    ``printer`` receives every form printed here (default: the workstation's receipt printer
    through the print spool).
    """

    CSS_PATH = "mandate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "print_new", "Print machtiging"),
        Binding("f6", "process", "Verwerk machtiging"),
        Binding("f9", "revoke", "Intrekken"),
        Binding("f2", "change_iban", "IBAN"),
        Binding("f3", "reprint", "Herdruk"),
        Binding("f4", "export_scan", "Exporteer scan"),
        Binding("f10,escape", "done", "Klaar"),
    ]

    def __init__(self, customer_id: int, *,
                 on_done: Callable[[MandatePanel], None] | None = None,
                 printer: Callable[[MandateForm], object] | None = None,
                 title: str = TITLE, ask_on_leave: bool = False) -> None:
        super().__init__()
        self.customer_id = customer_id
        # In the wizard (and from Openstaande inschrijvingen): leaving without a processed
        # mandate asks what to do (screens.followups).
        self.ask_on_leave = ask_on_leave
        self.on_done = on_done
        self.printer = printer
        self.title_text = title
        self.next_account: tuple[str, str] | None = None   # after an IBAN change
        self.last_form: MandateForm | None = None
        self.last_result: ProcessResult | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"), id="md-title")
        with Vertical(id="md-body"):
            yield Static("", id="md-customer")
            yield _row("IBAN", Static("", id="md-show-iban", classes="md-value"))
            yield _row("Bic (*)", Static("", id="md-show-bic", classes="md-value"))
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line")
            yield Static("", id="md-incasso")
            yield Static("", id="md-switch-shown")
            yield _row("Datum afgifte machtiging", Static("", id="md-signed", classes="md-value"))
            yield _row("Datum intrekking machtiging", Static("", id="md-revoked",
                                                             classes="md-value"))
            yield _row("Reden intrekking", Static("", id="md-reason-shown", classes="md-value"))
            yield _row("Tenaamstelling incasso rekening", Static("", id="md-holder-shown",
                                                                 classes="md-value"))
            yield _row("Woonplaats incasso rekening", Static("", id="md-place-shown",
                                                             classes="md-value"))
            yield Static("", id="md-scan")
            yield Static("", id="md-pending")
            yield Static("", classes="md-message", id="md-status")

    def on_mount(self) -> None:
        self.refresh_panel()

    # -- showing ----------------------------------------------------------------------------------
    def panel(self) -> MandatePanel:
        return svc.mandate_panel(self.desk.db, self.customer_id)

    def refresh_panel(self) -> None:
        desk = self.desk
        try:
            data = svc.mandate_data_for(desk.db, self.customer_id)
        except MandateError as exc:
            self._status(str(exc), error=True)
            return
        panel = self.panel()
        m = panel.current
        self.query_one("#md-customer", Static).update(Text.assemble(
            "Klant: ", (printable(data.customer_name), "bold")))
        iban = m.iban if m is not None else data.iban
        self.query_one("#md-show-iban", Static).update(_text(_grouped(iban)))
        self.query_one("#md-show-bic", Static).update(_text(m.bic if m is not None else ""))
        incasso = Text("[X] Incasso" if panel.incasso else "[ ] Incasso",
                       style="bold" if panel.incasso else "")
        if panel.incasso:
            incasso.append("   kenmerk machtiging ")
            incasso.append(printable(panel.kenmerk), style="bold")
        self.query_one("#md-incasso", Static).update(incasso)
        switch = bool(m and m.uses_switch_service and panel.incasso)
        self.query_one("#md-switch-shown", Static).update(
            Text(f"{'[X]' if switch else '[ ]'} Klant gebruikt overstapservice"))
        self.query_one("#md-signed", Static).update(_text(dates.show(m.signed_on) if m else ""))
        self.query_one("#md-revoked", Static).update(
            _text(dates.show(m.revoked_on) if m and m.revoked_on else ""))
        reason = m.revoke_reason if m else ""
        if m is not None and m.status == "lapsed":
            reason = "Vervallen: 36 maanden niet gebruikt"
        self.query_one("#md-reason-shown", Static).update(_text(reason))
        self.query_one("#md-holder-shown", Static).update(_text(m.holder_name if m else ""))
        self.query_one("#md-place-shown", Static).update(_text(m.holder_place if m else ""))
        self.query_one("#md-scan", Static).update(_text(self._scan_line(m)))
        pending = panel.pending
        self.query_one("#md-pending", Static).update(
            _text(f"Geprint {dates.show(pending.printed_at.date())}, nog niet verwerkt: "
                  f"{pending.kenmerk} (code {pending.document_code})")
            if pending else Text(""))

    def _scan_line(self, mandate: Mandate | None) -> str:
        if mandate is None or mandate.status in ("pending", "cancelled"):
            return ""
        scan = svc.archived_scan(self.desk.db, mandate.document_code)
        if scan is None:
            return "Getekende machtiging: geen scan bewaard."
        if scan.removed_at is not None:
            return (f"Getekende machtiging: scan verwijderd op {dates.show(scan.removed_at.date())}"
                    " (bewaartermijn voorbij).")
        when = dates.show(scan.processed_at.date()) if scan.processed_at else ""
        return (f"Getekende machtiging: scan bewaard {when} ({scan.file_name}, "
                f"{max(1, scan.file_size // 1024)} kB) — F4 exporteren.")

    def _status(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#md-status", Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

    def show_error(self, error: DeskError) -> None:
        """An expected failure is said on the screen's message line."""
        if not self.query("#md-status"):
            super().show_error(error)
            return
        self._status(str(error), error=True)

    # -- actions ----------------------------------------------------------------------------------
    def action_print_new(self) -> None:
        """Print nieuwe machtiging: the bank details dialog, then the form."""
        desk = self.desk
        try:
            data = svc.mandate_data_for(desk.db, self.customer_id)
        except MandateError as exc:
            self._status(str(exc), error=True)
            return
        iban, bic = self.next_account or (None, None)

        def printed(form: MandateForm | None) -> None:
            if form is None:
                return
            self.last_form = form
            self.next_account = None
            self.refresh_panel()
            self._status(f"Machtiging {form.kenmerk} geprint (documentcode "
                         f"{form.document_code}). {SIGN_HINT}")

        self.app.push_screen(BankDetailsScreen(self.customer_id, data, iban=iban, bic=bic,
                                               printer=self.printer),
                             callback=said_by(self, printed))

    def action_process(self) -> None:
        """Verwerk machtiging: Actor document uploaden, Controleer, Opslaan."""

        def processed(result: ProcessResult | None) -> None:
            if result is None:
                return
            self.last_result = result
            self.refresh_panel()
            text = f"Machtiging verwerkt: kenmerk {result.kenmerk}; Incasso aangevinkt."
            if result.replaced_kenmerk:
                text += f" Machtiging {result.replaced_kenmerk} is vervangen."
            self._status(text)

        self.app.push_screen(ProcessMandateScreen(self.customer_id),
                             callback=said_by(self, processed))

    def action_revoke(self) -> None:
        current = svc.active_mandate(self.desk.db, self.customer_id)
        if current is None:
            self._status("Deze klant heeft geen actieve machtiging.", error=True)
            return

        def revoked(mandate: Mandate | None) -> None:
            if mandate is not None:
                self.refresh_panel()
                self._status(f"Machtiging {mandate.kenmerk} ingetrokken per "
                             f"{dates.show(mandate.revoked_on)}.")

        self.app.push_screen(RevokeScreen(self.customer_id, current.kenmerk),
                             callback=said_by(self, revoked))

    def action_change_iban(self) -> None:
        def changed(change: IbanChange | None) -> None:
            if change is None:
                return
            if change.needs_new_mandate:
                self.next_account = (change.iban, change.bic)
                self._status(f"{change.message} (F5)")
            else:
                self._status(change.message)
            self.refresh_panel()

        self.app.push_screen(IbanChangeScreen(self.customer_id), callback=said_by(self, changed))

    def action_reprint(self) -> None:
        """Herdruk: the form of the printed (or current) mandate again, same document code."""
        from tui_desk.screens.print_queue import start_print, workstation_of

        desk = self.desk
        panel = self.panel()
        mandate = panel.pending or panel.current
        if mandate is None:
            self._status("Er is nog geen machtiging geprint: F5 Print machtiging.", error=True)
            return
        code, workstation = mandate.document_code, workstation_of(self.app)

        def reprint() -> tuple[MandateForm, PrintRequest]:
            form = svc.form_for(desk.db, desk.config, code, desk.clock.today())
            return form, svc.mandate_print_request(desk.db, desk.clock, desk.config,
                                                   workstation, form, staff=desk.staff,
                                                   reprint=True)

        def queued(done: tuple[MandateForm, PrintRequest]) -> None:
            form, request = done
            self.last_form = form
            self._status(f"Machtiging {form.kenmerk} wordt opnieuw geprint (documentcode "
                         f"{form.document_code}).")
            start_print(self.app, request)

        self.run_write(reprint, queued, busy="Herdruk klaarzetten…", once=True, hold=False)

    def action_export_scan(self) -> None:
        """Exporteer scan: the archived signed form to the export folder, for the bank."""
        desk = self.desk
        current = self.panel().current
        if current is None:
            self._status("Deze klant heeft geen verwerkte machtiging.", error=True)
            return
        code, kenmerk = current.document_code, current.kenmerk

        def export_scan() -> object:
            return svc.export_scan(desk.db, desk.config, code, demo=desk.demo)

        def exported(path: object) -> None:
            self._status(f"Scan van machtiging {kenmerk} geëxporteerd: {path}")

        self.run_write(export_scan, exported, busy="Scan exporteren…", once=True, hold=False)

    def action_done(self) -> None:
        if self.ask_on_leave and not self.panel().incasso:
            from tui_desk.screens.followups import ask_leave_mandate

            ask_leave_mandate(self, self.customer_id, self._done)
            return
        self._done()

    def _done(self) -> None:
        panel = self.panel()
        self.app.pop_screen()
        if self.on_done is not None:
            self.on_done(panel)
