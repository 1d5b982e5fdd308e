"""Step 4 of the registration (Afrekenen nieuwe lener) and Financieel ▸ Kas, without a screen.

- ``session``: what the screen shows — the customer, the register (Ontvangstwijze Kas <branch>
  or PIN), Sessie (what the session's invoices came to when it opened), Te ontvangen (what is
  still open), what the register took in this session.
- ``pay``: a cash or PIN payment, whole or in part, spread over the open invoices oldest first;
  returns the change and the receipt (``Receipt``) for the printer service.
- ``waive`` (Kwijtschelden, with a reason; staff with a waive role only) and ``register_open``
  (Registreren: the amount stays open, collected by direct debit when the customer has an active
  mandate, else asked for with a contribution letter — by e-mail through the outbox, or listed
  for the postal batch when there is no e-mail address).
- ``cash_summary`` and ``cash_up``: a register's totals per method and the kasopmaak.

Each action is ONE transaction with its audit rows; it re-reads the invoices inside it, so a
second counter settling the same customer at the same moment cannot make it pay twice.

Registreren leaves ``customers.balance_cents`` (tegoed, a credit) alone: what a customer owes is
computed from the open invoices (``open_amounts``): ``registered_cents`` is Wise's "registratie".

An invoice that a SEPA collection file holds (exported for direct debit, ``collections``) is
the bank's to collect: the session lists it as "wordt geïncasseerd", but it is not in Te
ontvangen and no payment, set-off, waiver or registration touches it. It still counts in what
the customer owes (``open_amounts``) until it is settled.

Configuration, all optional (``[settlement]`` in the config file, parsed by ``config.load``
into ``Config.settlement``)::

    [settlement]
    waive_roles = ["beheer"]     # roles that may use Kwijtschelden
    opening_float = "100,00"     # cash in a drawer before its first cash-up (wisselgeld)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tui_desk.clock import Clock
from tui_desk.config import Config, SettlementSettings, Workstation
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.rules import settlement as rules
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.settlement import KAS, PIN, SettlementError, WaiveReason
from tui_desk.store import audit, outbox
from tui_desk.store import settlement as store
from tui_desk.store.db import Database
from tui_desk.store.settlement import MethodTotals, OpenItem, RegisterRow

PIN_LABEL = "PIN"
HINT = ("F10=Afrekenen, vul e.v. bedrag in voor teruggave-hulp · "
        "2x Enter=Naar kwijtschelden of registreren")
FREE_MESSAGE = "Gratis abonnement: er hoeft niets betaald te worden."
DONE_MESSAGE = "Alles is afgerekend."
NOTHING_OPEN_MESSAGE = "Er staat voor deze klant niets open."
COLLECTED_NOTE = "wordt geïncasseerd"
COLLECTED_MESSAGE = ("Wat nog openstaat, wordt via automatische incasso geïnd: aan de balie is "
                     "niets te ontvangen.")
LETTER_KIND = "contributiebrief"
PAY_DIRECTLY_MESSAGE = ("Maandabonnement: abonnementsgeld altijd direct betalen. Registreren "
                        "of incasso kan niet; reken af of scheld kwijt.")
MAX_NOTE = 200


class SettlementRefused(SettlementError):
    """The person may not do this (Kwijtschelden without the permission); Dutch message."""


# -- configuration -------------------------------------------------------------------------------
DEFAULT_LIBRARY_NAME = "De bibliotheek"


def settings(config: Config | None) -> SettlementSettings:
    """``[settlement]`` of the configuration, parsed and checked by ``config.load``; the
    defaults without a configuration."""
    return config.settlement if config is not None else SettlementSettings()


def _library_name(config: Config | None) -> str:
    return config.library.name if config is not None else DEFAULT_LIBRARY_NAME


def waive_reasons() -> list[WaiveReason]:
    """The reasons for Kwijtschelden (``data/waive_reasons.toml``), in the file's order."""
    return list(rules.default_waive_reasons().values())


def may_waive(staff: Staff, config: Config | None = None) -> bool:
    """Whether this staff member may use Kwijtschelden."""
    return rules.may_waive(staff.roles, settings(config).waive_roles)


