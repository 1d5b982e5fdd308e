"""How bytes reach a printer at the counter: serial, raw TCP, a file or device, or the demo folder.

A printer is named by an address (the configuration's ``receipt_printer`` / ``card_printer``):

``/dev/ttyUSB0``
    a serial port on the server, opened through ``serial.serial_for_url``;
``rfc2217://host:port``, ``socket://host:port``
    a serial port exported by the thin client (ser2net), also through ``serial_for_url``;
``tcp://host:9100``
    a network printer's raw port (the port defaults to 9100);
``file:///path``
    a file (appended to) or a device node such as ``/dev/usb/lp0``;
``demo:`` or ``demo:/folder``
    the demo device: every job becomes a file in a folder (the configured demo folder).

Every operation has a timeout: serial ports are opened with ``timeout`` and ``write_timeout``
(pyserial's defaults block forever), sockets with a connect and send timeout, device files are
written without blocking. Every failure becomes a ``PrinterError`` with a Dutch message for the
person at the counter; ``retryable`` says that nothing reached the printer yet, so that sending
again cannot produce a second copy.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import select
import socket
import time
from pathlib import Path
from typing import Protocol, Self

from tui_desk.devices.addresses import (  # noqa: F401 - re-exported
    ADDRESS_HELP,
    CHUNK,
    DEFAULT_TCP_PORT,
    DEMO,
    FILE,
    SERIAL,
    TCP,
    PrinterAddress,
    PrinterError,
    parse_address,
)
from tui_desk.files import private_dir, write_private
from tui_desk.rules.text import file_name


class Transport(Protocol):
    """An open connection to a printer."""

    address: PrinterAddress
    can_read: bool
    sent: int          # bytes written so far

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...

    def read_until(self, terminator: bytes, timeout: float, limit: int = 4096) -> bytes: ...

    def close(self) -> None: ...


class _Base:
    can_read = True

    def __init__(self, address: PrinterAddress, timeout: float) -> None:
        self.address = address
        self.timeout = timeout
        self.sent = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _broken(self, detail: object) -> PrinterError:
        """The connection broke off while writing or reading."""
        return PrinterError(f"Verbinding met printer op {self.address.display} verbroken: {detail}")

    def _timeout_error(self, what: str = "") -> PrinterError:
        return PrinterError(
            f"Printer reageert niet (time-out) op {self.address.display}{what}. "
            "Staat de printer aan en is hij verbonden?",
            retryable=self.sent == 0,
        )

    def read(self, size: int, timeout: float) -> bytes:  # pragma: no cover - overridden
        raise NotImplementedError

    def read_until(self, terminator: bytes, timeout: float, limit: int = 4096) -> bytes:
        """Bytes up to and including ``terminator``; what came before a time-out otherwise."""
        deadline = time.monotonic() + timeout
        got = b""
        while not got.endswith(terminator) and len(got) < limit:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            chunk = self.read(1, left)
            if not chunk:
                break
            got += chunk
        return got

    def close(self) -> None:  # pragma: no cover - overridden
        pass


# -- serial (device path, rfc2217://, socket://) ----------------------------------------------
class SerialTransport(_Base):
    def __init__(self, address: PrinterAddress, timeout: float, baudrate: int) -> None:
        super().__init__(address, timeout)
        import serial

        self._serial_module = serial
        self.baudrate = baudrate
        try:
            self.port = serial.serial_for_url(
                address.target, baudrate=baudrate, timeout=timeout, write_timeout=timeout,
            )
        except serial.SerialException as exc:
            raise _serial_open_error(address, exc) from None
        except (OSError, ValueError) as exc:
            raise PrinterError(f"Printer op {address.display} kan niet worden geopend: {exc}",
                               retryable=True) from None

    def write(self, data: bytes) -> None:
        serial = self._serial_module
        # Each chunk gets the timeout plus its own time on the wire (10 bits a byte).
        for start in range(0, len(data), CHUNK):
            chunk = data[start:start + CHUNK]
            self.port.write_timeout = self.timeout + len(chunk) * 10 / max(self.baudrate, 1)
            # No flush(): tcdrain has no time-out and waits forever on a port held by
            # hardware flow control. write() returns once the kernel has the bytes.
            try:
                written = self.port.write(chunk)
            except serial.SerialTimeoutException:
                raise self._timeout_error(" (schrijven)") from None
            except serial.SerialException as exc:
                raise self._broken(exc) from None
            except OSError as exc:
                raise self._broken(exc.strerror or exc) from None
            self.sent += written or 0
            if written is not None and written < len(chunk):
                raise self._timeout_error(" (schrijven)")

    def read(self, size: int, timeout: float) -> bytes:
        serial = self._serial_module
        self.port.timeout = timeout
        try:
            return bytes(self.port.read(size))
        except serial.SerialException as exc:
            raise self._broken(exc) from None
        except OSError as exc:
            raise self._broken(exc.strerror or exc) from None

    def close(self) -> None:
        try:
            self.port.close()
        except Exception:  # closing a broken port must not hide the real error
            pass


def _serial_open_error(address: PrinterAddress, exc: Exception) -> PrinterError:
    cause = exc.__context__ or exc.__cause__
    number = getattr(exc, "errno", None) or getattr(cause, "errno", None)
    text = str(exc)
    if number == errno.ENOENT or "No such file" in text:
        return PrinterError(f"Printer niet gevonden op {address.display}. Is de printer "
                            "aangesloten en is de poort juist ingesteld?", retryable=True)
    if isinstance(cause, ConnectionRefusedError) or number == errno.ECONNREFUSED or (
            "refused" in text.lower()):
        return PrinterError(f"Printer op {address.display} weigert de verbinding. Staat de "
                            "printer (of de poortserver op de balie-pc) aan?", retryable=True)
    if number in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return PrinterError(f"Geen toegang tot de printer op {address.display} "
                            "(rechten van de poort).", retryable=False)
    if number == errno.EBUSY or "busy" in text.lower():
        return PrinterError(f"Printer op {address.display} is in gebruik door een ander "
                            "programma.", retryable=True)
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return PrinterError(f"Printer reageert niet (time-out) op {address.display}.",
                            retryable=True)
    return PrinterError(f"Printer op {address.display} kan niet worden geopend: {exc}",
                        retryable=True)


# -- raw TCP (port 9100) ---------------------------------------------------------------------
class TcpTransport(_Base):
    def __init__(self, address: PrinterAddress, timeout: float) -> None:
        super().__init__(address, timeout)
        try:
            self.sock = socket.create_connection((address.target, address.port), timeout=timeout)
        except ConnectionRefusedError:
            raise PrinterError(f"Printer op {address.display} weigert de verbinding. Staat de "
                               "printer aan?", retryable=True) from None
        except TimeoutError:
            raise PrinterError(f"Printer reageert niet (time-out) op {address.display}. Staat "
                               "de printer aan en is het netwerk in orde?",
                               retryable=True) from None
        except socket.gaierror:
            raise PrinterError(f"Printer {address.target} is onbekend in het netwerk "
                               "(naam niet gevonden).", retryable=True) from None
        except OSError as exc:
            raise PrinterError(f"Printer op {address.display} is niet bereikbaar: "
                               f"{exc.strerror or exc}", retryable=True) from None

    def write(self, data: bytes) -> None:
        for start in range(0, len(data), CHUNK):
            chunk = data[start:start + CHUNK]
            try:
                self.sock.sendall(chunk)
            except TimeoutError:
                raise self._timeout_error(" (versturen)") from None
            except OSError as exc:
                raise self._broken(exc.strerror or exc) from None
            self.sent += len(chunk)

    def read(self, size: int, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise self._broken(exc.strerror or exc) from None
        finally:
            self.sock.settimeout(self.timeout)

    def close(self) -> None:
        # Closing with unread bytes from the printer (a status it sent on its own) would reset
        # the connection and could drop the end of the receipt: say we are done, read what is
        # left for a moment, then close.
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + min(self.timeout, 1.0)
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                if not self.sock.recv(4096):
                    break
        except OSError:
            pass
        finally:
            self.sock.close()


# -- a file or a device node -----------------------------------------------------------------
class FileTransport(_Base):
    """Appends to a file, or writes to a device node without ever blocking past the timeout."""

    can_read = False

    def __init__(self, address: PrinterAddress, timeout: float) -> None:
        super().__init__(address, timeout)
        flags = os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        path = address.target
        if not os.path.exists(path) and not path.startswith("/dev/"):
            flags |= os.O_CREAT
        try:
            self.fd = os.open(path, flags, 0o600)
        except FileNotFoundError:
            raise PrinterError(f"Printer niet gevonden op {path}.", retryable=True) from None
        except PermissionError:
            raise PrinterError(f"Geen toegang tot {path} (rechten).") from None
        except OSError as exc:
            raise PrinterError(f"{path} kan niet worden geopend: {exc.strerror or exc}",
                               retryable=True) from None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + self.timeout
        while view:
            try:
                n = os.write(self.fd, view[:CHUNK])
            except BlockingIOError:
                n = 0
            except OSError as exc:
                raise PrinterError(f"Schrijven naar {self.address.target} mislukt: "
                                   f"{exc.strerror or exc}") from None
            if n:
                view = view[n:]
                self.sent += n
                deadline = time.monotonic() + self.timeout
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timeout_error(" (schrijven)")
            select.select([], [self.fd], [], left)

    def read(self, size: int, timeout: float) -> bytes:
        return b""

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


# -- the demo device -------------------------------------------------------------------------
class DemoTransport(_Base):
    """Writes the job into a folder: ``<time>-<label>.bin`` and whatever ``attach`` adds."""

    can_read = False

    def __init__(self, address: PrinterAddress, timeout: float, folder: Path, label: str,
                 now: dt.datetime | None = None) -> None:
        super().__init__(address, timeout)
        self.folder = Path(address.target) if address.target else folder
        try:
            # Receipts and cards carry names and addresses: the folder is the owner's only.
            private_dir(self.folder)
        except OSError as exc:
            raise PrinterError(f"Oefenprinter: map {self.folder} kan niet worden gemaakt: "
                               f"{exc.strerror or exc}") from None
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        self.stem = self.folder / f"{stamp}-{file_name(label)}"
        self._data = bytearray()

    def write(self, data: bytes) -> None:
        self._data += data
        self.sent += len(data)

    def read(self, size: int, timeout: float) -> bytes:
        return b""

    def attach(self, suffix: str, data: bytes) -> Path:
        """Write a companion file (a text preview, a PNG of the card) next to the job."""
        path = self.stem.with_name(self.stem.name + suffix)
        write_private(path, data, replace=True)
        return path

    def close(self) -> None:
        if self._data:
            try:
                self.attach(".bin", bytes(self._data))
            except OSError as exc:
                raise PrinterError(f"Oefenprinter: schrijven in {self.folder} mislukt: "
                                   f"{exc.strerror or exc}") from None
            self._data.clear()


def open_transport(url: str, *, timeout: float, baudrate: int = 9600,
                   demo_folder: Path | None = None, label: str = "job",
                   now: dt.datetime | None = None) -> Transport:
    """Connect to the printer at ``url``; ``PrinterError`` when that fails."""
    try:
        address = parse_address(url)
    except ValueError as exc:
        raise PrinterError(f"Printeradres {url!r} is ongeldig: {exc}") from None
    if address.kind == SERIAL:
        return SerialTransport(address, timeout, baudrate)
    if address.kind == TCP:
        return TcpTransport(address, timeout)
    if address.kind == FILE:
        return FileTransport(address, timeout)
    return DemoTransport(address, timeout, demo_folder or Path("printer-demo"), label, now)
