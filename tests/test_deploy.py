"""The files in deploy/: the wrapper's environment, the sshd snippet, the timers' commands."""

from __future__ import annotations

import getpass
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.terminal.sshd import WRAPPER, find_openssh
from tui_desk import cli

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


@pytest.fixture
def fake_program(tmp_path) -> Path:
    """Prints its arguments and environment instead of starting tui-desk."""
    program = tmp_path / "fake-tui-desk"
    program.write_text('#!/bin/sh\necho "ARGS $*"\necho "UMASK $(umask)"\nenv\n')
    program.chmod(0o755)
    return program


def run_wrapper(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": "/nonexistent"}
    return subprocess.run([str(WRAPPER), *args], env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=10)


def parse(output: str) -> tuple[str, dict[str, str]]:
    lines = output.splitlines()
    args = next(line for line in lines if line.startswith("ARGS"))[5:]
    env = dict(line.split("=", 1) for line in lines if "=" in line and not
               line.startswith(("ARGS", "UMASK")))
    return args, env


def test_the_wrapper_starts_the_program_in_a_clean_environment(fake_program):
    me = getpass.getuser()
    done = run_wrapper("--service-user", me, "--program", str(fake_program), "--config",
                       "/etc/tui-desk/config.toml", env={
                           "TERM": "dumb", "TEXTUAL_LOG": "/tmp/keys.log",
                           "TEXTUAL": "devtools", "NO_COLOR": "1", "PYTHONPATH": "/evil",
                           "LD_PRELOAD": "/evil.so", "SSH_CLIENT": "10.20.0.11 50000 22",
                           "SSH_CONNECTION": "10.20.0.11 50000 10.20.0.1 22",
                           "TUI_DESK_LOGIN": "somebody-else"})
    assert done.returncode == 0, done.stderr
    args, env = parse(done.stdout)
    assert args == "--config /etc/tui-desk/config.toml"
    assert "UMASK 0077" in done.stdout
    assert env["TERM"] == "xterm"                    # "dumb" would get no usable screen
    assert env["TEXTUAL_COLOR_SYSTEM"] == "standard"
    assert env["ESCDELAY"] == "25"
    assert env["TUI_DESK_LOGIN"] == me               # who logged in, never what was passed
    assert env["SSH_CLIENT"] == "10.20.0.11 50000 22"
    assert env["SSH_CONNECTION"] == "10.20.0.11 50000 10.20.0.1 22"
    for dropped in ("TEXTUAL_LOG", "TEXTUAL", "NO_COLOR", "PYTHONPATH", "LD_PRELOAD"):
        assert dropped not in env


def test_the_login_comes_from_sudo(fake_program):
    me = getpass.getuser()
    done = run_wrapper("--service-user", me, "--program", str(fake_program), "--config", "",
                       "--colors", "256", "--escdelay", "100", "--", "--demo",
                       env={"SUDO_USER": "jbalie", "TERM": "linux"})
    args, env = parse(done.stdout)
    assert args == "--demo"
    assert env["TUI_DESK_LOGIN"] == "jbalie"
    assert env["TERM"] == "linux"
    assert env["TEXTUAL_COLOR_SYSTEM"] == "256" and env["ESCDELAY"] == "100"


def test_an_unknown_option_is_refused(fake_program):
    done = run_wrapper("--service-user", getpass.getuser(), "--shell")
    assert done.returncode == 2
    assert "onbekende optie '--shell'" in done.stderr


def test_sshd_accepts_the_snippet(tmp_path):
    sshd, _ssh, keygen = find_openssh()
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "key")],
                   check=True)
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {tmp_path / 'key'}\nUsePAM no\n"
                      f"Include {DEPLOY / 'sshd_config.d' / 'tui-desk.conf'}\n")
    done = subprocess.run([sshd, "-t", "-f", str(config)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = (DEPLOY / "sshd_config.d" / "tui-desk.conf").read_text()
    assert "Match Group balie" in text and "DisableForwarding yes" in text
    assert "ForceCommand /opt/tui-desk/bin/tui-desk-wrapper" in text


def commands_in(path: Path) -> list[list[str]]:
    """The tui-desk command lines in a unit or crontab (up to a redirection or ';')."""
    found = []
    for match in re.finditer(r"/opt/tui-desk/bin/tui-desk (.+?)(?=\s*(?:>>|>|;|'|$))",
                             path.read_text(), re.MULTILINE):
        found.append(shlex.split(match.group(1)))
    return found


@pytest.mark.parametrize("name", ["systemd/tui-desk-maintenance.service",
                                  "systemd/tui-desk-backup.service", "cron.d/tui-desk"])
def test_the_scheduled_commands_exist(name):
    commands = commands_in(DEPLOY / name)
    assert commands
    for argv in commands:
        args = cli._parser().parse_args(argv)
        assert args.command in ("maintenance", "backup")
        if args.command == "backup":
            assert args.path.endswith("/") and args.keep == 14


def test_the_units_run_as_the_service_user_with_a_private_umask():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "User=tui-desk" in text and "UMask=0077" in text, unit.name
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert "Persistent=true" in timer.read_text(), timer.name
