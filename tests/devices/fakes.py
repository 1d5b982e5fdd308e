"""Printers for tests: an Evolis card printer on a pty, an ESC/POS printer on a TCP port.

The fakes parse what they receive on their own (they do not use the code under test) and
answer as configured, so that the drivers meet something that behaves like a printer.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty

PANEL_BYTES = 648 * 1016 // 8     # a 1-bit panel, 648 dots a line, 1016 lines


class FakeEvolis:
    """An Evolis printer at the slave end of a pty: ``url`` is the device path to print to.

    ``replies`` maps a command name (``Rfv``, ``Ss``, ``Db`` ...) to the text it answers instead
    of ``OK``; ``stall_on`` names a command after which the printer stops reading (its buffer
    fills up, the sender's write times out); ``silent`` never answers.
    """

    def __init__(self, *, replies: dict[str, str] | None = None, stall_on: str | None = None,
                 silent: bool = False, firmware: str = "Evolis Primacy 1.7.3",
                 serial_number: str = "PRI123456") -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.url = os.ttyname(self.slave)
        self.replies = dict(replies or {})
        self.replies.setdefault("Rfv", firmware)
        self.replies.setdefault("Rsn", serial_number)
        self.stall_on = stall_on
        self.silent = silent
        self.commands: list[str] = []
        self.panels: list[bytes] = []
        self.garbage = 0
        self.stalled = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._last = "OK"

    def __enter__(self) -> FakeEvolis:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self.slave)

    def _run(self) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            if self.stalled:
                time.sleep(0.01)
                continue
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            try:
                buffer += os.read(self.master, 65536)
            except OSError:
                time.sleep(0.01)
                continue
            self._parse(buffer)

    def _parse(self, buffer: bytearray) -> None:
        while buffer and not self.stalled:
            if buffer[0] != 0x1B:
                del buffer[0]
                self.garbage += 1
                continue
            if buffer[1:8] == b"Db;k;2;":
                need = 8 + PANEL_BYTES + 1
                if len(buffer) < need:
                    if self.stall_on == "Db":
                        self.stalled = True
                    return
                if buffer[need - 1] != 0x0D:
                    raise AssertionError("Db data not followed by CR")
                self.panels.append(bytes(buffer[8:need - 1]))
                del buffer[:need]
                self._answer("Db")
                continue
            end = buffer.find(b"\r")
            if end < 0:
                return
            command = bytes(buffer[1:end]).decode("ascii")
            del buffer[:end + 1]
            self._answer(command)

    def _answer(self, command: str) -> None:
        self.commands.append(command)
        name = command.split(";")[0]
        if self.silent:
            return
        default = self._last if name == "Rlr" else "OK"
        reply = self.replies.get(name, default)
        self._last = reply
        os.write(self.master, reply.encode("ascii") + b"\r")
        if self.stall_on == name:
            self.stalled = True


def panel_picture(panel: bytes):  # a Pillow image
    """The card as a picture, from the panel bytes (1 = ink), independent of the driver."""
    from PIL import Image

    white_is_one = bytes(255 - b for b in panel)
    portrait = Image.frombytes("1", (648, 1016), white_is_one)
    return portrait.rotate(90, expand=True)     # back to landscape 1016×648


class FakeReceiptPrinter:
    """An ESC/POS printer on a TCP port: answers DLE EOT with the configured status bytes."""

    def __init__(self, *, offline: int = 0x12, paper: int = 0x12, answer: bool = True) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self.offline, self.paper, self.answer = offline, paper, answer
        self.received = bytearray()
        self.queries: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FakeReceiptPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.server.close()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        self.server.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.05)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    self._take(conn, data)

    def _take(self, conn: socket.socket, data: bytes) -> None:
        i = 0
        while i < len(data):
            if data[i:i + 2] == b"\x10\x04" and i + 2 < len(data):
                n = data[i + 2]
                self.queries.append(n)
                if self.answer:
                    conn.sendall(bytes([self.offline if n == 2 else self.paper]))
                i += 3
                continue
            self.received.append(data[i])
            i += 1


def refused_port() -> int:
    """A local port nobody listens on: bound, then closed."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
