"""Printer addresses (``/dev/ttyUSB0``, ``tcp://host:9100``, ``demo:`` ...; see
``devices.transports``) and ``PrinterError``; ``devices.transports`` re-exports these names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tui_desk.errors import DeskError

SERIAL = "serial"
TCP = "tcp"
FILE = "file"
DEMO = "demo"

DEFAULT_TCP_PORT = 9100
# Bytes per write: every chunk must get through within the timeout (plus its time on the wire).
CHUNK = 4096

ADDRESS_HELP = ("use a device path (/dev/ttyUSB0), tcp://host:9100, rfc2217://host:port, "
                "socket://host:port, file:///path or demo:")


class PrinterError(DeskError):
    """A printer could not be reached or refused the job; ``message`` is Dutch, for the desk.

    ``retryable``: nothing was sent yet (no connection), so trying again cannot print twice.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class PrinterAddress:
    """A parsed printer address: ``kind`` is serial, tcp, file or demo."""

    url: str
    kind: str
    target: str          # serial: the URL or path for serial_for_url; file/demo: a path; tcp: host
    port: int = 0        # tcp only

    @property
    def display(self) -> str:
        """The address as shown in messages: ``10.0.0.5:9100``, ``/dev/ttyUSB0``."""
        if self.kind == TCP:
            return f"{self.target}:{self.port}"
        if self.kind == DEMO:
            return "oefenprinter" + (f" ({self.target})" if self.target else "")
        return self.target if self.kind == FILE else self.url


def parse_address(url: str) -> PrinterAddress:
    """Check a printer address and say what it is; ``ValueError`` explains a wrong one.

    >>> parse_address("tcp://10.0.0.5").display
    '10.0.0.5:9100'
    """
    text = url.strip()
    if not text:
        raise ValueError("is empty; " + ADDRESS_HELP)
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{url!r} contains spaces")
    if text.startswith("/"):
        return PrinterAddress(text, SERIAL, text)
    if text == "demo:" or text.startswith("demo:"):
        folder = text[len("demo:"):]
        if folder.startswith("//"):
            folder = folder[2:]
        return PrinterAddress(text, DEMO, folder)
    match = re.match(r"^([a-z0-9+]+)://(.*)$", text)
    if not match:
        raise ValueError(f"unknown kind of printer address {url!r}; " + ADDRESS_HELP)
    scheme, rest = match.groups()
    if scheme == "file":
        path = urlsplit(text).path
        if not path.startswith("/") or urlsplit(text).netloc not in ("", "localhost"):
            raise ValueError(f"{url!r} must name an absolute path (file:///path)")
        return PrinterAddress(text, FILE, path)
    if scheme == "loop":
        return PrinterAddress(text, SERIAL, text)
    if scheme in ("tcp", "rfc2217", "socket"):
        parts = urlsplit(text)
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            raise ValueError(f"{url!r} has an invalid port") from None
        if not host:
            raise ValueError(f"{url!r} has no host")
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(f"{url!r} has an invalid port")
        if scheme == "tcp":
            if parts.path not in ("", "/") or parts.query:
                raise ValueError(f"{url!r}: a tcp address is only host:port")
            return PrinterAddress(text, TCP, host, port or DEFAULT_TCP_PORT)
        if port is None:
            raise ValueError(f"{url!r} has no port ({scheme}://host:port)")
        return PrinterAddress(text, SERIAL, text)
    raise ValueError(f"unknown kind of printer address {url!r}; " + ADDRESS_HELP)
