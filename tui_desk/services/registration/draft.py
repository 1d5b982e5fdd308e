"""The registration wizard's vocabulary: its steps, the fields of step 1 in the manual's order,
the draft that keeps what was typed, and what the steps report back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui_desk.errors import DeskError
from tui_desk.rules import fields as field_table
from tui_desk.rules.customers import GENDERS
from tui_desk.services.login_accounts import GenerateResult, LinkResult, LoginChoice

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
    max_length: int = 0         # characters the field takes (0: no limit of its own)


def _customer(name: str, default: str = "") -> FieldSpec:
    """A field of the customer's own (``rules.fields``): label, limit and whether it is
    always mandatory come from the one field table."""
    spec = field_table.field(name)
    return FieldSpec(name, spec.label, default=default, max_length=spec.max_length,
                     always_required=spec.mandatory is field_table.Mandatory.ALWAYS)


GENDER_CHOICES: tuple[tuple[str, str], ...] = tuple(GENDERS.items())

# Step 1 in the manual's order.
CUSTOMER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("kaart", "Klantnummer", always_required=True, max_length=20),
    _customer("initials"),
    _customer("prefix"),
    _customer("surname"),
    _customer("first_name"),
    _customer("birth_date"),
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
    _customer("country", default="Nederland"),
    _customer("postcode"),
    _customer("house_number"),
    _customer("house_suffix"),
    _customer("street"),
    _customer("place"),
    FieldSpec("gender", "Persoon/Instelling", kind="choice", default="O",
              choices=GENDER_CHOICES),
    _customer("phone"),
    _customer("sms"),
    FieldSpec("incasso", "Sepa incasso", kind="check", default=NO),
    FieldSpec("iban", "IBAN"),
    FieldSpec("bic", "BIC"),
    FieldSpec("legitimatie", "Legitimatie gecontroleerd?", kind="yesno", default=NO),
    FieldSpec("inlogaccount", "Gebruik inlogaccount", kind="yesno", default=YES),
    _customer("email"),
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
NEWSLETTER_NEEDS_EMAIL = ("Nieuwsbrief: vul een e-mailadres in, daar gaat de nieuwsbrief "
                          "naartoe (of vink de nieuwsbrief uit).")


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


class DuplicatesFound(DeskError):
    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        super().__init__(f"{len(candidates)} mogelijke dubbele klant(en)")


def login_choice(draft: Draft) -> LoginChoice:
    """What step 2 decided, for step 3's transaction."""
    if draft.get("inlogaccount") != YES:
        return LoginChoice(LOGIN_NONE)
    mode = draft.values.get("login_mode", LOGIN_GENERATED)
    return LoginChoice(mode, draft.values.get("login_username", ""))
