"""Shared fixtures: a fresh database, the demo configuration and a clock the test sets.

The ``db`` fixture of tests/store and tests/services runs each test twice: on an SQLite file
(``[sqlite]``) and on a PostgreSQL database (``[postgresql]``) copied from a migrated template
in the throw-away cluster that ``pytest_configure`` starts once per run (``tests/pg.py``). A test
that works on its own SQLite file on purpose says why with ``@pytest.mark.sqlite_only("…")``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from tests import pg
from tests.factories import make_manual_customer
from tui_desk.clock import FixedClock
from tui_desk.config import Config, demo_config
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import Database, latest_version, open_database
from tui_desk.store.demo import ensure_demo
from tui_desk.store.dialect import POSTGRESQL

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


TESTS = Path(__file__).resolve().parent
# The folders whose ``db`` tests run on both engines.
BOTH_BACKENDS = ("store", "services")
# The folders whose tests need the cluster: BOTH_BACKENDS, and the real-terminal test of the
# program on PostgreSQL (``make test`` runs tests/terminal in a run of its own).
NEEDS_CLUSTER = (*BOTH_BACKENDS, "terminal")
BACKENDS = ("sqlite", "postgresql")
_CLUSTER = pytest.StashKey["pg.Cluster"]()


def _wants_postgresql(config: pytest.Config) -> bool:
    """Whether this run may reach a test of NEEDS_CLUSTER (then the cluster is worth starting)."""
    args = [a.split("::", 1)[0] for a in config.args if not a.startswith("-")] or [str(TESTS)]
    for arg in args:
        path = Path(arg).resolve()
        for folder in NEEDS_CLUSTER:
            target = TESTS / folder
            if path == target or target in path.parents or path in target.parents:
                return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): runs on SQLite only (its own SQLite file on purpose)")
    if hasattr(config, "workerinput") or os.environ.get(pg.SOCKET_ENV):
        return  # an xdist worker: the controller's cluster (its socket is in the environment)
    if not _wants_postgresql(config):
        return
    try:
        cluster = pg.start()
    except (OSError, RuntimeError) as exc:
        os.environ[pg.MISSING_ENV] = f"no PostgreSQL test cluster: {exc}"
        return
    config.stash[_CLUSTER] = cluster
    os.environ[pg.SOCKET_ENV] = cluster.socket


def pytest_unconfigure(config: pytest.Config) -> None:
    cluster = config.stash.get(_CLUSTER, None)
    if cluster is not None:
        del config.stash[_CLUSTER]
        os.environ.pop(pg.SOCKET_ENV, None)
        cluster.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    try:
        folder = Path(metafunc.definition.path).resolve().relative_to(TESTS).parts[0]
    except ValueError:
        return
    if folder in BOTH_BACKENDS and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The engine of this test's ``db``: ``sqlite`` unless parametrized (see the module)."""
    return getattr(request, "param", "sqlite")


_PG_DATABASES = pg.Databases()


def pg_database() -> tuple[Database, str]:
    """A fresh PostgreSQL database copied from the cluster's template (skips, or in CI fails,
    when there is no cluster)."""
    reason = pg.unavailable()
    if reason is not None:
        if pg.required():
            pytest.fail(f"{reason} ({pg.REQUIRE_ENV}=1)")
        pytest.skip(reason)
    if latest_version(POSTGRESQL) == 0:
        pytest.skip("no PostgreSQL migrations yet (tui_desk/store/migrations/postgresql)")
    name = _PG_DATABASES.fresh()
    return open_database(pg.url(name), environment="demo"), name


def pg_empty_url() -> tuple[str, str]:
    """(URL, name) of a fresh empty PostgreSQL database (skips or fails as ``pg_database``)."""
    reason = pg.unavailable()
    if reason is not None:
        if pg.required():
            pytest.fail(f"{reason} ({pg.REQUIRE_ENV}=1)")
        pytest.skip(reason)
    name = _PG_DATABASES.empty()
    return pg.url(name), name


@pytest.fixture
def pg_empty() -> str:
    """The URL of an empty PostgreSQL database (no schema) in the test cluster."""
    return pg_empty_url()[0]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime.combine(TODAY, dt.time(10, 0)))


@pytest.fixture
def config() -> Config:
    return demo_config()


@pytest.fixture
def db(tmp_path, config, backend) -> Database:
    if backend == "postgresql":
        database, _name = pg_database()
    else:
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


@pytest.fixture
def layouts(monkeypatch) -> list[object]:
    """One entry per full layout of any screen (Textual's Compositor.reflow), to prove an action
    lays nothing out."""
    from textual._compositor import Compositor

    seen: list[object] = []
    original = Compositor.reflow

    def reflow(self, parent, size):
        seen.append(parent)
        return original(self, parent, size)

    monkeypatch.setattr(Compositor, "reflow", reflow)
    return seen
