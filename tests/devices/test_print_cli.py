"""``tui-desk print``: a batch of cards to any printer address, the queue, a retry."""

from __future__ import annotations

import pytest

from tests.config_files import ANNEN, LIBRARY, workstation
from tests.devices.fakes import refused_port
from tests.factories import MANUAL_CARD, make_customer, make_manual_customer
from tui_desk.cli import main
from tui_desk.devices import evolis
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import PRODUCTION, open_database

CONFIG = LIBRARY + ANNEN + """
[printing]
tries = 1
timeout = 0.3
""" + workstation(clients=["10.0.0.5"], card_printer="tcp://127.0.0.1:{port}")


@pytest.fixture
def setup(tmp_path, monkeypatch):
    for name in ("TUI_DESK_WORKSTATION", "SSH_CLIENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.5 50000 10.0.0.1 22")
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(port=refused_port()), encoding="utf-8")
    path = tmp_path / "tui-desk.sqlite3"
    db = open_database(path, environment=PRODUCTION)
    from tui_desk.config import load_file

    sync_branches(db, load_file(config))
    with db.transaction():
        make_manual_customer(db)
        make_customer(db, card="29401000075819")
    db.close()
    return ["--config", str(config), "--db", str(path)], tmp_path


def test_a_batch_of_cards_to_a_file(setup, capsys):
    args, tmp_path = setup
    target = tmp_path / "cards.bin"
    code = main([*args, "print", "ledenpas", MANUAL_CARD, "29401000075819",
                 "--printer", f"file://{target}"])
    out = capsys.readouterr().out
    assert code == 0, out
    # A file cannot answer: the cards were sent, nobody knows they printed.
    sent = "Ledenpas verstuurd naar de printer; deze printer meldt niet of het gelukt is: kijk " \
           "of hij eruit komt."
    assert out.splitlines() == [f"{MANUAL_CARD}: {sent}", f"29401000075819: {sent}"]
    names = evolis.frames_summary(evolis.split_frames(target.read_bytes()))
    assert names == ["Pr;k", "Ss", "Sr", "Db;k;2;…", "Se"] * 2


def test_the_workstations_printer_refuses_then_jobs_and_retry(setup, capsys):
    args, _tmp_path = setup
    assert main([*args, "print", "ledenpas", MANUAL_CARD, "12345678901234"]) == 1
    err = capsys.readouterr().err
    assert "weigert de verbinding" in err
    assert "12345678901234: onbekende of niet uitgegeven pas." in err
    assert main([*args, "print", "jobs"]) == 0
    listing = capsys.readouterr().out
    assert "Ledenpas" in listing and "Mislukt" in listing and "weigert" in listing
    assert main([*args, "print", "retry", "1"]) == 1        # still refused
    assert "weigert de verbinding" in capsys.readouterr().err
    assert main([*args, "print", "cancel", "1"]) == 0
    assert "Opdracht 1 geannuleerd." in capsys.readouterr().out
