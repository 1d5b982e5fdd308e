"""Delivering the mail outbox over SMTP, and what the "Berichten" screen lists.

Mail is queued in ``mail_outbox`` in the same transaction as the business action that needs it
(``store.outbox.enqueue``); nothing waits on the SMTP server. ``deliver_due`` — run by
``tui-desk maintenance`` (a systemd timer or cron every few minutes) — sends what is due:

* a delivered mail is marked sent;
* a temporary problem (server down, timeout, a 4xx answer, a failed login) keeps the mail queued
  with the next try after 1, 2, 4, … minutes, at most an hour apart; after ``MAX_TRIES`` tries
  (about 17 hours of trying) it is *parked*: it is not tried by the timer any more, but it is
  not given up either — ``tui-desk doctor``, the Berichten screen and every maintenance run
  report the parked count, and ``tui-desk mail retry`` (or F5 in Berichten) queues it again;
* a permanent refusal (a 5xx answer to the recipient, sender or message) marks it failed at once
  (reported the same way; F5 or ``mail retry ID`` after fixing the address).

**At least once, recognisably the same.** A mail is marked sent only after the server accepted
it. A server that takes the message and then does not answer leaves it queued, so it is sent
again: every try carries the same Message-ID (stored on the outbox row before the first try),
by which the receiving side recognises the second copy. Only one delivery runs at a time: the
maintenance run holds a lock beside the database (``store.lock``), and a claimed mail is leased
to its run.

The training database never sends: its mail stays in the outbox for the "Berichten" screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import smtplib
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Protocol

from tui_desk.clock import Clock
from tui_desk.config import ConfigError, MailSettings
from tui_desk.errors import DeskError
from tui_desk.store import outbox
from tui_desk.store.db import DEMO, Database
from tui_desk.store.outbox import OutboxMail

MAX_TRIES = 20
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
# A claimed mail is left alone by other senders this long (then tried again if still queued).
LEASE = dt.timedelta(minutes=10)

STATUS_LABELS = {outbox.QUEUED: "In wachtrij", outbox.SENT: "Verzonden",
                 outbox.PARKED: "Geparkeerd", outbox.FAILED: "Mislukt"}
DEMO_QUEUED_LABEL = "Niet verzonden (oefenomgeving)"


class MailTransport(Protocol):
    """Something that delivers one message; raises on failure (smtplib's exceptions)."""

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None: ...

    def close(self) -> None: ...


class ConnectionFailed(DeskError):
    """The server could not be reached or refused us: nothing can be sent this run."""


class SmtpTransport:
    """One SMTP connection for a run: opened at the first mail, with STARTTLS or implicit TLS
    and a login when the configuration has credentials."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        # Read first: a password file that cannot be read (ConfigError) leaves no connection.
        password = s.secret() if s.username else ""
        # Loading the CA store takes ~0.2 s: only when the line is encrypted.
        context = (ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
                   if s.security != "none" else None)
        # socket.getfqdn (smtplib's default) may wait on DNS; the host name is enough for EHLO.
        local = socket.gethostname() or "localhost"
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, local_hostname=local,
                                                      timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=local, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionFailed(
                f"SMTP-server {s.host}:{s.port} niet bereikbaar: {_describe(exc)}"
            ) from exc
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, password)
        except (OSError, smtplib.SMTPException) as exc:
            _quietly_close(smtp)
            what = "inloggen" if isinstance(exc, smtplib.SMTPAuthenticationError) else "verbinden"
            raise ConnectionFailed(
                f"SMTP-server {s.host}:{s.port}: {what} mislukt: {_describe(exc)}"
            ) from exc
        return smtp

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message, from_addr=sender, to_addrs=[recipient])

    def close(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
            self._smtp = None


def check_connection(settings: MailSettings) -> str | None:
    """Can mail be sent? Connect as a delivery run would — TLS or STARTTLS as configured, and
    the login when there are credentials — and say goodbye; nothing is sent. None when all of
    that works, else what went wrong, in Dutch (for ``tui-desk doctor``). Uses
    ``settings.timeout``: pass a short one to answer quickly."""
    if not settings.configured:
        return "geen SMTP-server ingesteld ([mail] host)"
    try:
        smtp = SmtpTransport(settings)._connect()
    except ConnectionFailed as exc:
        return str(exc)
    except ConfigError as exc:
        return f"het wachtwoord is niet te lezen: {exc.problem}"
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException) as exc:   # the server hung up on us
        smtp.close()
        return (f"SMTP-server {settings.host}:{settings.port} verbrak de verbinding: "
                f"{_describe(exc)}")
    return None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{addr}: {code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
            for addr, (code, msg) in exc.recipients.items()
        )
    if isinstance(exc, TimeoutError):
        return "geen antwoord (time-out)"
    return str(exc) or type(exc).__name__


def _permanent(exc: BaseException) -> bool:
    """A 5xx refusal of this mail: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def _connection_lost(exc: BaseException) -> bool:
    """Nothing more gets through this run. (SMTPException is an OSError: the refusals of one
    mail are told apart first.)"""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException
                  | smtplib.SMTPNotSupportedError):
        return False
    return isinstance(exc, ConnectionFailed | OSError)


