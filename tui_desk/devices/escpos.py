"""Receipts for the ESC/POS printer at the counter: kassabon, inschrijfbewijs, klantbon, forms.

The bytes are built with python-escpos's ``Dummy`` printer (nothing is sent by it): code page
pinned to CP858 (``€`` is 0xD5), 42 or 48 characters a line, the layout done here so that a
preview is exact. ``preview_lines`` (``escpos_preview``) reads the bytes back into the lines the
paper will show (the demo preview and the tests use it). ``read_status`` (``escpos_status``) asks
the printer with DLE EOT how it is (cover, paper, error) where the connection can be read.

Text from the database (names, addresses) is cleaned before it goes to the printer: a control
character in a name must never become a printer command.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui_desk.devices.escpos_preview import preview_lines  # noqa: F401 - re-exported
from tui_desk.devices.escpos_status import (  # noqa: F401 - re-exported
    NO_STATUS_ANSWER,
    ReceiptStatus,
    is_status_byte,
    parse_status,
    read_status,
    send,
    status_request,
)
from tui_desk.models import SaleLine
from tui_desk.rules import dates
from tui_desk.rules.money import format_cents

COLUMNS = (42, 48)
CODEPAGE = "CP858"
CODABAR = "codabar"
CODE128 = "code128"
BARCODES = (CODABAR, CODE128)


# -- what a receipt is made of ---------------------------------------------------------------
class Rule:
    """A line of dashes across the receipt."""


RULE = Rule()


@dataclass(frozen=True)
class Strong:
    """A row printed in bold: text or a (label, value) pair."""

    row: str | tuple[str, str]


Row = str | tuple[str, str] | Rule | Strong


@dataclass(frozen=True)
class Header:
    """The library at the top of every receipt: its name, then address lines."""

    library: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Barcode:
    """A barcode on a receipt: a card number (Codabar A…B or Code 128) under the rows, or a
    form's document code (at the top left, ``document(..., barcode_on_top=True)``)."""

    data: str
    symbology: str = CODABAR

    def escpos(self) -> tuple[str, str]:
        """(data as the printer wants it, python-escpos barcode type)."""
        if self.symbology == CODE128:
            return "{B" + self.data, "CODE128"
        return f"A{self.data}B", "CODABAR"


@dataclass(frozen=True)
class Kassabon:
    """A cash receipt. ``reference`` identifies the payment (one receipt per payment)."""

    reference: str
    at: dt.datetime
    customer_name: str
    card_number: str
    lines: tuple[SaleLine, ...]
    total_cents: int
    payment_method: str                 # "Kas Annen", "PIN"
    tendered_cents: int | None = None   # cash received
    change_cents: int | None = None     # teruggave
    remaining_cents: int = 0            # still open after this payment
    register: str = ""
    staff: str = ""
    branch: str = ""


@dataclass(frozen=True)
class CustomerSlip:
    """What every slip about one customer names: who, where they live, their card."""

    at: dt.datetime
    customer_name: str
    card_number: str
    address_lines: tuple[str, ...] = ()
    branch: str = ""

    def name_and_address(self) -> list[Row]:
        """The slip's first rows: Naam, then the address lines under Adres."""
        rows: list[Row] = [("Naam", self.customer_name)]
        return rows + [("Adres" if i == 0 else "", line)
                       for i, line in enumerate(self.address_lines)]


@dataclass(frozen=True)
class Inschrijfbewijs(CustomerSlip):
    """The registration receipt handed to a new member."""

    subscription: str = ""
    valid_until: dt.date | None = None
    amount_cents: int | None = None
    username: str | None = None
    username_pending: bool = False
    registered_on: dt.date | None = None


@dataclass(frozen=True)
class Klantbon(CustomerSlip):
    """Print klantbon (Alt+P): the customer's record in short."""

    birth_date: dt.date | None = None
    subscription: str = ""
    status_line: str = ""
    contribution_cents: int | None = None
    balance_cents: int = 0
    items_on_loan: int = 0
    strips: int = 0
    active_cards: int = 0
    username: str | None = None


