"""``RegistrationService``: the wizard's three steps for one staff member. Step 1's fields and
actions come from its bases (``checks.py``, ``customer_step.py``); steps 2 and 3 are here."""

from __future__ import annotations

from tui_desk.rules.periods import CostBuildUp
from tui_desk.services import subscriptions
from tui_desk.services.login_accounts import AccountResult, find_existing
from tui_desk.services.registration.create import create_customer
from tui_desk.services.registration.customer_step import CustomerStep
from tui_desk.services.registration.draft import (
    LOGIN_EXISTING,
    STEP_DONE,
    STEP_SUBSCRIPTION,
    YES,
    Draft,
    Registered,
    login_choice,
)
from tui_desk.statuses import DraftStatus
from tui_desk.store import drafts as draft_store


class RegistrationService(CustomerStep):
    """The registration wizard without a screen, for one staff member (see the package)."""

    # -- step 2: Inlogaccount --------------------------------------------------------------------
    def find_login(self, draft: Draft, username: str) -> AccountResult:
        """*Bestaand inlogaccount zoeken*: exact and case-sensitive; LoginAccountError if none."""
        found = find_existing(self.db, self.clock, username)
        draft.values["login_search"] = username
        self.save(draft)
        return found

    def choose_login(self, draft: Draft, mode: str, username: str = "") -> str:
        """Keep step 2's choice (carried out when step 3 saves) and go on to step 3."""
        if mode == LOGIN_EXISTING:
            self.find_login(draft, username)  # raises when it cannot be linked
            draft.values["login_username"] = username
        else:
            draft.values.pop("login_username", None)
        draft.values["login_mode"] = mode
        draft.step = STEP_SUBSCRIPTION
        self.save(draft)
        return draft.step

    def back_to(self, draft: Draft, step: str) -> None:
        draft.step = step
        self.save(draft)

    # -- step 3: Abonnement -----------------------------------------------------------------------
    def tariff_choices(self, draft: Draft) -> list[subscriptions.TariffChoice]:
        """The manual's choice list for this customer, with the reason where one is refused."""
        return subscriptions.choices(self.db, self.clock, self.staff, self.customer_data(draft))

    def cost_build_up(self, draft: Draft, tariff_code: str) -> CostBuildUp:
        """"Opbouw abonnementskosten" for the tariff under the cursor."""
        return subscriptions.build_up(self.db, self.clock, self.customer_data(draft), tariff_code)

    def register(self, draft: Draft, tariff_code: str) -> Registered:
        """OK: save customer, address, card, login account, period and invoice at once
        (``create.create_customer``).

        Step 2's choice is carried out inside the same transaction: the activation mail is
        queued with it, so a failure anywhere leaves no half customer and no stray mail.

        Idempotent: on a draft that is already registered (a second F10, a retry after a lost
        reply) it returns the customer saved the first time, without checking step 1 again —
        the card of step 1 is by then this customer's own, issued card.
        """
        saved = self.registered(draft)
        if saved is not None:
            return saved
        data = self.customer_data(draft)
        draft.values["tariff"] = tariff_code
        self.save(draft)
        created = create_customer(self.db, self.clock, self.staff, draft.id, data, tariff_code,
                                  config=self.config, login=login_choice(draft))
        draft.step = STEP_DONE
        # 0091 Maandabonnement is always paid at once: no mandate step for it.
        direct_debit = data.direct_debit and not subscriptions.paid_directly(self.db, tariff_code)
        return Registered(created.customer_id, created.login,
                          subscriptions.open_invoice_ids(self.db, created.customer_id),
                          direct_debit=direct_debit)

    def registered(self, draft: Draft) -> Registered | None:
        """What the draft's earlier OK saved, or None while it is not registered yet."""
        row = draft_store.get(self.db, draft.id)
        if row is None or row.status != DraftStatus.DONE or row.customer_id is None:
            return None
        draft.step = STEP_DONE
        values = row.data.get("values", draft.values) if row.data else draft.values
        return Registered(row.customer_id, None,
                          subscriptions.open_invoice_ids(self.db, row.customer_id),
                          direct_debit=values.get("direct_debit") == YES)
