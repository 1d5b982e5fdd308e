"""Callbacks that get a dialog's result, with the one error model.

Textual runs a ``push_screen`` callback (and any ``call_next``) outside the screen's message
handling, so ``SafeDispatch`` never sees what it raises: an expected failure (a ``DeskError``,
e.g. the database is busy while the record reloads) would reach Textual's last resort and be
reported as unexpected. ``said_by(screen, callback)`` gives it to the screen's ``show_error``
instead; anything else still goes to the app's error report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tui_desk.errors import DeskError

T = TypeVar("T")


def said_by(screen: Any, callback: Callable[[T], Any]) -> Callable[[T], None]:
    def run(result: T) -> None:
        try:
            callback(result)
        except DeskError as exc:
            screen.show_error(exc)

    return run
