"""The one base of tui-desk's dialogs: a framed box with a title, Esc that closes it, and a
message line that says what went wrong while what was typed stays.

Every dialog (a modal screen over the screen that opened it) derives from ``Dialog``: Esc
dismisses with None (``action_close``), ``frame(title)`` is the box with its title in the
border, ``say(text)`` writes the message line (``MESSAGE``, a selector), and an expected
failure (a ``DeskError``) is said there instead of in a second dialog on top.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.screens.base import DeskModal, ResultType


def box_css(dialog: str, *, width: int, border: str = "$primary", dim: bool = True) -> str:
    """The CSS of a dialog whose box stands in the middle of the screen: ``dialog`` is its
    class name, the box is ``width`` cells wide in a round ``border`` (a colour variable);
    ``dim``: the screen behind shows through dimmed. Add the dialog's own rules after it."""
    behind = " background: $background 40%;" if dim else ""
    return (f"{dialog} {{ align: center middle;{behind} }}\n"
            f"{dialog} > Vertical {{ width: {width}; height: auto; border: round {border}; "
            "background: $panel; padding: 0 1; }\n")


class Dialog(DeskModal[ResultType]):
    """A dialog: Esc closes it (dismissed with None); failures go to its message line."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Terug")]
    # The message line (a selector); a dialog without one shows failures in an ErrorDialog.
    MESSAGE: ClassVar[str] = ".dialog-message"

    @staticmethod
    def frame(title: str, **kwargs: Any) -> Vertical:
        """The dialog's box, with ``title`` in its border (``with self.frame(...):``)."""
        box = Vertical(**kwargs)
        box.border_title = title
        return box

    def say(self, text: str, *, error: bool = False) -> None:
        """Write ``text`` on the message line (an error in the error colour)."""
        target = self.query_one(self.MESSAGE, Static)
        target.update(Text(printable(text)))
        target.set_class(error, "error")

    def show_error(self, error: DeskError) -> None:
        """An expected failure is said on the message line; what was typed stays."""
        if not self.query(self.MESSAGE):
            super().show_error(error)   # the dialog is not built (its mount failed)
            return
        self.say(str(error), error=True)

    def action_close(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog[str | None]):
    """A dialog answered by choosing from its list (dismissed with the option's id). A choice
    typed before the dialog was on the screen (type-ahead) is no choice: the clerk did not see
    it, so it only rings the bell."""

    def focus_choices(self, highlighted: int | None = 0) -> None:
        """The list has the focus, with ``highlighted`` (None: as the list has it)."""
        options = self.query_one(OptionList)
        if highlighted is not None:
            options.highlighted = highlighted
        options.focus()

    def typed_ahead(self, *, this_key: bool = True) -> bool:
        """The key that chooses (``this_key``) or the Enter that selected came before the
        dialog was shown: ring the bell and say so."""
        app = self.desk_app
        if app.typeahead if this_key else app.last_key_typeahead:
            app.bell()
            return True
        return False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.typed_ahead(this_key=False):  # Enter typed before the choice was shown
            self.dismiss(event.option.id)
