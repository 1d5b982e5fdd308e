"""``tui-desk backup`` of a PostgreSQL database: pg_dump --format=custom, named, owner-only,
rotated and checked like the SQLite copies (issue 17), on the test cluster."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess

import pytest

from tests import pg
from tests.conftest import _PG_DATABASES
from tui_desk import cli
from tui_desk.store.backup import BackupError, backup_postgresql, pg_tool
from tui_desk.store.db import PRODUCTION, open_database

NOW = dt.datetime(2026, 11, 28, 2, 0, 0)


@pytest.fixture
def live(pg_empty):
    db = open_database(pg_empty, environment=PRODUCTION)
    with db.transaction():
        for i in range(50):
            db.set_setting(f"seed-{i}", "x" * 100)
    db.close()
    return pg_empty


def test_a_dump_in_a_folder_is_named_owner_only_readable_and_restorable(live, tmp_path):
    folder = tmp_path / "backups"
    result = backup_postgresql(live, f"{folder}/", now=NOW)
    assert result.path.parent == folder
    assert result.path.name.endswith("-20261128-020000.dump")
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    listed = subprocess.run([pg_tool("pg_restore"), "--list", str(result.path)],
                            capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public settings" in listed
    assert result.integrity.startswith("pg_restore --list: ")
    assert not list(folder.glob(".*partial"))
    # Restored into an empty database, the rows are back.
    other = _PG_DATABASES.create("template0")
    try:
        subprocess.run([pg_tool("pg_restore"), "--no-owner", f"--dbname={pg.url(other)}",
                        str(result.path)], capture_output=True, text=True, check=True)
        restored = open_database(pg.url(other), environment=PRODUCTION, create=False)
        try:
            assert restored.scalar("SELECT count(*) FROM settings WHERE key LIKE 'seed-%'") == 50
        finally:
            restored.close()
    finally:
        _PG_DATABASES.drop(other)


def test_keep_removes_the_oldest_dumps(live, tmp_path):
    folder = tmp_path / "backups"
    for hour in range(4):
        backup_postgresql(live, folder.as_posix() + "/", now=NOW.replace(hour=hour), keep=2)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2
    assert names[0].endswith("-20261128-020000.dump")
    assert names[1].endswith("-20261128-030000.dump")


def test_a_failing_dump_leaves_nothing_and_says_why(tmp_path):
    url = pg.url("no_such_database")
    with pytest.raises(BackupError, match="pg_dump is mislukt: .*no_such_database"):
        backup_postgresql(url, tmp_path / "x.dump", now=NOW)
    assert list(tmp_path.iterdir()) == []


def test_the_command_dumps_the_configured_url(live, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[library]\nname = "Bibliotheek Test"\n[database]\nurl = "{live}"\n'
                      '[[branches]]\ncode = "9401"\nname = "Annen"\n', encoding="utf-8")
    assert cli.main(["--config", str(config), "backup", str(tmp_path / "b") + "/"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Reservekopie gemaakt: {tmp_path / 'b'}/")
    assert "gecontroleerd: pg_restore --list: " in out
