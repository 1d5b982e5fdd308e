"""Subscription periods, invoices and the tariffs as rules see them: all SQL of step 3, the
Contributie tab and the monthly maintenance run.

Functions here never open a transaction of their own: the service wraps one business action
(registering, changing, cancelling, the monthly run) in one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from tui_desk.rules.tariffs import Tariff
from tui_desk.store.db import Database
from tui_desk.store.rows import new_id, one, reader, record

# Periods that count: not voided (Ongeldig) and not cancelled (Opgezegd).
RUNNING = ("Nieuw", "Gefactureerd", "Normaal")
_RUNNING_SQL = "('Nieuw', 'Gefactureerd', 'Normaal')"


def _names(text: str | None) -> frozenset[str]:
    return frozenset(p.strip() for p in (text or "").split(",") if p.strip())


def tariff_rules(db: Database) -> dict[str, Tariff]:
    """Every tariff in the database (active or not) as ``rules.tariffs.Tariff``, by code."""
    result = {}
    for r in db.all("SELECT * FROM tariffs ORDER BY code"):
        result[r["code"]] = Tariff(
            code=r["code"], name=r["name"], audience=r["audience"], category=r["category"],
            min_age=r["min_age"], max_age=r["max_age"], period_unit=r["period_unit"],
            period_length=r["period_length"], strips=r["strips"], max_items=r["max_items"],
            description=r["description"], active=bool(r["active"]), roles=_names(r["roles"]),
            selections=_names(r["selections"]), needs_mandate=bool(r["needs_mandate"]),
            one_per_person_staff=bool(r["one_per_person_staff"]),
            one_per_school=bool(r["one_per_school"]), expiry_month=r["expiry_month"],
            pay_directly=bool(r["pay_directly"]),
        )
    return result


# -- periods ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodRow:
    id: int
    customer_id: int
    tariff_code: str
    instance: str
    branch_code: str
    start: dt.date
    end: dt.date
    status: str
    amount_cents: int
    discount_cents: int
    ended_on: dt.date | None
    end_reason: str

    @property
    def charged_cents(self) -> int:
        return self.amount_cents - self.discount_cents


def _period(r: sqlite3.Row) -> PeriodRow:
    return record(PeriodRow, r, start=dt.date.fromisoformat(r["start_date"]),
                  end=dt.date.fromisoformat(r["end_date"]))


def insert_period(
    db: Database, *, customer_id: int, tariff_code: str, instance: str, branch_code: str,
    start: dt.date, end: dt.date, status: str, amount_cents: int, discount_cents: int,
    created_at: dt.datetime,
) -> int:
    return new_id(
        db, "INSERT INTO subscription_periods(customer_id, tariff_code, instance, branch_code,"
        " start_date, end_date, status, amount_cents, discount_cents, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (customer_id, tariff_code, instance, branch_code, start.isoformat(), end.isoformat(),
         status, amount_cents, discount_cents, created_at.isoformat(timespec="seconds")),
    )


def get_period(db: Database, period_id: int) -> PeriodRow | None:
    r = db.one("SELECT * FROM subscription_periods WHERE id = ?", (period_id,))
    return _period(r) if r else None


def running_periods(db: Database, customer_id: int, instance: str,
                    today: dt.date) -> list[PeriodRow]:
    """The customer's periods of one instance that are not voided or cancelled and not over
    before ``today`` (the current one and any prepared after it), by start."""
    return [_period(r) for r in db.all(
        f"SELECT * FROM subscription_periods WHERE customer_id = ? AND instance = ?"
        f" AND status IN {_RUNNING_SQL} AND end_date >= ? AND end_date >= start_date"
        f" ORDER BY start_date, id",
        (customer_id, instance, today.isoformat()),
    )]


def end_period(db: Database, period_id: int, *, end: dt.date, status: str, ended_on: dt.date,
               reason: str) -> None:
    """Shorten (or void) a period: its new last day, status, the day it was ended and why."""
    db.execute(
        "UPDATE subscription_periods SET end_date = ?, status = ?, ended_on = ?, end_reason = ?"
        " WHERE id = ?",
        (end.isoformat(), status, ended_on.isoformat(), reason, period_id),
    )


def set_period_status(db: Database, period_id: int, status: str) -> None:
    db.execute("UPDATE subscription_periods SET status = ? WHERE id = ?", (status, period_id))


def instances(db: Database, customer_id: int) -> list[str]:
    """The instance names (I001, I002, ...) the customer's periods use."""
    return [r[0] for r in db.all(
        "SELECT DISTINCT instance FROM subscription_periods WHERE customer_id = ?"
        " ORDER BY instance", (customer_id,))]


