"""Sign-in for a login that is not mapped to a staff member: username + PIN."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules.text import printable
from tui_desk.screens.base import SafeDispatch
from tui_desk.services.auth import SignInError, sign_in
from tui_desk.widgets.footer import DeskFooter
from tui_desk.widgets.form import FormInput, FormNavigation
from tui_desk.widgets.menubar import MenuBar


class SignInScreen(FormNavigation, SafeDispatch, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormNavigation.FORM_BINDINGS,
        Binding("escape", "app.einde_sessie", "Afsluiten"),
    ]
    ENTER_STAYS = frozenset({"signin-pin"})
    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical {
        width: 50; height: auto; border: round $primary; padding: 1 2; background: $panel;
    }
    SignInScreen Input { margin-bottom: 1; }
    SignInScreen #signin-error { color: $error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        desk = self.desk_app.desk
        yield MenuBar(())
        with Vertical() as box:
            box.border_title = "Aanmelden"
            yield Static(Text(printable(desk.config.library.name), style="bold"))
            if desk.login:
                yield Static(Text(printable(f"Login '{desk.login}' is niet gekoppeld aan een "
                                            "medewerker.")))
            yield Label("Gebruikersnaam")
            yield FormInput(id="signin-user")
            yield Label("Pincode")
            yield FormInput(id="signin-pin", password=True)
            yield Static(id="signin-error")
        yield DeskFooter(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "signin-user":
            return
        desk = self.desk_app.desk
        username = self.query_one("#signin-user", Input).value
        pin = self.query_one("#signin-pin", Input).value

        def check_pin() -> Staff:
            # A write (the attempt is recorded) and a deliberately slow hash: off the event loop.
            return sign_in(desk.db, desk.clock, username, pin)

        def signed_in(staff: Staff) -> None:
            desk.staff = staff
            self.dismiss()

        # Signing in leads to the main screen: keys typed meanwhile go there.
        self.run_write(check_pin, signed_in, busy="Aanmelden…", once=True)

    def show_error(self, error: DeskError) -> None:
        self.query_one("#signin-error", Static).update(Text(printable(str(error))))
        if isinstance(error, SignInError):
            user = self.query_one("#signin-user", Input)
            pin = self.query_one("#signin-pin", Input)
            pin.value = ""
            (pin if user.value.strip() else user).focus()
