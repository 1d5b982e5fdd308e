"""SEPA direct-debit mandates (incassomachtigingen): document codes, the mandate reference
(kenmerk), FRST/RCUR, the 36-month lapse, the overstapservice and the printed form.

- **Document code**: the barcode at the top of a printed form, found back when the signed form
  is processed ("Verwerk machtiging"): 16 digits, the last a Luhn check digit over the first 15
  (``6775991190016261`` is valid) — a prefix and a sequence number.
- **Kenmerk machtiging** (mandate reference, SEPA ``MndtId``): at most 35 characters of
  ``A-Z a-z 0-9 / - ? : ( ) . , ' +`` (no spaces), not starting or ending with ``/`` and without
  ``//``; unique for the creditor. Built from the customer's actor id and a sequence number.
- **Sequence type**: ``FRST`` on a mandate's first collection, ``RCUR`` after.
- **Lapse**: a mandate not used for 36 months lapses (from its last collection, or from its
  signature when it was never used); a new mandate is needed.
- **IBAN change**: with the overstapservice (Dutch bank-switching service, which forwards direct
  debits for 13 months) the mandate is kept with the new IBAN; without it the customer signs a
  new mandate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import luhn

from tui_desk.rules.dates import show
from tui_desk.rules.errors import RuleError
from tui_desk.rules.periods import add_months
from tui_desk.rules.scanned import digits

DOCUMENT_CODE_LENGTH = 16
# The first digits of the document codes this system prints (the manual's form: 6775...).
DOCUMENT_PREFIX = "6775"
DOCUMENT_TYPE = "01 - Incassomachtiging"

KENMERK_MAX = 35
_KENMERK = re.compile(r"[A-Za-z0-9/\-?:().,'+]+")

FRST, RCUR = "FRST", "RCUR"
LAPSE_MONTHS = 36

FORM_TITLE = "SEPA Doorlopende machtiging"
DEFAULT_PURPOSE = "contributie van het bibliotheekabonnement"


class DocumentCodeError(RuleError):
    """A scanned or typed document code that cannot be one of ours."""


class KenmerkError(RuleError):
    """A mandate reference that SEPA does not accept."""


# -- document codes -------------------------------------------------------------------------------
def document_code(prefix: str, sequence: int) -> str:
    """The 16-digit document code for ``prefix`` and ``sequence``, with its Luhn check digit.

    >>> document_code("6775", 99119001626)
    '6775991190016261'
    """
    if not prefix.isdigit() or not 1 <= len(prefix) <= 8:
        raise ValueError(f"prefix must be 1-8 digits: {prefix!r}")
    width = DOCUMENT_CODE_LENGTH - 1 - len(prefix)
    if not 0 < sequence < 10**width:
        raise ValueError(f"sequence out of range for prefix {prefix}: {sequence}")
    body = f"{prefix}{sequence:0{width}d}"
    return body + luhn.calc_check_digit(body)


def parse_document_code(text: str) -> str:
    """Check a scanned or typed document code; returns its 16 digits.

    Spaces, dots, dashes and Codabar start/stop letters are ignored. Raises
    :class:`DocumentCodeError` with a Dutch sentence.

    >>> parse_document_code(" A6775 9911 9001 6261B ")
    '6775991190016261'
    """
    t = digits(text, name="documentcode", length=DOCUMENT_CODE_LENGTH, error=DocumentCodeError,
               empty="Scan de barcode links bovenaan op de geprinte machtiging.")
    if not luhn.is_valid(t):
        raise DocumentCodeError("Het controlecijfer van de documentcode klopt niet: "
                                "scan de barcode opnieuw.")
    return t


def is_document_code(text: str) -> bool:
    """True for a valid document code (see :func:`parse_document_code`).

    >>> is_document_code("6775991190016261"), is_document_code("6775991190016262")
    (True, False)
    """
    try:
        parse_document_code(text)
    except DocumentCodeError:
        return False
    return True


# -- the kenmerk ----------------------------------------------------------------------------------
def parse_kenmerk(text: str) -> str:
    """Check a mandate reference; returns it unchanged (but trimmed). Raises
    :class:`KenmerkError`.

    >>> parse_kenmerk(" 381847-001 ")
    '381847-001'
    """
    t = (text or "").strip()
    if not t:
        raise KenmerkError("Het kenmerk van de machtiging is leeg.")
    if len(t) > KENMERK_MAX:
        raise KenmerkError(f"Een kenmerk heeft hoogstens {KENMERK_MAX} tekens, dit zijn er "
                           f"{len(t)}.")
    if not _KENMERK.fullmatch(t):
        raise KenmerkError("Een kenmerk bestaat uit letters, cijfers en / - ? : ( ) . , ' +"
                           " (geen spaties).")
    if t.startswith("/") or t.endswith("/") or "//" in t:
        raise KenmerkError("Een kenmerk begint en eindigt niet met / en bevat geen //.")
    return t


def make_kenmerk(actor_id: int, sequence: int) -> str:
    """The kenmerk of a customer's ``sequence``-th mandate: actor id, dash, three digits.

    >>> make_kenmerk(381847, 1)
    '381847-001'
    """
    if actor_id <= 0 or sequence <= 0:
        raise ValueError("actor id and sequence must be positive")
    return parse_kenmerk(f"{actor_id}-{sequence:03d}")


# -- using a mandate ------------------------------------------------------------------------------
def sequence_type(first_collected_on: dt.date | None) -> str:
    """``FRST`` for a mandate's first collection, ``RCUR`` once it has been used.

    >>> sequence_type(None), sequence_type(dt.date(2026, 12, 1))
    ('FRST', 'RCUR')
    """
    return FRST if first_collected_on is None else RCUR


def lapses_on(signed_on: dt.date, last_collected_on: dt.date | None) -> dt.date:
    """The first day a mandate is no longer valid when it is not used before then: 36 months
    after its last collection, or after its signature when it was never used.

    >>> lapses_on(dt.date(2021, 4, 15), None)
    datetime.date(2024, 4, 15)
    """
    return add_months(last_collected_on or signed_on, LAPSE_MONTHS)


def is_lapsed(signed_on: dt.date, last_collected_on: dt.date | None, on: dt.date) -> bool:
    """Whether a mandate has lapsed by ``on`` (unused for 36 months).

    >>> is_lapsed(dt.date(2021, 4, 15), dt.date(2023, 1, 2), dt.date(2026, 1, 2))
    True
    """
    return on >= lapses_on(signed_on, last_collected_on)


def scan_kept_until(status: str, signed_on: dt.date | None, revoked_on: dt.date | None,
                    last_collected_on: dt.date | None, months: int) -> dt.date | None:
    """The last day the signed form's scan must be kept: None while the mandate is pending or
    active (kept as long as it is used); else ``months`` after its last collection, or after it
    ended (revoked) or was signed when nothing was ever collected on it.

    >>> scan_kept_until("active", dt.date(2021, 4, 15), None, dt.date(2024, 1, 5), 14) is None
    True
    >>> scan_kept_until("revoked", dt.date(2021, 4, 15), dt.date(2025, 3, 1),
    ...                 dt.date(2024, 1, 5), 14)
    datetime.date(2025, 3, 5)
    >>> scan_kept_until("lapsed", dt.date(2021, 4, 15), None, None, 14)
    datetime.date(2022, 6, 15)
    """
    if status in ("pending", "active"):
        return None
    base = last_collected_on or revoked_on or signed_on
    if base is None:
        return None
    return add_months(base, months)


def needs_new_mandate(old_iban: str, new_iban: str, switch_service: bool) -> bool:
    """An IBAN change needs a newly signed mandate unless the customer uses the overstapservice
    (the bank forwards the debits to the new account); the same IBAN needs nothing.

    >>> needs_new_mandate("NL91ABNA0417164300", "NL20INGB0001234567", switch_service=False)
    True
    >>> needs_new_mandate("NL91ABNA0417164300", "NL20INGB0001234567", switch_service=True)
    False
    """
    def compact(iban: str) -> str:
        return re.sub(r"\s+", "", iban or "").upper()

    if compact(old_iban) == compact(new_iban):
        return False
    return not switch_service


# -- the printed form -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MandateForm:
    """Everything the printed SEPA mandate shows (the printer renders ``form_rows``)."""

    document_code: str
    kenmerk: str
    creditor_name: str
    creditor_address: str
    creditor_postcode: str
    creditor_place: str
    creditor_id: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    debtor_place: str
    printed_on: dt.date
    customer_id: int = 0
    actor_id: int = 0
    purpose: str = DEFAULT_PURPOSE
    debtor_address: str = ""      # street and number of the customer's address
    debtor_postcode: str = ""

    @property
    def iban_grouped(self) -> str:
        """``NL20 INGB 0001 2345 67``"""
        return " ".join(self.debtor_iban[i:i + 4] for i in range(0, len(self.debtor_iban), 4))


def consent_text(creditor_name: str, purpose: str = DEFAULT_PURPOSE) -> tuple[str, str]:
    """The two paragraphs every SEPA mandate carries, in this program's own Dutch words: the
    consent (to the creditor and to the customer's bank), and the refund right of 8 weeks with
    where the customer's rights are explained.

    >>> consent_text("Bibliotheek Drenthe")[1].startswith("Bent u het niet eens")
    True
    """
    consent = (
        f"Met uw handtekening onder dit formulier geeft u {creditor_name} toestemming om, "
        "tot u deze machtiging intrekt, steeds opnieuw incasso-opdrachten naar uw bank te sturen "
        f"voor de {purpose}. U geeft tegelijk uw bank toestemming om die bedragen volgens de "
        f"opdrachten van {creditor_name} van uw rekening af te schrijven. Vóór elke "
        "afschrijving krijgt u bericht van het bedrag en de datum."
    )
    refund = (
        "Bent u het niet eens met een afschrijving? Dan kunt u die laten terugboeken: neem "
        "binnen 8 weken na de afschrijving contact op met uw bank. Uw bank vertelt u onder "
        "welke voorwaarden dat kan; uw rechten staan in een verklaring die u bij uw bank kunt "
        "opvragen."
    )
    return consent, refund


def form_rows(form: MandateForm) -> list[str | tuple[str, str]]:
    """The body of the form for a receipt printer, printed under the title ``FORM_TITLE``
    (which carries the word SEPA): text lines (wrapped by the printer) and (label, value)
    pairs. An empty string is an empty line.

    >>> rows = form_rows(_example())
    >>> ("Incassant-ID", "NL11ZZZ040892510000") in rows and ("Kenmerk machtiging",
    ...     "381847-001") in rows
    True
    """
    consent, refund = consent_text(form.creditor_name, form.purpose)
    creditor_place = f"{form.creditor_postcode} {form.creditor_place}".strip()
    rows: list[str | tuple[str, str]] = [
        ("Naam incassant", form.creditor_name),
        ("Adres", form.creditor_address),
        ("Postcode/plaats", creditor_place),
        ("Incassant-ID", form.creditor_id),
        ("Kenmerk machtiging", form.kenmerk),
        ("Reden betaling", "Contributie bibliotheek"),
        "",
        consent,
        "",
        refund,
        "",
        ("Naam rekeninghouder", form.debtor_name),
        ("Woonplaats", form.debtor_place),
        ("IBAN", form.iban_grouped),
    ]
    if form.debtor_bic:
        rows.append(("BIC", form.debtor_bic))
    rows += [
        "",
        ("Plaats", "_" * 20),
        ("Datum", f"{show(form.printed_on)}  ____________"),
        "",
        "Handtekening:",
        "",
        "",
        "_" * 30,
        "",
        ("Documentcode", form.document_code),
    ]
    return rows


def form_lines(form: MandateForm) -> list[str]:
    """The whole form as plain text lines (title first): what any printer or a preview can
    show as it is.

    >>> lines = form_lines(_example())
    >>> lines[0], lines[1]
    ('SEPA', 'Doorlopende machtiging')
    >>> "IBAN: NL20 INGB 0001 2345 67" in lines
    True
    """
    lines = ["SEPA", "Doorlopende machtiging", ""]
    for row in form_rows(form):
        lines.append(f"{row[0]}: {row[1]}" if isinstance(row, tuple) else row)
    return lines


def review_iban(iban: str) -> str:
    """The IBAN as "Controleer gegevens incassomachtiging" shows it: whole, in groups of four,
    so that staff can compare it with the form the customer signed (that is the dialog's only
    purpose). Lists, logs and receipts mask it (``banking.mask_iban``).

    >>> review_iban("NL20INGB0001234567")
    'NL20 INGB 0001 2345 67'
    """
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _example() -> MandateForm:
    return MandateForm(
        document_code="6775991190016261", kenmerk="381847-001",
        creditor_name="Bibliotheek Drenthe", creditor_address="Kruisakkers 41",
        creditor_postcode="9468 BG", creditor_place="ANNEN", creditor_id="NL11ZZZ040892510000",
        debtor_name="Mw. A. van de Test", debtor_iban="NL20INGB0001234567", debtor_bic="",
        debtor_place="ANNEN", printed_on=dt.date(2021, 4, 15),
    )
