"""Editing keys act in the order they were typed.

Textual runs a widget's (non-priority) key bindings only when the key has bubbled back up to
the app, through every container's queue. The field meanwhile goes on with the next keys in its
own queue. Under load (or typed fast, or over SSH where keys arrive in bursts) ``Ctrl+U`` then
``1 januari 1991`` became ``januari 1991``: the characters were inserted first and Ctrl+U then
removed what stood left of the cursor; ``ab``, Backspace, ``c`` became ``ab``.

``InOrderKeys`` runs the widget's own bindings where the key arrives, in order with the
characters; keys the widget has no binding for bubble on as before. Priority bindings (Enter
and Tab in forms, F10) are handled by the app before a key reaches any field and are not
affected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


def cursor_blinks(app: object) -> bool:
    """``[screen] cursor_blink`` of the running program's configuration (default off)."""
    config = getattr(getattr(app, "desk", None), "config", None)
    return bool(getattr(config, "cursor_blink", False))


class InOrderKeys(_Base):
    """Mixin (first base) for a focusable widget with key bindings of its own.

    A plain class at run time: a Widget base here would come before the widget's own class in
    the MRO and hide its component classes and default CSS.
    """

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # not the bubbling, nor Input's own handler
                return


class DeskInput(InOrderKeys, Input):
    """The text field of every screen: an Input whose editing keys act in typing order, and
    whose keystrokes do not lay out the screen.

    Textual's Input sets its ``virtual_size`` (the scrollable width of the text) on every
    change of its value, and ``Widget.virtual_size`` is a reactive with ``layout=True``: each
    character typed made Textual lay out the whole screen again (the wizard's step 1: ~110
    widgets, about 80 % of the CPU a keystroke cost). A field's place and size on the screen
    never depend on the text in it, unless its width is ``auto`` (then Input itself asks for a
    layout, in ``_watch_value``). Here the scrollable width only repaints the field and updates
    its scrolling; the cursor still scrolls into view as before.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)

    def _on_mount(self, event: events.Mount) -> None:
        # Before Input's own mount handler, which starts the blink timer paused unless the
        # cursor blinks: no blink, no timer waking an idle session ([screen] cursor_blink).
        self.set_reactive(Input.cursor_blink, cursor_blinks(self.app))

    def _watch_virtual_size(self, size: Size) -> None:
        # What the layout did for the scrollable width (Widget._size_updated): keep the scroll
        # position within the text, without a layout.
        self._scroll_update(size)
