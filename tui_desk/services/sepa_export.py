"""The SEPA collection file (``tui-desk sepa-export``) and the pre-notifications before it.

**What is collected.** Every open contributie invoice due by the collection date of a customer
with an active mandate that no earlier file holds: monthly instalments of the direct-debit
tariffs and yearly renewals alike (the monthly run makes their invoices, due on the first day
of the new period). The amount is what the invoice still needs (amount − discount − paid − set
off − waived; ``store.settlement``), to the cent. A customer's invoices form one transaction
on their mandate: ``FRST`` on the mandate's first use, ``RCUR`` after. Revoked, lapsed and
pending mandates are not collected; an active mandate unused for 36 months lapses here.

**Exactly once.** The file is written under a temporary name beside the target (0600), the
collections are recorded in one transaction (one row per invoice, unique), and only after the
commit is the file renamed into place. A commit that fails (a full disk) removes the temporary
file and records nothing; a file that is there was recorded. A second run for the same date — or
any date — finds nothing new. The output path is never the database or one of its companion
files, and an existing file that is not XML, or an earlier collection file whose collections are
recorded, is only replaced with ``force``.
Open credit notes are not set off here (a collection cannot be negative): settle them at the
desk. A collection that the bank reverses later is a matter for the bank statement import,
which does not exist yet.

**The file** is pain.008.001.02, built with sepaxml and validated against its XSD before it
is written; nothing is recorded when validation fails. Every text in it is reduced to the EPC's
SEPA character set (``rules.banking.sepa_text``: transliterated, trimmed); a debtor name with
nothing left (an emoji) becomes ``Klant <actor id>`` and the report says so. A customer whose
transaction cannot be exported (an IBAN or mandate id the bank would refuse) is left out and
listed by card number; the rest is exported, and the one left out comes along once repaired.

**Pre-notification.** ``queue_pre_notifications`` (for the maintenance run, daily) mails every
customer whose invoice falls due within ``[creditor] pre_notification_days`` (default 7) the
amount and the day it is collected on or after, through the outbox, once per invoice.
Customers without an e-mail address are listed for a letter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.config import Config, Creditor
from tui_desk.errors import DeskError
from tui_desk.files import fsync_dir, is_database_file, write_private
from tui_desk.rules import banking, names
from tui_desk.rules import mandates as rules
from tui_desk.rules.dates import show
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.store import audit, outbox
from tui_desk.store import mandates as store
from tui_desk.store import settlement as settlement_store
from tui_desk.store import subscriptions as subscription_store
from tui_desk.store.db import Database, StoreError
from tui_desk.store.engine import EngineError
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


class FileInvalid(ExportError):
    """The file does not validate against the XSD."""


def build_file(creditor: Creditor, collection_date: dt.date,
               transactions: list[PlannedTransaction]) -> tuple[bytes, str]:
    """(pain.008.001.02 XML validated against the XSD, message id)."""
    from sepaxml import SepaDD
    from sepaxml.validation import ValidationError

    creditor_bic = creditor.bic or _derived_bic(creditor.iban)
    if not creditor_bic:
        raise ExportError("De BIC van de bibliotheek ontbreekt en volgt niet uit het IBAN: vul "
                          "creditor.bic in de configuratie.")
    creditor_name = banking.sepa_text(creditor.name, NAME_MAX)
    if not creditor_name:
        raise ExportError("De naam van de incassant (creditor.name) heeft geen tekens uit de "
                          "SEPA-tekenset: vul een naam in Latijnse letters in de configuratie.")
    sepa = SepaDD({
        "name": creditor_name,
        "IBAN": creditor.iban,
        "BIC": creditor_bic,
        "batch": True,
        "creditor_id": creditor.id,
        "currency": "EUR",
    }, schema=SCHEMA)
    for t in transactions:
        payment = {
            "name": t.debtor_name,
            "IBAN": t.mandate.iban,
            "amount": int(t.amount_cents),
            "type": t.sequence_type,
            "collection_date": collection_date,
            "mandate_id": t.mandate.kenmerk,
            "mandate_date": t.mandate.signed_on,
            "description": t.description,
            "endtoend_id": t.end_to_end_id,
        }
        bic = t.mandate.bic or _derived_bic(t.mandate.iban)
        if bic:
            payment["BIC"] = bic
        sepa.add_payment(payment)  # mutates the dict: a fresh one per payment
    try:
        xml = sepa.export(validate=True)
    except ValidationError as exc:
        cause = exc.__cause__
        detail = f": {getattr(cause, 'reason', '') or cause}" if cause else ""
        raise FileInvalid(f"Het incassobestand voldoet niet aan {SCHEMA}{detail}") from exc
    return xml, sepa.msg_id


def _build_leaving_out(creditor: Creditor, result: ExportResult) -> tuple[bytes, str]:
    """The file of ``result.transactions``; a transaction that makes the file invalid is moved
    to ``result.left_out`` (found by validating each on its own) and the rest is exported."""
    try:
        return build_file(creditor, result.collection_date, result.transactions)
    except FileInvalid as whole:
        keep = []
        for t in result.transactions:
            try:
                build_file(creditor, result.collection_date, [t])
            except FileInvalid as exc:
                result.left_out.append(LeftOut(t, str(exc).rstrip(".") + "."))
            else:
                keep.append(t)
        if len(keep) == len(result.transactions):
            raise whole from None           # not one transaction's fault
        result.transactions = keep
        if not keep:
            return b"", ""
        return build_file(creditor, result.collection_date, keep)


def _derived_bic(iban: str) -> str:
    try:
        return banking.parse_iban(iban).bic or ""
    except banking.IbanError:
        return ""


def _looks_like_xml(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _recorded_message(db: Database, path: Path) -> str | None:
    """The MsgId of an earlier collection file at ``path`` whose collections are recorded."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    match = re.search(rb"<MsgId>([^<]{1,35})</MsgId>", head)
    if match is None:
        return None
    message_id = match.group(1).decode("ascii", "replace")
    return message_id if store.message_recorded(db, message_id) else None


