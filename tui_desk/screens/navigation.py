"""Where the global keys and the screens' shared navigation lead: Zoek klant, the customer
record, the registration wizard's steps, the menus. ``NavigationApp`` is that part of
``TuiDeskApp``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui_desk.widgets.typeahead import TypeAheadApp

if TYPE_CHECKING:
    from tui_desk.services.desk import Desk
    from tui_desk.services.registration import Draft, Registered, RegistrationService


def _opens(module: str, screen: str) -> Callable[[NavigationApp], None]:
    """The action that shows ``screen`` (a class in ``tui_desk.screens.<module>``, built
    without arguments) when someone is signed in. The module is imported when the action
    runs, not at start-up."""

    def action(app: NavigationApp) -> None:
        if app._signed_in():
            found = getattr(importlib.import_module(f"tui_desk.screens.{module}"), screen)
            app.push_screen(found())

    action.__doc__ = f"Open {screen}."
    return action


class NavigationApp(TypeAheadApp):
    """The global actions (keymap.GLOBAL) and the navigation several screens use."""

    desk: Desk
    previous_customer_ids: list[int]
    last_search: str | None

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

            # Built once per session and shown again (issue 20: Alt+Z).
            self.push_screen(SearchScreen.for_query(self))

    # The screens a global key or a menu item opens as they are (the person signed in).
    action_zoek_klant_direct = _opens("search", "DirectSearchScreen")
    action_berichten = _opens("messages", "MessagesScreen")
    action_openstaande_inschrijvingen = _opens("followups", "OpenRegistrationsScreen")
    action_kas = _opens("cash", "CashScreen")
    action_printwachtrij = _opens("print_queue", "PrintQueueScreen")
    action_onbekende_scans = _opens("unknown_scans", "UnknownScansScreen")

    def action_zoek_vorige_lijst(self) -> None:
        if self._signed_in():
            from tui_desk.screens.search import SearchScreen

            self.push_screen(SearchScreen.for_query(self, self.last_search))

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
        run_write = getattr(self.screen, "run_write", None)
        if run_write is None:
            self.open_registration_step(service, service.start())
            return

        def start() -> Draft:
            return service.start()

        # The new draft is a write: off the event loop, and the keys typed after Ctrl+N (a
        # scanned card, the first fields) wait for step 1 to be shown.
        run_write(start, lambda draft: self.open_registration_step(service, draft),
                  busy="Inschrijven klant…", once=True)

    def registration_service(self) -> RegistrationService:
        from tui_desk.services.registration import RegistrationService

        staff = self.desk.staff
        if staff is None:
            raise RuntimeError("no staff member is signed in")  # callers check _signed_in
        return RegistrationService(self.desk.db, self.desk.clock, staff,
                                   self.desk.config, session=self.desk.session)

    def registration_finished(self, done: Registered) -> None:
        """After step 3: step 4 settles what is due, step 5 (when Sepa incasso was ticked)
        takes the mandate, then the customer record opens. Leaving step 4 or 5 unfinished asks
        what to do (``screens.followups``): the wizard never ends silently half done."""

        def to_record(_result: object = None) -> None:
            self.show_customer_from_wizard(done.customer_id)

        def after_settlement(_session: object = None) -> None:
            if done.direct_debit:
                from tui_desk.screens.mandate import MandateScreen

                self.push_screen(MandateScreen(done.customer_id, on_done=to_record,
                                               ask_on_leave=True))
            else:
                to_record()

        if done.open_invoice_ids:
            from tui_desk.screens.settlement import SettlementScreen

            self.push_screen(SettlementScreen(done.customer_id, invoice_ids=done.open_invoice_ids,
                                              on_done=after_settlement,
                                              mandate_follows=done.direct_debit,
                                              ask_on_leave=True))
        else:
            after_settlement()

    def show_customer_from_wizard(self, customer_id: int) -> None:
        """Close the wizard's screens and open the new customer's record."""
        from tui_desk.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        self.open_customer(customer_id)

    def print_receipt(self, receipt: Any) -> None:
        """The settlement's kassabon goes to this workstation's receipt printer (spooled)."""
        from tui_desk.screens.print_queue import print_kassabon

        print_kassabon(self, receipt, customer_id=receipt.customer_id)

    def open_registration_step(self, service: RegistrationService, draft: Draft,
                               step: str | None = None) -> None:
        """Show the wizard step the draft is at (replacing the previous step's screen)."""
        from tui_desk.screens.registration_customer import CustomerStepScreen
        from tui_desk.screens.registration_login import LoginStepScreen
        from tui_desk.screens.registration_subscription import SubscriptionStepScreen
        from tui_desk.services.registration import STEP_CUSTOMER, STEP_LOGIN, STEP_SUBSCRIPTION

        step = step or draft.step
        screens: dict[str, type[CustomerStepScreen | LoginStepScreen | SubscriptionStepScreen]]
        screens = {STEP_CUSTOMER: CustomerStepScreen, STEP_LOGIN: LoginStepScreen,
                   STEP_SUBSCRIPTION: SubscriptionStepScreen}
        # Each step is built once and reset for each registration (issue 20: Ctrl+N).
        screen = screens[step].for_draft(self, service, draft)
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

