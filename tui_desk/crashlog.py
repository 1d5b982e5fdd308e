"""The log of unexpected errors: a traceback without local variables or personal data.

Textual's own crash screen prints the traceback *with local variables*: names, card numbers and
IBANs on the terminal and in the thin client's scrollback. tui-desk never shows it; an
unexpected error is written here instead, and the person at the desk sees a Dutch message.

What is written: the time, where it happened (a screen or command name, never data), the
exception's type and the stack (file, line, function, source line). The exception's *message* is
left out, because messages of arbitrary exceptions can hold the data being processed (a
``KeyError('Jansen')``); only sqlite3 and OS errors, whose messages come from the system, keep
theirs (for an OSError the errno and text, not the file name).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import traceback
from pathlib import Path

ENV_LOG = "TUI_DESK_LOG"


def log_path() -> Path:
    """``$TUI_DESK_LOG``, else ``$XDG_STATE_HOME/tui-desk/tui-desk.log``
    (``~/.local/state/tui-desk/tui-desk.log``)."""
    explicit = os.environ.get(ENV_LOG)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tui-desk" / "tui-desk.log"


def describe(exc: BaseException) -> str:
    """The exception's type, and its message only where that cannot hold personal data."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if isinstance(exc, sqlite3.Error):
        return f"{name}: {exc}"
    if isinstance(exc, OSError):
        return f"{name}: [errno {exc.errno}] {exc.strerror or ''}".rstrip()
    return f"{name} (message withheld: it may hold personal data)"


def format_error(exc: BaseException) -> str:
    """The stack of ``exc`` and its causes, without locals and without messages."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        chunk = ["Traceback (most recent call last):\n"]
        for frame in frames:
            chunk.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                chunk.append(f"    {frame.line.strip()}\n")
        chunk.append(describe(current) + "\n")
        lines[:0] = chunk
        cause = current.__cause__ or (None if current.__suppress_context__
                                      else current.__context__)
        if cause is not None:
            lines[:0] = ["\nThe above exception led to the one below.\n\n"]
        current = cause
    return "".join(lines)


def write(exc: BaseException, context: str) -> Path:
    """Append ``exc`` to the log (folder 0700, file 0600); returns the log's path.

    Never raises: a log that cannot be written must not turn one error into two.
    """
    path = log_path()
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    entry = f"--- {stamp} pid {os.getpid()} {context}\n{format_error(exc)}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, entry.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass
    return path