# -- the register --------------------------------------------------------------------------------
def resolve_register(db: Database, staff: Staff, workstation: Workstation | None = None,
                     config: Config | None = None) -> RegisterRow:
    """The register a session uses: the workstation's, else the first of the staff member's
    branch (in the configuration's order)."""
    if workstation is not None and workstation.register:
        found = store.register_by_name(db, workstation.register)
        if found is not None:
            return found
    names_in_order: tuple[str, ...] = ()
    if config is not None:
        branch = config.branch(staff.branch_code)
        names_in_order = branch.registers if branch else ()
    for name in names_in_order:
        found = store.register_by_name(db, name)
        if found is not None:
            return found
    registers = store.registers_of_branch(db, staff.branch_code)
    if not registers:
        raise SettlementError(f"Vestiging {staff.branch_code} heeft geen kas. Vraag de beheerder "
                              "een kas in te stellen.")
    return registers[0]


def branch_registers(db: Database, staff: Staff, workstation: Workstation | None = None,
                     config: Config | None = None) -> list[RegisterRow]:
    """The registers Financieel ▸ Kas offers: the session's register first, then the other
    registers of the staff member's branch."""
    first = resolve_register(db, staff, workstation, config)
    return [first] + [r for r in store.registers_of_branch(db, staff.branch_code)
                      if r.id != first.id]


def _register(db: Database, register: RegisterRow | str | int) -> RegisterRow:
    if isinstance(register, RegisterRow):
        return register
    found = (store.register_by_id(db, register) if isinstance(register, int)
             else store.register_by_name(db, register))
    if found is None:
        raise SettlementError(f"Kas {register} bestaat niet.")
    return found


# -- the session ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionLine:
    """One invoice (or credit note) of the session: Specificaties."""

    invoice_id: int
    description: str
    kind: str
    outstanding_cents: int
    registered: bool
    # in a SEPA collection file: the bank collects it, the desk does not (not in Te ontvangen)
    collected: bool = False

    @property
    def note(self) -> str:
        """What the Specificaties add to the line: ``wordt geïncasseerd``, ``geregistreerd``."""
        if self.collected:
            return COLLECTED_NOTE
        return "geregistreerd" if self.registered else ""


@dataclass(frozen=True)
class SettlementSession:
    id: str
    customer_id: int
    customer_name: str
    card_number: str
    email: str
    register: RegisterRow
    # the invoices the session is about; None: every open invoice of the customer
    invoice_ids: tuple[int, ...] | None
    lines: tuple[SessionLine, ...]
    session_cents: int       # Sessie: what the session's invoices came to when it opened
    due_cents: int           # Te ontvangen: still open now
    received_cents: int      # taken in at the register in this session (Kas Annen €)
    waived_cents: int
    registered_cents: int
    library_name: str
    may_waive: bool
    waive_roles: tuple[str, ...]
    staff_name: str
    # In the wizard with Sepa incasso ticked the mandate is taken in step 5, after this one:
    # what is registered now will be collected by direct debit, not asked for by letter.
    mandate_follows: bool = False
    # A tariff that is always paid at once (0091 Maandabonnement, "abonnementsgeld altijd
    # direct betalen"): Registreren and direct debit are not offered.
    pay_directly: bool = False

    @property
    def may_register(self) -> bool:
        """Whether Registreren (leave the amount open) is offered."""
        return not self.pay_directly

    @property
    def register_name(self) -> str:
        return self.register.name

    @property
    def methods(self) -> tuple[tuple[str, str], ...]:
        """Ontvangstwijze: (method, label), the register first."""
        return ((KAS, self.register.name), (PIN, PIN_LABEL))

    def method_label(self, method: str) -> str:
        return dict(self.methods).get(method, method)

    @property
    def free(self) -> bool:
        """A registration that made no invoice (a free subscription): no payment needed."""
        return self.invoice_ids is not None and not self.invoice_ids

    @property
    def nothing_due(self) -> bool:
        return self.due_cents == 0

    @property
    def message(self) -> str:
        """What the screen says when there is nothing to pay; "" when there is."""
        if self.free:
            return FREE_MESSAGE
        if self.due_cents == 0:
            if self.session_cents == 0 and any(line.collected for line in self.lines):
                return COLLECTED_MESSAGE
            return NOTHING_OPEN_MESSAGE if self.session_cents == 0 else DONE_MESSAGE
        return ""


