"""The office printer: a PDF sent as one IPP Print-Job (an IPP Everywhere printer or a CUPS queue).

Addresses (a workstation's ``document_printer``):

``ipp://host[:port]/ipp/print``, ``ipps://…``
    an IPP Everywhere printer (or any IPP server: ``ipp://cups-host:631/printers/QUEUE``);
``cups:QUEUE``
    a queue of the CUPS server on this machine (``ipp://localhost:631/printers/QUEUE``);
``file:///path/folder``
    each job written as a PDF file into that folder (for a printer that watches a folder);
``demo:`` or ``demo:/folder``
    the training printer: the PDF lands in the demo folder.

Why ``ipptool``: it is the IPP client of the CUPS project (OpenPrinting), shipped by the
distribution in ``cups-ipp-utils``, the reference tool IPP Everywhere printers are tested with; it
speaks IPP and IPPS (TLS), chunking, and its own time-outs. The Python IPP clients on PyPI are
either asynchronous status readers for home automation (no Print-Job), bindings that need the
libcups headers to build (pycups), or young one-person projects. The request is a test file of
our own (``print-job.test`` beside this module): operation Print-Job, the PDF as
``application/pdf``, a job name, and it expects a job id back.

A failure becomes a ``PrinterError`` with a Dutch message; ``retryable`` is set only when no
connection was made (nothing can have been printed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from tui_desk.devices.transports import PrinterError
from tui_desk.rules.text import file_name

IPP, FILE, DEMO = "ipp", "file", "demo"
IPPTOOL = "ipptool"
HELP = "use ipp://host/ipp/print, ipps://host/ipp/print, cups:QUEUE, file:///folder or demo:"
_TEST_FILE = Path(__file__).with_name("print-job.test")
_QUEUE = re.compile(r"^[A-Za-z0-9_.-]{1,127}$")


@dataclass(frozen=True)
class DocumentPrinter:
    url: str
    kind: str            # ipp, file or demo
    target: str          # the IPP URI, or a folder

    @property
    def display(self) -> str:
        if self.kind == IPP:
            parts = urlsplit(self.target)
            return f"{parts.hostname}:{parts.port or 631}{parts.path}"
        if self.kind == DEMO:
            return "oefenprinter"
        return self.target


def parse_document_printer(url: str) -> DocumentPrinter:
    """Check an office printer address; ``ValueError`` explains a wrong one.

    >>> parse_document_printer("cups:Kantoor_A4").target
    'ipp://localhost:631/printers/Kantoor_A4'
    >>> parse_document_printer("ipp://10.20.0.30/ipp/print").display
    '10.20.0.30:631/ipp/print'
    """
    text = (url or "").strip()
    if not text:
        raise ValueError("is empty; " + HELP)
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{url!r} contains spaces")
    if text.startswith("demo:"):
        folder = text[len("demo:"):]
        return DocumentPrinter(text, DEMO, folder[2:] if folder.startswith("//") else folder)
    if text.startswith("cups:"):
        queue = text[len("cups:"):]
        if not _QUEUE.match(queue):
            raise ValueError(f"{url!r}: a CUPS queue name is letters, digits, _ . -")
        return DocumentPrinter(text, IPP, f"ipp://localhost:631/printers/{quote(queue)}")
    parts = urlsplit(text)
    if parts.scheme in ("ipp", "ipps"):
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"{url!r} has an invalid port") from None
        if not parts.hostname:
            raise ValueError(f"{url!r} has no host")
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(f"{url!r} has an invalid port")
        if not parts.path or parts.path == "/":
            raise ValueError(f"{url!r} has no printer path (e.g. /ipp/print)")
        return DocumentPrinter(text, IPP, text)
    if parts.scheme == "file":
        if not parts.path.startswith("/") or parts.netloc not in ("", "localhost"):
            raise ValueError(f"{url!r} must name an absolute folder (file:///folder)")
        return DocumentPrinter(text, FILE, parts.path)
    raise ValueError(f"unknown kind of office printer address {url!r}; " + HELP)


def is_document_printer(url: str) -> bool:
    try:
        parse_document_printer(url)
    except ValueError:
        return False
    return True


def write_file(folder: Path, name: str, pdf: bytes) -> Path:
    """Write the PDF into ``folder`` (created readable by its owner only)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{file_name(name)}.pdf"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
    except OSError as exc:
        raise PrinterError(f"De pdf kan niet worden geschreven in {folder}: "
                           f"{exc.strerror or exc}") from None
    return path


def _ipptool() -> str:
    found = shutil.which(IPPTOOL)
    if found is None:
        raise PrinterError("Het programma ipptool ontbreekt op de server (pakket cups-ipp-utils):"
                           " de kantoorprinter is niet te bereiken. Waarschuw de beheerder.")
    return found


def print_job(uri: str, pdf: bytes, *, job_name: str, timeout: float,
              user: str = "tui-desk") -> int:
    """Send ``pdf`` to the IPP printer at ``uri`` as one Print-Job; returns the job id."""
    printer = DocumentPrinter(uri, IPP, uri)
    tool = _ipptool()
    with tempfile.TemporaryDirectory(prefix="tui-desk-ipp-") as tmp:
        path = Path(tmp) / "job.pdf"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        command = [tool, "-tv", "-T", str(max(1, round(timeout))), "-f", str(path),
                   "-d", f"job_name={file_name(job_name)[:100]}", "-d", f"user={file_name(user)}",
                   uri, str(_TEST_FILE)]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=timeout * 3 + 5, stdin=subprocess.DEVNULL,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise PrinterError(f"Kantoorprinter op {printer.display} reageert niet (time-out). "
                               "Staat de printer aan?") from None
        except OSError as exc:
            raise PrinterError(f"ipptool kan niet worden gestart: {exc.strerror or exc}") from None
    output = f"{done.stdout}\n{done.stderr}"
    job = re.search(r"job-id \(integer\) = (\d+)", output)
    if done.returncode == 0 and job:
        return int(job.group(1))
    if "Unable to connect" in output:
        raise PrinterError(f"Kantoorprinter op {printer.display} is niet bereikbaar. Staat de "
                           "printer aan en is het netwerk in orde?", retryable=True)
    status = re.search(r"status-code = ([a-z-]+)", output)
    if status:
        raise PrinterError(f"Kantoorprinter op {printer.display} weigert de opdracht "
                           f"({status.group(1)}).")
    raise PrinterError(f"Kantoorprinter op {printer.display}: de opdracht is niet "
                       "aangenomen.")


def send(url: str, pdf: bytes, *, job_name: str, timeout: float,
         demo_folder: Path) -> list[str]:
    """Print ``pdf`` on the office printer at ``url``; returns the files written (demo, file)."""
    try:
        printer = parse_document_printer(url)
    except ValueError as exc:
        raise PrinterError(f"Adres van de kantoorprinter {url!r} is ongeldig: {exc}") from None
    if printer.kind == IPP:
        print_job(printer.target, pdf, job_name=job_name, timeout=timeout)
        return []
    folder = Path(printer.target) if printer.target else demo_folder
    return [str(write_file(folder, job_name, pdf))]
