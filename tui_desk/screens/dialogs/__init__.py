"""The dialogs of tui-desk, one a module; the base they share is ``widgets.dialog``."""