def retry_delay(tries: int) -> dt.timedelta:
    """1, 2, 4, … minutes after the first, second, third try; at most an hour."""
    return min(FIRST_RETRY * (2 ** max(tries - 1, 0)), LONGEST_RETRY)


def new_message_id(mail: OutboxMail, settings: MailSettings) -> str:
    """A Message-ID for a mail that has none yet: unique (a restored backup reuses row ids)
    and in the sender's domain."""
    domain = settings.sender.rpartition("@")[2] or "localhost"
    return f"<tui-desk.{mail.id}.{uuid.uuid4().hex}@{domain}>"


def build_message(mail: OutboxMail, settings: MailSettings) -> EmailMessage:
    """The outbox row as an e-mail (plain text, UTF-8, quoted-printable)."""
    msg = EmailMessage()
    if settings.sender_name:
        msg["From"] = formataddr((settings.sender_name, settings.sender))
    else:
        msg["From"] = settings.sender
    msg["To"] = mail.to_addr
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(mail.created_at.astimezone())
    # The same id on every try, so a server that saw a half-finished try can tell.
    msg["Message-ID"] = mail.message_id or new_message_id(mail, settings)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail.body_text, cte="quoted-printable")
    return msg


@dataclass
class DeliveryReport:
    sent: list[OutboxMail] = field(default_factory=list)
    retry: list[tuple[OutboxMail, str]] = field(default_factory=list)
    parked: list[tuple[OutboxMail, str]] = field(default_factory=list)
    failed: list[tuple[OutboxMail, str]] = field(default_factory=list)
    # why nothing was tried (training database, no server configured); "" when it was
    skipped: str = ""
    waiting: int = 0            # queued mail in the outbox after the run
    parked_total: int = 0       # parked mail in the outbox after the run (all, not only now)
    failed_total: int = 0       # refused mail in the outbox after the run

    @property
    def changed(self) -> bool:
        return bool(self.sent or self.retry or self.parked or self.failed)

    def lines(self) -> list[str]:
        out = []
        if self.skipped:
            out.append(f"E-mail: {self.skipped} ({self.waiting} in de wachtrij).")
        elif self.changed:
            out.append(f"E-mail: {len(self.sent)} verzonden, {len(self.retry)} later opnieuw, "
                       f"{len(self.parked)} geparkeerd, {len(self.failed)} geweigerd.")
            out += [f"  verzonden aan {m.to_addr}: {m.subject}" for m in self.sent]
            out += [f"  later opnieuw ({m.to_addr}): {e}" for m, e in self.retry]
            out += [f"  geparkeerd ({m.to_addr}): {e}" for m, e in self.parked]
            out += [f"  geweigerd ({m.to_addr}): {e}" for m, e in self.failed]
        out += not_sent_lines(self.parked_total, self.failed_total)
        return out


def not_sent_lines(parked: int, failed: int) -> list[str]:
    """What waits for an administrator, said every run until it is handled."""
    out = []
    if parked:
        out.append(f"LET OP: {parked} e-mail(s) geparkeerd: na {MAX_TRIES} pogingen niet "
                   "verzonden. Los de oorzaak op en verstuur ze met 'tui-desk mail retry'.")
    if failed:
        out.append(f"LET OP: {failed} e-mail(s) geweigerd door de mailserver (adres?). Zie "
                   "'tui-desk mail list' of Berichten; verbeter en verstuur met F5.")
    return out


