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
from textual.widgets import Button, Input, Label, Static

from tui_desk.rules import dates
from tui_desk.rules.errors import RuleError
from tui_desk.rules.mandates import MandateForm
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskModal, DeskScreen
from tui_desk.services import mandates as svc
from tui_desk.services.mandates import (
    DocumentCheck,
    IbanChange,
    MandateError,
    MandateInputError,
    MandatePanel,
    MandateReview,
    ProcessResult,
)
from tui_desk.store.db import StoreError
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

    @property
    def desk(self):  # noqa: ANN201 - Desk
        return self.app.desk  # type: ignore[attr-defined]

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one(".md-message", Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

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
        desk = self.desk
        try:
            form = svc.print_new_mandate(
                desk.db, desk.clock, desk.staff, desk.config, self.customer_id,
                value["md-iban"], value["md-bic"], value["md-holder"], value["md-place"],
                printer=self.printer or self._spool)
        except MandateInputError as exc:
            first = next(iter(exc.errors))
            self._message(" ".join(exc.errors.values()), error=True)
            self.query_one(f"#{self.ERROR_FIELDS.get(first, 'md-iban')}", Input).focus()
            return
        except (MandateError, StoreError) as exc:
            self._message(str(exc), error=True)
            return
        self.dismiss(form)

    def _spool(self, form: MandateForm) -> None:
        """The workstation's receipt printer, through the print spool (a worker thread)."""
        from tui_desk.screens.print_queue import start_print, workstation_of

        desk = self.desk
        request = svc.mandate_print_request(desk.db, desk.clock, desk.config,
                                            workstation_of(self.app), form, staff=desk.staff)
        start_print(self.app, request)


# -- Actor document uploaden ----------------------------------------------------------------------
class ProcessMandateScreen(_Dialog):
    """"Actor document uploaden": Bronkeuze, Document scancode, Controleer, Opslaan, then the
    review and "Vastleggen klantdocument voltooid"; dismisses with the ``ProcessResult``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "save", "Opslaan"),
    ]
    ENTER_STAYS = frozenset({"md-code"})

    def __init__(self, customer_id: int, *, source: str = "none") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.source = source
        self.checked: DocumentCheck | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="md-dialog", id="md-upload") as box:
            box.border_title = "Actor document uploaden"
            yield _row("Bronkeuze:", Choice(SOURCE_CHOICES, self.source, id="md-source"))
            yield _row("Bestand:", FormInput(id="md-file", placeholder="pad naar PDF of "
                                             "afbeelding"), id="md-file-row")
            yield Static(Text(SCAN_HINT, style="italic"), classes="md-line")
            yield _row("Document scancode:", FormInput(id="md-code", max_length=24))
            with Horizontal(classes="md-row"):
                yield Label("Klantnaam:", classes="md-label")
                yield Static("", id="md-klantnaam", classes="md-value")
                yield Label("Actor id:", classes="md-label-short")
                yield Static("", id="md-actor", classes="md-value-short")
            yield _row("Documenttype:", Static("", id="md-type", classes="md-value"))
            yield Static("", classes="md-message")
            with Horizontal(classes="md-buttons"):
                yield Button("Controleer", id="md-check", compact=True)
                yield Button("Opslaan", id="md-save", compact=True)

    def on_mount(self) -> None:
        self._show_source()
        self.query_one("#md-code", Input).focus()

    def _source(self) -> str:
        return self.query_one("#md-source", Choice).value

    def _show_source(self) -> None:
        self.query_one("#md-file-row").display = self._source() in ("scan", "file")

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._show_source()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "md-code":
            self.action_check()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "md-code" and self.checked is not None:
            self.checked = None
            self._show_check(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "md-check":
            self.action_check()
        else:
            self.action_save()

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
        path = self.query_one("#md-file", Input).value.strip()
        if source in ("scan", "file"):
            problem = ""
            if not path:
                problem = "Geef het bestand met de gescande machtiging op, of kies Geen upload."
            else:
                try:
                    svc.read_scan(path)
                except MandateInputError as exc:
                    problem = " ".join(exc.errors.values())
            if problem:
                self._message(problem, error=True)
                self.query_one("#md-file", Input).focus()
                return
        desk = self.desk
        try:
            review = svc.review_mandate(desk.db, desk.clock, self.customer_id,
                                        self.checked.document_code)
        except MandateError as exc:
            self._message(str(exc), error=True)
            return
        code = self.checked.document_code

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._record(code, source, path or None)

        self.app.push_screen(ReviewMandateScreen(review), callback=confirmed)

    def _record(self, code: str, source: str, path: str | None) -> None:
        desk = self.desk
        try:
            result = svc.process_mandate(desk.db, desk.clock, desk.staff, self.customer_id,
                                         code, source, path)
        except MandateInputError as exc:
            self._message(" ".join(exc.errors.values()), error=True)
            return
        except (MandateError, StoreError) as exc:
            self._message(str(exc), error=True)
            return
        def closed(_: object) -> None:
            self.dismiss(result)

        self.app.push_screen(DoneScreen(result.message), callback=closed)


class ReviewMandateScreen(_Dialog):
    """"Controleer gegevens incassomachtiging": OK (Enter, F10) records; Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_Dialog.BINDINGS,
        Binding("f10", "ok", "OK"),
    ]

    def __init__(self, review: MandateReview) -> None:
        super().__init__()
        self.review = review

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

    def action_ok(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


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
        try:
            mandate = svc.revoke(desk.db, desk.clock, desk.staff, self.customer_id,
                                 reason=self.query_one("#md-reason", Input).value, on=day)
        except MandateInputError as exc:
            self._message(" ".join(exc.errors.values()), error=True)
            return
        except (MandateError, StoreError) as exc:
            self._message(str(exc), error=True)
            return
        self.dismiss(mandate)


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
        try:
            change = svc.change_iban(desk.db, desk.clock, desk.staff, self.customer_id,
                                     self.query_one("#md-new-iban", Input).value, bic,
                                     switch_service=self.query_one("#md-switch", Toggle).value)
        except MandateInputError as exc:
            self._message(" ".join(exc.errors.values()), error=True)
            return
        except (MandateError, RuleError, StoreError) as exc:
            self._message(str(exc), error=True)
            return
        self.dismiss(change)


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
        pending = panel.pending
        self.query_one("#md-pending", Static).update(
            _text(f"Geprint {dates.show(pending.printed_at.date())}, nog niet verwerkt: "
                  f"{pending.kenmerk} (code {pending.document_code})")
            if pending else Text(""))

    def _status(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#md-status", Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

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
                                               printer=self.printer), callback=printed)

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

        self.app.push_screen(ProcessMandateScreen(self.customer_id), callback=processed)

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

        self.app.push_screen(RevokeScreen(self.customer_id, current.kenmerk), callback=revoked)

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

        self.app.push_screen(IbanChangeScreen(self.customer_id), callback=changed)

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
