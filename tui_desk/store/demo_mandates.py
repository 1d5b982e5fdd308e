"""Active mandates for the demo database, so that the collection file has work to do."""

from __future__ import annotations

import datetime as dt

from tui_desk.config import Config
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import stamp
from tui_desk.store.db import Database
from tui_desk.store.mandates import (
    activate,
    active_for,
    holder,
    insert_document,
    insert_mandate,
    mark_collected,
    mark_document_processed,
    next_document_sequence,
    next_kenmerk_number,
)

_MONTHLY_DEBIT = ("0049", "0052")
_YEARLY = ("0045", "0053")
_DEMO_YEARLY_MANDATES = 12


def seed_demo_mandates(db: Database, config: Config, today: dt.date) -> int:
    """Give demo customers active mandates so that the collection file has work to do.

    Every customer whose current period is a monthly direct-debit tariff (0049/0052) and some
    with a yearly tariff whose (renewal) period starts around ``today`` get an active mandate
    with an invented ING account; the period gets its open invoice when it has none (due on its
    start). About half of the monthly mandates were collected on before (RCUR), the others not
    (FRST). Deterministic: the same database and day give the same mandates. Returns how many
    mandates were made. Runs in the caller's transaction.
    """
    from schwifty import IBAN

    del config  # the creditor is the config's; nothing else is needed from it
    monthly = db.all(
        "SELECT p.id AS period_id, p.customer_id FROM subscription_periods p"
        " WHERE p.tariff_code IN (?, ?) AND p.status IN ('Gefactureerd', 'Nieuw')"
        " AND p.start_date <= ? AND p.end_date >= ? AND p.amount_cents > p.discount_cents"
        " ORDER BY p.customer_id",
        (*_MONTHLY_DEBIT, today.isoformat(), today.isoformat()),
    )
    yearly = db.all(
        "SELECT p.id AS period_id, p.customer_id FROM subscription_periods p"
        " WHERE p.tariff_code IN (?, ?) AND p.status IN ('Gefactureerd', 'Nieuw')"
        " AND p.start_date BETWEEN ? AND ? AND p.amount_cents > p.discount_cents"
        " AND p.instance = 'I001' ORDER BY p.start_date, p.customer_id LIMIT ?",
        (*_YEARLY, (today - dt.timedelta(days=25)).isoformat(),
         (today + dt.timedelta(days=20)).isoformat(), _DEMO_YEARLY_MANDATES),
    )
    manual = db.scalar("SELECT customer_id FROM cards WHERE number = '29401000075801'")
    chosen: dict[int, list[int]] = {}
    for r in list(monthly) + list(yearly):
        if r["customer_id"] != manual:
            chosen.setdefault(r["customer_id"], []).append(r["period_id"])
    now = dt.datetime.combine(today, dt.time(9, 0))
    made = 0
    for n, (customer_id, period_ids) in enumerate(sorted(chosen.items())):
        if active_for(db, customer_id) is not None:
            continue
        who = holder(db, customer_id)
        if who is None:
            continue
        iban = IBAN.generate("NL", bank_code="INGB", account_code=f"{customer_id % 10**9:010d}")
        code = rules.document_code(rules.DOCUMENT_PREFIX, next_document_sequence(db))
        kenmerk = rules.make_kenmerk(who.actor_id,
                                     next_kenmerk_number(db, customer_id, who.actor_id))
        signed = today - dt.timedelta(days=30 + (customer_id * 37) % 900)
        insert_document(db, code=code, customer_id=customer_id, type_=rules.DOCUMENT_TYPE,
                        at=dt.datetime.combine(signed, dt.time(10, 0)), staff_id=None)
        mark_document_processed(db, code, at=dt.datetime.combine(signed, dt.time(10, 5)),
                                staff_id=None, source="none")
        mandate_id = insert_mandate(
            db, customer_id=customer_id, kenmerk=kenmerk, document_code=code,
            iban=iban.compact, bic="", holder_name=who.full_name, holder_place=who.place,
            at=dt.datetime.combine(signed, dt.time(10, 0)), staff_id=None)
        activate(db, mandate_id, signed_on=signed, at=dt.datetime.combine(signed, dt.time(10, 5)),
                 staff_id=None)
        if n % 2 == 0:
            used = max(signed, today.replace(day=1) - dt.timedelta(days=1))
            mark_collected(db, mandate_id, used)
        for period_id in period_ids:
            _ensure_invoice(db, period_id, now)
        made += 1
    return made


def _ensure_invoice(db: Database, period_id: int, now: dt.datetime) -> None:
    p = db.one(
        "SELECT p.*, COALESCE(t.name, p.tariff_code) AS tariff_name FROM subscription_periods p"
        " LEFT JOIN tariffs t ON t.code = p.tariff_code WHERE p.id = ?", (period_id,))
    if p is None or db.scalar(
            "SELECT 1 FROM invoices WHERE period_id = ? AND kind = 'contributie'", (period_id,)):
        return
    start = dt.date.fromisoformat(p["start_date"])
    end = dt.date.fromisoformat(p["end_date"])
    db.execute(
        "INSERT INTO invoices(customer_id, period_id, kind, amount_cents, discount_cents, status,"
        " description, created_at, due_date) VALUES (?, ?, 'contributie', ?, ?, 'open', ?, ?, ?)",
        (p["customer_id"], period_id, p["amount_cents"], p["discount_cents"],
         f"Contributie {p['tariff_name']} {start:%d-%m-%Y} t/m {end:%d-%m-%Y}",
         stamp(min(now, dt.datetime.combine(start, dt.time(9, 0)))), start.isoformat()),
    )
    db.execute("UPDATE subscription_periods SET status = 'Gefactureerd' WHERE id = ?"
               " AND status = 'Nieuw'", (period_id,))

