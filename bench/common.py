"""What the benchmarks share: the machine description, the environment of a measured program,
a pseudo-terminal to run it in, percentiles, tables and the JSON result files."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import math
import os
import platform
import pty
import select
import signal
import sqlite3
import struct
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
# Bytecode of the measured programs. An installed tui-desk (pip install .) has its .pyc files;
# the editable checkout may run with PYTHONDONTWRITEBYTECODE and would then compile every module
# on every start. Measured programs keep their bytecode here instead (both programs alike).
PYCACHE = RESULTS / "pycache"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> dict:
    """CPU model, cores, load, Python, Textual and SQLite versions: printed with every figure."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    try:
        from importlib.metadata import version

        textual_version = version("textual")
    except Exception:  # only a label
        textual_version = "?"
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "textual": textual_version,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "when": dt.datetime.now().replace(microsecond=0).isoformat(),
    }


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a program measured in a pty: its own HOME, TERM, no login mapping."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        TERM="xterm-256color",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        TUI_DESK_LOGIN="bench",
        PYTHONPYCACHEPREFIX=str(PYCACHE),
    )
    env.pop("TUI_DESK_CONFIG", None)
    env.pop("TEXTUAL", None)  # no devtools
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), nearest rank: what p% of the values stay at or below."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    import statistics

    return statistics.median(values) if values else math.nan


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        parts = []
        for i, text in enumerate(r):
            left = i == 0 or (n > 0 and not _numeric(rows[n - 1][i]))
            parts.append(text.ljust(widths[i]) if left else text.rjust(widths[i]))
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def at_most(value: float, limit: float, unit: str) -> list[object]:
    """The last two cells of a figure's row: its target (``<= 1.3x``, ``<= 30 ms``) and whether
    ``value`` meets it (``yes`` / ``NO``)."""
    return [f"<= {limit}{unit}", "yes" if value <= limit else "NO"]


def _numeric(value: object) -> bool:
    return isinstance(value, int | float)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def write_json(name: str, data: dict, path: Path | None = None) -> Path:
    """Write a part's figures (with the machine) to bench/results/<name>.json or ``path``."""
    target = path or RESULTS / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"benchmark": name, "machine": machine(), **data}, indent=2,
                                 default=str) + "\n")
    return target


def publish(name: str, title: str, out: dict, text: str, path: Path | None = None) -> int:
    """A part's end: its title and report on stdout, its figures to JSON; the exit status."""
    print(title)
    print(text)
    print(f"-> {write_json(name, out, path)}")
    return 0


# -- a program in a pseudo-terminal --------------------------------------------------------------
class PtyProgram:
    """A program started in a pty of ``cols`` x ``rows``; everything it writes is counted."""

    def __init__(self, argv: list[str], env: dict[str, str], *, cols: int = 80, rows: int = 24,
                 cwd: Path | None = None) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = bytearray()
        self.usage = None
        self.status = None

    def read(self, timeout: float) -> bytes:
        """What arrives within ``timeout`` seconds of silence-or-data (one read at most)."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if self.fd not in r:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 30.0, start: int = 0) -> float | None:
        """Seconds since launch when ``marker`` first appeared after offset ``start``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if marker in self.output[start:]:
                return time.perf_counter() - self.started
            self.read(0.05)
        return time.perf_counter() - self.started if marker in self.output[start:] else None

    def drain(self, quiet: float = 0.3, limit: float = 5.0) -> int:
        """Read until the program has written nothing for ``quiet`` seconds; bytes read."""
        before = len(self.output)
        deadline = time.perf_counter() + limit
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            if self.read(0.02):
                last = time.perf_counter()
            elif time.perf_counter() - last >= quiet:
                break
        return len(self.output) - before

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far, all its live threads (``/proc/PID/task/*/
        schedstat``, nanoseconds on the CPU). Unlike wall-clock time it does not grow when other
        work on the machine takes the CPU away."""
        total = 0
        try:
            tasks = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return math.nan
        for task in tasks:
            try:
                with open(f"/proc/{self.pid}/task/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        return total / 1e9

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def stop(self, keys: Sequence[bytes] = (b"\x1b[24~", b"\x11"), timeout: float = 10.0):
        """Send the quit keys, wait for the end; returns the resource usage (ru_maxrss)."""
        for key in keys:
            try:
                os.write(self.fd, key)
            except OSError:
                pass
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                self.read(0.05)
            except OSError:
                pass
            done, status, usage = os.wait4(self.pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            _, status, usage = os.wait4(self.pid, 0)
        os.close(self.fd)
        self.usage, self.status = usage, status
        return usage
