"""Branches and cash registers come from the configuration and are mirrored in the database."""

from __future__ import annotations

from tui_desk.config import Config
from tui_desk.store.db import Database


def sync_branches(db: Database, config: Config) -> None:
    """Upsert the configured branches and registers (never deletes: history refers to them)."""
    with db.transaction():
        for b in config.branches:
            db.execute(
                "INSERT INTO branches(code, name, place) VALUES (?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET name = excluded.name, place = excluded.place",
                (b.code, b.name, b.place),
            )
            for register in b.registers:
                db.execute(
                    "INSERT INTO cash_registers(branch_code, name) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET branch_code = excluded.branch_code",
                    (b.code, register),
                )


def branch_codes(db: Database) -> frozenset[str]:
    return frozenset(r[0] for r in db.all("SELECT code FROM branches"))
