"""The database opens in WAL mode, migrates, and refuses what it must not touch."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from tui_desk.store import db as store_db
from tui_desk.store.db import DatabaseBusy, StoreError, open_database


def test_new_database_is_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    db = open_database(tmp_path / "a.sqlite3", environment="production")
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA busy_timeout") == store_db.BUSY_TIMEOUT_MS
    assert db.version == store_db.latest_version()
    assert db.environment == "production"


def test_database_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "a.sqlite3"
    open_database(path, environment="production").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_migrations_are_numbered_and_run_once(tmp_path):
    path = tmp_path / "a.sqlite3"
    open_database(path, environment="production").close()
    db = open_database(path, environment="production")
    assert store_db.migrate(db) == 0


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "a.sqlite3"
    open_database(path, environment="production").close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {store_db.latest_version() + 1}")
    raw.close()
    with pytest.raises(StoreError, match="nieuwere versie"):
        open_database(path, environment="production")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == store_db.latest_version() + 1


def test_demo_file_cannot_be_opened_as_production_nor_the_reverse(tmp_path):
    demo, prod = tmp_path / "demo.sqlite3", tmp_path / "prod.sqlite3"
    open_database(demo, environment="demo").close()
    open_database(prod, environment="production").close()
    with pytest.raises(StoreError, match="oefendatabase"):
        open_database(demo, environment="production")
    with pytest.raises(StoreError, match="productiedatabase"):
        open_database(prod, environment="demo")


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")
        raise RuntimeError("boom")
    assert db.setting("x") is None


def test_write_waits_for_another_writer_then_gives_a_dutch_message(tmp_path, monkeypatch):
    path = tmp_path / "a.sqlite3"
    first = open_database(path, environment="production")
    second = open_database(path, environment="production")
    second.conn.execute("PRAGMA busy_timeout = 10")
    monkeypatch.setattr(store_db, "WRITE_RETRY_SECONDS", 0.1)
    first.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="bezet"), second.transaction():
            pass
    finally:
        first.conn.execute("ROLLBACK")
    with second.transaction():
        second.set_setting("ok", "1")
    assert first.setting("ok") == "1"
