"""Unfinished registrations of the signed-in staff member: go on, throw away, or later.

Shown when the program starts for a staff member (or right after sign-in) who has open drafts:
the line dropped, the terminal was switched off, the program was killed. Enter resumes the
chosen registration at the step where it stopped; Del twice throws it away (the typed personal
data goes with it); Escape decides later (the drafts stay until the retention time removes
them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.services.registration import Draft, RegistrationService

if TYPE_CHECKING:
    from tui_desk.services.desk import DraftRow  # what Desk.open_registrations lists
from tui_desk.widgets.dialog import Dialog

STEP_LABELS = {
    "klantgegevens": "1. Klantgegevens",
    "inlogaccount": "2. Inlogaccount",
    "abonnement": "3. Abonnement",
    "afrekenen": "4. Afrekenen",
    "machtiging": "5. Incassomachtiging",
    "incassomachtiging": "5. Incassomachtiging",
}


def step_label(step: str) -> str:
    return STEP_LABELS.get(step, printable(step).capitalize())


def typed_name(service: RegistrationService, row: DraftRow) -> str:
    """The customer's name as far as it was typed, or a dash."""
    draft = Draft(row.id, row.step, dict(row.data.get("values", {})), row.branch_code)
    try:
        name = service.display_name(draft)
    except Exception:  # half-typed data must never stop the list
        name = draft.get("surname")
    return name.strip() or "(nog geen naam)"


class ResumeScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later"),
        Binding("delete", "discard", "Weggooien"),
    ]
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; background: $background 50%; }
    ResumeScreen > Vertical {
        width: 74; height: auto; max-height: 20; border: thick $warning; background: $panel;
        padding: 0 1;
    }
    ResumeScreen DataTable { height: auto; max-height: 10; margin: 1 0; }
    ResumeScreen Static { height: auto; }
    ResumeScreen #resume-status { color: $warning; }
    ResumeScreen #resume-help { color: $text-muted; }
    """

    def __init__(self, service: RegistrationService, drafts: list[DraftRow]) -> None:
        super().__init__()
        self.service = service
        self.drafts = {row.id: row for row in drafts}
        self._discard_armed: int | None = None

    def compose(self) -> ComposeResult:
        with self.frame("Onafgemaakte inschrijving"):
            yield Static(Text("Deze inschrijving is niet afgemaakt. Alles wat getypt was, is "
                              "bewaard: ga verder waar u gebleven was."))
            table: DataTable = DataTable(id="resume-table", cursor_type="row")
            table.add_column("Bewaard", width=16)
            table.add_column("Stap", width=18)
            table.add_column("Klant", width=30)
            for row in self.drafts.values():
                table.add_row(
                    Text(row.updated_at.strftime("%d-%m-%Y %H:%M")),
                    Text(step_label(row.step)),
                    Text(printable(typed_name(self.service, row)), no_wrap=True,
                         overflow="ellipsis"),
                    key=str(row.id),
                )
            yield table
            yield Static(id="resume-status")
            yield Static(Text("Enter = verder · Del = weggooien · Esc = later"),
                         id="resume-help")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    @property
    def current_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def status(self, text: str) -> None:
        self.query_one("#resume-status", Static).update(Text(text))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._discard_armed is not None:
            self._discard_armed = None
            self.status("")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        draft_id = int(event.row_key.value or 0)
        try:
            draft = self.service.resume(draft_id)
        except LookupError:
            self._remove(draft_id)
            self.status("Deze inschrijving is niet meer open (afgemaakt of verwijderd).")
            return
        self.dismiss()
        self.desk_app.open_registration_step(self.service, draft)

    def action_discard(self) -> None:
        draft_id = self.current_id
        if draft_id is None:
            return
        if self._discard_armed != draft_id:
            self._discard_armed = draft_id
            self.status("Nogmaals Del = deze inschrijving weggooien (wat getypt is, gaat "
                        "verloren).")
            return
        self._discard_armed = None
        service = self.service

        def abandon() -> None:
            try:
                service.abandon(service.resume(draft_id))
            except LookupError:
                pass  # already finished or removed elsewhere: gone from the list either way

        def abandoned(_: None) -> None:
            self._remove(draft_id)
            self.status("Inschrijving weggegooid.")

        # Off the event loop (another counter may hold the database); Del pressed again while
        # it runs does not arm the next row's discard.
        self.run_write(abandon, abandoned, busy="Weggooien…", once=True, hold=False)

    def show_error(self, error: DeskError) -> None:
        if not self.query("#resume-status"):
            super().show_error(error)
            return
        self.status(str(error))

    def _remove(self, draft_id: int) -> None:
        self.drafts.pop(draft_id, None)
        table = self.query_one(DataTable)
        table.remove_row(str(draft_id))
        if not table.row_count:
            self.dismiss()

    def action_later(self) -> None:
        self.dismiss()
