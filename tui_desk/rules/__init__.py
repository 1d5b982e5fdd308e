"""Pure domain rules: no I/O, no textual, no sqlite."""
