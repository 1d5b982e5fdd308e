"""Klantenadministratie: the customer record, as in the manual's pictures.

A header (card number, [actor id], branch, subscription, "Gefactureerd t/m", name, birth date
and age, contributie, address, counters) over the tabs 1.Klant, 2.NAW-Gegevens, 3.Contributie,
4.Overig (the change log), 5.Meldingen and 8.Passen. Tabs switch with their digit (when the
cursor is not in a text field) and with Ctrl+PgUp / Ctrl+PgDn; Alt+digit does not reach a
program through a terminal.

Everything the customer or a colleague typed (names, addresses, notices) is shown as ``Text``
built from ``printable(...)``: never parsed as markup, control characters made visible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from tui_desk import keymap
from tui_desk.errors import DeskError
from tui_desk.models import Customer
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.screens.record.actions import RecordActions
from tui_desk.screens.record.common import safe
from tui_desk.screens.record.contributie import ContributieTab
from tui_desk.screens.record.header import header_text
from tui_desk.screens.record.klant import ADDRESS_LABELS, KlantTab
from tui_desk.screens.record.meldingen import MeldingenTab
from tui_desk.screens.record.naw import NAW_LABELS, PLACEHOLDERS, REQUIRED, NawTab
from tui_desk.screens.record.overig import OverigTab
from tui_desk.screens.record.passen import CARD_STATUS, PassenTab
from tui_desk.screens.record.popup import NoticePopup
from tui_desk.services import customers as service
from tui_desk.services import privacy
from tui_desk.widgets.form import FieldKeys


class Tab(NamedTuple):
    """A tab of the record: its id, its title on screen and the digit that shows it (the
    numbers of the manual's tabs)."""

    id: str
    title: str
    key: str


TABS: tuple[Tab, ...] = (
    Tab("klant", "1.Klant", "1"), Tab("naw", "2.NAW-Gegevens", "2"),
    Tab("contributie", "3.Contributie", "3"), Tab("overig", "4.Overig", "4"),
    Tab("meldingen", "5.Meldingen", "5"), Tab("passen", "8.Passen", "8"),
)
TAB_IDS = tuple(t.id for t in TABS)
# The widget that is each tab's content.
TAB_WIDGETS: dict[str, type[Widget]] = {
    "klant": KlantTab, "naw": NawTab, "contributie": ContributieTab, "overig": OverigTab,
    "meldingen": MeldingenTab, "passen": PassenTab,
}

_TAB_GROUP = Binding.Group("Tab")

__all__ = [
    "ADDRESS_LABELS", "CARD_STATUS", "NAW_LABELS", "PLACEHOLDERS", "REQUIRED", "TABS", "TAB_IDS",
    "CustomerScreen", "NoticePopup", "safe",
]


class CustomerScreen(RecordActions, FieldKeys, DeskScreen):
    """Klantenadministratie for one customer."""

    CSS_PATH = "customer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Sluiten"),
        Binding("f2", "save", "Opslaan"),
        Binding("ctrl+s", "save", "Opslaan", show=False),
        *(Binding(k.key, k.action, k.label, show=k.show, priority=True) for k in keymap.RECORD),
        *(
            Binding(key, f"show_tab('{tab}')", title.split(".")[1], show=True, group=_TAB_GROUP)
            for tab, title, key in TABS
        ),
        # priority: tables and scroll containers use Ctrl+PgUp/PgDn for scrolling sideways
        Binding("ctrl+pagedown", "next_tab(1)", "Volgende tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", "Vorige tab", show=False, priority=True),
        Binding("delete", "delete_notice", "Verwijder melding"),
        # Up/Down move between the fields of NAW-Gegevens (tables keep their own).
        *FieldKeys.FIELD_BINDINGS,
    ]

    def __init__(self, customer_id: int, tab: str | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.initial_tab = tab if tab in TAB_IDS else "klant"
        self.customer: Customer | None = None
        self.editing_slot: int | None = None
        self._escape_armed = False
        # The tab whose write runs now: its expected failure is said there (``show_error``).
        self._error_tab: str | None = None

    # -- building ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        # The customer is read in on_mount (a failure there closes the screen cleanly).
        missing = Static(id="record-missing")
        missing.display = False
        yield missing
        yield Static(id="record-header")
        with TabbedContent(initial=f"tab-{self.initial_tab}", id="record-tabs"):
            for tab in TABS:
                with TabPane(tab.title, id=f"tab-{tab.id}"):
                    yield TAB_WIDGETS[tab.id]()

    def on_mount(self) -> None:
        try:
            self.customer = service.load(self.desk.db, self.customer_id)
        except service.CustomerNotFound as exc:
            # Stays until Escape, so that the person sees why no record opened.
            self.query_one("#record-header").display = False
            self.query_one("#record-tabs").display = False
            missing = self.query_one("#record-missing", Static)
            missing.update(Text(f"{exc}\n\nEsc = terug"))
            missing.display = True
            return
        self.refresh_bindings()
        self.query_one(ContributieTab).add_columns()
        self.query_one(OverigTab).add_columns()
        self.query_one(MeldingenTab).add_columns()
        self.query_one(PassenTab).add_columns()
        self.show_customer(self.customer, fill_form=True)
        self.focus_tab(self.initial_tab)
        private = service.private_notices(self.customer)
        if private:
            self.app.push_screen(NoticePopup(private))

    def show_customer(self, customer: Customer, *, fill_form: bool) -> None:
        self.customer = customer
        self.query_one("#record-header", Static).update(header_text(self.desk, customer))
        self.query_one(KlantTab).show(customer)
        if fill_form:
            self.query_one(NawTab).fill(service.naw_values(customer))
        self.query_one(ContributieTab).show(customer)
        self.fill_privacy()
        self.query_one(OverigTab).show_log(service.history(self.desk.db, self.customer_id))
        self.query_one(MeldingenTab).show(customer)
        self.query_one(PassenTab).show(customer, self.desk.config)

    def fill_privacy(self) -> None:
        """The ouder/verzorger link both ways (tab 1), the consents and their history (tab 4),
        the blocks (tab 5, Alt+M)."""
        db, today = self.desk.db, self.desk.clock.today()
        self.query_one(KlantTab).show_family(privacy.guardians(db, self.customer_id),
                                             privacy.wards(db, self.customer_id))
        self.query_one(OverigTab).show_consents(
            [(privacy.consent_line(c), bool(c.withdrawn_at))
             for c in privacy.consent_history(db, self.customer_id)])
        self.query_one(MeldingenTab).show_blocks(
            [privacy.block_line(b) for b in privacy.active_blocks(db, self.customer_id, today)])

    # -- tabs ------------------------------------------------------------------------------
    @property
    def active_tab(self) -> str:
        if self.customer is None:
            return ""
        return self.query_one("#record-tabs", TabbedContent).active.removeprefix("tab-")

    def focus_tab(self, tab: str) -> None:
        tabs = self.query_one("#record-tabs", TabbedContent)
        tabs.active = f"tab-{tab}"
        target = {
            "naw": "#naw-initials", "contributie": "#contributie-periods",
            "overig": "#audit-table", "meldingen": "#notices-table", "passen": "#cards-table",
        }.get(tab)
        if target:
            self.query_one(target).focus()
        else:
            tabs.query_one("Tabs").focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Arrived by arrows on the tab row: leave the focus there.
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.customer is None and action not in ("close",):
            return False
        if action == "show_tab" and isinstance(self.focused, Input):
            return False  # the digit is typed into the field
        if action == "save":
            return self.active_tab in ("naw", "meldingen")
        if action == "delete_notice":
            return self.active_tab == "meldingen" and self.focused is self.query_one(
                "#notices-table")
        return True

    def action_show_tab(self, tab: str) -> None:
        self.focus_tab(tab)

    def action_next_tab(self, step: int) -> None:
        i = TAB_IDS.index(self.active_tab) if self.active_tab in TAB_IDS else 0
        self.focus_tab(TAB_IDS[(i + step) % len(TAB_IDS)])

    def action_melding(self) -> None:
        if self.customer is not None:
            self.focus_tab("meldingen")

    # -- Print klantgegevens and the record's dialogs ------------------------------------------
    def reload(self, message: str | None = None) -> None:
        """Show the record as stored now (after a dialog changed it)."""
        try:
            customer = service.load(self.desk.db, self.customer_id)
        except service.CustomerNotFound:
            return
        self.show_customer(customer, fill_form=not self.form_dirty())
        if message:
            self.app.notify(message, timeout=6)

    # -- 2.NAW-Gegevens ----------------------------------------------------------------------
    def form_values(self) -> dict[str, str]:
        return self.query_one(NawTab).values()

    def form_dirty(self) -> bool:
        if self.customer is None:
            return False
        return self.form_values() != service.naw_values(self.customer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "naw-save":
            event.stop()
            self.save_naw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "notice-input":
            self.save_notice()
        elif event.input.id and event.input.id.startswith("naw-"):
            self.focus_next()  # Enter moves on through the form, as in Wise; F2 saves

    def action_save(self) -> None:
        if self.active_tab == "naw":
            self.save_naw()
        elif self.active_tab == "meldingen":
            self.save_notice()

    def save_naw(self) -> None:
        """F2 on 2.NAW-Gegevens: stored off the event loop (another counter may hold the
        database); the fields keep what was typed until the save succeeded."""
        assert self.customer is not None
        desk, customer_id = self.desk, self.customer_id
        self.query_one(NawTab).clear_errors()
        values = self.form_values()

        def update_naw() -> Customer:
            return service.update_naw(desk.db, desk.clock, desk.staff, customer_id, values)

        def saved(customer: Customer) -> None:
            changed = customer != self.customer
            # What was typed while the save ran stays in the fields (it is not saved yet).
            self.show_customer(customer, fill_form=self.form_values() == values)
            self._status("naw", "Opgeslagen." if changed else "Geen wijzigingen.")
            self._escape_armed = False

        self._write("naw", update_naw, saved, busy="Klantgegevens opslaan…")

    def _write(self, tab: str, work: Callable[[], Customer],
               then: Callable[[Customer], None], *, busy: str) -> None:
        """A write of this record, off the event loop: the busy line at once, "Even wachten…"
        while another counter holds the database; the key pressed again while it runs acts
        once; keys typed meanwhile stay on this screen (no other screen follows)."""

        def done(customer: Customer) -> None:
            self._error_tab = None
            then(customer)

        self._error_tab = tab
        self.run_write(work, done, busy=busy, once=True, hold=False)

    def _status(self, tab: str, message: str, *, error: bool = False) -> None:
        status = self.query_one("#naw-status" if tab == "naw" else "#notice-status", Static)
        status.update(Text(message, style="bold" if error else ""))
        status.set_class(error, "-error")

    def show_error(self, error: DeskError) -> None:
        """An expected failure of the record's own writes is said on the tab it came from (the
        typed data stays as typed); anything else in the error dialog."""
        tab, self._error_tab = self._error_tab, None
        if tab is None or self.customer is None:
            super().show_error(error)
            return
        if tab == "naw" and isinstance(error, service.ValidationErrors):
            first = self.query_one(NawTab).show_errors(error.errors)
            self._status(tab, "Niet opgeslagen: verbeter de velden met een melding.",
                         error=True)
            if first:
                self.query_one(f"#naw-{first}", Input).focus()
            return
        if isinstance(error, service.ValidationErrors):
            self._status(tab, " ".join(error.errors.values()), error=True)
            return
        self._status(tab, str(error), error=True)

    # -- 5.Meldingen -------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "notices-table" or self.customer is None:
            return
        event.stop()
        slot = int(event.row_key.value or 0)
        notice = next((n for n in self.customer.notices if n.slot == slot), None)
        self.editing_slot = slot
        self.query_one("#notice-label", Label).update(f"Melding {slot}")
        self.query_one("#notice-input", Input).value = printable(notice.text) if notice else ""
        self.query_one("#notice-private", Checkbox).value = bool(notice and notice.private)
        self.query_one("#notice-status", Static).update("")
        self.query_one("#notice-input", Input).focus()

    def save_notice(self) -> None:
        desk, customer_id = self.desk, self.customer_id
        field = self.query_one("#notice-input", Input)
        text = field.value
        private = self.query_one("#notice-private", Checkbox).value
        slot = self.editing_slot
        delete = not text.strip() and slot is not None

        def save_notice() -> Customer:
            if delete:
                assert slot is not None
                return service.delete_notice(desk.db, desk.clock, desk.staff, customer_id, slot)
            return service.set_notice(desk.db, desk.clock, desk.staff, customer_id, text,
                                      private, slot)

        def saved(customer: Customer) -> None:
            self.editing_slot = None
            self._escape_armed = False
            if field.value == text:
                field.value = ""
            self.query_one("#notice-private", Checkbox).value = False
            self.query_one("#notice-label", Label).update("Melding")
            self.show_customer(customer, fill_form=False)
            self._status("meldingen", f"Melding {slot} verwijderd." if delete
                         else "Melding opgeslagen.")
            self.query_one("#notices-table", DataTable).focus()

        self._write("meldingen", save_notice, saved, busy="Melding opslaan…")

    def action_delete_notice(self) -> None:
        table = self.query_one("#notices-table", DataTable)
        slot = table.cursor_row + 1
        assert self.customer is not None
        if not any(n.slot == slot for n in self.customer.notices):
            self._status("meldingen", f"Op plaats {slot} staat geen melding.")
            return
        desk, customer_id = self.desk, self.customer_id

        def delete_notice() -> Customer:
            return service.delete_notice(desk.db, desk.clock, desk.staff, customer_id, slot)

        def deleted(customer: Customer) -> None:
            self.show_customer(customer, fill_form=False)
            self._status("meldingen", f"Melding {slot} verwijderd.")

        self._write("meldingen", delete_notice, deleted, busy="Melding verwijderen…")

    # -- leaving ---------------------------------------------------------------------------
    def notice_dirty(self) -> bool:
        if self.customer is None:
            return False
        text = self.query_one("#notice-input", Input).value.strip()
        if self.editing_slot is None:
            return bool(text)
        old = next((n.text for n in self.customer.notices if n.slot == self.editing_slot), "")
        return text != old

    def action_close(self) -> None:
        """Escape: close the record; with unsaved input the first Escape only warns."""
        if self.customer is not None and not self._escape_armed:
            unsaved = [tab for tab, dirty in (("naw", self.form_dirty()),
                                              ("meldingen", self.notice_dirty())) if dirty]
            if unsaved:
                self._escape_armed = True
                tab = self.active_tab if self.active_tab in unsaved else unsaved[0]
                what = "Wijzigingen" if tab == "naw" else "Melding"
                status = self.query_one("#naw-status" if tab == "naw" else "#notice-status",
                                        Static)
                status.update(Text(f"{what} niet opgeslagen: F2 = opslaan, Esc = sluiten "
                                   "zonder opslaan."))
                status.set_class(True, "-error")
                self.focus_tab(tab)
                return
        self.dismiss()
