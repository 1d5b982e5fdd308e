"""The receipt printer's status (DLE EOT: cover, paper, error) and sending a receipt with a check
before and after (``devices.escpos`` re-exports these names)."""

from __future__ import annotations

from dataclasses import dataclass

from tui_desk.devices.transports import PrinterError, Transport


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
