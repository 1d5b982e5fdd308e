"""Real-terminal tests: the program runs in tmux at 80x24 as staff would see it."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.terminal.sshd import private_sshd, ssh_session  # noqa: F401 - fixtures over SSH
from tests.terminal.tmux import Tmux


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/terminal" in str(item.fspath):
            item.add_marker(pytest.mark.terminal)


# The login every demo_terminal runs under: its sandbox is this trainee's.
TRAINEE = "nobody-mapped"


def sandbox_of(tmp_path, trainee: str = TRAINEE):
    """The trainee's copy of the training database a demo_terminal works in."""
    from tui_desk.store.sandbox import sandbox_path

    return sandbox_path(tmp_path / "demo.sqlite3", trainee)


@pytest.fixture
def demo_terminal(tmp_path):
    """Start ``tui-desk --demo`` on a fresh training database; yields the Tmux driver."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the real-terminal tests (apt-get install tmux)")
    started: list[Tmux] = []

    def start(*extra: str, term: str = "xterm-256color", env: dict | None = None) -> Tmux:
        environment = {
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "TUI_DESK_LOGIN": TRAINEE,
            "ESCDELAY": "25",
        }
        environment.update(env or {})
        command = [sys.executable, "-m", "tui_desk", "--demo", "--db",
                   str(tmp_path / "demo.sqlite3"), *extra]
        terminal = Tmux(command, env=environment, term=term)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()
