"""Printer addresses, and every way of not reaching a printer, in words for the desk."""

from __future__ import annotations

import os
import socket
import time

import pytest

from tests.devices.fakes import refused_port
from tui_desk.devices.transports import (
    DEMO,
    FILE,
    SERIAL,
    TCP,
    DemoTransport,
    PrinterError,
    open_transport,
    parse_address,
)


@pytest.mark.parametrize(("url", "kind", "display"), [
    ("/dev/ttyUSB0", SERIAL, "/dev/ttyUSB0"),
    ("rfc2217://10.0.0.5:2217", SERIAL, "rfc2217://10.0.0.5:2217"),
    ("socket://balie-3.local:7000", SERIAL, "socket://balie-3.local:7000"),
    ("tcp://10.0.0.5", TCP, "10.0.0.5:9100"),
    ("tcp://10.0.0.5:9101", TCP, "10.0.0.5:9101"),
    ("file:///tmp/card.bin", FILE, "/tmp/card.bin"),
    ("demo:", DEMO, "oefenprinter"),
])
def test_addresses(url, kind, display):
    address = parse_address(url)
    assert (address.kind, address.display) == (kind, display)


@pytest.mark.parametrize(("url", "problem"), [
    ("", "is empty"),
    ("printer.local:9100", "unknown kind"),
    ("http://10.0.0.5", "unknown kind"),
    ("socket://10.0.0.5", "no port"),
    ("tcp://10.0.0.5:70000", "invalid port"),
    ("tcp://:9100", "no host"),
    ("file://relative/path", "absolute path"),
    ("/dev/tty USB0", "spaces"),
])
def test_wrong_addresses_say_why(url, problem):
    with pytest.raises(ValueError, match=problem):
        parse_address(url)


def test_a_missing_serial_port():
    with pytest.raises(PrinterError) as err:
        open_transport("/dev/ttyDOES-NOT-EXIST", timeout=0.2)
    assert err.value.message.startswith("Printer niet gevonden op /dev/ttyDOES-NOT-EXIST")
    assert err.value.retryable


def test_a_tcp_printer_that_refuses_the_connection():
    port = refused_port()
    started = time.monotonic()
    with pytest.raises(PrinterError) as err:
        open_transport(f"tcp://127.0.0.1:{port}", timeout=0.5)
    assert time.monotonic() - started < 1
    assert f"Printer op 127.0.0.1:{port} weigert de verbinding" in err.value.message
    assert err.value.retryable


def test_a_ser2net_port_that_refuses_the_connection():
    port = refused_port()
    with pytest.raises(PrinterError) as err:
        open_transport(f"socket://127.0.0.1:{port}", timeout=0.5)
    assert "weigert de verbinding" in err.value.message


def test_an_unknown_printer_host(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "create_connection", no_such_name)   # no DNS in tests
    with pytest.raises(PrinterError) as err:
        open_transport("tcp://no-such-printer.invalid:9100", timeout=0.5)
    assert "onbekend in het netwerk" in err.value.message


def test_a_serial_loop_reads_back_what_was_written():
    with open_transport("loop://", timeout=0.2) as port:
        port.write(b"OK\r")
        assert port.read_until(b"\r", 0.2) == b"OK\r"
        assert port.read(1, 0.05) == b""         # nothing more: a time-out, not a hang
        assert port.sent == 3


def test_a_file_is_appended_to(tmp_path):
    path = tmp_path / "card.bin"
    for data in (b"one", b"two"):
        with open_transport(f"file://{path}", timeout=0.2) as out:
            out.write(data)
    assert path.read_bytes() == b"onetwo"


def test_a_file_in_a_missing_folder_is_a_missing_printer(tmp_path):
    with pytest.raises(PrinterError) as err:
        open_transport(f"file://{tmp_path}/nowhere/card.bin", timeout=0.2)
    assert "Printer niet gevonden" in err.value.message


def test_a_device_that_takes_nothing_times_out(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)   # someone holds it open, reads nothing
    try:
        with open_transport(f"file://{fifo}", timeout=0.2) as out:
            with pytest.raises(PrinterError) as err:
                out.write(b"x" * 1_000_000)
    finally:
        os.close(reader)
    assert "reageert niet (time-out)" in err.value.message


def test_the_demo_printer_writes_files(tmp_path):
    with open_transport("demo:", timeout=0.2, demo_folder=tmp_path, label="7-klantbon") as out:
        assert isinstance(out, DemoTransport)
        out.write(b"\x1b@hello")
        out.attach(".txt", b"hello")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [n.split("-", 2)[2] for n in names] == ["7-klantbon.bin", "7-klantbon.txt"]
    assert (tmp_path / names[0]).read_bytes() == b"\x1b@hello"


def test_a_demo_address_may_name_its_folder(tmp_path):
    with open_transport(f"demo:{tmp_path}/kaarten", timeout=0.2, label="x") as out:
        out.write(b"1")
    assert len(list((tmp_path / "kaarten").iterdir())) == 1


def test_a_bad_address_is_a_printer_error():
    with pytest.raises(PrinterError, match="ongeldig"):
        open_transport("lpt1", timeout=0.2)