def has_running_tariff(db: Database, customer_id: int, codes: Iterable[str],
                       today: dt.date) -> bool:
    """Whether the customer has a running (current or prepared) period of one of ``codes``."""
    codes = tuple(codes)
    if not codes:
        return False
    marks = ", ".join("?" for _ in codes)
    return db.scalar(
        f"SELECT 1 FROM subscription_periods WHERE customer_id = ? AND tariff_code IN ({marks})"
        f" AND status IN {_RUNNING_SQL} AND end_date >= ? AND end_date >= start_date LIMIT 1",
        (customer_id, *codes, today.isoformat()),
    ) is not None


def schools_with_tariff_at(db: Database, *, postcode: str, house_number: int | None,
                           codes: Iterable[str], today: dt.date,
                           exclude_customer_id: int | None = None) -> list[str]:
    """The names of institution customers at this address (main address) with a running
    period of one of ``codes``: the service decides which of them is the same school."""
    codes = tuple(codes)
    if not codes or not postcode:
        return []
    marks = ", ".join("?" for _ in codes)
    return [r[0] for r in db.all(
        "SELECT DISTINCT c.surname FROM customers c JOIN addresses a ON a.customer_id = c.id"
        " AND a.kind = 'hoofdadres'"
        " JOIN subscription_periods p ON p.customer_id = c.id"
        " WHERE c.kind = 'institution' AND a.postcode = ? AND a.house_number IS ?"
        f" AND c.id IS NOT ? AND p.tariff_code IN ({marks})"
        f" AND p.status IN {_RUNNING_SQL} AND p.end_date >= ? AND p.end_date >= p.start_date",
        (postcode, house_number, exclude_customer_id, *codes, today.isoformat()),
    )]


def staff_with_free_subscription(db: Database, *, birth_date: dt.date,
                                 staff_selections: Iterable[str], free_codes: Iterable[str],
                                 today: dt.date, exclude_customer_id: int | None = None,
                                 ) -> list[tuple[str, str, str]]:
    """(initials, prefix, surname) of the other records born on ``birth_date`` with a
    personnel selection and a running free subscription (a free-staff tariff or a period whose
    discount covers its whole amount): the service decides which is the same person."""
    selections, codes = tuple(staff_selections), tuple(free_codes)
    if not selections:
        return []
    s_marks = ", ".join("?" for _ in selections)
    c_marks = ", ".join("?" for _ in codes) or "NULL"
    return [(r[0], r[1], r[2]) for r in db.all(
        "SELECT DISTINCT c.initials, c.prefix, c.surname FROM customers c"
        " JOIN subscription_periods p ON p.customer_id = c.id"
        f" WHERE c.birth_date = ? AND c.selection IN ({s_marks}) AND c.id IS NOT ?"
        f" AND p.status IN {_RUNNING_SQL} AND p.end_date >= ? AND p.end_date >= p.start_date"
        f" AND (p.tariff_code IN ({c_marks})"
        " OR (p.amount_cents > 0 AND p.discount_cents >= p.amount_cents))",
        (birth_date.isoformat(), *selections, exclude_customer_id, today.isoformat(), *codes),
    )]


# -- the customer as step 3 and the Contributie tab need it -----------------------------------
@dataclass(frozen=True)
class CustomerFactsRow:
    id: int
    kind: str
    gender: str
    initials: str
    prefix: str
    surname: str
    search_name: str
    birth_date: dt.date | None
    selection: str
    branch_code: str
    registered_on: dt.date
    postcode: str
    house_number: int | None


def customer_facts(db: Database, customer_id: int) -> CustomerFactsRow | None:
    return one(db, lambda r: record(CustomerFactsRow, r, postcode=r["postcode"] or ""),
               "SELECT c.*, a.postcode, a.house_number FROM customers c LEFT JOIN addresses a"
               " ON a.customer_id = c.id AND a.kind = 'hoofdadres' WHERE c.id = ?",
               (customer_id,))


def set_strips(db: Database, customer_id: int, strips: int, updated_at: dt.datetime) -> None:
    """The strips (strippen) of the customer's new tariff."""
    db.execute("UPDATE customers SET strips = ?, updated_at = ? WHERE id = ?",
               (strips, updated_at.isoformat(timespec="seconds"), customer_id))


