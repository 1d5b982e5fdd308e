"""The Textual application: screens stack on top of the main screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui_desk import keymap
from tui_desk.services.desk import Desk


def _resume_garbage_collection() -> None:
    """The first screen is on the terminal: collect garbage again (``cli.main`` paused the
    collector for the start-up). What the start-up made (modules, classes, the screen) lives
    as long as the program: freeze it, so later collections need not walk it again."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class TuiDeskApp(App[None]):
    TITLE = "tui-desk"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False  # Ctrl+Alt+P arrives as ctrl+p: it belongs to Ledenpas
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(k.key, k.action, k.label, show=k.show, priority=True) for k in keymap.GLOBAL
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        # No sliding animations: they cost time and bytes over SSH.
        self.animation_level = "none"
        self.desk = desk
        self.previous_customer_ids: list[int] = []
        self.last_search: str | None = None
        if not desk.demo:
            # TEXTUAL_LOG would write every event to a file, typed names and IBANs included:
            # no personal data in log files. (The training database holds no real people.)
            from textual import constants

            constants.LOG_FILE = None  # type: ignore[misc]

    def get_default_screen(self) -> Screen:
        # The main screen is the bottom of the stack itself: no blank default screen is laid
        # out and drawn first (a frame's worth of start-up time and bytes).
        from tui_desk.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(_resume_garbage_collection)
        if self.desk.staff is None:
            from tui_desk.screens.signin import SignInScreen

            self.push_screen(SignInScreen(), callback=lambda _: self.offer_open_registrations())
        else:
            # After the first frame: the main screen is ready for input before the open drafts
            # are looked up (and the registration service is loaded only when there are some).
            self.call_after_refresh(self.offer_open_registrations)

    def offer_open_registrations(self) -> None:
        """The signed-in staff member left a registration unfinished (a dropped line, a
        crash): offer to go on with it — in the training database only this session's
        (``Desk.open_registrations``)."""
        from tui_desk.screens.main import MainScreen

        if self.desk.staff is None or not isinstance(self.screen, MainScreen):
            return  # the person already went on (e.g. Ctrl+N before the first frame)
        drafts = self.desk.open_registrations()
        if drafts:
            from tui_desk.screens.resume import ResumeScreen

            self.push_screen(ResumeScreen(self.registration_service(), drafts))

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Messages go to the message line of the uppermost full screen (the footer's row),
        not into a toast that covers the form or the receipt preview; a screen without one
        (signing in) gets the toast."""
        import threading

        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self.notify, message, title=title, severity=severity,
                                  timeout=timeout, markup=markup)
            return
        from tui_desk.widgets.statusline import StatusLine

        for screen in reversed(self.screen_stack):
            lines = screen.query(StatusLine)
            if lines:
                lines.first().show(message, title=title, severity=severity, timeout=timeout)
                return
        super().notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=markup)

    # -- navigation used by several screens ------------------------------------------------
    def open_customer(self, customer_id: int, *, tab: str | None = None) -> None:
        from tui_desk.screens.customer import CustomerScreen

        if not self.previous_customer_ids or self.previous_customer_ids[-1] != customer_id:
            self.previous_customer_ids.append(customer_id)
            del self.previous_customer_ids[:-20]
        # One record at a time: opening another replaces the one on the stack.
        if isinstance(self.screen, CustomerScreen):
            self.switch_screen(CustomerScreen(customer_id, tab=tab))
        else:
            self.push_screen(CustomerScreen(customer_id, tab=tab))

    def _signed_in(self) -> bool:
        if self.desk.staff is None:
            self.bell()
            return False
        return True

    # -- global actions ------------------------------------------------------------------------
    def action_zoek_klant(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import SearchScreen

            self.push_screen(SearchScreen())

    def action_zoek_klant_direct(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import DirectSearchScreen

            self.push_screen(DirectSearchScreen())

    def action_zoek_vorige_lijst(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import SearchScreen

            self.push_screen(SearchScreen(query=self.last_search))

    def action_vorige_klant(self) -> None:
        if not self._signed_in():
            return
        from tui_desk.screens.customer import CustomerScreen

        current = self.screen.customer_id if isinstance(self.screen, CustomerScreen) else None
        for customer_id in reversed(self.previous_customer_ids):
            if customer_id != current:
                self.open_customer(customer_id)
                return
        self.notify("Er is nog geen vorige klant in deze sessie.", severity="warning")

    def action_nieuwe_klant(self) -> None:
        """Inschrijven klant (Wise: Ctrl+Alt+N, which arrives as Ctrl+N)."""
        if not self._signed_in():
            return
        service = self.registration_service()
        self.open_registration_step(service, service.start())

    def registration_service(self):  # noqa: ANN201 - RegistrationService
        from tui_desk.services.registration import RegistrationService

        return RegistrationService(self.desk.db, self.desk.clock, self.desk.staff,
                                   self.desk.config, session=self.desk.session)

    def registration_finished(self, done) -> None:  # noqa: ANN001 - Registered
        """After step 3: step 4 settles what is due, step 5 (when Sepa incasso was ticked)
        takes the mandate, then the customer record opens."""

        def to_record(_result: object = None) -> None:
            self.show_customer_from_wizard(done.customer_id)

        def after_settlement(_session: object = None) -> None:
            if done.direct_debit:
                from tui_desk.screens.mandate import MandateScreen

                self.push_screen(MandateScreen(done.customer_id, on_done=to_record))
            else:
                to_record()

        if done.open_invoice_ids:
            from tui_desk.screens.settlement import SettlementScreen

            self.push_screen(SettlementScreen(done.customer_id, invoice_ids=done.open_invoice_ids,
                                              on_done=after_settlement,
                                              mandate_follows=done.direct_debit))
        else:
            after_settlement()

    def show_customer_from_wizard(self, customer_id: int) -> None:
        """Close the wizard's screens and open the new customer's record."""
        from tui_desk.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        self.open_customer(customer_id)

    def print_receipt(self, receipt) -> None:  # noqa: ANN001 - settlement Receipt
        """The settlement's kassabon goes to this workstation's receipt printer (spooled)."""
        from tui_desk.screens.print_queue import print_kassabon

        print_kassabon(self, receipt, customer_id=receipt.customer_id)

    def open_registration_step(self, service, draft, step: str | None = None) -> None:  # noqa: ANN001
        """Show the wizard step the draft is at (replacing the previous step's screen)."""
        from tui_desk.screens.registration_customer import CustomerStepScreen
        from tui_desk.screens.registration_login import LoginStepScreen
        from tui_desk.screens.registration_subscription import SubscriptionStepScreen
        from tui_desk.services.registration import STEP_CUSTOMER, STEP_LOGIN, STEP_SUBSCRIPTION

        step = step or draft.step
        screens = {STEP_CUSTOMER: CustomerStepScreen, STEP_LOGIN: LoginStepScreen,
                   STEP_SUBSCRIPTION: SubscriptionStepScreen}
        screen = screens[step](service, draft)
        if isinstance(self.screen, tuple(screens.values())):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_klantenadministratie(self) -> None:
        if not self._signed_in():
            return
        if self.previous_customer_ids:
            self.open_customer(self.previous_customer_ids[-1])
        else:
            self.action_zoek_klant()

    def action_menu_klanten(self) -> None:
        self._menu("Klanten")

    def action_menu_financieel(self) -> None:
        self._menu("Financieel")

    def action_menu_oefeningen(self) -> None:
        """The exercises (Alt+E): only in the training database."""
        if not self.desk.demo:
            self.bell()
            return
        self._menu("Oefeningen")

    def action_oefening(self, exercise_id: str) -> None:
        if self._signed_in() and self.desk.demo:
            from tui_desk.screens.exercise import ExerciseScreen

            self.push_screen(ExerciseScreen(exercise_id))

    def action_help(self) -> None:
        """F1: the help of the screen in front; F1 again closes it."""
        from tui_desk.screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(type(self.screen).__name__))

    def _menu(self, title: str) -> None:
        if self._signed_in():
            from tui_desk.screens.customer import CustomerScreen
            from tui_desk.screens.menu import MenuScreen

            self.push_screen(MenuScreen(title, record_open=isinstance(self.screen,
                                                                      CustomerScreen)))

    def action_berichten(self) -> None:
        if self._signed_in():
            from tui_desk.screens.messages import MessagesScreen

            self.push_screen(MessagesScreen())

    def action_kas(self) -> None:
        if self._signed_in():
            from tui_desk.screens.cash import CashScreen

            self.push_screen(CashScreen())

    def action_printwachtrij(self) -> None:
        if self._signed_in():
            from tui_desk.screens.print_queue import PrintQueueScreen

            self.push_screen(PrintQueueScreen())

    def action_einde_sessie(self) -> None:
        """F12: end the session with this customer (back to the main screen); there, sign out."""
        from tui_desk.screens.main import MainScreen
        from tui_desk.screens.signin import SignInScreen

        if isinstance(self.screen, SignInScreen):
            self.exit()
            return
        if isinstance(self.screen, MainScreen):
            self.exit()
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