def deliver_due(db: Database, clock: Clock, settings: MailSettings, *,
                transport: MailTransport | None = None, limit: int = 100) -> DeliveryReport:
    """Send the queued mail that is due; see the module docstring for what happens on errors.

    Never sends from the training database, nor without ``[mail] host`` (unless a transport
    is given, as tests do).
    """
    if db.environment == DEMO:
        return _totals(db, DeliveryReport(skipped="oefenomgeving, er wordt niets verzonden"))
    if transport is None and not settings.configured:
        return _totals(db, DeliveryReport(skipped="geen SMTP-server ingesteld ([mail] host)"))
    now = clock.now()
    with db.transaction():
        claimed = []
        for m in outbox.due(db, now, limit):
            if outbox.claim(db, m.id, now, now + LEASE):
                message_id = outbox.set_message_id(db, m.id, new_message_id(m, settings))
                claimed.append(dataclasses.replace(m, message_id=message_id))
    report = DeliveryReport()
    if claimed:
        transport = transport or SmtpTransport(settings)
        try:
            _deliver(db, clock, settings, transport, claimed, report)
        finally:
            transport.close()
    return _totals(db, report)


def _totals(db: Database, report: DeliveryReport) -> DeliveryReport:
    counts = outbox.counts(db)
    report.waiting = counts[outbox.QUEUED]
    report.parked_total = counts[outbox.PARKED]
    report.failed_total = counts[outbox.FAILED]
    return report


def _deliver(db: Database, clock: Clock, settings: MailSettings, transport: MailTransport,
             claimed: list[OutboxMail], report: DeliveryReport) -> None:
    for index, mail in enumerate(claimed):
        tries = mail.tries + 1          # claim() counted this try
        try:
            transport.send(build_message(mail, settings), settings.sender, mail.to_addr)
        except Exception as exc:  # every failure is recorded on the mail
            error = str(exc) if isinstance(exc, ConnectionFailed) else _describe(exc)
            if _connection_lost(exc):
                # Nothing more gets through this run: every claimed mail left waits for the
                # next one (each counted one try).
                for rest in claimed[index:]:
                    _retry_or_fail(db, clock, rest, rest.tries + 1, error, report)
                return
            if _permanent(exc):
                with db.transaction():
                    outbox.mark_failed(db, mail.id, error)
                report.failed.append((mail, error))
            else:
                _retry_or_fail(db, clock, mail, tries, error, report)
            continue
        with db.transaction():
            outbox.mark_sent(db, mail.id, clock.now())
        report.sent.append(mail)


def _retry_or_fail(db: Database, clock: Clock, mail: OutboxMail, tries: int, error: str,
                   report: DeliveryReport) -> None:
    with db.transaction():
        if tries >= MAX_TRIES:
            error = f"{error} (geparkeerd na {tries} pogingen)"
            outbox.mark_parked(db, mail.id, error, clock.now())
            report.parked.append((mail, error))
        else:
            outbox.mark_retry(db, mail.id, error, clock.now() + retry_delay(tries))
            report.retry.append((mail, error))


# -- the "Berichten" screen ---------------------------------------------------------------------
@dataclass(frozen=True)
class OutboxEntry(OutboxMail):
    """One mail as the "Berichten" screen shows it: the stored mail and its status in Dutch."""

    status_label: str = ""


def list_outbox(db: Database, limit: int = 100, *,
                customer_id: int | None = None) -> list[OutboxEntry]:
    """Newest first: what was (or will be) sent to whom."""
    demo = db.environment == DEMO
    entries = []
    for m in outbox.recent(db, limit, customer_id=customer_id):
        label = STATUS_LABELS.get(m.status, m.status)
        if demo and m.status == outbox.QUEUED:
            label = DEMO_QUEUED_LABEL
        stored = {f.name: getattr(m, f.name) for f in dataclasses.fields(m)}
        entries.append(OutboxEntry(**stored, status_label=label))
    return entries


def outbox_counts(db: Database) -> dict[str, int]:
    """Mails per status: ``{"queued": n, "sent": n, "parked": n, "failed": n}``."""
    return outbox.counts(db)


def retry_now(db: Database, clock: Clock, mail_id: int) -> bool:
    """Queue a parked, failed or waiting mail again, due at once; False for a sent or unknown
    mail."""
    with db.transaction():
        return outbox.retry_now(db, mail_id, clock.now())


def retry_parked(db: Database, clock: Clock, ids: list[int] | None = None) -> int:
    """Queue the parked mail again (all, or the mails ``ids``, parked or refused) with a fresh
    set of tries; returns how many."""
    with db.transaction():
        return outbox.retry_parked(db, clock.now(), ids)


def list_status(db: Database, status: str) -> list[OutboxMail]:
    """The mail in one status, oldest first."""
    return outbox.with_status(db, status)
