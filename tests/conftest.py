"""Shared fixtures: a fresh database, the demo configuration and a clock the test sets."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_desk.clock import FixedClock
from tui_desk.config import Config, demo_config
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import Database, open_database

TODAY = dt.date(2026, 11, 28)


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
