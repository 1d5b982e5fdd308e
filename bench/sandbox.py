"""Making a trainee's sandbox: the copy of the training template on a trainee's first start.

Three figures, measured alternately in one run on the same seeded template (2,000 customers):

- ``copy``: ``store.sandbox.copy_template`` alone (SQLite backup API into a new file, the
  trainee recorded in it, renamed into place);
- ``first start``: ``store.sandbox.open_sandbox`` for a trainee without a copy, as
  ``tui-desk --demo`` does it: open the template, copy, open the copy (migrations checked);
- reference: ``shutil.copyfile`` of the same (checkpointed) template file, the least a copy
  can cost.

Start-up with an existing sandbox is what ``bench/startup.py`` measures: its ``--demo`` runs
after the first find their trainee's copy.

    python bench/sandbox.py [--runs 30] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import median, percentile, table, write_json

from tui_desk.config import demo_config
from tui_desk.store.demo import ensure_demo
from tui_desk.store.sandbox import copy_template, open_sandbox, remove_sandboxes

COPY, FIRST, FILE = "copy_template", "first start (open_sandbox)", "shutil.copyfile (reference)"
TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime.combine(TODAY, dt.time(10))


def measure(runs: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="tui-desk-bench-sandbox-"))
    try:
        return _measure(tmp, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(tmp: Path, runs: int) -> dict:
    template = tmp / "demo.sqlite3"
    ensure_demo(template, demo_config(), TODAY).close()
    raw = sqlite3.connect(template)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    size = template.stat().st_size
    samples: dict[str, list[float]] = {COPY: [], FIRST: [], FILE: []}

    def copy(n: int) -> None:
        source = ensure_demo(template, demo_config(), TODAY)
        try:
            started = time.perf_counter()
            copy_template(source, template, f"copy-{n}", NOW)
            samples[COPY].append(time.perf_counter() - started)
        finally:
            source.close()

    def first(n: int) -> None:
        started = time.perf_counter()
        db, made = open_sandbox(template, f"first-{n}", demo_config(), NOW)
        samples[FIRST].append(time.perf_counter() - started)
        db.close()
        assert made

    def plain(n: int) -> None:
        started = time.perf_counter()
        shutil.copyfile(template, tmp / f"plain-{n}.sqlite3")
        samples[FILE].append(time.perf_counter() - started)

    parts = [copy, first, plain]
    for n in range(runs):
        for part in parts if n % 2 == 0 else parts[::-1]:
            part(n)
        remove_sandboxes(template)
        for extra in tmp.glob("plain-*"):
            extra.unlink()
    out: dict = {"runs": runs, "template_bytes": size, "customers": 2000, "parts": {}}
    for name, values in samples.items():
        out["parts"][name] = {"median_ms": median(values) * 1000,
                              "p95_ms": percentile(values, 95) * 1000,
                              "max_ms": max(values) * 1000,
                              "samples_ms": [v * 1000 for v in values]}
    ref = out["parts"][FILE]["median_ms"]
    out["ratio_copy_to_file"] = out["parts"][COPY]["median_ms"] / ref
    out["target"] = {"first_start_ms": 1000}
    return out


def report(out: dict) -> str:
    rows = [[name, f"{p['median_ms']:.1f}", f"{p['p95_ms']:.1f}", f"{p['max_ms']:.1f}"]
            for name, p in out["parts"].items()]
    size = out["template_bytes"] / (1024 * 1024)
    return (f"Making a sandbox ({out['customers']} customers, {size:.1f} MiB, "
            f"{out['runs']} runs)\n"
            + table(["what", "median ms", "p95 ms", "max ms"], rows)
            + f"\ncopy_template / copyfile: {out['ratio_copy_to_file']:.2f}x; "
            f"first start target < {out['target']['first_start_ms']} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    out = measure(args.runs)
    print(report(out))
    write_json("sandbox", out, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
