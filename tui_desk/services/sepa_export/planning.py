"""What a collection file would hold: the due invoices on active mandates, and what is left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tui_desk.config import Config, Creditor
from tui_desk.errors import DeskError
from tui_desk.rules import banking, names
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.store import mandates as store
from tui_desk.store import settlement as settlement_store
from tui_desk.store import subscriptions as subscription_store
from tui_desk.store.db import Database
from tui_desk.store.mandates import DueInvoice, Mandate

SCHEMA = "pain.008.001.02"
NOTICE_KIND = "incasso_aankondiging"
DESCRIPTION_MAX = 140
NAME_MAX = 70


class ExportError(DeskError):
    """The collection file cannot be made; the message is Dutch."""


@dataclass(frozen=True)
class PlannedTransaction:
    """One SEPA transaction: a customer's invoices on their mandate."""

    mandate: Mandate
    customer_id: int
    debtor_name: str
    sequence_type: str
    invoices: tuple[tuple[int, int], ...]     # (invoice id, amount in cents)
    description: str
    end_to_end_id: str
    card_number: str = ""
    actor_id: int | None = None

    @property
    def amount_cents(self) -> int:
        return sum(cents for _, cents in self.invoices)

    @property
    def who(self) -> str:
        """The customer in a report line: card number (actor id when there is no card)."""
        if self.card_number:
            return f"pas {self.card_number}"
        return f"klant {self.actor_id if self.actor_id is not None else self.customer_id}"


@dataclass(frozen=True)
class LeftOut:
    """A transaction that is not in the file, and why (Dutch)."""

    transaction: PlannedTransaction
    reason: str


@dataclass
class ExportResult:
    collection_date: dt.date
    path: Path | None = None
    message_id: str = ""
    transactions: list[PlannedTransaction] = field(default_factory=list)
    lapsed: list[Mandate] = field(default_factory=list)
    not_notified: int = 0          # invoices not pre-notified in time
    left_out: list[LeftOut] = field(default_factory=list)
    renamed: list[PlannedTransaction] = field(default_factory=list)   # name fell back

    @property
    def total_cents(self) -> int:
        return sum(t.amount_cents for t in self.transactions)

    @property
    def invoice_count(self) -> int:
        return sum(len(t.invoices) for t in self.transactions)

    def count(self, sequence_type: str) -> int:
        return sum(1 for t in self.transactions if t.sequence_type == sequence_type)

    def lines(self) -> list[str]:
        day = show(self.collection_date)
        out = []
        if not self.transactions:
            out.append(f"Niets te incasseren op {day}: geen openstaande facturen op actieve "
                       "machtigingen die nog niet in een incassobestand staan.")
        else:
            out.append(f"Incassobestand {self.path} ({SCHEMA}, gecontroleerd tegen de XSD): "
                       f"{len(self.transactions)} incasso's, {self.invoice_count} facturen, "
                       f"{format_cents(self.total_cents)}, incassodatum {day}.")
            out.append(f"  Eerste incasso (FRST): {self.count(rules.FRST)}; "
                       f"doorlopend (RCUR): {self.count(rules.RCUR)}.")
        for m in self.lapsed:
            out.append(f"  Vervallen (36 maanden niet gebruikt): machtiging {m.kenmerk}.")
        if self.not_notified:
            out.append(f"  Let op: {self.not_notified} factuur/facturen zonder tijdige "
                       "vooraankondiging.")
        for t in self.renamed:
            out.append(f"  Naam van de rekeninghouder ({t.who}) heeft geen tekens uit de "
                       f"SEPA-tekenset: geëxporteerd als {t.debtor_name!r}.")
        if self.left_out:
            out.append(f"  NIET in het bestand ({len(self.left_out)}; herstel de gegevens, dan "
                       "gaan ze mee met de volgende export):")
            for item in self.left_out:
                out.append(f"    {item.transaction.who}: {item.reason}")
        return out


def _creditor(config: Config) -> Creditor:
    if config.creditor is None:
        raise ExportError("Er is geen incassant ingesteld: vul [creditor] in de configuratie "
                          "(id, name, iban, bic).")
    return config.creditor


def _name(item: DueInvoice) -> str:
    return names.display_name(item.initials, item.prefix, item.surname)


