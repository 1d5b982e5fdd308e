"""A sandbox per trainee: a copy of the training template, made on first use, kept private,
removed by demo reset (everyone's, or one trainee's)."""

from __future__ import annotations

import datetime as dt
import stat
import threading

import pytest

from tui_desk.cli import main
from tui_desk.config import demo_config
from tui_desk.services.desk import Desk, trainee_key
from tui_desk.store.db import StoreError, open_database
from tui_desk.store.sandbox import (
    file_name,
    open_sandbox,
    remove_sandboxes,
    sandbox_path,
    sandboxes,
    trainee_of,
)

DAY = dt.date(2026, 11, 28)
NOW = dt.datetime.combine(DAY, dt.time(10))


@pytest.fixture
def template(demo_copy):
    """A copy of the small seeded template in this test's folder."""
    return demo_copy


def test_first_use_copies_the_template_and_the_second_opens_the_copy(template):
    db, made = open_sandbox(template, "10.20.0.11", demo_config(), NOW)
    assert made and trainee_of(db) == "10.20.0.11"
    assert db.path == template.parent / "demo-oefenaars" / "10.20.0.11.sqlite3"
    count = db.scalar("SELECT count(*) FROM customers")
    db.execute("UPDATE customers SET surname = 'Eigen' WHERE id = 1")
    db.close()
    again, made = open_sandbox(template, "10.20.0.11", demo_config(), NOW)
    assert not made and again.scalar("SELECT surname FROM customers WHERE id = 1") == "Eigen"
    again.close()
    other, _ = open_sandbox(template, "10.20.0.12", demo_config(), NOW)
    assert other.scalar("SELECT surname FROM customers WHERE id = 1") != "Eigen"
    assert other.scalar("SELECT count(*) FROM customers") == count
    other.close()


def test_copies_are_for_the_owner_only(template):
    db, _ = open_sandbox(template, "jdevries", demo_config(), NOW)
    db.close()
    folder = sandbox_path(template, "jdevries").parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_new_template_is_seeded_on_the_first_trainees_start(tmp_path, monkeypatch):
    import tui_desk.store.demo as demo

    real = demo.ensure_demo
    monkeypatch.setattr(demo, "ensure_demo", lambda p, c, t: real(p, c, t, customers=20))
    template = tmp_path / "nieuw.sqlite3"
    results = []

    def start(who):
        db, _ = open_sandbox(template, who, demo_config(), NOW)
        results.append(db.scalar("SELECT count(*) FROM customers"))
        db.close()

    # Two trainees at the same moment on a template that does not exist yet: one seeds it,
    # the other waits for it; neither fails. (Seconds: the demo staff PINs are scrypt-hashed.)
    threads = [threading.Thread(target=start, args=(w,)) for w in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1] == 20


def test_unsafe_trainee_keys_get_distinct_safe_file_names():
    assert file_name("10.0.0.5") == "10.0.0.5.sqlite3"
    a, b = file_name("a/b"), file_name("a_b")
    assert a != b and "/" not in a and a.endswith(".sqlite3")
    assert not file_name("..").startswith(".")


def test_reset_removes_one_trainee_or_everyone(template, capsys):
    for who in ("10.20.0.11", "10.20.0.12"):
        open_sandbox(template, who, demo_config(), NOW)[0].close()
    assert [s.trainee for s in sandboxes(template)] == ["10.20.0.11", "10.20.0.12"]
    assert main(["--db", str(template), "demo", "reset", "--trainee", "10.20.0.11"]) == 0
    assert "Oefenomgeving van 10.20.0.11 verwijderd" in capsys.readouterr().out
    assert [s.trainee for s in sandboxes(template)] == ["10.20.0.12"]
    assert main(["--db", str(template), "demo", "reset", "--trainee", "niemand"]) == 1


def test_reset_of_everyone_rebuilds_the_template_and_removes_every_copy(template, capsys,
                                                                       monkeypatch):
    open_sandbox(template, "x", demo_config(), NOW)[0].close()
    import tui_desk.store.demo as demo

    real = demo.reset_demo
    monkeypatch.setattr(demo, "reset_demo", lambda p, c, t: real(p, c, t, customers=20))
    assert main(["--db", str(template), "demo", "reset"]) == 0
    out = capsys.readouterr().out
    assert "20 klanten" in out and "1 oefenomgeving(en) van cursisten verwijderd" in out
    assert sandboxes(template) == []


def test_a_production_file_in_the_folder_is_never_removed(template, tmp_path):
    folder = sandbox_path(template, "x").parent
    folder.mkdir(mode=0o700)
    open_database(folder / "echt.sqlite3", environment="production").close()
    with pytest.raises(StoreError, match="geen oefendatabase"):
        remove_sandboxes(template)


def test_the_sandbox_key_is_the_login_or_for_the_shared_login_the_ssh_address():
    ssh = {"SSH_CONNECTION": "10.20.0.11 52000 10.20.0.1 22"}
    assert trainee_key("jdevries", ("oefen",), ssh) == "jdevries"
    assert trainee_key("oefen", ("oefen",), ssh) == "10.20.0.11"
    assert trainee_key("oefen", ("oefen",), {"SSH_CLIENT": "10.20.0.12 52000 22"}) == \
        "10.20.0.12"
    assert trainee_key("oefen", ("oefen",), {}) == "oefen"     # a local console


def test_the_banner_says_whose_sandbox_it_is(db, config):
    desk = Desk(config=config, db=db, demo=True, trainee="10.20.0.11")
    assert desk.environment_label == "OEFENOMGEVING 10.20.0.11"
    assert Desk(config=config, db=db, demo=True, trainee="a\x1b[2Jb").environment_label == \
        "OEFENOMGEVING a^[[2Jb"


def test_demo_exercises_and_progress_on_the_command_line(template, capsys):
    assert main(["demo", "exercises"]) == 0
    out = capsys.readouterr().out
    assert "01-volwassene-pin  Volwassene inschrijven, Basis, betaald met PIN" in out
    assert main(["--db", str(template), "demo", "progress"]) == 0
    assert "Nog geen cursisten" in capsys.readouterr().out
    from tui_desk.clock import FixedClock
    from tui_desk.services import exercises

    db, _ = open_sandbox(template, "10.20.0.11", demo_config(), NOW)
    exercise = exercises.by_id("06-pas-kwijt")
    exercises.start(db, FixedClock(NOW), exercise)
    exercises.check(db, FixedClock(NOW), exercise)
    db.close()
    assert main(["--db", str(template), "demo", "progress"]) == 0
    out = capsys.readouterr().out
    assert "10.20.0.11: 0 van 6 oefeningen goed" in out
    assert "✗ Pas verloren: blokkeren en een nieuwe pas: pas 29401000075801 geblokkeerd" in out
