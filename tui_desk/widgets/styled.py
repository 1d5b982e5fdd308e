"""Screens that are built once and not styled twice: ``kept_screen`` and ``StyledOnce``.

Textual styles every widget of a screen when it is mounted, and all of them again each time the
screen is shown (``ScreenResume``), in case the stylesheet changed meanwhile. Every change of a
class or of the focus is styled when it happens, so that second pass only matters when the
stylesheet grew (another screen's CSS was loaded) or the theme changed. For a wizard step it
was a third of the CPU of showing it (issue 20: 0.3 s a screen under the profiler); here it is
skipped when neither changed since the screen was last styled.

``kept_screen`` gives the one screen of a kind the app keeps (Zoek klant, the wizard's steps),
reset for its next use instead of composed, mounted and styled again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object

S = TypeVar("S", bound=Screen[Any])


def kept_screen(app: App[Any], name: str, kind: type[S], build: Callable[[], S],
                reset: Callable[[S], bool]) -> S:
    """The screen the app keeps under ``name``, when ``reset(kept)`` made it ready for its next
    use; else a new one (``build()``), kept from now on. While the kept one is still on the
    screen stack (Zoek klant opened over Zoek klant), a new one that is not kept."""
    if app.is_screen_installed(name):
        kept = app.get_screen(name)
        if kept in app.screen_stack:
            return build()
        if isinstance(kept, kind) and reset(kept):
            return kept
        app.uninstall_screen(kept)
    screen = build()
    app.install_screen(screen, name)
    return screen


class StyledOnce(_Base):
    """Mixin: skip the restyle of a screen shown again (or for the first time, after its
    mount) when the stylesheet and theme are what they were when it was styled."""

    def _stylesheet_state(self) -> tuple[str, int]:
        return (self.app.theme, len(self.app.stylesheet.source))

    async def _dispatch_message(self, message: Message) -> None:
        if isinstance(message, events.ScreenResume):
            state = self._stylesheet_state()
            if self.__dict__.get("_styled_with") == state:
                message.refresh_styles = False
            self.__dict__["_styled_with"] = state
        elif isinstance(message, events.Mount):
            # Its widgets were styled as they were mounted, with the stylesheet of now.
            self.__dict__["_styled_with"] = self._stylesheet_state()
        await super()._dispatch_message(message)
