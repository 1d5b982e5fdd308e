"""The monthly run (``tui-desk maintenance``): age transitions, renewals and their invoices.

Run it once a month, preferably on the 1st. With ``today`` the clock's day and M its month:

1. **Jeugd → Start.** A youth member (running youth period covering today) who is 19 or older
   moves to Start: the youth period ends yesterday (voided if it only starts today), periods
   prepared after it are voided, and a Start period begins today (free: Normaal). Someone
   already past Start's range is listed instead.
2. **Start past 30.** Start members older than 30 are listed for a choice; nothing is charged
   and nothing is changed without one (staff use Muteer abonnement).
3. **Renewals.** Every running period that ends in month M, is the latest of its customer and
   instance and is not temporary gets the next period (``rules.periods.next_period``: the day
   after, 12 months for yearly tariffs) at the price valid on its start, with an open invoice
   due on that day (status Gefactureerd), or Normaal when nothing is due. An age-set tariff
   renews as the tariff of the age on the new start (a youth member who is 19 by then renews as
   Start; a Start member past 30 is listed and not renewed). Free selections (vrijwilliger,
   personeel) keep their discount; action codes applied to the first period only.
   A tariff collected by monthly direct debit (``needs_mandate``: 0049, 0052) is not renewed
   for a customer without an active mandate: nothing would collect it. The customer is listed
   instead (the first run that withholds it counts as news), until the mandate is processed
   (then Muteer abonnement).
4. **Prepared periods.** Periods prepared as Nieuw without an invoice (older data, the demo's)
   that start by the 1st of next month get their invoice and become Gefactureerd.

Everything is decided from the data, so a second run in the same month finds nothing left to
do and changes nothing. Periods that ended before month M are not renewed afterwards: a missed
month is caught up by running with the clock of that month. The run is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.rules import names
from tui_desk.rules import periods as period_rules
from tui_desk.rules.dates import age_on, month_year, show
from tui_desk.rules.money import format_cents
from tui_desk.rules.periods import DAY, CostBuildUp, Period
from tui_desk.rules.selections import default_selections
from tui_desk.rules.tariffs import INSTITUTION, Tariff, age_tariff
from tui_desk.rules.text import printable
from tui_desk.services import followups
from tui_desk.services.subscriptions import stop_periods_from, write_period
from tui_desk.statuses import PeriodStatus
from tui_desk.store import audit
from tui_desk.store import followups as followup_store
from tui_desk.store import subscriptions as store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.lock import AlreadyRunning as AlreadyRunning  # for the command line
from tui_desk.store.lock import advisory, exclusive
from tui_desk.store.subscriptions import DuePeriod
from tui_desk.store.tariffs import price_on

SOURCE = "maintenance"
YOUTH_REASON = "Overgang naar Start (19 jaar)"


@dataclass(frozen=True)
class ReportLine:
    customer_id: int
    card_number: str
    name: str
    text: str


@dataclass
class MaintenanceReport:
    day: dt.date
    moved_to_start: list[ReportLine] = field(default_factory=list)
    renewed: list[ReportLine] = field(default_factory=list)
    invoiced: list[ReportLine] = field(default_factory=list)
    needs_choice: list[ReportLine] = field(default_factory=list)
    not_renewed: list[ReportLine] = field(default_factory=list)
    invoiced_cents: int = 0
    # monthly direct-debit tariffs not renewed: no active mandate
    no_mandate: list[ReportLine] = field(default_factory=list)
    newly_withheld: int = 0
    # registrations kept open (mandate or first amount missing), every branch
    open_registrations: list[ReportLine] = field(default_factory=list)

    @property
    def changes(self) -> int:
        """How many customers' subscriptions were changed (moved, renewed, invoiced)."""
        return len(self.moved_to_start) + len(self.renewed) + len(self.invoiced)

    @property
    def news(self) -> int:
        """Changes, and renewals withheld for the first time: what a run must report."""
        return self.changes + self.newly_withheld

    @property
    def attention(self) -> bool:
        """Customers staff must act on (a choice, a mandate, an open registration)."""
        return bool(self.needs_choice or self.no_mandate or self.open_registrations)