def _items(db: Database, customer_id: int,
           invoice_ids: Sequence[int] | None) -> tuple[list[OpenItem], frozenset[int]]:
    """The open items of a session and the ids of those a SEPA collection file holds
    (``store.mandates.collected_invoice_ids``): the bank collects those, so the desk must not
    charge, set off, waive or register them — they are not part of Te ontvangen."""
    from tui_desk.store import mandates as mandate_store

    found = store.items(db, customer_id, invoice_ids)
    if not found:
        return found, frozenset()
    collected = mandate_store.collected_invoice_ids(db, customer_id)
    return found, frozenset(i.id for i in found if i.id in collected)


def _payable(found: Sequence[OpenItem], collected: frozenset[int]) -> list[OpenItem]:
    return [i for i in found if i.id not in collected]


def _lines(found: Sequence[OpenItem], collected: frozenset[int]) -> tuple[SessionLine, ...]:
    return tuple(SessionLine(i.id, i.description, i.kind, i.outstanding_cents, i.registered,
                             i.id in collected)
                 for i in found if i.outstanding_cents != 0)


def session(db: Database, clock: Clock, staff: Staff, customer_id: int,
            workstation: Workstation | None = None, *,
            invoice_ids: Sequence[int] | None = None,
            config: Config | None = None, mandate_follows: bool = False) -> SettlementSession:
    """Open a settlement session for the customer.

    ``invoice_ids``: the invoices of this session — for a new registration those its step 3
    created (``Registered.open_invoice_ids``; empty for a free subscription); None: every open
    invoice of the customer (paying later at the counter).
    """
    payer = store.payer(db, customer_id)
    if payer is None:
        raise SettlementError(f"Klant {customer_id} bestaat niet (meer).")
    conf = settings(config)
    register = resolve_register(db, staff, workstation, config)
    ids = None if invoice_ids is None else tuple(invoice_ids)
    found, collected = _items(db, customer_id, ids)
    due = rules.net_due(i.outstanding_cents for i in _payable(found, collected))
    pay_directly = bool(store.pay_directly_invoice_ids(
        db, [i.id for i in _payable(found, collected) if i.outstanding_cents > 0]))
    return SettlementSession(
        id=uuid.uuid4().hex, customer_id=customer_id,
        customer_name=names.display_name(payer.initials, payer.prefix, payer.surname),
        card_number=payer.card_number, email=payer.email, register=register, invoice_ids=ids,
        lines=_lines(found, collected), session_cents=due, due_cents=due, received_cents=0,
        waived_cents=0, registered_cents=0, library_name=_library_name(config),
        may_waive=rules.may_waive(staff.roles, conf.waive_roles), waive_roles=conf.waive_roles,
        staff_name=staff.name, mandate_follows=mandate_follows and not pay_directly,
        pay_directly=pay_directly,
    )


def refresh(db: Database, current: SettlementSession) -> SettlementSession:
    """The session as the database has it now (Sessie stays what it was)."""
    found, collected = _items(db, current.customer_id, current.invoice_ids)
    paid, waived, registered = store.session_totals(db, current.id)
    return replace(current, lines=_lines(found, collected),
                   due_cents=rules.net_due(i.outstanding_cents
                                           for i in _payable(found, collected)),
                   received_cents=paid, waived_cents=waived, registered_cents=registered)


def _open_items(db: Database, clock: Clock, staff: Staff,
                current: SettlementSession) -> list[OpenItem]:
    """Inside the action's transaction: set open credit notes off against the session's
    invoices, then the items as they are now. Invoices in a collection file are left out
    (``_items``)."""
    found, collected = _items(db, current.customer_id, current.invoice_ids)
    found = _payable(found, collected)
    offs = rules.set_off_credits([(i.id, i.outstanding_cents) for i in found])
    if not offs:
        return [i for i in found if i.outstanding_cents != 0]
    now = clock.now()
    for credit_id, invoice_id, cents in offs:
        set_off_id = store.insert_set_off(db, credit_invoice_id=credit_id, invoice_id=invoice_id,
                                          amount_cents=cents, at=now, staff_id=staff.id)
        audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                    entity="credit_set_off", entity_id=set_off_id, action="insert",
                    after={"credit_invoice_id": credit_id, "invoice_id": invoice_id,
                           "amount_cents": cents, "session_id": current.id})
    found = _payable(store.items(db, current.customer_id, current.invoice_ids), collected)
    for item in found:
        if item.outstanding_cents == 0:
            status = "paid" if item.kind == "creditnota" else "credited"
            _settle(db, item, status, now, staff, current)
    return [i for i in found if i.outstanding_cents != 0]


