"""The SEPA collection file (``tui-desk sepa-export``) and the pre-notifications before it.

**What is collected.** Every open contributie invoice due by the collection date of a customer
with an active mandate that no earlier file holds: monthly instalments of the direct-debit
tariffs and yearly renewals alike (the monthly run makes their invoices, due on the first day
of the new period). The amount is what the invoice still needs (amount − discount − paid − set
off − waived; ``store.settlement``), to the cent. A customer's invoices form one transaction
on their mandate: ``FRST`` on the mandate's first use, ``RCUR`` after. Revoked, lapsed and
pending mandates are not collected; an active mandate unused for 36 months lapses here.

**Exactly once.** The file is written under a temporary name beside the target (0600), the
collections are recorded in one transaction (one row per invoice, unique), and only after the
commit is the file renamed into place. A commit that fails (a full disk) removes the temporary
file and records nothing; a file that is there was recorded. A second run for the same date — or
any date — finds nothing new. The output path is never the database or one of its companion
files, and an existing file that is not XML, or an earlier collection file whose collections are
recorded, is only replaced with ``force``.
Open credit notes are not set off here (a collection cannot be negative): settle them at the
desk. A collection that the bank reverses later is a matter for the bank statement import,
which does not exist yet.

**The file** is pain.008.001.02, built with sepaxml and validated against its XSD before it
is written; nothing is recorded when validation fails. Every text in it is reduced to the EPC's
SEPA character set (``rules.banking.sepa_text``: transliterated, trimmed); a debtor name with
nothing left (an emoji) becomes ``Klant <actor id>`` and the report says so. A customer whose
transaction cannot be exported (an IBAN or mandate id the bank would refuse) is left out and
listed by card number; the rest is exported, and the one left out comes along once repaired.

**Pre-notification.** ``queue_pre_notifications`` (for the maintenance run, daily) mails every
customer whose invoice falls due within ``[creditor] pre_notification_days`` (default 7) the
amount and the day it is collected on or after, through the outbox, once per invoice.
Customers without an e-mail address are listed for a letter.
"""

from __future__ import annotations

from tui_desk.services.sepa_export.collection import (
    FileInvalid,
    build_file,
    check_target,
    export_collection,
)
from tui_desk.services.sepa_export.notices import (
    NoticeReport,
    queue_pre_notifications,
)
from tui_desk.services.sepa_export.planning import (
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTICE_KIND,
    SCHEMA,
    ExportError,
    ExportResult,
    LeftOut,
    PlannedTransaction,
    plan,
)

__all__ = [
    "DESCRIPTION_MAX",
    "ExportError",
    "ExportResult",
    "FileInvalid",
    "LeftOut",
    "NAME_MAX",
    "NOTICE_KIND",
    "NoticeReport",
    "PlannedTransaction",
    "SCHEMA",
    "build_file",
    "check_target",
    "export_collection",
    "plan",
    "queue_pre_notifications",
]