def check_target(db: Database, target: Path, *, force: bool = False) -> None:
    """Refuse an output path that would destroy something (see the module docstring)."""
    if is_database_file(db.path, target):
        raise ExportError(f"{target} is de database (of een bestand van de database); het "
                          "incassobestand kan daar niet worden geschreven. Kies een andere naam, "
                          "bijvoorbeeld incasso.xml.")
    if target.is_dir():
        raise ExportError(f"{target} is een map; geef een bestandsnaam, bijvoorbeeld "
                          f"{target / 'incasso.xml'}.")
    if not target.parent.is_dir():
        raise ExportError(f"Map {target.parent} bestaat niet.")
    if not target.exists() or force:
        return
    if not _looks_like_xml(target):
        raise ExportError(f"{target} bestaat al en is geen XML-bestand; het wordt niet "
                          "overschreven. Kies een andere naam, of geef --force als het echt "
                          "weg mag.")
    earlier = _recorded_message(db, target)
    if earlier is not None:
        raise ExportError(f"{target} is een eerder incassobestand (bericht {earlier}) waarvan "
                          "de incasso's al zijn vastgelegd; overschrijven zou die incasso's "
                          "kwijtmaken. Kies een andere naam, of geef --force als het bestand "
                          "al bij de bank is.")


def export_collection(db: Database, clock: Clock, config: Config, collection_date: dt.date,
                      path: str | Path, *, staff_id: int | None = None,
                      force: bool = False) -> ExportResult:
    """Write the collection file for ``collection_date`` to ``path`` and record what it holds.

    With nothing new to collect no file is written (the result says so). The file appears at
    ``path`` only after its collections are committed; when anything fails before, no file
    is there and nothing is recorded (see the module docstring).
    """
    creditor = _creditor(config)
    today = clock.today()
    if collection_date < today:
        raise ExportError(f"De incassodatum {show(collection_date)} ligt in het verleden.")
    target = Path(path).expanduser()
    check_target(db, target, force=force)
    now = clock.now()
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with db.transaction():
            result = plan(db, config, collection_date, lapse=True)
            for m in result.lapsed:
                audit.write(db, at=now, staff_id=staff_id, customer_id=m.customer_id,
                            entity="mandate", entity_id=m.id, action="update",
                            before={"status": store.ACTIVE},
                            after={"status": store.LAPSED, "source": "sepa-export"})
            if not result.transactions:
                return result
            xml, message_id = _build_leaving_out(creditor, result)
            if not result.transactions:
                return result
            _record(db, result, now, message_id, target, staff_id)
            _write_partial(partial, target, xml)
            # The COMMIT at the end of this block is what makes the file true; until it
            # succeeded the file only exists under its temporary name.
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, (EngineError, StoreError)):
            raise ExportError(
                f"De incasso's konden niet worden vastgelegd ({exc}); er is geen "
                "incassobestand gemaakt en er is niets vastgelegd. Los de oorzaak op (bijv. "
                "schijfruimte) en exporteer opnieuw.") from exc
        raise
    try:
        os.replace(partial, target)
    except OSError as exc:
        raise ExportError(
            f"De incasso's zijn vastgelegd, maar het bestand kon niet naar {target} worden "
            f"verplaatst ({exc.strerror}). Het staat in {partial}: hernoem het zelf en stuur "
            "het naar de bank; niet opnieuw exporteren.") from None
    fsync_dir(target.parent)
    result.path = target
    result.message_id = message_id
    return result