# -- cleaning text for the printer -----------------------------------------------------------
_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "œ": "oe", "Œ": "OE",
                        "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "–": "-",
                        "—": "-", "…": "...", "•": "*", "\u00a0": " ", "\u2009": " ",
                        "\u202f": " "})


def receipt_text(text: str | None) -> str:
    """Text as the receipt printer can print it: controls removed, the rest CP858 or '?'."""
    if not text:
        return ""
    out = []
    for ch in text.translate(_EXTRA):
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            continue
        if unicodedata.category(ch) in ("Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            continue
        try:
            ch.encode("cp858")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        try:
            base.encode("cp858")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# -- layout ----------------------------------------------------------------------------------
def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _pair(label: str, value: str, width: int) -> list[str]:
    label, value = receipt_text(label), receipt_text(value)
    if not value:
        return _wrap(label, width)
    if len(label) + 1 + len(value) <= width:
        return [label + " " * (width - len(label) - len(value)) + value]
    lines = _wrap(label, width) if label else []
    lines += [v.rjust(width) for v in _wrap(value, width)]
    return lines


def _center(text: str, width: int) -> list[str]:
    return [line.center(width).rstrip() for line in _wrap(receipt_text(text), width)]


def layout(rows: Iterable[Row], width: int) -> list[tuple[str, bool]]:
    """The printed lines of ``rows`` at ``width`` characters, each with its bold flag."""
    out: list[tuple[str, bool]] = []
    for row in rows:
        bold = isinstance(row, Strong)
        item = row.row if isinstance(row, Strong) else row
        if isinstance(item, Rule):
            out.append(("-" * width, False))
        elif isinstance(item, tuple):
            out += [(line, bold) for line in _pair(item[0], item[1], width)]
        else:
            out += [(line.rstrip(), bold) for line in _wrap(receipt_text(item), width)]
    return out


def _quiet(call: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    # python-escpos prints "Using hardware barcode renderer" to stdout: noise inside a TUI.
    with contextlib.redirect_stdout(io.StringIO()):
        call(*args, **kwargs)


def document(title: str, rows: Sequence[Row], *, columns: int = 42, header: Header | None = None,
             barcode: Barcode | None = None, footer: Sequence[str] = (),
             at: dt.datetime | None = None, barcode_on_top: bool = False) -> bytes:
    """ESC/POS bytes of a receipt: header, title, date, rows, barcode, footer, cut.

    The generic builder: a mandate form or any other document is a title and rows. With
    ``barcode_on_top`` the barcode comes first, at the left, before any text: a signed form
    is found back by scanning its document code "links bovenaan" (the SEPA mandate).
    """
    from escpos.printer import Dummy

    if columns not in COLUMNS:
        raise ValueError(f"columns must be one of {COLUMNS}, not {columns}")
    p = Dummy()
    p.hw("INIT")                 # resets the code page: pin it after
    p.charcode(CODEPAGE)
    p.set(align="left", bold=False, normal_textsize=True)

    def print_barcode(code: Barcode, *, centre: bool) -> None:
        data, kind = code.escpos()
        _quiet(p.barcode, data, kind, height=80, width=2, pos="BELOW", function_type="B",
               align_ct=centre)
        p.set(align="left")
        p.textln("")

    def emit(lines: Iterable[tuple[str, bool]] | Iterable[str], bold: bool = False) -> None:
        for item in lines:
            text, strong = (item, bold) if isinstance(item, str) else item
            if strong:
                p.set(bold=True)
            p.textln(text)
            if strong:
                p.set(bold=False)

    if barcode is not None and barcode_on_top:
        print_barcode(barcode, centre=False)      # links bovenaan
    if header is not None:
        emit(_center(header.library, columns), bold=True)
        for line in header.lines:
            if line.strip():
                emit(_center(line, columns))
        p.textln("")
    p.set(bold=True, double_height=True)
    for line in _center(title.upper(), columns):
        p.textln(line)
    p.set(bold=False, normal_textsize=True)
    if at is not None:
        emit(_center(f"{dates.show(at.date())} {at:%H:%M}", columns))
    p.textln("-" * columns)
    emit(layout(rows, columns))
    if barcode is not None and not barcode_on_top:
        p.textln("")
        print_barcode(barcode, centre=True)
    for line in footer:
        emit(_center(line, columns))
    _quiet(p.cut)
    return p.output


# -- the receipts ----------------------------------------------------------------------------
def _card_barcode(card_number: str, symbology: str) -> Barcode | None:
    return Barcode(card_number, symbology) if card_number else None


def kassabon(bon: Kassabon, *, columns: int = 42, header: Header | None = None,
             barcode: str = CODABAR) -> bytes:
    rows: list[Row] = []
    if bon.branch or bon.register:
        rows.append(("Vestiging", " / ".join(x for x in (bon.branch, bon.register) if x)))
    rows += [("Klant", bon.customer_name), ("Pasnummer", bon.card_number), RULE]
    rows += [(line.text, format_cents(line.amount_cents)) for line in bon.lines]
    rows += [RULE, Strong(("Totaal", format_cents(bon.total_cents))),
             ("Betaald met", bon.payment_method)]
    if bon.tendered_cents is not None:
        rows.append(("Ontvangen", format_cents(bon.tendered_cents)))
    if bon.change_cents is not None:
        rows.append(("Teruggave", format_cents(bon.change_cents)))
    if bon.remaining_cents:
        rows.append(("Nog open", format_cents(bon.remaining_cents)))
    if bon.staff:
        rows += ["", ("Medewerker", bon.staff)]
    rows.append(("Bonnummer", bon.reference))
    return document("Kassabon", rows, columns=columns, header=header, at=bon.at,
                    barcode=_card_barcode(bon.card_number, barcode),
                    footer=("Bewaar deze bon.", "Bedankt en tot ziens!"))


def inschrijfbewijs(bewijs: Inschrijfbewijs, *, columns: int = 42, header: Header | None = None,
                    barcode: str = CODABAR) -> bytes:
    rows = bewijs.name_and_address()
    rows += [Strong(("Pasnummer", bewijs.card_number))]
    if bewijs.registered_on:
        rows.append(("Ingeschreven op", dates.show(bewijs.registered_on)))
    if bewijs.branch:
        rows.append(("Vestiging", bewijs.branch))
    rows.append(RULE)
    rows.append(("Abonnement", bewijs.subscription or "-"))
    if bewijs.valid_until:
        rows.append(("Geldig t/m", dates.show(bewijs.valid_until)))
    if bewijs.amount_cents is not None:
        rows.append(("Contributie", format_cents(bewijs.amount_cents)))
    rows.append(RULE)
    if bewijs.username:
        rows.append(("Inlogaccount", bewijs.username))
        if bewijs.username_pending:
            rows.append("Activeer uw inlogaccount binnen 24 uur met de link in de e-mail.")
    else:
        rows.append("Geen inlogaccount: de online diensten zijn niet beschikbaar.")
    return document("Inschrijfbewijs", rows, columns=columns, header=header, at=bewijs.at,
                    barcode=_card_barcode(bewijs.card_number, barcode),
                    footer=("Welkom bij de bibliotheek!",))


def klantbon(bon: Klantbon, *, columns: int = 42, header: Header | None = None,
             barcode: str = CODABAR) -> bytes:
    rows = bon.name_and_address()
    if bon.birth_date:
        rows.append(("Geboortedatum", dates.show(bon.birth_date)))
    rows += [Strong(("Pasnummer", bon.card_number))]
    if bon.branch:
        rows.append(("Vestiging", bon.branch))
    rows.append(RULE)
    rows.append(("Abonnement", bon.subscription or "-"))
    if bon.status_line:
        rows.append(("Status", bon.status_line))
    if bon.contribution_cents is not None:
        rows.append(("Contributie", format_cents(bon.contribution_cents)))
    rows += [("Tegoed", format_cents(bon.balance_cents)),
             ("In bezit", str(bon.items_on_loan)),
             ("Strippen", str(bon.strips)),
             ("Actieve passen", str(bon.active_cards))]
    if bon.username:
        rows.append(("Inlogaccount", bon.username))
    return document("Klantgegevens", rows, columns=columns, header=header, at=bon.at,
                    barcode=_card_barcode(bon.card_number, barcode))
