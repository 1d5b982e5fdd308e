"""Counts for status lines and the administrator's commands."""

from __future__ import annotations

from tui_desk.store.db import Database


def customer_count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM customers"))