def _resolve(db: Database, now: dt.datetime, customer_id: int, staff: Staff) -> None:
    """A registration kept open for its first amount is complete once it is settled."""
    from tui_desk.services import followups

    followups.resolve(db, now, customer_id, staff_id=staff.id)


def _settle(db: Database, item: OpenItem, status: str, now: dt.datetime, staff: Staff,
            current: SettlementSession) -> None:
    store.settle_invoice(db, item.id, status, now)
    audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                entity="invoice", entity_id=item.id, action="update",
                before={"status": "open"},
                after={"status": status, "settled_at": now, "session_id": current.id})


# -- paying ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptLine:
    text: str
    amount_cents: int


@dataclass(frozen=True)
class Receipt:
    """The kassabon of one payment; the screen hands it to the printer service."""

    library_name: str
    branch_name: str
    register_name: str
    staff_name: str
    customer_name: str
    card_number: str
    lines: tuple[ReceiptLine, ...]
    total_cents: int
    method: str                  # kas | pin
    method_label: str            # Kas Annen | PIN
    tendered_cents: int | None   # cash handed over
    change_cents: int
    remaining_cents: int         # still open after this payment
    at: dt.datetime
    payment_id: int
    customer_id: int

    def text_lines(self, width: int = 42) -> list[str]:
        """The receipt as plain lines of at most ``width`` characters (preview, print job)."""

        def row(left: str, cents: int) -> str:
            amount = format_cents(cents)
            return f"{left[:width - len(amount) - 1]:<{width - len(amount)}}{amount}"

        out = [self.library_name[:width], f"{self.branch_name} · {self.register_name}"[:width],
               f"{show(self.at.date())} {self.at:%H:%M}  {self.staff_name}"[:width], "",
               f"Klant: {self.customer_name}"[:width], f"Pas: {self.card_number}"[:width], ""]
        out += [row(line.text, line.amount_cents) for line in self.lines]
        out += ["-" * width, row("Totaal", self.total_cents), row(self.method_label,
                                                                   self.tendered_cents
                                                                   or self.total_cents)]
        if self.method == KAS:
            out.append(row("Teruggave", self.change_cents))
        if self.remaining_cents:
            out.append(row("Nog open", self.remaining_cents))
        return out


@dataclass(frozen=True)
class PaymentResult:
    payment_id: int
    change_cents: int
    remaining_cents: int
    receipt: Receipt
    session: SettlementSession
    # why the receipt sink failed ("" when it did not): the payment itself is recorded
    receipt_error: str = ""


def pay(db: Database, clock: Clock, staff: Staff, current: SettlementSession, method: str,
        amount_cents: int, tendered_cents: int | None = None, *,
        receipt_sink: Callable[[Receipt], None] | None = None) -> PaymentResult:
    """Receive ``amount_cents`` (at most what is open) by ``kas`` or ``pin``; with cash the
    amount handed over gives the change. Less than what is open is a part payment: the rest
    stays open. One transaction: the payment at the session's register, its allocation to the
    invoices (oldest first), invoices fully paid marked paid, audit rows. The receipt goes to
    ``receipt_sink`` (if given) after the commit, and is returned; a sink that fails does not
    undo the payment: its error is in ``receipt_error``."""
    now = clock.now()
    with db.transaction():
        found = _open_items(db, clock, staff, current)
        due = rules.net_due(i.outstanding_cents for i in found)
        checked = rules.check_payment(method, due, amount_cents, tendered_cents)
        payment_id = store.insert_payment(
            db, customer_id=current.customer_id, register_id=current.register.id,
            method=checked.method, amount_cents=checked.amount_cents,
            tendered_cents=checked.tendered_cents, change_cents=checked.change_cents,
            staff_id=staff.id, at=now, session_id=current.id)
        by_id = {i.id: i for i in found}
        lines = []
        for invoice_id, cents in rules.allocate(
                checked.amount_cents, [(i.id, i.outstanding_cents) for i in found]):
            store.insert_allocation(db, payment_id, invoice_id, cents)
            item = by_id[invoice_id]
            lines.append(ReceiptLine(item.description or f"Factuur {invoice_id}", cents))
            if cents == item.outstanding_cents:
                _settle(db, item, "paid", now, staff, current)
        audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                    entity="payment", entity_id=payment_id, action="insert",
                    after={"register": current.register.name, "method": checked.method,
                           "amount_cents": checked.amount_cents,
                           "tendered_cents": checked.tendered_cents,
                           "change_cents": checked.change_cents,
                           "remaining_cents": checked.remaining_cents,
                           "allocations": [(line.text, line.amount_cents) for line in lines],
                           "session_id": current.id})
        _resolve(db, now, current.customer_id, staff)
    receipt = Receipt(
        library_name=current.library_name, branch_name=current.register.branch_name,
        register_name=current.register.name, staff_name=staff.name,
        customer_name=current.customer_name, card_number=current.card_number,
        lines=tuple(lines), total_cents=checked.amount_cents, method=checked.method,
        method_label=current.method_label(checked.method),
        tendered_cents=checked.tendered_cents, change_cents=checked.change_cents,
        remaining_cents=checked.remaining_cents, at=now, payment_id=payment_id,
        customer_id=current.customer_id,
    )
    error = ""
    if receipt_sink is not None:
        try:
            receipt_sink(receipt)
        except Exception as exc:
            error = f"De kassabon is niet afgedrukt: {exc}"
    return PaymentResult(payment_id, checked.change_cents, checked.remaining_cents, receipt,
                         refresh(db, current), error)


