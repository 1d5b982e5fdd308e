"""Field-to-field navigation that keeps up with a fast typist or a barcode scanner.

Textual hands a key to the widget that has focus *when the key arrives*, and a text field
handles Enter later, from its own queue. When keys come in a burst (a scanner sends
``29401000075801`` + Enter, a fast typist types the next field at once, a paste over SSH),
Enter would move the focus only after the following keys had already gone to the same field.

Here Enter and Tab are screen bindings with priority: they move the focus at once, so every
following key lands in the next field, and they post ``FieldDone`` to the field that was left.
That message queues behind the keys the field still has to process, so the field's own Enter
logic (``Input.Submitted``) runs with its complete value.

Up and Down (and PgUp/PgDn, Home/End outside a text field) move between the fields the same
way (``FieldKeys``): a form's scroll box would otherwise take them and scroll the field with the
cursor out of sight, and what was typed next went into a field nobody could see. The field the
cursor lands on is scrolled into view (Textual does that for every focus change). A widget that
gives the key a meaning of its own keeps it: a list's or a table's cursor, a text field's
Home/End, a text view that scrolls.

``LimitedInput`` takes at most ``limit`` characters: a paste (or a burst of keys) beyond it is
cut, and the field posts ``LimitedInput.Cut`` so the screen can say so next to it. (Textual's
own ``max_length`` refuses the whole paste without a word.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.errors import NoWidget
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input

from tui_desk import keymap
from tui_desk.widgets.field_message import FieldMessage
from tui_desk.widgets.keys import DeskInput

if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

# Textual's scroll actions. Every Input is a ScrollView and has Up/Down/PgUp/PgDn bound to them;
# they do something only in a widget that can scroll (else they pass the key on, to the form's
# scroll box).
_SCROLL_ACTIONS = frozenset({"scroll_up", "scroll_down", "page_up", "page_down", "scroll_home",
                             "scroll_end"})


class FieldDone(Message):
    """Posted to a field that was left with Enter (``submit``) or Tab."""

    def __init__(self, submit: bool) -> None:
        super().__init__()
        self.submit = submit


class LimitedInput(DeskInput):
    """A DeskInput that keeps at most ``limit`` characters (0: no limit), cutting what is
    typed or pasted beyond it and saying so with a ``Cut`` message."""

    class Cut(FieldMessage["LimitedInput", int]):
        """Text typed or pasted into ``input`` was cut at ``limit`` characters."""

        input = FieldMessage.control
        limit = FieldMessage.value

    def __init__(self, *args: Any, limit: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def replace(self, text: str, start: int, end: int) -> None:
        if self.limit:
            value = self.value
            start, end = sorted((max(0, start), min(len(value), end)))
            room = self.limit - (len(value) - (end - start))
            if len(text) > room:
                text = text[:max(room, 0)]
                self.post_message(self.Cut(self, self.limit))
        super().replace(text, start, end)


class FormInput(LimitedInput):
    """An Input that reports Enter through ``FieldDone`` (see the module docstring)."""

    def on_field_done(self, message: FieldDone) -> None:
        message.stop()
        if message.submit:
            self.post_message(Input.Submitted(self, self.value))


def uses_key(widget: Widget, key: str) -> bool:
    """``widget`` gives ``key`` a meaning of its own: a list's or a table's cursor, a text
    field's Home/End, a view that scrolls. A key bound to a scroll action counts only while the
    widget can scroll (a one-line Input cannot)."""
    for binding in widget._bindings.key_to_bindings.get(key, ()):
        if binding.priority:
            continue
        if binding.action.partition("(")[0] not in _SCROLL_ACTIONS or \
                widget.allow_vertical_scroll:
            return True
    return False


def _scroll_box(widget: Widget) -> Widget | None:
    return next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)


def _covered(screen: Screen[Any], widget: Widget) -> bool:
    """``widget`` is outside every scroll box and another widget lies over it: no scrolling
    brings it into view (step 1's button row is docked under the footer)."""
    if _scroll_box(widget) is not None:
        return False
    region = widget.region
    if not region:
        return False  # not laid out yet
    try:
        on_top, _ = screen.get_widget_at(region.x, region.y)
    except NoWidget:
        return False
    return on_top is not widget and widget not in on_top.ancestors


def form_fields(screen: Screen[Any]) -> list[Widget]:
    """The widgets a field move stops at, in focus order: the screen's focus chain without the
    boxes that hold fields and without what lies out of sight under another widget. (A form's
    scroll box can take the focus too: Shift+Tab from the first field stopped there, and what
    was typed next went nowhere; the same after the last field, on step 1's hidden button.)"""
    chain = screen.focus_chain
    return [w for w, after in zip(chain, [*chain[1:], None], strict=True)
            if (after is None or w not in after.ancestors) and not _covered(screen, w)]


def field_after(screen: Screen[Any], step: int) -> Widget | None:
    """The field ``step`` fields on from the focused one, round the form as Tab goes; from a
    box of fields (or no focus) its first field (``step`` 1) or the one before it (-1)."""
    fields = form_fields(screen)
    if not fields:
        return None
    focused = screen.focused
    if focused in fields:
        return fields[(fields.index(focused) + step) % len(fields)]
    inside = [i for i, w in enumerate(fields) if focused is not None and focused in w.ancestors]
    first = inside[0] if inside else 0
    return fields[(first + step - (1 if step > 0 else 0)) % len(fields)]


def field_for_key(screen: Screen[Any], key: str) -> Widget | None:
    """Where ``key`` (a ``keymap.FORM`` key) takes the cursor: Down/Up the next/previous field;
    PgDn/PgUp the field about a screenful further/back; End/Home the last/first field. Page and
    Home/End stay within the scroll box of the focused field (the whole screen if it has
    none)."""
    focused = screen.focused
    fields = form_fields(screen)
    if key in ("down", "up") or focused not in fields:
        return field_after(screen, -1 if key in ("up", "pageup", "end") else 1)
    assert focused is not None
    box = _scroll_box(focused)
    area = [w for w in fields if _scroll_box(w) is box]
    at = area.index(focused)
    if key == "home":
        return area[0]
    if key == "end":
        return area[-1]
    height = box.scrollable_content_region.height if box is not None else screen.size.height
    top = focused.region.y
    if key == "pagedown":
        after = area[at + 1:]
        within = [w for w in after if w.region.y - top < height]
        return (within or after[:1] or [focused])[-1]
    before = area[:at]
    within = [w for w in before if top - w.region.y < height]
    return (within or before[-1:] or [focused])[0]


class FieldKeys(_ScreenBase):
    """Mixin for a Screen with a form: the ``keymap.FORM`` keys move between its fields
    (``FIELD_BINDINGS``; see the module docstring). To the type checker a Screen: it is only
    ever mixed into one."""

    FIELD_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(k.key, k.action, k.label, show=k.show, priority=True) for k in keymap.FORM
    ]

    def action_field_key(self, key: str) -> None:
        focused = self.focused
        fields = form_fields(self)
        if focused is None or (focused in fields and uses_key(focused, key)):
            raise SkipAction()  # the widget's own meaning of the key
        target = field_for_key(self, key)
        if target is None:
            raise SkipAction()
        if target is not focused:
            self.move_to_field(target, fields)

    def move_to_field(self, target: Widget, fields: list[Widget]) -> None:
        """Give ``target`` the focus (scrolled into view by Textual)."""
        self.set_focus(target)


