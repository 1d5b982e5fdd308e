"""The Contributie tab's actions: Muteer abonnement and Opzeggen, each one audited
transaction."""

from __future__ import annotations

import datetime as dt

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules import periods as period_rules
from tui_desk.rules.periods import CancelOption
from tui_desk.services.reasons import typed_reason
from tui_desk.services.subscriptions.offer import (
    MAIN_INSTANCE,
    MAX_REASON,
    CancelResult,
    ChangeResult,
    SubscriptionError,
    _build_up,
    _check,
    _choices,
    _subject_from_file,
)
from tui_desk.services.subscriptions.periods import _credit, _end, stop_periods_from, write_period
from tui_desk.statuses import PeriodStatus
from tui_desk.store import subscriptions as store
from tui_desk.store.db import Database
from tui_desk.store.subscriptions import PeriodRow


# -- the Contributie tab ------------------------------------------------------------------------
def new_instance(db: Database, customer_id: int) -> str:
    """The next free instance name (``I002`` ...) for a supplement next to the main one."""
    used = set(store.instances(db, customer_id))
    n = 1
    while f"I{n:03d}" in used:
        n += 1
    return f"I{n:03d}"


def change_subscription(
    db: Database, clock: Clock, staff: Staff, customer_id: int, tariff_code: str, *,
    instance: str = MAIN_INSTANCE, direct_debit: bool | None = None, reason: str = "",
) -> ChangeResult:
    """Muteer abonnement: a new period of ``tariff_code`` from today on ``instance``.

    The running period of the instance stops: one that started before today runs to yesterday,
    one that starts today or later is voided (Ongeldig). The unused part is credited
    (``rules.periods.credit_unused``). The new period is priced on today, Nieuw with an open
    invoice when an amount is due, else Normaal. One audited transaction. Pass
    ``instance=new_instance(...)`` to add a supplement (dBos) next to the main subscription.
    """
    now = clock.now()
    today = now.date()
    with db.transaction():
        tariffs = store.tariff_rules(db)
        subject = _subject_from_file(db, customer_id, today, tariffs, direct_debit,
                                     ignore_instance=instance)
        tariff = _check(_choices(db, tariffs, subject, staff, today), tariff_code).tariff
        running = store.running_periods(db, customer_id, instance, today)
        why = reason.strip() or f"Gewijzigd naar {tariff.label}"
        credit, _voided = stop_periods_from(db, running, today, today=today, now=now,
                                            staff_id=staff.id, reason=why[:MAX_REASON],
                                            credit=True)
        build, period = _build_up(db, tariff, subject, today,
                                  first_period=subject.first_period)
        branch = running[0].branch_code if running else staff.branch_code
        status = PeriodStatus.NEW if build.balance_cents > 0 else PeriodStatus.NORMAL
        period_id, invoice_id = write_period(
            db, customer_id=customer_id, tariff=tariff, period=period, build=build,
            instance=instance, branch_code=branch, status=status, now=now, staff_id=staff.id,
            due_date=today)
        if instance == MAIN_INSTANCE:
            store.set_strips(db, customer_id, tariff.strips, now)
    return ChangeResult(period_id, build, credit, invoice_id)


def _current(db: Database, customer_id: int, instance: str, today: dt.date) -> list[PeriodRow]:
    running = store.running_periods(db, customer_id, instance, today)
    if not running:
        raise SubscriptionError("Deze klant heeft geen lopend abonnement om op te zeggen.")
    return running


def cancel_choices(db: Database, clock: Clock, customer_id: int, *,
                   instance: str = MAIN_INSTANCE) -> list[CancelOption]:
    """The Opzeggen options for the running subscription: per direct, per the end of the
    period, per the 1st of next month (rules.periods.cancel_options)."""
    today = clock.today()
    running = _current(db, customer_id, instance, today)
    return period_rules.cancel_options(today, running[0].end)


def cancel_subscription(
    db: Database, clock: Clock, staff: Staff, customer_id: int, when: str | dt.date,
    reason: str, *, instance: str = MAIN_INSTANCE, credit_unused: bool = False,
) -> CancelResult:
    """Opzeggen with a reason (Reden opzegging), per ``when``: an option key of
    ``cancel_choices`` (``direct``, ``end_of_period``, ``next_month``) or a date.

    The running period becomes Opgezegd and ends the day before the effective date (per direct:
    yesterday); periods prepared after it are voided (Ongeldig) and their open invoices
    credited. The unused part of the cancelled period is only credited with
    ``credit_unused=True`` (a subscription is normally not refunded). One audited transaction.
    """
    text = typed_reason(reason, limit=MAX_REASON, missing="Vul de reden van de opzegging in.",
                        error=SubscriptionError)
    now = clock.now()
    today = now.date()
    with db.transaction():
        running = _current(db, customer_id, instance, today)
        current = running[0]
        if isinstance(when, dt.date):
            if when < today:
                raise SubscriptionError("Opzeggen kan niet met terugwerkende kracht.")
            effective = when
        else:
            options = {o.key: o for o in period_rules.cancel_options(today, current.end)}
            if when not in options:
                raise SubscriptionError(f"Onbekende keuze voor opzeggen: {when!r}.")
            effective = options[when].effective
        new_end = period_rules.cancelled_end(current.start, current.end, effective)
        _end(db, current, end=new_end, status=PeriodStatus.CANCELLED, today=today, now=now,
             staff_id=staff.id, reason=text)
        credit = 0
        if credit_unused:
            cents = period_rules.credit_unused(current.charged_cents, current.start, current.end,
                                               new_end + period_rules.DAY)
            credit = _credit(db, period=current, cents=cents, now=now, staff_id=staff.id,
                             text=f"Creditering opzegging: {text}"[:MAX_REASON])
        more, voided = stop_periods_from(db, running[1:], max(effective, current.start),
                                         today=today, now=now, staff_id=staff.id, reason=text,
                                         credit=True)
    return CancelResult(current.id, new_end, credit + more, voided)


