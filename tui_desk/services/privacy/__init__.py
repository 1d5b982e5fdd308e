"""Privacy by design (AVG) and minors, at the counter.

* **Ouder/verzorger**: a customer younger than ``[privacy] guardian_below_age`` (16) on the
  registration day gets a guardian: an existing customer (scan the card) or a typed person.
  Mail about a minor (activation, contribution letter, newsletter consent) goes to the guardian.
* **Consents** (Nieuwsbrief, Leenhistorie bewaren, Melding titel eerder geleend) are records:
  when, by whom, how (balie, formulier), by the guardian, and their withdrawal.
* **Communication preferences** per message kind: channel and language.
* **Blokkades** with type, reason, start and optional end; maintenance lifts ended ones.
* **Inzage**: everything about a customer as JSON and readable Dutch text (``export``).
* **Uitschrijven** and **anonymisation**, on request or by maintenance after
  ``retention_years_inactive``; financial records kept pseudonymised for
  ``fiscal_retention_years``, then removed. Print-job payloads purged after
  ``print_jobs_retention_days``.

Every change is one transaction with an audit row; problems raise ``PrivacyError`` (Dutch).
"""

from __future__ import annotations

from tui_desk.services.privacy.blocks import (
    active_blocks,
    add_block,
    block_line,
    blocks,
    lift_block,
    lift_ended,
)
from tui_desk.services.privacy.common import (
    ANONYMOUS,
    BLOCK_TYPES,
    REASON_MAX,
    PrivacyError,
)
from tui_desk.services.privacy.consents import (
    CHANNEL_LABELS,
    CHANNELS,
    CONSENT_LABELS,
    CONSENT_MAIL_KIND,
    EERDER_GELEEND,
    LANGUAGE_LABELS,
    LEENHISTORIE,
    MESSAGE_KINDS,
    METHODS,
    NIEUWSBRIEF,
    WITHDRAW_EFFECT,
    ConsentResult,
    Preference,
    Recipient,
    consent_history,
    consent_line,
    consent_mail,
    default_preferences,
    give_consent,
    preferences,
    recipient,
    register_privacy,
    set_preference,
    store_preferences,
    withdraw_consent,
)
from tui_desk.services.privacy.guardians import (
    Guardian,
    GuardianInput,
    Ward,
    add_guardian,
    check_guardian,
    guardian_has_email,
    guardian_label,
    guardian_needed,
    guardians,
    wards,
)
from tui_desk.services.privacy.inzage import (
    COLUMN_LABELS,
    SECTION_LABELS,
    Export,
    collect,
    export,
    export_by_card,
    export_folder,
    write_export,
)
from tui_desk.services.privacy.leaving import (
    Anonymised,
    Deregistration,
    anonymise,
    can_anonymise,
    deregister,
    uitschrijfbewijs_rows,
)
from tui_desk.services.privacy.retention import (
    PrivacyFigures,
    RetentionReport,
    figures,
    past_retention,
    run_retention,
)

# The privacy tables and the audit trail, which the screens and tests read through this module.
from tui_desk.store import audit as audit
from tui_desk.store import privacy as store

__all__ = [
    "store",
    "ANONYMOUS",
    "Anonymised",
    "BLOCK_TYPES",
    "CHANNELS",
    "CHANNEL_LABELS",
    "COLUMN_LABELS",
    "CONSENT_LABELS",
    "CONSENT_MAIL_KIND",
    "ConsentResult",
    "Deregistration",
    "EERDER_GELEEND",
    "Export",
    "Guardian",
    "GuardianInput",
    "LANGUAGE_LABELS",
    "LEENHISTORIE",
    "MESSAGE_KINDS",
    "METHODS",
    "NIEUWSBRIEF",
    "Preference",
    "PrivacyError",
    "PrivacyFigures",
    "REASON_MAX",
    "Recipient",
    "RetentionReport",
    "SECTION_LABELS",
    "WITHDRAW_EFFECT",
    "Ward",
    "active_blocks",
    "add_block",
    "add_guardian",
    "anonymise",
    "block_line",
    "blocks",
    "can_anonymise",
    "check_guardian",
    "collect",
    "consent_history",
    "consent_line",
    "consent_mail",
    "default_preferences",
    "deregister",
    "export",
    "export_by_card",
    "export_folder",
    "figures",
    "give_consent",
    "guardian_has_email",
    "guardian_label",
    "guardian_needed",
    "guardians",
    "lift_block",
    "lift_ended",
    "past_retention",
    "preferences",
    "recipient",
    "register_privacy",
    "run_retention",
    "set_preference",
    "store_preferences",
    "uitschrijfbewijs_rows",
    "wards",
    "withdraw_consent",
    "write_export",
]
