"""A throw-away PostgreSQL cluster for the store's schema tests (issue 17).

``initdb`` in a temporary folder (trust authentication, UTF8, C locale), the server on a Unix
socket in that folder only (no TCP), ``fsync`` off; stopped and removed at the end. As root (CI
and these machines) the server runs as the ``postgres`` user of Debian's postgresql package.
Without PostgreSQL the tests that need it are skipped with the reason, unless
``TUI_DESK_REQUIRE_PG=1``: then they fail.

(The suite-wide cluster and ``db`` fixture over both engines live in tests/pg.py and
tests/conftest.py once the PostgreSQL seam is merged; this one serves the migration tests.)
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REQUIRE_ENV = "TUI_DESK_REQUIRE_PG"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="tui-desk-pg17b-"))
        self.data = self.root / "data"
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": [],
                        "env": {**os.environ, "HOME": str(self.root)}}

    def _run(self, *args: object) -> None:
        result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                                cwd=self.root, **self._as)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(str(args[0])).name}: {result.stderr.strip()}")

    def start(self) -> None:
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "-U", "postgres", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(self.bin / "pg_ctl", "start", "-D", self.data, "-w", "-t", "60",
                  "-l", self.root / "server.log", "-o", options)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(self.bin / "pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def new_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def cluster() -> Iterator[Cluster]:
    """A pytest fixture body: the cluster, or a skip (a failure when PostgreSQL is required)."""
    binaries = _bindir()
    reason = None
    if binaries is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            reason = "psycopg is not installed"
    if reason:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    assert binaries is not None
    running = Cluster(binaries)
    try:
        running.start()
        yield running
    finally:
        running.stop()
