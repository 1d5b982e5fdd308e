"""ESC/POS bytes read back into the lines the paper will show: the demo printer's preview and
the tests use it (``devices.escpos`` re-exports ``preview_lines``)."""

from __future__ import annotations

from dataclasses import dataclass, field

_CODEPAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
_BARCODE_NAMES = {4: "CODE39", 6: "CODABAR", 69: "CODE39", 71: "CODABAR", 72: "CODE93",
                  73: "CODE128", 67: "EAN13", 68: "EAN8", 70: "ITF"}


@dataclass
class _Reader:
    data: bytes
    pos: int = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError(f"ESC/POS: command cut short at byte {self.pos}")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"ESC/POS: data cut short at byte {self.pos}")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


@dataclass
class _Page:
    columns: int | None
    lines: list[str] = field(default_factory=list)
    current: bytearray = field(default_factory=bytearray)
    encoding: str = "cp437"
    align: int = 0

    def text(self) -> str:
        return bytes(self.current).decode(self.encoding, errors="replace")

    def newline(self) -> None:
        self.put(self.text())
        self.current.clear()

    def put(self, line: str) -> None:
        if self.align == 1 and self.columns:
            line = line.strip().center(self.columns).rstrip()
        self.lines.append(line)


def preview_lines(payload: bytes, columns: int | None = None) -> list[str]:
    """The lines a receipt's ESC/POS bytes print, barcodes as ``[CODABAR A…B]``.

    Unknown commands raise ``ValueError``: the preview only claims what it understands.
    """
    r = _Reader(payload)
    page = _Page(columns)
    while r.pos < len(payload):
        b = r.byte()
        if b == 0x0A:
            page.newline()
        elif b == 0x0D:
            continue
        elif b == 0x1B:
            _esc(r, page)
        elif b == 0x1D:
            _gs(r, page)
        elif b == 0x10:
            if r.byte() != 0x04:
                raise ValueError(f"ESC/POS: unknown DLE command at byte {r.pos}")
            r.byte()
        elif b < 0x20:
            raise ValueError(f"ESC/POS: unexpected control byte 0x{b:02x} at {r.pos - 1}")
        else:
            page.current.append(b)
    if page.current:
        page.newline()
    while page.lines and not page.lines[-1].strip():
        page.lines.pop()
    return page.lines


def _esc(r: _Reader, page: _Page) -> None:
    c = r.byte()
    if c == ord("@"):
        page.encoding, page.align = "cp437", 0
    elif c == ord("t"):
        n = r.byte()
        page.encoding = _CODEPAGES.get(n, "cp437")
    elif c == ord("a"):
        page.align = r.byte() % 48
    elif c == ord("d"):
        if page.current:
            page.newline()
        page.lines.extend([""] * r.byte())
    elif c in (ord("!"), ord("E"), ord("-"), ord("G"), ord("M")):
        r.byte()
    else:
        raise ValueError(f"ESC/POS: unknown command ESC 0x{c:02x} at byte {r.pos - 2}")


def _gs(r: _Reader, page: _Page) -> None:
    c = r.byte()
    if c in (ord("!"), ord("h"), ord("w"), ord("f"), ord("H"), ord("B")):
        r.byte()
    elif c == ord("k"):
        m = r.byte()
        if m <= 6:
            data = bytearray()
            while (b := r.byte()) != 0:
                data.append(b)
        else:
            data = bytearray(r.take(r.byte()))
        text = bytes(data).decode("ascii", errors="replace")
        if text.startswith(("{B", "{A", "{C")):
            text = text[2:]
        page.put(f"[{_BARCODE_NAMES.get(m, f'BARCODE {m}')} {text}]")
    elif c == ord("V"):
        m = r.byte()
        if m in (65, 66, 97, 98, 103, 104):
            r.byte()
        if page.current:
            page.newline()
    else:
        raise ValueError(f"ESC/POS: unknown command GS 0x{c:02x} at byte {r.pos - 2}")
