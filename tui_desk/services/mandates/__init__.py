"""Step 5, Incassomachtiging: a SEPA mandate from the printed form to the scanned signature, and
its life (revocation, IBAN change, lapse).

The manual's flow: the bank details (IBAN, BIC only for a foreign IBAN, Naam and Plaats
rekeninghouder, taken over from step 1 where known) → *Print nieuwe machtiging*: a pending
mandate with a unique document code (its barcode on the form) and kenmerk → the customer signs
→ *Verwerk machtiging*: Bronkeuze Scan pagina / Selecteer bestand / Geen upload, the document
code scanned or typed, Controleer (Klantnaam, Actor id, Documenttype "01 - Incassomachtiging"),
Opslaan → "Controleer gegevens incassomachtiging" → OK → "Vastleggen klantdocument voltooid":
the mandate is active, the kenmerk is the customer's and Incasso is ticked.

Where the data lives: the IBAN is kept on the mandate only (customers has no IBAN column); step
1's IBAN is read from the registration draft until a mandate holds it. A customer has incasso
(the Incasso tick) exactly when one of their mandates has status 'active' — at most one has.
An IBAN change through the overstapservice keeps the mandate; without it the mandate is revoked
and a new one must be printed and signed. A mandate not used for 36 months lapses.

Every change is one transaction with its audit rows; IBANs in the audit log are masked.
"""

from __future__ import annotations

from tui_desk.services.mandates.archive import (
    AWAITS_SCAN,
    DONE_ALREADY,
    NO_CODE,
    SUPERSEDED,
    UNKNOWN_CODE,
    HandMatch,
    UnknownScan,
    archived_scan,
    export_folder,
    export_scan,
    match_by_hand,
    pending_code,
    remove_expired_scans,
    rules_retention_default,
    scan_for_mandate,
    unknown_scans,
)
from tui_desk.services.mandates.details import (
    DONE_MESSAGE,
    NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    SOURCE_LABELS,
    SOURCES,
    BankDetails,
    DocumentRefused,
    MandateData,
    MandateError,
    MandateInputError,
    check_bank_details,
    iban_info,
    mandate_data_for,
)
from tui_desk.services.mandates.forms import (
    creditor_of,
    form_for,
    mandate_print_request,
    print_mandate_form,
    print_new_mandate,
)
from tui_desk.services.mandates.life import (
    IbanChange,
    MandatePanel,
    active_mandate,
    change_iban,
    has_incasso,
    lapse_unused,
    mandate_panel,
    pending_document_code,
    revoke,
)
from tui_desk.services.mandates.processing import (
    DocumentCheck,
    MandateReview,
    ProcessResult,
    check_document,
    known_document,
    process_mandate,
    review_mandate,
)
from tui_desk.store.mandates import Mandate as Mandate  # for the screens

__all__ = [
    "AWAITS_SCAN",
    "BankDetails",
    "DONE_ALREADY",
    "DONE_MESSAGE",
    "DocumentCheck",
    "DocumentRefused",
    "HandMatch",
    "IbanChange",
    "MandateData",
    "MandateError",
    "MandateInputError",
    "MandatePanel",
    "MandateReview",
    "NAME_MAX",
    "NO_CODE",
    "PLACE_MAX",
    "ProcessResult",
    "REASON_MAX",
    "SOURCES",
    "SOURCE_LABELS",
    "SUPERSEDED",
    "UNKNOWN_CODE",
    "UnknownScan",
    "active_mandate",
    "archived_scan",
    "change_iban",
    "check_bank_details",
    "check_document",
    "known_document",
    "creditor_of",
    "export_folder",
    "export_scan",
    "form_for",
    "has_incasso",
    "iban_info",
    "lapse_unused",
    "mandate_data_for",
    "mandate_panel",
    "mandate_print_request",
    "match_by_hand",
    "pending_code",
    "pending_document_code",
    "print_mandate_form",
    "print_new_mandate",
    "process_mandate",
    "remove_expired_scans",
    "review_mandate",
    "revoke",
    "rules_retention_default",
    "scan_for_mandate",
    "unknown_scans",
]
