"""The outbox is delivered through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email
import shutil
import socket
import ssl
import subprocess
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.config_files import ANNEN, LIBRARY, refuses_settings
from tui_desk.config import MailSettings
from tui_desk.services import mailer
from tui_desk.store import outbox
from tui_desk.store.db import open_database

SENDER = "noreply@bibliotheekannen.nl"


# -- a real SMTP server (also used by tests/services/test_login_accounts.py) ----------------------
class Inbox:
    """aiosmtpd handler that keeps what it receives; refuses recipients in ``refuse``."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A loopback port nothing listens on (the OS just handed it out)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server(port: int | None = None, inbox: Inbox | None = None, **smtp_options):
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port(),
                            server_hostname="smtp.test", **smtp_options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def settings(port: int, **overrides) -> MailSettings:
    values = dict(host="127.0.0.1", port=port, security="none", sender=SENDER,
                  sender_name="Bibliotheek Annen", timeout=2.0)
    values.update(overrides)
    return MailSettings(**values)


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture
def prod(tmp_path):
    """A production database: the training database never sends."""
    database = open_database(tmp_path / "prod.sqlite3", environment="production")
    yield database
    database.close()


def queue(db, clock, to="a.test@example.nl", subject="Activeer je inlogaccount",
          body="Beste A. van de Test,\n\nDe link: https://x.nl/activeren?token=abc\n"):
    with db.transaction():
        return outbox.enqueue(db, now=clock.now(), to_addr=to, subject=subject, body_text=body,
                              kind="activation")


# -- delivery --------------------------------------------------------------------------------------
def test_a_queued_mail_is_delivered_and_marked_sent(prod, clock):
    mail_id = queue(prod, clock, body="Beste Çelik,\n\nhttps://x.nl/activeren?token=Ab-_9\n")
    with smtp_server() as (inbox, port):
        report = mailer.deliver_due(prod, clock, settings(port))
    assert [m.id for m in report.sent] == [mail_id]
    (mail_from, rcpt, message), = inbox.messages
    assert (mail_from, rcpt) == (SENDER, ["a.test@example.nl"])
    assert message["To"] == "a.test@example.nl"
    assert message["Subject"] == "Activeer je inlogaccount"
    assert message["From"].addresses[0].display_name == "Bibliotheek Annen"
    body = message.get_content()
    assert "Beste Çelik," in body and "https://x.nl/activeren?token=Ab-_9" in body
    stored = outbox.get(prod, mail_id)
    assert (stored.status, stored.tries, stored.sent_at) == ("sent", 1, clock.now())
    # nothing left: a second run sends nothing again
    assert not mailer.deliver_due(prod, clock, settings(port)).changed


def test_with_the_server_down_the_mail_waits_and_goes_on_the_next_try(prod, clock):
    mail_id = queue(prod, clock)
    port = free_port()                                # nothing listens here
    report = mailer.deliver_due(prod, clock, settings(port))
    assert report.sent == [] and len(report.retry) == 1
    waiting = outbox.get(prod, mail_id)
    assert (waiting.status, waiting.tries) == ("queued", 1)
    assert "niet bereikbaar" in waiting.last_error
    assert waiting.next_try_at == clock.now() + dt.timedelta(minutes=1)
    with smtp_server(port) as (inbox, _):
        # not due yet: backing off
        assert not mailer.deliver_due(prod, clock, settings(port)).changed
        assert inbox.messages == []
        clock.advance(minutes=1)
        report = mailer.deliver_due(prod, clock, settings(port))
    assert [m.id for m in report.sent] == [mail_id]
    assert len(inbox.messages) == 1
    sent = outbox.get(prod, mail_id)
    assert (sent.status, sent.tries, sent.last_error) == ("sent", 2, "")


def test_a_refused_recipient_fails_at_once_and_the_others_still_go(prod, clock):
    bad = queue(prod, clock, to="weg@example.nl")
    good = queue(prod, clock, to="a.test@example.nl")
    with smtp_server(inbox=Inbox(refuse=("weg@example.nl",))) as (inbox, port):
        report = mailer.deliver_due(prod, clock, settings(port))
    assert [m.id for m, _ in report.failed] == [bad]
    assert [m.id for m in report.sent] == [good]
    failed = outbox.get(prod, bad)
    assert failed.status == "failed" and "550" in failed.last_error
    assert [rcpt for _, rcpt, _ in inbox.messages] == [["a.test@example.nl"]]


class Refusing:
    """A transport for which the server is always down."""

    def send(self, message, sender, recipient):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass


