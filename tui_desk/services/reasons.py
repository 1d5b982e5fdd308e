"""The reason typed for a change (Reden opzegging, a blokkade, an inschrijving kept open):
one line with single spaces, never empty, at most the column's length."""

from __future__ import annotations

from collections.abc import Callable

from tui_desk.errors import DeskError


def typed_reason(reason: str | None, *, limit: int, missing: str,
                 error: Callable[[str], DeskError]) -> str:
    """``reason`` with its whitespace folded to single spaces. Refused with ``error(...)``:
    ``missing`` when nothing is left, and a sentence naming ``limit`` when it is longer."""
    text = " ".join((reason or "").split())
    if not text:
        raise error(missing)
    if len(text) > limit:
        raise error(f"De reden is te lang: maximaal {limit} tekens.")
    return text
