"""Printers and scan inboxes: each configured device is reached, nothing is sent."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui_desk.config import Config, Workstation
from tui_desk.services.doctor.common import NETWORK_TIMEOUT, Check

# -- printers --------------------------------------------------------------------------------------
PRINTER_KINDS: tuple[tuple[str, str], ...] = (
    ("receipt_printer", "bonprinter"),
    ("card_printer", "pasprinter"),
)


def printer_urls(ws: Workstation) -> list[tuple[str, str]]:
    """(kind label, URL) of the printers configured for a workstation, if any."""
    found = []
    for attr, label in PRINTER_KINDS:
        url = getattr(ws, attr, None)
        if isinstance(url, str) and url.strip():
            found.append((label, url.strip()))
    return found


def probe_printer(url: str, timeout: float = NETWORK_TIMEOUT) -> None:
    """Open and close the connection to a printer, as printing would: the address is read by
    ``devices.transports.parse_address`` and opened by ``open_transport`` (``tcp://host``
    means port 9100), with a short timeout. Raises PrinterError (Dutch message) or ValueError
    (a wrong address). Nothing is sent, and nothing is made:

    - the demo printer (``demo:``) is a folder made when the first job arrives: nothing to open;
    - a ``file://`` printer that does not exist yet is made by the first job: its folder must
      exist and be writable (opening it here would create the file).
    """
    from tui_desk.devices.transports import (
        DEMO,
        FILE,
        PrinterError,
        open_transport,
        parse_address,
    )

    address = parse_address(url)
    if address.kind == DEMO:
        return
    target = Path(address.target)
    if address.kind == FILE and not target.exists() and not address.target.startswith("/dev/"):
        folder = target.parent
        if not folder.is_dir():
            raise PrinterError(f"De map {folder} voor {target.name} bestaat niet.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PrinterError(f"Geen toegang tot {folder} om {target.name} te maken (rechten).")
        return
    open_transport(url, timeout=timeout).close()


def check_printer(workstation: str, kind: str, url: str,
                  probe: Callable[[str], None] = probe_printer) -> Check:
    from tui_desk.devices.transports import PrinterError

    name = f"Printer {workstation} ({kind})"
    try:
        probe(url)
    except PrinterError as exc:
        return Check(name, False, exc.message)
    except ValueError as exc:
        return Check(name, False, f"het adres {url!r} klopt niet: {exc}")
    except Exception as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError):
            reason = "geen antwoord (time-out)"
        return Check(name, False, f"{url} niet bereikbaar: {reason}. Staat de printer aan "
                                  "en klopt het adres?")
    return Check(name, True, f"{url} bereikbaar")


def probe_document_printer(url: str, timeout: float = NETWORK_TIMEOUT) -> None:
    """The office printer: ipptool is installed and the IPP port answers (nothing is printed),
    or the ``file://`` folder is writable. Raises PrinterError or ValueError."""
    import shutil
    import socket
    from urllib.parse import urlsplit

    from tui_desk.devices import ipp
    from tui_desk.devices.transports import PrinterError

    printer = ipp.parse_document_printer(url)
    if printer.kind == ipp.DEMO:
        return
    if printer.kind == ipp.FILE:
        folder = Path(printer.target)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise PrinterError(f"De map {folder} bestaat niet of is niet schrijfbaar.")
        return
    if shutil.which(ipp.IPPTOOL) is None:
        raise PrinterError("ipptool ontbreekt (apt-get install cups-ipp-utils).")
    parts = urlsplit(printer.target)
    port = parts.port or (443 if parts.scheme == "ipps" else 631)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as exc:
        raise PrinterError(f"{printer.display} niet bereikbaar: "
                           f"{getattr(exc, 'strerror', None) or exc}.") from None


def check_scan_inboxes(cfg: Config) -> list[Check]:
    """Every configured scan inbox is a folder the service account can read and empty."""
    folders = {cfg.scanning.inbox, *(b.scan_inbox for b in cfg.branches),
               *(w.scan_inbox for w in cfg.workstations)}
    checks = []
    for folder in sorted(f for f in folders if f is not None):
        ok = folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)
        checks.append(Check(f"Scanmap {folder}", ok,
                            "leesbaar en schrijfbaar" if ok else
                            "bestaat niet, of de dienstaccount mag er niet lezen en "
                            "verwijderen"))
    return checks


def check_printers(cfg: Config) -> list[Check]:
    checks = [check_printer(ws.name, kind, url)
              for ws in cfg.workstations for kind, url in printer_urls(ws)]
    checks += [check_printer(ws.name, "kantoorprinter", ws.document_printer,
                             probe=probe_document_printer)
               for ws in cfg.workstations if ws.document_printer]
    return checks
