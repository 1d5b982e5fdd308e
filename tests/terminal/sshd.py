"""A private OpenSSH server on loopback for end-to-end tests, and the fixtures that use it.

The server runs beside anything else on the machine: its own host key, port, PID file and
authorized keys folder, started in the foreground (``sshd -D``) as a child of the test and
stopped with it. Logins of the test user run the shipped ``deploy/tui-desk-wrapper`` as their
ForceCommand, exactly as a counter login would (only the service user is the test's own, so no
sudo is involved), and the wrapper starts ``<this python> -m tui_desk``.

``ssh_session`` yields a ``Tmux`` logged in over SSH at 80x24, on the main screen of the
training database (OEFENOMGEVING): a test types on from there and ends with F12.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.terminal.tmux import Tmux

REPO = Path(__file__).resolve().parents[2]
WRAPPER = REPO / "deploy" / "tui-desk-wrapper"
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin",
                               "/usr/local/sbin"])
ESCDELAY_MS = "25"


def find_openssh() -> tuple[str, str, str]:
    """(sshd, ssh, ssh-keygen) as absolute paths.

    Missing programs skip the test on a developer's machine and fail it in CI (``$CI`` set),
    where ``.ci/run`` installs openssh-server and openssh-client.
    """
    found = {name: shutil.which(name, path=SEARCH_PATH) for name in ("sshd", "ssh", "ssh-keygen")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        reason = (f"{', '.join(missing)} not installed (Debian packages openssh-server and "
                  "openssh-client; .ci/run installs them)")
        if os.environ.get("CI"):
            pytest.fail(f"CI needs OpenSSH for the end-to-end test: {reason}")
        pytest.skip(reason)
    return found["sshd"], found["ssh"], found["ssh-keygen"]  # type: ignore[return-value]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PrivateSshd:
    """``sshd -D -f CONFIG`` on 127.0.0.1:``port``; ``client_command`` logs in."""

    folder: Path
    force_command: str
    user: str
    sshd: str
    ssh: str
    keygen: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.folder / "sshd.log"

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def start(self, timeout: float = 10.0) -> PrivateSshd:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        host_key = self.folder / "host_ed25519"
        client_key = self.folder / "client_ed25519"
        for key in (host_key, client_key):
            subprocess.run([self.keygen, "-q", "-t", "ed25519", "-N", "", "-C", "tui-desk-test",
                            "-f", str(key)], check=True)
        authorized = self.folder / "authorized"
        authorized.mkdir(mode=0o700, exist_ok=True)
        (authorized / self.user).write_text(
            (self.folder / "client_ed25519.pub").read_text())
        (authorized / self.user).chmod(0o600)
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # privilege separation
        self.port = free_port()
        config = self.folder / "sshd_config"
        config.write_text(f"""\
Port {self.port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {self.folder / "sshd.pid"}
AuthorizedKeysFile {authorized}/%u
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
# the test's folders are under /tmp, which StrictModes would refuse for the keys file
StrictModes no
PrintMotd no
PrintLastLog no
LogLevel VERBOSE

Match User {self.user}
    ForceCommand {self.force_command}
    DisableForwarding yes
    PermitTTY yes
""")
        subprocess.run([self.sshd, "-t", "-f", str(config)], check=True)
        self.process = subprocess.Popen(
            [self.sshd, "-D", "-f", str(config), "-E", str(self.log_file)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd stopped at once:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if time.monotonic() > end:
                    raise RuntimeError(
                        f"sshd does not listen on {self.port}:\n{self.log()}") from None
                time.sleep(0.05)

    def client_command(self) -> list[str]:
        return [self.ssh, "-tt", "-F", "/dev/null",
                "-i", str(self.folder / "client_ed25519"), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-p", str(self.port), f"{self.user}@127.0.0.1"]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class SshSession:
    terminal: Tmux
    server: PrivateSshd
    demo_db: Path
    env_file: Path          # the environment the program was started with

    def program_environment(self) -> dict[str, str]:
        lines = self.env_file.read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)


def _seed_demo(path: Path) -> None:
    """Build the training database before logging in, so that the SSH test waits on SSH."""
    import datetime as dt

    from tui_desk.config import demo_config
    from tui_desk.store.demo import ensure_demo

    ensure_demo(path, demo_config(), dt.date.today()).close()


@pytest.fixture
def private_sshd(tmp_path) -> Iterator[tuple[PrivateSshd, Path]]:
    """A private sshd whose ForceCommand runs the wrapper → tui-desk --demo on a fresh,
    seeded training database; yields (server, session folder)."""
    sshd, ssh, keygen = find_openssh()
    session = tmp_path / "session"
    session.mkdir(mode=0o700)
    demo_db = session / "demo.sqlite3"
    _seed_demo(demo_db)
    config = session / "config.toml"
    config.write_text(f"""\
[library]
name = "Bibliotheek Test"

[[branches]]
code = "9401"
name = "Annen"

[demo]
path = "{demo_db}"
auto_sign_in = "balie"
""")
    env_file = session / "program-environment.txt"
    runner = session / "run-tui-desk"
    runner.write_text(f"""#!/bin/sh
# What the wrapper starts: records the environment it was given, then the program.
env > {shlex.quote(str(env_file))}
exec {shlex.quote(sys.executable)} -m tui_desk "$@"
""")
    runner.chmod(0o700)
    user = getpass.getuser()
    # TEXTUAL_LOG here stands for anything an environment could carry: the wrapper drops it.
    force = " ".join([
        "env", f"TEXTUAL_LOG={shlex.quote(str(session / 'textual.log'))}",
        shlex.quote(str(WRAPPER)), "--service-user", shlex.quote(user),
        "--program", shlex.quote(str(runner)), "--config", shlex.quote(str(config)),
        "--escdelay", ESCDELAY_MS, "--", "--demo", "--db", shlex.quote(str(demo_db)),
    ])
    server = PrivateSshd(tmp_path / "sshd", force, user, sshd, ssh, keygen)
    try:
        server.start()
        yield server, session
    finally:
        server.stop()


@pytest.fixture
def ssh_session(private_sshd) -> Iterator[SshSession]:
    """Logged in over SSH in tmux at 80x24, on the main screen of the training database."""
    server, session = private_sshd
    terminal = Tmux(server.client_command(), env={"HOME": str(session)}, size=(80, 24))
    try:
        try:
            terminal.wait_for("OEFENOMGEVING", timeout=30)
            terminal.wait_for("Zoek klant")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- sshd log ---\n{server.log()}") from None
        from tui_desk.store.sandbox import sandbox_path

        # The program runs as this login (the wrapper passes it on): its sandbox.
        sandbox = sandbox_path(session / "demo.sqlite3", getpass.getuser())
        yield SshSession(terminal, server, sandbox,
                         session / "program-environment.txt")
    finally:
        terminal.close()