@dataclass
class _Pending:
    customer_id: int
    text: str


def run_monthly(db: Database, clock: Clock) -> MaintenanceReport:
    """The monthly run for the clock's month (see the module); returns what it did."""
    now = clock.now()
    today = now.date()
    first = today.replace(day=1)
    last = period_rules.end_of_month(today)
    selections = default_selections()
    moved: list[_Pending] = []
    renewed: list[_Pending] = []
    invoiced: list[_Pending] = []
    choice: list[_Pending] = []
    skipped: list[_Pending] = []
    no_mandate: list[_Pending] = []
    withheld = 0
    total = 0
    with db.transaction():
        tariffs = store.tariff_rules(db)
        by_age = [t for t in tariffs.values() if t.by_age]
        youth_codes = [t.code for t in by_age if t.max_age is not None and t.max_age <= 18]
        adult_age_codes = [t.code for t in by_age if t.code not in youth_codes]
        listed: set[int] = set()

        # 1. youth members who turned 19
        for due in store.current_with_tariffs(db, youth_codes, today):
            p = due.period
            if due.kind == INSTITUTION or due.birth_date is None:
                continue
            age = age_on(due.birth_date, today)
            youth = tariffs[p.tariff_code]
            if youth.fits_age(age):
                continue
            target = age_tariff(tariffs.values(), age)
            if target is None:
                if p.customer_id not in listed:
                    listed.add(p.customer_id)
                    choice.append(_Pending(p.customer_id, f"{age} jaar, nog {youth.label}: "
                                           "kies een abonnement (Muteer abonnement)"))
                continue
            if (price := _price(db, target, due.kind, today, p.customer_id, skipped)) is None:
                continue
            running = store.running_periods(db, p.customer_id, p.instance, today)
            stop_periods_from(db, running, today, today=today, now=now, staff_id=None,
                              reason=YOUTH_REASON, credit=False, source=SOURCE)
            period, build = _write_next(db, due, target, today, price, 0, now)
            store.set_strips(db, p.customer_id, target.strips, now)
            total += build.balance_cents
            moved.append(_Pending(p.customer_id, f"{age} jaar: {youth.label} → {target.label}"
                                  f" {show(period.start)} t/m {show(period.end)}"))

        # 2. age-set adult tariffs (Start) the customer has grown out of
        for due in store.current_with_tariffs(db, adult_age_codes, today):
            p = due.period
            if due.birth_date is None or p.customer_id in listed:
                continue
            age = age_on(due.birth_date, today)
            tariff = tariffs[p.tariff_code]
            if tariff.fits_age(age):
                continue
            listed.add(p.customer_id)
            choice.append(_Pending(p.customer_id, f"{age} jaar, {tariff.label} t/m "
                                   f"{show(p.end)}: kies een abonnement (niets gefactureerd)"))

        # 3. renewals of the periods that end this month
        for due in store.ending_without_successor(db, first, last):
            p = due.period
            found = tariffs.get(p.tariff_code)
            if found is None or found.temporary:
                continue
            tariff = found
            start = p.end + DAY
            if tariff.by_age and due.kind != INSTITUTION and due.birth_date is not None:
                age = age_on(due.birth_date, start)
                if not tariff.fits_age(age):
                    target = age_tariff(tariffs.values(), age)
                    if target is None:
                        if p.customer_id not in listed:
                            listed.add(p.customer_id)
                            choice.append(_Pending(
                                p.customer_id, f"{age} jaar op {show(start)}, {tariff.label} "
                                f"t/m {show(p.end)}: kies een abonnement (niet verlengd)"))
                        continue
                    tariff = target
            if tariff.needs_mandate and not followup_store.has_active_mandate(db, p.customer_id):
                if followup_store.withhold_renewal(db, p.id, p.customer_id, today):
                    withheld += 1
                    audit.write(db, at=now, staff_id=None, customer_id=p.customer_id,
                                entity="subscription", entity_id=p.id,
                                action="renewal_withheld",
                                after={"reason": "geen actieve incassomachtiging",
                                       "source": SOURCE})
                no_mandate.append(_Pending(
                    p.customer_id, f"{tariff.label} t/m {show(p.end)}: geen actieve "
                    "incassomachtiging, niet verlengd"))
                continue
            if not tariff.active:
                skipped.append(_Pending(p.customer_id, f"{tariff.label} wordt niet meer "
                                        "aangeboden: kies een ander abonnement"))
                continue
            if (price := _price(db, tariff, due.kind, start, p.customer_id, skipped)) is None:
                continue
            selection = selections.get(due.selection) if due.selection else None
            discount = period_rules.discount_for(selection, price, first_period=False,
                                                   tariff=tariff)
            period, build = _write_next(db, due, tariff, start, price, discount, now)
            if tariff.code != p.tariff_code and p.instance == "I001":
                store.set_strips(db, p.customer_id, tariff.strips, now)
            total += build.balance_cents
            renewed.append(_Pending(p.customer_id, f"{tariff.label} {show(period.start)} t/m "
                                    f"{show(period.end)} {format_cents(build.balance_cents)}"))

        # 4. prepared periods that were never invoiced
        for p in store.uninvoiced_new(db, last + DAY, today):
            prepared = tariffs.get(p.tariff_code)
            label = prepared.label if prepared else p.tariff_code
            invoice_id = store.insert_invoice(
                db, customer_id=p.customer_id, period_id=p.id, amount_cents=p.amount_cents,
                discount_cents=p.discount_cents,
                description=f"Contributie {label} {show(p.start)} t/m {show(p.end)}",
                created_at=now, due_date=max(p.start, today), staff_id=None,
            )
            store.set_period_status(db, p.id, "Gefactureerd")
            audit.write(db, at=now, staff_id=None, customer_id=p.customer_id, entity="invoice",
                        entity_id=invoice_id, action="insert",
                        after={"period_id": p.id, "amount_cents": p.amount_cents,
                               "discount_cents": p.discount_cents, "status": "open",
                               "source": SOURCE})
            audit.write(db, at=now, staff_id=None, customer_id=p.customer_id,
                        entity="subscription", entity_id=p.id, action="update",
                        before={"status": p.status},
                        after={"status": "Gefactureerd", "source": SOURCE})
            total += p.charged_cents
            invoiced.append(_Pending(p.customer_id, f"{label} {show(p.start)} t/m {show(p.end)}"
                                     f" {format_cents(p.charged_cents)}"))

        still_open = [
            _Pending(o.customer_id, f"{o.what} sinds {show(o.opened_on)}"
                     f"{' (termijn verstreken)' if o.overdue else ''}: {o.reason}")
            for o in followups.open_everywhere(db, today)]
        everyone = [x.customer_id for x in
                    moved + renewed + invoiced + choice + skipped + no_mandate + still_open]
        known = store.labels(db, everyone)

    def lines(items: list[_Pending]) -> list[ReportLine]:
        out = []
        for item in items:
            card, initials, prefix, surname = known.get(item.customer_id, ("", "", "", ""))
            out.append(ReportLine(item.customer_id, card,
                                  names.display_name(initials, prefix, surname), item.text))
        return out

    return MaintenanceReport(
        day=today, moved_to_start=lines(moved), renewed=lines(renewed),
        invoiced=lines(invoiced), needs_choice=lines(choice), not_renewed=lines(skipped),
        invoiced_cents=total, no_mandate=lines(no_mandate), newly_withheld=withheld,
        open_registrations=lines(still_open),
    )


