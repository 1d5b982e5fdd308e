"""The desk: everything one counter session works with (config, database, clock, staff)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_desk.clock import Clock, SystemClock
from tui_desk.config import Config, Workstation
from tui_desk.models import Staff
from tui_desk.store.db import Database


@dataclass
class Desk:
    config: Config
    db: Database
    demo: bool
    clock: Clock = field(default_factory=SystemClock)
    staff: Staff | None = None
    # the OS/SSH login this session runs under, used to find the staff member
    login: str | None = None

    _workstation: Workstation | None = field(default=None, repr=False)

    @property
    def workstation(self) -> Workstation:
        """This terminal's workstation (printers, cash register), from the SSH connection or
        ``TUI_DESK_WORKSTATION``; resolved on first use, so start-up does not load printing."""
        if self._workstation is None:
            from tui_desk.services.printing import resolve_workstation

            self._workstation = resolve_workstation(self.config, demo=self.demo)
        return self._workstation

    @property
    def environment_label(self) -> str:
        return "OEFENOMGEVING" if self.demo else ""

    @property
    def branch_name(self) -> str:
        if self.staff is None:
            return ""
        branch = self.config.branch(self.staff.branch_code)
        return branch.name if branch else self.staff.branch_code