def test_retries_back_off_and_park_after_max_tries(prod, clock):
    mail_id = queue(prod, clock)
    delays = []
    for _ in range(mailer.MAX_TRIES):
        before = clock.now()
        mailer.deliver_due(prod, clock, settings(1), transport=Refusing())
        mail = outbox.get(prod, mail_id)
        if mail.status == "queued":
            delays.append(mail.next_try_at - before)
            clock.set(mail.next_try_at)
    assert delays[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(delays) == dt.timedelta(hours=1)
    mail = outbox.get(prod, mail_id)
    assert (mail.status, mail.tries) == ("parked", mailer.MAX_TRIES)
    assert "geparkeerd na 20 pogingen" in mail.last_error
    assert mailer.retry_now(prod, clock, mail_id)
    assert (outbox.get(prod, mail_id).status, outbox.get(prod, mail_id).tries) == ("queued", 0)


def test_the_training_database_never_sends(db, clock):
    mail_id = queue(db, clock)
    with smtp_server() as (inbox, port):
        report = mailer.deliver_due(db, clock, settings(port))
    assert inbox.messages == [] and not report.changed
    assert report.lines() == ["E-mail: oefenomgeving, er wordt niets verzonden (1 in de "
                              "wachtrij)."]
    entry, = mailer.list_outbox(db, 10)
    assert (entry.id, entry.status, entry.status_label) == (
        mail_id, "queued", "Niet verzonden (oefenomgeving)")
    assert entry.to_addr == "a.test@example.nl"


def test_without_a_configured_server_mail_stays_queued(prod, clock):
    queue(prod, clock)
    report = mailer.deliver_due(prod, clock, MailSettings())
    assert "geen SMTP-server" in report.skipped and report.waiting == 1
    entry, = mailer.list_outbox(prod, 10)
    assert entry.status_label == "In wachtrij"


# -- STARTTLS / TLS with a login -------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def _login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"balie", b"geheim")
    # handled=False: aiosmtpd itself answers 535 to a wrong password
    return AuthResult(success=ok, handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_encrypted_connection_with_login(prod, clock, certificate, tmp_path, security):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    options = {"authenticator": _login, "auth_required": True}
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    else:
        # aiosmtpd only knows STARTTLS as "TLS" for AUTH; on implicit TLS it must be told
        options.update(ssl_context=context, auth_require_tls=False)
    password_file = tmp_path / "smtp-password"
    password_file.write_text("geheim\n")
    mail_id = queue(prod, clock)
    with smtp_server(**options) as (inbox, port):
        wrong = settings(port, security=security, username="balie", password="fout",
                         ca_file=cert)
        report = mailer.deliver_due(prod, clock, wrong)
        assert "inloggen mislukt" in report.retry[0][1]
        clock.advance(minutes=1)
        right = settings(port, security=security, username="balie",
                         password_file=password_file, ca_file=cert)
        report = mailer.deliver_due(prod, clock, right)
    assert [m.id for m in report.sent] == [mail_id]
    assert len(inbox.messages) == 1


def test_an_untrusted_certificate_is_refused(prod, clock, certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    queue(prod, clock)
    with smtp_server(tls_context=context) as (inbox, port):
        report = mailer.deliver_due(prod, clock, settings(port, security="starttls"))
    assert inbox.messages == [] and "CERTIFICATE_VERIFY_FAILED" in report.retry[0][1]


# -- checking the connection (tui-desk doctor) ---------------------------------------------------
def test_check_connection_greets_the_server_and_sends_nothing():
    with smtp_server() as (inbox, port):
        assert mailer.check_connection(settings(port)) is None
    assert inbox.messages == []
    problem = mailer.check_connection(settings(free_port()))
    assert problem is not None and "niet bereikbaar" in problem
    assert mailer.check_connection(MailSettings()) == "geen SMTP-server ingesteld ([mail] host)"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_check_connection_logs_in(certificate, tmp_path):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    options = {"authenticator": _login, "auth_required": True, "tls_context": context,
               "require_starttls": True}
    with smtp_server(**options) as (_inbox, port):
        good = settings(port, security="starttls", username="balie", password="geheim",
                        ca_file=cert)
        assert mailer.check_connection(good) is None
        wrong = mailer.check_connection(dataclasses.replace(good, password="fout"))
        assert wrong is not None and "inloggen mislukt" in wrong
        unreadable = mailer.check_connection(dataclasses.replace(
            good, password_file=tmp_path / "ontbreekt"))
        assert unreadable is not None and unreadable.startswith("het wachtwoord is niet te lezen")


# -- [mail] in the configuration -------------------------------------------------------------------
CONFIG = LIBRARY + ANNEN + """
[mail]
host = "smtp.example.nl"
username = "balie"
password_file = "secrets/smtp"
sender = "noreply@bibliotheektest.nl"
"""


def test_mail_settings_from_the_configuration(tmp_path):
    from tui_desk.config import demo_config, load_file

    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "smtp").write_text("geheim\n")
    mail = load_file(path).mail
    assert (mail.host, mail.port, mail.security, mail.sender_name) == (
        "smtp.example.nl", 587, "starttls", "Bibliotheek Test")
    assert mail.secret() == "geheim" and "geheim" not in repr(mail)
    assert mail.activation_url == "https://mijn.bibliotheek.nl/activeren"
    # the training library has no server: its mail stays in the outbox
    assert not demo_config().mail.configured


test_bad_mail_settings_name_the_key = refuses_settings(CONFIG, [
    ("mail.security", "ssl", "starttls, tls, none"),
    ("mail.port", 0, "between"),
    ("mail.port", "25", "whole number"),
    ("mail.sender", None, "missing"),
    ("mail.sender", "noreply", "not an e-mail"),
    ("mail.password", "x", "not both"),
    ("mail.security", "none", "starttls", "mail.username"),
    ("mail.activation_url", "mijn.nl", "http(s)"),
    ("mail.timeout", 0, "between"),
    ("identity.provider", "digid", "local"),
])
