"""``tui-desk doctor`` against PostgreSQL (issue 17): connection, schema version, the role's
rights and whether it is a superuser, each one line of the report; on the test cluster."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests import pg
from tui_desk import cli
from tui_desk.services import doctor
from tui_desk.store.db import PRODUCTION, open_database


def config_for(tmp_path, url):
    path = tmp_path / "config.toml"
    path.write_text(f'[library]\nname = "Bibliotheek Test"\n[database]\nurl = "{url}"\n'
                    '[[branches]]\ncode = "9401"\nname = "Annen"\n', encoding="utf-8")
    path.chmod(0o600)
    return path


def line(checks, name):
    found = [c for c in checks if c.name == name]
    assert len(found) == 1, [c.name for c in checks]
    return found[0]


@pytest.fixture
def clerk(pg_empty):
    """A login role without any rights, on a migrated production database; yields
    (its URL, an autocommit connection as the owner to grant with)."""
    open_database(pg_empty, environment=PRODUCTION).close()
    role = f"clerk_{uuid.uuid4().hex[:8]}"
    with pg.admin() as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    owner = psycopg.connect(pg_empty, autocommit=True)
    url = pg_empty.replace(f"{pg.SUPERUSER}@", f"{role}@")
    try:
        yield url, owner, role
    finally:
        owner.execute(f"DROP OWNED BY {role}")
        owner.close()
        with pg.admin() as admin:
            admin.execute(f"DROP ROLE {role}")


def test_a_role_without_rights_is_told_which(clerk, tmp_path, capsys):
    url, _owner, role = clerk
    checks = doctor.run(str(config_for(tmp_path, url)))
    database = line(checks, "Database")
    assert not database.ok
    assert database.message.endswith(f"verbonden, maar rol {role} mag de schemaversie niet "
                                     "lezen (zie Rechten database).")
    rights = line(checks, "Rechten database")
    assert not rights.ok
    assert rights.message.startswith(f"rol {role} mist rechten op ")
    assert "(SELECT, INSERT, UPDATE, DELETE)" in rights.message
    assert "USAGE op de reeksen" in rights.message
    assert line(checks, "Databaserol").ok
    assert cli.main(["--config", str(config_for(tmp_path, url)), "doctor"]) == 1
    assert f"FOUT  Rechten database: rol {role} mist rechten op " in capsys.readouterr().out


def test_a_role_with_least_rights_passes(clerk, tmp_path):
    url, owner, role = clerk
    owner.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    owner.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                  f"TO {role}")
    owner.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    checks = doctor.run(str(config_for(tmp_path, url)))
    assert "verbonden, schema " in line(checks, "Database").message
    assert line(checks, "Rechten database").ok
    assert line(checks, "Databaserol").message == f"{role} is geen superuser"
    # The role can work: the program opens the database (already migrated) with it.
    open_database(url, environment=PRODUCTION, create=False).close()


def test_a_superuser_is_advised_against(pg_empty, tmp_path):
    open_database(pg_empty, environment=PRODUCTION).close()
    checks = doctor.run(str(config_for(tmp_path, pg_empty)))
    role = line(checks, "Databaserol")
    assert not role.ok and "is superuser" in role.message
    assert line(checks, "Rechten database").ok


def test_no_schema_yet_and_the_doctor_changes_nothing(pg_empty, tmp_path):
    checks = doctor.run(str(config_for(tmp_path, pg_empty)))
    database = line(checks, "Database")
    assert not database.ok and "nog geen tui-desk-schema" in database.message
    with psycopg.connect(pg_empty) as conn:
        assert conn.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None


def test_the_training_database_is_not_production(pg_empty, tmp_path):
    open_database(pg_empty, environment="demo").close()
    database = line(doctor.run(str(config_for(tmp_path, pg_empty))), "Database")
    assert not database.ok and database.message.endswith("dit is de oefendatabase.")


def test_no_connection(tmp_path):
    url = pg.url("no_such_database")
    database = line(doctor.run(str(config_for(tmp_path, url))), "Database")
    assert not database.ok and "geen verbinding" in database.message
