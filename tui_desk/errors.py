"""The one error model of tui-desk.

Every *expected* failure — input a rule refuses, a business action the library does not allow, a
busy or full database, a printer or mail fault, a configuration mistake — is a
:class:`DeskError`. ``str(error)`` is a complete Dutch sentence for the person at the desk (or the
administrator at the command line), free of personal data that the person did not type
themselves, so the one place that handles it (the base screen, the CLI's ``main``) can show it as
it is.

Anything else that reaches those places is *unexpected*: the screen shows a generic Dutch dialog
and the traceback goes to the log without local variables (``tui_desk.crashlog``).

This module imports nothing, so every layer (rules included) may use it.
"""

from __future__ import annotations


class DeskError(Exception):
    """An expected failure; the message is Dutch, for the person at the desk.

    ``field`` optionally names the input the message belongs to, so a form can show it next to
    that field.

    >>> str(DeskError("De database is bezet."))
    'De database is bezet.'
    """

    def __init__(self, message: str = "", *args: object, field: str | None = None) -> None:
        super().__init__(message, *args)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message
