"""Step 4 of the registration (Afrekenen nieuwe lener) and Financieel ▸ Kas, without a screen.

- ``session``: what the screen shows — the customer, the register (Ontvangstwijze Kas <branch>
  or PIN), Sessie (what the session's invoices came to when it opened), Te ontvangen (what is
  still open), what the register took in this session.
- ``pay``: a cash or PIN payment, whole or in part, spread over the open invoices oldest first;
  returns the change and the receipt (``Receipt``) for the printer service.
- ``waive`` (Kwijtschelden, with a reason; staff with a waive role only) and ``register_open``
  (Registreren: the amount stays open, collected by direct debit when the customer has an active
  mandate, else asked for with a contribution letter — by e-mail through the outbox, or listed
  for the postal batch when there is no e-mail address).
- ``cash_summary`` and ``cash_up``: a register's totals per method and the kasopmaak.

Each action is ONE transaction with its audit rows; it re-reads the invoices inside it, so a
second counter settling the same customer at the same moment cannot make it pay twice.

Registreren leaves ``customers.balance_cents`` (tegoed, a credit) alone: what a customer owes is
computed from the open invoices (``open_amounts``): ``registered_cents`` is Wise's "registratie".

An invoice that a SEPA collection file holds (exported for direct debit, ``collections``) is
the bank's to collect: the session lists it as "wordt geïncasseerd", but it is not in Te
ontvangen and no payment, set-off, waiver or registration touches it. It still counts in what
the customer owes (``open_amounts``) until it is settled.

Configuration, all optional (``[settlement]`` in the config file, parsed by ``config.load``
into ``Config.settlement``)::

    [settlement]
    waive_roles = ["beheer"]     # roles that may use Kwijtschelden
    opening_float = "100,00"     # cash in a drawer before its first cash-up (wisselgeld)
"""

from __future__ import annotations

from tui_desk.services.settlement.cashup import (
    CashSummary,
    CashUpPreview,
    CashUpResult,
    cash_summary,
    cash_up,
    cash_up_preview,
)
from tui_desk.services.settlement.payments import (
    PaymentResult,
    Receipt,
    ReceiptLine,
    WaiveResult,
    pay,
    pay_typed,
    preview,
    waive,
    waive_refusal,
)
from tui_desk.services.settlement.registering import (
    EMAIL,
    INCASSO,
    POST,
    RegisterResult,
    letter_text,
    mark_postal_printed,
    postal_batch,
    register_open,
    register_without_mandate,
)
from tui_desk.services.settlement.session import (
    COLLECTED_MESSAGE,
    COLLECTED_NOTE,
    DEFAULT_LIBRARY_NAME,
    DONE_MESSAGE,
    FREE_MESSAGE,
    HINT,
    LETTER_KIND,
    MAX_NOTE,
    NOTHING_OPEN_MESSAGE,
    PAY_DIRECTLY_MESSAGE,
    PIN_LABEL,
    OpenAmounts,
    SessionLine,
    SettlementRefused,
    SettlementSession,
    branch_registers,
    may_waive,
    open_amounts,
    refresh,
    resolve_register,
    session,
    settings,
    waive_reasons,
)
from tui_desk.store.settlement import RegisterRow as RegisterRow  # for the screens

__all__ = [
    "COLLECTED_MESSAGE",
    "COLLECTED_NOTE",
    "CashSummary",
    "CashUpPreview",
    "CashUpResult",
    "DEFAULT_LIBRARY_NAME",
    "DONE_MESSAGE",
    "EMAIL",
    "FREE_MESSAGE",
    "HINT",
    "INCASSO",
    "LETTER_KIND",
    "MAX_NOTE",
    "NOTHING_OPEN_MESSAGE",
    "OpenAmounts",
    "PAY_DIRECTLY_MESSAGE",
    "PIN_LABEL",
    "POST",
    "PaymentResult",
    "Receipt",
    "ReceiptLine",
    "RegisterResult",
    "SessionLine",
    "SettlementRefused",
    "SettlementSession",
    "WaiveResult",
    "branch_registers",
    "cash_summary",
    "cash_up",
    "cash_up_preview",
    "letter_text",
    "mark_postal_printed",
    "may_waive",
    "open_amounts",
    "pay",
    "pay_typed",
    "postal_batch",
    "preview",
    "refresh",
    "register_open",
    "register_without_mandate",
    "resolve_register",
    "session",
    "settings",
    "waive",
    "waive_reasons",
    "waive_refusal",
]
