"""The desk: everything one counter session works with (config, database, clock, staff)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui_desk.clock import Clock, SystemClock
from tui_desk.config import Config, Workstation
from tui_desk.models import Staff
from tui_desk.services.workstations import client_address, resolve_workstation
from tui_desk.store.db import Database

if TYPE_CHECKING:
    from tui_desk.store.drafts import DraftRow

LOCAL = "lokaal"


def terminal_name() -> str | None:
    """The terminal this process runs on (``/dev/pts/3``, ``/dev/tty1``), if any."""
    for fd in (0, 1, 2):
        try:
            return os.ttyname(fd)
        except OSError:
            continue
    return None


def session_key(login: str | None, environ: Mapping[str, str] | None = None,
                tty: str | None = None) -> str:
    """Who is working where, stable across a reconnect: the key a registration draft keeps of
    the session that made it (``registration_drafts.session``).

    ``<login>@<client address>`` over SSH: the thin terminal's address, not the port (a new
    connection gets a new port) and not the pseudo-terminal on the server (``SSH_TTY``: after
    a dropped line the new login usually gets another ``/dev/pts/N``, while the old one is
    still held) — so the same person logging in again from the same terminal is the same
    session. Without SSH, ``<login>@<tty>`` (a local console keeps its name), else
    ``<login>@lokaal``. The login is the given one, else ``TUI_DESK_LOGIN``, ``USER``.

    >>> session_key("oefen", {"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22",
    ...                       "SSH_TTY": "/dev/pts/7"})
    'oefen@10.0.0.5'
    >>> session_key("oefen", {}, "/dev/tty2")
    'oefen@/dev/tty2'
    """
    env = os.environ if environ is None else environ
    who = (login or env.get("TUI_DESK_LOGIN") or env.get("USER") or env.get("LOGNAME")
           or "?").strip()
    where = client_address(env) or tty or LOCAL
    return f"{who}@{where}"


def trainee_key(login: str | None, shared_logins: tuple[str, ...] = (),
                environ: Mapping[str, str] | None = None) -> str:
    """Whose sandbox in the training database: the login, or for a login a whole class shares
    (``[demo] shared_logins``) the SSH client address of the trainee's terminal.

    >>> trainee_key("jdevries", ("oefen",), {"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22"})
    'jdevries'
    >>> trainee_key("oefen", ("oefen",), {"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22"})
    '10.0.0.5'
    """
    env = os.environ if environ is None else environ
    who = (login or env.get("TUI_DESK_LOGIN") or env.get("USER") or env.get("LOGNAME")
           or "oefenaar").strip()
    if who in shared_logins:
        return client_address(env) or who
    return who


def offered_drafts(db: Database, staff_id: int, session: str | None, *,
                   demo: bool) -> list[DraftRow]:
    """The unfinished registrations to offer a staff member (newest first).

    In production: all of the staff member's open drafts, from any terminal — a person may
    have moved to another counter. In the training database every trainee signs in as the
    same demo staff member, so there only the drafts of this ``session`` (``session_key``) are
    offered, and those without a session (made before drafts recorded one, or by a script):
    another trainee's draft never is.
    """
    from tui_desk.store import drafts

    return drafts.open_for_staff(db, staff_id, session=session if demo else None)


@dataclass
class Desk:
    config: Config
    db: Database
    demo: bool
    clock: Clock = field(default_factory=SystemClock)
    staff: Staff | None = None
    # the OS/SSH login this session runs under, used to find the staff member
    login: str | None = None
    # the training database: whose sandbox this is (``trainee_key``)
    trainee: str | None = None

    _workstation: Workstation | None = field(default=None, repr=False)

    @property
    def workstation(self) -> Workstation:
        """This terminal's workstation (printers, cash register), from the SSH connection or
        ``TUI_DESK_WORKSTATION``; resolved on first use, so start-up does not load printing."""
        if self._workstation is None:
            self._workstation = resolve_workstation(self.config, demo=self.demo)
        return self._workstation

    @property
    def session(self) -> str:
        """This session's key (``session_key``): login and SSH client address, or terminal."""
        return session_key(self.login, os.environ, terminal_name())

    def open_registrations(self) -> list[DraftRow]:
        """The registrations the signed-in staff member left unfinished (``offered_drafts``)."""
        if self.staff is None:
            return []
        return offered_drafts(self.db, self.staff.id, self.session, demo=self.demo)

    @property
    def environment_label(self) -> str:
        if not self.demo:
            return ""
        if self.trainee:
            from tui_desk.rules.text import printable

            return f"OEFENOMGEVING {printable(self.trainee)}"
        return "OEFENOMGEVING"

    @property
    def branch_name(self) -> str:
        if self.staff is None:
            return ""
        branch = self.config.branch(self.staff.branch_code)
        return branch.name if branch else self.staff.branch_code
