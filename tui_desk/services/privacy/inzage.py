"""Inzage (AVG right of access): everything about a customer as JSON and readable text."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_desk.clock import Clock
from tui_desk.models import Staff
from tui_desk.rules import fields
from tui_desk.services.privacy.common import PrivacyError, _customer, _staff_id
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.db import Database

# -- inzage --------------------------------------------------------------------------------------
SECTION_LABELS = {
    "customers": "Klant", "addresses": "Adressen", "cards": "Passen",
    "subscription_periods": "Abonnementen", "invoices": "Facturen", "payments": "Betalingen",
    "payment_allocations": "Betaalde facturen", "credit_set_offs": "Verrekeningen",
    "waivers": "Kwijtscheldingen", "contribution_letters": "Contributiebrieven",
    "open_registrations": "Geregistreerde bedragen", "mandates": "Incassomachtigingen",
    "customer_documents": "Klantdocumenten", "collections": "Incasso's",
    "collection_notices": "Vooraankondigingen", "customer_logins": "Inlogaccount (koppeling)",
    "login_accounts": "Inlogaccount", "consents": "Toestemmingen",
    "communication_preferences": "Communicatievoorkeuren", "customer_blocks": "Blokkades",
    "guardians": "Ouder/verzorger", "notices": "Meldingen", "mail_outbox": "Verzonden mail",
    "print_jobs": "Printopdrachten", "audit_log": "Wijzigingen (audit)",
    "registration_drafts": "Inschrijfconcepten",
}
# Column names in the readable text (the JSON keeps the names of the database).
COLUMN_LABELS = {
    "actor_id": "actor-id", "kind": "soort", "gender": "persoon", "initials": "voorletters",
    "prefix": "voorvoegsel", "surname": "achternaam", "first_name": "roepnaam",
    "search_name": "zoeknaam", "birth_date": "geboortedatum", "birth_year": "geboortejaar",
    "phone": "telefoon", "sms": "sms-nummer", "email": "e-mail", "newsletter": "nieuwsbrief",
    "id_checked": "legitimatie gecontroleerd", "use_login": "inlogaccount",
    "loan_history": "leenhistorie", "notify_loaned_before": "melding eerder geleend",
    "selection": "selectie", "branch_code": "vestiging", "registered_on": "inschrijfdatum",
    "last_activity": "laatste activiteit", "items_on_loan": "in bezit", "strips": "strippen",
    "balance_cents": "tegoed (centen)", "created_at": "aangemaakt", "updated_at": "gewijzigd",
    "deregistered_on": "uitgeschreven", "anonymised_on": "geanonimiseerd",
    "street": "straat", "house_number": "huisnummer", "house_suffix": "toevoeging",
    "postcode": "postcode", "place": "plaats", "country": "land", "region": "regio",
    "number": "pasnummer", "status": "status", "issued_on": "uitgegeven",
    "blocked_on": "geblokkeerd", "reason": "reden", "text": "tekst", "private": "privé",
    "tariff_code": "tarief", "start_date": "begin", "end_date": "eind",
    "amount_cents": "bedrag (centen)", "discount_cents": "korting (centen)",
    "description": "omschrijving", "due_date": "vervaldatum", "iban": "IBAN", "bic": "BIC",
    "holder_name": "rekeninghouder", "holder_place": "woonplaats rekeninghouder",
    "username": "gebruikersnaam", "to_addr": "aan", "subject": "onderwerp",
    "body_text": "tekst", "at": "wanneer", "method": "hoe", "relation": "relatie",
    "name": "naam", "channel": "kanaal", "language": "taal", "given_at": "gegeven",
    "withdrawn_at": "ingetrokken", "type": "soort", "entity": "onderdeel",
    "action": "handeling", "before": "voor", "after": "na", "payload": "printgegevens",
}
# "data" of a registration draft: what was typed, under the customer fields' keys in code.
_DRAFT_SECTION = "registration_drafts"


def draft_lines(data: str) -> list[str]:
    """A draft's stored ``data`` as ``Label: value`` lines (the field table's Dutch label where
    the key is a customer field, the wizard's own name otherwise); empty values left out.

    >>> draft_lines('{"values": {"surname": "Vries", "kaart": "V", "prefix": ""}}')
    ['Achternaam: Vries', 'kaart: V']
    """
    try:
        values = json.loads(data).get("values", {})
    except (ValueError, AttributeError):
        return [data]
    if not isinstance(values, dict):
        return [data]
    return [f"{fields.BY_KEY[k].label if k in fields.BY_KEY else k}: {v}"
            for k, v in values.items() if v not in ("", None)]


# Columns never exported: secrets of the login service.
_SECRET_COLUMNS = {"token_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": len(value), "base64": base64.b64encode(value).decode("ascii")}
    return value


@dataclass
class Export:
    customer_id: int
    made_at: dt.datetime
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_json(self) -> str:
        data = {"klant_id": self.customer_id,
                "gemaakt_op": self.made_at.isoformat(timespec="seconds"),
                "gegevens": {table: [{k: _plain(v) for k, v in row.items()} for row in rows]
                             for table, rows in self.sections.items()}}
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)

    def as_text(self) -> str:
        from tui_desk.rules.text import printable

        out = [f"Inzage persoonsgegevens, klant {self.customer_id}",
               f"Gemaakt op {self.made_at:%d-%m-%Y %H:%M}", "",
               "Dit zijn alle gegevens die de bibliotheek in de balieadministratie over deze "
               "klant bewaart.", ""]
        for table, rows in self.sections.items():
            label = SECTION_LABELS.get(table, table)
            out.append(f"== {label} ({len(rows)}) ==")
            if not rows:
                out.append("  (geen)")
            for i, row in enumerate(rows, 1):
                out.append(f"  [{i}]")
                for key, value in row.items():
                    if value is None or value == "":
                        continue
                    if table == _DRAFT_SECTION and key == "data" and isinstance(value, str):
                        out.append("    getypt:")
                        out += [f"      {printable(line)}" for line in draft_lines(value)]
                        continue
                    shown = (f"({len(value)} bytes printer- of bestandsgegevens)"
                             if isinstance(value, bytes) else printable(str(value)))
                    out.append(f"    {COLUMN_LABELS.get(key, key)}: {shown}")
            out.append("")
        return "\n".join(out)


def collect(db: Database, customer_id: int, made_at: dt.datetime) -> Export:
    """Every row that refers to the customer, found from the schema's foreign keys, plus the
    rows reached through them (payment allocations, set-offs, the login account)."""
    export = Export(customer_id, made_at)
    export.sections["customers"] = store.rows_where(db, "customers", "id", customer_id)
    for table, column in store.customer_key_columns(db):
        rows = store.rows_where(db, table, column, customer_id)
        if table in export.sections:
            seen = {json.dumps(r, default=str) for r in export.sections[table]}
            export.sections[table] += [r for r in rows if json.dumps(r, default=str) not in seen]
        else:
            export.sections[table] = rows
    export.sections["payment_allocations"] = store.payment_allocations_of(db, customer_id)
    export.sections["credit_set_offs"] = store.credit_set_offs_of(db, customer_id)
    export.sections["login_accounts"] = store.login_accounts_of(db, customer_id)
    for rows in export.sections.values():
        for row in rows:
            for secret in _SECRET_COLUMNS & set(row):
                row.pop(secret)
    return export


def export(db: Database, clock: Clock, staff: Staff | None, customer_id: int,
           *, via: str = "balie") -> Export:
    """Inzage: everything about the customer; the export itself is logged (who, when)."""
    now = clock.now()
    with db.transaction():
        _customer(db, customer_id)
        result = collect(db, customer_id, now)
        audit.write(db, at=now, staff_id=_staff_id(staff), customer_id=customer_id,
                    entity="inzage", action="export", after={"via": via})
    return result


def export_by_card(db: Database, clock: Clock, card: str, *, via: str) -> Export:
    """``export`` of the customer whose card this is (``tui-desk customer export``); raises
    PrivacyError when no customer has it."""
    found = store.customer_by_card(db, card.strip())
    if found is None:
        raise PrivacyError(f"pas {card} is onbekend.")
    return export(db, clock, None, found[0], via=via)


def write_export(result: Export, json_path: Path, text_path: Path) -> None:
    """Write the inzage as JSON and as readable text, readable by the owner only."""
    import os

    json_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path, content in ((json_path, result.as_json()), (text_path, result.as_text())):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content + "\n")


def export_folder() -> Path:
    """Where the record's Inzage action writes (the service account's data folder)."""
    from tui_desk.config import default_data_dir

    return default_data_dir() / "inzage"
