"""Financieel ▸ Onbekende scans: scans in the inbox that no printed mandate form waits for.

Each row is a scan with its time, file name, the document code read from it and why it is here
(no code found, an unknown code, a superseded form, a form processed already). ``K`` Koppelen
asks for the document code of the paper form: a form waiting to be processed goes on to
Verwerk machtiging with this scan, a form processed without a scan (Geen upload) gets it
archived. ``V`` Verwijderen takes the scan out of the inbox (after a second ``V``).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.services import mandates as svc
from tui_desk.services import scans
from tui_desk.services.mandates import UnknownScan
from tui_desk.widgets.dialog import Dialog, box_css
from tui_desk.widgets.form import FormInput
from tui_desk.widgets.listing import ListingScreen, cell


class CodeScreen(Dialog[str | None]):
    """Koppelen: the document code of the paper form (scanned or typed); Esc cancels."""

    DEFAULT_CSS = box_css("CodeScreen", width=60) + """
    CodeScreen Input { border: none; height: 1; padding: 0 1; background: $surface; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.scan_name = name

    def compose(self) -> ComposeResult:
        with self.frame("Scan koppelen"):
            yield Static(Text(printable(f"Scan {self.scan_name}: scan of typ de documentcode van "
                                        "het papieren formulier (Enter).")))
            yield FormInput(id="us-code", max_length=24)

    def on_mount(self) -> None:
        self.query_one("#us-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)



class UnknownScansScreen(ListingScreen[UnknownScan]):
    """Onbekende scans of this workstation's inbox."""

    COLUMNS = (("Tijd", 11), ("Bestand", 20), ("Documentcode", 16), ("Reden", 21))
    TITLE_TEXT = "Onbekende scans"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "match", "Koppelen"),
        Binding("v", "remove", "Verwijderen"),
        *ListingScreen.LISTING_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.inbox: Path | None = None
        self.confirm_remove: str | None = None

    def on_mount(self) -> None:
        from tui_desk.screens.print_queue import workstation_of

        desk = self.desk
        self.workstation = workstation_of(self.app)
        self.inbox = scans.inbox_for(desk.config, self.workstation, demo=desk.demo)
        self.add_columns()
        self.table.focus()
        self.reload()

    # -- the list ---------------------------------------------------------------------------
    def reload(self) -> None:
        if self.inbox is None:
            self.set_status(scans.no_inbox_message(self.workstation), error=True)
            return
        self.set_status("Scanmap wordt gelezen…")
        inbox, db = self.inbox, self.desk.db

        def work() -> None:
            # The scan folder (decoding the codes) and the mandates waiting for them: both off
            # the event loop.
            try:
                scans.list_scans(inbox, limit=200)
                rows, error = svc.unknown_scans(db, inbox), ""   # codes are cached by now
            except DeskError as exc:
                rows, error = [], str(exc)
            except Exception as exc:  # reported on the screen's thread
                self.app.call_from_thread(self.desk_app.report_unexpected, exc,
                                          where="UnknownScansScreen:reload")
                return
            self.app.call_from_thread(self._read, rows, error)

        self.run_worker(work, thread=True, group="unknown-scans", exclusive=True,
                        exit_on_error=False)

    def _read(self, rows: list[UnknownScan], error: str) -> None:
        if not self.is_attached:
            return
        if error:
            self.set_status(error, error=True)
            return
        table = self.table
        table.clear()
        self.rows = {r.scan.name: r for r in rows}
        for r in rows:
            table.add_row(cell(f"{r.scan.modified:%d-%m %H:%M}"), cell(r.scan.name),
                          cell(r.scan.code or "—"), cell(r.reason), key=r.scan.name)
        self.set_status(f"{len(rows)} onbekende scan(s). K: koppelen aan een machtiging, "
                        "V: verwijderen." if rows else "Geen onbekende scans.")
        self.show_detail()

    def detail_of(self, row: UnknownScan, width: int) -> Text:
        text = f"{row.scan.name} · {row.scan.size // 1024 or 1} kB · {row.reason}"
        if row.customer_name:
            text += f" · {row.customer_name}"
        return cell(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The cursor moved: a V pressed before is no longer for this row. (The base's handler
        # runs next and shows the row's detail.)
        self.confirm_remove = None

    # -- actions ----------------------------------------------------------------------------
    def action_remove(self) -> None:
        row = self.selected()
        if row is None or self.inbox is None:
            self.app.bell()
            return
        if self.confirm_remove != row.scan.name:
            self.confirm_remove = row.scan.name
            self.set_status(f"Scan {row.scan.name} verwijderen? Druk nog eens V.", error=True)
            return
        self.confirm_remove = None
        inbox, name = self.inbox, row.scan.name

        def remove_scan() -> None:
            scans.remove(inbox, name)

        def removed(_none: None) -> None:
            self.reload()
            self.notify(f"Scan {name} verwijderd.", timeout=5)

        self.run_write(remove_scan, removed, busy="Scan verwijderen…", once=True, hold=False)

    def action_match(self) -> None:
        row = self.selected()
        if row is None or self.inbox is None:
            self.app.bell()
            return
        name = row.scan.name

        def given(code: str | None) -> None:
            if code:
                self._match(name, code)

        self.app.push_screen(CodeScreen(name), callback=given)

    def _match(self, name: str, code: str) -> None:
        desk, inbox = self.desk, self.inbox
        if inbox is None:
            self.set_status(scans.no_inbox_message(self.workstation), error=True)
            return

        def match_scan() -> svc.HandMatch:
            return svc.match_by_hand(desk.db, desk.clock, desk.staff, inbox, name, code)

        # The match may lead to Verwerk machtiging: keys typed meanwhile go there.
        self.run_write(match_scan, lambda match: self._matched(name, match),
                       busy="Scan koppelen…")

    def _matched(self, name: str, match: svc.HandMatch) -> None:
        if not match.process:
            self.reload()
            self.notify(match.message, timeout=8)
            return
        from tui_desk.screens.mandate import ProcessMandateScreen

        def processed(result: object) -> None:
            self.reload()
            if result is not None:
                self.notify(f"Machtiging verwerkt met scan {name}.", timeout=8)

        self.app.push_screen(ProcessMandateScreen(match.customer_id, source="file",
                                                  scan_name=name, code=match.document_code),
                             callback=processed)
