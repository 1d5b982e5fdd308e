"""The key footer of every screen, rebuilt only when the keys it shows change.

Textual's ``Footer`` removes and mounts all its keys again whenever the screen's bindings may
have changed, and that is on every focus move: Tab or Enter from one field to the next made
Textual lay out the whole screen three times (the step-1 form: ~110 widgets, ~300 widget
renders per move), although the keys shown stay the same. ``DeskFooter`` compares what it
would show with what it shows and rebuilds only when that differs.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class DeskFooter(Footer):
    _shown: tuple | None = None

    def _wanted(self) -> tuple:
        """What the footer shows: each shown binding's key, label, action and state."""
        active = self.screen.active_bindings
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip,
             binding.group)
            for (_node, binding, enabled, tooltip) in active.values()
            if binding.show
        ) + ((self.app.ENABLE_COMMAND_PALETTE, self.show_command_palette),)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            wanted = self._wanted()
            if self._bindings_ready and wanted == self._shown:
                return
            self._shown = wanted
        super().bindings_changed(screen)
