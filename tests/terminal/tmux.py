"""A small driver for real-terminal tests: runs a command in tmux at 80x24, types, reads."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping


class TerminalTimeout(AssertionError):
    pass


class Tmux:
    def __init__(
        self,
        command: list[str],
        *,
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] = (80, 24),
        term: str = "xterm-256color",
    ) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed (Debian package tmux)")
        self.name = "tui-desk-test-" + uuid.uuid4().hex[:8]
        self.socket = f"tui-desk-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        # The real program saves on a worker thread (the Pilot tests' inline writes are off).
        shell = (f"unset TUI_DESK_PILOT; export TERM={shlex.quote(term)} {exports}; "
                 f"exec {shlex.join(command)}")
        cols, rows = size
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows),
                   "sh", "-c", shell)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on", check=False)

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=check)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def keys(self, *names: str, pause: float = 0.1) -> None:
        """tmux key names: ``M-z`` Alt+Z, ``C-n`` Ctrl+N, ``F10``, ``Enter``, ``Escape``."""
        for name in names:
            self._tmux("send-keys", "-t", self.name, name)
            time.sleep(pause)

    def raw(self, data: str) -> None:
        """Send bytes exactly as a terminal would (e.g. ESC + Ctrl+N for Ctrl+Alt+N)."""
        self._tmux("send-keys", "-t", self.name, "-H", *(f"{b:02x}" for b in data.encode()))
        time.sleep(0.1)

    def burst(self, *keys: str) -> None:
        """Send keys and text in one tmux command, as fast as a scanner: no pause between them.

        Each argument is a tmux key name (``Enter``, ``Tab``, ``C-n``) or text sent as typed.
        """
        self._tmux("send-keys", "-t", self.name, *keys)
        time.sleep(0.1)

    def hex(self, *octets: str) -> None:
        """Send raw bytes given in hex (``"eb"``): what a terminal with another encoding sends."""
        self._tmux("send-keys", "-t", self.name, "-H", *octets)
        time.sleep(0.1)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > end:
                raise TerminalTimeout(f"{text!r} not on screen after {timeout}s:\n{shown}")
            time.sleep(0.05)

    def wait_for_match(self, pattern: str, timeout: float = 20.0) -> re.Match[str]:
        """Wait until the screen matches a regular expression (e.g. a number to read back)."""
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            found = re.search(pattern, shown)
            if found:
                return found
            if time.monotonic() > end:
                raise TerminalTimeout(f"{pattern!r} not on screen after {timeout}s:\n{shown}")
            time.sleep(0.05)

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text not in shown:
                return shown
            if time.monotonic() > end:
                raise TerminalTimeout(f"{text!r} still on screen after {timeout}s:\n{shown}")
            time.sleep(0.05)

    def exited(self) -> bool:
        out = self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}", check=False)
        return out.stdout.strip() == "1"

    def close(self) -> None:
        self._tmux("kill-server", check=False)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
