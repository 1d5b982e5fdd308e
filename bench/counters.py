"""Concurrent counters: 10, 20 and 50 processes registering at once on one database file.

Each counter is a process of its own (multiprocessing, spawn: as separate SSH sessions are),
with its own connection to one demo database (WAL) and a demo staff member (staff of several
branches, so some counters share a branch's card sequence). All of them import, open the
database and register one customer to warm up, wait at a barrier, and then each registers
``--each`` customers as fast as it can through the workflow service (``registrations.py``:
every field typed is saved as a draft, then one transaction saves the customer) - far more at
once than a library's counters ever do, on purpose.

Time to commit is the ``register()`` call (the transaction of step 3's OK, its BEGIN IMMEDIATE
wait included); the whole registration is timed too. Any exception (``DatabaseBusy``,
``sqlite3.OperationalError: database is locked`` and the like) counts as an error; the target is
none. A single counter (1 process) is the reference.

With ``--backend postgresql`` (or both: ``--backend sqlite postgresql``) the same runs go to a
throw-away PostgreSQL cluster like the tests' (``tests/pg.py``: initdb in a temporary folder, a
Unix socket, no network; but with ``fsync`` and ``synchronous_commit`` on, as a server would
run, and enough connections for 200 counters), each run on a database made by
``tui-desk db copy`` of the same demo database. There the checks afterwards are the duplicate
card numbers (``integrity_check`` is SQLite's).

    python bench/counters.py [--counters 1 10 20 50] [--each 5] [--backend sqlite postgresql]
                             [--json FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import median, percentile, publish, table  # noqa: E402


def _counter(index: int, path: str, each: int, barrier, results) -> None:
    """One counter process: warm up, wait for the others, register ``each`` customers."""
    sys.path.insert(0, str(HERE))
    import registrations as reg

    errors: list[str] = []
    commits: list[float] = []
    wholes: list[float] = []
    try:
        service, rng = reg.counter_service(path, index)
        reg.register_one(service, reg.person(rng, f"warm.{index}"))
        people = [reg.person(rng, f"c{index}.{i}") for i in range(each)]
    except Exception:  # reported, not raised: the parent counts it
        errors.append(traceback.format_exc(limit=3))
        people = []
    try:
        barrier.wait(timeout=300)
    except Exception:
        errors.append("barrier: " + traceback.format_exc(limit=1))
    for fields in people:
        t = time.perf_counter()
        try:
            _cid, commit = reg.register_one(service, fields)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        wholes.append(time.perf_counter() - t)
        commits.append(commit)
    results.put((index, commits, wholes, errors))


def run(counters: int, each: int, folder: Path, cluster=None) -> dict:
    import registrations as reg

    from tui_desk.config import demo_config
    from tui_desk.store.demo import ensure_demo

    sqlite_path = folder / f"counters-{counters}.sqlite3"
    ensure_demo(sqlite_path, demo_config(), reg.TODAY).close()
    path: Path | str = sqlite_path
    if cluster is not None:
        path = cluster.copy_of(sqlite_path, f"counters_{counters}")
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(counters + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=_counter, args=(i, str(path), each, barrier, results))
             for i in range(counters)]
    for p in procs:
        p.start()
    barrier.wait(timeout=600)
    started = time.perf_counter()
    commits, wholes, errors = [], [], []
    for _ in procs:
        _index, c, w, e = results.get(timeout=600)
        commits += c
        wholes += w
        errors += e
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    from tui_desk.store.db import DEMO, open_database

    db = open_database(path, environment=DEMO, create=False)
    # The registrations of the measured phase that committed. (Counting rows would not do: the
    # PostgreSQL run copies the demo file the SQLite run of the same size has written into.)
    registered = len(commits)
    integrity = db.scalar("PRAGMA integrity_check") if cluster is None else "n/a"
    duplicate_cards = db.scalar(
        "SELECT count(*) FROM (SELECT number FROM cards GROUP BY number "
        "HAVING count(*) > 1) AS twice")
    db.close()
    return {
        "backend": "sqlite" if cluster is None else "postgresql",
        "counters": counters, "each": each, "registered": registered,
        "seconds": elapsed, "per_second": len(commits) / elapsed if elapsed else 0.0,
        "commit_p50_ms": median(commits) * 1000, "commit_p99_ms": percentile(commits, 99) * 1000,
        "commit_max_ms": max(commits) * 1000 if commits else float("nan"),
        "whole_p50_ms": median(wholes) * 1000, "whole_p99_ms": percentile(wholes, 99) * 1000,
        "errors": len(errors), "error_samples": sorted(set(errors))[:10],
        "integrity_check": integrity, "duplicate_card_numbers": duplicate_cards,
    }


def report(out: dict) -> str:
    rows = []
    for r in out["runs"]:
        rows.append([r.get("backend", "sqlite"), r["counters"], r["registered"],
                     f"{r['per_second']:.0f} /s",
                     r["commit_p50_ms"], r["commit_p99_ms"], r["whole_p50_ms"],
                     r["whole_p99_ms"], r["errors"]])
    text = table(["backend", "counters", "registered", "rate", "commit p50 ms", "p99 ms",
                  "whole p50 ms", "p99 ms", "errors"], rows)
    for r in out["runs"]:
        for sample in r["error_samples"]:
            text += (f"\n  {r.get('backend', 'sqlite')} {r['counters']} counters: "
                     f"{sample.strip().splitlines()[-1]}")
    checks = ", ".join(f"{r.get('backend', 'sqlite')} {r['counters']}: {r['integrity_check']}, "
                       f"{r['duplicate_card_numbers']} "
                       "duplicate card numbers" for r in out["runs"])
    return (text + f"\n{out['each']} registrations per counter, all started at once; afterwards "
            f"integrity_check / duplicate cards per run: {checks}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--counters", type=int, nargs="+", default=[1, 10, 20, 50])
    ap.add_argument("--each", type=int, default=5, help="registrations per counter")
    ap.add_argument("--backend", nargs="+", choices=["sqlite", "postgresql"],
                    default=["sqlite"])
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="tui-desk-bench-") as tmp:
        for backend in a.backend:
            if backend == "sqlite":
                runs += [run(n, a.each, Path(tmp)) for n in a.counters]
                continue
            from pgbench_cluster import BenchCluster

            with BenchCluster(max_connections=max(a.counters) + 20) as cluster:
                runs += [run(n, a.each, Path(tmp), cluster) for n in a.counters]
    out = {"each": a.each, "runs": runs, "backends": a.backend,
           "met": all(r["errors"] == 0 for r in runs)}
    title = ("Concurrent counters (one database file)" if a.backend == ["sqlite"] else
             f"Concurrent counters ({' and '.join(a.backend)})")
    return publish("counters", title, out, report(out), a.json)


if __name__ == "__main__":
    raise SystemExit(main())
