"""Step 1 of the registration, checked and normalised: what step 3 stores.

Its own module so that the wizard (registration.py) and the subscription service, which stores
it, can both use it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CustomerData:
    """Step 1, checked and normalised: what step 3 stores."""

    card_number: str
    card_issued_by_system: bool
    gender: str
    initials: str
    prefix: str
    surname: str
    first_name: str
    birth_date: dt.date
    country: str
    postcode: str
    house_number: int
    house_suffix: str
    street: str
    place: str
    address_verified: bool
    region: str
    phone: str
    sms: str
    direct_debit: bool
    iban: str
    bic: str
    id_checked: bool
    use_login: bool
    email: str
    newsletter: bool
    selection: str
    loan_history: bool
    notify_loaned_before: bool
    warnings: tuple[str, ...] = field(default=())
    # The ouder/verzorger of a minor (services.privacy.GuardianInput), None when not asked.
    guardian: Any = None
    # Step 1's communication preferences: channel ("" = the default) and language.
    channel: str = ""
    language: str = "nl"

    @property
    def kind(self) -> str:
        return "institution" if self.gender == "I" else "person"
