"""The one base class for input the rules refuse.

Every parser in ``tui_desk.rules`` raises a subclass of :class:`RuleError` on bad input and never
anything else; ``str(error)`` is a complete Dutch sentence for the person at the desk, so a screen
can show it as it is.
"""

from __future__ import annotations

from tui_desk.errors import DeskError


class RuleError(DeskError, ValueError):
    """Input a rule refuses; the message is Dutch, for the person at the desk.

    >>> str(RuleError("Geboortedatum ligt in de toekomst."))
    'Geboortedatum ligt in de toekomst.'
    """
