"""Inschrijven klant, step 2: Inlogaccount (Single Identity), as in the manual.

*Nieuw inlogaccount genereren* is the usual choice: the account is generated when step 3 saves
the customer, and the wizard then shows "Genereren van inlogaccount gelukt". *Bestaand
inlogaccount gebruiken* looks up a username (case-sensitive) and shows Gebruikersnaam and
E-mail before it is linked.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_desk.rules.text import printable
from tui_desk.screens.registration_form import show_value
from tui_desk.screens.registration_step import WizardStep
from tui_desk.services import login_accounts as la
from tui_desk.services.identity import IdentityError
from tui_desk.services.registration import (
    LOGIN_EXISTING,
    LOGIN_GENERATED,
    STEP_CUSTOMER,
    Draft,
    RegistrationService,
)
from tui_desk.widgets.choice import Choice
from tui_desk.widgets.form import FormInput, FormNavigation


class LoginStepScreen(FormNavigation, WizardStep):
    ENTER_STAYS = frozenset({"login-username"})
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormNavigation.FORM_BINDINGS,
        *WizardStep.step_bindings("next", "Ok, Vervolg", "Terug naar stap 1"),
    ]
    INSTALLED_AS = "registration-login"
    STEP_TITLE = "Inlogaccount (stap 2)"

    def __init__(self, service: RegistrationService, draft: Draft) -> None:
        super().__init__(service, draft)
        self.found: la.AccountResult | None = None

    def compose_step(self) -> ComposeResult:
        # Filled from the draft by ``show_draft`` (on mount, and for every next draft).
        with Vertical(id="login-body"):
            yield Static("", id="login-customer")
            yield Choice(((LOGIN_EXISTING, la.CHOICE_EXISTING), (LOGIN_GENERATED, la.CHOICE_NEW)),
                         LOGIN_GENERATED, id="login-mode")
            with Vertical(id="login-existing"):
                yield Static(Text(la.SEARCH_TITLE, style="bold"))
                with Horizontal(classes="reg-row"):
                    yield Label(la.USERNAME_LABEL, classes="reg-label")
                    yield FormInput(id="login-username")
                    yield Static(Text(la.CASE_SENSITIVE_HINT), classes="reg-message warning")
                yield Static(Text(la.RESULT_TITLE, style="bold"))
                with Horizontal(classes="reg-row"):
                    yield Label("Gebruikersnaam", classes="reg-label")
                    yield Static("", id="login-result-username")
                with Horizontal(classes="reg-row"):
                    yield Label("E-mail", classes="reg-label")
                    yield Static("", id="login-result-email")
            yield Static("", id="login-new")
            yield Static("", id="login-message", classes="reg-message")

    def on_mount(self) -> None:
        self.show_draft()

    def show_draft(self) -> bool:
        draft = self.draft
        name = self.service.display_name(draft)
        self.query_one("#login-customer", Static).update(Text(
            f"Klant: {printable(name)}   E-mail: {printable(draft.get('email'))}"))
        mode = self.query_one("#login-mode", Choice)
        mode.set_reactive(Choice.value, draft.values.get("login_mode", LOGIN_GENERATED))
        mode.refresh()
        show_value(self.query_one("#login-username", Input), draft.values.get("login_search", ""))
        self.found = None
        self.query_one("#login-result-username", Static).update("")
        self.query_one("#login-result-email", Static).update("")
        self._message("")
        self._show_mode()
        self.set_focus(mode, scroll_visible=False)
        return True

    def _mode(self) -> str:
        return self.query_one("#login-mode", Choice).value

    def _show_mode(self) -> None:
        existing = self._mode() == LOGIN_EXISTING
        self.query_one("#login-existing").display = existing
        new = self.query_one("#login-new", Static)
        new.display = not existing
        new.update(Text(
            "Bij Ok, Vervolg kies je het abonnement; bij het opslaan wordt het inlogaccount "
            "gegenereerd en krijgt de klant een mail met de gebruikersnaam en een link die "
            "24 uur geldig is."))

    def _message(self, text: str, *, error: bool = False) -> None:
        target = self.query_one("#login-message", Static)
        target.update(Text(text))
        target.set_class(error, "error")

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self._show_mode()
        self._message("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._lookup()

    def _lookup(self) -> bool:
        username = self.query_one("#login-username", Input).value.strip()
        self.found = None
        self.query_one("#login-result-username", Static).update("")
        self.query_one("#login-result-email", Static).update("")
        if not username:
            self._message("Vul de gebruikersnaam in die de klant doorgeeft.", error=True)
            return False
        try:
            self.found = self.service.find_login(self.draft, username)
        except IdentityError as exc:
            self._message(str(exc), error=True)
            return False
        self.query_one("#login-result-username", Static).update(Text(self.found.username))
        self.query_one("#login-result-email", Static).update(Text(printable(self.found.email)))
        self._message(f"Gevonden ({self.found.status_label}). F10 koppelt dit inlogaccount.")
        return True

    def action_next(self) -> None:
        mode = self._mode()
        if mode == LOGIN_EXISTING:
            if not self._lookup():
                self.query_one("#login-username", Input).focus()
                return
            assert self.found is not None
            username = self.found.username
        else:
            username = None
        service, draft = self.service, self.draft

        def choose_login() -> str:
            if username is None:
                return service.choose_login(draft, mode)
            return service.choose_login(draft, mode, username)

        def go_on(step: str) -> None:
            self.desk_app.open_registration_step(service, draft, step)

        self.run_write(choose_login, go_on, busy="Inlogaccount vastleggen…")

    def previous_step(self) -> str:
        return STEP_CUSTOMER
