"""A throw-away PostgreSQL cluster for one pytest run (issue 17).

``tests/conftest.py`` starts it once per run, in the xdist controller (or the only process):
``initdb`` in a temporary folder (trust authentication, UTF8, C locale), the server listening on
a Unix socket in that folder only (``listen_addresses=''``: no network), ``fsync=off`` for
speed; then a template database ``tmpl`` migrated by tui-desk itself. The workers find the
socket folder in ``TUI_DESK_PG_SOCKET``; each test process copies the template once and each
test gets that copy back as the template is (``Databases``: emptied and refilled, a few
milliseconds, where a new copy per test would take a second or two on a loaded machine).
At the end the server is stopped and the folder removed.

PostgreSQL refuses to run as root (as CI and these machines do): the server then runs as the
``postgres`` system user (made by Debian's postgresql package), the folder is given to it.

Without PostgreSQL (no ``initdb``) the PostgreSQL half of the tests is skipped with the reason,
unless ``TUI_DESK_REQUIRE_PG=1`` (``.ci/run``): then those tests fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

SOCKET_ENV = "TUI_DESK_PG_SOCKET"
MISSING_ENV = "TUI_DESK_PG_MISSING"      # why there is no cluster (set by the controller)
REQUIRE_ENV = "TUI_DESK_REQUIRE_PG"
TEMPLATE = "tmpl"
SUPERUSER = "postgres"
START_TIMEOUT_SECONDS = 60


def bindir() -> Path | None:
    """The folder with initdb/pg_ctl: ``pg_config --bindir`` or Debian's
    /usr/lib/postgresql/<version>/bin (the newest)."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name)
                         if Path(p).parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def url(database: str, socket: str | None = None) -> str:
    """The URL of ``database`` on the cluster (Unix socket, the superuser, no password)."""
    socket = socket or os.environ[SOCKET_ENV]
    return f"postgresql://{SUPERUSER}@/{database}?host={socket}"


class Cluster:
    """initdb + pg_ctl in a temporary folder (see the module)."""

    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="tui-desk-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("PostgreSQL does not run as root and there is no 'postgres' "
                                   "user (install Debian's postgresql package)") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": [],
                        "env": {**os.environ, "HOME": str(self.root)}}

    def _run(self, *args: str) -> None:
        result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                                cwd=self.root, **self._as)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()}\n{log}")

    def start(self) -> None:
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "-U", SUPERUSER, "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.root}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200 -c shared_buffers=64MB -c deadlock_timeout=100ms")
        self._run(self.bin / "pg_ctl", "start", "-D", self.data, "-w",
                  "-t", str(START_TIMEOUT_SECONDS), "-l", self.log, "-o", options)

    @property
    def socket(self) -> str:
        return str(self.root)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(self.bin / "pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def admin(socket: str | None = None) -> Any:
    """An autocommit connection to the cluster's ``postgres`` database."""
    import psycopg

    return psycopg.connect(url("postgres", socket), autocommit=True)


def make_template(socket: str) -> None:
    """The database every test copies: tui-desk's schema, marked as a training database. (Not
    made while there are no PostgreSQL migrations: then only the engine's own tests run.)"""
    from tui_desk.store.db import DEMO, latest_version, open_database
    from tui_desk.store.dialect import POSTGRESQL

    if latest_version(POSTGRESQL) == 0:
        return
    with admin(socket) as conn:
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    open_database(url(TEMPLATE, socket), environment=DEMO).close()


def has_template() -> bool:
    with admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (TEMPLATE,)).fetchone() is not None


def start() -> Cluster:
    """Start the cluster and make the template (raises RuntimeError with the reason)."""
    binaries = bindir()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb: apt-get install postgresql)")
    cluster = Cluster(binaries)
    try:
        cluster.start()
        make_template(cluster.socket)
    except BaseException:
        cluster.stop()
        raise
    return cluster


class Databases:
    """The databases of one test process.

    Making a database (``CREATE DATABASE … TEMPLATE``) copies files and takes a checkpoint: one
    to two seconds on a loaded machine, too slow for every test. So each process makes its two
    databases once and empties them before each test: ``fresh()`` (the template's schema and
    rows: every table emptied without firing triggers, the template's rows put back, the
    identity sequences set back) and ``empty()`` (no schema at all: the ``public`` schema made
    anew). A test that left a connection holding locks makes the reset wait; after
    ``RESET_LOCK_TIMEOUT`` the database is dropped and made again.
    """

    RESET_LOCK_TIMEOUT = "5s"

    def __init__(self) -> None:
        self._admin: Any = None
        self._fresh: str | None = None
        self._empty: str | None = None
        self._restore: tuple[str, list[tuple[str, list[str], list[tuple]]]] | None = None

    def _conn(self) -> Any:
        if self._admin is None or self._admin.closed:
            self._admin = admin()
        return self._admin

    def create(self, template: str = TEMPLATE) -> str:
        """A new database copied from ``template`` (``template0``: an empty one)."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self._conn().execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        return name

    def drop(self, name: str) -> None:
        self._conn().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _reset(self, name: str, script: str, rows: list[tuple[str, list[str], list[tuple]]]
               ) -> bool:
        import psycopg

        try:
            with psycopg.connect(url(name), autocommit=True) as conn:
                conn.execute(f"SET lock_timeout = '{self.RESET_LOCK_TIMEOUT}'")
                with conn.transaction():
                    conn.execute(script.encode())
                    with conn.cursor() as cursor:
                        for table, columns, values in rows:
                            marks = ", ".join(["%s"] * len(columns))
                            cursor.executemany(
                                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                values)
            return True
        except psycopg.errors.LockNotAvailable:
            return False

    def fresh(self) -> str:
        """The name of this process's database, as the template is (see the class)."""
        if self._fresh is not None and self._restore is not None:
            if self._reset(self._fresh, *self._restore):
                return self._fresh
            self.drop(self._fresh)
        self._fresh = self.create()
        self._restore = self._snapshot(self._fresh)
        return self._fresh

    def empty(self) -> str:
        """The name of this process's database without any schema."""
        script = ("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                  "GRANT ALL ON SCHEMA public TO PUBLIC;")
        if self._empty is not None:
            if self._reset(self._empty, script, []):
                return self._empty
            self.drop(self._empty)
        self._empty = self.create("template0")
        return self._empty

    def _snapshot(self, name: str) -> tuple[str, list[tuple[str, list[str], list[tuple]]]]:
        """The script that empties ``name`` and the template's rows to put back."""
        import psycopg

        with psycopg.connect(url(name), autocommit=True) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
            rows = []
            for table in tables:
                cursor = conn.execute(f"SELECT * FROM {table}")
                values = cursor.fetchall()
                if values:
                    rows.append((table, [c.name for c in cursor.description], values))
            sequences = conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        script = ["SET LOCAL session_replication_role = replica;"]
        script += [f"DELETE FROM {table};" for table in tables]
        script += [f"SELECT setval('{seq}', {last}, true);" if last is not None
                   else f"SELECT setval('{seq}', 1, false);" for seq, last in sequences]
        return "\n".join(script), rows


def unavailable() -> str | None:
    """Why this test process has no cluster, or None when it has one."""
    if os.environ.get(SOCKET_ENV):
        return None
    return os.environ.get(MISSING_ENV) or "the PostgreSQL test cluster was not started"


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")
