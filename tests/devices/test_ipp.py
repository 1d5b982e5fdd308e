"""The mandate form on a real IPP Everywhere printer: ``ippeveprinter`` (CUPS's simulator from
the distribution's cups-ipp-utils) on a free loopback port. The job goes through the print
spool and arrives there as a PDF; with the simulator stopped it stays in the Printwachtrij with a
Dutch message. In CI (``CI`` set) a missing simulator fails the test instead of skipping it."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.factories import make_manual_customer, make_staff
from tests.tables import parses, refuses_each
from tui_desk.config import Workstation
from tui_desk.devices import ipp
from tui_desk.services import mandates as svc
from tui_desk.services import printing
from tui_desk.store import print_jobs

IBAN = "NL20INGB0001234567"


def _need(program: str, package: str) -> str:
    found = shutil.which(program) or next(
        (str(p) for p in (Path("/usr/sbin") / program, Path("/usr/bin") / program)
         if p.exists()), None)
    if found is None:
        message = f"{program} is needed for this test (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _wait(condition, timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _dbus_running() -> bool:
    with socket.socket(socket.AF_UNIX) as bus:
        try:
            bus.connect("/run/dbus/system_bus_socket")
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


@pytest.fixture
def ipp_printer(tmp_path):
    """(port, spool folder, stop()) of an ippeveprinter; dbus and avahi-daemon are started when
    they are not running, and only what was started here is stopped afterwards."""
    simulator = _need("ippeveprinter", "cups-ipp-utils")
    dbus = _need("dbus-daemon", "dbus")
    avahi = _need("avahi-daemon", "avahi-daemon")
    started: list[int] = []
    if not _dbus_running():
        Path("/run/dbus").mkdir(parents=True, exist_ok=True)
        Path("/run/dbus/pid").unlink(missing_ok=True)      # left by a bus that stopped
        out = subprocess.run([dbus, "--system", "--fork", "--print-pid"], capture_output=True,
                             text=True, check=True, timeout=10)
        started.append(int(out.stdout.split()[0]))
    if subprocess.run([avahi, "--check"], capture_output=True, check=False).returncode != 0:
        subprocess.run([avahi, "-D"], capture_output=True, check=True, timeout=10)
        pidfile = Path("/run/avahi-daemon/pid")
        _wait(pidfile.exists, what="avahi-daemon")
        started.append(int(pidfile.read_text().split()[0]))
    spool = tmp_path / "spool"
    spool.mkdir()
    port = _free_port()
    process = subprocess.Popen(
        [simulator, "-p", str(port), "-d", str(spool),
         "-f", "application/pdf", "-k", f"tui-desk-test-{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _wait(lambda: _listening(port) or process.poll() is not None, what="ippeveprinter")
    assert process.poll() is None, "ippeveprinter stopped at once"

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)

    yield port, spool, stop
    stop()
    for pid in reversed(started):
        if _pid_alive(pid):
            os.kill(pid, signal.SIGTERM)


def test_the_mandate_is_printed_on_the_ipp_printer_and_waits_when_it_is_off(
        db, clock, config, ipp_printer):
    port, spool, stop = ipp_printer
    url = f"ipp://127.0.0.1:{port}/ipp/print"
    config = dataclasses.replace(config, printing=dataclasses.replace(
        config.printing, retry_delay=0.0, timeout=5.0))
    desk = Workstation("annen-balie-1", "9401", document_printer=url)
    staff = make_staff(db)
    customer = make_manual_customer(db)
    form = svc.print_new_mandate(db, clock, staff, config, customer, IBAN, "",
                                 "Mw. A. van de Test", "ANNEN")

    outcome = svc.print_mandate_form(db, clock, config, desk, form, staff=staff)
    assert outcome.ok, outcome.message
    job = printing.get_job(db, outcome.job_id)
    assert (job.status, job.printer, job.options["format"]) == (print_jobs.DONE, url, "pdf")
    _wait(lambda: any(spool.glob("*.pdf")), what="the job in the spool folder")
    [arrived] = list(spool.glob("*.pdf"))
    assert arrived.read_bytes() == job.payload and job.payload.startswith(b"%PDF-")

    stop()
    request = svc.mandate_print_request(db, clock, config, desk, form, staff=staff,
                                        reprint=True)
    failed = printing.send_request(db, clock, config, request)
    assert not failed.ok
    assert f"Kantoorprinter op 127.0.0.1:{port}/ipp/print is niet bereikbaar" in failed.message
    assert "staat in de Printwachtrij" in failed.message
    [waiting] = printing.list_jobs(db, "annen-balie-1", limit=1)
    assert (waiting.status, waiting.tries) == (print_jobs.FAILED, 2)   # tried again: not sent
    assert "niet bereikbaar" in printing.describe(waiting)["Laatste fout"]


test_office_printer_addresses = parses(lambda address: ipp.parse_document_printer(address).target, [
    ("ipp://10.20.0.30/ipp/print", "ipp://10.20.0.30/ipp/print"),
    ("ipps://printer.bibliotheek.nl:443/ipp/print", "ipps://printer.bibliotheek.nl:443/ipp/print"),
    ("cups:Kantoor_A4", "ipp://localhost:631/printers/Kantoor_A4"),
    ("file:///var/spool/a4", "/var/spool/a4"),
    ("demo:", ""),
])

test_wrong_office_printer_addresses_are_refused = refuses_each(
    ValueError, ipp.parse_document_printer,
    ["", "ipp://", "ipp://host", "lpr://host/q", "cups:twee woorden", "tcp://10.0.0.1:9100"])


def test_a_pdf_for_a_file_printer_is_written_readable_by_its_owner_only(tmp_path):
    [written] = ipp.send(f"file://{tmp_path}/a4", b"%PDF-1.4\n", job_name="1-machtiging",
                         timeout=1, demo_folder=tmp_path / "demo")
    assert Path(written).read_bytes() == b"%PDF-1.4\n"
    assert Path(written).stat().st_mode & 0o777 == 0o600
