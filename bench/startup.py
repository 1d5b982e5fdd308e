"""Start-up time and peak memory: ``tui-desk --demo`` against a bare Textual app, in a pty.

``tui-desk --demo`` opens the trainee's own sandbox (``store/sandbox.py``): the first,
unmeasured start makes it from the template, every measured start finds it there — start-up
with an existing sandbox. Making one is measured by ``bench/sandbox.py``.

Each run starts the program in a pseudo-terminal of 80x24, reads what it writes until the text
of its first screen appears, then sends it F12 / Ctrl+Q and waits for it to end. Peak memory
is the child's maximum resident set size (``ru_maxrss`` from wait4). Both programs are measured
in the same run, alternately, so the ratio holds for this machine at this moment.

Besides the wall-clock time, the CPU time the program used up to its first screen is read from
``/proc`` at that moment: on a machine shared with other work the wall clock varies from run to
run by more than the difference measured, the CPU time much less.

Both run with their bytecode (.pyc) cached, as an installed program has it (see
``common.PYCACHE``); the first, unmeasured start of each writes it and seeds the demo database.
A third row, in the same run, is tui-desk without bytecode for its own modules (textual and the
standard library keep theirs): what an editable checkout started with PYTHONDONTWRITEBYTECODE=1
does, compiling every tui_desk module at every start. The ratios are of the first two rows.

    python bench/startup.py [--runs 15] [--json FILE]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    HERE,
    PYCACHE,
    ROOT,
    PtyProgram,
    child_env,
    median,
    publish,
    table,
)

DESK = "tui-desk --demo"
BARE = "bare textual app"
UNCOMPILED = "tui-desk, no .pyc"


def run_once(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0):
    """(seconds to the first screen or None, CPU seconds by then, peak RSS in MiB) of one
    start."""
    prog = PtyProgram(argv, env)
    ready = prog.wait_for(marker, timeout)
    cpu = prog.cpu_seconds()
    usage = prog.stop()
    return ready, cpu, usage.ru_maxrss / 1024.0


def measure(runs: int, uncompiled: bool = True) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="tui-desk-bench-"))
    try:
        return _measure(tmp, runs, uncompiled)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(tmp: Path, runs: int, uncompiled: bool) -> dict:
    env = child_env(tmp)
    desk = [sys.executable, "-m", "tui_desk", "--demo", "--db", str(tmp / "demo.sqlite3")]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    envs = {BARE: env, DESK: env}
    programs = [(BARE, bare, b"BARE-READY"), (DESK, desk, b"Zoek klant")]
    # The first start seeds the demo database and writes bytecode: set-up, not start-up.
    for _name, argv, marker in programs:
        run_once(argv, marker, env, timeout=120)
    if uncompiled:
        # The same bytecode cache without tui_desk's own modules, and nothing written to it.
        bare_cache = tmp / "pycache-without-tui_desk"
        shutil.copytree(PYCACHE, bare_cache)
        shutil.rmtree(bare_cache / str(ROOT / "tui_desk").lstrip("/"), ignore_errors=True)
        envs[UNCOMPILED] = dict(env, PYTHONPYCACHEPREFIX=str(bare_cache),
                                PYTHONDONTWRITEBYTECODE="1")
        programs.append((UNCOMPILED, desk, b"Zoek klant"))
    samples: dict[str, tuple[list[float], list[float], list[float]]] = {
        name: ([], [], []) for name, *_ in programs}
    for n in range(runs):
        for name, argv, marker in (programs if n % 2 == 0 else programs[::-1]):
            t, cpu, mem = run_once(argv, marker, envs[name])
            if t is None:
                raise SystemExit(f"{name}: first screen not seen")
            samples[name][0].append(t)
            samples[name][1].append(cpu)
            samples[name][2].append(mem)
    out: dict = {"runs": runs, "programs": {}}
    for name, (times, cpus, mems) in samples.items():
        out["programs"][name] = {
            "startup_median_s": median(times), "startup_min_s": min(times),
            "startup_max_s": max(times), "cpu_median_s": median(cpus),
            "peak_rss_mib": median(mems),
            "startup_s": times, "cpu_s": cpus, "peak_rss_samples_mib": mems,
        }
    d, b = out["programs"][DESK], out["programs"][BARE]
    # Run-by-run ratios (each desk run against the bare run of the same round) show the noise.
    pairs = sorted(x / y for x, y in zip(samples[DESK][0], samples[BARE][0], strict=True))
    out["ratio"] = {"startup": d["startup_median_s"] / b["startup_median_s"],
                    "startup_min": d["startup_min_s"] / b["startup_min_s"],
                    "startup_pairwise_range": [pairs[0], pairs[-1]],
                    "cpu": d["cpu_median_s"] / b["cpu_median_s"],
                    "memory": d["peak_rss_mib"] / b["peak_rss_mib"]}
    if UNCOMPILED in out["programs"]:
        u = out["programs"][UNCOMPILED]
        out["ratio"]["startup_uncompiled"] = u["startup_median_s"] / b["startup_median_s"]
        out["ratio"]["cpu_uncompiled"] = u["cpu_median_s"] / b["cpu_median_s"]
    out["targets"] = {"startup": 1.3, "memory": 1.5}
    return out


def report(out: dict) -> str:
    rows = []
    b = out["programs"][BARE]
    for name in (BARE, DESK, UNCOMPILED):
        if name not in out["programs"]:
            continue
        r = out["programs"][name]
        rows.append([name, r["startup_median_s"] * 1000, r["startup_min_s"] * 1000,
                     r["startup_max_s"] * 1000,
                     f"{r['startup_median_s'] / b['startup_median_s']:.2f}x",
                     r["cpu_median_s"] * 1000,
                     f"{r['cpu_median_s'] / b['cpu_median_s']:.2f}x",
                     r["peak_rss_mib"], f"{r['peak_rss_mib'] / b['peak_rss_mib']:.2f}x"])
    lo, hi = out["ratio"]["startup_pairwise_range"]
    return (table(["program", "start-up median ms", "min ms", "max ms", "ratio", "CPU ms",
                   "ratio", "peak RSS MiB", "ratio"], rows)
            + f"\n{out['runs']} runs each, interleaved; run-by-run start-up ratio of tui-desk "
              f"{lo:.2f}x .. {hi:.2f}x; targets <= 1.3x start-up, <= 1.5x memory")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-uncompiled", action="store_true",
                    help="leave out the row without tui_desk's bytecode")
    a = ap.parse_args()
    out = measure(a.runs, uncompiled=not a.no_uncompiled)
    return publish("startup", "Start-up and memory (pty 80x24)", out, report(out), a.json)


if __name__ == "__main__":
    raise SystemExit(main())
