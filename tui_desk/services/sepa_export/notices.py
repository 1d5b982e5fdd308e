"""The pre-notification mails (vooraankondiging) before a collection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor
from tui_desk.rules import banking, names
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.services.sepa_export.planning import NOTICE_KIND, _outstanding
from tui_desk.store import mandates as store
from tui_desk.store import outbox
from tui_desk.store.db import Database
from tui_desk.store.mandates import DueInvoice, Mandate


# -- pre-notification -----------------------------------------------------------------------------
@dataclass
class NoticeReport:
    mailed: int = 0
    invoices: int = 0
    total_cents: int = 0
    without_email: list[tuple[int, str]] = field(default_factory=list)   # (customer id, name)

    def lines(self) -> list[str]:
        if not self.invoices:
            return []
        out = [f"Vooraankondiging incasso: {self.mailed} mail(s) in de wachtrij, "
               f"{self.invoices} factuur/facturen, {format_cents(self.total_cents)}."]
        for customer_id, name in self.without_email:
            out.append(f"  Geen e-mailadres (per post aankondigen): klant {customer_id} "
                       f"{printable(name)}")
        return out


def _notice_text(creditor: Creditor, name: str, mandate: Mandate, day: dt.date,
                 lines: list[tuple[str, int]]) -> tuple[str, str]:
    total = sum(cents for _, cents in lines)
    body = [
        f"Beste {name},",
        "",
        f"Op of kort na {show(day)} schrijven wij {format_cents(total)} af van uw rekening "
        f"{banking.mask_iban(mandate.iban)}:",
        "",
    ]
    body += [f"  {text}  {format_cents(cents)}" for text, cents in lines]
    body += [
        "",
        f"Incassant: {creditor.name}",
        f"Incassant-ID: {creditor.id}",
        f"Kenmerk machtiging: {mandate.kenmerk}",
        "",
        "Bent u het niet eens met een afschrijving? Dan kunt u die binnen 8 weken na "
        "afschrijving via uw bank laten terugboeken.",
        "",
        "Met vriendelijke groet,",
        creditor.name,
    ]
    return f"Vooraankondiging incasso {creditor.name}", "\n".join(body)


def queue_pre_notifications(db: Database, clock: Clock, config: Config) -> NoticeReport:
    """Mail the pre-notification of every invoice due within ``pre_notification_days`` on an
    active mandate, once per invoice (one mail per customer and run). Idempotent."""
    report = NoticeReport()
    creditor = config.creditor
    if creditor is None:
        return report
    now = clock.now()
    day = now.date() + dt.timedelta(days=creditor.pre_notification_days)
    with db.transaction():
        items = store.due_without_notice(db, day)
        amounts = _outstanding(db, items)
        groups: dict[int, list[DueInvoice]] = {}
        for item in items:
            if amounts.get(item.invoice_id, 0) > 0:
                groups.setdefault(item.customer_id, []).append(item)
        for customer_id, group in groups.items():
            mandate = group[0].mandate
            lines = [(i.description, amounts[i.invoice_id]) for i in group]
            full_name = names.display_name(group[0].initials, group[0].prefix,
                                           group[0].surname, names.salutation(group[0].gender))
            mail_id = None
            # E-mail or post as the customer prefers; a minor's to the ouder/verzorger.
            from tui_desk.services.privacy import recipient

            to = recipient(db, now.date(), customer_id, "contributie", config.privacy)
            if to.by_email:
                subject, body = _notice_text(creditor, to.name if to.guardian else full_name,
                                             mandate, day, lines)
                mail_id = outbox.enqueue(db, now=now, to_addr=to.email, subject=subject,
                                         body_text=body, kind=NOTICE_KIND,
                                         customer_id=customer_id)
                report.mailed += 1
            else:
                report.without_email.append((customer_id, full_name))
            for item in group:
                store.insert_notice(db, invoice_id=item.invoice_id, mandate_id=mandate.id,
                                    customer_id=customer_id,
                                    amount_cents=amounts[item.invoice_id], collection_date=day,
                                    channel="email" if mail_id else "none", mail_id=mail_id,
                                    at=now)
                report.invoices += 1
                report.total_cents += amounts[item.invoice_id]
    return report
