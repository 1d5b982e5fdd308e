"""``tui-desk db copy``: an SQLite database into PostgreSQL, verified (issue 17), on the test
cluster (tests/pg.py)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import pg_empty_url
from tui_desk import cli
from tui_desk.services.copy import copy_to_postgresql
from tui_desk.store.copy import (
    CopyError,
    check_target,
    opened_source,
    opened_target,
    source_tables,
    verify,
)
from tui_desk.store.db import open_database


@pytest.fixture
def demo_file(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    return path


def test_the_demo_database_copies_with_equal_counts_and_checksums(demo_file, pg_empty):
    seen: dict[str, int] = {}
    result = copy_to_postgresql(demo_file, pg_empty,
                                progress=lambda t, done, total: seen.__setitem__(t, done))
    assert all(check.ok for check in result.tables)
    by_name = {c.table: c for c in result.tables}
    assert by_name["customers"].source_rows >= 50
    assert seen["customers"] == by_name["customers"].source_rows
    # Verified again afterwards from fresh connections, and the database opens as tui-desk's.
    with opened_source(demo_file) as src, opened_target(pg_empty) as dst:
        assert all(c.ok for c in verify(src, dst).tables)
    db = open_database(pg_empty, environment="demo", create=False)
    try:
        # Identities past the highest id: a new customer gets the next number.
        highest = db.scalar("SELECT max(id) FROM customers")
        new = db.scalar("SELECT nextval(pg_get_serial_sequence('customers', 'id'))")
        assert new == highest + 1
        assert db.scalar("SELECT count(*) FROM cards WHERE number = '29401000075801'") == 1
    finally:
        db.close()


def test_a_tampered_row_is_detected(demo_file, pg_empty):
    copy_to_postgresql(demo_file, pg_empty)
    with opened_target(pg_empty) as dst:
        dst.execute("UPDATE customers SET surname = surname || 'x' "
                    "WHERE id = (SELECT min(id) FROM customers)")
    with opened_source(demo_file) as src, opened_target(pg_empty) as dst:
        bad = [c for c in verify(src, dst).tables if not c.ok]
    assert [c.table for c in bad] == ["customers"]
    assert bad[0].source_rows == bad[0].target_rows


def test_a_non_empty_target_is_refused_and_left_alone(demo_file, pg_empty, capsys):
    copy_to_postgresql(demo_file, pg_empty)
    assert cli.main(["db", "copy", "--from", str(demo_file), "--to", pg_empty]) == 1
    err = capsys.readouterr().err
    assert "is niet leeg" in err and "nieuwe, lege database" in err
    with opened_source(demo_file) as src, opened_target(pg_empty) as dst:
        assert all(c.ok for c in verify(src, dst).tables)


def test_a_target_at_another_schema_version_is_refused(pg_empty):
    with opened_target(pg_empty) as dst:
        dst.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        dst.execute("INSERT INTO schema_version VALUES (3)")
        with pytest.raises(CopyError, match="andere versie"):
            check_target(dst)


def test_a_failed_copy_leaves_the_target_empty(demo_file, pg_empty, monkeypatch):
    import tui_desk.store.copy as copy_module

    def broken(target):
        raise CopyError("kapot")

    monkeypatch.setattr(copy_module, "set_identities", broken)
    with pytest.raises(CopyError, match="kapot"):
        copy_to_postgresql(demo_file, pg_empty)
    with opened_target(pg_empty) as dst:
        assert dst.version == 0
        assert copy_module.target_tables(dst) == set()


def test_the_command_line_copies_and_says_so(demo_file, capsys):
    url, _name = pg_empty_url()
    assert cli.main(["db", "copy", "--from", str(demo_file), "--to", url]) == 0
    out = capsys.readouterr().out
    assert "aantallen en controlegetallen gelijk" in out
    assert "customers" in out


def test_tables_go_after_the_tables_they_refer_to(demo_file):
    with opened_source(demo_file) as src:
        order = [t.name for t in source_tables(src)]
        for table in order:
            for ref in src.all(f'PRAGMA foreign_key_list("{table}")'):
                if ref["table"] != table:
                    assert order.index(ref["table"]) < order.index(table)