def preview(current: SettlementSession, method: str, text: str) -> rules.Payment | None:
    """What F10 would do with the amount field as typed (the teruggave-hulp); None when
    nothing is due. Raises SettlementError (Dutch) for an amount that cannot be paid."""
    if current.due_cents == 0:
        return None
    return rules.payment_for_typed(method, current.due_cents, rules.parse_amount(text))


def pay_typed(db: Database, clock: Clock, staff: Staff, current: SettlementSession, method: str,
              text: str, *, receipt_sink: Callable[[Receipt], None] | None = None
              ) -> PaymentResult:
    """F10 with the amount field as typed: for cash the amount handed over (empty: exactly
    what is due), for PIN the amount paid (empty: what is due)."""
    planned = preview(current, method, text)
    if planned is None:
        raise SettlementError("Er is niets te ontvangen.")
    return pay(db, clock, staff, current, planned.method, planned.amount_cents,
               planned.tendered_cents, receipt_sink=receipt_sink)


# -- waiving --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaiveResult:
    waived_cents: int
    waiver_ids: tuple[int, ...]
    message: str
    session: SettlementSession


def waive_refusal(current: SettlementSession) -> str | None:
    """Why the signed-in staff member may not use Kwijtschelden; None when they may."""
    if current.may_waive:
        return None
    roles = " of ".join(current.waive_roles)
    return (f"Kwijtschelden mag alleen door een medewerker met de rol {roles}. "
            "Kies Registreren of vraag een collega.")


def waive(db: Database, clock: Clock, staff: Staff, current: SettlementSession,
          reason_code: str, note: str = "") -> WaiveResult:
    """Kwijtschelden: waive everything still open in the session, with a reason from
    ``waive_reasons()``. Only for staff with a waive role (default beheer); refused otherwise
    with the reason (SettlementRefused). Booked as waivers, one per invoice, apart from
    payments; the invoices become waived. One transaction with audit rows."""
    if not rules.may_waive(staff.roles, current.waive_roles):
        raise SettlementRefused(waive_refusal(replace(current, may_waive=False)) or "")
    reasons = rules.default_waive_reasons()
    reason = reasons.get(reason_code.strip().upper())
    if reason is None:
        raise SettlementError(f"Onbekende reden voor kwijtschelden: {reason_code!r}.")
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise SettlementError(f"De toelichting is te lang: maximaal {MAX_NOTE} tekens.")
    now = clock.now()
    ids = []
    with db.transaction():
        found = _open_items(db, clock, staff, current)
        open_items = [i for i in found if i.outstanding_cents > 0]
        total = rules.net_due(i.outstanding_cents for i in found)
        if total == 0:
            raise SettlementError("Er staat niets open om kwijt te schelden.")
        for item in open_items:
            waiver_id = store.insert_waiver(
                db, customer_id=current.customer_id, invoice_id=item.id,
                amount_cents=item.outstanding_cents, reason_code=reason.code,
                reason=reason.label, note=text, staff_id=staff.id, at=now,
                session_id=current.id)
            ids.append(waiver_id)
            audit.write(db, at=now, staff_id=staff.id, customer_id=current.customer_id,
                        entity="waiver", entity_id=waiver_id, action="insert",
                        after={"invoice_id": item.id, "amount_cents": item.outstanding_cents,
                               "reason_code": reason.code, "reason": reason.label,
                               "note": text, "session_id": current.id})
            _settle(db, item, "waived", now, staff, current)
        _resolve(db, now, current.customer_id, staff)
    message = f"{format_cents(total)} kwijtgescholden ({reason.label})."
    return WaiveResult(total, tuple(ids), message, refresh(db, current))


