"""A local workaround in Textual's compositor: a partial update renders only the widgets it
can show.

To draw a changed region (one typed character: a field of 30x1 cells), Textual's
``Compositor._get_renders`` picks the widgets whose *clip* region overlaps it; the clip of a
widget inside a scrolling container is the whole container. Every one of the ~30 widgets the
wizard's form shows was rendered again for each keystroke, to be cut away right after: the
update only writes the changed cells. Here a widget takes part when what it shows (its region
within its clip) overlaps the region drawn: the same cells come out, from one or two widgets.

``install()`` replaces the method once (``TuiDeskApp`` calls it); tests compare the screen
with and without it (tests/widgets/test_compositor_patch.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_ORIGINAL = Compositor._get_renders


def _get_renders(self: Compositor,
                 crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
    if not crop:
        yield from _ORIGINAL(self, crop)
        return
    overlaps = crop.overlaps
    intersection = Region.intersection
    for widget, (region, clip) in self.visible_widgets.items():
        shown = intersection(region, clip)
        if not (shown.width and shown.height and overlaps(shown)):
            continue
        yield (region, clip, widget.render_lines(
            Region(shown.x - region.x, shown.y - region.y, shown.width, shown.height)))


def install() -> None:
    """Use the narrower selection in every compositor (idempotent)."""
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]  # the patch itself


def uninstall() -> None:
    Compositor._get_renders = _ORIGINAL  # type: ignore[method-assign]  # undoing the patch
