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
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
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
from tui_desk.models import Customer, Notice
from tui_desk.rules import dates
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.screens import audit_log
from tui_desk.screens.base import DeskModal, DeskScreen
from tui_desk.screens.results import said_by
from tui_desk.services import customers as service
from tui_desk.services import privacy
from tui_desk.store import audit
from tui_desk.widgets.keys import DeskInput

# (id, title, key): the numbers of the manual's tabs.
TABS: tuple[tuple[str, str, str], ...] = (
    ("klant", "1.Klant", "1"),
    ("naw", "2.NAW-Gegevens", "2"),
    ("contributie", "3.Contributie", "3"),
    ("overig", "4.Overig", "4"),
    ("meldingen", "5.Meldingen", "5"),
    ("passen", "8.Passen", "8"),
)
TAB_IDS = tuple(t[0] for t in TABS)

# The NAW form: field → label, in the service's order. Required labels are red ("rood is
# verplicht" in the manual).
NAW_LABELS: dict[str, str] = {
    "initials": "Voorletters",
    "prefix": "Voorvoegsel",
    "surname": "Achternaam",
    "first_name": "Roepnaam",
    "birth_date": "Geboortedatum",
    "street": "Straat",
    "house_number": "Huisnummer",
    "house_suffix": "Toevoeging",
    "postcode": "Postcode",
    "place": "Plaats",
    "phone": "Telefoon",
    "email": "E-mail",
}
REQUIRED = {"surname", "birth_date"}
PLACEHOLDERS = {"birth_date": "dd-mm-jjjj", "postcode": "1234 AB"}

ADDRESS_LABELS = (
    ("hoofdadres", "Hoofdadres"), ("postadres", "Postadres"), ("factuuradres", "Factuuradres"),
    ("alternatief", "Alternatief adres"),
)
CARD_STATUS = {"actief": "Actief", "geblokkeerd": "Geblokkeerd", "vervangen": "Vervangen"}

_TAB_GROUP = Binding.Group("Tab")


def safe(text: object) -> Text:
    """Untrusted text as a renderable that is never markup and has no control characters."""
    return Text(printable("" if text is None else str(text)), no_wrap=True, overflow="ellipsis")