def _write_next(db: Database, due: DuePeriod, tariff: Tariff, start: dt.date, price: int,
                discount: int, now: dt.datetime) -> tuple[Period, CostBuildUp]:
    """Write the period of ``tariff`` from ``start`` (invoiced when it costs something), due on
    its first day."""
    p = due.period
    period = period_rules.period_for(tariff, start)
    build = period_rules.cost_build_up("", due.birth_date, tariff, period, price, discount)
    write_period(db, customer_id=p.customer_id, tariff=tariff, period=period,
                 build=build, instance=p.instance, branch_code=p.branch_code,
                 status=PeriodStatus.INVOICED if build.balance_cents else PeriodStatus.NORMAL,
                 now=now, staff_id=None, due_date=start, source=SOURCE)
    return period, build


def _price(db: Database, tariff: Tariff, kind: str, day: dt.date, customer_id: int,
           skipped: list[_Pending]) -> int | None:
    """The price of ``tariff`` on ``day`` for a customer of ``kind``; without one the customer
    is listed in ``skipped`` (and None returned)."""
    try:
        return price_on(db, tariff.code, INSTITUTION if kind == INSTITUTION else "person", day)
    except StoreError:
        skipped.append(_Pending(customer_id, f"{tariff.label}: geen prijs op {show(day)}"))
        return None