def _record(db: Database, result: ExportResult, now: dt.datetime, message_id: str,
            target: Path, staff_id: int | None) -> None:
    for t in result.transactions:
        for invoice_id, cents in t.invoices:
            store.insert_collection(
                db, mandate_id=t.mandate.id, customer_id=t.customer_id,
                invoice_id=invoice_id, amount_cents=cents, sequence_type=t.sequence_type,
                collection_date=result.collection_date, end_to_end_id=t.end_to_end_id,
                message_id=message_id, at=now, file_name=str(target))
        store.mark_collected(db, t.mandate.id, result.collection_date)
        audit.write(db, at=now, staff_id=staff_id, customer_id=t.customer_id,
                    entity="collection", entity_id=t.end_to_end_id, action="insert",
                    after={"kenmerk": t.mandate.kenmerk, "sequence_type": t.sequence_type,
                           "amount_cents": t.amount_cents,
                           "invoices": [i for i, _ in t.invoices],
                           "collection_date": result.collection_date, "file": str(target)})


def _write_partial(partial: Path, target: Path, data: bytes) -> None:
    """The file under its temporary name beside the target, 0600, on the disk."""
    try:
        write_private(partial, data)
    except OSError as exc:
        raise ExportError(f"{target} kan niet geschreven worden: {exc.strerror}; er is niets "
                          "vastgelegd.") from None


# -- pre-notification -----------------------------------------------------------------------------
@dataclass
class NoticeReport:
    mailed: int = 0
    invoices: int = 0
    total_cents: int = 0
    without_email: list[tuple[int, str]] = field(default_factory=list)   # (customer id, name)

    def lines(self) -> list[str]:
        if not self.invoices:
            return []
        out = [f"Vooraankondiging incasso: {self.mailed} mail(s) in de wachtrij, "
               f"{self.invoices} factuur/facturen, {format_cents(self.total_cents)}."]
        for customer_id, name in self.without_email:
            out.append(f"  Geen e-mailadres (per post aankondigen): klant {customer_id} "
                       f"{printable(name)}")
        return out


def _notice_text(creditor: Creditor, name: str, mandate: Mandate, day: dt.date,
                 lines: list[tuple[str, int]]) -> tuple[str, str]:
    total = sum(cents for _, cents in lines)
    body = [
        f"Beste {name},",
        "",
        f"Op of kort na {show(day)} schrijven wij {format_cents(total)} af van uw rekening "
        f"{banking.mask_iban(mandate.iban)}:",
        "",
    ]
    body += [f"  {text}  {format_cents(cents)}" for text, cents in lines]
    body += [
        "",
        f"Incassant: {creditor.name}",
        f"Incassant-ID: {creditor.id}",
        f"Kenmerk machtiging: {mandate.kenmerk}",
        "",
        "Bent u het niet eens met een afschrijving? Dan kunt u die binnen 8 weken na "
        "afschrijving via uw bank laten terugboeken.",
        "",
        "Met vriendelijke groet,",
        creditor.name,
    ]
    return f"Vooraankondiging incasso {creditor.name}", "\n".join(body)


def queue_pre_notifications(db: Database, clock: Clock, config: Config) -> NoticeReport:
    """Mail the pre-notification of every invoice due within ``pre_notification_days`` on an
    active mandate, once per invoice (one mail per customer and run). Idempotent."""
    report = NoticeReport()
    creditor = config.creditor
    if creditor is None:
        return report
    now = clock.now()
    day = now.date() + dt.timedelta(days=creditor.pre_notification_days)
    with db.transaction():
        items = store.due_without_notice(db, day)
        amounts = _outstanding(db, items)
        groups: dict[int, list[DueInvoice]] = {}
        for item in items:
            if amounts.get(item.invoice_id, 0) > 0:
                groups.setdefault(item.customer_id, []).append(item)
        for customer_id, group in groups.items():
            mandate = group[0].mandate
            lines = [(i.description, amounts[i.invoice_id]) for i in group]
            full_name = names.display_name(group[0].initials, group[0].prefix,
                                           group[0].surname, names.salutation(group[0].gender))
            mail_id = None
            # E-mail or post as the customer prefers; a minor's to the ouder/verzorger.
            from tui_desk.services.privacy import recipient

            to = recipient(db, now.date(), customer_id, "contributie", config.privacy)
            if to.by_email:
                subject, body = _notice_text(creditor, to.name if to.guardian else full_name,
                                             mandate, day, lines)
                mail_id = outbox.enqueue(db, now=now, to_addr=to.email, subject=subject,
                                         body_text=body, kind=NOTICE_KIND,
                                         customer_id=customer_id)
                report.mailed += 1
            else:
                report.without_email.append((customer_id, full_name))
            for item in group:
                store.insert_notice(db, invoice_id=item.invoice_id, mandate_id=mandate.id,
                                    customer_id=customer_id,
                                    amount_cents=amounts[item.invoice_id], collection_date=day,
                                    channel="email" if mail_id else "none", mail_id=mail_id,
                                    at=now)
                report.invoices += 1
                report.total_cents += amounts[item.invoice_id]
    return report
