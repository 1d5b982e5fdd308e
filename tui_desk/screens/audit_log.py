"""Tab 4.Overig of the customer record: the change log in words.

Each audit entry becomes one line: Wanneer (dd-mm-jjjj hh:mm), Wie, Wat ("Klant gewijzigd") and
its changes written compactly as ``veld: oud → nieuw``. IBANs are masked but for the last four
characters; everything stored is untrusted text and goes through ``printable`` into ``Text``.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.text import Text

from tui_desk.rules import dates
from tui_desk.rules.banking import mask_iban
from tui_desk.rules.money import format_cents
from tui_desk.rules.text import printable
from tui_desk.services.customers import AuditEntry

ENTITIES = {
    "customer": "Klant", "address": "Adres", "notice": "Melding", "card": "Pas",
    "subscription": "Abonnement", "invoice": "Factuur", "login_account": "Inlogaccount",
    "mandate": "Machtiging", "payment": "Betaling", "settlement": "Afrekening",
    "document": "Klantdocument", "staff": "Medewerker", "consent": "Toestemming",
    "preference": "Voorkeur", "block": "Blokkade", "guardian": "Ouder/verzorger",
    "inzage": "Inzage",
}
ACTIONS = {
    "insert": "nieuw", "update": "gewijzigd", "delete": "verwijderd", "generate": "gegenereerd",
    "link_existing": "gekoppeld", "forget": "vergeten", "activate": "geactiveerd",
    "removed_unactivated": "verwijderd (niet geactiveerd)", "printed": "geprint",
    "revoke": "ingetrokken", "waive": "kwijtgescholden", "settle": "afgerekend",
    "give": "gegeven", "withdraw": "ingetrokken", "lift": "opgeheven",
    "ward_linked": "gekoppeld (kind)", "export": "gemaakt", "deregister": "uitgeschreven",
    "anonymise": "geanonimiseerd", "fiscal_removed": "financiële gegevens verwijderd",
}
FIELDS = {
    "initials": "voorletters", "prefix": "voorvoegsel", "surname": "achternaam",
    "first_name": "roepnaam", "birth_date": "geboortedatum", "gender": "persoon",
    "street": "straat", "house_number": "huisnummer", "house_suffix": "toevoeging",
    "postcode": "postcode", "place": "plaats", "country": "land", "region": "regio",
    "verified": "gecontroleerd", "phone": "telefoon", "sms": "sms-nummer", "email": "e-mail",
    "newsletter": "nieuwsbrief", "iban": "IBAN", "bic": "BIC", "direct_debit": "incasso",
    "id_checked": "legitimatie", "selection": "selectie", "loan_history": "leenhistorie",
    "branch_code": "vestiging", "registered_on": "inschrijfdatum", "text": "tekst",
    "private": "privé", "number": "pasnummer", "status": "status", "tariff_code": "tarief",
    "amount_cents": "bedrag", "discount_cents": "korting", "start_date": "begin",
    "end_date": "eind", "login": "inlogaccount", "strips": "strippen", "reason": "reden",
}
EMPTY = "—"
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entity_action(entry: AuditEntry) -> str:
    """``Klant gewijzigd``; unknown names shown as stored (made printable)."""
    entity = ENTITIES.get(entry.entity, printable(entry.entity))
    action = ACTIONS.get(entry.action, printable(entry.action))
    return f"{entity} {action}"


def field_label(key: str) -> str:
    return FIELDS.get(key, printable(key))


def show_value(key: str, value: object) -> str:
    """A stored value as staff read it: dates dd-mm-jjjj, money in euros, IBANs masked."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        compact = value.replace(" ", "").upper()
        if "iban" in key.lower() or _IBAN_SHAPE.match(compact):
            return mask_iban(value)
        if _ISO_DATE.match(value):
            try:
                return dates.show(dt.date.fromisoformat(value))
            except ValueError:
                return printable(value)
        return printable(value)
    if isinstance(value, int) and key.endswith("_cents"):
        return format_cents(value)
    if isinstance(value, dict | list):
        return printable(str(value))
    return printable(str(value))


def changes(entry: AuditEntry) -> list[str]:
    """``veld: oud → nieuw`` for every field that changed; a new record lists its values,
    a removed one what it held."""
    out = []
    keys = list(entry.before) + [k for k in entry.after if k not in entry.before]
    for key in keys:
        had, has = key in entry.before, key in entry.after
        old, new = entry.before.get(key), entry.after.get(key)
        label = field_label(key)
        if had and has:
            if old == new:
                continue
            out.append(f"{label}: {show_value(key, old)} → {show_value(key, new)}")
        elif has:
            out.append(f"{label}: {show_value(key, new)}")
        else:
            out.append(f"{label}: {show_value(key, old)} → {EMPTY}")
    return out


def when(entry: AuditEntry) -> str:
    return entry.at.strftime("%d-%m-%Y %H:%M")


def who(entry: AuditEntry) -> str:
    return printable(entry.staff_name) or "systeem"


def row_cells(entry: AuditEntry) -> tuple[Text, Text, Text, Text]:
    """Wanneer, Wie, Wat, Voor → Na (all changes on one line, cut off at the column edge)."""
    def cell(text: str) -> Text:
        return Text(text, no_wrap=True, overflow="ellipsis")

    return (Text(when(entry)), cell(who(entry)), cell(entity_action(entry)),
            cell("; ".join(changes(entry)) or EMPTY))


def detail(entry: AuditEntry) -> Text:
    """The highlighted entry in full: heading and one change per line."""
    text = Text()
    text.append(f"{when(entry)}  {who(entry)}  {entity_action(entry)}", style="bold")
    if entry.entity_id:
        text.append(f" ({printable(entry.entity_id)})")
    for line in changes(entry) or [EMPTY]:
        text.append("\n" + line)
    return text