def _letter_text_en(library_name: str, customer_name: str, card_number: str,
                    lines: Sequence[tuple[str, int]], total_cents: int, day: dt.date,
                    child_name: str) -> tuple[str, str]:
    subject = f"Membership fee {library_name}: {format_cents(total_cents)} to pay"
    width = max([len(text) for text, _ in lines] + [6])
    whose = f" of {child_name}" if child_name else ""
    body = [f"{show(day)}", "", f"Dear {customer_name},", "",
            f"Welcome to {library_name}. An amount is still open for the membership{whose}:", ""]
    body += [f"  {text:<{width}}  {format_cents(cents):>12}" for text, cents in lines]
    body += [f"  {'Total':<{width}}  {format_cents(total_cents):>12}", "",
             "You can pay this amount at the library desk, in cash or by debit card.",
             f"Please mention card number {card_number}." if card_number else "",
             "", "Kind regards,", "", library_name, ""]
    return subject, "\n".join(body)


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
    if language == "en":
        return _letter_text_en(library_name, customer_name, card_number, lines, total_cents,
                               day, child_name)
    if child_name:
        customer_name = f"{customer_name} (ouder/verzorger van {child_name})"
    subject = f"Contributie {library_name}: {format_cents(total_cents)} te betalen"
    width = max([len(text) for text, _ in lines] + [6])
    body = [f"{show(day)}", "", f"Beste {customer_name},", "",
            f"Welkom als lid van {library_name}. Voor uw abonnement staat nog een bedrag "
            "open:", ""]
    body += [f"  {text:<{width}}  {format_cents(cents):>12}" for text, cents in lines]
    body += [f"  {'Totaal':<{width}}  {format_cents(total_cents):>12}", "",
             "U kunt dit bedrag betalen aan de balie van de bibliotheek, contant of met PIN.",
             f"Noem daarbij uw pasnummer {card_number}." if card_number else "",
             "", "Met vriendelijke groet,", "", library_name, ""]
    return subject, "\n".join(body)


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
        found = _open_items(db, clock, staff, current)
        open_items = [i for i in found if i.outstanding_cents > 0]
        total = rules.net_due(i.outstanding_cents for i in found)
        if total == 0:
            raise SettlementError("Er staat niets open om te registreren.")
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


@dataclass(frozen=True)
class OpenAmounts:
    """What the customer owes, for the record header: contributie still open and the part of
    it that is registered (Wise's "registratie"); and the credit that open credit notes hold
    beyond what is owed (part of the tegoed: not paid out, set off against a later invoice)."""

    outstanding_cents: int
    registered_cents: int
    credit_cents: int = 0


def open_amounts(db: Database, customer_id: int) -> OpenAmounts:
    """The customer's open amounts (computed from the invoices; ``customers.balance_cents``
    is not touched). The one place that says what is still owed."""
    found = store.items(db, customer_id)
    total = sum(i.outstanding_cents for i in found)
    return OpenAmounts(rules.net_due(i.outstanding_cents for i in found),
                       max(0, sum(i.outstanding_cents for i in found if i.registered)),
                       max(0, -total))


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


