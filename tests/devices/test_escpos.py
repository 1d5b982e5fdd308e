"""Receipts: the bytes read back into the expected lines, € in CP858, status by DLE EOT."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.devices.fakes import FakeReceiptPrinter
from tui_desk.devices import escpos
from tui_desk.devices.transports import PrinterError, open_transport

AT = dt.datetime(2026, 11, 28, 10, 5)
HEADER = escpos.Header("Bibliotheek Drenthe", ("Kruisakkers 41", "9468 BG ANNEN"))
BON = escpos.Kassabon(
    reference="812", at=AT, customer_name="Mw. A. van de Test", card_number="29401000075801",
    lines=(escpos.SaleLine("Abonnement Basis", 5600),), total_cents=5600,
    payment_method="Kas Annen", tendered_cents=6000, change_cents=400, register="Kas Annen",
    staff="J. Balie", branch="Annen",
)

KASSABON_42 = """\
           Bibliotheek Drenthe
              Kruisakkers 41
              9468 BG ANNEN

                 KASSABON
             28-11-2026 10:05
------------------------------------------
Vestiging                Annen / Kas Annen
Klant                   Mw. A. van de Test
Pasnummer                   29401000075801
------------------------------------------
Abonnement Basis                   € 56,00
------------------------------------------
Totaal                             € 56,00
Betaald met                      Kas Annen
Ontvangen                          € 60,00
Teruggave                           € 4,00

