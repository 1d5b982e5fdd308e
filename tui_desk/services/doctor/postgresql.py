"""The doctor's checks of a PostgreSQL database (issue 17): the connection, the schema version
against this program's, the environment marker, and the role's rights (least rights: SELECT,
INSERT, UPDATE, DELETE on the tables and USAGE on the sequences; not a superuser)."""

from __future__ import annotations

from tui_desk.services.doctor.common import Check
from tui_desk.store.db import DEMO, PRODUCTION, StoreError
from tui_desk.store.dialect import POSTGRESQL
from tui_desk.store.pg_health import PgFacts, read_pg_facts


def check_postgresql(url: str, *, demo: bool) -> list[Check]:
    """One line for the connection and schema, one for the rights, one for the role."""
    from tui_desk.store.db import latest_version
    from tui_desk.store.pg_backend import redacted

    try:
        facts = read_pg_facts(url)
    except StoreError as exc:
        return [Check("Database", False, f"{redacted(url)}: geen verbinding: {exc}")]
    return [_schema(facts, latest_version(POSTGRESQL), demo=demo), _rights(facts),
            _role(facts)]


def _schema(facts: PgFacts, latest: int, *, demo: bool) -> Check:
    where = f"{facts.where} (PostgreSQL {facts.server_version})"
    wanted = DEMO if demo else PRODUCTION
    if facts.schema_version is None:
        return Check("Database", False, f"{where}: verbonden, maar rol {facts.role} mag de "
                     "schemaversie niet lezen (zie Rechten database).")
    if facts.schema_version == 0:
        return Check("Database", False, f"{where}: nog geen tui-desk-schema; de eerste start "
                     "(met de eigenaarsrol) maakt het, of kopieer met tui-desk db copy.")
    if facts.schema_version > latest:
        return Check("Database", False, f"{where}: geschreven door een nieuwere versie (schema "
                     f"{facts.schema_version}, deze versie kent t/m {latest}); installeer de "
                     "nieuwste versie.")
    if facts.environment is not None and facts.environment != wanted:
        return Check("Database", False, f"{where}: " + (
            "dit is de oefendatabase." if facts.environment == DEMO
            else "dit is de productiedatabase."))
    schema = (f"schema {facts.schema_version}" if facts.schema_version == latest else
              f"schema {facts.schema_version} → {latest} bij de volgende start")
    return Check("Database", True, f"{where}: verbonden, {schema}, {facts.tables} tabellen")


def _rights(facts: PgFacts) -> Check:
    problems = []
    if facts.missing_table_rights:
        shown = [f"{table} ({', '.join(rights)})"
                 for table, rights in facts.missing_table_rights[:5]]
        more = len(facts.missing_table_rights) - len(shown)
        problems.append(f"rol {facts.role} mist rechten op " + ", ".join(shown)
                        + (f" en nog {more} tabel(len)" if more > 0 else ""))
    if facts.missing_sequence_usage:
        problems.append(f"rol {facts.role} mist USAGE op de reeksen "
                        + ", ".join(facts.missing_sequence_usage[:5]))
    if problems:
        return Check("Rechten database", False, "; ".join(problems)
                     + " (GRANT: docs/deployment.md).")
    return Check("Rechten database", True, f"rol {facts.role} mag lezen en schrijven in alle "
                 f"{facts.tables} tabellen en de reeksen gebruiken")


def _role(facts: PgFacts) -> Check:
    if facts.superuser:
        return Check("Databaserol", False, f"{facts.role} is superuser; laat het programma "
                     "werken met een eigen rol met alleen de nodige rechten "
                     "(docs/deployment.md).")
    return Check("Databaserol", True, f"{facts.role} is geen superuser")
