"""The running application, typed: screens and widgets reach ``TuiDeskApp``'s own methods
(``desk``, ``hold_keys``, ``open_customer``, ...) through this instead of an untyped ``app``."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import App
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from tui_desk.app import TuiDeskApp


def desk_app(node: MessagePump) -> TuiDeskApp:
    """The application ``node`` runs in, or ``node`` itself when it is the application
    (tui-desk runs every screen in a ``TuiDeskApp``)."""
    return cast("TuiDeskApp", node if isinstance(node, App) else node.app)
