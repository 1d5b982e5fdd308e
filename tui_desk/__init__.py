"""tui-desk: counter software for Dutch public libraries."""

__version__ = "0.1.0"
