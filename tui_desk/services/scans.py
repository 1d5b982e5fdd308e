"""The scan inbox: the folder the multifunction printer scans signed forms to.

A signed mandate comes back as a scan (PDF, PNG, JPEG or TIFF) in the inbox of the branch or
workstation (``[scanning] inbox``, a branch's or workstation's ``scan_inbox``). Each scan's page
1 is read for the document code in its top-left barcode: a PDF is rendered with pypdfium2, an
image read with Pillow, the barcode decoded with zxing-cpp (Code 128 or Codabar, the Luhn check
digit verified). *Scan pagina* picks the scan with this mandate's code by itself; a scan whose
code matches no printed mandate waits on Financieel ▸ Onbekende scans.

Only the configured inbox is ever read: a scan is named by its file name alone (no path, no
``..``), opened relative to the inbox with ``O_NOFOLLOW`` (a symbolic link in the inbox is not
followed) and must be a regular file of at most 20 MB. No message names a path outside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_desk.config import Config, Workstation, default_data_dir
from tui_desk.errors import DeskError
from tui_desk.rules import mandates as rules

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

MAX_SCAN_BYTES = 20 * 1024 * 1024
LIST_LIMIT = 30            # the newest scans Scan pagina and Selecteer bestand show
RENDER_DPI = 200           # scans are read at this resolution (the form's bars are 0.33 mm)
# What a scan may be, by its first bytes.
FILE_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
)
SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


class ScanError(DeskError):
    """A scan that cannot be read or used; the message is Dutch and names no path."""


@dataclass(frozen=True)
class Scan:
    """A file in the inbox and the document code found on it (None: no code found)."""

    name: str
    modified: dt.datetime
    size: int
    code: str | None = None
    mtime_ns: int = 0

    @property
    def label(self) -> str:
        """``29-11 14:05  scan0012.pdf (312 kB)``"""
        return f"{self.modified:%d-%m %H:%M}  {self.name} ({max(1, self.size // 1024)} kB)"


@dataclass(frozen=True)
class ScanFile:
    name: str
    file_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# -- where ----------------------------------------------------------------------------------
def inbox_for(config: Config, workstation: Workstation | None, *, demo: bool = False
              ) -> Path | None:
    """The workstation's inbox, else its branch's, else ``[scanning] inbox``; the training
    database has one in its data folder. None: no inbox configured."""
    if workstation is not None and workstation.scan_inbox is not None:
        return workstation.scan_inbox
    branch = config.branch(workstation.branch) if workstation is not None else None
    if branch is not None and branch.scan_inbox is not None:
        return branch.scan_inbox
    if config.scanning.inbox is not None:
        return config.scanning.inbox
    if demo:
        folder = default_data_dir() / "scan-inbox"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            pass             # listing it then says the inbox cannot be read
        return folder
    return None


def no_inbox_message(workstation: Workstation | None) -> str:
    where = f"werkplek {workstation.name}" if workstation is not None else "deze werkplek"
    return (f"Voor {where} is geen scanmap ingesteld ([scanning] inbox of scan_inbox in de "
            "configuratie).")


def _check_name(name: str) -> str:
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or name != os.path.basename(name)):
        raise ScanError("Deze scan staat niet in de scanmap.")
    return name


def _open_dir(inbox: Path) -> int:
    try:
        return os.open(inbox, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        raise ScanError("De scanmap kan niet worden gelezen; waarschuw de beheerder.") from None


# -- listing --------------------------------------------------------------------------------
def list_scans(inbox: Path, *, limit: int = LIST_LIMIT, read_codes: bool = True) -> list[Scan]:
    """The newest scans in the inbox (regular files with a scan's suffix), newest first, each
    with the document code read from it when ``read_codes``."""
    found: list[Scan] = []
    try:
        entries = list(os.scandir(inbox))
    except OSError:
        raise ScanError("De scanmap kan niet worden gelezen; waarschuw de beheerder.") from None
    for entry in entries:
        if not entry.name.lower().endswith(SUFFIXES) or entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SCAN_BYTES:
            continue
        found.append(Scan(entry.name, dt.datetime.fromtimestamp(info.st_mtime), info.st_size,
                          None, info.st_mtime_ns))
    found.sort(key=lambda s: (s.mtime_ns, s.name), reverse=True)
    found = found[:limit]
    if read_codes:
        found = [with_code(inbox, s) for s in found]
    return found


def read(inbox: Path, name: str) -> ScanFile:
    """The bytes of one scan in the inbox (a PDF or an image, at most 20 MB)."""
    _check_name(name)
    folder = _open_dir(inbox)
    try:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0),
                         dir_fd=folder)
        except OSError:
            raise ScanError(f"Scan {name} staat niet (meer) in de scanmap.") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SCAN_BYTES:
            os.close(fd)
            raise ScanError(f"{name} is geen scan (of groter dan "
                            f"{MAX_SCAN_BYTES // (1024 * 1024)} MB).")
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_SCAN_BYTES + 1)
    finally:
        os.close(folder)
    kind = next((t for magic, t, _ in FILE_TYPES if data.startswith(magic)), None)
    if kind is None:
        raise ScanError(f"{name} is geen PDF of afbeelding (PNG, JPEG, TIFF).")
    return ScanFile(name, kind, data)


def remove(inbox: Path, name: str, *, expect_sha256: str | None = None) -> None:
    """Take a scan out of the inbox (archived, or thrown away from Onbekende scans). With
    ``expect_sha256`` only when the file is still the one that was archived."""
    _check_name(name)
    if expect_sha256 is not None and read(inbox, name).sha256 != expect_sha256:
        raise ScanError(f"Scan {name} is veranderd sinds hij werd gelezen en blijft in de "
                        "scanmap.")
    folder = _open_dir(inbox)
    try:
        os.unlink(name, dir_fd=folder)
    except FileNotFoundError:
        pass
    except OSError:
        raise ScanError(f"Scan {name} kan niet uit de scanmap worden gehaald; waarschuw de "
                        "beheerder.") from None
    finally:
        os.close(folder)
    _forget(inbox, name)


# -- reading the barcode ----------------------------------------------------------------------
_cache: dict[tuple[str, str, int, int], str | None] = {}
_cache_lock = threading.Lock()


def _forget(inbox: Path, name: str) -> None:
    with _cache_lock:
        for key in [k for k in _cache if k[0] == str(inbox) and k[1] == name]:
            del _cache[key]


def with_code(inbox: Path, scan: Scan) -> Scan:
    """The scan with the document code of its top-left barcode (read once per file version)."""
    key = (str(inbox), scan.name, scan.size, scan.mtime_ns)
    with _cache_lock:
        if key in _cache:
            return Scan(scan.name, scan.modified, scan.size, _cache[key], scan.mtime_ns)
    try:
        code = document_code_of(read(inbox, scan.name))
    except ScanError:
        code = None
    with _cache_lock:
        if len(_cache) > 2000:
            _cache.clear()
        _cache[key] = code
    return Scan(scan.name, scan.modified, scan.size, code, scan.mtime_ns)


def page_image(scan: ScanFile, dpi: int = RENDER_DPI) -> Picture:
    """Page 1 of a scan as a greyscale Pillow image."""
    from PIL import Image

    if scan.file_type == "application/pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(scan.data)
            try:
                image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                pdf.close()
        except (pdfium.PdfiumError, IndexError):
            raise ScanError(f"{scan.name} is geen leesbare PDF.") from None
        return image.convert("L")
    try:
        with Image.open(io.BytesIO(scan.data)) as opened:
            opened.seek(0)
            return opened.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ScanError(f"{scan.name} is geen leesbare afbeelding.") from None


def codes_in(image: Picture) -> list[str]:
    """Valid document codes in a picture (Code 128 or Codabar), top-most first."""
    import zxingcpp

    formats = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Codabar)
    found = []
    # zxing-cpp 3 takes a tuple of formats (its ``|`` is deprecated); its stub wants the ``|``.
    results = zxingcpp.read_barcodes(image, formats=formats,  # type: ignore[arg-type]  # stub
                                     try_rotate=True)
    for result in results:
        try:
            code = rules.parse_document_code(result.text)
        except rules.DocumentCodeError:
            continue
        top = min(p.y for p in (result.position.top_left, result.position.top_right))
        found.append((top, code))
    return [code for _, code in sorted(found)]


def document_code_of(scan: ScanFile) -> str | None:
    """The document code at the top left of page 1: the top-left quarter is read first (the
    form puts its barcode there), then the whole page (a page fed in upside down, say)."""
    image = page_image(scan)
    width, height = image.size
    for part in (image.crop((0, 0, width // 2, height // 2)), image):
        codes = codes_in(part)
        if codes:
            return codes[0]
    return None


def find(inbox: Path, code: str, *, limit: int = LIST_LIMIT) -> tuple[list[Scan], Scan | None]:
    """The newest scans, and the one carrying ``code`` (None when none does)."""
    scans = list_scans(inbox, limit=limit)
    return scans, next((s for s in scans if s.code == code), None)
