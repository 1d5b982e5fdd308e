"""Step 1's fields as they are typed: the draft kept on every change, each field checked by the
one field table (``rules.fields``) or, for the wizard's own fields (card, IBAN, selection), by
its rule, and what is mandatory given what is filled so far."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable

from tui_desk.clock import Clock
from tui_desk.config import Config, demo_config
from tui_desk.models import Staff
from tui_desk.rules import banking, cards, customers, names, postcodes, selections
from tui_desk.rules import dates as dates_rules
from tui_desk.rules import fields as field_table
from tui_desk.rules.errors import RuleError
from tui_desk.services import privacy, subscriptions
from tui_desk.services.registration.draft import (
    CUSTOMER_FIELDS,
    FIELD,
    NEWSLETTER_NEEDS_EMAIL,
    NO,
    STEP_CUSTOMER,
    YES,
    Draft,
)
from tui_desk.store import drafts as draft_store
from tui_desk.store.branches import branch_codes
from tui_desk.store.db import DEMO, Database

Checker = Callable[[Draft], object]
# Typing over these invalidates an address filled from the postcode table.
_ADDRESS_TYPED = frozenset({"street", "place"})
# A change of these may make the customer another one than the duplicates already looked at.
_IDENTITY = frozenset({"surname", "birth_date", "postcode", "house_number", "initials"})


class FieldChecks:
    """The draft and its fields; the base of ``RegistrationService``.

    ``session``: the key of the counter session that uses it (``Desk.session``,
    ``services.desk.session_key``); every draft it starts records it, and in the training
    database ``open_drafts`` offers only this session's drafts (every trainee signs in as the
    same demo staff member). None: drafts without a session, offered to the staff member
    anywhere (as in production, where a person may move to another counter).
    """

    def __init__(self, db: Database, clock: Clock, staff: Staff,
                 config: Config | None = None, session: str | None = None) -> None:
        self.db = db
        self.clock = clock
        self.staff = staff
        self.session = session
        # The library's settings (mail for the activation link); the demo's when not given.
        self.config = config or demo_config()
        self._branches: frozenset[str] | None = None

    # -- drafts ------------------------------------------------------------------------------
    def start(self) -> Draft:
        values = {f.name: f.default for f in CUSTOMER_FIELDS if f.default}
        draft_id = draft_store.create(
            self.db, staff_id=self.staff.id, branch_code=self.staff.branch_code,
            step=STEP_CUSTOMER, data={"values": values}, now=self.clock.now(),
            session=self.session,
        )
        return Draft(draft_id, STEP_CUSTOMER, values, self.staff.branch_code)

    def resume(self, draft_id: int) -> Draft:
        row = draft_store.get(self.db, draft_id)
        if row is None or row.status != "open":
            raise LookupError(f"Geen open inschrijving {draft_id}.")
        return Draft(row.id, row.step, dict(row.data.get("values", {})), row.branch_code,
                     bool(row.data.get("duplicates_seen")))

    def open_drafts(self) -> list[draft_store.DraftRow]:
        """The staff member's unfinished registrations to offer (``desk.offered_drafts``):
        in the training database only this session's."""
        from tui_desk.services.desk import offered_drafts

        return offered_drafts(self.db, self.staff.id, self.session,
                              demo=self.db.environment == DEMO)

    def save(self, draft: Draft, values: dict[str, str] | None = None) -> None:
        """Keep the draft in the database. ``values``: a copy taken on the screen's thread, for a
        save that runs on a worker thread while the person goes on typing."""
        snapshot = dict(draft.values) if values is None else values
        with self.db.transaction():
            draft_store.save(self.db, draft.id, step=draft.step,
                             data={"values": snapshot, "duplicates_seen": draft.duplicates_seen},
                             now=self.clock.now())

    def abandon(self, draft: Draft) -> None:
        with self.db.transaction():
            draft_store.set_status(self.db, draft.id, "abandoned", now=self.clock.now())

    # -- fields -------------------------------------------------------------------------------
    def set(self, draft: Draft, name: str, value: str, *, save: bool = True) -> str | None:
        """Keep what was typed and return the field's message, if any.

        ``save``: store the draft at once. The screen passes False and saves on leaving a field
        and at most once a second, off the event loop (one write per field, not per key)."""
        if name not in FIELD:
            raise KeyError(name)
        if draft.values.get(name) != value:
            draft.values[name] = value
            if name == "kaart":
                issued = value.strip() == draft.values.get("kaart_gereserveerd")
                draft.values["kaart_v"] = YES if issued else NO
            if name in _ADDRESS_TYPED and draft.values.get("adres_gecontroleerd") == YES:
                # Typed over what the postcode table filled in: no longer checked.
                draft.values["adres_gecontroleerd"] = NO
            if name in _IDENTITY:
                draft.duplicates_seen = False
            if save:
                self.save(draft)
        return self.check(draft, name)

    def check(self, draft: Draft, name: str) -> str | None:
        """The message for one field as it stands, or None when it is fine (or still empty)."""
        checker = self._checkers().get(name)
        if checker is None:
            return None
        try:
            checker(draft)
        except RuleError as exc:
            return str(exc)
        return None

    def normalised(self, draft: Draft, name: str) -> str | None:
        """The field written the standard way when it is correct (a postcode: ``9468 BG``),
        else None. For the screen to show as soon as the field is left."""
        if name != "postcode" or not draft.get(name).strip():
            return None
        try:
            value = self._checkers()[name](draft)
        except RuleError:
            return None
        return value if isinstance(value, str) else None

    # -- ouder/verzorger ---------------------------------------------------------------------------
    def guardian_asked(self, draft: Draft) -> bool:
        """Step 1 asks for an ouder/verzorger: the customer is a minor on the registration day
        (``[privacy] guardian_below_age``)."""
        return privacy.guardian_needed(draft.get("gender"), self._birth_or_none(draft),
                                       self.clock.today(), self.config.privacy)

    def guardian_input(self, draft: Draft) -> privacy.GuardianInput:
        g = draft.get
        return privacy.GuardianInput(g("ouder_pas"), g("ouder_naam"), g("ouder_relatie"),
                                     g("ouder_telefoon"), g("ouder_email"))

    def guardian_name(self, draft: Draft) -> str:
        """The name of the customer whose card was scanned as ouder/verzorger."""
        card = draft.get("ouder_pas").strip()
        return privacy.guardian_label(self.db, card) if card else ""

    def _guardian_email(self, draft: Draft) -> bool:
        """A minor's ouder/verzorger has an e-mail address (mail goes there)."""
        if not self.guardian_asked(draft):
            return False
        card = draft.get("ouder_pas").strip()
        if card:
            return privacy.guardian_has_email(self.db, card)
        return bool(draft.get("ouder_email").strip())

    def _birth_or_none(self, draft: Draft) -> dt.date | None:
        if draft.get("gender") == "I":
            return None
        return self._birth(draft)

    def required(self, draft: Draft) -> builtins.set[str]:
        """Fields that must be filled, given what is filled so far (shown in red)."""
        need = {f.name for f in CUSTOMER_FIELDS if f.always_required}
        if self.guardian_asked(draft):
            if draft.get("ouder_pas").strip():
                pass
            elif draft.get("ouder_naam").strip():
                need.update({"ouder_naam", "ouder_relatie"})
            else:
                need.add("ouder_pas")
        gender = draft.get("gender")
        birth = self._birth(draft) if gender != customers.INSTELLING else None
        youth = birth is not None and customers.roepnaam_required(gender, birth,
                                                                  self.clock.today())
        email_optional = draft.yes("email_leeg") or self._guardian_email(draft)
        for spec in CUSTOMER_FIELDS:
            if spec.kind == "text" and spec.name in field_table.BY_KEY and \
                    field_table.is_mandatory(spec.name, institution=gender == "I", youth=youth,
                                             dutch=self._is_dutch(draft),
                                             email_optional=email_optional):
                need.add(spec.name)
        if draft.yes("incasso"):
            need.add("iban")
            iban = self._iban_or_none(draft)
            if iban is not None and banking.bic_required(iban):
                need.add("bic")
        return need

    def bic_asked(self, draft: Draft) -> bool:
        """BIC only for a foreign IBAN ("Alleen bij buitenlandse rekeningnummers")."""
        iban = self._iban_or_none(draft)
        return iban is not None and banking.bic_asked(iban)

    def iban_info(self, draft: Draft) -> banking.IbanResult | None:
        return self._iban_or_none(draft)

    def errors(self, draft: Draft) -> dict[str, str]:
        found: dict[str, str] = {}
        for spec in CUSTOMER_FIELDS:
            message = self.check(draft, spec.name)
            if message:
                found[spec.name] = message
        if self.guardian_asked(draft):
            for name, message in privacy.check_guardian(self.db,
                                                        self.guardian_input(draft)).items():
                found.setdefault(name, message)
        for name in self.required(draft):
            if name not in found and not draft.get(name).strip():
                found[name] = f"{FIELD[name].label} is verplicht."
        if "email" not in found and draft.yes("email_leeg") and draft.get("email").strip():
            found["email"] = "Kies [Leeg] of vul een e-mailadres in, niet allebei."
        no_email = draft.yes("email_leeg") or not draft.get("email").strip()
        guardian_email = self._guardian_email(draft)
        if draft.yes("nieuwsbrief") and no_email and not guardian_email:
            found.setdefault("nieuwsbrief", NEWSLETTER_NEEDS_EMAIL)
        if draft.yes("inlogaccount") and draft.yes("email_leeg") and not guardian_email:
            found.setdefault(
                "inlogaccount",
                "Zonder e-mailadres geen inlogaccount: kies Nee of vul een e-mailadres in.",
            )
        return {k: found[k] for k in FIELD if k in found}

    def _check_card(self, draft: Draft) -> None:
        text = draft.get("kaart")
        if not text.strip():
            return
        if self._branches is None:
            self._branches = branch_codes(self.db)
        card = cards.parse(text, self._branches)
        owner = draft_store.reservation_owner(self.db, card.number)
        if owner == draft.id:
            return
        if draft_store.card_number_taken(self.db, card.number):
            raise cards.CardNumberError(
                f"Pas {card.number} is al uitgegeven. Scan een andere blanco pas of typ V."
            )

    # -- address ------------------------------------------------------------------------------
    def _country(self, draft: Draft) -> str:
        """The address's country code: phone numbers without +/00 are read as its numbers."""
        try:
            return postcodes.country_code(draft.get("country") or "Nederland")
        except RuleError:
            return "NL"

    def _is_dutch(self, draft: Draft) -> bool:
        return self._country(draft) == "NL"

    def address_verified(self, draft: Draft) -> bool:
        return draft.values.get("adres_gecontroleerd") == YES

    # -- checkers -------------------------------------------------------------------------------
    def _birth(self, draft: Draft) -> dt.date | None:
        if draft.get("gender") == "I":
            return customers.INSTITUTION_BIRTH_DATE
        try:
            return dates_rules.parse_birth_date(draft.get("birth_date"), self.clock.today())
        except RuleError:
            return None

    def _iban_or_none(self, draft: Draft) -> banking.IbanResult | None:
        text = draft.get("iban")
        if not text.strip():
            return None
        try:
            return banking.parse_iban(text)
        except RuleError:
            return None

    def context(self, draft: Draft) -> field_table.Context:
        """What the field table's parsers need to know about this draft."""
        gender = draft.get("gender")
        birth = self._birth(draft) if gender != customers.INSTELLING else None
        required = birth is not None and customers.roepnaam_required(gender, birth,
                                                                     self.clock.today())
        return field_table.Context(self.clock.today(), self._country(draft), required)

    def parsed(self, draft: Draft, name: str) -> object:
        """Field ``name`` of the draft as the field table stores it. Raises RuleError."""
        return field_table.parse(name, draft.get(name), self.context(draft))

    def _checkers(self) -> dict[str, Checker]:
        def table(name: str) -> Checker:
            # Empty is fine here: whether it must be filled is ``required``'s business.
            return lambda d: self.parsed(d, name) if d.get(name).strip() else None

        def birth(d: Draft) -> object:
            if d.get("gender") == "I" or not d.get("birth_date").strip():
                return None
            return self.parsed(d, "birth_date")

        def bic(d: Draft) -> object:
            if not d.get("bic").strip():
                return None
            return banking.parse_bic(d.get("bic"))

        def selection(d: Draft) -> object:
            birth = self._birth(d)
            age = dates_rules.age_on(birth, self.clock.today()) if birth else None
            return selections.parse_selection(d.get("selectie"), subscriptions.known_selections(),
                                              today=self.clock.today(), age=age)

        checkers: dict[str, Checker] = {
            spec.name: table(spec.name) for spec in CUSTOMER_FIELDS
            if spec.name in field_table.BY_KEY
        }
        checkers.update({
            "kaart": self._check_card,
            "first_name": lambda d: self.parsed(d, "first_name"),
            "birth_date": birth,
            "gender": lambda d: self.parsed(d, "gender"),
            "iban": lambda d: banking.parse_iban(d.get("iban")) if d.get("iban").strip()
            else None,
            "bic": bic,
            "selectie": selection,
        })
        return checkers

    def display_name(self, draft: Draft) -> str:
        """``A. van der Test`` from what was typed, normalised where it can be."""
        parts = []
        for name, parse in (("initials", names.normalise_initials),
                            ("prefix", names.parse_prefix)):
            try:
                parts.append(parse(draft.get(name)))
            except RuleError:
                parts.append(draft.get(name).strip())
        return names.display_name(parts[0], parts[1], draft.get("surname").strip())
