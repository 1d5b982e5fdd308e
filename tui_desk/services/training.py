"""The training database for the trainer (``tui-desk demo ...``): build it again, remove a
trainee's copy, and play the customer who activates a login account in a trainee's copy.

The template (``[demo] path`` or ``--db``) is seeded once and never worked in; each trainee
works in an own copy beside it (``store.sandbox``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tui_desk.clock import Clock
from tui_desk.config import Config
from tui_desk.errors import DeskError
from tui_desk.services.identity import IdentityError
from tui_desk.services.login_accounts import ActivationResult, demo_activate
from tui_desk.store import demo as demo_store
from tui_desk.store.sandbox import remove_sandboxes, sandbox_path, sandboxes
from tui_desk.store.stats import customer_count


class NoSandbox(DeskError):
    """The trainee named has no copy of the training database."""

    def __init__(self, trainee: str) -> None:
        super().__init__(f"geen oefenomgeving van {trainee!r}.")


@dataclass(frozen=True)
class Rebuilt:
    customers: int           # in the new template
    sandboxes_removed: int   # trainees' copies removed with it


def rebuild(template: Path, config: Config, today: dt.date) -> Rebuilt:
    """Seed the template again and remove every trainee's copy (made again on their next
    start)."""
    db = demo_store.reset_demo(template, config, today)
    try:
        count = customer_count(db)
    finally:
        db.close()
    return Rebuilt(count, len(remove_sandboxes(template)))


def remove_trainee(template: Path, trainee: str) -> None:
    """Remove ``trainee``'s copy; the next start makes a new one. Raises NoSandbox."""
    if not remove_sandboxes(template, trainee):
        raise NoSandbox(trainee)


def activate(template: Path, config: Config, clock: Clock, username: str,
             trainee: str | None = None) -> ActivationResult:
    """Activate login account ``username`` in ``trainee``'s copy, else in the first copy in
    which it can be activated (the template when no trainee has a copy yet). Raises NoSandbox,
    or the IdentityError of the last copy tried."""
    if trainee:
        path = sandbox_path(template, trainee)
        if not path.exists():
            raise NoSandbox(trainee)
        paths = [path]
    else:
        paths = [s.path for s in sandboxes(template)] or [template]
    error: IdentityError | None = None
    for path in paths:
        db = demo_store.ensure_demo(path, config, clock.today())
        try:
            return demo_activate(db, clock, username)
        except IdentityError as exc:
            error = exc
        finally:
            db.close()
    assert error is not None   # at least one path was tried
    raise error
