"""SQLite's conditions become StoreErrors with a Dutch message in one place (``store_error``),
for every statement and transaction of ``Database``; each is produced by SQLite itself here."""

from __future__ import annotations

import sqlite3

import pytest

from tests.factories import make_staff
from tui_desk.errors import DeskError
from tui_desk.store import db as db_module
from tui_desk.store import staff as staff_store
from tui_desk.store.db import (
    DatabaseBusy,
    DiskFull,
    DuplicateRecord,
    ReadOnlyDatabase,
    StoreError,
    store_error,
)

# SQLite's own conditions, made by SQLite itself (PRAGMA query_only, max_page_count, a second
# sqlite3 connection); PostgreSQL's: tests/store/test_pg_backend.py.
pytestmark = pytest.mark.sqlite_only("SQLite's own error conditions, made with its PRAGMAs")


def test_a_read_only_database(db):
    db.conn.execute("PRAGMA query_only = ON")   # SQLite answers SQLITE_READONLY, as for a 0400 file
    with pytest.raises(ReadOnlyDatabase) as err, db.transaction():
        make_staff(db, username="nieuw")
    assert str(err.value).startswith("De database is alleen-lezen")
    assert isinstance(err.value, DeskError)


def test_a_full_disk_rolls_back_and_says_so(db):
    pages = db.scalar("PRAGMA page_count")
    db.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL, as on a full disk
    with pytest.raises(DiskFull) as err, db.transaction():
        for i in range(200):
            db.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (f"k{i}", "x" * 4000))
    assert str(err.value).startswith("De schijf is vol")
    assert not db.conn.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'") == 0


def test_another_counter_holding_the_lock(db, monkeypatch):
    other = sqlite3.connect(str(db.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        db.conn.execute("PRAGMA busy_timeout = 0")
        monkeypatch.setattr(db_module, "WRITE_RETRY_SECONDS", 0.0)
        with pytest.raises(DatabaseBusy) as err, db.transaction():
            pass
        assert str(err.value).startswith("De database is bezet door een andere balie")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_duplicate_username(db):
    make_staff(db, username="jbalie")
    with pytest.raises(DuplicateRecord, match="Er is al een medewerker met deze gebruikersnaam"):
        with db.transaction():
            staff_store.add(db, username="jbalie", name="X", branch_code="9401", roles="balie",
                            pin_hash=None, login=None)


def test_a_bug_stays_a_bug(db):
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        db.execute("SELECT * FROM no_such_table")
    assert store_error(sqlite3.OperationalError("near \"SELEC\": syntax error")) is None


@pytest.mark.parametrize(("message", "kind"), [
    ("attempt to write a readonly database", ReadOnlyDatabase),
    ("database or disk is full", DiskFull),
    ("database is locked", DatabaseBusy),
    ("UNIQUE constraint failed: staff.login", DuplicateRecord),
    ("file is not a database", StoreError),
])
def test_errors_without_a_result_code_are_read_from_sqlites_text(message, kind):
    """An error made by hand (a fault injected in a test, an old sqlite3 module) has no
    sqlite_errorcode: SQLite's own wording is recognised."""
    assert isinstance(store_error(sqlite3.OperationalError(message)), kind)


def test_who_is_told_of_a_wait_is_per_thread(db):
    # Two screens' writes on two worker threads each tell their own screen; one finishing
    # does not take the other's "Even wachten" away.
    import threading

    seen: dict[str, object] = {}
    ready = threading.Barrier(2)

    def worker(name: str) -> None:
        def told() -> None:
            pass

        db.on_wait = told
        ready.wait()
        seen[name] = db.on_wait is told
        ready.wait()
        db.on_wait = None

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": True, "b": True}
    assert db.on_wait is None
