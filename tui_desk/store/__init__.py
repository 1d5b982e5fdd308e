"""The SQLite store: all SQL of tui-desk lives in this package."""
