"""Receipts for the ESC/POS printer at the counter: kassabon, inschrijfbewijs, klantbon, forms.

The bytes are built with python-escpos's ``Dummy`` printer (nothing is sent by it): code page
pinned to CP858 (``€`` is 0xD5), 42 or 48 characters a line, the layout done here so that a
preview is exact. ``preview_lines`` reads the bytes back into the lines the paper will show (the
demo preview and the tests use it). ``read_status`` asks the printer with DLE EOT how it is
(cover, paper, error) where the connection can be read.

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
from dataclasses import dataclass, field
from typing import Any

from tui_desk.devices.transports import PrinterError, Transport
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
class SaleLine:
    text: str
    amount_cents: int


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
class Inschrijfbewijs:
    """The registration receipt handed to a new member."""

    at: dt.datetime
    customer_name: str
    card_number: str
    address_lines: tuple[str, ...] = ()
    branch: str = ""
    subscription: str = ""
    valid_until: dt.date | None = None
    amount_cents: int | None = None
    username: str | None = None
    username_pending: bool = False
    registered_on: dt.date | None = None


@dataclass(frozen=True)
class Klantbon:
    """Print klantbon (Alt+P): the customer's record in short."""

    at: dt.datetime
    customer_name: str
    card_number: str
    address_lines: tuple[str, ...] = ()
    branch: str = ""
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
    rows: list[Row] = [("Naam", bewijs.customer_name)]
    rows += [("Adres" if i == 0 else "", line) for i, line in enumerate(bewijs.address_lines)]
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
    rows: list[Row] = [("Naam", bon.customer_name)]
    rows += [("Adres" if i == 0 else "", line) for i, line in enumerate(bon.address_lines)]
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


# -- reading the bytes back ------------------------------------------------------------------
_CODEPAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
_BARCODE_NAMES = {4: "CODE39", 6: "CODABAR", 69: "CODE39", 71: "CODABAR", 72: "CODE93",
                  73: "CODE128", 67: "EAN13", 68: "EAN8", 70: "ITF"}


@dataclass
class _Reader:
    data: bytes
    pos: int = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError(f"ESC/POS: command cut short at byte {self.pos}")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"ESC/POS: data cut short at byte {self.pos}")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


@dataclass
class _Page:
    columns: int | None
    lines: list[str] = field(default_factory=list)
    current: bytearray = field(default_factory=bytearray)
    encoding: str = "cp437"
    align: int = 0

    def text(self) -> str:
        return bytes(self.current).decode(self.encoding, errors="replace")

    def newline(self) -> None:
        self.put(self.text())
        self.current.clear()

    def put(self, line: str) -> None:
        if self.align == 1 and self.columns:
            line = line.strip().center(self.columns).rstrip()
        self.lines.append(line)


def preview_lines(payload: bytes, columns: int | None = None) -> list[str]:
    """The lines a receipt's ESC/POS bytes print, barcodes as ``[CODABAR A…B]``.

    Unknown commands raise ``ValueError``: the preview only claims what it understands.
    """
    r = _Reader(payload)
    page = _Page(columns)
    while r.pos < len(payload):
        b = r.byte()
        if b == 0x0A:
            page.newline()
        elif b == 0x0D:
            continue
        elif b == 0x1B:
            _esc(r, page)
        elif b == 0x1D:
            _gs(r, page)
        elif b == 0x10:
            if r.byte() != 0x04:
                raise ValueError(f"ESC/POS: unknown DLE command at byte {r.pos}")
            r.byte()
        elif b < 0x20:
            raise ValueError(f"ESC/POS: unexpected control byte 0x{b:02x} at {r.pos - 1}")
        else:
            page.current.append(b)
    if page.current:
        page.newline()
    while page.lines and not page.lines[-1].strip():
        page.lines.pop()
    return page.lines


def _esc(r: _Reader, page: _Page) -> None:
    c = r.byte()
    if c == ord("@"):
        page.encoding, page.align = "cp437", 0
    elif c == ord("t"):
        n = r.byte()
        page.encoding = _CODEPAGES.get(n, "cp437")
    elif c == ord("a"):
        page.align = r.byte() % 48
    elif c == ord("d"):
        if page.current:
            page.newline()
        page.lines.extend([""] * r.byte())
    elif c in (ord("!"), ord("E"), ord("-"), ord("G"), ord("M")):
        r.byte()
    else:
        raise ValueError(f"ESC/POS: unknown command ESC 0x{c:02x} at byte {r.pos - 2}")


