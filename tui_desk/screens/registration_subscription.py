"""Inschrijven klant, step 3: Abonnement — the choice list and "Opbouw abonnementskosten".

The list shows every tariff of the customer's audience as the manual lays it out (code, name,
price, ages); a tariff that may not be chosen is dimmed and its reason shown when the cursor is on
it. Moving the cursor shows the cost build-up; Enter chooses, F10 saves (the manual's "OK, …
opslaan"), which creates the customer in one transaction.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from tui_desk.errors import DeskError
from tui_desk.screens.registration_step import WizardStep
from tui_desk.services import subscriptions
from tui_desk.services.registration import (
    STEP_CUSTOMER,
    STEP_DONE,
    STEP_LOGIN,
    Draft,
    Registered,
    RegistrationService,
    StepIncomplete,
)
from tui_desk.widgets.buildup import build_up_table


class SubscriptionStepScreen(WizardStep):
    BINDINGS: ClassVar[list[BindingType]] = WizardStep.step_bindings("save", "OK, Opslaan",
                                                                     "Terug")
    INSTALLED_AS = "registration-subscription"
    STEP_TITLE = "Abonnement (stap 3)"

    def __init__(self, service: RegistrationService, draft: Draft) -> None:
        super().__init__(service, draft)
        self.choices: list[subscriptions.TariffChoice] = []
        self.chosen: str | None = draft.values.get("tariff")

    def compose_step(self) -> ComposeResult:
        with Vertical(id="sub-body"):
            table: DataTable = DataTable(cursor_type="row", id="sub-tariffs")
            table.border_title = "Abonnement"
            yield table
            yield Static("", id="sub-buildup")
            yield Static("", id="sub-message", classes="reg-message")

    def on_mount(self) -> None:
        self.query_one("#sub-tariffs", DataTable).add_columns("Code", "Abonnement", "Prijs",
                                                             "Leeftijd")
        if not self.show_draft():
            # Step 1 is no longer complete (e.g. resumed after a rule changed): go back there.
            self.action_back(to=STEP_CUSTOMER)

    def show_draft(self) -> bool:
        """The draft's tariffs in the list; False when step 1 is no longer complete."""
        try:
            self.choices = self.service.tariff_choices(self.draft)
        except StepIncomplete:
            return False
        self.chosen = self.draft.values.get("tariff")
        table = self.query_one("#sub-tariffs", DataTable)
        table.clear()
        self._message("")
        allowed = [i for i, c in enumerate(self.choices) if c.allowed]
        start = allowed[0] if allowed else 0
        auto = subscriptions.automatic_choice(self.choices)
        for i, c in enumerate(self.choices):
            style = "" if c.allowed else "dim"
            table.add_row(Text(c.code, style=style), Text(c.name, style=style),
                          Text(c.price_text, style=style), Text(c.ages_text, style=style),
                          key=c.code)
            if c.code == (self.chosen or (auto.code if auto else None)):
                start = i
        table.move_cursor(row=start)
        self.set_focus(table, scroll_visible=False)
        self._show(self.choices[start] if self.choices else None)
        return True

    def _choice(self, code: str) -> subscriptions.TariffChoice | None:
        return next((c for c in self.choices if c.code == code), None)

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#sub-message", Static)
        target.update(Text(text))
        target.set_class(error, "error")
        target.set_class(not error and bool(text), "warning")

    def _show(self, choice: subscriptions.TariffChoice | None) -> None:
        if self.draft.step == STEP_DONE or not self.is_attached:
            # Saved: the customer exists and step 1's card is now theirs. An event still queued
            # for this screen must not check step 1 again (or touch a screen that is gone).
            return
        panel = self.query_one("#sub-buildup", Static)
        if choice is None:
            panel.update("")
            return
        if not choice.allowed:
            panel.update(Text(""))
            self._message(choice.reason or "Dit abonnement kan niet gekozen worden.", error=True)
            return
        try:
            build = self.service.cost_build_up(self.draft, choice.code)
        except DeskError as exc:
            panel.update("")
            self._message(str(exc), error=True)
            return
        panel.update(build_up_table(build))
        panel.border_title = "Opbouw abonnementskosten"
        chosen = f"Gekozen: {choice.code} {choice.name}. " if self.chosen == choice.code else ""
        self._message(f"{chosen}Enter kiest, F10 slaat op.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(self._choice(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        choice = self._choice(event.row_key.value or "")
        if choice is None or not choice.allowed:
            self.app.bell()
            return
        self.chosen = choice.code
        self._show(choice)

    def action_save(self) -> None:
        # After the Down and Enter typed before F10 have chosen the row.
        self.after_typed(self._save, once=True)

    def _save(self) -> None:
        table = self.query_one("#sub-tariffs", DataTable)
        code = self.chosen
        if code is None and table.row_count:
            code = str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)
        choice = self._choice(code or "")
        if choice is None or not choice.allowed:
            self._message(choice.reason if choice and choice.reason else
                          "Kies eerst een abonnement.", error=True)
            return
        service, draft, code = self.service, self.draft, choice.code

        def register() -> Registered:
            return service.register(draft, code)

        # One save however often F10 is pressed while it runs; keys typed meanwhile go to the
        # screen that follows.
        self.run_write(register, self._saved, busy="Klant opslaan…", once=True)

    def _saved(self, done: Registered) -> None:
        from tui_desk.screens.registration_done import RegistrationDoneScreen

        self.app.switch_screen(RegistrationDoneScreen(done))

    def show_error(self, error: DeskError) -> None:
        if isinstance(error, StepIncomplete):
            self._message("Klantgegevens zijn niet compleet: "
                          + "; ".join(error.errors.values()), error=True)
        else:
            self._message(str(error), error=True)

    def previous_step(self) -> str:
        return STEP_LOGIN if self.draft.yes("use_login") else STEP_CUSTOMER
