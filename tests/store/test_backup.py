"""``tui-desk backup``: an online, consistent, checked, owner-only copy; rotation; restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import threading

import pytest

from tui_desk import cli
from tui_desk.store import backup as backup_store
from tui_desk.store.backup import BackupError, backup, integrity_check
from tui_desk.store.db import DEMO, PRODUCTION, open_database

NOW = dt.datetime(2026, 11, 28, 2, 0, 0)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "live" / "tui-desk.sqlite3"
    db = open_database(path, environment=PRODUCTION)
    with db.transaction():
        for i in range(200):
            db.set_setting(f"seed-{i}", "x" * 100)
    db.close()
    return path


def pairs_complete(path) -> tuple[int, int]:
    """(a-rows, b-rows) written by the writer below: equal in every consistent snapshot."""
    conn = sqlite3.connect(path)
    try:
        a = conn.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'w-%-a'").fetchone()[0]
        b = conn.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'w-%-b'").fetchone()[0]
    finally:
        conn.close()
    return a, b


def test_a_backup_while_another_session_writes_is_a_consistent_snapshot(source, tmp_path):
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        db = open_database(source, environment=PRODUCTION)
        try:
            i = 0
            while not stop.is_set():
                with db.transaction():          # two rows per transaction, never one
                    db.set_setting(f"w-{i}-a", "y" * 500)
                    db.set_setting(f"w-{i}-b", "y" * 500)
                i += 1
                written[0] = i
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 50:
            stop.wait(0.01)
        results = [backup(source, tmp_path / f"copy-{n}.sqlite3", now=NOW) for n in range(5)]
    finally:
        stop.set()
        thread.join()
    counts = [pairs_complete(r.path) for r in results]
    assert all(a == b for a, b in counts), counts
    assert counts[-1][0] >= 50
    for r in results:
        assert r.integrity == "ok" and integrity_check(r.path) == "ok"
        assert stat.S_IMODE(r.path.stat().st_mode) == 0o600
        assert r.size == r.path.stat().st_size


def test_the_copy_is_one_self_contained_owner_only_file(source, tmp_path):
    result = backup(source, tmp_path / "nightly.sqlite3", now=NOW)
    assert result.path == tmp_path / "nightly.sqlite3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "nightly.sqlite3"]
    conn = sqlite3.connect(result.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    # Restoring it: the program opens it as the production database, in WAL mode again.
    restored = tmp_path / "restored" / "tui-desk.sqlite3"
    restored.parent.mkdir(mode=0o700)
    restored.write_bytes(result.path.read_bytes())
    restored.chmod(0o600)
    db = open_database(restored, environment=PRODUCTION)
    assert db.setting("seed-199") == "x" * 100
    assert db.scalar("PRAGMA journal_mode") == "wal"
    db.close()
    # a second backup to the same file replaces it
    assert backup(source, tmp_path / "nightly.sqlite3", now=NOW).integrity == "ok"


def test_timestamped_copies_in_a_folder_and_keep(source, tmp_path):
    folder = tmp_path / "backups"
    made = []
    for minutes in range(4):
        result = backup(source, f"{folder}/", now=NOW + dt.timedelta(minutes=minutes), keep=2)
        made.append(result)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert made[0].path.name == "tui-desk-20261128-020000.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == [
        "tui-desk-20261128-020200.sqlite3", "tui-desk-20261128-020300.sqlite3"]
    assert made[-1].removed == (folder / "tui-desk-20261128-020100.sqlite3",)
    # two in the same second get a serial number; other files in the folder are left alone
    (folder / "notes.txt").write_text("keep me")
    again = backup(source, folder, now=NOW + dt.timedelta(minutes=3), keep=2)
    assert again.path.name == "tui-desk-20261128-020300-1.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt", "tui-desk-20261128-020300-1.sqlite3", "tui-desk-20261128-020300.sqlite3"]


def test_what_cannot_be_done_is_said(source, tmp_path):
    with pytest.raises(BackupError, match="bestaat niet"):
        backup(tmp_path / "none.sqlite3", tmp_path / "x.sqlite3", now=NOW)
    with pytest.raises(BackupError, match="--keep werkt alleen"):
        backup(source, tmp_path / "x.sqlite3", now=NOW, keep=3)
    with pytest.raises(BackupError, match="over de database zelf"):
        backup(source, source, now=NOW)
    with pytest.raises(BackupError, match="bestaat niet"):
        backup(source, tmp_path / "no" / "such" / "x.sqlite3", now=NOW)


def test_a_damaged_copy_never_replaces_a_good_backup(source, tmp_path, monkeypatch):
    good = backup(source, tmp_path / "nightly.sqlite3", now=NOW)
    before = good.path.read_bytes()
    monkeypatch.setattr(backup_store, "integrity_check", lambda path, quick=False: "*** page 7")
    with pytest.raises(BackupError, match="niet in orde.*page 7"):
        backup(source, tmp_path / "nightly.sqlite3", now=NOW)
    assert good.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "nightly.sqlite3"]


def test_the_command_prints_size_and_place(source, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[library]\nname = "Bieb"\n[database]\npath = "{source}"\n'
                      '[[branches]]\ncode = "9401"\nname = "Annen"\n')
    assert cli.main(["--config", str(config), "backup", str(tmp_path / "b") + "/",
                     "--keep", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Reservekopie gemaakt: {tmp_path / 'b'}/tui-desk-")
    assert "MB), gecontroleerd: integrity_check ok." in out
    assert cli.main(["--config", str(config), "backup", str(tmp_path / "x.sqlite3"),
                     "--keep", "3"]) == 1
    assert "reservekopie niet gemaakt: --keep werkt alleen" in capsys.readouterr().err


def test_the_training_database_is_backed_up_with_demo(tmp_path, capsys):
    demo = tmp_path / "demo.sqlite3"
    open_database(demo, environment=DEMO).close()
    assert cli.main(["--demo", "--db", str(demo), "backup", str(tmp_path / "d.sqlite3")]) == 0
    assert "d.sqlite3" in capsys.readouterr().out
