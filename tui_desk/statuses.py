"""Every status column's values, one ``StrEnum`` per family.

One module rather than one enum per store module: several status columns are written by more
than one store module (the demo seeder writes cards and subscription periods; print jobs and
mail are read by services and screens), and a newcomer looking up a Dutch word on the screen
finds all of them here. The values are exactly what the database stores (the migrations' CHECK
constraints), so a member equals its string: ``CardStatus.ACTIVE == "actief"``, and rows read
back as plain strings compare equal to the members. No migration is needed.

Mixed Dutch and English values are historical: the Dutch ones (cards, subscription periods) are
the manual's words shown on screen as they are; the English ones are internal states that the
screens translate.
"""

from __future__ import annotations

from enum import StrEnum


class CardStatus(StrEnum):
    """``cards.status``: a library card (pas)."""

    ACTIVE = "actief"
    BLOCKED = "geblokkeerd"     # lost or stolen
    REPLACED = "vervangen"      # damaged, or a new card issued


class PeriodStatus(StrEnum):
    """``subscription_periods.status``: the manual's words on the Contributie tab."""

    NEW = "Nieuw"                   # prepared, not billed yet
    INVOICED = "Gefactureerd"
    NORMAL = "Normaal"              # free, or paid
    CANCELLED = "Opgezegd"
    VOID = "Ongeldig"               # entered by mistake


class DraftStatus(StrEnum):
    """``registration_drafts.status``: a registration in progress."""

    OPEN = "open"
    DONE = "done"
    ABANDONED = "abandoned"


class LoginStatus(StrEnum):
    """``login_accounts.status`` and ``customer_logins.account_status``."""

    PENDING = "pending"
    ACTIVE = "active"
    REMOVED = "removed"


class MailStatus(StrEnum):
    """``mail_outbox.status``."""

    QUEUED = "queued"       # waiting for its next try
    SENT = "sent"
    PARKED = "parked"       # used up its tries: waits for someone to look
    FAILED = "failed"


class InvoiceStatus(StrEnum):
    """``invoices.status``."""

    OPEN = "open"           # to be paid or collected
    PAID = "paid"
    WAIVED = "waived"       # kwijtgescholden
    CREDITED = "credited"


class PostalStatus(StrEnum):
    """``contribution_letters.postal_status`` (NULL for a letter sent by e-mail)."""

    PENDING = "pending"
    PRINTED = "printed"


class PrintStatus(StrEnum):
    """``print_jobs.status``."""

    QUEUED = "queued"       # stored, not sent
    PRINTING = "printing"   # being sent
    DONE = "done"           # the printer confirmed it could print
    SENT = "sent"           # every byte went to a printer that does not say whether it printed
    FAILED = "failed"       # kept with its last error, to retry
    CANCELLED = "cancelled"


class DocumentStatus(StrEnum):
    """``customer_documents.status``: a printed form (a mandate) and whether it came back."""

    PRINTED = "printed"
    PROCESSED = "processed"


class MandateStatus(StrEnum):
    """``mandates.status``: an incassomachtiging."""

    PENDING = "pending"     # printed, not signed yet
    ACTIVE = "active"
    REVOKED = "revoked"
    LAPSED = "lapsed"       # not used for 36 months
    CANCELLED = "cancelled"
