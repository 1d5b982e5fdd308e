"""What every privacy module shares: the error, the block labels and the customer checks.
(The consents' and preferences' vocabulary is in ``consents``.)"""

from __future__ import annotations

from typing import TypeVar

from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.store import privacy as store
from tui_desk.store.db import Database

Row = TypeVar("Row")


class PrivacyError(DeskError):
    """A privacy action that cannot be done; the text says why, in Dutch."""


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
