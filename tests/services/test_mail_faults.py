"""Mail under faults (issue 18): a long outage parks mail instead of failing it, a server that
takes DATA and hangs gets the same Message-ID again, two maintenance processes at once never
send a mail twice, and what was not sent is reported (maintenance, doctor, Berichten) and sent
again with ``tui-desk mail retry``."""

from __future__ import annotations

import asyncio
import contextlib
import email
import sqlite3
import subprocess
import sys
import threading
import time
from email import policy

import pytest

from tests.factories import make_staff, screen_text
from tests.services.test_mailer import (
    SENDER,
    Inbox,
    free_port,
    queue,
    settings,
    smtp_server,
)
from tui_desk import cli
from tui_desk.app import TuiDeskApp
from tui_desk.services import doctor, mailer
from tui_desk.services.desk import Desk
from tui_desk.store import outbox
from tui_desk.store.db import open_database
from tui_desk.store.lock import AlreadyRunning, exclusive


@pytest.fixture
def prod(tmp_path):
    database = open_database(tmp_path / "prod.sqlite3", environment="production")
    yield database
    database.close()


def wait_for(condition, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class GatedInbox(Inbox):
    """Keeps what arrives; the first DATA is answered only when ``gate`` is set (a server
    that took the message and hangs). ``hold_all``: every DATA waits for the gate."""

    def __init__(self, hold_all: bool = False) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.arrived = 0
        self.hold_all = hold_all

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        self.arrived += 1
        if self.arrived == 1 or self.hold_all:
            for _ in range(600):
                if self.gate.is_set():
                    break
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


# -- the server is down for a long time ------------------------------------------------------------
def test_a_long_outage_parks_the_mail_and_retry_sends_it(prod, clock):
    mail_id = queue(prod, clock)
    down = settings(free_port(), timeout=0.5)
    for _ in range(mailer.MAX_TRIES + 5):
        report = mailer.deliver_due(prod, clock, down)
        clock.set(max(clock.now(), outbox.get(prod, mail_id).next_try_at))
    mail = outbox.get(prod, mail_id)
    assert mail.status == "parked" and mail.tries == mailer.MAX_TRIES
    assert outbox.counts(prod)["failed"] == 0
    # Every later run says so, with a count, also when it did nothing else.
    assert not report.changed
    assert any("1 e-mail(s) geparkeerd" in line and "tui-desk mail retry" in line
               for line in report.lines())
    check = doctor.check_outbox(prod.path)
    assert not check.ok and "1 e-mail(s) geparkeerd" in check.message
    # The server is back; the administrator sends it again.
    assert mailer.retry_parked(prod, clock) == 1
    with smtp_server() as (inbox, port):
        report = mailer.deliver_due(prod, clock, settings(port))
    assert [m.id for m in report.sent] == [mail_id] and len(inbox.messages) == 1
    assert doctor.check_outbox(prod.path).ok


# -- the server takes DATA and hangs ---------------------------------------------------------------
def test_a_server_that_hangs_after_data_gets_the_same_message_id_again(prod, clock):
    mail_id = queue(prod, clock)
    inbox = GatedInbox()
    with smtp_server(inbox=inbox) as (_inbox, port):
        try:
            first = mailer.deliver_due(prod, clock, settings(port, timeout=0.5))
        finally:
            inbox.gate.set()
        assert first.sent == [] and [m.id for m, _ in first.retry] == [mail_id]
        assert outbox.get(prod, mail_id).status == "queued"
        clock.set(outbox.get(prod, mail_id).next_try_at)
        second = mailer.deliver_due(prod, clock, settings(port, timeout=2))
    assert [m.id for m in second.sent] == [mail_id]
    stored = outbox.get(prod, mail_id).message_id
    ids = [message["Message-ID"] for _, _, message in inbox.messages]
    # At least once: the server got it twice, both times as the same message, so the receiving
    # side keeps one.
    assert ids == [stored, stored]
    assert stored.startswith("<tui-desk.") and stored.endswith("@bibliotheekannen.nl>")
    assert len({m["Message-ID"]: m for _, _, m in inbox.messages}) == 1


def test_the_message_id_is_unique_and_kept(prod, clock):
    a, b = queue(prod, clock), queue(prod, clock)
    with smtp_server() as (inbox, port):
        mailer.deliver_due(prod, clock, settings(port))
    ids = {outbox.get(prod, a).message_id, outbox.get(prod, b).message_id}
    assert len(ids) == 2 and None not in ids
    assert {m["Message-ID"] for _, _, m in inbox.messages} == ids


# -- two maintenance runs at once ------------------------------------------------------------------
CONFIG = """
[library]
name = "Bibliotheek Test"

[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "{sender}"
timeout = 30

[database]
path = "{database}"

[[branches]]
code = "9401"
name = "Annen"
"""


def run_cli(*args: str, **kwargs) -> subprocess.Popen:
    code = "import sys; from tui_desk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_two_maintenance_processes_never_send_a_mail_twice(tmp_path, clock):
    database = tmp_path / "prod.sqlite3"
    db = open_database(database, environment="production")
    ids = [queue(db, clock, subject=f"Bericht {n}") for n in range(3)]
    db.close()
    inbox = GatedInbox()
    with smtp_server(inbox=inbox) as (_inbox, port):
        config = tmp_path / "config.toml"
        config.write_text(CONFIG.format(port=port, sender=SENDER, database=database), "utf-8")
        first = run_cli("--config", str(config), "maintenance")
        try:
            # The first run is at the server with the first mail, which does not answer ...
            wait_for(lambda: inbox.arrived >= 1, what="the first run's first mail")
            # ... for longer than the lease on the mails it claimed.
            with contextlib.closing(sqlite3.connect(database)) as raw:
                raw.execute("UPDATE mail_outbox SET next_try_at = '2000-01-01T00:00:00'"
                            " WHERE status = 'queued'")
                raw.commit()
            second = run_cli("--config", str(config), "maintenance")
            out, err = second.communicate(timeout=60)
            assert second.returncode == 0, err
            assert "Onderhoud loopt al (proces" in out and "overgeslagen" in out
        finally:
            inbox.gate.set()
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert "3 verzonden" in out
    subjects = [m["Subject"] for _, _, m in inbox.messages]
    assert sorted(subjects) == ["Bericht 0", "Bericht 1", "Bericht 2"]
    db = open_database(database, environment="production")
    assert {outbox.get(db, i).status for i in ids} == {"sent"}
    db.close()


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    database = tmp_path / "x.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pathlib; from tui_desk.store.lock import exclusive\n"
         "with exclusive(pathlib.Path(sys.argv[1])):\n"
         "    print('locked', flush=True); sys.stdin.read()", str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match=f"proces {holder.pid}"), exclusive(database):
            pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive(database) as path:
        assert path.stat().st_mode & 0o777 == 0o600


