"""The registration wizard without a screen: a draft that knows its steps and their rules.

The screen shows a field and sends back what the person typed; this service checks it, keeps
what was typed in the database on every change (so a dropped connection loses nothing) and says
what is missing before the wizard may go on. Benchmarks, concurrency tests and draft recovery
drive the whole registration through this class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tui_desk.clock import Clock
from tui_desk.config import Config, demo_config
from tui_desk.errors import DeskError
from tui_desk.models import Staff
from tui_desk.rules import banking, cards, contact, customers, names, postcodes, selections
from tui_desk.rules import dates as dates_rules
from tui_desk.rules.duplicates import Person, likely_same
from tui_desk.rules.errors import RuleError
from tui_desk.rules.periods import CostBuildUp
from tui_desk.services import privacy, subscriptions
from tui_desk.services.customer_data import CustomerData
from tui_desk.services.login_accounts import (
    AccountResult,
    GenerateResult,
    LinkResult,
    LoginChoice,
    complete,
    find_existing,
)
from tui_desk.store import drafts as draft_store
from tui_desk.store import postcodes as postcode_store
from tui_desk.store.branches import branch_codes
from tui_desk.store.db import DEMO, Database
from tui_desk.store.duplicates import candidates

STEP_CUSTOMER = "klantgegevens"
STEP_LOGIN = "inlogaccount"
STEP_SUBSCRIPTION = "abonnement"
STEP_DONE = "klaar"
STEPS = (STEP_CUSTOMER, STEP_LOGIN, STEP_SUBSCRIPTION)

YES, NO = "Ja", "Nee"

LOGIN_EXISTING = "existing"
LOGIN_GENERATED = "generated"
LOGIN_NONE = "none"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"          # text, choice, yesno, check
    default: str = ""
    always_required: bool = False
    choices: tuple[tuple[str, str], ...] = ()   # (value, label)


GENDER_CHOICES = (("M", "Man"), ("V", "Vrouw"), ("X", "Neutraal"), ("O", "Onbekend"),
                  ("I", "Instelling"))

# Step 1 in the manual's order.
CUSTOMER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("kaart", "Klantnummer", always_required=True),
    FieldSpec("voorletters", "Voorletters"),
    FieldSpec("voorvoegsel", "Voorvoegsel"),
    FieldSpec("achternaam", "Achternaam", always_required=True),
    FieldSpec("roepnaam", "Roepnaam"),
    FieldSpec("geboortedatum", "Geboortedatum"),
    # Ouder/verzorger: only asked for a minor (services/privacy.py); a scanned card links an
    # existing customer, else name, relation and phone or e-mail are typed. The relation comes
    # right after the card: the rows after it hide when a card is scanned, and Enter (which
    # moves the focus the moment it arrives, before a scanner's digits are processed) must
    # not land in a row that is about to hide.
    FieldSpec("ouder_pas", "Ouder/verz. pas"),
    FieldSpec("ouder_relatie", "Relatie"),
    FieldSpec("ouder_naam", "Ouder/verz. naam"),
    FieldSpec("ouder_telefoon", "Tel. ouder/verz."),
    FieldSpec("ouder_email", "E-mail ouder/verz."),
    FieldSpec("land", "Land", default="Nederland", always_required=True),
    FieldSpec("postcode", "Postcode"),
    FieldSpec("huisnummer", "Huisnummer", always_required=True),
    FieldSpec("toevoeging", "Toevoeging"),
    FieldSpec("straat", "Straat", always_required=True),
    FieldSpec("plaats", "Plaats", always_required=True),
    FieldSpec("persoon", "Persoon/Instelling", kind="choice", default="O",
              choices=GENDER_CHOICES),
    FieldSpec("telefoon", "Telefoon"),
    FieldSpec("sms", "SMS-nummer"),
    FieldSpec("incasso", "Sepa incasso", kind="check", default=NO),
    FieldSpec("iban", "IBAN"),
    FieldSpec("bic", "BIC"),
    FieldSpec("legitimatie", "Legitimatie gecontroleerd?", kind="yesno", default=NO),
    FieldSpec("inlogaccount", "Gebruik inlogaccount", kind="yesno", default=YES),
    FieldSpec("email", "E-mail"),
    FieldSpec("email_leeg", "[Leeg]", kind="check", default=NO),
    FieldSpec("nieuwsbrief", "Nieuwsbrief", kind="check", default=NO),
    FieldSpec("selectie", "Selectie"),
    FieldSpec("leenhistorie", "Leenhistorie activeren?", kind="yesno", default=NO),
    FieldSpec("melding_eerder_geleend", "Melding 'titel eerder geleend'?", kind="yesno",
              default=NO),
    # Communication preferences for every message kind (the record changes them per kind).
    FieldSpec("kanaal", "Berichten", kind="choice", default="",
              choices=(("", "Standaard"), ("email", "E-mail"), ("sms", "SMS"), ("post", "Post"))),
    FieldSpec("taal", "Taal berichten", kind="choice", default="nl",
              choices=(("nl", "NL"), ("en", "EN"))),
)
GUARDIAN_FIELDS = ("ouder_pas", "ouder_relatie", "ouder_naam", "ouder_telefoon", "ouder_email")
# With a scanned card only the relation is typed.
GUARDIAN_TYPED_FIELDS = ("ouder_naam", "ouder_telefoon", "ouder_email")
FIELD = {f.name: f for f in CUSTOMER_FIELDS}

NO_LOGIN_WARNING = (
    "Let op: zonder inlogaccount kan de klant niet inloggen op de website, de online "
    "bibliotheek en andere online diensten van de bibliotheek."
)


@dataclass
class Draft:
    id: int
    step: str
    values: dict[str, str]
    branch_code: str
    # set when the address was filled from the postcode table ("1") or typed by hand ("0")
    duplicates_seen: bool = False

    def get(self, name: str) -> str:
        return self.values.get(name, FIELD[name].default if name in FIELD else "")

    def yes(self, name: str) -> bool:
        return self.get(name) == YES


NEWSLETTER_NEEDS_EMAIL = ("Nieuwsbrief: vul een e-mailadres in, daar gaat de nieuwsbrief "
                          "naartoe (of vink de nieuwsbrief uit).")


@dataclass(frozen=True)
class AddressLookup:
    found: bool
    street: str = ""
    place: str = ""
    region: str = ""
    # the postcode table is Dutch only: for a foreign address it says nothing either way
    applies: bool = True


@dataclass(frozen=True)
class DuplicateCandidate:
    customer_id: int
    card_number: str
    name: str
    birth_date: dt.date | None
    address: str
    reason: str


@dataclass(frozen=True)
class Registered:
    """What step 3's OK produced: the customer, the login account result, what is to be paid."""

    customer_id: int
    login: LinkResult | GenerateResult | None
    open_invoice_ids: list[int]
    direct_debit: bool = False   # Sepa incasso ticked: the mandate step follows settlement


