"""The ledenpas: the bitmap scans back to the card number; a fake printer on a pty takes it."""

from __future__ import annotations

import time

import pytest
import zxingcpp

from tests.devices.fakes import FakeEvolis, panel_picture
from tui_desk.devices import evolis
from tui_desk.devices.transports import PrinterError, open_transport

CARD = "29401000075801"
FIELDS = evolis.CardFields("Bibliotheek Drenthe", "A. van de Test", CARD)


def scanned(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize(("symbology", "expected"), [
    ("codabar", "A29401000075801B"),
    ("code128", CARD),
])
def test_the_card_bitmap_scans_as_the_card_number(symbology, expected):
    fields = evolis.CardFields("Bibliotheek Drenthe", "A. van de Test", CARD, symbology)
    payload = evolis.print_job(fields)
    panel = evolis.panel_of(payload)
    assert len(panel) == 648 * 1016 // 8
    image = panel_picture(panel)
    assert image.size == (1016, 648)
    assert scanned(image) == [expected]


def test_the_command_stream_is_framed_as_the_guide_says():
    payload = evolis.print_job(FIELDS)
    frames = evolis.split_frames(payload)
    assert evolis.frames_summary(frames) == ["Pr;k", "Ss", "Sr", "Db;k;2;…", "Se"]
    assert all(f.startswith(b"\x1b") and f.endswith(b"\r") for f in frames)
    assert b"".join(frames) == payload
    assert payload.startswith(b"\x1bPr;k\r\x1bSs\r\x1bSr\r\x1bDb;k;2;")
    assert payload.endswith(b"\r\x1bSe\r")


def test_a_panel_with_cr_bytes_inside_still_splits_by_length():
    data = bytes([0x0D]) * evolis.PANEL_BYTES
    payload = evolis.frame("Ss") + evolis.frame(evolis.DB_PREFIX + data) + evolis.frame("Se")
    assert evolis.frames_summary(evolis.split_frames(payload)) == ["Ss", "Db;k;2;…", "Se"]


def test_ink_is_one_and_the_card_is_turned_a_quarter():
    from PIL import Image, ImageDraw

    image = Image.new("1", (1016, 648), 1)
    ImageDraw.Draw(image).rectangle((0, 0, 7, 0), fill=0)      # 8 black dots, top left
    data = evolis.panel_bytes(image)
    assert sum(bin(b).count("1") for b in data) == 8            # 1 = ink
    assert evolis.panel_image(data).tobytes() == image.tobytes()


def test_long_names_are_shrunk_or_cut_and_controls_dropped():
    fields = evolis.CardFields("Bibliotheek", "\x1b[2JMw. " + "Heel-Lange-Achternaam" * 6, CARD)
    assert scanned(panel_picture(evolis.panel_of(evolis.print_job(fields)))) == [
        "A29401000075801B"]
    assert "\x1b" not in "".join(evolis.preview_lines(fields))


@pytest.mark.parametrize(("reply", "words"), [
    ("OK", None),
    ("ERR COVER OPEN", "klep"),
    ("ERR_COVER_OPEN", "klep"),
    ("ERR RIBBON ENDED", "lint van de pasprinter is op"),
    ("DEF_NO_RIBBON", "geen lint"),
    ("ERR FEEDER EMPTY", "invoerbak van de pasprinter is leeg"),
    ("ERR_HOPPER_FULL", "uitvoerbak"),
    ("ERR MECHANICAL", "vast"),
    ("ERR CDE", "kent een opdracht niet"),
    ("ERR PARAM", "weigert een waarde"),
    ("ERR 42", "meldt een fout: ERR 42"),
])
def test_printer_replies_become_dutch_messages(reply, words):
    problem = evolis.reply_problem(reply)
    if words is None:
        assert problem is None
    else:
        assert words in problem
        assert reply in problem      # the printer's own words, for the technician


def send_to(fake: FakeEvolis, *, replies: bool = True, timeout: float = 0.3):
    with open_transport(fake.url, timeout=timeout, baudrate=921600) as transport:
        return evolis.send(transport, evolis.print_job(FIELDS), replies=replies,
                           timeout=timeout)


def test_the_fake_printer_on_a_pty_gets_a_card_that_scans():
    with FakeEvolis() as fake:
        info = send_to(fake)
    assert info.firmware == "Evolis Primacy 1.7.3"
    assert info.serial_number == "PRI123456"
    assert fake.commands == ["Rfv", "Rsn", "Pr;k", "Ss", "Sr", "Db", "Se"]
    assert fake.garbage == 0
    assert [digits(t) for t in scanned(panel_picture(fake.panels[0]))] == [CARD]


def test_without_replies_the_frames_go_in_one_stream():
    with FakeEvolis(silent=True) as fake:
        send_to(fake, replies=False)
        deadline = time.monotonic() + 2
        while len(fake.commands) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert fake.commands == ["Pr;k", "Ss", "Sr", "Db", "Se"]


def test_an_error_reply_stops_the_job_with_its_message():
    with FakeEvolis(replies={"Ss": "ERR COVER OPEN"}) as fake:
        with pytest.raises(PrinterError) as err:
            send_to(fake)
    assert "klep van de pasprinter is open" in err.value.message
    assert not err.value.retryable
    assert "Db" not in fake.commands          # nothing printed after the error


def test_a_bare_err_is_explained_by_the_last_reply():
    with FakeEvolis(replies={"Se": "ERR", "Rlr": "ERR RIBBON ENDED"}) as fake:
        with pytest.raises(PrinterError) as err:
            send_to(fake)
    assert fake.commands[-2:] == ["Se", "Rlr"]
    assert "lint van de pasprinter is op" in err.value.message


def test_a_printer_that_does_not_answer_times_out_before_anything_is_printed():
    with FakeEvolis(silent=True) as fake:
        started = time.monotonic()
        with pytest.raises(PrinterError) as err:
            send_to(fake, timeout=0.2)
    assert time.monotonic() - started < 1.5
    assert "reageert niet (time-out)" in err.value.message
    assert err.value.retryable                # only Rfv was asked: safe to try again
    assert fake.commands == ["Rfv"]


def test_a_printer_that_stops_reading_gives_a_write_timeout():
    with FakeEvolis(stall_on="Db") as fake:
        started = time.monotonic()
        with pytest.raises(PrinterError) as err:
            send_to(fake, timeout=0.2)
    assert time.monotonic() - started < 2.5
    assert "reageert niet (time-out)" in err.value.message
    assert "schrijven" in err.value.message
    assert not err.value.retryable            # part of the card went out


def test_the_preview_shows_the_fields():
    lines = evolis.preview_lines(FIELDS)
    text = "\n".join(lines)
    assert "Bibliotheek Drenthe" in text and "A. van de Test" in text and CARD in text
    assert len({len(line) for line in lines}) == 1          # a box
    assert evolis.bitmap_preview(evolis.panel_of(evolis.print_job(FIELDS)))
