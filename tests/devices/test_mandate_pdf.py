"""The A4 mandate form: every text a SEPA mandate carries, and a document code a scanner reads
from the top-left quarter of page 1 (rendered at 300 dpi, decoded by zxing-cpp, which no one
here wrote)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pypdfium2 as pdfium
import pytest
import zxingcpp

from tui_desk.devices.pdf import mandate_pdf
from tui_desk.rules.mandates import MandateForm

FORM = MandateForm(
    document_code="6775991190016261", kenmerk="381847-001",
    creditor_name="Bibliotheek Drenthe", creditor_address="Kruisakkers 41",
    creditor_postcode="9468 BG", creditor_place="ANNEN", creditor_id="NL11ZZZ040892510000",
    debtor_name="Mw. A. van de Test", debtor_iban="BE68539007547034", debtor_bic="GKCCBEBB",
    debtor_place="ANNEN", printed_on=dt.date(2021, 4, 15), customer_id=1, actor_id=381847,
    debtor_address="Kruisakkers 41", debtor_postcode="9468 BG",
)


def top_left_quarter(pdf: bytes, dpi: int = 300):
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=dpi / 72).to_pil()
    document.close()
    width, height = image.size
    return image.crop((0, 0, width // 2, height // 2)), image.size


@pytest.mark.parametrize(("symbology", "expected_format", "text"), [
    ("code128", zxingcpp.BarcodeFormat.Code128, "6775991190016261"),
    ("codabar", zxingcpp.BarcodeFormat.Codabar, "A6775991190016261B"),
])
def test_the_document_code_is_read_from_the_top_left_quarter(symbology, expected_format, text):
    quarter, size = top_left_quarter(mandate_pdf(FORM, symbology=symbology))
    assert size == (2481, 3508)                            # A4 at 300 dpi
    [found] = zxingcpp.read_barcodes(quarter)
    assert (found.format, found.text) == (expected_format, text)


def test_the_form_carries_what_a_sepa_mandate_must_show():
    document = pdfium.PdfDocument(mandate_pdf(FORM))
    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)     # A4 in points
    text = " ".join(document[0].get_textpage().get_text_range().split())
    for expected in ("SEPA", "Doorlopende machtiging", "Bibliotheek Drenthe", "Kruisakkers 41",
                     "9468 BG ANNEN", "Incassant-ID", "NL11ZZZ040892510000",
                     "Kenmerk machtiging", "381847-001", "Reden betaling",
                     "toestemming", "incasso-opdrachten", "terugboeken", "binnen 8 weken",
                     "Mw. A. van de Test", "BE68 5390 0754 7034", "GKCCBEBB", "Plaats", "Datum",
                     "Handtekening", "6775 9911 9001 6261"):
        assert expected in text, expected


def test_a_name_the_core_font_cannot_set_is_folded_not_refused():
    pdf = mandate_pdf(dataclasses.replace(FORM, debtor_name="Łukasz Dvořák\x1b[2J"))
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Lukasz Dvorák" in text and "\x1b" not in text
