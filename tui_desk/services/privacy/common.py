"""What every privacy module shares: the error, the labels and the customer checks."""

from __future__ import annotations

from typing import TypeVar

from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.store import privacy as store
from tui_desk.store.db import Database

Row = TypeVar("Row")


class PrivacyError(DeskError):
    """A privacy action that cannot be done; the text says why, in Dutch."""


# -- consents ------------------------------------------------------------------------------------
NIEUWSBRIEF, LEENHISTORIE, EERDER_GELEEND = "nieuwsbrief", "leenhistorie", "eerder_geleend"
CONSENT_LABELS = {NIEUWSBRIEF: "Nieuwsbrief", LEENHISTORIE: "Leenhistorie bewaren",
                  EERDER_GELEEND: "Melding titel eerder geleend"}
METHODS = {"balie": "aan de balie", "formulier": "op formulier"}
# What withdrawing a consent wipes. tui-desk keeps no loans: the circulation system reads the
# customer's loan-history flag, and stops keeping (and removes) the history when it is off.
WITHDRAW_EFFECT = {
    NIEUWSBRIEF: "De klant krijgt de nieuwsbrief niet meer.",
    LEENHISTORIE: "De leenhistorie wordt niet meer bewaard en is gewist.",
    EERDER_GELEEND: "De melding 'titel eerder geleend' staat uit.",
}
CONSENT_MAIL_KIND = "toestemming"

# -- preferences ---------------------------------------------------------------------------------
MESSAGE_KINDS = {"reservering": "Reservering", "herinnering": "Herinnering/te laat",
                 "contributie": "Contributie", "nieuwsbrief": "Nieuwsbrief"}
CHANNEL_LABELS = {"email": "E-mail", "sms": "SMS", "post": "Post", "geen": "Geen"}
LANGUAGE_LABELS = {"nl": "NL", "en": "EN"}
# Which channels a kind can use: a contribution letter cannot be left unsent nor go by SMS; the
# newsletter is only mailed.
CHANNELS = {"reservering": ("email", "sms", "post", "geen"),
            "herinnering": ("email", "sms", "post", "geen"),
            "contributie": ("email", "post"),
            "nieuwsbrief": ("email", "geen")}

# -- blocks --------------------------------------------------------------------------------------
BLOCK_TYPES = {"adres_onbekend": "Adres onbekend", "openstaand_bedrag": "Openstaand bedrag",
               "gedrag": "Gedrag", "overig": "Overig"}
REASON_MAX = 120

ANONYMOUS = "Geanonimiseerd"


def _staff_id(staff: Staff | None) -> int | None:
    return staff.id if staff else None


def _found(row: Row | None, customer_id: int) -> Row:
    """``row``, read about the customer; a PrivacyError when there was no such customer."""
    if row is None:
        raise PrivacyError(f"Klant {customer_id} bestaat niet (meer).")
    return row


def _customer(db: Database, customer_id: int) -> store.PersonRow:
    return _found(store.person(db, customer_id), customer_id)


def _not_anonymised(person: store.PersonRow) -> None:
    if person.anonymised:
        raise PrivacyError("Deze klant is geanonimiseerd: er kan niets meer worden vastgelegd.")
