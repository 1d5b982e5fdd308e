"""What ``tui-desk doctor`` reads from a PostgreSQL database, without changing it (issue 17):
the server, the role, the schema version and the environment marker, and the role's rights on
tui-desk's tables and sequences. No migration runs (the database is not opened through
``open_database``)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from tui_desk.store.errors import StoreError

TABLE_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class PgFacts:
    where: str                      # the URL without its password
    server_version: str
    role: str
    superuser: bool
    schema_version: int | None       # None: this role may not read it
    environment: str | None
    tables: int
    missing_table_rights: tuple[tuple[str, tuple[str, ...]], ...]   # (table, rights it lacks)
    missing_sequence_usage: tuple[str, ...]


def read_pg_facts(url: str) -> PgFacts:
    """Raises StoreError (DatabaseUnavailable & co.) when the server cannot be reached or
    refuses the role."""
    from tui_desk.store.pg_backend import PgDatabase, connect

    db = PgDatabase(connect(url), url)
    try:
        server = str(db.scalar("SHOW server_version"))
        role = str(db.scalar("SELECT current_user"))
        superuser = bool(db.scalar(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        version: int | None = None       # None: there, but this role may not read it
        environment = None
        if db.scalar("SELECT to_regclass('schema_version')") is None:
            version = 0
        else:
            with contextlib.suppress(StoreError):
                version = db.version
            with contextlib.suppress(StoreError):
                environment = db.scalar("SELECT value FROM settings WHERE key = 'environment'")
        tables = [r["name"] for r in db.all(
            "SELECT c.relname AS name FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1")]
        missing = []
        for table in tables:
            lacks = tuple(right for right in TABLE_RIGHTS if not db.scalar(
                "SELECT has_table_privilege(current_user, "
                "quote_ident(current_schema()) || '.' || quote_ident(?), ?)", (table, right)))
            if lacks:
                missing.append((table, lacks))
        sequences = [r["name"] for r in db.all(
            "SELECT c.relname AS name FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'S' "
            "AND NOT has_sequence_privilege(current_user, c.oid, 'USAGE') ORDER BY 1")]
        return PgFacts(db.where, server, role, superuser, version, environment, len(tables),
                       tuple(missing), tuple(sequences))
    finally:
        db.close()
