"""The settlement session: the register, the open invoices and what the customer owes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tui_desk.clock import Clock
from tui_desk.config import Config, SettlementSettings, Workstation
from tui_desk.models import Staff
from tui_desk.rules import names
from tui_desk.rules import settlement as rules
from tui_desk.rules.settlement import KAS, PIN, SettlementError, WaiveReason
from tui_desk.statuses import InvoiceStatus
from tui_desk.store import audit
from tui_desk.store import settlement as store
from tui_desk.store.db import Database
from tui_desk.store.settlement import OpenItem, RegisterRow

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
            status = InvoiceStatus.PAID if item.kind == "creditnota" else InvoiceStatus.CREDITED
            _settle(db, item, status, now, staff, current)
    return [i for i in found if i.outstanding_cents != 0]


def _outstanding(db: Database, clock: Clock, staff: Staff, current: SettlementSession, *,
                 nothing: str) -> tuple[list[OpenItem], list[OpenItem], int]:
    """Inside the action's transaction, for an action on all that is open (kwijtschelden,
    registreren): the items as they are now (``_open_items``), those with an amount
    outstanding, and the net total; a SettlementError saying ``nothing`` when it is zero."""
    found = _open_items(db, clock, staff, current)
    total = rules.net_due(i.outstanding_cents for i in found)
    if total == 0:
        raise SettlementError(nothing)
    return found, [i for i in found if i.outstanding_cents > 0], total


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
