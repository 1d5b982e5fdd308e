"""OK in step 3: the new customer, saved whole in ONE transaction.

The customer (a new actor id), the main address, the card (active; its "V" reservation is
released), the first subscription period with its invoice (``services.subscriptions``), the
ouder/verzorger, consents and preferences (``services.privacy``), step 2's login account
(``services.login_accounts``: the activation mail is queued with it), the audit rows and the
draft marked done. Anything failing rolls all of it back: no half customer and no stray mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import Config, demo_config
from tui_desk.models import Staff
from tui_desk.rules import cards, names
from tui_desk.services import privacy, subscriptions
from tui_desk.services.customer_data import CustomerData
from tui_desk.services.login_accounts import GenerateResult, LinkResult, LoginChoice, complete
from tui_desk.services.subscriptions import RegistrationClosed, SubscriptionError
from tui_desk.statuses import DraftStatus, PeriodStatus
from tui_desk.store import audit, drafts
from tui_desk.store import registrations as reg_store
from tui_desk.store.db import Database


@dataclass(frozen=True)
class Created:
    customer_id: int
    login: LinkResult | GenerateResult | None = None


def create_customer(
    db: Database, clock: Clock, staff: Staff, draft_id: int, data: CustomerData,
    tariff_code: str, *, config: Config | None = None, login: LoginChoice | None = None,
) -> Created:
    """Save the new customer of draft ``draft_id`` with the chosen tariff (see the module).

    Saving a draft that is already done returns its customer (a second OK does not make a second
    customer). Raises SubscriptionRefused when the tariff may not be chosen (checked again
    inside the transaction), SubscriptionError / StoreError with a Dutch message otherwise.
    """
    config = config or demo_config()
    choice = login or LoginChoice("none")
    now = clock.now()
    today = now.date()
    with db.transaction():
        draft = drafts.get(db, draft_id)
        if draft is None:
            raise RegistrationClosed(f"Inschrijving {draft_id} bestaat niet.")
        if draft.status == DraftStatus.DONE and draft.customer_id is not None:
            return Created(draft.customer_id)
        if draft.status != "open":
            raise RegistrationClosed("Deze inschrijving is afgebroken en kan niet meer worden "
                                     "opgeslagen.")
        tariff, build, period = subscriptions.first_period(db, staff, data, tariff_code, today)
        card = cards.parse(data.card_number)
        owner = drafts.reservation_owner(db, card.number)
        if owner is not None and owner != draft_id:
            raise SubscriptionError(f"Pas {card.number} is gereserveerd voor een andere "
                                    "inschrijving. Scan een andere blanco pas of typ V.")
        customer_id = _insert_customer(db, staff, data, draft.branch_code, tariff.strips, now,
                                       login=choice.username or None)
        _insert_card(db, staff, data, customer_id, now)
        status = PeriodStatus.NEW if build.balance_cents > 0 else PeriodStatus.NORMAL
        subscriptions.write_period(
            db, customer_id=customer_id, tariff=tariff, period=period, build=build,
            instance=subscriptions.MAIN_INSTANCE, branch_code=draft.branch_code, status=status,
            now=now, staff_id=staff.id, due_date=today)
        drafts.set_status(db, draft_id, "done", now=now, customer_id=customer_id)
        # The guardian first: the activation mail of a minor goes to the guardian.
        privacy.register_privacy(db, clock, staff, customer_id, data, config)
        outcome = complete(db, clock, config, staff, customer_id, choice)
    return Created(customer_id, outcome)


def _insert_customer(db: Database, staff: Staff, data: CustomerData, branch: str, strips: int,
                     now: dt.datetime, *, login: str | None) -> int:
    """The customer row and its main address, with their audit rows."""
    today = now.date()
    stamp = now.isoformat(timespec="seconds")
    values: dict[str, object] = {
        "actor_id": reg_store.next_actor_id(db),
        "kind": data.kind,
        "gender": data.gender,
        "initials": data.initials,
        "prefix": data.prefix,
        "surname": data.surname,
        "first_name": data.first_name,
        "search_name": names.search_key(data.surname),
        "birth_date": data.birth_date.isoformat(),
        "phone": data.phone,
        "sms": data.sms,
        "email": data.email,
        "newsletter": int(data.newsletter),
        "id_checked": int(data.id_checked),
        "use_login": int(data.use_login),
        "loan_history": int(data.loan_history),
        "notify_loaned_before": int(data.notify_loaned_before),
        "selection": data.selection,
        "branch_code": branch,
        "registered_on": today.isoformat(),
        "last_activity": today.isoformat(),
        "strips": strips,
        "created_at": stamp,
        "updated_at": stamp,
    }
    customer_id = reg_store.insert_customer(db, values)
    after = {k: v for k, v in values.items() if k not in ("created_at", "updated_at")}
    if login:
        after["login"] = login
    audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="customer",
                entity_id=customer_id, action="insert", after=after)
    address: dict[str, object] = {
        "street": data.street, "house_number": data.house_number,
        "house_suffix": data.house_suffix, "postcode": data.postcode, "place": data.place,
        "country": data.country, "verified": int(data.address_verified),
        "region": data.region,
    }
    reg_store.insert_address(db, customer_id, "hoofdadres", address)
    audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="address",
                entity_id=f"{customer_id}/hoofdadres", action="insert", after=address)
    return customer_id


def _insert_card(db: Database, staff: Staff, data: CustomerData, customer_id: int,
                 now: dt.datetime) -> None:
    """The customer's card, active; its "V" reservation released."""
    today = now.date()
    card = cards.parse(data.card_number)
    card_id = reg_store.insert_card(db, number=card.number, customer_id=customer_id,
                                    branch_code=card.branch_code, issued_on=today)
    released = reg_store.release_reservation(db, card.number)
    audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id, entity="card",
                entity_id=card_id, action="insert",
                after={"number": card.number, "status": "actief", "issued_on": today,
                       "issued_by_system": data.card_issued_by_system,
                       "reservation_released": released})