def format_report(report: MaintenanceReport) -> str:
    """The report for the administrator (Dutch), one section per kind of change."""
    out = [f"Maandelijkse verwerking {show(report.day)} ({month_year(report.day).lower()})", ""]
    sections = [
        ("Jeugdleden naar Start (19 jaar)", report.moved_to_start),
        ("Verlengd (nieuwe periode en factuur)", report.renewed),
        ("Voorbereide perioden gefactureerd", report.invoiced),
        ("Keuze nodig, niets gefactureerd", report.needs_choice),
        ("Niet verlengd", report.not_renewed),
        ("Niet verlengd: geen actieve incassomachtiging", report.no_mandate),
        ("Openstaande inschrijvingen", report.open_registrations),
    ]
    for title, items in sections:
        out.append(f"{title}: {len(items)}")
        for line in items:
            name = printable(line.name)[:30]
            out.append(f"  {line.card_number or '-':<14}  {name:<30}  {printable(line.text)}")
    out.append("")
    if report.changes:
        out.append(f"Gewijzigd: {report.changes} klant(en); gefactureerd "
                   f"{format_cents(report.invoiced_cents)}.")
    else:
        out.append("Niets gewijzigd: deze maand was alles al verwerkt.")
    return "\n".join(out)


@contextmanager
def maintenance_lock(db: Database) -> Iterator[None]:
    """One maintenance run at a time (the timer's ``tui-desk maintenance``, the office's mail
    retry): held for the block; ``AlreadyRunning`` at once, with a Dutch message saying who
    holds it since when, when another process has it. On SQLite a file lock beside the
    database (one server); on PostgreSQL an advisory lock in the database, which the other
    servers sharing it see too (``store.lock``)."""
    if db.dialect.is_postgresql:
        with advisory(db):
            yield
    else:
        with exclusive(db.path):
            yield


def run_all(db: Database, clock: Clock, config: Config) -> list[str]:
    """Everything ``tui-desk maintenance`` does (every few minutes from a timer), in order;
    the lines of its report, empty when there was nothing to do. The caller holds the lock
    that keeps it to one run at a time."""
    from tui_desk.services.housekeeping import purge_drafts
    from tui_desk.services.login_accounts import expire_unactivated
    from tui_desk.services.mailer import deliver_due
    from tui_desk.services.mandates import lapse_unused, remove_expired_scans
    from tui_desk.services.privacy import run_retention
    from tui_desk.services.sepa_export import queue_pre_notifications

    lines = expire_unactivated(db, clock).lines()
    lines += purge_drafts(db, clock, config.privacy.drafts_retention_hours).lines()
    lines += run_retention(db, clock, config.privacy).lines()
    monthly = run_monthly(db, clock)
    # Report the monthly job when it did something (or withheld a renewal for the first
    # time), and the lists of customers to act on on the 1st of the month.
    if monthly.news or (monthly.attention and clock.today().day == 1):
        lines += format_report(monthly).splitlines()
    lapsed = lapse_unused(db, clock)
    if lapsed:
        lines.append(f"Machtigingen vervallen (36 maanden niet gebruikt): {len(lapsed)}")
    expired = remove_expired_scans(db, clock, config)
    if expired:
        lines.append("Scans van getekende machtigingen verwijderd (bewaartermijn voorbij): "
                     f"{len(expired)}")
    lines += queue_pre_notifications(db, clock, config).lines()
    # Last: the mails queued above go out in the same run.
    lines += deliver_due(db, clock, config.mail).lines()
    return lines
