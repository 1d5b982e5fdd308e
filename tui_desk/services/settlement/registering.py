"""Registreren: the amount stays open, collected by direct debit or asked for by letter."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import SettlementError
from tui_desk.services.settlement.session import (
    LETTER_KIND,
    PAY_DIRECTLY_MESSAGE,
    SettlementSession,
    _items,
    _library_name,
    _outstanding,
    _payable,
    _resolve,
    refresh,
)
from tui_desk.store import audit, outbox
from tui_desk.store import settlement as store
from tui_desk.store.db import Database
from tui_desk.store.settlement import OpenItem

# The contribution letter's sentences: (part, Dutch, English). Filled in: {library}, {amount},
# {name}, {child} (the minor the letter is about, to the ouder/verzorger), {card}.
_LETTER = {part: {"nl": nl, "en": en} for part, nl, en in (
    ("subject", "Contributie {library}: {amount} te betalen",
     "Membership fee {library}: {amount} to pay"),
    ("greeting", "Beste {name},", "Dear {name},"),
    ("greeting_guardian", "Beste {name} (ouder/verzorger van {child}),", "Dear {name},"),
    ("intro", "Welkom als lid van {library}. Voor uw abonnement staat nog een bedrag open:",
     "Welcome to {library}. An amount is still open for the membership:"),
    ("intro_guardian", "Welkom als lid van {library}. Voor uw abonnement staat nog een bedrag "
     "open:", "Welcome to {library}. An amount is still open for the membership of {child}:"),
    ("total", "Totaal", "Total"),
    ("pay", "U kunt dit bedrag betalen aan de balie van de bibliotheek, contant of met PIN.",
     "You can pay this amount at the library desk, in cash or by debit card."),
    ("card", "Noem daarbij uw pasnummer {card}.", "Please mention card number {card}."),
    ("regards", "Met vriendelijke groet,", "Kind regards,"),
)}


# -- registering ---------------------------------------------------------------------------------
INCASSO, EMAIL, POST = "incasso", "email", "post"


@dataclass(frozen=True)
class RegisterResult:
    channel: str                 # incasso | email | post
    letter_id: int | None
    mail_id: int | None
    amount_cents: int
    message: str
    session: SettlementSession


def letter_text(library_name: str, customer_name: str, card_number: str,
                lines: Sequence[tuple[str, int]], total_cents: int,
                day: dt.date, *, child_name: str = "", language: str = "nl") -> tuple[str, str]:
    """(subject, body) of a contribution letter (contributiebrief); with ``child_name`` to the
    ouder/verzorger of a minor, with ``language="en"`` in English."""
    values = {"library": library_name, "amount": format_cents(total_cents),
              "name": customer_name, "child": child_name, "card": card_number}

    def say(part: str) -> str:
        return _LETTER[part]["en" if language == "en" else "nl"].format(**values)

    guardian = "_guardian" if child_name else ""
    width = max([len(text) for text, _ in lines] + [6])
    body = [f"{show(day)}", "", say("greeting" + guardian), "", say("intro" + guardian), ""]
    body += [f"  {text:<{width}}  {format_cents(cents):>12}" for text, cents in lines]
    body += [f"  {say('total'):<{width}}  {format_cents(total_cents):>12}", "", say("pay"),
             say("card") if card_number else "", "", say("regards"), "", library_name, ""]
    return say("subject"), "\n".join(body)


def _letter(db: Database, now: dt.datetime, staff: Staff, customer_id: int, customer_name: str,
            library_name: str, payer: store.PayerRow, found: Sequence[OpenItem], total: int,
            session_id: str, privacy_settings: Any = None) -> tuple[str, int, int | None, str]:
    """Make the contribution letter for ``found``: queued in the outbox when there is an
    e-mail address, else listed for the postal batch. Returns (channel, letter id, mail id,
    message). Call inside the action's transaction. A minor's letter goes to the
    ouder/verzorger; e-mail or post and the language as the customer prefers."""
    from tui_desk.services.privacy import recipient

    to = recipient(db, now.date(), customer_id, "contributie", privacy_settings)
    email = to.email.strip() if to.by_email else ""
    channel = EMAIL if email else POST
    mail_id = None
    subject, body = letter_text(
        library_name, to.name if to.guardian else customer_name, payer.card_number,
        [(i.description or f"Factuur {i.id}", i.outstanding_cents) for i in found],
        total, now.date(), child_name=customer_name if to.guardian else "",
        language=to.language)
    if channel == EMAIL:
        mail_id = outbox.enqueue(db, now=now, to_addr=email, subject=subject, body_text=body,
                                 kind=LETTER_KIND, customer_id=customer_id)
        message = (f"{format_cents(total)} geregistreerd. De contributiebrief gaat per "
                   f"e-mail naar {email}.")
    else:
        why = "Per post gewenst" if to.email else "Geen e-mailadres"
        message = (f"{format_cents(total)} geregistreerd. {why}: de "
                   "contributiebrief gaat met de volgende postbatch mee.")
    letter_id = store.insert_letter(
        db, customer_id=customer_id, amount_cents=total, created_at=now, channel=channel,
        to_addr=email if channel == EMAIL else "", subject=subject, body_text=body,
        mail_id=mail_id, staff_id=staff.id)
    audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                entity="contribution_letter", entity_id=letter_id, action="insert",
                after={"channel": channel, "amount_cents": total, "mail_id": mail_id,
                       "to_addr": email if channel == EMAIL else "", "session_id": session_id})
    return channel, letter_id, mail_id, message


def register_without_mandate(db: Database, clock: Clock, staff: Staff, customer_id: int, *,
                             config: Config | None = None) -> str:
    """Step 5 left without a mandate, the customer pays by contribution letter after all:
    everything of the customer's contributie still open (not in a collection file, not paid)
    is registered with a letter; amounts registered for incasso in step 4 ("de machtiging
    volgt") move to it. An open ``machtiging`` follow-up is closed. One transaction; returns
    the message for the screen."""
    from tui_desk.services import followups

    now = clock.now()
    with db.transaction():
        payer = store.payer(db, customer_id)
        if payer is None:
            raise SettlementError(f"Klant {customer_id} bestaat niet (meer).")
        found, collected = _items(db, customer_id, None)
        open_items = [i for i in _payable(found, collected)
                      if i.kind == "contributie" and i.outstanding_cents > 0]
        total = sum(i.outstanding_cents for i in open_items)
        message = "Geen incasso: er staat niets open, er gaat geen contributiebrief uit."
        letter_id = None
        if total:
            name = names.display_name(payer.initials, payer.prefix, payer.surname)
            session_id = uuid.uuid4().hex
            _channel, letter_id, _mail, message = _letter(
                db, now, staff, customer_id, name, _library_name(config), payer, open_items, total,
                session_id, config.privacy if config else None)
            store.move_registrations_to_letter(
                db, [i.id for i in open_items if i.registered], letter_id)
            for item in open_items:
                if item.registered:
                    continue
                reg_id = store.insert_registration(
                    db, customer_id=customer_id, invoice_id=item.id,
                    amount_cents=item.outstanding_cents, collection="brief",
                    letter_id=letter_id, staff_id=staff.id, at=now, session_id=session_id)
                audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                            entity="open_registration", entity_id=reg_id, action="insert",
                            after={"invoice_id": item.id, "amount_cents": item.outstanding_cents,
                                   "collection": "brief", "letter_id": letter_id})
        audit.write(db, at=now, staff_id=staff.id, customer_id=customer_id,
                    entity="registration", entity_id=customer_id, action="no_mandate",
                    after={"amount_cents": total, "letter_id": letter_id})
        followups.close_without_mandate(db, clock, staff, customer_id)
        followups.resolve(db, now, customer_id, staff_id=staff.id)
    return message


def register_open(db: Database, clock: Clock, staff: Staff,
                  current: SettlementSession, privacy_settings: Any = None) -> RegisterResult:
    """Registreren: what is open in the session stays open on the customer. With an active
    direct-debit mandate it is collected by incasso; otherwise a contribution letter is made:
    queued in the mail outbox (same transaction; nothing waits on SMTP) when the customer has
    an e-mail address, else listed for the postal batch. One transaction with audit rows."""
    now = clock.now()
    with db.transaction():
        found, open_items, total = _outstanding(db, clock, staff, current,
                                               nothing="Er staat niets open om te registreren.")
        if store.pay_directly_invoice_ids(db, [i.id for i in open_items]):
            raise SettlementError(PAY_DIRECTLY_MESSAGE)
        payer = store.payer(db, current.customer_id)
        assert payer is not None
        letter_id = mail_id = None
        if store.has_active_mandate(db, current.customer_id) or current.mandate_follows:
            channel = INCASSO
            message = (f"{format_cents(total)} geregistreerd: het bedrag wordt via "
                       "automatische incasso geïnd.")
            if current.mandate_follows and not store.has_active_mandate(db, current.customer_id):
                message += " De incassomachtiging volgt in de volgende stap."
        else:
            channel, letter_id, mail_id, message = _letter(
                db, now, staff, current.customer_id, current.customer_name,
                current.library_name, payer, found, total, current.id, privacy_settings)
        collection = INCASSO if channel == INCASSO else "brief"
        for item in open_items:
            reg_id = store.insert_registration(
                db, customer_id=current.customer_id, invoice_id=item.id,
                amount_cents=item.outstanding_cents, collection=collection,
                letter_id=letter_id, staff_id=staff.id, at=now, session_id=current.id)
            audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                        entity="open_registration", entity_id=reg_id, action="insert",
                        after={"invoice_id": item.id, "amount_cents": item.outstanding_cents,
                               "collection": collection, "letter_id": letter_id,
                               "session_id": current.id})
        _resolve(db, now, current.customer_id, staff)
    return RegisterResult(channel, letter_id, mail_id, total, message, refresh(db, current))


def postal_batch(db: Database) -> list[store.LetterRow]:
    """Contribution letters waiting for the postal batch (customers without e-mail)."""
    return store.postal_pending(db)


def mark_postal_printed(db: Database, clock: Clock, letter_ids: Sequence[int],
                        batch: str) -> int:
    """The postal batch ``batch`` printed these letters; returns how many it marked."""
    now = clock.now()
    with db.transaction():
        count = store.mark_printed(db, letter_ids, batch, now)
        audit.write(db, at=now, staff_id=None, entity="postal_batch", entity_id=batch,
                    action="printed", after={"letter_ids": list(letter_ids), "count": count})
    return count
