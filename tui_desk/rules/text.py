"""Untrusted text (names, addresses, notices) made safe to put on a terminal screen.

Text typed at a counter, imported from elsewhere or pasted from a mail can hold control
characters: an ESC starts a terminal escape sequence, a carriage return overwrites the line,
a right-to-left override turns ``Test`` into ``tseT``. Such characters are shown in a visible
form instead of being sent to the terminal. Markup (``[b]``) is not this module's business:
screens never parse untrusted text as markup (they build ``Text``/``Content`` objects).
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation: ESC → ^[, CR → ^M, TAB → ^I
    if code == 0x7F:
        return "^?"
    return REPLACEMENT


def _is_unsafe(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    if code < 0x80:
        return False
    # Cf: format characters (bidi overrides and isolates, zero-width joiners used to hide text),
    # Zl/Zp: line and paragraph separators, Cs/Co/Cn: surrogates, private use, unassigned.
    category = unicodedata.category(ch)
    if category == "Cf":
        # Soft hyphen and zero-width (non-)joiners occur in real names; they are harmless.
        return ch not in "\u00ad\u200c\u200d"
    return category in ("Zl", "Zp", "Cs", "Co", "Cn")


def printable(text: str | None) -> str:
    """Replace control and invisible format characters by a visible form.

    C0 controls and DEL get caret notation, everything else the replacement character.

    >>> printable("Jan\\x1b[2JTest\\u202e")
    'Jan^[[2JTest\\ufffd'
    """
    if not text:
        return ""
    if text.isprintable() and text.isascii():
        return text  # the common case, fast
    return "".join(_visible(ch) if _is_unsafe(ch) else ch for ch in text)


def printable_lines(text: str | None) -> str:
    """``printable`` for text of several lines: the line breaks stay, everything else that is
    not safe on a terminal (a CR included) is made visible as ``printable`` does.

    >>> printable_lines("Beste klant,\\nwelkom\\x1b[2J\\r")
    'Beste klant,\\nwelkom^[[2J^M'
    """
    if not text:
        return ""
    return "\n".join(printable(line) for line in text.split("\n"))


def invisible(ch: str) -> bool:
    """Whether a character has no place in a stored field: a control (Cc), a format character
    (Cf: zero-width, bidi overrides), private use, unassigned or a surrogate (Co/Cn/Cs), a line
    or paragraph separator (Zl/Zp). Checks refuse such text; ``printable`` shows it.

    >>> invisible("\u202e"), invisible("é")
    (True, False)
    """
    return unicodedata.category(ch) in _INVISIBLE


_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_NOT_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def file_name(label: str, fallback: str = "job") -> str:
    """A label (a customer's name, a job's title) as a safe part of a file or job name: ASCII
    letters, digits, ``_ . -``; every other run becomes one ``-``.

    >>> file_name("Mw. A. van de Test / ../pas")
    'Mw.-A.-van-de-Test-..-pas'
    """
    return _NOT_IN_FILE_NAME.sub("-", label).strip("-") or fallback
