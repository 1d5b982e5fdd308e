"""Step 3 of the registration (Abonnement) and the actions of the Contributie tab.

- ``choices`` (``offer.py``): the choice list for a new customer (step 1's ``CustomerData``)
  or a customer on file, laid out like the manual's (code, name, price, period, ages) with the
  reason for every tariff that may not be chosen (``rules.tariffs.eligibility``);
  ``build_up``: "Opbouw abonnementskosten" for the chosen tariff; ``first_period``: the first
  period of a new customer, which the registration stores (``services.registration.create``).
- ``write_period``, ``stop_periods_from`` (``periods.py``): the pieces of every transaction that
  adds or ends a period.
- ``change_subscription`` (Muteer abonnement) and ``cancel_subscription`` (Opzeggen)
  (``changes.py``), each one audited transaction.

Period ends, prices, discounts and credits follow ``rules.periods``; a period is billed at the
price valid on its start date (``store.tariffs.price_on``).

Statuses as Wise shows them: a new period with an amount due is *Nieuw* (with an open invoice,
settled in step 4 or registered for collection), a free one *Normaal*; renewals made by the
monthly run are *Gefactureerd*; a cancelled period is *Opgezegd*; a period voided before it
started is *Ongeldig* (its end the day before its start).
"""

from __future__ import annotations

from tui_desk.services.subscriptions.changes import (
    cancel_choices,
    cancel_subscription,
    change_subscription,
    new_instance,
)
from tui_desk.services.subscriptions.offer import (
    MAIN_INSTANCE,
    MAX_REASON,
    CancelResult,
    ChangeResult,
    RegistrationClosed,
    SubscriptionError,
    SubscriptionRefused,
    TariffChoice,
    automatic_choice,
    build_up,
    choice_rows,
    choices,
    first_period,
    known_selections,
    open_amount,
    open_invoice_ids,
    paid_directly,
)
from tui_desk.services.subscriptions.periods import stop_periods_from, write_period

__all__ = [
    "MAIN_INSTANCE", "MAX_REASON", "CancelResult", "ChangeResult", "RegistrationClosed",
    "SubscriptionError", "SubscriptionRefused", "TariffChoice", "automatic_choice", "build_up",
    "cancel_choices", "cancel_subscription", "change_subscription", "choice_rows", "choices",
    "first_period", "known_selections", "new_instance", "open_amount", "open_invoice_ids",
    "paid_directly", "stop_periods_from", "write_period",
]
