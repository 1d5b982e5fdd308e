"""The retention run of the maintenance job and the privacy figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import PrivacySettings
from tui_desk.rules.periods import add_months
from tui_desk.services.privacy.blocks import lift_ended
from tui_desk.services.privacy.common import PrivacyError
from tui_desk.services.privacy.leaving import anonymise
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database


# -- maintenance and the figures -----------------------------------------------------------------
@dataclass
class RetentionReport:
    blocks_lifted: int = 0
    anonymised: int = 0
    skipped_open_amount: int = 0
    fiscal_removed: int = 0
    print_jobs_purged: int = 0
    mails_emptied: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.blocks_lifted:
            out.append(f"Blokkades opgeheven (einddatum verstreken): {self.blocks_lifted}")
        if self.anonymised:
            out.append(f"Klanten geanonimiseerd (bewaartermijn verstreken): {self.anonymised}")
        if self.fiscal_removed:
            out.append(f"Financiële gegevens verwijderd (fiscale termijn verstreken): "
                       f"{self.fiscal_removed} klant(en)")
        if self.print_jobs_purged:
            out.append(f"Printgegevens gewist (bewaartermijn verstreken): "
                       f"{self.print_jobs_purged}")
        if self.mails_emptied:
            out.append(f"Mailteksten gewist (fiscale termijn verstreken): {self.mails_emptied}")
        return out


def _inactive_before(today: dt.date, settings: PrivacySettings) -> dt.date:
    return add_months(today, -12 * settings.retention_years_inactive)


def past_retention(db: Database, today: dt.date, settings: PrivacySettings) -> list[int]:
    """Customers past the retention term: inactive, nothing on loan, nothing open."""
    from tui_desk.services.settlement import open_amounts

    return [cid for cid in store.activity_candidates(db, _inactive_before(today, settings))
            if open_amounts(db, cid).outstanding_cents <= 0]


def run_retention(db: Database, clock: Clock, settings: PrivacySettings) -> RetentionReport:
    """``tui-desk maintenance``: lift ended blocks, anonymise customers past the retention
    term, remove financial records past the fiscal term, purge print-job payloads and old
    mail texts. Idempotent."""
    report = RetentionReport(blocks_lifted=lift_ended(db, clock))
    now = clock.now()
    today = now.date()
    for cid in past_retention(db, today, settings):
        try:
            anonymise(db, clock, None, cid, reason="bewaartermijn verstreken")
        except PrivacyError:
            report.skipped_open_amount += 1
            continue
        report.anonymised += 1
    fiscal_before = add_months(today, -12 * settings.fiscal_retention_years)
    with db.transaction():
        for cid in store.fiscal_candidates(db, fiscal_before):
            if store.remove_financial(db, cid, today):
                audit.write(db, at=now, staff_id=None, customer_id=cid, entity="customer",
                            entity_id=cid, action="fiscal_removed",
                            after={"fiscal_retention_years": settings.fiscal_retention_years})
                report.fiscal_removed += 1
        report.print_jobs_purged = store.purge_print_payloads(
            db, now - dt.timedelta(days=settings.print_jobs_retention_days), now)
        report.mails_emptied = store.empty_old_mails(
            db, dt.datetime.combine(fiscal_before, dt.time()))
    if report.anonymised or report.fiscal_removed or report.print_jobs_purged \
            or report.mails_emptied:
        store.checkpoint(db)
    return report


@dataclass(frozen=True)
class PrivacyFigures:
    past_retention: int
    anonymised: int
    drafts_past: int
    mails_past: int
    print_jobs_past: int

    def lines(self) -> list[str]:
        return [
            f"klanten voorbij de bewaartermijn: {self.past_retention}",
            f"geanonimiseerde klanten: {self.anonymised}",
            f"inschrijfconcepten voorbij de bewaartermijn: {self.drafts_past}",
            f"mails voorbij de bewaartermijn: {self.mails_past}",
            f"printopdrachten met gegevens voorbij de bewaartermijn: {self.print_jobs_past}",
        ]

    @property
    def beyond(self) -> int:
        return self.past_retention + self.drafts_past + self.mails_past + self.print_jobs_past


def figures(db: Database, now: dt.datetime, settings: PrivacySettings) -> PrivacyFigures:
    today = now.date()
    fiscal_before = dt.datetime.combine(add_months(today, -12 * settings.fiscal_retention_years),
                                        dt.time())
    return PrivacyFigures(
        past_retention=len(past_retention(db, today, settings)),
        anonymised=store.anonymised_count(db),
        drafts_past=store.drafts_past(db, now - dt.timedelta(
            hours=settings.drafts_retention_hours)),
        mails_past=store.mails_past(db, fiscal_before),
        print_jobs_past=store.print_jobs_past(db, now - dt.timedelta(
            days=settings.print_jobs_retention_days)),
    )
