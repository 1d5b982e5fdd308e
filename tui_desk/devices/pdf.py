"""The SEPA mandate as an A4 PDF for the office printer (the signed page comes back as a scan).

Made with fpdf2: pure Python (no system libraries, nothing to compile), small, maintained, and it
writes a PDF 1.x any IPP Everywhere printer or CUPS queue prints. (reportlab would do as well but
is larger and its barcode module does not draw the digits the way the form wants them.) The
barcode is drawn as vector bars from python-barcode's module pattern (``build()``: the exact
Code 128 or Codabar bars, check character included), so it stays sharp at any printer
resolution and any scan resolution.

The document code sits **top left** ("Scan de barcode links bovenaan op de geprinte
machtiging"), with its 16 digits under it: the hand scanner at the counter and the inbox matcher
(``services.scans``) both read it there. Text is set in the PDF core font Helvetica; characters
it cannot show are folded to their base letter (``Ł`` → ``L``) and control characters dropped.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from tui_desk.rules import dates
from tui_desk.rules.mandates import FORM_TITLE, MandateForm, consent_text
from tui_desk.rules.text import printable

if TYPE_CHECKING:  # fpdf2 is imported where a PDF is made
    from fpdf import FPDF

CODE128, CODABAR = "code128", "codabar"
SYMBOLOGIES = (CODE128, CODABAR)

# Millimetres. The barcode's top left corner; the quiet zone left of it is the page margin.
MARGIN = 18.0
BARCODE_X, BARCODE_Y = 14.0, 12.0
BARCODE_HEIGHT = 15.0
BARCODE_MAX_WIDTH = 88.0
MODULE = 0.33            # the narrowest bar, where the code fits (0.33 mm: ~4 dots at 300 dpi)


def pdf_text(text: object) -> str:
    """Text the core font can set: printable, Latin-1, other letters folded to their base.

    >>> pdf_text("Łukasz Dvořák\\x1b[2J")
    'Lukasz Dvorák^[[2J'
    """
    out = []
    for ch in printable(str(text or "")):
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D",
                                "đ": "d", "€": "EUR"}.get(ch, "?"))
    return "".join(out)


def barcode_modules(code: str, symbology: str = CODE128) -> str:
    """The bar pattern of a document code: ``1`` a dark module, ``0`` a light one.

    >>> barcode_modules("6775991190016261")[:11]
    '11010011100'
    """
    import barcode

    if symbology == CODABAR:
        symbol = barcode.get("codabar", f"A{code}B")
    elif symbology == CODE128:
        symbol = barcode.get("code128", code)
    else:
        raise ValueError(f"symbology must be one of {SYMBOLOGIES}, not {symbology!r}")
    return "".join(symbol.build())


def _draw_barcode(pdf: FPDF, code: str, symbology: str) -> None:
    modules = barcode_modules(code, symbology)
    module = min(MODULE, BARCODE_MAX_WIDTH / len(modules))
    x = BARCODE_X
    run_start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit != "1" and run_start is not None:
            pdf.rect(x + run_start * module, BARCODE_Y, (i - run_start) * module,
                     BARCODE_HEIGHT, style="F")
            run_start = None
    width = len(modules) * module
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(BARCODE_X, BARCODE_Y + BARCODE_HEIGHT + 0.8)
    grouped = " ".join(code[i:i + 4] for i in range(0, len(code), 4))
    pdf.cell(width, 4.5, grouped, align="C")


def _label_rows(pdf: FPDF, rows: list[tuple[str, str]], *, label_width: float = 52.0) -> None:
    for label, value in rows:
        pdf.set_x(MARGIN)
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(label_width, 6, pdf_text(label))
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 6, pdf_text(value), new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_x(MARGIN)
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_fill_color(225, 225, 225)
    pdf.cell(0, 7, pdf_text(text), fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def mandate_pdf(form: MandateForm, *, symbology: str = CODE128) -> bytes:
    """The whole form as PDF bytes (one A4 page)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_creator("tui-desk")
    pdf.set_title(pdf_text(f"{FORM_TITLE} {form.kenmerk}"))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(0, 0, 0)
    _draw_barcode(pdf, form.document_code, symbology)

    # The creditor, top right.
    pdf.set_xy(112, BARCODE_Y)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(80, 6, pdf_text(form.creditor_name), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in (form.creditor_address,
                 f"{form.creditor_postcode} {form.creditor_place}".strip()):
        if line:
            pdf.set_x(112)
            pdf.multi_cell(80, 5, pdf_text(line), align="R", new_x="LEFT", new_y="NEXT")

    pdf.set_xy(MARGIN, 44)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 9, "SEPA", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, "Doorlopende machtiging", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    _heading(pdf, "Gegevens incassant")
    _label_rows(pdf, [
        ("Naam", form.creditor_name),
        ("Adres", form.creditor_address),
        ("Postcode en plaats", f"{form.creditor_postcode} {form.creditor_place}".strip()),
        ("Land", "Nederland"),
        ("Incassant-ID", form.creditor_id),
        ("Kenmerk machtiging", form.kenmerk),
        ("Reden betaling", f"Contributie {form.creditor_name}"),
    ])

    consent, refund = consent_text(form.creditor_name, form.purpose)
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, pdf_text(consent), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 5, pdf_text(refund), new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "Gegevens rekeninghouder")
    rows = [
        ("Naam", form.debtor_name),
        ("Adres", form.debtor_address),
        ("Postcode", form.debtor_postcode),
        ("Woonplaats", form.debtor_place),
        ("Rekeningnummer (IBAN)", form.iban_grouped),
    ]
    if form.debtor_bic:
        rows.append(("Bank (BIC)", form.debtor_bic))
    _label_rows(pdf, rows)

    pdf.ln(4)
    top = pdf.get_y()
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(MARGIN, top)
    pdf.cell(20, 7, "Plaats")
    pdf.line(MARGIN + 20, top + 6, MARGIN + 80, top + 6)
    pdf.set_xy(MARGIN, top + 10)
    pdf.cell(20, 7, "Datum")
    pdf.line(MARGIN + 20, top + 16, MARGIN + 80, top + 16)
    pdf.set_xy(110, top)
    pdf.cell(0, 6, "Handtekening")
    pdf.rect(110, top + 7, 82, 30)

    pdf.set_xy(MARGIN, 281)
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 4, pdf_text(
        f"Documentcode {form.document_code} · kenmerk {form.kenmerk}"
        + (f" · actor id {form.actor_id}" if form.actor_id else "")
        + f" · geprint {dates.show(form.printed_on)}"))
    return bytes(pdf.output())