# -- the command line ------------------------------------------------------------------------------
def test_mail_list_and_retry_on_the_command_line(tmp_path, clock, capsys):
    database = tmp_path / "prod.sqlite3"
    db = open_database(database, environment="production")
    parked = queue(db, clock, subject="Geparkeerd bericht")
    refused = queue(db, clock, to="weg@example.nl", subject="Geweigerd bericht")
    with db.transaction():
        outbox.mark_parked(db, parked, "niet bereikbaar (geparkeerd na 20 pogingen)",
                           clock.now())
        outbox.mark_failed(db, refused, "550 5.1.1 onbekend")
    db.close()
    with smtp_server() as (inbox, port):
        config = tmp_path / "config.toml"
        config.write_text(CONFIG.format(port=port, sender=SENDER, database=database), "utf-8")
        assert cli.main(["--config", str(config), "mail", "list"]) == 0
        listed = capsys.readouterr().out
        assert "Geparkeerd bericht" in listed and "Geweigerd bericht" in listed
        assert "Geparkeerd " in listed and "550 5.1.1" in listed
        assert cli.main(["--config", str(config), "mail", "retry"]) == 0
        out = capsys.readouterr().out
        assert "1 e-mail(s) opnieuw in de wachtrij" in out and "1 verzonden" in out
        assert [m["Subject"] for _, _, m in inbox.messages] == ["Geparkeerd bericht"]
        assert "1 e-mail(s) geweigerd" in out          # still said until handled
        assert cli.main(["--config", str(config), "mail", "retry", str(refused)]) == 0
        assert "1 verzonden" in capsys.readouterr().out
    assert cli.main(["--config", str(config), "mail", "list"]) == 0
    assert "Geen e-mail die wacht" in capsys.readouterr().out


# -- Berichten -------------------------------------------------------------------------------------
async def test_berichten_shows_the_parked_count_and_f5_queues_again(prod, clock, config):
    from tui_desk.store.branches import sync_branches

    sync_branches(prod, config)
    staff = make_staff(prod)
    mail_id = queue(prod, clock, subject="Activeer je inlogaccount")
    with prod.transaction():
        outbox.mark_parked(prod, mail_id, "niet bereikbaar (geparkeerd na 20 pogingen)",
                           clock.now())
    app = TuiDeskApp(Desk(config=config, db=prod, demo=False, clock=clock, staff=staff))
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_berichten()
        await pilot.pause()
        text = screen_text(app)
        assert "Geparkeerd" in text and "geparkeerd 1" in text
        assert "Let op: 1 geparkeerd" in text
        await pilot.press("f5")
        await pilot.pause()
        assert outbox.get(prod, mail_id).status == "queued"
        assert "Bericht staat weer in de wachtrij" in screen_text(app)
        assert "In wachtrij" in screen_text(app)
