"""Screens that are not styled twice: ``StyledOnce`` (first base of a screen class).

Textual styles every widget of a screen when it is mounted, and all of them again each time the
screen is shown (``ScreenResume``), in case the stylesheet changed meanwhile. Every change of a
class or of the focus is styled when it happens, so that second pass only matters when the
stylesheet grew (another screen's CSS was loaded) or the theme changed. For a wizard step it
was a third of the CPU of showing it (issue 20: 0.3 s a screen under the profiler); here it is
skipped when neither changed since the screen was last styled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


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