# -- the register: totals and cash-up -------------------------------------------------------------
@dataclass(frozen=True)
class CashSummary:
    register: RegisterRow
    day: dt.date
    per_method: dict[str, MethodTotals]

    @property
    def cash(self) -> MethodTotals:
        return self.per_method[KAS]

    @property
    def pin(self) -> MethodTotals:
        return self.per_method[PIN]

    @property
    def total_cents(self) -> int:
        return sum(t.amount_cents for t in self.per_method.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """(label, count, amount) per method, as Financieel ▸ Kas lists them."""
        return [(self.register.name, self.cash.count, self.cash.amount_cents),
                (PIN_LABEL, self.pin.count, self.pin.amount_cents)]


def cash_summary(db: Database, clock: Clock, register: RegisterRow | str | int,
                 day: dt.date | None = None) -> CashSummary:
    """A register's payments of one day (default today) per method."""
    reg = _register(db, register)
    day = day or clock.today()
    start = dt.datetime.combine(day, dt.time(0, 0))
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    before = start - dt.timedelta(seconds=1)
    return CashSummary(reg, day, store.totals_between(db, reg.id, before, end))


@dataclass(frozen=True)
class CashUpPreview:
    """What the drawer should hold now: since the previous cash-up (or ever)."""

    register: RegisterRow
    since: dt.datetime | None
    opening_float_cents: int
    cash_in_cents: int
    change_out_cents: int
    expected_cents: int
    pin_cents: int


@dataclass(frozen=True)
class CashUpResult:
    id: int
    expected_cents: int
    counted_cents: int
    difference_cents: int
    float_after_cents: int
    message: str
    preview: CashUpPreview


def cash_up_preview(db: Database, clock: Clock, register: RegisterRow | str | int, *,
                    config: Config | None = None) -> CashUpPreview:
    """The expected cash of a register: the opening float (left by the previous cash-up, or
    ``[settlement] opening_float`` before the first) plus cash in minus change out since."""
    reg = _register(db, register)
    last = store.last_cash_up(db, reg.id)
    opening = last.float_after_cents if last else settings(config).opening_float_cents
    since = last.at if last else None
    totals = store.totals_between(db, reg.id, since, clock.now())
    cash = totals[KAS]
    expected = rules.expected_cash(opening, cash.tendered_cents, cash.change_cents)
    return CashUpPreview(reg, since, opening, cash.tendered_cents, cash.change_cents, expected,
                         totals[PIN].amount_cents)


def cash_up(db: Database, clock: Clock, staff: Staff, register: RegisterRow | str | int,
            counted_cents: int, note: str = "", *, float_after_cents: int | None = None,
            config: Config | None = None) -> CashUpResult:
    """Kasopmaak: record the cash counted in the drawer against what it should hold, with
    the difference (counted - expected). ``float_after_cents`` is the cash left in the drawer
    for the next period (default: the opening float, at most what was counted). One
    transaction with an audit row."""
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise SettlementError(f"De opmerking is te lang: maximaal {MAX_NOTE} tekens.")
    if counted_cents > rules.MAX_AMOUNT_CENTS:
        raise SettlementError(f"{format_cents(counted_cents)} is meer dan een kas bevat.")
    now = clock.now()
    with db.transaction():
        plan = cash_up_preview(db, clock, register, config=config)
        difference = rules.cash_difference(counted_cents, plan.expected_cents)
        keep = (min(plan.opening_float_cents, counted_cents) if float_after_cents is None
                else float_after_cents)
        if keep < 0 or keep > counted_cents:
            raise SettlementError("Het wisselgeld dat in de kas blijft moet tussen € 0,00 en "
                                  "het getelde bedrag liggen.")
        cash_up_id = store.insert_cash_up(
            db, register_id=plan.register.id, staff_id=staff.id, at=now, since=plan.since,
            opening_float_cents=plan.opening_float_cents, cash_in_cents=plan.cash_in_cents,
            change_out_cents=plan.change_out_cents, expected_cents=plan.expected_cents,
            pin_cents=plan.pin_cents, counted_cents=counted_cents, difference_cents=difference,
            float_after_cents=keep, note=text)
        audit.write(db, at=now, staff_id=staff.id, entity="cash_up", entity_id=cash_up_id,
                    action="insert",
                    after={"register": plan.register.name, "expected_cents": plan.expected_cents,
                           "counted_cents": counted_cents, "difference_cents": difference,
                           "pin_cents": plan.pin_cents, "float_after_cents": keep,
                           "note": text})
    return CashUpResult(cash_up_id, plan.expected_cents, counted_cents, difference, keep,
                        rules.difference_text(difference), plan)