def _gs(r: _Reader, page: _Page) -> None:
    c = r.byte()
    if c in (ord("!"), ord("h"), ord("w"), ord("f"), ord("H"), ord("B")):
        r.byte()
    elif c == ord("k"):
        m = r.byte()
        if m <= 6:
            data = bytearray()
            while (b := r.byte()) != 0:
                data.append(b)
        else:
            data = bytearray(r.take(r.byte()))
        text = bytes(data).decode("ascii", errors="replace")
        if text.startswith(("{B", "{A", "{C")):
            text = text[2:]
        page.put(f"[{_BARCODE_NAMES.get(m, f'BARCODE {m}')} {text}]")
    elif c == ord("V"):
        m = r.byte()
        if m in (65, 66, 97, 98, 103, 104):
            r.byte()
        if page.current:
            page.newline()
    else:
        raise ValueError(f"ESC/POS: unknown command GS 0x{c:02x} at byte {r.pos - 2}")


# -- status (DLE EOT) ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptStatus:
    """What the printer answered to DLE EOT 2 (offline cause) and 4 (paper sensor)."""

    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False
    answered: bool = True

    @property
    def problem(self) -> str | None:
        """A Dutch message when the printer cannot print now, else None."""
        if self.cover_open:
            return "De klep van de bonprinter is open. Sluit de klep en probeer opnieuw."
        if self.paper_end:
            return "De bonrol is op. Plaats een nieuwe rol en probeer opnieuw."
        if self.error:
            return ("De bonprinter meldt een storing. Zet de printer uit en aan en probeer "
                    "opnieuw.")
        return None

    @property
    def warning(self) -> str | None:
        return "De bonrol is bijna op." if self.paper_near_end else None


def status_request(n: int) -> bytes:
    """DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 paper sensor."""
    return bytes([0x10, 0x04, n])


def is_status_byte(value: int) -> bool:
    """Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear."""
    return value & 0x93 == 0x12


def parse_status(offline: int | None, paper: int | None) -> ReceiptStatus:
    """Read the answers to DLE EOT 2 and DLE EOT 4 (None: not answered)."""
    cover = bool(offline is not None and offline & 0x04)
    stopped = bool(offline is not None and offline & 0x20)
    error = bool(offline is not None and offline & 0x40)
    paper_end = bool(paper is not None and paper & 0x60) or stopped
    near = bool(paper is not None and paper & 0x0C)
    return ReceiptStatus(cover_open=cover, paper_end=paper_end, paper_near_end=near,
                         error=error, answered=offline is not None or paper is not None)


def read_status(transport: Transport, timeout: float) -> ReceiptStatus | None:
    """Ask the printer; None when it does not answer (not every printer or link does)."""
    if not transport.can_read:
        return None
    answers: list[int | None] = []
    for n in (2, 4):
        transport.write(status_request(n))
        got = transport.read(1, timeout)
        if not got or not is_status_byte(got[0]):
            if n == 2:
                return None       # no answer at all: a printer without status, carry on
            answers.append(None)
        else:
            answers.append(got[0])
    return parse_status(answers[0], answers[1])


NO_STATUS_ANSWER = "Printer antwoordt niet op de statusvraag"


def send(transport: Transport, payload: bytes, *, check_status: bool = True,
         status_timeout: float = 1.0) -> ReceiptStatus | None:
    """Ask the status, refuse to print into a fault, then send the receipt.

    Returns the printer's status, or None when it was not asked (``check_status`` off, or a
    link that cannot carry an answer, such as a device file): then nobody knows whether it
    printed. A printer that should answer (``check_status``, a two-way link) and does not is a
    failure before anything is printed: the receipt is not sent into silence.
    """
    if not (check_status and transport.can_read):
        transport.write(payload)
        return None
    status = read_status(transport, status_timeout)
    if status is None:
        raise PrinterError(
            f"{NO_STATUS_ANSWER} ({transport.address.display}). Staat de bonprinter aan en "
            "online? Geeft deze printer nooit status, zet dan receipt_status = false in de "
            "configuratie.")
    if status.problem:
        raise PrinterError(status.problem)
    transport.write(payload)
    return status