class FormNavigation(FieldKeys):
    """Mixin for a Screen whose fields are filled in order: Enter/Tab/Shift+Tab, Up/Down (and
    the other ``keymap.FORM`` keys) move on at once.

    A screen may set ``ENTER_STAYS`` to widget ids where Enter should stay in the field (e.g. a
    search box whose Enter shows a result next to it).
    """

    ENTER_STAYS: ClassVar[frozenset[str]] = frozenset()
    FORM_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "form_move(1, True)", show=False, priority=True),
        Binding("tab", "form_move(1, False)", show=False, priority=True),
        Binding("shift+tab", "form_move(-1, False)", show=False, priority=True),
        *FieldKeys.FIELD_BINDINGS,
    ]

    def action_form_move(self, step: int, submit: bool) -> None:
        focused = self.focused
        if submit and isinstance(focused, Button):
            focused.press()
            return
        if submit and focused is not None and focused.id in self.ENTER_STAYS:
            focused.post_message(FieldDone(True))
            return
        target = field_after(self, step)
        if target is not None:
            self.set_focus(target)
        if focused is not None:
            focused.post_message(FieldDone(submit))

    def move_to_field(self, target: Widget, fields: list[Widget]) -> None:
        # Through ``action_form_move`` (a screen may act on a field being left, as on Tab).
        focused = self.focused
        if focused in fields:
            self.action_form_move(fields.index(target) - fields.index(focused), False)
        else:
            self.set_focus(target)
