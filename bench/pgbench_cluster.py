"""A throw-away PostgreSQL cluster for the benches (issue 17), made as the tests make theirs
(``tests/pg.py``: initdb in a temporary folder, the server on a Unix socket in it, no network,
run as ``postgres`` under root), but configured as a server would be: ``fsync`` and
``synchronous_commit`` on, and ``max_connections`` for the number of counters. A bench
database is a ``tui-desk db copy`` of an SQLite one."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import pg  # noqa: E402


class BenchCluster:
    def __init__(self, *, max_connections: int = 100) -> None:
        binaries = pg.bindir()
        if binaries is None:
            raise SystemExit("PostgreSQL is not installed (no initdb: apt-get install postgresql)")
        self.cluster = pg.Cluster(binaries)
        self.max_connections = max_connections

    def __enter__(self) -> BenchCluster:
        c = self.cluster
        c._run(c.bin / "initdb", "-D", c.data, "-A", "trust", "-E", "UTF8", "--locale=C",
               "-U", pg.SUPERUSER)
        options = (f"-c listen_addresses='' -c unix_socket_directories='{c.root}' "
                   f"-c max_connections={self.max_connections} -c shared_buffers=256MB "
                   "-c work_mem=16MB -c maintenance_work_mem=256MB")
        c._run(c.bin / "pg_ctl", "start", "-D", c.data, "-w", "-t", "120", "-l", c.log,
               "-o", options)
        return self

    def __exit__(self, *exc: object) -> None:
        self.cluster.stop()

    @property
    def server_version(self) -> str:
        with pg.admin(self.cluster.socket) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])

    def url(self, name: str) -> str:
        return pg.url(name, self.cluster.socket)

    def copy_of(self, sqlite_path: Path, name: str) -> str:
        """A new database ``name`` holding a ``db copy`` of ``sqlite_path``; its URL."""
        from tui_desk.services.copy import copy_to_postgresql

        with pg.admin(self.cluster.socket) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = self.url(name)
        copy_to_postgresql(sqlite_path, url)
        return url
