"""Inschrijven klant, step 1: Klantgegevens — every field of the manual, in its order.

Over 400 lines: the one screen of step 1's event flow (typing, leaving a field, the postcode
lookup, F10), which reads best in one place; its form is built in ``registration_form``.

The screen only shows and edits: every change goes to the RegistrationService, which knows the
rules; the draft is stored on leaving a field and at most once a second while typing, on a
worker thread (a counter that holds the database never freezes this screen). Enter and Tab move
on; F10 is "Ok, Vervolg".
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from tui_desk.errors import DeskError
from tui_desk.rules.fields import cut_message
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskScreen
from tui_desk.screens.registration_form import MESSAGE_ROW, KeptForm, form, show_value
from tui_desk.services.registration import (
    CUSTOMER_FIELDS,
    FIELD,
    GUARDIAN_FIELDS,
    GUARDIAN_TYPED_FIELDS,
    NO,
    NO_LOGIN_WARNING,
    YES,
    Draft,
    DuplicatesFound,
    RegistrationService,
    StepIncomplete,
)
from tui_desk.widgets.choice import Choice, Toggle
from tui_desk.widgets.form import FormNavigation, LimitedInput

# Fields whose value changes the form when they are left (see ``action_form_move``).
_SHAPING = frozenset({"birth_date", "country", "postcode", "house_number"})
# The draft's fields that decide what ``refresh_marks`` shows: the red labels (the service's
# ``required``), the BIC row (``bic_asked``) and the ouder/verzorger rows. A change to any other
# field leaves the marks as they are. tests/screens/test_registration_marks.py checks this
# against every field those service calls read.
MARKS_DEPEND_ON = ("gender", "birth_date", "country", "no_email", "direct_debit", "iban",
                   "guardian_card", "guardian_name", "guardian_email")


class CustomerStepScreen(KeptForm, FormNavigation, DeskScreen):
    CSS_PATH = "registration.tcss"
    # F10 and Escape change the screen: priority bindings run the moment the key arrives, so
    # the keys typed after them are kept for the next screen (type-ahead) instead of racing
    # ahead into this screen's fields while a non-priority binding waits for its turn.
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormNavigation.FORM_BINDINGS,
        Binding("f10", "next", "Ok, Vervolg", priority=True),
        Binding("escape", "interrupt", "Onderbreken", priority=True),
    ]

    # The name under which the app keeps the one step-1 screen it reuses (``for_draft``).
    INSTALLED_AS: ClassVar[str] = "registration-customer"
    # Where Textual puts the focus when the screen is composed: the first field. By default
    # that is the first focusable widget, the form's scrolling container: focusing it and
    # then the field (on_mount) restyled its ~120 widgets twice (~0.2 s of CPU on the
    # session's first Ctrl+N, issue 20).
    AUTO_FOCUS: ClassVar[str | None] = "#f-card_number"

    def __init__(self, service: RegistrationService, draft: Draft) -> None:
        super().__init__()
        self.service = service
        self.draft = draft
        self._touched: set[str] = set()
        self._dirty = False
        # Straat and Plaats as the postcode table filled them: Enter passes them by.
        self._filled: set[str] = set()
        self._save_timer: Timer | None = None

    @classmethod
    def for_draft(cls, app: App, service: RegistrationService,
                  draft: Draft) -> CustomerStepScreen:
        """The step-1 screen for ``draft``: built once per session and reset for every next
        registration, instead of composing, mounting and styling its ~110 widgets again on
        every Ctrl+N. A new one only while the kept one is still on the screen stack (Ctrl+N
        from Zoek klant opened over step 1)."""
        if app.is_screen_installed(cls.INSTALLED_AS):
            kept = app.get_screen(cls.INSTALLED_AS)
            if isinstance(kept, cls) and kept not in app.screen_stack:
                if kept.reset(service, draft):
                    return kept
                app.uninstall_screen(kept)
            else:
                return cls(service, draft)
        screen = cls(service, draft)
        app.install_screen(screen, cls.INSTALLED_AS)
        return screen

    def reset(self, service: RegistrationService, draft: Draft) -> bool:
        """Show ``draft`` as a newly built screen would; False when this screen was never
        built (it was installed but not shown)."""
        if self._by_id("f-card_number") is None:
            return False
        if self._dirty:
            self.save_draft()  # the previous draft's last keys (normally saved already)
        timer = getattr(self, "_save_timer", None)
        if timer is not None:
            timer.stop()
            self._save_timer = None
        self.service, self.draft = service, draft
        self._touched = set()
        self._dirty = False
        self._filled = set()
        self.__dict__.pop("_guardian_asked", None)
        for name in FIELD:
            widget = self._by_id(f"f-{name}")
            if widget is not None:
                show_value(widget, draft.get(name))
        for name in FIELD:
            if self._by_id(f"msg-{name}") is not None:
                self.show_message(name, None)
        status = self._by_id("reg-status")
        if isinstance(status, Static):
            status.update("")
        self.hide_busy()
        self.refresh_marks()
        form = self._by_id("reg-form")
        if form is not None:
            form.scroll_home(animate=False)
        self.set_focus(self._by_id("f-card_number"), scroll_visible=False)
        return True

    # -- layout ---------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield from form({name: self.draft.get(name) for name in FIELD})

    def on_screen_resume(self) -> None:
        # Back from Zoek klant (or a dialog): the field being worked on is in view again.
        def show_focused() -> None:
            if self.focused is not None:
                self.focused.scroll_visible(animate=False)

        self.call_after_refresh(show_focused)

    def on_mount(self) -> None:
        self.refresh_marks()
        self.query_one("#f-card_number", Input).focus()

    def _mark_dirty(self) -> None:
        """What was typed but not yet stored (the field still has focus) is stored within a
        second. A one-shot timer, started by the change: an idle screen runs no timer."""
        self._dirty = True
        if getattr(self, "_save_timer", None) is None:
            self._save_timer = self.set_timer(1.0, self._timed_save)

    def _timed_save(self) -> None:
        self._save_timer = None
        self.save_draft()

    def save_draft(self) -> None:
        """Store the draft off the event loop, if anything changed since the last save."""
        if not self._dirty:
            return
        self._dirty = False
        values = dict(self.draft.values)
        service, draft = self.service, self.draft

        def save_draft() -> None:
            service.save(draft, values)

        if not self.run_write(save_draft, busy="", hold=False):
            self._mark_dirty()  # the previous save still runs: try again in a second

    # -- helpers --------------------------------------------------------------------------------
    @staticmethod
    def _field_name(widget: Widget) -> str | None:
        if widget.id and widget.id.startswith("f-"):
            return widget.id[2:]
        return None

    def show_message(self, name: str, message: str | None, *, warning: bool = False) -> None:
        row_name = MESSAGE_ROW.get(name, name)
        target = self._by_id(f"msg-{row_name}") or self.query_one(f"#msg-{row_name}", Static)
        assert isinstance(target, Static)
        shown = (message or "", warning)
        if getattr(target, "_desk_shown", ("", False)) != shown:
            # Only a message that changes is drawn again: leaving a field without a message
            # (every Tab and Enter) would otherwise lay out the whole form (the message's
            # height follows its text).
            target._desk_shown = shown  # type: ignore[attr-defined]
            target.update(Text(message or ""))
        target.set_class(bool(message) and not warning, "error")
        target.set_class(bool(message) and warning, "warning")

    def refresh_marks(self) -> None:
        """Red labels for what is mandatory now; BIC only for a foreign IBAN.

        Runs on every keystroke, so it touches only what changed (no DOM queries).
        """
        if not hasattr(self, "_labels"):
            self._labels = {label.id[6:]: label for label in self.query(".reg-label")
                            if label.id and label.id.startswith("label-")}
            self._bic_row = self.query_one("#row-bic")
            self._guardian_rows = {name: self.query_one(f"#row-{name}")
                                   for name in GUARDIAN_FIELDS}
            self._required: set[str] = set()
        required = self.service.required(self.draft)
        if required != self._required:
            for name in required ^ self._required:
                if name in self._labels:
                    self._labels[name].set_class(name in required, "required")
            self._required = required
        bic = self.service.bic_asked(self.draft)
        if self._bic_row.display != bic:
            self._bic_row.display = bic
        # Ouder/verzorger only for a minor; with a scanned card only the relation is typed.
        # Decided when the birth date is left, not per keystroke: a half-typed date ("1-1-20")
        # would show the rows and move the fields under a fast typist's keys.
        if not hasattr(self, "_guardian_asked"):
            self._guardian_asked = self.service.guardian_asked(self.draft)
        asked = self._guardian_asked
        scanned = bool(self.draft.get("guardian_card").strip())
        for name, row in self._guardian_rows.items():
            shown = asked and not (scanned and name in GUARDIAN_TYPED_FIELDS)
            if row.display != shown:
                row.display = shown

    def _set(self, name: str, value: str) -> None:
        if self.draft.values.get(name) != value:
            self._mark_dirty()
        values = self.draft.values
        before = [values.get(key) for key in MARKS_DEPEND_ON]
        self.service.set(self.draft, name, value, save=False)
        # The marks follow from a few fields only: a keystroke in Achternaam leaves them as
        # they are (working them out took a quarter of the CPU a keystroke cost).
        if [values.get(key) for key in MARKS_DEPEND_ON] != before:
            self.refresh_marks()

    def _check(self, name: str) -> None:
        message = self.service.check(self.draft, name)
        if message:
            self.show_message(name, message)
            return
        if name == "iban":
            info = self.service.iban_info(self.draft)
            if info is not None:
                note = info.warning or (f"BIC {info.bic}" if info.bic else "")
                self.show_message(name, note, warning=bool(info.warning))
                return
        if name == "card_number" and self.draft.values.get("card_issued_by_system") == YES:
            self.show_message(name, f"Nieuw pasnummer uitgegeven: {self.draft.get('card_number')}",
                              warning=True)
            return
        if name == "guardian_card" and self.draft.get("guardian_card").strip():
            self.show_message(name, self.service.guardian_name(self.draft), warning=True)
            return
        if name == "use_login" and self.draft.get("use_login") == NO:
            self.show_message(name, NO_LOGIN_WARNING, warning=True)
            return
        self.show_message(name, None)

    # -- events ---------------------------------------------------------------------------------
    def on_limited_input_cut(self, event: LimitedInput.Cut) -> None:
        """A paste longer than the field takes was cut: said next to the field."""
        name = self._field_name(event.input)
        if name is not None:
            self.show_message(name, cut_message(FIELD[name].label, event.limit), warning=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        name = self._field_name(event.input)
        if name is not None:
            self._filled.discard(name)
            self._set(name, event.value)

    def action_form_move(self, step: int, submit: bool) -> None:
        left = self.focused
        name = self._field_name(left) if left is not None else None
        super().action_form_move(step, submit)
        if submit and step > 0:
            self._pass_filled()
        if name in _SHAPING and isinstance(left, Input):
            # Leaving this field changes the form (Straat and Plaats from the postcode table,
            # the guardian rows for a minor). The keys typed after Enter wait until it has, so
            # that they land in the same fields however fast they come (a burst over SSH).
            def settle() -> None:
                if left.is_attached:
                    self._field_left(name, left)
                    if submit and step > 0:
                        self._pass_filled()

            self.after_typed(settle)

    def _pass_filled(self) -> None:
        """Enter after Huisnummer/Toevoeging: Straat and Plaats came from the postcode table
        and are right; the next keystroke must not overwrite them. Tab still reaches them."""
        while (self.focused is not None
               and self._field_name(self.focused) in self._filled):
            self.focus_next()

    def _update_guardian_rows(self) -> None:
        """Show the ouder/verzorger rows when the customer is a minor; when they appear just
        after the birth date was left, the cursor goes to the parent's card."""
        asked = self.service.guardian_asked(self.draft)
        if asked == getattr(self, "_guardian_asked", None):
            return
        self._guardian_asked = asked
        self.refresh_marks()
        if asked and self.focused is self.query_one("#f-country"):
            self.query_one("#f-guardian_card").focus()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        name = self._field_name(event.choice)
        if name is not None:
            self._set(name, event.value)
            self._check(name)
            if name == "gender":
                self._update_guardian_rows()

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        name = self._field_name(event.toggle)
        if name is not None:
            self._set(name, YES if event.value else NO)
            self._check(name)
            if name == "no_email":
                self._check("email")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        name = self._field_name(event.widget)
        if name is None:
            return
        self._field_left(name, event.widget)

    def _field_left(self, name: str, widget: Widget) -> None:
        """A field was left: check it, and let the form follow from it. Runs on the blur and,
        for the fields that shape the form, at once after Enter (``action_form_move``);
        running twice for one leave changes nothing."""
        if isinstance(widget, Input):
            # The blur can overtake the field's last Changed message in a burst of keys.
            self._set(name, widget.value)
        self._touched.add(name)
        self._check(name)
        if name == "postcode" and isinstance(widget, Input):
            self._show_normalised(widget)
        if name == "birth_date":
            self._update_guardian_rows()
        if name in ("postcode", "house_number", "country"):
            self._lookup_address()
        self.save_draft()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self._field_name(event.input)
        if name == "card_number" and event.value.strip().upper() == "V":
            field = event.input
            service, draft = self.service, self.draft

            def issue_card() -> str:
                return service.issue_card(draft)

            def show(number: str) -> None:
                with field.prevent(Input.Changed):
                    field.value = number
                # The field may have been left (and its "V" kept) while the number was fetched.
                self._set("card_number", number)
                self._check("card_number")

            # Keys typed meanwhile wait for the number (they belong to the next fields).
            self.run_write(issue_card, show, busy="Nieuw pasnummer ophalen…")

    def _show_normalised(self, field: Input) -> None:
        """A correct postcode shows the standard way ("9468 BG") as soon as it is left."""
        shown = self.service.normalised(self.draft, "postcode")
        if shown is not None and shown != field.value:
            with field.prevent(Input.Changed):
                field.value = shown
            self._set("postcode", shown)

    def _lookup_address(self) -> None:
        if not (self.draft.get("postcode").strip() and self.draft.get("house_number").strip()):
            return
        found = self.service.lookup_address(self.draft)
        self._filled.clear()
        if found.found:
            for name, value in (("street", found.street), ("place", found.place)):
                field = self.query_one(f"#f-{name}", Input)
                with field.prevent(Input.Changed):
                    field.value = printable(value)   # the postcode table's text
                self.show_message(name, None)
                self._filled.add(name)
            self.show_message("street", "✓ postcodetabel", warning=True)
        elif found.applies and self.service.check(self.draft, "postcode") is None:
            self.show_message("street", "niet gecontroleerd: vul straat en plaats in",
                              warning=True)
        self.refresh_marks()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reg-next":
            self.action_next()

    # -- actions --------------------------------------------------------------------------------
    def action_next(self, duplicates_seen: bool = False) -> None:
        self.after_typed(lambda: self._next(duplicates_seen), once=True)

    def _sync_fields(self) -> None:
        """What the fields show is what is checked (their Changed messages may still be on
        their way)."""
        for widget in self.query("FormInput, Choice, Toggle"):
            name = self._field_name(widget)
            if name is None:
                continue
            if isinstance(widget, Toggle):
                value = YES if widget.value else NO
            elif isinstance(widget, (Input, Choice)):
                value = str(widget.value)
            else:
                continue
            if self.draft.get(name) != value:
                self._set(name, value)

    def _next(self, duplicates_seen: bool) -> None:
        self._sync_fields()
        service, draft = self.service, self.draft
        self._dirty = False  # finishing the step stores the draft

        def finish_customer_step() -> str:
            return service.finish_customer_step(draft, duplicates_seen=duplicates_seen)

        def go_on(step: str) -> None:
            self.app.open_registration_step(service, draft, step)  # type: ignore[attr-defined]

        self.run_write(finish_customer_step, go_on, busy="Klantgegevens controleren…")

    def show_error(self, error: DeskError) -> None:
        if isinstance(error, StepIncomplete):
            for spec in CUSTOMER_FIELDS:
                if spec.name in error.errors:
                    self.show_message(spec.name, error.errors[spec.name])
            first = next(iter(error.errors))
            count = len(error.errors)
            self.query_one("#reg-status", Static).update(
                Text(f"{count} veld(en) nog niet in orde.", style="bold"))
            # That line is below the fold at 80x24: the message line says it too.
            self.app.notify(f"{count} veld(en) nog niet in orde; de cursor staat op het eerste.",
                            severity="warning", timeout=6)
            target = self.query(f"#f-{first}")
            if target:
                target.first().focus()
        elif isinstance(error, DuplicatesFound):
            from tui_desk.screens.duplicates import DuplicatesScreen

            self.app.push_screen(DuplicatesScreen(error.candidates), self._after_duplicates)
        else:
            self.query_one("#reg-status", Static).update(Text(str(error), style="bold"))

    def _after_duplicates(self, choice: int | str | None) -> None:
        if choice == "new":
            self.action_next(duplicates_seen=True)
        elif isinstance(choice, int):
            self.app.open_customer(choice)  # type: ignore[attr-defined]

    def action_interrupt(self) -> None:
        self.save_draft()
        self.app.pop_screen()
        self.app.notify(
            "Inschrijving onderbroken; de gegevens zijn bewaard en kunnen worden hervat.",
            timeout=4,
        )

