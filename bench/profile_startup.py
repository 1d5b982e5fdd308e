"""Where the start-up time of ``tui-desk --demo`` goes, beyond the bare Textual app.

1. Imports: both programs run in a pty with ``python -X importtime`` (its report goes to a file;
   Textual itself writes the screen to stderr, so the report is split off by a small wrapper).
   Over ``--runs`` starts the fastest time of each module is kept; the modules tui-desk loads
   that the bare app does not are listed with their own (self) time.
2. A pyinstrument profile (``pip install -e '.[bench]'``) of one start that ends as soon as the
   first screen is drawn, written to ``bench/results/startup-profile.txt``.

    python bench/profile_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HERE, RESULTS, PtyProgram, child_env

# Runs a program with fd 2 going to $IMPLOG (where -X importtime writes) while Textual's
# sys.__stderr__ keeps the terminal.
_WRAPPER = '''
import os, runpy, sys
terminal = os.dup(2)
os.dup2(os.open(os.environ["IMPLOG"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
sys.stderr = sys.__stderr__ = os.fdopen(terminal, "w")
if sys.argv[1] == "-m":
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
'''

# Starts tui-desk and quits once the first screen has been drawn (for the profiler).
_FIRST_SCREEN = '''
import sys
from tui_desk import app
_mount = app.TuiDeskApp.on_mount
def on_mount(self):
    _mount(self)
    self.call_after_refresh(lambda: self.call_after_refresh(self.exit))
app.TuiDeskApp.on_mount = on_mount
from tui_desk.cli import main
raise SystemExit(main(sys.argv[1:]))
'''

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _importtimes(log: Path) -> dict[str, int]:
    found = {}
    for line in log.read_text().splitlines():
        m = _LINE.match(line)
        if m:
            found[m.group(4)] = int(m.group(1))
    return found


def imports(runs: int, tmp: Path) -> str:
    wrapper = tmp / "wrapper.py"
    wrapper.write_text(_WRAPPER)
    db = tmp / "demo.sqlite3"
    env = child_env(tmp)
    desk = ["-m", "tui_desk", "--demo", "--db", str(db)]
    bare = [str(HERE / "bare_app.py")]
    best: dict[str, dict[str, int]] = {"desk": {}, "bare": {}}
    prog = PtyProgram([sys.executable, *desk], env)  # seed the demo database
    prog.wait_for(b"Zoek klant", 120)
    prog.stop()
    for _ in range(runs):
        for name, argv, marker in (("bare", bare, b"BARE-READY"), ("desk", desk, b"Zoek klant")):
            log = tmp / f"{name}.log"
            prog = PtyProgram([sys.executable, "-X", "importtime", str(wrapper), *argv],
                              dict(env, IMPLOG=str(log)))
            prog.wait_for(marker, 60)
            prog.stop()
            for module, self_us in _importtimes(log).items():
                old = best[name].get(module)
                best[name][module] = self_us if old is None else min(old, self_us)
    d, b = best["desk"], best["bare"]
    extra = {m: t for m, t in d.items() if m not in b}
    lines = [f"modules imported: tui-desk {len(d)}, bare app {len(b)}; "
             f"{len(extra)} only by tui-desk, their own import time "
             f"{sum(extra.values()) / 1000:.1f} ms (fastest of {runs} starts, -X importtime; "
             "the F12 that ends the run imports a few more)",
             f"all imports, own time: tui-desk {sum(d.values()) / 1000:.1f} ms, "
             f"bare app {sum(b.values()) / 1000:.1f} ms", ""]
    for module, t in sorted(extra.items(), key=lambda kv: -kv[1])[:30]:
        lines.append(f"  {t / 1000:6.2f} ms  {module}")
    return "\n".join(lines)


def profile(tmp: Path) -> str:
    if shutil.which("pyinstrument", path=str(Path(sys.executable).parent)) is None:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            return "(pyinstrument is not installed: pip install -e '.[bench]')"
    script = tmp / "first_screen.py"
    script.write_text(_FIRST_SCREEN)
    out = RESULTS / "startup-profile.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    env = child_env(tmp)
    prog = PtyProgram([sys.executable, "-m", "pyinstrument", "-i", "0.0005", "-r", "text",
                       "-o", str(out), str(script), "--demo", "--db",
                       str(tmp / "demo.sqlite3")], env)
    prog.wait_for(b"Zoek klant", 120)
    prog.drain(quiet=0.5, limit=30)
    prog.stop(keys=())
    return f"pyinstrument profile of one start: {out}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tui-desk-profile-"))
    report = imports(a.runs, tmp) + "\n\n" + profile(tmp)
    print(report)
    (RESULTS / "startup-imports.txt").write_text(report + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    _ = os
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