class StepIncomplete(DeskError):
    """The step cannot be left yet: ``errors`` maps field name to a Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class RegistrationService:
    """The registration wizard without a screen, for one staff member.

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
            if name in ("achternaam", "geboortedatum", "postcode", "huisnummer", "voorletters"):
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
        return privacy.guardian_needed(draft.get("persoon"), self._birth_or_none(draft),
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
        if draft.get("persoon") == "I":
            return None
        return self._birth(draft)

    def required(self, draft: Draft) -> set[str]:
        """Fields that must be filled, given what is filled so far (shown in red)."""
        need = {f.name for f in CUSTOMER_FIELDS if f.always_required}
        if self.guardian_asked(draft):
            if draft.get("ouder_pas").strip():
                pass
            elif draft.get("ouder_naam").strip():
                need.update({"ouder_naam", "ouder_relatie"})
            else:
                need.add("ouder_pas")
        gender = draft.get("persoon")
        if gender != "I":
            need.add("geboortedatum")
            birth = self._birth(draft)
            if birth is not None and customers.roepnaam_required(
                gender, birth, self.clock.today()
            ):
                need.add("roepnaam")
        if self._is_dutch(draft):
            need.add("postcode")
        if draft.yes("incasso"):
            need.add("iban")
            iban = self._iban_or_none(draft)
            if iban is not None and banking.bic_required(iban):
                need.add("bic")
        if not draft.yes("email_leeg") and not self._guardian_email(draft):
            need.add("email")
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

    # -- card -------------------------------------------------------------------------------------
    def issue_card(self, draft: Draft) -> str:
        """"V" + Enter: the branch's next free number, reserved for this draft.

        The sequence is advanced inside one IMMEDIATE transaction, so two counters pressing V
        at the same moment get different numbers.
        """
        now = self.clock.now()
        with self.db.transaction():
            number = draft_store.next_free_card_number(self.db, draft.branch_code)
            draft_store.reserve_card(self.db, number, draft.id, now)
        draft.values["kaart"] = number
        draft.values["kaart_gereserveerd"] = number
        draft.values["kaart_v"] = YES
        self.save(draft)
        return number

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
            return postcodes.country_code(draft.get("land") or "Nederland")
        except RuleError:
            return "NL"

    def _is_dutch(self, draft: Draft) -> bool:
        try:
            return postcodes.country_code(draft.get("land") or "Nederland") == "NL"
        except RuleError:
            return True

    def lookup_address(self, draft: Draft) -> AddressLookup:
        """Postcode + house number → street and place from the postcode table.

        Found: the street and place are filled in (and marked checked). Not found: they stay
        editable and the address is marked "niet gecontroleerd".
        """
        if not self._is_dutch(draft):
            draft.values["adres_gecontroleerd"] = NO
            self.save(draft)
            return AddressLookup(False, applies=False)
        try:
            code = postcodes.parse_postcode(draft.get("postcode"))
            number, _suffix = postcodes.parse_house_number(draft.get("huisnummer"))
        except RuleError:
            return AddressLookup(False)
        row = postcode_store.lookup(self.db, code, number)
        if row is None:
            draft.values["adres_gecontroleerd"] = NO
            draft.values.pop("regio", None)
            self.save(draft)
            return AddressLookup(False)
        draft.values.update(straat=row["street"], plaats=row["place"], regio=row["region"],
                            adres_gecontroleerd=YES)
        self.save(draft)
        return AddressLookup(True, row["street"], row["place"], row["region"])

    def address_verified(self, draft: Draft) -> bool:
        return draft.values.get("adres_gecontroleerd") == YES

    # -- checkers -------------------------------------------------------------------------------
    def _birth(self, draft: Draft) -> dt.date | None:
        if draft.get("persoon") == "I":
            return customers.INSTITUTION_BIRTH_DATE
        try:
            return dates_rules.parse_birth_date(draft.get("geboortedatum"), self.clock.today())
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

    def _checkers(self) -> dict[str, Callable[[Draft], object]]:
        def when(name: str, parse: Callable[[str], object]) -> Callable[[Draft], object]:
            return lambda d: parse(d.get(name)) if d.get(name).strip() else None

        def birth(d: Draft) -> object:
            if d.get("persoon") == "I" or not d.get("geboortedatum").strip():
                return None
            return dates_rules.parse_birth_date(d.get("geboortedatum"), self.clock.today())

        def postcode(d: Draft) -> object:
            if not d.get("postcode").strip():
                return None
            if self._is_dutch(d):
                return postcodes.parse_postcode(d.get("postcode"))
            return postcodes.parse_foreign_postcode(d.get("postcode"))

        def roepnaam(d: Draft) -> object:
            return names.parse_given_name(d.get("roepnaam"), required="roepnaam" in
                                          self.required(d) and bool(self._birth(d)))

        def bic(d: Draft) -> object:
            if not d.get("bic").strip():
                return None
            return banking.parse_bic(d.get("bic"))

        def selection(d: Draft) -> object:
            birth = self._birth(d)
            age = dates_rules.age_on(birth, self.clock.today()) if birth else None
            return selections.parse_selection(d.get("selectie"), _selections(),
                                              today=self.clock.today(), age=age)

        return {
            "kaart": self._check_card,
            "voorletters": when("voorletters", names.normalise_initials),
            "voorvoegsel": when("voorvoegsel", names.parse_prefix),
            "achternaam": when("achternaam", names.parse_surname),
            "roepnaam": roepnaam,
            "geboortedatum": birth,
            "land": when("land", postcodes.country_code),
            "postcode": postcode,
            "huisnummer": when("huisnummer", postcodes.parse_house_number),
            "persoon": lambda d: customers.parse_gender(d.get("persoon")),
            "telefoon": lambda d: contact.parse_phone(d.get("telefoon"), self._country(d)),
            "sms": lambda d: contact.parse_sms(d.get("sms"), self._country(d)),
            "iban": when("iban", banking.parse_iban),
            "bic": bic,
            "email": when("email", contact.parse_email),
            "selectie": selection,
        }

    def display_name(self, draft: Draft) -> str:
        """``A. van der Test`` from what was typed, normalised where it can be."""
        parts = []
        for name, parse in (("voorletters", names.normalise_initials),
                            ("voorvoegsel", names.parse_prefix)):
            try:
                parts.append(parse(draft.get(name)))
            except RuleError:
                parts.append(draft.get(name).strip())
        return names.display_name(parts[0], parts[1], draft.get("achternaam").strip())

    # -- step 2: Inlogaccount --------------------------------------------------------------------
    def find_login(self, draft: Draft, username: str) -> AccountResult:
        """*Bestaand inlogaccount zoeken*: exact and case-sensitive; LoginAccountError if none."""
        found = find_existing(self.db, self.clock, username)
        draft.values["login_search"] = username
        self.save(draft)
        return found

    def choose_login(self, draft: Draft, mode: str, username: str = "") -> str:
        """Keep step 2's choice (carried out when step 3 saves) and go on to step 3."""
        if mode == LOGIN_EXISTING:
            self.find_login(draft, username)  # raises when it cannot be linked
            draft.values["login_username"] = username
        else:
            draft.values.pop("login_username", None)
        draft.values["login_mode"] = mode
        draft.step = STEP_SUBSCRIPTION
        self.save(draft)
        return draft.step

    def back_to(self, draft: Draft, step: str) -> None:
        draft.step = step
        self.save(draft)

    # -- step 3: Abonnement -----------------------------------------------------------------------
    def tariff_choices(self, draft: Draft) -> list[subscriptions.TariffChoice]:
        """The manual's choice list for this customer, with the reason where one is refused."""
        return subscriptions.choices(self.db, self.clock, self.staff, self.customer_data(draft))

    def cost_build_up(self, draft: Draft, tariff_code: str) -> CostBuildUp:
        """"Opbouw abonnementskosten" for the tariff under the cursor."""
        return subscriptions.build_up(self.db, self.clock, self.customer_data(draft), tariff_code)

    def register(self, draft: Draft, tariff_code: str) -> Registered:
        """OK: save customer, address, card, login account, period and invoice at once.

        Step 2's choice is carried out inside the same transaction: the activation mail is
        queued with it, so a failure anywhere leaves no half customer and no stray mail.

        Idempotent: on a draft that is already registered (a second F10, a retry after a lost
        reply) it returns the customer saved the first time, without checking step 1 again —
        the card of step 1 is by then this customer's own, issued card.
        """
        saved = self.registered(draft)
        if saved is not None:
            return saved
        data = self.customer_data(draft)
        choice = login_choice(draft)
        outcome: list[LinkResult | GenerateResult | None] = []

        def link_login(db: Database, customer_id: int) -> None:
            # The guardian first: the activation mail of a minor goes to the guardian.
            privacy.register_privacy(db, self.clock, self.staff, customer_id, data,
                                     self.config)
            outcome.append(complete(db, self.clock, self.config, self.staff, customer_id, choice))

        draft.values["tariff"] = tariff_code
        self.save(draft)
        customer_id = subscriptions.register_customer(
            self.db, self.clock, self.staff, draft.id, data, tariff_code,
            login=choice.username or None, extra=link_login)
        draft.step = STEP_DONE
        # 0091 Maandabonnement is always paid at once: no mandate step for it.
        direct_debit = data.direct_debit and not subscriptions.paid_directly(self.db, tariff_code)
        return Registered(customer_id, outcome[0] if outcome else None,
                          subscriptions.open_invoice_ids(self.db, customer_id),
                          direct_debit=direct_debit)

    def registered(self, draft: Draft) -> Registered | None:
        """What the draft's earlier OK saved, or None while it is not registered yet."""
        row = draft_store.get(self.db, draft.id)
        if row is None or row.status != "done" or row.customer_id is None:
            return None
        draft.step = STEP_DONE
        values = row.data.get("values", draft.values) if row.data else draft.values
        return Registered(row.customer_id, None,
                          subscriptions.open_invoice_ids(self.db, row.customer_id),
                          direct_debit=values.get("incasso") == YES)

    # -- duplicates -------------------------------------------------------------------------
    def duplicates(self, draft: Draft) -> list[DuplicateCandidate]:
        """Customers who are probably this person already (see rules/duplicates.py)."""
        gender = draft.get("persoon")
        birth = self._birth(draft)
        try:
            postcode = postcodes.parse_postcode(draft.get("postcode"))
        except RuleError:
            postcode = draft.get("postcode").strip().upper()
        try:
            number, suffix = postcodes.parse_house_number(draft.get("huisnummer"))
        except RuleError:
            number, suffix = None, ""
        suffix = draft.get("toevoeging").strip().upper() or suffix
        try:
            prefix = names.parse_prefix(draft.get("voorvoegsel"))
        except RuleError:
            prefix = draft.get("voorvoegsel")
        new = Person(draft.get("voorletters"), prefix, draft.get("achternaam"),
                     None if gender == "I" else birth, postcode, number, suffix,
                     institution=gender == "I")
        found = []
        for row in candidates(self.db, birth_date=new.birth_date, postcode=postcode,
                              house_number=number):
            known = Person(row.initials, row.prefix, row.surname, row.birth_date, row.postcode,
                           row.house_number, row.house_suffix, institution=row.kind ==
                           "institution")
            reason = likely_same(new, known)
            if reason:
                address = f"{row.street} {row.house_number or ''}{row.house_suffix}".strip()
                place = row.place.upper()
                found.append(DuplicateCandidate(
                    customer_id=row.customer_id,
                    card_number=row.card_number,
                    name=names.display_name(row.initials, row.prefix, row.surname,
                                            names.salutation(row.gender)),
                    birth_date=row.birth_date,
                    address=f"{address}, {place}".strip(", "),
                    reason=reason,
                ))
        return found

    # -- leaving step 1 ------------------------------------------------------------------------
    def customer_data(self, draft: Draft) -> CustomerData:
        """Step 1 checked and normalised; raises StepIncomplete with every problem."""
        problems = self.errors(draft)
        if problems:
            raise StepIncomplete(problems)
        g = draft.get
        gender = customers.parse_gender(g("persoon"))
        number, suffix = postcodes.parse_house_number(g("huisnummer"))
        suffix = g("toevoeging").strip().upper() or suffix
        dutch = self._is_dutch(draft)
        iban = banking.parse_iban(g("iban")) if g("iban").strip() else None
        bic = ""
        if iban is not None:
            bic = banking.parse_bic(g("bic")) if g("bic").strip() else (iban.bic or "")
        selection = selections.parse_selection(g("selectie"), _selections())
        warnings = []
        if iban is not None and iban.warning:
            warnings.append(iban.warning)
        if dutch and not self.address_verified(draft):
            warnings.append("Adres niet gecontroleerd: niet gevonden in de postcodetabel.")
        if not draft.yes("inlogaccount"):
            warnings.append(NO_LOGIN_WARNING)
        birth = self._birth(draft)
        assert birth is not None
        return CustomerData(
            card_number=cards.parse(g("kaart")).number,
            card_issued_by_system=draft.values.get("kaart_v") == YES,
            gender=gender,
            initials="" if gender == "I" else names.normalise_initials(g("voorletters")),
            prefix=names.parse_prefix(g("voorvoegsel")),
            surname=names.parse_surname(g("achternaam")),
            first_name=names.parse_given_name(g("roepnaam")),
            birth_date=birth,
            country=postcodes.country_code(g("land") or "Nederland"),
            postcode=postcodes.parse_postcode(g("postcode")) if dutch
            else postcodes.parse_foreign_postcode(g("postcode")),
            house_number=number,
            house_suffix=suffix,
            street=g("straat").strip(),
            place=g("plaats").strip().upper(),
            address_verified=self.address_verified(draft),
            region=draft.values.get("regio", ""),
            phone=contact.parse_phone(g("telefoon"), self._country(draft)),
            sms=contact.parse_sms(g("sms"), self._country(draft)),
            direct_debit=draft.yes("incasso"),
            iban=iban.iban if iban else "",
            bic=bic,
            id_checked=draft.yes("legitimatie"),
            use_login=draft.yes("inlogaccount"),
            email="" if draft.yes("email_leeg") or not g("email").strip()
            else contact.parse_email(g("email")),
            newsletter=draft.yes("nieuwsbrief"),
            selection=selection.code if selection else "",
            loan_history=draft.yes("leenhistorie"),
            notify_loaned_before=draft.yes("melding_eerder_geleend"),
            warnings=tuple(warnings),
            guardian=self.guardian_input(draft) if self.guardian_asked(draft) else None,
            channel=g("kanaal"),
            language=g("taal") or "nl",
        )

    def finish_customer_step(self, draft: Draft, *, duplicates_seen: bool = False) -> str:
        """"Ok, Vervolg": check the step, look for duplicates, move on.

        Raises StepIncomplete when something is missing or wrong, and ``DuplicatesFound`` the
        first time likely duplicates exist (the screen lists them; staff open one or go on with
        "toch nieuwe klant", which calls this again with ``duplicates_seen=True``).
        """
        data = self.customer_data(draft)
        if not (duplicates_seen or draft.duplicates_seen):
            found = self.duplicates(draft)
            if found:
                raise DuplicatesFound(found)
        draft.duplicates_seen = True
        draft.step = STEP_LOGIN if data.use_login else STEP_SUBSCRIPTION
        self.save(draft)
        return draft.step


def login_choice(draft: Draft) -> LoginChoice:
    """What step 2 decided, for step 3's transaction."""
    if draft.get("inlogaccount") != YES:
        return LoginChoice(LOGIN_NONE)
    mode = draft.values.get("login_mode", LOGIN_GENERATED)
    return LoginChoice(mode, draft.values.get("login_username", ""))


class DuplicatesFound(DeskError):
    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        super().__init__(f"{len(candidates)} mogelijke dubbele klant(en)")


_SELECTIONS: dict[str, selections.Selection] | None = None


def _selections() -> dict[str, selections.Selection]:
    global _SELECTIONS
    if _SELECTIONS is None:
        _SELECTIONS = selections.default_selections()
    return _SELECTIONS