def _description(creditor: Creditor, texts: list[str]) -> str:
    """``<library>: <invoice>, <invoice>`` in SEPA characters, at most 140."""
    invoices = ", ".join(p for p in (banking.sepa_text(t, DESCRIPTION_MAX) for t in texts) if p)
    library = banking.sepa_text(creditor.name, NAME_MAX)
    text = (f"{library}: {invoices}" if library and invoices else library or invoices
            or "Contributie")
    return text if len(text) <= DESCRIPTION_MAX else text[:DESCRIPTION_MAX - 3] + "..."


def _unexportable(t: PlannedTransaction) -> str:
    """Why the bank would refuse this transaction (Dutch), or "" when it can go in the file."""
    try:
        banking.parse_iban(t.mandate.iban)
    except banking.IbanError as exc:
        return f"het IBAN van de machtiging is ongeldig ({exc})."
    if not banking.is_sepa_identifier(t.mandate.kenmerk):
        return (f"het kenmerk van de machtiging {t.mandate.kenmerk!r} is geen geldig "
                "SEPA-kenmerk (hoogstens 35 tekens uit de SEPA-tekenset, zonder spaties).")
    if t.mandate.bic:
        try:
            banking.parse_bic(t.mandate.bic)
        except banking.BicError:
            return f"de BIC van de machtiging {t.mandate.bic!r} is ongeldig."
    return ""


def _outstanding(db: Database, items: list[DueInvoice]) -> dict[int, int]:
    """What each invoice still needs, by invoice id."""
    by_customer: dict[int, list[int]] = {}
    for item in items:
        by_customer.setdefault(item.customer_id, []).append(item.invoice_id)
    found: dict[int, int] = {}
    for customer_id, ids in by_customer.items():
        for open_item in settlement_store.items(db, customer_id, ids):
            found[open_item.id] = open_item.outstanding_cents
    return found


def plan(db: Database, config: Config, collection_date: dt.date, *,
         lapse: bool = False) -> ExportResult:
    """What a file for ``collection_date`` would hold (``lapse``: mark lapsed mandates; the
    caller holds the transaction)."""
    creditor = _creditor(config)
    result = ExportResult(collection_date)
    items = store.due_for_collection(db, collection_date)
    amounts = _outstanding(db, items)
    groups: dict[int, list[DueInvoice]] = {}
    for item in items:
        if amounts.get(item.invoice_id, 0) > 0:
            groups.setdefault(item.mandate.id, []).append(item)
    cards = subscription_store.labels(db, [g[0].customer_id for g in groups.values()])
    for group in groups.values():
        mandate = group[0].mandate
        if mandate.signed_on is None:
            continue
        if rules.is_lapsed(mandate.signed_on, mandate.last_collected_on, collection_date):
            if lapse:
                store.set_lapsed(db, mandate.id)
            result.lapsed.append(mandate)
            continue
        invoices = tuple((i.invoice_id, amounts[i.invoice_id]) for i in group)
        actor_id = group[0].actor_id
        fallback = f"Klant {actor_id if actor_id is not None else mandate.customer_id}"
        name = banking.sepa_text(mandate.holder_name or _name(group[0]), NAME_MAX)
        transaction = PlannedTransaction(
            mandate=mandate,
            customer_id=mandate.customer_id,
            debtor_name=name or fallback,
            sequence_type=rules.sequence_type(mandate.first_collected_on),
            invoices=invoices,
            description=_description(creditor, [i.description for i in group]),
            end_to_end_id=f"TD-{collection_date:%Y%m%d}-{mandate.id}-{invoices[0][0]}"[:35],
            card_number=cards.get(mandate.customer_id, ("",))[0],
            actor_id=actor_id,
        )
        if not name:
            result.renamed.append(transaction)
        problem = _unexportable(transaction)
        if problem:
            result.left_out.append(LeftOut(transaction, problem))
        else:
            result.transactions.append(transaction)
    notified = store.notices_of(db, [i for t in result.transactions for i, _ in t.invoices])
    latest = dt.datetime.combine(
        collection_date - dt.timedelta(days=creditor.pre_notification_days), dt.time.max)
    result.not_notified = sum(
        1 for t in result.transactions for i, _ in t.invoices
        if i not in notified or notified[i] > latest)
    return result