Medewerker                        J. Balie
Bonnummer                              812

        [CODABAR A29401000075801B]

             Bewaar deze bon.
          Bedankt en tot ziens!"""


def test_the_kassabon_reads_back_line_for_line():
    payload = escpos.kassabon(BON, header=HEADER)
    assert escpos.preview_lines(payload, 42) == KASSABON_42.splitlines()


def test_euro_is_0xd5_in_code_page_858_pinned_after_the_reset():
    payload = escpos.kassabon(BON, header=HEADER)
    assert payload.startswith(b"\x1b@\x1bt\x13")          # ESC @, then ESC t 19 (CP858)
    assert b"\xd5 56,00" in payload
    assert "€".encode("cp858") == b"\xd5"
    assert b"\xe2\x82\xac" not in payload                  # no UTF-8 € anywhere


@pytest.mark.parametrize("columns", [42, 48])
def test_no_line_is_wider_than_the_paper(columns):
    payload = escpos.kassabon(BON, header=HEADER, columns=columns)
    lines = escpos.preview_lines(payload, columns)
    assert max(len(line) for line in lines) == columns
    assert lines[13].endswith("€ 56,00") and len(lines[13]) == columns


def test_card_number_barcodes():
    codabar = escpos.kassabon(BON)
    assert b"\x1dkG\x10A29401000075801B" in codabar          # GS k 71, 16 bytes, A…B
    code128 = escpos.kassabon(BON, barcode="code128")
    assert b"\x1dkI\x10{B29401000075801" in code128         # GS k 73, {B prefix
    assert "[CODE128 29401000075801]" in [x.strip() for x in escpos.preview_lines(code128, 42)]


def test_building_prints_nothing_on_stdout(capsys):
    escpos.kassabon(BON)
    assert capsys.readouterr().out == ""


def test_a_name_cannot_smuggle_printer_commands():
    bon = escpos.Klantbon(at=AT, customer_name="Jan\x1b@\x1dV\x00Kwaad\u202e", card_number="")
    payload = escpos.klantbon(bon)
    lines = escpos.preview_lines(payload, 42)
    assert "Naam" in lines[3] and lines[3].endswith("Jan@VKwaad")
    assert payload.count(b"\x1dV") == 1                      # only the real cut


def test_characters_outside_cp858_are_transliterated():
    assert escpos.receipt_text("Łukasz Żółć – “café”") == 'Lukasz Zólc - "café"'
    assert escpos.receipt_text("王") == "?"


def test_inschrijfbewijs_lines():
    bewijs = escpos.Inschrijfbewijs(
        at=AT, customer_name="Mw. A. van de Test", card_number="29401000075801",
        address_lines=("Kruisakkers 41", "9468 BG ANNEN"), branch="Annen",
        subscription="Basis", valid_until=dt.date(2027, 11, 30), amount_cents=5600,
        username="ATest", username_pending=True, registered_on=AT.date())
    lines = escpos.preview_lines(escpos.inschrijfbewijs(bewijs, header=HEADER), 42)
    text = "\n".join(lines)
    assert "INSCHRIJFBEWIJS" in text
    for label, value in [("Pasnummer", "29401000075801"), ("Abonnement", "Basis"),
                         ("Geldig t/m", "30-11-2027"), ("Contributie", "€ 56,00"),
                         ("Inlogaccount", "ATest")]:
        assert any(line.startswith(label) and line.endswith(value) for line in lines), label
    assert "Activeer uw inlogaccount" in text
    assert "[CODABAR A29401000075801B]" in [x.strip() for x in lines]


def test_document_builds_any_form_from_rows():
    payload = escpos.document(
        "SEPA-machtiging", ["Doorlopende machtiging", escpos.RULE,
                            ("Kenmerk machtiging", "MDT-381847-1"),
                            escpos.Strong(("IBAN", "NL91 ABNA •••• 4300"))],
        columns=48, barcode=escpos.Barcode("6775991190016261", "code128"), at=AT)
    lines = escpos.preview_lines(payload, 48)
    assert lines[0].strip() == "SEPA-MACHTIGING"
    assert lines[3:5] == ["Doorlopende machtiging", "-" * 48]
    assert lines[5] == "Kenmerk machtiging" + " " * 18 + "MDT-381847-1"
    assert lines[6].startswith("IBAN") and lines[6].endswith("NL91 ABNA **** 4300")
    assert "[CODE128 6775991190016261]" in [x.strip() for x in lines]


def test_a_forms_document_code_can_go_at_the_top_left():
    rows = ["Doorlopende machtiging", ("Kenmerk machtiging", "381847-001")]
    code = escpos.Barcode("6775991190016261", escpos.CODABAR)
    top = escpos.document("SEPA-machtiging", rows, barcode=code, at=AT, header=HEADER,
                          barcode_on_top=True)
    barcode_at = top.index(b"\x1dk")
    assert barcode_at < top.index(HEADER.library.encode("cp858"))   # before any text row
    assert barcode_at < top.index(b"SEPA-MACHTIGING")
    assert top.count(b"\x1dk") == 1
    assert b"\x1ba\x01" not in top[:barcode_at + 30]              # not centred: left
    lines = [x.strip() for x in escpos.preview_lines(top, 42)]
    assert lines.index("[CODABAR A6775991190016261B]") < lines.index("SEPA-MACHTIGING")
    # by default it stays under the rows (receipts: the card number)
    below = escpos.document("SEPA-machtiging", rows, barcode=code, at=AT, header=HEADER)
    assert below.index(b"\x1dk") > below.index(b"381847-001")


def test_the_preview_refuses_what_it_does_not_understand():
    with pytest.raises(ValueError, match="unknown command"):
        escpos.preview_lines(b"\x1b@\x1bZabc\n")


@pytest.mark.parametrize(("offline", "paper", "problem"), [
    (0x12, 0x12, None),
    (0x16, 0x12, "klep van de bonprinter is open"),
    (0x32, 0x72, "bonrol is op"),
    (0x52, 0x12, "storing"),
])
def test_status_bytes(offline, paper, problem):
    status = escpos.parse_status(offline, paper)
    assert status.problem == problem or problem in status.problem


def test_status_bytes_need_their_fixed_bits():
    assert escpos.is_status_byte(0x12) and escpos.is_status_byte(0x16)
    assert not escpos.is_status_byte(ord("O"))


def test_a_network_printer_with_its_cover_open_prints_nothing():
    with FakeReceiptPrinter(offline=0x16) as printer:
        with open_transport(printer.url, timeout=0.5) as transport:
            with pytest.raises(PrinterError) as err:
                escpos.send(transport, escpos.kassabon(BON))
    assert "klep van de bonprinter is open" in err.value.message
    assert printer.queries == [2, 4]
    assert printer.received == b""


def test_a_network_printer_prints_and_warns_when_paper_runs_low():
    payload = escpos.kassabon(BON)
    with FakeReceiptPrinter(paper=0x1E) as printer:
        with open_transport(printer.url, timeout=0.5) as transport:
            status = escpos.send(transport, payload)
        for _ in range(100):
            if len(printer.received) >= len(payload):
                break
            import time

            time.sleep(0.01)
    assert status.warning == "De bonrol is bijna op."
    assert bytes(printer.received) == payload


def test_a_printer_that_should_answer_status_and_does_not_gets_nothing_to_print():
    with FakeReceiptPrinter(answer=False) as printer:
        with open_transport(printer.url, timeout=0.5) as transport:
            with pytest.raises(PrinterError, match="antwoordt niet op de statusvraag"):
                escpos.send(transport, b"\x1b@x\n", status_timeout=0.05)
    assert b"x" not in printer.received


def test_a_printer_configured_without_status_is_sent_to_unasked():
    with FakeReceiptPrinter(answer=False) as printer:
        with open_transport(printer.url, timeout=0.5) as transport:
            assert escpos.send(transport, b"\x1b@x\n", check_status=False) is None
        for _ in range(100):
            if printer.received:
                break
            import time

            time.sleep(0.01)
    assert bytes(printer.received) == b"\x1b@x\n" and printer.queries == []