def labels(db: Database, customer_ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
    """(card number, initials, prefix, surname) per customer, for reports."""
    ids = sorted(set(customer_ids))
    result: dict[int, tuple[str, str, str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in db.all(
            "SELECT c.id, c.initials, c.prefix, c.surname,"
            " (SELECT number FROM cards k WHERE k.customer_id = c.id"
            "  ORDER BY k.status = 'actief' DESC, k.issued_on DESC LIMIT 1) AS card"
            f" FROM customers c WHERE c.id IN ({marks})",
            tuple(chunk),
        ):
            result[r["id"]] = (r["card"] or "", r["initials"], r["prefix"], r["surname"])
    return result


# -- invoices ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class InvoiceRow:
    id: int
    customer_id: int
    period_id: int | None
    kind: str
    amount_cents: int
    discount_cents: int
    status: str
    description: str
    created_at: dt.datetime
    due_date: dt.date
    credits_invoice_id: int | None

    @property
    def due_cents(self) -> int:
        return self.amount_cents - self.discount_cents


_invoice = reader(InvoiceRow)


def insert_invoice(
    db: Database, *, customer_id: int, period_id: int | None, amount_cents: int,
    discount_cents: int, description: str, created_at: dt.datetime, due_date: dt.date,
    staff_id: int | None, kind: str = "contributie", credits_invoice_id: int | None = None,
) -> int:
    return new_id(
        db, "INSERT INTO invoices(customer_id, period_id, kind, amount_cents, discount_cents,"
        " status, description, created_at, due_date, staff_id, credits_invoice_id)"
        " VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) RETURNING id",
        (customer_id, period_id, kind, amount_cents, discount_cents, description,
         created_at.isoformat(timespec="seconds"), due_date.isoformat(), staff_id,
         credits_invoice_id),
    )


def invoice_for_period(db: Database, period_id: int) -> InvoiceRow | None:
    """The contributie invoice of a period, if one was made."""
    return one(db, _invoice, "SELECT * FROM invoices WHERE period_id = ? AND kind = 'contributie'",
               (period_id,))


def invoices_of(db: Database, customer_id: int) -> list[InvoiceRow]:
    return [_invoice(r) for r in db.all(
        "SELECT * FROM invoices WHERE customer_id = ? ORDER BY created_at, id", (customer_id,))]


def set_invoice_status(db: Database, invoice_id: int, status: str,
                       settled_at: dt.datetime | None = None) -> None:
    db.execute(
        "UPDATE invoices SET status = ?, settled_at = ? WHERE id = ?",
        (status, settled_at.isoformat(timespec="seconds") if settled_at else None, invoice_id),
    )


# -- the monthly run --------------------------------------------------------------------------
@dataclass(frozen=True)
class DuePeriod:
    period: PeriodRow
    kind: str
    birth_date: dt.date | None
    selection: str


def _due(r: sqlite3.Row) -> DuePeriod:
    return record(DuePeriod, r, period=_period(r))


def current_with_tariffs(db: Database, codes: Iterable[str], today: dt.date) -> list[DuePeriod]:
    """Running periods of one of ``codes`` that cover ``today``, with the customer's facts."""
    codes = tuple(codes)
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    day = today.isoformat()
    return [_due(r) for r in db.all(
        "SELECT p.*, c.kind, c.birth_date, c.selection FROM subscription_periods p"
        " JOIN customers c ON c.id = p.customer_id"
        f" WHERE p.tariff_code IN ({marks}) AND p.status IN {_RUNNING_SQL}"
        " AND p.start_date <= ? AND p.end_date >= ? ORDER BY p.customer_id, p.instance",
        (*codes, day, day),
    )]


def ending_without_successor(db: Database, first: dt.date, last: dt.date) -> list[DuePeriod]:
    """Running periods that end between ``first`` and ``last`` and are the latest of their
    customer and instance (no other period that is not voided starts after them)."""
    return [_due(r) for r in db.all(
        "SELECT p.*, c.kind, c.birth_date, c.selection FROM subscription_periods p"
        " JOIN customers c ON c.id = p.customer_id"
        f" WHERE p.end_date BETWEEN ? AND ? AND p.status IN {_RUNNING_SQL}"
        " AND p.end_date >= p.start_date"
        " AND NOT EXISTS (SELECT 1 FROM subscription_periods q"
        "  WHERE q.customer_id = p.customer_id AND q.instance = p.instance AND q.id != p.id"
        "  AND q.status != 'Ongeldig' AND q.start_date > p.start_date)"
        " ORDER BY p.customer_id, p.instance",
        (first.isoformat(), last.isoformat()),
    )]


def uninvoiced_new(db: Database, starts_until: dt.date, today: dt.date) -> list[PeriodRow]:
    """Periods prepared as Nieuw with an amount due but no invoice, starting by
    ``starts_until`` and not over before ``today`` (older data, the demo's prepared periods)."""
    return [_period(r) for r in db.all(
        "SELECT p.* FROM subscription_periods p WHERE p.status = 'Nieuw'"
        " AND p.amount_cents > p.discount_cents AND p.start_date <= ? AND p.end_date >= ?"
        " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.period_id = p.id"
        "  AND i.kind = 'contributie') ORDER BY p.customer_id, p.start_date",
        (starts_until.isoformat(), today.isoformat()),
    )]


def open_invoice_ids(db: Database, customer_id: int) -> list[int]:
    return [
        r[0]
        for r in db.all(
            "SELECT id FROM invoices WHERE customer_id = ? AND status = 'open' "
            "ORDER BY created_at, id",
            (customer_id,),
        )
    ]
