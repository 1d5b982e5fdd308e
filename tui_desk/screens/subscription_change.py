"""The Contributie tab's actions: Muteer abonnement and Opzeggen (modal dialogs)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_desk.errors import DeskError
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.services import subscriptions
from tui_desk.widgets.buildup import build_up_table
from tui_desk.widgets.dialog import Dialog
from tui_desk.widgets.form import FieldKeys
from tui_desk.widgets.keys import DeskInput
from tui_desk.widgets.tables import cursor_key

_DIALOG_CSS = """
{cls} {{ align: center middle; }}
{cls} > Vertical {{
    width: 78; height: auto; max-height: 22; border: round $primary; background: $panel;
    padding: 0 1;
}}
{cls} .dlg-message {{ height: auto; }}
{cls} .dlg-message.error {{ color: $error; text-style: bold; }}
"""


class ChangeSubscriptionScreen(Dialog[str | None]):
    """Muteer abonnement: a new period from today; the unused part of the old one is credited.
    Dismisses with a message for the record, or None when nothing changed."""
    MESSAGE = "#chg-message"  # a refusal names the stored tariff: said printable

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "OK, Opslaan"),
        Binding("escape", "dismiss(None)", "Annuleer"),
    ]
    DEFAULT_CSS = _DIALOG_CSS.format(cls="ChangeSubscriptionScreen") + """
    ChangeSubscriptionScreen DataTable { height: 10; }
    ChangeSubscriptionScreen #chg-buildup { height: auto; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.choices: list[subscriptions.TariffChoice] = []

    def compose(self) -> ComposeResult:
        with self.frame("Muteer abonnement (per vandaag)"):
            yield DataTable(cursor_type="row", id="chg-tariffs")
            yield Static("", id="chg-buildup")
            yield Static("", id="chg-message", classes="dlg-message")

    def on_mount(self) -> None:
        desk = self.desk
        table = self.query_one(DataTable)
        table.add_columns("Code", "Abonnement", "Prijs", "Leeftijd")
        self.choices = subscriptions.choices(desk.db, desk.clock, self.staff, self.customer_id)
        for c in self.choices:
            style = "" if c.allowed else "dim"
            table.add_row(*(Text(printable(v), style=style)
                            for v in (c.code, c.name, c.price_text, c.ages_text)), key=c.code)
        table.focus()

    def _choice(self) -> subscriptions.TariffChoice | None:
        code = cursor_key(self.query_one(DataTable))
        if code is None:
            return None
        return next((c for c in self.choices if c.code == code), None)


    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        choice = self._choice()
        panel = self.query_one("#chg-buildup", Static)
        if choice is None or not choice.allowed:
            panel.update("")
            self.say(choice.reason or "" if choice else "", error=True)
            return
        desk = self.desk
        try:
            build = subscriptions.build_up(desk.db, desk.clock, self.customer_id, choice.code)
        except DeskError as exc:
            panel.update("")   # no build-up of a choice that cannot be made
            self.say(str(exc), error=True)
            return
        panel.update(build_up_table(build))
        self.say("F10 wijzigt het abonnement; het ongebruikte deel wordt gecrediteerd.")

    def action_save(self) -> None:
        choice = self._choice()
        if choice is None or not choice.allowed:
            self.say(choice.reason if choice and choice.reason else
                          "Kies een abonnement.", error=True)
            return
        desk, customer_id = self.desk, self.customer_id

        def change_subscription() -> subscriptions.ChangeResult:
            return subscriptions.change_subscription(desk.db, desk.clock, self.staff,
                                                     customer_id, choice.code)

        def changed(result: subscriptions.ChangeResult) -> None:
            text = printable(f"Abonnement gewijzigd naar {choice.code} {choice.name}.")
            if result.credit_cents:
                text += f" Gecrediteerd: {format_cents(abs(result.credit_cents))}."
            self.dismiss(text)

        # F10 pressed again while it is stored changes (and credits) once; keys typed meanwhile
        # go to the record, shown next.
        self.run_write(change_subscription, changed, busy="Abonnement wijzigen…", once=True)


class CancelSubscriptionScreen(FieldKeys, Dialog[str | None]):
    """Opzeggen: per direct or per the end of the period, with a reason (Reden opzegging)."""
    MESSAGE = "#cancel-message"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "OK, Opzeggen"),
        Binding("escape", "dismiss(None)", "Annuleer"),
        *FieldKeys.FIELD_BINDINGS,
    ]
    DEFAULT_CSS = _DIALOG_CSS.format(cls="CancelSubscriptionScreen") + """
    CancelSubscriptionScreen OptionList { height: auto; max-height: 5; }
    CancelSubscriptionScreen Input { width: 60; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with self.frame("Opzeggen"):
            yield OptionList(id="cancel-when")
            yield Label("Reden opzegging")
            yield DeskInput(id="cancel-reason", max_length=subscriptions.MAX_REASON)
            yield Static("", id="cancel-message", classes="dlg-message")

    def on_mount(self) -> None:
        # Read here, not in compose: a failure of a mount closes the dialog cleanly.
        desk = self.desk
        message = ""
        try:
            choices = subscriptions.cancel_choices(desk.db, desk.clock, self.customer_id)
        except subscriptions.SubscriptionError as exc:   # no running subscription: say so
            choices, message = [], str(exc)
        options = self.query_one(OptionList)
        options.add_options([Option(o.label, id=o.key) for o in choices])
        if not choices:
            self.query_one("#cancel-message", Static).update(
                Text(message or "Er is geen lopend abonnement om op te zeggen."))
        if options.option_count:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#cancel-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        when = options.get_option_at_index(options.highlighted).id or ""
        reason = self.query_one("#cancel-reason", Input).value
        desk, customer_id = self.desk, self.customer_id
        label = options.get_option_at_index(options.highlighted).prompt

        def cancel_subscription() -> object:
            return subscriptions.cancel_subscription(desk.db, desk.clock, self.staff,
                                                     customer_id, when, reason)

        # F10 (or Enter in the reason) pressed again while it is stored cancels once.
        self.run_write(cancel_subscription, lambda _result: self.dismiss(f"{label}: opgezegd."),
                       busy="Opzeggen…", once=True)

