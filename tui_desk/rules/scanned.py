"""Numbers read from a barcode or typed off a card or form (library cards, the document code
of a printed mandate): what scanners and people add around them, and the checks both kinds of
number share before their own."""

from __future__ import annotations

import re

from tui_desk.rules.errors import RuleError

_CODABAR = "ABCDabcd"


def clean(text: str) -> str:
    """Strip what scanners and people add around a number: white space, dots, dashes and the
    Codabar start/stop letters a scanner may pass on.

    >>> clean(" A2940-1000075801B ")
    '29401000075801'
    """
    text = re.sub(r"[\s.-]", "", text or "")
    if len(text) >= 2 and text[0] in _CODABAR and text[-1] in _CODABAR:
        text = text[1:-1]
    return text


def digits(text: str, *, name: str, length: int, empty: str, error: type[RuleError]) -> str:
    """The cleaned number when it is ``length`` digits; else ``error``: with ``empty`` for no
    input, and otherwise a sentence about the ``name`` (``pasnummer``, ``documentcode``).

    >>> digits(" 12-34 ", name="code", length=4, empty="Vul iets in.", error=RuleError)
    '1234'
    >>> digits("123", name="code", length=4, empty="Vul iets in.", error=RuleError)
    Traceback (most recent call last):
    ...
    tui_desk.rules.errors.RuleError: Een code heeft 4 cijfers, dit zijn er 3.
    >>> digits("12a4", name="code", length=4, empty="Vul iets in.", error=RuleError)
    Traceback (most recent call last):
    ...
    tui_desk.rules.errors.RuleError: Een code bestaat alleen uit cijfers.
    >>> digits(" ", name="code", length=4, empty="Vul iets in.", error=RuleError)
    Traceback (most recent call last):
    ...
    tui_desk.rules.errors.RuleError: Vul iets in.
    """
    number = clean(text)
    if not number:
        raise error(empty)
    if not number.isdigit():
        raise error(f"Een {name} bestaat alleen uit cijfers.")
    if len(number) != length:
        raise error(f"Een {name} heeft {length} cijfers, dit zijn er {len(number)}.")
    return number
