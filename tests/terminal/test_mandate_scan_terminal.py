"""The signed mandate as a document, in a real terminal (tmux, 80x24): F5 prints the A4 form
(the training printer keeps the PDF), the "scan" of it (the PDF rasterised to a PNG, a little
askew, as a multifunction printer scans to its folder) lands in the scan inbox, Scan pagina finds
it by its barcode, Opslaan; the record's F6 shows the archived scan; a second, unrelated scan is
listed under Financieel ▸ Onbekende scans."""

from __future__ import annotations

import sqlite3
import time

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_demo_terminal import zoek_klant


def wait_for_file(folder, pattern: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} in {folder}")


def scan_of(pdf_path, target) -> None:
    document = pdfium.PdfDocument(pdf_path.read_bytes())
    image = document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    image.rotate(-1.5, expand=True, fillcolor=255).save(target)


def test_print_scan_match_archive_and_an_unknown_scan(demo_terminal, tmp_path):
    data = tmp_path / "data" / "tui-desk"
    inbox = data / "scan-inbox"
    term = demo_terminal()
    term.wait_for("OEFENOMGEVING", timeout=30)
    zoek_klant(term, "29401000075801", "[381847]")
    term.keys("F6")                                   # the record's Incassomachtiging
    term.wait_for("Print machtiging")
    term.keys("F5")
    term.wait_for("Geef de bankrekeninggegevens in")
    term.type("NL91ABNA0417164300")
    term.keys("F10")
    term.wait_for("Machtiging — opdracht")            # the training printer's preview
    term.keys("Escape")
    code = term.wait_for_match(r"\(code (6775\d{12})\)").group(1)

    printed = wait_for_file(data / "printer-demo", "*machtiging.pdf")
    assert printed.read_bytes().startswith(b"%PDF-")
    inbox.mkdir(parents=True, exist_ok=True)
    scan_of(printed, inbox / "scan-0001.png")
    unrelated = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(unrelated).text((100, 100), "Brief van de gemeente", fill=0)
    unrelated.save(inbox / "scan-0002.png")

    term.keys("F6")                                   # Verwerk machtiging
    term.wait_for("Actor document uploaden")
    term.wait_for("Gevonden: scan-0001.png")          # picked by its barcode
    screen = term.wait_for("01 - Incassomachtiging")
    assert code in screen and "Mw. A. van de Test" in screen
    term.keys("Enter")                                # Opslaan
    term.wait_for("Controleer gegevens incassomachtiging")
    term.keys("F10")
    term.wait_for("Vastleggen klantdocument voltooid")
    term.keys("Enter")
    screen = term.wait_for("[X] Incasso")
    assert "scan bewaard" in screen

    term.keys("F10")                                  # back to the record
    term.wait_gone("[X] Incasso")
    term.keys("F6")                                   # the record's F6 shows the archive
    screen = term.wait_for("scan bewaard")
    assert "scan-0001.png" in screen
    term.keys("Escape")
    term.wait_gone("scan bewaard")

    term.keys("M-c")                                  # Financieel
    term.wait_for("Onbekende scans")
    term.keys("Down", "Down", "Enter")
    screen = term.wait_for("scan-0002.png")
    assert "geen code gevonden" in screen and "scan-0001.png" not in screen

    assert sorted(p.name for p in inbox.iterdir()) == ["scan-0002.png"]
    raw = sqlite3.connect(sandbox_of(tmp_path))      # the trainee's own copy
    [(name, size, digest)] = raw.execute(
        "SELECT file_name, length(file_data), file_sha256 FROM customer_documents"
        " WHERE document_code = ?", (code,)).fetchall()
    assert name == "scan-0001.png" and size > 10_000 and len(digest) == 64
