"""The log of unexpected errors: where a traceback goes instead of the terminal.

An exception nobody expected (not a :class:`~tui_desk.errors.DeskError`) is written here, and the
person at the desk or the administrator is told in one Dutch line where it is. What is written
is safe to hand to a developer:

- the traceback's frames (file, line, function, source line) — never local variables;
- the exception's *type*; its message only for ``sqlite3.Error`` (SQLite's own text) and
  PostgreSQL's errors that quote no value (``store.engine.engine_error_text``), and for
  ``OSError`` only ``errno`` and ``strerror`` (not the file name). Any other message may hold
  what a person typed (a name, an IBAN, a birth date) and is left out;
- the same for every chained exception (``__cause__``/``__context__``).

Where: ``$XDG_STATE_HOME/tui-desk/tui-desk.log`` (by default
``~/.local/state/tui-desk/tui-desk.log``) of the account that runs the program, the folder 0700
and the file 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path
from typing import Any

LOG_NAME = "tui-desk.log"
# An explicit log file (the tests point every program they start at a scratch file).
ENV_LOG = "TUI_DESK_LOG"


def default_log_path() -> Path:
    explicit = os.environ.get(ENV_LOG)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tui-desk" / LOG_NAME


def log_path(config: Any | None = None) -> Path:
    """The log file for this run. ``config`` is the run's ``Config`` or None (an error before
    the configuration was read); today the place is the same for both: the XDG state folder
    of the account that runs the program."""
    return default_log_path()


def describe(exc: BaseException) -> str:
    """The exception as the log shows it: its type, and only the messages that cannot hold
    personal data (see the module)."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__"):
        name = f"{module}.{name}"
    from tui_desk.store.engine import EngineError, engine_error_name, engine_error_text

    if isinstance(exc, EngineError):
        code = engine_error_name(exc)
        return f"{name}: {engine_error_text(exc)}" + (f" [{code}]" if code else "")
    if isinstance(exc, OSError):
        if exc.errno is None:
            return name
        return f"{name}: [Errno {exc.errno}] {exc.strerror}"
    return name


def format_exception(exc: BaseException) -> str:
    """The traceback of ``exc`` and its chain: frames without local variables and without
    messages that may hold personal data."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    chain: list[tuple[BaseException, str]] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__cause__ is not None:
            link = "The above exception was the direct cause of the following exception:"
            following = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link = "During handling of the above exception, another exception occurred:"
            following = current.__context__
        else:
            link, following = "", None
        chain.append((current, link))
        current = following
    for error, link in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        # StackSummary without capture_locals: file, line, function and source line only.
        summary = traceback.extract_tb(error.__traceback__)
        parts.extend(summary.format())
        parts.append(describe(error) + "\n")
        if link:
            parts.append(f"\n{link}\n\n")
    return "".join(parts)


def write(exc: BaseException, context: str, *, path: Path | None = None) -> Path:
    """Append a timestamped entry for ``exc`` to the log and return the log's path.

    ``context`` says where it happened (``"tui-desk staff add"``, a screen's name); it must not
    hold personal data. Never raises: if the log cannot be written, the path is returned all
    the same (the caller only names it).
    """
    target = path or log_path(None)
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    entry = (f"--- {stamp} pid {os.getpid()} {context}\n"
             f"{format_exception(exc)}\n")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if target.parent.stat().st_uid == os.geteuid():
            target.parent.chmod(0o700)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, entry.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass
    return target
