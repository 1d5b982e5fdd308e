"""A register's totals per method and the kasopmaak (cash-up)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.models import ExpectedCash, Staff
from tui_desk.rules import settlement as rules
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import KAS, PIN, SettlementError
from tui_desk.services.settlement.session import MAX_NOTE, PIN_LABEL, _register, settings
from tui_desk.store import audit
from tui_desk.store import settlement as store
from tui_desk.store.db import Database
from tui_desk.store.settlement import MethodTotals, RegisterRow


# -- the register: totals and cash-up -------------------------------------------------------------
@dataclass(frozen=True)
class CashSummary:
    register: RegisterRow
    day: dt.date
    per_method: dict[str, MethodTotals]

    @property
    def cash(self) -> MethodTotals:
        return self.per_method[KAS]

    @property
    def pin(self) -> MethodTotals:
        return self.per_method[PIN]

    @property
    def total_cents(self) -> int:
        return sum(t.amount_cents for t in self.per_method.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """(label, count, amount) per method, as Financieel ▸ Kas lists them."""
        return [(self.register.name, self.cash.count, self.cash.amount_cents),
                (PIN_LABEL, self.pin.count, self.pin.amount_cents)]


def cash_summary(db: Database, clock: Clock, register: RegisterRow | str | int,
                 day: dt.date | None = None) -> CashSummary:
    """A register's payments of one day (default today) per method."""
    reg = _register(db, register)
    day = day or clock.today()
    start = dt.datetime.combine(day, dt.time(0, 0))
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    before = start - dt.timedelta(seconds=1)
    return CashSummary(reg, day, store.totals_between(db, reg.id, before, end))


@dataclass(frozen=True)
class CashUpPreview(ExpectedCash):
    """What the drawer should hold now: since the previous cash-up (or ever)."""

    register: RegisterRow


@dataclass(frozen=True)
class CashUpResult:
    id: int
    expected_cents: int
    counted_cents: int
    difference_cents: int
    float_after_cents: int
    message: str
    preview: CashUpPreview


def cash_up_preview(db: Database, clock: Clock, register: RegisterRow | str | int, *,
                    config: Config | None = None) -> CashUpPreview:
    """The expected cash of a register: the opening float (left by the previous cash-up, or
    ``[settlement] opening_float`` before the first) plus cash in minus change out since."""
    reg = _register(db, register)
    last = store.last_cash_up(db, reg.id)
    opening = last.float_after_cents if last else settings(config).opening_float_cents
    since = last.at if last else None
    totals = store.totals_between(db, reg.id, since, clock.now())
    cash = totals[KAS]
    expected = rules.expected_cash(opening, cash.tendered_cents, cash.change_cents)
    return CashUpPreview(reg, since=since, opening_float_cents=opening,
                         cash_in_cents=cash.tendered_cents, change_out_cents=cash.change_cents,
                         expected_cents=expected, pin_cents=totals[PIN].amount_cents)


def cash_up(db: Database, clock: Clock, staff: Staff, register: RegisterRow | str | int,
            counted_cents: int, note: str = "", *, float_after_cents: int | None = None,
            config: Config | None = None) -> CashUpResult:
    """Kasopmaak: record the cash counted in the drawer against what it should hold, with
    the difference (counted - expected). ``float_after_cents`` is the cash left in the drawer
    for the next period (default: the opening float, at most what was counted). One
    transaction with an audit row."""
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise SettlementError(f"De opmerking is te lang: maximaal {MAX_NOTE} tekens.")
    if counted_cents > rules.MAX_AMOUNT_CENTS:
        raise SettlementError(f"{format_cents(counted_cents)} is meer dan een kas bevat.")
    now = clock.now()
    with db.transaction():
        plan = cash_up_preview(db, clock, register, config=config)
        difference = rules.cash_difference(counted_cents, plan.expected_cents)
        keep = (min(plan.opening_float_cents, counted_cents) if float_after_cents is None
                else float_after_cents)
        if keep < 0 or keep > counted_cents:
            raise SettlementError("Het wisselgeld dat in de kas blijft moet tussen € 0,00 en "
                                  "het getelde bedrag liggen.")
        cash_up_id = store.insert_cash_up(
            db, register_id=plan.register.id, staff_id=staff.id, at=now, since=plan.since,
            opening_float_cents=plan.opening_float_cents, cash_in_cents=plan.cash_in_cents,
            change_out_cents=plan.change_out_cents, expected_cents=plan.expected_cents,
            pin_cents=plan.pin_cents, counted_cents=counted_cents, difference_cents=difference,
            float_after_cents=keep, note=text)
        audit.write(db, at=now, staff_id=staff.id, entity="cash_up", entity_id=cash_up_id,
                    action="insert",
                    after={"register": plan.register.name, "expected_cents": plan.expected_cents,
                           "counted_cents": counted_cents, "difference_cents": difference,
                           "pin_cents": plan.pin_cents, "float_after_cents": keep,
                           "note": text})
    return CashUpResult(cash_up_id, plan.expected_cents, counted_cents, difference, keep,
                        rules.difference_text(difference), plan)
