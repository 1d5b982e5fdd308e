"""Shared fixtures: a fresh database, the demo configuration and a clock the test sets."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from tests.factories import make_manual_customer
from tui_desk.clock import FixedClock
from tui_desk.config import Config, demo_config
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import Database, open_database
from tui_desk.store.demo import ensure_demo

TODAY = dt.date(2026, 11, 28)

# An unexpected error fails the test (the app re-raises it instead of showing its dialog);
# the fault-injection tests turn this off for the app they drive. Programs the tests start
# inherit it, so a real-terminal test fails on an unexpected error too.
os.environ["TUI_DESK_STRICT_ERRORS"] = "1"
# Pilot does not wait for worker threads: Pilot tests run the screens' writes on the event loop.
# The real-terminal tests unset this (tests/terminal/tmux.py): there they run on a thread.
os.environ["TUI_DESK_PILOT"] = "1"
# The error log of every program the tests start goes to a scratch file, not the home folder.
os.environ.setdefault("TUI_DESK_LOG", os.path.join(tempfile.mkdtemp(prefix="tui-desk-log-"),
                                                   "tui-desk.log"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime.combine(TODAY, dt.time(10, 0)))


@pytest.fixture
def config() -> Config:
    return demo_config()


@pytest.fixture
def db(tmp_path, config) -> Database:
    database = open_database(tmp_path / "test.sqlite3", environment="demo")
    sync_branches(database, config)
    yield database
    database.close()


@pytest.fixture
def manual(db) -> int:
    """The manual's customer, Mw. A. van de Test, in the test database (her id)."""
    with db.transaction():
        return make_manual_customer(db)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A seeded training database of 50 customers (the manual's and the special ones among
    them), made once per test process: tests copy or open it, never change its data."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    ensure_demo(path, demo_config(), TODAY, customers=50).close()
    return path


@pytest.fixture
def demo_copy(demo_template, tmp_path) -> Path:
    """A private copy of ``demo_template`` in the test's folder, free to change."""
    raw = sqlite3.connect(demo_template)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path
