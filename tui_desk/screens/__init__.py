"""Textual screens, one per view or wizard step."""
