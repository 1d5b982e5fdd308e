"""Domain records passed between store, services and screens. Plain data, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tui_desk.rules import names
from tui_desk.statuses import CardStatus

ROLES = ("balie", "educatie", "beheer")


@dataclass(frozen=True, kw_only=True)
class PersonName:
    """A customer's name as the manual writes it: Aanhef (from the gender), Voorletters,
    Tussenvoegsel, Achternaam. Records that carry a customer's name derive from it."""

    gender: str
    initials: str
    prefix: str
    surname: str

    @property
    def salutation(self) -> str:
        return names.salutation(self.gender)

    @property
    def name(self) -> str:
        """``A. van de Test``"""
        return names.display_name(self.initials, self.prefix, self.surname)

    @property
    def full_name(self) -> str:
        """``Mw. A. van de Test``"""
        return names.display_name(self.initials, self.prefix, self.surname, self.salutation)


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    name: str
    branch_code: str
    roles: frozenset[str]
    login: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Address:
    kind: str = "hoofdadres"
    street: str = ""
    house_number: int | None = None
    house_suffix: str = ""
    postcode: str = ""
    place: str = ""
    country: str = "NL"
    verified: bool = True
    region: str = ""

    @property
    def number_text(self) -> str:
        if self.house_number is None:
            return ""
        return f"{self.house_number}{self.house_suffix}" if self.house_suffix[:1].isalpha() else (
            f"{self.house_number} {self.house_suffix}".strip()
        )

    @property
    def line1(self) -> str:
        return f"{self.street} {self.number_text}".strip()

    @property
    def line2(self) -> str:
        return f"{self.postcode} {self.place.upper()}".strip()


@dataclass(frozen=True)
class Card:
    number: str
    branch_code: str
    status: str
    issued_on: dt.date
    blocked_on: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Notice:
    """A Melding on the record: ``slot`` is its row (1 to ``MAX_NOTICES``) in the Meldingen
    tab; a ``private`` one also pops up when the record opens."""

    slot: int
    text: str
    private: bool
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class SubscriptionPeriod:
    id: int
    tariff_code: str
    tariff_name: str
    instance: str
    branch_code: str
    start_date: dt.date
    end_date: dt.date
    status: str
    amount_cents: int
    discount_cents: int = 0
    section: str = "BIEB"

    @property
    def label(self) -> str:
        """``45-Basis`` as in the Contributie tab."""
        return f"{int(self.tariff_code)}-{self.tariff_name}"


@dataclass(frozen=True)
class Customer(PersonName):
    id: int
    actor_id: int
    kind: str
    first_name: str
    birth_date: dt.date | None
    phone: str
    sms: str
    email: str
    newsletter: bool
    id_checked: bool
    use_login: bool
    loan_history: bool
    notify_loaned_before: bool
    selection: str
    branch_code: str
    branch_name: str
    registered_on: dt.date
    last_activity: dt.date | None
    items_on_loan: int
    strips: int
    balance_cents: int
    address: Address | None = None
    addresses: tuple[Address, ...] = ()
    cards: tuple[Card, ...] = ()
    notices: tuple[Notice, ...] = ()
    periods: tuple[SubscriptionPeriod, ...] = field(default=())

    @property
    def active_card(self) -> Card | None:
        return next((c for c in self.cards if c.status == CardStatus.ACTIVE), None)

    @property
    def card_number(self) -> str:
        card = self.active_card or (self.cards[0] if self.cards else None)
        return card.number if card else ""


@dataclass(frozen=True, kw_only=True)
class ExpectedCash:
    """What a register's drawer should hold at a cash-up: the float it started with, plus cash
    in minus change out since the previous cash-up (or ever); the PIN takings beside it."""

    since: dt.datetime | None
    opening_float_cents: int
    cash_in_cents: int
    change_out_cents: int
    expected_cents: int
    pin_cents: int


@dataclass(frozen=True)
class SaleLine:
    """One line of a payment's receipt: what was paid for, and how much."""

    text: str
    amount_cents: int


@dataclass(frozen=True)
class SearchHit:
    customer_id: int
    card_number: str
    name: str
    birth_date: dt.date | None
    address: str
    place: str