def _pairs(rows: list[tuple[str, str, str, str]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=12, style="bold")
    grid.add_column(width=22, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=14, style="bold")
    grid.add_column(width=26, no_wrap=True, overflow="ellipsis")
    for a, b, c, d in rows:
        grid.add_row(Text(a), safe(b), Text(c), safe(d))
    return grid


class NoticePopup(DeskModal[None]):
    """The private notices, shown when the record opens; Enter or Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Sluiten"),
    ]

    def __init__(self, notices: list[Notice]) -> None:
        super().__init__()
        self.notices = notices

    def compose(self) -> ComposeResult:
        text = Text()
        for i, notice in enumerate(self.notices):
            if i:
                text.append("\n")
            text.append(f"{notice.slot}. ", style="bold")
            text.append(printable(notice.text))
        with Vertical(id="notice-popup") as box:
            box.border_title = "Melding"
            box.border_subtitle = "Enter = sluiten"
            yield Static(text, id="notice-popup-text")

    def action_close(self) -> None:
        self.dismiss()


class CustomerScreen(DeskScreen):
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
    ]

    def __init__(self, customer_id: int, tab: str | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.initial_tab = tab if tab in TAB_IDS else "klant"
        self.customer: Customer | None = None
        self.audit_entries: list[audit.AuditEntry] = []
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
            with TabPane("1.Klant", id="tab-klant"), VerticalScroll():
                yield Static(id="klant-info")
                yield Static(id="klant-addresses")
                yield Static(id="klant-region")
                yield Static(id="klant-family")
            with TabPane("2.NAW-Gegevens", id="tab-naw"), VerticalScroll():
                with Grid(id="naw-form"):
                    for field, label in NAW_LABELS.items():
                        yield Label(label, classes="naw-label" + (
                            " -required" if field in REQUIRED else ""))
                        yield DeskInput(id=f"naw-{field}", compact=True,
                                    placeholder=PLACEHOLDERS.get(field, ""))
                        yield Static(id=f"naw-{field}-error", classes="naw-error")
                with Horizontal(classes="button-row"):
                    yield Button("Opslaan (F2)", id="naw-save", compact=True)
                    yield Static(id="naw-status", classes="status")
            with TabPane("3.Contributie", id="tab-contributie"), Vertical():
                yield Static(id="contributie-registered")
                yield DataTable(id="contributie-periods", cursor_type="row")
            with TabPane("4.Overig", id="tab-overig"), Vertical():
                yield Static(id="overig-consents")
                yield DataTable(id="audit-table", cursor_type="row")
                with VerticalScroll(id="audit-detail-box"):
                    yield Static(id="audit-detail")
            with TabPane("5.Meldingen", id="tab-meldingen"), Vertical():
                yield Static(id="blocks-info")
                yield DataTable(id="notices-table", cursor_type="row")
                with Horizontal(id="notice-editor"):
                    yield Label("Melding", id="notice-label")
                    yield DeskInput(id="notice-input", max_length=service.NOTICE_LENGTH,
                                compact=True, placeholder="hoogstens 60 tekens")
                    yield Checkbox("privé: nee", id="notice-private", compact=True)
                yield Static(id="notice-status", classes="status")
                yield Static(
                    Text("Enter op een regel = wijzigen of toevoegen · Enter/F2 in de tekst = "
                         "opslaan · Del = verwijderen · privé = melding bij openen"),
                    id="notice-help",
                )
            with TabPane("8.Passen", id="tab-passen"), Vertical():
                yield DataTable(id="cards-table", cursor_type="row")

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
        periods = self.query_one("#contributie-periods", DataTable)
        for label, width in (("Instantie", 11), ("Begin", 10), ("Eind", 10), ("Abonnement", 10),
                             ("Status", 12), ("Kosten", 6), ("Sectie", 4)):
            periods.add_column(label, width=width)
        log = self.query_one("#audit-table", DataTable)
        for label, width in (("Wanneer", 16), ("Wie", 12), ("Wat", 18), ("Voor → Na", 22)):
            log.add_column(label, width=width)
        notices = self.query_one("#notices-table", DataTable)
        notices.add_column("Nr", width=2)
        notices.add_column("Melding", width=60)
        notices.add_column("Privé", width=5)
        cards = self.query_one("#cards-table", DataTable)
        for label, width in (("Pasnummer", 14), ("Vestiging", 14), ("Status", 11),
                             ("Uitgegeven", 10), ("Geblokkeerd", 11), ("Reden", 10)):
            cards.add_column(label, width=width)
        self.show_customer(self.customer, fill_form=True)
        self.focus_tab(self.initial_tab)
        private = service.private_notices(self.customer)
        if private:
            self.app.push_screen(NoticePopup(private))

    def show_customer(self, customer: Customer, *, fill_form: bool) -> None:
        self.customer = customer
        self.query_one("#record-header", Static).update(self.header_text(customer))
        self.fill_klant(customer)
        if fill_form:
            for field, value in service.naw_values(customer).items():
                self.query_one(f"#naw-{field}", Input).value = value
        self.fill_periods(customer)
        self.fill_privacy()
        self.fill_audit()
        self.fill_notices(customer)
        self.fill_cards(customer)

    def header_text(self, c: Customer) -> Table:
        """The header of the record in five lines of 80 columns, as in the manual."""
        h = service.record_header(self.desk.db, c, self.desk.clock.today())
        outer = Table.grid()
        outer.add_column()
        first = Text(no_wrap=True, overflow="ellipsis")
        first.append(printable(c.card_number) or "(geen pas)", style="bold")
        first.append(f" [{c.actor_id}] {c.branch_code} (")
        first.append(printable(c.branch_name))
        first.append(")")
        if h.tariff_name:
            first.append(" ")
            first.append(printable(h.tariff_name))
        first.append("   ")
        first.append(h.status_line, style="bold")
        outer.add_row(first)

        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=24, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=33, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=19, no_wrap=True, overflow="ellipsis")
        a = c.address
        born = "geboortedatum " + dates.show(c.birth_date)
        if h.age is not None:
            born += f" ({h.age} jr.)"
        name = safe(c.full_name)
        name.stylize("bold")
        grid.add_row(name, Text(born), Text(f"contributie {format_cents(h.contribution_cents)}"))
        grid.add_row(
            safe(a.line1 if a else ""),
            Text("laatste activiteit " + dates.show(c.last_activity)),
            Text(f"registratie {format_cents(h.registration_cents)}"),
        )
        grid.add_row(
            safe(a.line2 if a else ""),
            Text(f"in bezit {c.items_on_loan}"),
            Text(f"strippen {c.strips}"),
        )
        blocks = privacy.active_blocks(self.desk.db, c.id, self.desk.clock.today())
        flag = Text("")
        if blocks:
            flag = Text(f"BLOKKADE: {privacy.BLOCK_TYPES.get(blocks[0].type, blocks[0].type)}",
                        style="bold reverse", no_wrap=True, overflow="ellipsis")
        grid.add_row(
            flag,
            Text(f"actieve passen {h.active_cards}"),
            Text(f"tegoed {format_cents(h.balance_cents)}"),
        )
        outer.add_row(grid)
        return outer

    def fill_klant(self, c: Customer) -> None:
        info = _pairs([
            ("Voorletters", c.initials, "Telefoon", service.show_phone(c.phone)),
            ("Voorvoegsel", c.prefix, "SMS-nummer", service.show_phone(c.sms)),
            ("Achternaam", c.surname, "E-mail", c.email),
            ("Roepnaam", c.first_name, "Filiaal", c.branch_name),
            ("Geboren", dates.show_long(c.birth_date), "Inschrijfdatum",
             dates.show(c.registered_on)),
        ])
        self.query_one("#klant-info", Static).update(info)
        table = Table(box=None, padding=(0, 1), header_style="bold underline", show_edge=False)
        for label, width in (("Type", 18), ("Straat", 22), ("Huisnr", 7), ("Postcode", 9),
                             ("Plaats", 12), ("Land", 5)):
            table.add_column(label, width=width, no_wrap=True, overflow="ellipsis")
        by_kind = {a.kind: a for a in c.addresses}
        for kind, label in ADDRESS_LABELS:
            a = by_kind.get(kind)
            if a is None:
                table.add_row(Text(label), *(Text("") for _ in range(5)))
            else:
                table.add_row(Text(label), safe(a.street), safe(a.number_text), safe(a.postcode),
                              safe(a.place.upper()), safe(a.country))
        self.query_one("#klant-addresses", Static).update(table)
        region = Text()
        region.append("Regio/wijk  ", style="bold")
        region.append(printable(c.address.region if c.address else ""))
        self.query_one("#klant-region", Static).update(region)

    def fill_privacy(self) -> None:
        """The ouder/verzorger link both ways (tab 1), the consents and their history (tab 4),
        the blocks (tab 5, Alt+M)."""
        db, today = self.desk.db, self.desk.clock.today()
        family = Text()
        for g in privacy.guardians(db, self.customer_id):
            family.append("Ouder/verzorger  ", style="bold")
            family.append(printable(f"{g.name} ({g.relation})"
                                    f"{'  pas ' + g.card_number if g.card_number else ''}"))
            family.append("\n")
        for w in privacy.wards(db, self.customer_id):
            family.append("Ouder/verz. van  ", style="bold")
            family.append(printable(f"{w.name} ({dates.show(w.birth_date)})  pas "
                                    f"{w.card_number}"))
            family.append("\n")
        self.query_one("#klant-family", Static).update(family)
        consents = Text()
        consents.append("Toestemmingen (Alt+V)\n", style="bold")
        history = privacy.consent_history(db, self.customer_id)
        for c in history:
            consents.append(printable(privacy.consent_line(c)) + "\n",
                            style="dim" if c.withdrawn_at else "")
        if not history:
            consents.append("geen\n", style="dim")
        self.query_one("#overig-consents", Static).update(consents)
        blocks = Text()
        for b in privacy.active_blocks(db, self.customer_id, today):
            blocks.append("BLOKKADE ", style="bold reverse")
            blocks.append(" " + printable(privacy.block_line(b)))
            blocks.append("\n")
        self.query_one("#blocks-info", Static).update(blocks)

    def fill_periods(self, c: Customer) -> None:
        self.query_one("#contributie-registered", Static).update(
            Text.assemble(("Inschrijfdatum  ", "bold"), dates.show_long(c.registered_on))
        )
        table = self.query_one("#contributie-periods", DataTable)
        table.clear()
        for p in c.periods:
            table.add_row(
                safe(f"{p.instance} / {p.branch_code}"), Text(dates.show(p.start_date)),
                Text(dates.show(p.end_date)), safe(p.label), safe(p.status),
                Text(format_cents(p.amount_cents, symbol=False), justify="right"),
                safe(p.section),
            )

    def fill_audit(self) -> None:
        """4.Overig: the change log, newest first; the highlighted entry in full below."""
        self.audit_entries = audit.for_customer(self.desk.db, self.customer_id)
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        for i, entry in enumerate(self.audit_entries):
            table.add_row(*audit_log.row_cells(entry), key=str(i))
        self.show_audit_detail(0)

    def show_audit_detail(self, index: int) -> None:
        entries = self.audit_entries
        text = (audit_log.detail(entries[index]) if 0 <= index < len(entries)
                else Text("Nog geen wijzigingen vastgelegd."))
        self.query_one("#audit-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "audit-table":
            self.show_audit_detail(event.cursor_row)

    def fill_notices(self, c: Customer) -> None:
        table = self.query_one("#notices-table", DataTable)
        row = table.cursor_row
        table.clear()
        by_slot = {n.slot: n for n in c.notices}
        for slot in range(1, service.MAX_NOTICES + 1):
            n = by_slot.get(slot)
            table.add_row(
                Text(str(slot)),
                safe(n.text) if n else Text("—", style="dim"),
                Text("ja" if n and n.private else ""),
                key=str(slot),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def fill_cards(self, c: Customer) -> None:
        table = self.query_one("#cards-table", DataTable)
        table.clear()
        for card in c.cards:
            branch = self.desk.config.branch(card.branch_code)
            table.add_row(
                safe(card.number),
                safe(f"{card.branch_code} {branch.name}" if branch else card.branch_code),
                Text(CARD_STATUS.get(card.status, card.status)),
                Text(dates.show(card.issued_on)),
                Text(dates.show(card.blocked_on)),
                safe(card.reason),
            )

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

    def _print(self, kind: str) -> None:
        from tui_desk.screens.print_queue import print_for_customer

        # The spool hands a second press the job already queued: never a second card.
        print_for_customer(self.app, kind, self.customer_id,
                           on_done=lambda _outcome: self.reload())

    def action_ledenpas(self) -> None:
        self._print("ledenpas")

    def action_inschrijfbewijs(self) -> None:
        self._print("inschrijfbewijs")

    def action_klantbon(self) -> None:
        self._print("klantbon")

    def action_afrekenen(self) -> None:
        from tui_desk.screens.settlement import SettlementScreen

        self.app.push_screen(SettlementScreen(self.customer_id,
                                              on_done=said_by(self, lambda _s: self.reload())))

    def action_inlogaccount(self) -> None:
        from tui_desk.screens.login_account import LoginAccountScreen

        self.app.push_screen(LoginAccountScreen(self.customer_id), said_by(self, self.reload))

    def action_incassomachtiging(self) -> None:
        from tui_desk.screens.mandate import MandateScreen

        self.app.push_screen(MandateScreen(self.customer_id,
                                           on_done=said_by(self, lambda _p: self.reload())))

    def action_muteer_abonnement(self) -> None:
        from tui_desk.screens.subscription_change import ChangeSubscriptionScreen

        self.app.push_screen(ChangeSubscriptionScreen(self.customer_id),
                             said_by(self, self.reload))

    def action_opzeggen(self) -> None:
        from tui_desk.screens.subscription_change import CancelSubscriptionScreen

        self.app.push_screen(CancelSubscriptionScreen(self.customer_id),
                             said_by(self, self.reload))

    def action_privacy(self) -> None:
        from tui_desk.screens.privacy import PrivacyScreen

        self.app.push_screen(PrivacyScreen(self.customer_id),
                             said_by(self, lambda _r: self.reload()))

    def action_nieuwe_pas(self) -> None:
        from tui_desk.screens.card_replace import ReplaceCardScreen

        def done(result) -> None:  # noqa: ANN001 - cards.Replacement | None
            if result is None:
                return
            self.reload(f"Pas {result.old_number or ''} geblokkeerd; nieuwe pas "
                        f"{result.new_number}. De ledenpas wordt geprint.")
            self._print("ledenpas")

        self.app.push_screen(ReplaceCardScreen(self.customer_id), said_by(self, done))

    # -- 2.NAW-Gegevens ----------------------------------------------------------------------
    def form_values(self) -> dict[str, str]:
        return {field: self.query_one(f"#naw-{field}", Input).value for field in NAW_LABELS}

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
        for field in NAW_LABELS:
            self.query_one(f"#naw-{field}-error", Static).update("")
            self.query_one(f"#naw-{field}", Input).remove_class("-invalid")
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
            first = None
            for field, message in error.errors.items():
                if field not in NAW_LABELS:
                    continue
                self.query_one(f"#naw-{field}-error", Static).update(Text(message))
                self.query_one(f"#naw-{field}", Input).add_class("-invalid")
                first = first or field
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
        self.query_one("#notice-input", Input).value = notice.text if notice else ""
        self.query_one("#notice-private", Checkbox).value = bool(notice and notice.private)
        self.query_one("#notice-status", Static).update("")
        self.query_one("#notice-input", Input).focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        # Said in words too: the box's colour alone does not show on a monochrome terminal.
        event.checkbox.label = "privé: ja" if event.value else "privé: nee"

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
