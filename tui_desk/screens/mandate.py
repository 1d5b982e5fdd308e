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
from textual.containers import Vertical
from textual.widgets import Static

from tui_desk.errors import DeskError
from tui_desk.rules import dates
from tui_desk.rules.mandates import MandateForm
from tui_desk.rules.text import printable

# The dialogs live one a module in screens/dialogs/; imported from here as before.
from tui_desk.screens.dialogs.bank_details import BankDetailsScreen
from tui_desk.screens.dialogs.done import DoneScreen
from tui_desk.screens.dialogs.iban_change import IbanChangeScreen
from tui_desk.screens.dialogs.mandate_dialog import (
    BIC_NOTE,
    SCAN_HINT,
    SIGN_HINT,
    SOURCE_CHOICES,
    TITLE,
    grouped,
    row,
    value_text,
)
from tui_desk.screens.dialogs.process_mandate import ProcessMandateScreen
from tui_desk.screens.dialogs.review_mandate import ReviewMandateScreen
from tui_desk.screens.dialogs.revoke import RevokeScreen
from tui_desk.screens.followup_step import FollowUpStep
from tui_desk.screens.results import said_by
from tui_desk.services import mandates as svc
from tui_desk.services.mandates import (
    IbanChange,
    Mandate,
    MandateError,
    MandatePanel,
    ProcessResult,
)
from tui_desk.services.printing import PrintOutcome, PrintRequest
from tui_desk.statuses import MandateStatus

__all__ = [
    "BIC_NOTE", "SCAN_HINT", "SIGN_HINT", "SOURCE_CHOICES", "TITLE", "BankDetailsScreen",
    "DoneScreen", "IbanChangeScreen", "MandateScreen", "ProcessMandateScreen",
    "ReviewMandateScreen", "RevokeScreen",
]


# -- the incasso fields ---------------------------------------------------------------------------
class MandateScreen(FollowUpStep[MandatePanel]):
    """Step 5 and the record's incasso fields for ``customer_id``.

    ``on_done(panel)`` is called when the screen closes (Esc or F10) with the customer's
    ``MandatePanel`` (``panel.direct_debit``: a mandate is active). With ``ask_on_leave`` leaving
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
        super().__init__(customer_id, on_done=on_done, ask_on_leave=ask_on_leave)
        self.printer = printer
        self.title_text = title
        self.next_account: tuple[str, str] | None = None   # after an IBAN change
        self.last_form: MandateForm | None = None
        self.last_result: ProcessResult | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"), id="md-title")
        with Vertical(id="md-body"):
            yield Static("", id="md-customer")
            yield row("IBAN", Static("", id="md-show-iban", classes="md-value"))
            yield row("Bic (*)", Static("", id="md-show-bic", classes="md-value"))
            yield Static(Text(BIC_NOTE, style="italic"), classes="md-line")
            yield Static("", id="md-incasso")
            yield Static("", id="md-switch-shown")
            yield row("Datum afgifte machtiging", Static("", id="md-signed", classes="md-value"))
            yield row("Datum intrekking machtiging", Static("", id="md-revoked",
                                                             classes="md-value"))
            yield row("Reden intrekking", Static("", id="md-reason-shown", classes="md-value"))
            yield row("Tenaamstelling incasso rekening", Static("", id="md-holder-shown",
                                                                 classes="md-value"))
            yield row("Woonplaats incasso rekening", Static("", id="md-place-shown",
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
        self.query_one("#md-show-iban", Static).update(value_text(grouped(iban)))
        self.query_one("#md-show-bic", Static).update(value_text(m.bic if m is not None else ""))
        incasso = Text("[X] Incasso" if panel.direct_debit else "[ ] Incasso",
                       style="bold" if panel.direct_debit else "")
        if panel.direct_debit:
            incasso.append("   kenmerk machtiging ")
            incasso.append(printable(panel.kenmerk), style="bold")
        self.query_one("#md-incasso", Static).update(incasso)
        switch = bool(m and m.uses_switch_service and panel.direct_debit)
        self.query_one("#md-switch-shown", Static).update(
            Text(f"{'[X]' if switch else '[ ]'} Klant gebruikt overstapservice"))
        self.query_one("#md-signed", Static).update(
            value_text(dates.show(m.signed_on) if m else ""))
        self.query_one("#md-revoked", Static).update(
            value_text(dates.show(m.revoked_on) if m and m.revoked_on else ""))
        reason = m.revoke_reason if m else ""
        if m is not None and m.status == MandateStatus.LAPSED:
            reason = "Vervallen: 36 maanden niet gebruikt"
        self.query_one("#md-reason-shown", Static).update(value_text(reason))
        self.query_one("#md-holder-shown", Static).update(value_text(m.holder_name if m else ""))
        self.query_one("#md-place-shown", Static).update(value_text(m.holder_place if m else ""))
        self.query_one("#md-scan", Static).update(value_text(self._scan_line(m)))
        pending = panel.pending
        self.query_one("#md-pending", Static).update(
            value_text(f"Geprint {dates.show(pending.printed_at.date())}, nog niet verwerkt: "
                  f"{pending.kenmerk} (code {pending.document_code})")
            if pending else Text(""))

    def _scan_line(self, mandate: Mandate | None) -> str:
        if mandate is None or mandate.status in (MandateStatus.PENDING, MandateStatus.CANCELLED):
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
        """Print nieuwe machtiging: the bank details dialog, then the form. (A MandateError,
        such as a customer without an address, goes to the message line: ``show_error``.)"""
        data = svc.mandate_data_for(self.desk.db, self.customer_id)
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

        def reprint() -> tuple[MandateForm, PrintRequest | PrintOutcome]:
            form = svc.form_for(desk.db, desk.config, code, desk.clock.today())
            return form, svc.mandate_print_request(desk.db, desk.clock, desk.config,
                                                   workstation, form, staff=desk.staff,
                                                   reprint=True)

        def queued(done: tuple[MandateForm, PrintRequest | PrintOutcome]) -> None:
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
        self.leave()

    def ask_first(self, leave: Callable[[], None]) -> bool:
        if self.panel().direct_debit:
            return False
        # No processed mandate: Later (open), Geen incasso (contributiebrief), Terug.
        from tui_desk.screens.followups import ask_leave_mandate

        ask_leave_mandate(self, self.customer_id, leave)
        return True

    def close_with_result(self) -> None:
        panel = self.panel()
        self.app.pop_screen()
        if self.on_done is not None:
            self.on_done(panel)
