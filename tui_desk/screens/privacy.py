"""Privacy (AVG) on the customer record (Alt+V): ouder/verzorger, consents, communication
preferences, blocks, inzage, uitschrijven and anonymisation.

One list of lines, each with what Enter does: a consent is given or withdrawn (how: the
"Hoe" choice, balie or formulier), a preference's channel moves to the next one (T: the
language), a block is lifted, "Nieuwe blokkade" opens the block fields (F2 saves). F3 writes
the inzage, F4 uitschrijven (twice), F5 anonimiseren (twice).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static

from tui_desk.errors import DeskError
from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.services import privacy as svc
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FieldKeys
from tui_desk.widgets.keys import DeskInput

T = TypeVar("T")


class _Done(Protocol):
    """What an irreversible change returns: at least the sentence that says it is done."""

    @property
    def message(self) -> str: ...


def _safe(text: str) -> Text:
    return Text(printable(text), no_wrap=True, overflow="ellipsis")


class PrivacyScreen(FieldKeys, DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "language", "Taal"),
        Binding("f2", "save_block", "Blokkade opslaan"),
        Binding("f3", "inzage", "Inzage"),
        Binding("f4", "deregister", "Uitschrijven"),
        Binding("f5", "anonymise", "Anonimiseren"),
        Binding("escape", "close", "Terug"),
        *FieldKeys.FIELD_BINDINGS,
    ]
    DEFAULT_CSS = """
    #privacy-people { height: auto; max-height: 4; padding: 0 1; }
    #privacy-table { height: 1fr; }
    #privacy-how, #privacy-block { height: 1; padding: 0 1; }
    #privacy-how Label, #privacy-block Label { width: auto; margin-right: 1; }
    #privacy-block Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    #block-end { max-width: 14; }
    #privacy-status { height: auto; padding: 0 1; }
    #privacy-status.error { color: $error; text-style: bold; }
    """

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self._armed: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="privacy-people")
        yield DataTable(id="privacy-table", cursor_type="row")
        with Horizontal(id="privacy-how"):
            yield Label("Hoe (toestemming):")
            yield Choice(tuple((k, k) for k in svc.METHODS), "balie", id="privacy-method")
        with Horizontal(id="privacy-block"):
            yield Label("Blokkade:")
            yield Choice(tuple(svc.BLOCK_TYPES.items()), "adres_onbekend", id="block-type")
            yield DeskInput(id="block-reason", placeholder="reden", compact=True,
                        max_length=svc.REASON_MAX)
            yield DeskInput(id="block-end", placeholder="t/m dd-mm-jjjj", compact=True)
        yield Static(id="privacy-status")

    def on_mount(self) -> None:
        table = self.query_one("#privacy-table", DataTable)
        table.add_column("Onderdeel", width=28)
        table.add_column("Stand", width=46)
        self.query_one("#privacy-block").display = False
        self.fill()
        table.focus()

    # -- showing -----------------------------------------------------------------------------
    def fill(self) -> None:
        desk = self.desk
        db, today = desk.db, desk.clock.today()
        people = Text()
        people.append("Privacy (AVG)", style="bold reverse")
        for g in svc.guardians(db, self.customer_id):
            people.append("\nOuder/verzorger: ", style="bold")
            people.append(printable(f"{g.name} ({g.relation or 'relatie onbekend'})"
                                    f"{' pas ' + g.card_number if g.card_number else ''}"
                                    f"{' ' + g.email if g.email else ''}"))
        for w in svc.wards(db, self.customer_id):
            people.append("\nOuder/verzorger van: ", style="bold")
            people.append(printable(f"{w.name} ({dates.show(w.birth_date)}) pas "
                                    f"{w.card_number}"))
        if not svc.guardians(db, self.customer_id) and not svc.wards(db, self.customer_id):
            people.append("  geen ouder/verzorger of kinderen gekoppeld", style="dim")
        self.query_one("#privacy-people", Static).update(people)
        table = self.query_one("#privacy-table", DataTable)
        row = table.cursor_row
        table.clear()
        for kind, label in svc.CONSENT_LABELS.items():
            current = svc.store.current_consent(db, self.customer_id, kind)
            state = (f"ja, {svc.consent_line(current).split(': ', 1)[1]}" if current
                     else "nee (Enter = toestemming geven)")
            table.add_row(Text(label), _safe(state), key=f"consent:{kind}")
        for kind, pref in svc.preferences(db, self.customer_id).items():
            table.add_row(Text(f"Bericht {svc.MESSAGE_KINDS[kind]}"),
                          Text(f"{svc.CHANNEL_LABELS[pref.channel]}, "
                               f"{svc.LANGUAGE_LABELS[pref.language]}"),
                          key=f"pref:{kind}")
        for b in svc.blocks(db, self.customer_id):
            active = b.lifted_at is None and b.start <= today and (b.end is None
                                                                    or b.end >= today)
            state = svc.block_line(b) + ("" if b.lifted_at is None
                                         else f" - opgeheven {dates.show(b.lifted_at.date())}")
            table.add_row(Text("BLOKKADE" if active else "Blokkade",
                               style="bold" if active else ""), _safe(state),
                          key=f"block:{b.id}")
        table.add_row(Text("Nieuwe blokkade"), Text("Enter = blokkade vastleggen", style="dim"),
                      key="block:new")
        for c in svc.consent_history(db, self.customer_id):
            if c.withdrawn_at is not None:
                table.add_row(Text("Historie", style="dim"), _safe(svc.consent_line(c)),
                              key=f"history:{c.id}")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#privacy-status", Static)
        status.update(Text(message))
        status.set_class(error, "error")

    def _write(self, work: Callable[[], T], then: Callable[[T], object], *,
               busy: str = "Opslaan…") -> None:
        """A change of this customer, off the event loop (another counter may hold the
        database): the busy line at once; the key pressed again while it runs acts once; what
        was typed stays in the fields until it succeeded."""
        self.run_write(work, then, busy=busy, once=True, hold=False)

    def show_error(self, error: DeskError) -> None:
        if not self.query("#privacy-status"):
            super().show_error(error)
            return
        self.say(str(error), error=True)

    def _done(self, message: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            self.fill()
            self.say(message)
        return done

    # -- the list ---------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = str(event.row_key.value or "")
        desk, customer_id = self.desk, self.customer_id
        what, _, name = key.partition(":")
        self._armed = None

        def said(result: svc.ConsentResult) -> None:
            self.fill()
            self.say(result.message)

        if what == "consent":
            method = self.query_one("#privacy-method", Choice).value
            current = svc.store.current_consent(desk.db, customer_id, name)
            if current is None:
                self._write(lambda: svc.give_consent(
                    desk.db, desk.clock, desk.staff, customer_id, name, method,
                    settings=desk.config.privacy, library_name=desk.config.library.name), said)
            else:
                self._write(lambda: svc.withdraw_consent(
                    desk.db, desk.clock, desk.staff, customer_id, name, method), said)
        elif what == "pref":
            pref = svc.preferences(desk.db, customer_id)[name]
            options = svc.CHANNELS[name]
            channel = options[(options.index(pref.channel) + 1) % len(options)] \
                if pref.channel in options else options[0]
            self._write(lambda: svc.set_preference(desk.db, desk.clock, desk.staff, customer_id,
                                                   name, channel, pref.language),
                        self._done(f"{svc.MESSAGE_KINDS[name]}: via "
                                   f"{svc.CHANNEL_LABELS[channel]}."))
        elif what == "block" and name == "new":
            self.query_one("#privacy-block").display = True
            self.query_one("#block-type", Choice).focus()
            self.say("Kies het soort, typ de reden en eventueel de einddatum; F2 = opslaan.")
        elif what == "block":
            block_id = int(name)
            self._write(lambda: svc.lift_block(desk.db, desk.clock, desk.staff, block_id),
                        self._done("Blokkade opgeheven."))

    def action_language(self) -> None:
        table = self.query_one("#privacy-table", DataTable)
        if self.focused is not table or not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")
        if not key.startswith("pref:"):
            self.say("T wisselt de taal van een berichtregel.")
            return
        kind = key[5:]
        desk, customer_id = self.desk, self.customer_id
        pref = svc.preferences(desk.db, customer_id)[kind]
        language = "en" if pref.language == "nl" else "nl"
        self._write(lambda: svc.set_preference(desk.db, desk.clock, desk.staff, customer_id,
                                               kind, pref.channel, language),
                    self._done(f"{svc.MESSAGE_KINDS[kind]}: taal "
                               f"{svc.LANGUAGE_LABELS[language]}."))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "language" and isinstance(self.focused, Input):
            return False
        if action == "save_block":
            return bool(self.query_one("#privacy-block").display)
        return True

    def action_save_block(self) -> None:
        desk, customer_id = self.desk, self.customer_id
        end_text = self.query_one("#block-end", Input).value.strip()
        end = dates.parse_date(end_text) if end_text else None   # a RuleError is said below
        kind = self.query_one("#block-type", Choice).value
        reason = self.query_one("#block-reason", Input).value

        def saved(_block: object) -> None:
            self.query_one("#block-reason", Input).value = ""
            self.query_one("#block-end", Input).value = ""
            self.query_one("#privacy-block").display = False
            self.fill()
            self.query_one("#privacy-table", DataTable).focus()
            self.say("Blokkade vastgelegd.")

        self._write(lambda: svc.add_block(desk.db, desk.clock, desk.staff, customer_id, kind,
                                          reason, end=end), saved)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "block-reason":
            self.query_one("#block-end", Input).focus()
        elif event.input.id == "block-end":
            self.action_save_block()

    # -- inzage, uitschrijven, anonimiseren --------------------------------------------------
    def action_inzage(self) -> None:
        desk, customer_id = self.desk, self.customer_id

        def inzage() -> tuple[bool, str]:
            found = svc.export(desk.db, desk.clock, desk.staff, customer_id)
            stamp = desk.clock.now().strftime("%Y%m%d-%H%M%S")
            folder = svc.export_folder()
            json_path = folder / f"inzage-{customer_id}-{stamp}.json"
            text_path = json_path.with_suffix(".txt")
            try:
                svc.write_export(found, json_path, text_path)
            except OSError as exc:
                return False, f"Inzage niet geschreven: {exc.strerror}."
            return True, f"Inzage geschreven: {text_path} (en .json)."

        def written(outcome: tuple[bool, str]) -> None:
            ok, message = outcome
            self.say(message, error=not ok)

        self._write(inzage, written, busy="Inzage schrijven…")

    def _for_good(self, action: str, warning: str, change: Callable[..., _Done], *,
                  busy: str, then: Callable[[], object] | None = None) -> None:
        """A change of this customer that cannot be undone, ``change(db, clock, staff,
        customer_id)``: it runs on the second press of its key (the first says ``warning``;
        another key in between starts over). Afterwards the screen is read again, the result's
        message said, and ``then()`` called."""
        if self._armed != action:
            self._armed = action
            self.say(warning, error=True)
            return
        self._armed = None
        desk, customer_id = self.desk, self.customer_id

        def done(result: _Done) -> None:
            self.fill()
            self.say(result.message)
            if then is not None:
                then()

        self._write(lambda: change(desk.db, desk.clock, desk.staff, customer_id), done,
                    busy=busy)

    def action_deregister(self) -> None:
        def print_proof() -> None:
            from tui_desk.screens.print_queue import print_for_customer

            print_for_customer(self.app, "uitschrijfbewijs", self.customer_id)

        self._for_good("deregister", "Uitschrijven: lopende abonnementen stoppen vandaag. "
                       "Nogmaals F4 = uitschrijven.", svc.deregister, busy="Uitschrijven…",
                       then=print_proof)

    def action_anonymise(self) -> None:
        self._for_good("anonymise", "Anonimiseren verwijdert naam, adres, contact, IBAN, "
                       "inlogaccount en toestemmingen voorgoed. Nogmaals F5 = anonimiseren.",
                       svc.anonymise, busy="Anonimiseren…")

    def action_close(self) -> None:
        self.dismiss(None)

