"""The membership card (ledenpas) on an Evolis card printer.

The front of the card is drawn with Pillow as a 1016×648 one-bit bitmap (85.6 × 54 mm at
300 dpi): the library's name, the customer's name, the card number and its barcode. The barcode
is encoded by python-barcode (Codabar with start/stop A…B as on library cards, or Code 128 by
configuration) and drawn module by module into the bitmap with a whole number of dots a module,
so that it scans; the printer's own barcodes are only Code 39 / 2 of 5.

The command set (public Evolis guide; docs/architecture.md, Devices): every command is a frame
``ESC command;param;…;param CR``. A print is

    ESC Pr;k CR               ribbon: monochrome black (k)
    ESC Ss CR                 start of sequence
    ESC Sr CR                 front side (recto)
    ESC Db;k;2;<data> CR      download the panel: colour k, 2 levels (1 bit a dot)
    ESC Se CR                 end of sequence: print and eject

Assumptions, where the public material is thin (checked against the open-source
Printer::EVOLIS driver and simulator for the Dualys, not against a printer):

* the panel is sent as 648 dots a line (81 bytes, most significant bit first, 1 = ink) times
  1016 lines: the landscape card turned a quarter clockwise (``Image.ROTATE_270``), 82,296 bytes;
* the data of ``Db`` is binary and may contain CR: its length is fixed by the panel size, the
  frame's CR follows the last byte;
* on a connection that can be read, the printer answers every command with a line ending in CR:
  ``OK`` or an error text. Before a job ``Rfv`` (firmware version) and ``Rsn`` (serial number)
  are read, which also proves the printer is there. Error texts are matched on their words
  (``COVER``, ``RIBBON``, ``FEEDER``, ``HOPPER``, ``JAM``/``MECHANICAL``, ``CDE``, ``PARAM``, …,
  also in the SDK's spelling such as ``ERR_COVER_OPEN``) and shown in Dutch with the printer's
  own text in brackets for the technician. ``Rlr`` (the last reply) is read after an error
  that came without words (``ERR`` alone) to get the reason.
* printers configured without replies (``card_replies = false``) get the frames only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_desk.devices.transports import PrinterError, Transport

if TYPE_CHECKING:  # Pillow is imported where a card is drawn
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont, ImageFont

WIDTH = 1016              # card, landscape, dots
HEIGHT = 648
PANEL_LINE_BYTES = HEIGHT // 8                 # 81: a printer line is the card's short side
PANEL_BYTES = PANEL_LINE_BYTES * WIDTH         # 82,296
ESC = b"\x1b"
CR = b"\r"
DB_PREFIX = b"Db;k;2;"

CODABAR = "codabar"
CODE128 = "code128"
BARCODES = (CODABAR, CODE128)

_INVERT = bytes(255 - i for i in range(256))


@dataclass(frozen=True)
class CardFields:
    """What the front of the ledenpas shows."""

    library: str
    name: str
    card_number: str
    barcode: str = CODABAR

    def as_dict(self) -> dict[str, str]:
        return {"library": self.library, "name": self.name, "card_number": self.card_number,
                "barcode": self.barcode}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> CardFields:
        return cls(data.get("library", ""), data.get("name", ""), data.get("card_number", ""),
                   data.get("barcode", CODABAR))


# -- drawing the card ------------------------------------------------------------------------
def clean(text: str) -> str:
    """Text fit for the card: no control or invisible format characters."""
    import unicodedata

    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C"
                   and unicodedata.category(ch) not in ("Zl", "Zp")).strip()


def barcode_modules(card_number: str, symbology: str = CODABAR) -> str:
    """The bars of the card number as '1' (bar) / '0' (space) modules, from python-barcode."""
    import barcode

    if symbology == CODE128:
        code = barcode.get("code128", card_number)
    elif symbology == CODABAR:
        code = barcode.get("codabar", f"A{card_number}B")
    else:
        raise ValueError(f"unknown barcode {symbology!r}: use {' or '.join(BARCODES)}")
    return "".join(code.build())


def _font(size: int) -> FreeTypeFont | ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size)


def _fitted(draw: ImageDraw, text: str, size: int, width: int, minimum: int = 26
            ) -> tuple[FreeTypeFont | ImageFont, str]:
    """The largest font up to ``size`` at which ``text`` fits ``width``, and the text (cut)."""
    while size > minimum and draw.textlength(text, font=_font(size)) > width:
        size -= 2
    font = _font(size)
    if draw.textlength(text, font=font) > width:
        while text and draw.textlength(text + "…", font=font) > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    return font, text


def render_front(fields: CardFields) -> Image:
    """The front of the ledenpas, 1016×648 dots, black on white, one bit a dot."""
    from PIL import Image, ImageDraw

    margin = 56
    inner = WIDTH - 2 * margin
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)

    font, text = _fitted(draw, clean(fields.library), 54, inner)
    draw.text((margin, 44), text, font=font, fill=0)
    draw.rectangle((margin, 122, WIDTH - margin, 126), fill=0)
    label = _font(30)
    draw.text((WIDTH - margin, 136), "LEDENPAS", font=label, fill=0, anchor="ra")

    font, text = _fitted(draw, clean(fields.name), 58, inner)
    draw.text((margin, 220), text, font=font, fill=0)

    modules = barcode_modules(fields.card_number, fields.barcode)
    quiet = 10
    module = max(1, min(4, inner // (len(modules) + 2 * quiet)))
    bar_width = len(modules) * module
    left = (WIDTH - bar_width) // 2
    top, bottom = 350, 510
    for i, bit in enumerate(modules):
        if bit == "1":
            x = left + i * module
            draw.rectangle((x, top, x + module - 1, bottom), fill=0)
    draw.text((WIDTH // 2, 524), fields.card_number, font=_font(40), fill=0, anchor="ma")
    return image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


def panel_bytes(image: Image) -> bytes:
    """The card image as the ``Db`` data: turned a quarter clockwise, 1 bit a dot, 1 = ink."""
    from PIL import Image

    if image.size != (WIDTH, HEIGHT):
        raise ValueError(f"the card image must be {WIDTH}×{HEIGHT}, not {image.size}")
    portrait = image.convert("1", dither=Image.Dither.NONE).transpose(
        Image.Transpose.ROTATE_270)
    data = portrait.tobytes().translate(_INVERT)     # Pillow: 1 = white; Evolis: 1 = ink
    assert len(data) == PANEL_BYTES
    return data


def panel_image(data: bytes) -> Image:
    """The card (landscape, 1016×648) from ``Db`` data: the inverse of ``panel_bytes``."""
    from PIL import Image

    if len(data) != PANEL_BYTES:
        raise ValueError(f"a panel has {PANEL_BYTES} bytes, not {len(data)}")
    portrait = Image.frombytes("1", (HEIGHT, WIDTH), data.translate(_INVERT))
    return portrait.transpose(Image.Transpose.ROTATE_90)


# -- the command stream ----------------------------------------------------------------------
def frame(command: str | bytes) -> bytes:
    """``ESC command CR``."""
    body = command.encode("ascii") if isinstance(command, str) else command
    return ESC + body + CR


def print_job(fields: CardFields) -> bytes:
    """The whole print: ribbon, start, front, panel data, end."""
    data = panel_bytes(render_front(fields))
    return b"".join([frame("Pr;k"), frame("Ss"), frame("Sr"), frame(DB_PREFIX + data),
                     frame("Se")])


def split_frames(payload: bytes) -> list[bytes]:
    """The frames of a command stream, each ``ESC … CR``; ``Db`` data taken by its length."""
    frames, pos = [], 0
    while pos < len(payload):
        if payload[pos:pos + 1] != ESC:
            raise ValueError(f"Evolis: no ESC at byte {pos}")
        if payload[pos + 1:pos + 1 + len(DB_PREFIX)] == DB_PREFIX:
            end = pos + 1 + len(DB_PREFIX) + PANEL_BYTES
            if payload[end:end + 1] != CR:
                raise ValueError(f"Evolis: Db data at byte {pos} is not {PANEL_BYTES} bytes")
        else:
            end = payload.find(CR, pos)
            if end < 0:
                raise ValueError(f"Evolis: frame at byte {pos} has no CR")
        frames.append(payload[pos:end + 1])
        pos = end + 1
    return frames


def command_name(frame_bytes: bytes) -> str:
    """``Db`` of ``ESC Db;k;2;… CR``."""
    body = frame_bytes[1:]
    return body[:8].split(b";")[0].rstrip(CR).decode("ascii", errors="replace")


def panel_of(payload: bytes) -> bytes | None:
    """The ``Db`` data of a stored job, for a preview."""
    for f in split_frames(payload):
        if f[1:1 + len(DB_PREFIX)] == DB_PREFIX:
            return f[1 + len(DB_PREFIX):-1]
    return None


# -- replies ---------------------------------------------------------------------------------
_PROBLEMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("COVER",), "De klep van de pasprinter is open. Sluit de klep en probeer opnieuw."),
    (("RIBBON", "END"), "Het lint van de pasprinter is op. Plaats een nieuw lint."),
    (("NO", "RIBBON"), "Er zit geen lint in de pasprinter."),
    (("RIBBON",), "Probleem met het lint van de pasprinter (verkeerd type of niet goed "
                  "geplaatst)."),
    (("FEEDER", "EMPTY"), "De invoerbak van de pasprinter is leeg: leg blanco passen in de "
                          "invoerbak."),
    (("NO", "CARD"), "De pasprinter heeft geen pas: leg een blanco pas in de invoer."),
    (("FEEDER",), "Storing aan de invoerbak van de pasprinter."),
    (("HOPPER",), "De uitvoerbak van de pasprinter is vol: haal de passen eruit."),
    (("REJECT",), "De afkeurbak van de pasprinter is vol of open."),
    (("JAM",), "Er zit een pas vast in de pasprinter."),
    (("MECHANICAL",), "Mechanische storing in de pasprinter: er zit mogelijk een pas vast."),
    (("CARD", "EJECT"), "Er zit nog een pas in de uitgang van de pasprinter: haal hem eruit."),
    (("HEAD",), "De printkop van de pasprinter is te warm of defect; wacht even."),
    (("TEMP",), "De pasprinter is te warm of te koud; wacht even en probeer opnieuw."),
    (("LOCKED",), "De pasprinter is vergrendeld."),
    (("CDE",), "De pasprinter kent een opdracht niet."),
    (("PARAM",), "De pasprinter weigert een waarde in de opdracht."),
    (("PAR",), "De pasprinter weigert een waarde in de opdracht."),
    (("TIMEOUT",), "De pasprinter wachtte te lang op gegevens."),
    (("BUSY",), "De pasprinter is nog bezig; probeer het zo opnieuw."),
)


def reply_text(raw: bytes) -> str:
    """A reply as text, without the CR and any NUL padding."""
    return raw.replace(b"\x00", b"").strip().decode("ascii", errors="replace")


def reply_problem(reply: str) -> str | None:
    """None for ``OK`` (or an empty reply), else a Dutch message with the printer's text.

    >>> reply_problem("ERR_COVER_OPEN")
    'De klep van de pasprinter is open. Sluit de klep en probeer opnieuw. (ERR_COVER_OPEN)'
    """
    text = reply.strip()
    if not text or text.upper() == "OK":
        return None
    words = set(re.split(r"[^A-Z0-9]+", text.upper()))
    for needed, message in _PROBLEMS:
        if all(any(w == n if n == "NO" else w.startswith(n) for w in words) for n in needed):
            return f"{message} ({text})"
    return f"De pasprinter meldt een fout: {text}"


def _is_error(reply: str) -> bool:
    upper = reply.strip().upper()
    return upper.startswith(("ERR", "ERROR", "DEF_", "NACK", "NOK")) or "ERR" in upper.split()


@dataclass(frozen=True)
class CardPrinterInfo:
    firmware: str = ""
    serial_number: str = ""


def _ask(transport: Transport, command: str, timeout: float) -> str | None:
    transport.write(frame(command))
    raw = transport.read_until(CR, timeout)
    return reply_text(raw) if raw else None


def send(transport: Transport, payload: bytes, *, replies: bool = True,
         timeout: float = 10.0) -> CardPrinterInfo:
    """Send a card job frame by frame; with replies, check each answer.

    Raises ``PrinterError`` with a Dutch message: no answer (time-out), or the printer's error.
    """
    frames = split_frames(payload)
    if not (replies and transport.can_read):
        transport.write(b"".join(frames))
        return CardPrinterInfo()
    where = transport.address.display
    firmware = _ask(transport, "Rfv", timeout)
    if firmware is None:
        raise PrinterError(f"Pasprinter reageert niet (time-out) op {where}. Staat de printer "
                           "aan en is de kabel aangesloten?", retryable=True)
    if _is_error(firmware):
        raise PrinterError(reply_problem(firmware) or firmware, retryable=False)
    serial_number = _ask(transport, "Rsn", timeout) or ""
    for f in frames:
        name = command_name(f)
        transport.write(f)
        raw = transport.read_until(CR, timeout)
        if not raw:
            raise PrinterError(f"Pasprinter reageert niet (time-out) op {where} na opdracht "
                               f"{name}.")
        reply = reply_text(raw)
        problem = reply_problem(reply)
        if problem is None:
            continue
        if reply.strip().upper() in ("ERR", "ERROR", "NACK"):
            detail = _ask(transport, "Rlr", timeout)
            if detail:
                problem = reply_problem(detail) or problem
        raise PrinterError(problem)
    return CardPrinterInfo(firmware=firmware, serial_number=serial_number)


# -- preview ---------------------------------------------------------------------------------
def _bars(modules: str, width: int) -> str:
    out = []
    step = len(modules) / width
    for i in range(width):
        part = modules[int(i * step):max(int((i + 1) * step), int(i * step) + 1)]
        share = part.count("1") / len(part)
        out.append("█" if share > 0.66 else "▌" if share > 0.33 else " ")
    return "".join(out)


def preview_lines(fields: CardFields, width: int = 46) -> list[str]:
    """A text picture of the card's front for the screen (demo mode)."""
    inner = width - 4

    def line(text: str = "", align: str = "<") -> str:
        text = clean(text)
        if len(text) > inner:
            text = text[:inner - 1] + "…"
        return f"│ {text:{align}{inner}} │"

    try:
        bars = _bars(barcode_modules(fields.card_number, fields.barcode), inner - 4)
    except Exception:  # a preview never fails on a strange number
        bars = "?" * (inner - 4)
    return [
        "┌" + "─" * (width - 2) + "┐",
        line(fields.library),
        line("─" * inner),
        line("LEDENPAS", ">"),
        line(),
        line(fields.name),
        line(),
        line(bars, "^"),
        line(bars, "^"),
        line(fields.card_number, "^"),
        "└" + "─" * (width - 2) + "┘",
    ]


def bitmap_preview(data: bytes, columns: int = 72) -> list[str]:
    """A coarse picture of a panel (half-block characters), when the fields are not known."""
    image = panel_image(data).convert("L")
    rows = max(2, round(columns * HEIGHT / WIDTH / 2) * 2)
    small = image.resize((columns, rows))
    grey = small.tobytes()  # mode L: one byte a dot, row by row
    lines = []
    for y in range(0, rows, 2):
        chars = []
        for x in range(columns):
            top, bottom = grey[y * columns + x] < 160, grey[(y + 1) * columns + x] < 160
            chars.append("█" if top and bottom else "▀" if top else "▄" if bottom else " ")
        lines.append("".join(chars).rstrip())
    return lines


def frames_summary(frames: Iterable[bytes]) -> list[str]:
    """The command names of a stream, for logs: ``['Pr;k', 'Ss', 'Sr', 'Db;k;2;…', 'Se']``."""
    out = []
    for f in frames:
        if f[1:1 + len(DB_PREFIX)] == DB_PREFIX:
            out.append("Db;k;2;…")
        else:
            out.append(f[1:-1].decode("ascii", errors="replace"))
    return out
