"""Step 2 — Inlogaccount — as the manual describes it, with the 24-hour rule on a set clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from tests.factories import make_customer, make_staff
from tests.services.test_mailer import smtp_server
from tui_desk import cli
from tui_desk.clock import FixedClock
from tui_desk.config import MailSettings
from tui_desk.services import login_accounts as la
from tui_desk.services import mailer
from tui_desk.services.identity import (
    AccountName,
    AccountRemoved,
    LinkExpired,
    LocalIdentityService,
    UnknownAccount,
    UnknownToken,
    username_base,
)
from tui_desk.store import outbox
from tui_desk.store.db import open_database

TOKEN = re.compile(r"https://mijn\.bibliotheek\.nl/activeren\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
def staff(db):
    return make_staff(db)


def customer(db, email="a.test@example.nl", **overrides):
    values = dict(initials="A.", prefix="van de", surname="Test", gender="V", email=email)
    values.update(overrides)
    return make_customer(db, **values)


def token_of(db, mail_id):
    return TOKEN.search(outbox.get(db, mail_id).body_text).group(1)


def audit_actions(db, customer_id):
    rows = db.all("SELECT action, entity_id, after FROM audit_log WHERE customer_id = ? "
                  "AND entity = 'login_account' ORDER BY id", (customer_id,))
    return [(r["action"], r["entity_id"]) for r in rows]


# -- Nieuw inlogaccount genereren ------------------------------------------------------------------
def test_generate_gives_username_email_message_and_queues_the_mail(db, clock, config, staff):
    cid = customer(db)
    result = la.generate(db, clock, config, staff, cid)
    assert (result.message, result.username, result.email) == (
        "Genereren van inlogaccount gelukt", "atest", "a.test@example.nl")
    assert "24 uur" in result.reminder
    assert result.expires_at == clock.now() + dt.timedelta(hours=24)
    mail = outbox.get(db, result.mail_id)
    assert (mail.to_addr, mail.kind, mail.customer_id, mail.status) == (
        "a.test@example.nl", "activation", cid, "queued")
    body = mail.body_text
    assert body.startswith("Beste A. van de Test,")
    assert "Je gebruikersnaam is: atest" in body
    assert "24 uur geldig, tot 29-11-2026 om 10:00 uur" in body
    assert "Is de link verlopen?" in body
    token = token_of(db, result.mail_id)
    # only a hash of the token is stored
    assert db.scalar("SELECT count(*) FROM login_accounts WHERE token_hash = ?", (token,)) == 0
    assert token not in repr(result)
    status = la.login_status(db, clock, cid)
    assert (status.username, status.status, status.origin) == ("atest", "pending", "generated")
    assert "Nog niet geactiveerd" in status.status_label
    assert audit_actions(db, cid) == [("generate", "atest")]


def test_account_link_and_mail_commit_together_with_the_registration(db, clock, config, staff):
    """Step 3 saves the customer in one transaction; a failure there leaves nothing behind."""
    with pytest.raises(RuntimeError), db.transaction():
        cid = customer(db)
        la.complete(db, clock, config, staff, cid, la.LoginChoice(la.GENERATED))
        raise RuntimeError("saving the subscription failed")
    assert db.scalar("SELECT count(*) FROM login_accounts") == 0
    assert db.scalar("SELECT count(*) FROM customer_logins") == 0
    assert outbox.recent(db) == []


def test_generated_usernames_are_unique(db, clock, config, staff):
    names = [la.generate(db, clock, config, staff, customer(db, email=f"t{i}@example.nl")).username
             for i in range(3)]
    assert names == ["atest", "atest2", "atest3"]


def test_the_username_rule(db, clock):
    assert username_base(AccountName("A.", "van de", "Test")) == "atest"
    assert username_base(AccountName("J.P.", "de", "Vries-Çelik")) == "jpvriescelik"
    assert username_base(AccountName("", "", "Basisschool 't Gein")) == "basisschooltgein"
    assert username_base(AccountName("X.", "", "李")) == "xlid"
    # an existing "ATest" (made elsewhere) makes "atest" taken: no names differing only in case
    identity = LocalIdentityService(db, clock)
    with db.transaction():
        db.execute("INSERT INTO login_accounts(username, email, status, created_at) "
                   "VALUES ('ATest', 'x@example.nl', 'active', '2020-01-01T10:00:00')")
    assert identity.create_account("y@example.nl", AccountName("A.", "", "Test")).username \
        == "atest2"


def test_without_email_no_login_account(db, clock, config, staff):
    cid = customer(db, email="")
    with pytest.raises(la.LoginAccountError, match="Zonder e-mailadres"):
        la.generate(db, clock, config, staff, cid)
    assert la.complete(db, clock, config, staff, cid, la.LoginChoice(la.NONE)) is None


# -- Bestaand inlogaccount gebruiken ---------------------------------------------------------------
def test_existing_account_is_found_case_sensitively_and_linked(db, clock, config, staff):
    first = customer(db, email="oud@example.nl")
    la.generate(db, clock, config, staff, first)
    la.demo_activate(db, clock, "atest")
    la.forget(db, clock, staff, first)            # the customer moves to another library
    with pytest.raises(la.LoginAccountError, match="hoofdletters"):
        la.find_existing(db, clock, "ATest")
    found = la.find_existing(db, clock, " atest ")
    assert (found.username, found.email, found.status_label) == (
        "atest", "oud@example.nl", "Actief")
    new = customer(db, email="nieuw@example.nl")
    result = la.complete(db, clock, config, staff, new, la.LoginChoice(la.EXISTING, "atest"))
    assert (result.username, result.email, result.origin) == ("atest", "oud@example.nl",
                                                              "existing")
    status = la.login_status(db, clock, new)
    assert (status.username, status.status, status.status_label) == ("atest", "active", "Actief")
    assert audit_actions(db, new) == [("link_existing", "atest")]
    assert outbox.counts(db)["queued"] == 1       # no new mail for an existing account


def test_an_account_is_linked_to_one_customer_only(db, clock, config, staff):
    first = customer(db)
    la.generate(db, clock, config, staff, first)
    with pytest.raises(la.LoginAccountError, match="al gekoppeld aan klant"):
        la.find_existing(db, clock, "atest")
    with pytest.raises(la.LoginAccountError, match="al inlogaccount 'atest'"):
        la.generate(db, clock, config, staff, first)
    with pytest.raises(la.LoginAccountError, match="Vul de gebruikersnaam"):
        la.find_existing(db, clock, "  ")


# -- the 24 hours ----------------------------------------------------------------------------------
def test_the_link_works_at_23h59(db, clock, config, staff):
    cid = customer(db)
    result = la.generate(db, clock, config, staff, cid)
    clock.advance(hours=23, minutes=59)
    link = f"https://mijn.bibliotheek.nl/activeren?token={token_of(db, result.mail_id)}"
    activated = la.activate_link(db, clock, link)
    assert (activated.username, activated.already_active) == ("atest", False)
    assert la.login_status(db, clock, cid).status == "active"
    assert la.activate_link(db, clock, link).already_active
    # the maintenance run leaves an active account alone, now and later
    clock.advance(days=3)
    assert not la.expire_unactivated(db, clock).changed
    assert la.login_status(db, clock, cid).status == "active"


@pytest.mark.parametrize("late", [dt.timedelta(hours=24), dt.timedelta(hours=24, minutes=1)])
def test_at_24h_the_link_is_refused_and_maintenance_removes_the_account(
        db, clock, config, staff, late):
    cid = customer(db)
    result = la.generate(db, clock, config, staff, cid)
    token = token_of(db, result.mail_id)
    clock.set(clock.now() + late)
    with pytest.raises(LinkExpired):
        la.activate_link(db, clock, token)
    with pytest.raises(LinkExpired):
        la.demo_activate(db, clock, "atest")
    assert la.login_status(db, clock, cid).notice == la.REMOVED_NOTICE

    report = la.expire_unactivated(db, clock)
    assert report.removed == ["atest"]
    assert [(c, u) for c, _, u in report.marked] == [(cid, "atest")]
    assert any("verwijderd" in line for line in report.lines())
    status = la.login_status(db, clock, cid)
    assert status.removed_unactivated and status.removed_at == clock.now()
    assert status.notice == la.REMOVED_NOTICE
    assert LocalIdentityService(db, clock).find_account("atest") is None
    with pytest.raises(AccountRemoved):
        la.activate_link(db, clock, token)
    assert audit_actions(db, cid)[-1] == ("removed_unactivated", "atest")

    # a second run changes nothing
    before = db.scalar("SELECT count(*) FROM audit_log")
    again = la.expire_unactivated(db, clock)
    assert not again.changed and again.lines() == []
    assert db.scalar("SELECT count(*) FROM audit_log") == before


def test_forget_then_generate_again(db, clock, config, staff):
    cid = customer(db)
    la.generate(db, clock, config, staff, cid)
    clock.advance(hours=25)
    la.expire_unactivated(db, clock)
    forgotten = la.forget(db, clock, staff, cid)
    assert "vergeten" in forgotten.message
    assert la.login_status(db, clock, cid) is None
    again = la.generate(db, clock, config, staff, cid)
    # never the old name again: an old activation mail never points at a new account
    assert again.username == "atest2"
    assert la.login_status(db, clock, cid).status == "pending"
    assert [a for a, _ in audit_actions(db, cid)] == [
        "generate", "removed_unactivated", "forget", "generate"]
    with pytest.raises(la.LoginAccountError, match="geen inlogaccount"):
        la.forget(db, clock, staff, make_customer(db))


def test_forgetting_a_pending_account_withdraws_its_link(db, clock, config, staff):
    cid = customer(db)
    first = la.generate(db, clock, config, staff, cid)
    la.forget(db, clock, staff, cid)
    with pytest.raises(AccountRemoved):
        la.activate_link(db, clock, token_of(db, first.mail_id))
    with pytest.raises(UnknownToken):
        la.activate_link(db, clock, "no-such-token")
    with pytest.raises(UnknownAccount):
        la.demo_activate(db, clock, "niemand")


# -- mail for real, and the command line -----------------------------------------------------------
def test_the_activation_mail_arrives_through_smtp_and_its_link_activates(tmp_path, config):
    prod = open_database(tmp_path / "prod.sqlite3", environment="production")
    try:
        from tui_desk.store.branches import sync_branches

        sync_branches(prod, config)
        clock = FixedClock(dt.datetime(2026, 11, 28, 10, 0))
        cid = customer(prod)
        with smtp_server() as (inbox, port):
            cfg = dataclasses.replace(config, mail=MailSettings(
                host="127.0.0.1", port=port, security="none", sender="noreply@example.nl",
                sender_name="Bibliotheek Annen", timeout=2.0))
            result = la.generate(prod, clock, cfg, make_staff(prod), cid)
            assert inbox.messages == []            # the registration did not wait on SMTP
            report = mailer.deliver_due(prod, clock, cfg.mail)
        assert [m.id for m in report.sent] == [result.mail_id]
        (_, rcpt, message), = inbox.messages
        assert rcpt == ["a.test@example.nl"]
        assert message["Subject"] == la.MAIL_SUBJECT
        token = TOKEN.search(message.get_content()).group(1)
        clock.advance(hours=23, minutes=59)
        assert la.activate_link(prod, clock, token).username == result.username
    finally:
        prod.close()


@pytest.mark.sqlite_only("the command line's --demo works on an SQLite file")
def test_cli_demo_activate_and_maintenance(tmp_path, db, config, staff, capsys, monkeypatch):
    monkeypatch.delenv("TUI_DESK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    now = dt.datetime.now().replace(microsecond=0)
    fresh, stale = customer(db), customer(db, email="b.test@example.nl", initials="B.")
    # active customers: maintenance does not anonymise them (README "Privacy")
    db.execute("UPDATE customers SET last_activity = ?", (now.date().isoformat(),))
    la.generate(db, FixedClock(now), config, staff, fresh)
    la.generate(db, FixedClock(now - dt.timedelta(hours=25)), config, staff, stale)
    path = str(db.path)

    assert cli.main(["--db", path, "demo", "activate", "atest"]) == 0
    assert "is geactiveerd" in capsys.readouterr().out
    assert cli.main(["--db", path, "demo", "activate", "ATest"]) == 1
    assert "geen inlogaccount" in capsys.readouterr().err

    assert cli.main(["--demo", "--db", path, "maintenance"]) == 0
    out = capsys.readouterr().out
    assert "btest" in out and "Klanten gemarkeerd" in out and "oefenomgeving" in out
    assert cli.main(["--demo", "--db", path, "maintenance"]) == 0
    out = capsys.readouterr().out
    assert "btest" not in out and "gemarkeerd" not in out
    assert la.login_status(db, FixedClock(now), stale).removed_unactivated
    assert la.login_status(db, FixedClock(now), fresh).status == "active"
    entries = json.loads(db.scalar("SELECT after FROM audit_log WHERE action = 'activate'"))
    assert entries == {"status": "active"}
