"""What the two screens the wizard goes on to after saving share — Afrekenen (step 4) and the
Incassomachtiging (step 5), both also opened from Openstaande inschrijvingen and the record:
the customer they are for, ``on_done(result)`` after they close, and with ``ask_on_leave`` a
question before leaving with something still open (``screens.followups``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from tui_desk.screens.base import DeskScreen

Result = TypeVar("Result")


class FollowUpStep(DeskScreen, Generic[Result]):
    """A screen for ``customer_id`` that hands ``on_done`` its result when it closes."""

    def __init__(self, customer_id: int, *, on_done: Callable[[Result], None] | None = None,
                 ask_on_leave: bool = False) -> None:
        super().__init__()
        self.customer_id = customer_id
        # In the wizard (and from Openstaande inschrijvingen): leaving with something still
        # open asks what happens to it (screens.followups).
        self.ask_on_leave = ask_on_leave
        self.on_done = on_done

    def leave(self) -> None:
        """Close the screen (``close_with_result``); with ``ask_on_leave`` and something still
        open, ask first (``ask_first``), and close once the answer says so."""
        if not (self.ask_on_leave and self.ask_first(self.close_with_result)):
            self.close_with_result()

    def ask_first(self, leave: Callable[[], None]) -> bool:
        """Ask what happens to what is still open, calling ``leave`` when the answer leaves
        the screen; False when nothing is open (nothing asked)."""
        raise NotImplementedError

    def close_with_result(self) -> None:
        """Close the screen and hand ``on_done`` the result."""
        raise NotImplementedError
