"""What the desk feels and what it costs the server: the real program in a pty of 80x24,
typed key by key, against a bare Textual Input styled like tui-desk's fields, in one run.

Parts (``--parts``, default all):

- ``echo``: a surname typed into Achternaam of step 1 at a human pace (``--gap``, 0.15 s a key),
  and the same characters into ``bare_input_app.py --styled`` (one Input: one row, no border,
  30 cells, no blink), alternately run by run. Echo latency = from writing the key to the pty
  until the program's first byte in answer; CPU per key from ``/proc/PID/task/*/schedstat``.
- ``registration``: one whole registration typed key by key at the same pace (Ctrl+N, step 1
  as the manual's example, F10, step 2, step 3 tariff, F10 until "Klant ingeschreven" is
  shown): CPU-seconds of the UI process from Ctrl+N to the end.
- ``ready``: Ctrl+N until step 1 is on the screen and Alt+Z until Zoek klant is, cold (the key
  pressed the moment the first screen appears) and warm (the second time, after Escape); and
  the session's first Ctrl+N 2 s after its first screen. CPU of the program next to each.
- ``idle``: CPU of a session that waits in step 1 with the cursor in a field (``--idle`` s),
  against the styled bare Input and Textual's default Input (whose cursor blinks).
- ``search``: at 1,000,000 customers (``build_db.py``), Enter on a surname prefix with 200+
  hits until the first screenful is on the screen, and until the screen is quiet (all rows);
  the program's CPU for each.
- ``lock`` (issue 13): another process holds the write lock (``BEGIN IMMEDIATE``) for 5 s
  while the clerk types in step 1, Tab included (the draft is saved on leaving a field): the
  longest time a key waited for its echo = the longest stall of the event loop.
- ``load`` (issue 13): echo latency while 20 other processes register customers on the same
  database file (``counters.py``'s workers, registering without pause), against idle.

    python bench/desk.py [--parts echo registration ...] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    HERE,
    PtyProgram,
    at_most,
    child_env,
    median,
    percentile,
    publish,
    table,
)

PARTS = ("echo", "registration", "ready", "idle", "search", "lock", "load")
TEXT = "Vermeulen-Jansen"
GAP = 0.15           # seconds from one key to the next: a brisk typist
QUIET = 0.05         # the answer to a key is complete after this long without output
MAIN = b"Zoek klant"
STEP_1 = b"Klantgegevens (stap 1)"
SEARCH_READY = b"achternaam, postcode"  # the placeholder (its first cell is the cursor)
CTRL_N, ALT_Z, ESC, TAB, ENTER, F10 = b"\x0e", b"\x1bz", b"\x1b", b"\t", b"\r", b"\x1b[21~"


# -- programs -------------------------------------------------------------------------------------
class Desk:
    """Seeded demo templates; every start gets a fresh one (a run leaves its draft open, and
    the next start would offer to resume it)."""

    def __init__(self, tmp: Path) -> None:
        from registrations import TODAY

        from tui_desk.config import demo_config
        from tui_desk.store.demo import ensure_demo

        self.tmp = tmp
        self.seeded = tmp / "seeded.sqlite3"
        ensure_demo(self.seeded, demo_config(), TODAY).close()
        self.count = 0
        self.today = TODAY.isoformat()
        self.env = child_env(tmp)
        self.env.pop("COLORTERM", None)
        self.env.pop("TUI_DESK_PILOT", None)
        self.env.pop("TUI_DESK_STRICT_ERRORS", None)

    def template(self) -> Path:
        self.count += 1
        path = self.tmp / f"demo-{self.count}.sqlite3"
        shutil.copyfile(self.seeded, path)
        return path

    def start(self, template: Path | None = None) -> tuple[PtyProgram, Path]:
        """tui-desk --demo on its own template; returns when the first screen is quiet, with
        the path of the trainee's database it works in."""
        template = template or self.template()
        prog = PtyProgram([sys.executable, "-m", "tui_desk", "--demo", "--db", str(template),
                           "--today", self.today], self.env)
        if prog.wait_for(MAIN, 120) is None:
            prog.stop()
            raise SystemExit("tui-desk: first screen not seen")
        return prog, sandbox_of(template)


def sandbox_of(template: Path) -> Path:
    from tui_desk.config import DEFAULT_SHARED_LOGINS
    from tui_desk.services.desk import trainee_key
    from tui_desk.store.sandbox import sandbox_path

    return sandbox_path(template, trainee_key("bench", DEFAULT_SHARED_LOGINS))


def bare(env: dict[str, str], styled: bool = True) -> PtyProgram:
    argv = [sys.executable, str(HERE / "bare_input_app.py")] + (["--styled"] if styled else [])
    prog = PtyProgram(argv, env)
    if prog.wait_for(b"BARE-INPUT-READY", 60) is None:
        raise SystemExit("bare input app: first screen not seen")
    prog.drain(quiet=0.3, limit=5)
    return prog


def stop_desk(prog: PtyProgram) -> None:
    prog.stop(keys=(b"\x1b[24~", b"\x1b[24~"))


# -- measuring keys -------------------------------------------------------------------------------
def key(prog: PtyProgram, data: bytes, gap: float = GAP) -> float:
    """Send one key; seconds until the program's first byte in answer (nan: none within 5 s).
    Then read its whole answer and keep to the typing pace."""
    started = time.perf_counter()
    before = len(prog.output)
    prog.write(data)
    latency = float("nan")
    deadline = started + 5
    while time.perf_counter() < deadline:
        if prog.read(0.5) or len(prog.output) > before:
            latency = time.perf_counter() - started
            break
    prog.drain(quiet=QUIET, limit=2)
    rest = gap - (time.perf_counter() - started)
    if rest > 0:
        prog.read(rest)  # whatever comes meanwhile is read, not left in the pty
        rest = gap - (time.perf_counter() - started)
        if rest > 0:
            time.sleep(rest)
    return latency


def type_text(prog: PtyProgram, text: str, gap: float = GAP) -> list[float]:
    return [key(prog, ch.encode(), gap) for ch in text]


def press(prog: PtyProgram, *keys: bytes, gap: float = GAP) -> None:
    for k in keys:
        key(prog, k, gap)


def wait(prog: PtyProgram, marker: bytes, start: int, timeout: float = 30) -> float:
    found = prog.wait_for(marker, timeout, start=start)
    if found is None:
        tail = bytes(prog.output[-2000:]).decode("utf-8", "replace")
        raise SystemExit(f"tui-desk: {marker!r} not seen; last output: {tail!r}")
    return found


def to_step_1(prog: PtyProgram) -> None:
    mark = len(prog.output)
    prog.write(CTRL_N)
    wait(prog, STEP_1, mark)
    prog.drain(quiet=0.3, limit=5)


def to_achternaam(prog: PtyProgram) -> None:
    to_step_1(prog)
    for _ in range(3):  # Klantnummer -> Voorletters -> Voorvoegsel -> Achternaam
        key(prog, TAB)
    prog.drain(quiet=0.3, limit=3)


# -- parts ----------------------------------------------------------------------------------------
def part_echo(desk: Desk, runs: int, gap: float) -> dict:
    d_lat, b_lat, d_cpu, b_cpu = [], [], [], []
    for _ in range(runs):
        prog = bare(desk.env)
        try:
            c = prog.cpu_seconds()
            b_lat += type_text(prog, TEXT, gap)
            b_cpu.append((prog.cpu_seconds() - c) / len(TEXT))
        finally:
            prog.stop(keys=(b"\x11",))
        prog, _db = desk.start()
        try:
            to_achternaam(prog)
            c = prog.cpu_seconds()
            d_lat += type_text(prog, TEXT, gap)
            d_cpu.append((prog.cpu_seconds() - c) / len(TEXT))
        finally:
            stop_desk(prog)
    return {
        "text": TEXT, "runs": runs, "gap_s": gap,
        "desk_p50_ms": median(d_lat) * 1000, "desk_p95_ms": percentile(d_lat, 95) * 1000,
        "bare_p50_ms": median(b_lat) * 1000, "bare_p95_ms": percentile(b_lat, 95) * 1000,
        "ratio_p50": median(d_lat) / median(b_lat),
        "desk_cpu_ms_per_key": median(d_cpu) * 1000, "bare_cpu_ms_per_key": median(b_cpu) * 1000,
        "desk_ms": [x * 1000 for x in d_lat], "bare_ms": [x * 1000 for x in b_lat],
    }


def registration(prog: PtyProgram, gap: float, surname: str) -> None:
    """The manual's example, key by key (tests/terminal/test_registration_terminal.py)."""
    to_step_1(prog)
    mark = len(prog.output)
    press(prog, b"V", ENTER, gap=gap)
    wait(prog, b"Nieuw pasnummer uitgegeven", mark)
    for text in ("A", "van der", surname, "", "1 januari 1991", ""):
        type_text(prog, text, gap)
        key(prog, ENTER, gap)
    type_text(prog, "9468 BG", gap)
    key(prog, ENTER, gap)
    mark = len(prog.output)
    type_text(prog, "41", gap)
    key(prog, ENTER, gap)
    wait(prog, "✓ postcodetabel".encode(), mark)
    key(prog, ENTER, gap)                            # Toevoeging
    key(prog, b"v", gap)                             # Persoon: Vrouw
    press(prog, ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, ENTER, gap=gap)
    # (Persoon, Telefoon, SMS, Incasso, IBAN, Legitimatie, Inlogaccount: Ja)
    email = f"{surname.lower()}@example.nl"
    mark = len(prog.output)
    type_text(prog, email, gap)
    wait(prog, email.encode(), mark)
    mark = len(prog.output)
    key(prog, F10, gap)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        text = bytes(prog.output[mark:])
        if b"Inlogaccount (stap 2)" in text:
            break
        if b"Mogelijk dubbele klant" in text:
            mark = len(prog.output)
            key(prog, F10, gap)                      # toch nieuwe klant
            continue
        prog.read(0.05)
    else:
        raise SystemExit("registration: step 2 not reached")
    mark = len(prog.output)
    key(prog, F10, gap)                              # Nieuw inlogaccount genereren
    wait(prog, b"Opbouw abonnementskosten", mark)
    prog.drain(quiet=0.3, limit=5)
    mark = len(prog.output)
    press(prog, ENTER, F10, gap=gap)
    wait(prog, b"Genereren van inlogaccount gelukt", mark)
    prog.drain(quiet=0.3, limit=5)


def surname(n: int) -> str:
    """A surname no demo customer has (letters only: a digit is refused)."""
    return "Bench" + "".join("abcdefghij"[int(d)] for d in str(n))


def part_registration(desk: Desk, runs: int, gap: float) -> dict:
    cpu, wall = [], []
    for n in range(runs):
        prog, db = desk.start()
        try:
            prog.drain(quiet=0.5, limit=10)
            c, t = prog.cpu_seconds(), time.perf_counter()
            registration(prog, gap, surname(n))
            cpu.append(prog.cpu_seconds() - c)
            wall.append(time.perf_counter() - t)
        finally:
            stop_desk(prog)
        conn = sqlite3.connect(db)
        saved = conn.execute("SELECT count(*) FROM customers WHERE surname = ?",
                             (surname(n),)).fetchone()[0]
        conn.close()
        if saved != 1:
            raise SystemExit(f"registration {n}: customer not saved ({saved})")
    return {"runs": runs, "gap_s": gap, "cpu_s": cpu, "cpu_median_s": median(cpu),
            "wall_median_s": median(wall)}


def part_ready(desk: Desk, runs: int) -> dict:
    out: dict[str, list[float]] = {"ctrl_n_cold": [], "ctrl_n_warm": [], "alt_z_cold": [],
                                   "alt_z_warm": [], "bare_first_key": [], "ctrl_n_after_2s": []}
    cpu: dict[str, list[float]] = {"ctrl_n_cold": [], "ctrl_n_warm": [], "alt_z_cold": [],
                                   "alt_z_warm": [], "ctrl_n_after_2s": []}

    def timed(prog: PtyProgram, data: bytes, marker: bytes, name: str) -> float:
        mark = len(prog.output)
        c = prog.cpu_seconds()
        t = time.perf_counter()
        prog.write(data)
        wait(prog, marker, mark)
        took = time.perf_counter() - t
        # CPU of the program until the screen is seen (all threads: a cold start's warm-up
        # thread included): the wall-clock figure grows with the machine's load.
        cpu[name].append(prog.cpu_seconds() - c)
        prog.drain(quiet=0.3, limit=5)
        return took

    for _ in range(runs):
        # The reference: a bare Input's echo of a key pressed as its first screen appears.
        prog = PtyProgram([sys.executable, str(HERE / "bare_input_app.py"), "--styled"],
                          desk.env)
        try:
            prog.wait_for(b"BARE-INPUT-READY", 60)
            mark = len(prog.output)
            t = time.perf_counter()
            prog.write(b"Q")
            wait(prog, b"Q", mark)
            out["bare_first_key"].append(time.perf_counter() - t)
        finally:
            prog.stop(keys=(b"\x11",))
        for data, marker, name in ((CTRL_N, STEP_1, "ctrl_n"), (ALT_Z, SEARCH_READY, "alt_z")):
            prog, _db = desk.start()
            try:
                out[f"{name}_cold"].append(timed(prog, data, marker, f"{name}_cold"))
                press(prog, ESC)
                wait(prog, MAIN, len(prog.output) - 20000 if len(prog.output) > 20000 else 0)
                prog.drain(quiet=0.5, limit=5)
                out[f"{name}_warm"].append(timed(prog, data, marker, f"{name}_warm"))
            finally:
                stop_desk(prog)
        # The session's first Ctrl+N 2 s after its first screen (the clerk reads it first):
        # what loading the registration while idle after start-up is for.
        prog, _db = desk.start()
        try:
            time.sleep(2.0)
            prog.drain(quiet=0.3, limit=5)
            out["ctrl_n_after_2s"].append(timed(prog, CTRL_N, STEP_1, "ctrl_n_after_2s"))
        finally:
            stop_desk(prog)
    return {"runs": runs, **{f"{k}_ms": [x * 1000 for x in v] for k, v in out.items()},
            **{f"{k}_median_ms": median(v) * 1000 for k, v in out.items()},
            **{f"{k}_cpu_median_ms": median(v) * 1000 for k, v in cpu.items()}}


def part_idle(desk: Desk, seconds: float) -> dict:
    def idle(prog: PtyProgram) -> float:
        prog.drain(quiet=1.0, limit=10)
        c, t = prog.cpu_seconds(), time.perf_counter()
        end = t + seconds
        while time.perf_counter() < end:
            prog.read(0.5)
        return (prog.cpu_seconds() - c) / (time.perf_counter() - t) * 100

    prog, _db = desk.start()
    try:
        to_achternaam(prog)
        desk_pct = idle(prog)
    finally:
        stop_desk(prog)
    result = {"seconds": seconds, "desk_percent": desk_pct}
    for name, styled in (("bare_styled_percent", True), ("bare_default_blinking_percent", False)):
        prog = bare(desk.env, styled)
        try:
            result[name] = idle(prog)
        finally:
            prog.stop(keys=(b"\x11",))
    return result


def part_search(desk: Desk, runs: int) -> dict:
    import build_db

    template = build_db.ensure(1_000_000)
    conn = sqlite3.connect(template)
    customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    conn.close()
    queries = ["Jans", "Bakk", "Vries", "Smit", "Boer", "Meij"]
    first, complete, cpu_first, cpu_complete = [], [], [], []
    sandbox = sandbox_of(template)
    for p in (sandbox, Path(f"{sandbox}-wal"), Path(f"{sandbox}-shm")):
        p.unlink(missing_ok=True)
    prog, _db = desk.start(template)  # makes the trainee's copy of the big database
    try:
        prog.drain(quiet=0.5, limit=120)
        for _run in range(runs):
            for q in queries:
                mark = len(prog.output)
                prog.write(ALT_Z)
                wait(prog, SEARCH_READY, mark)
                prog.drain(quiet=0.3, limit=5)
                type_text(prog, q, 0.05)
                prog.drain(quiet=0.3, limit=5)
                mark = len(prog.output)
                c = prog.cpu_seconds()
                t = time.perf_counter()
                prog.write(ENTER)
                while b"gevonden" not in prog.output[mark:]:
                    if time.perf_counter() - t > 30:
                        raise SystemExit(f"search {q!r}: no list")
                    prog.read(0.5)
                first.append(time.perf_counter() - t)
                cpu_first.append(prog.cpu_seconds() - c)
                last = time.perf_counter()
                while time.perf_counter() - last < 0.15:  # until the list stops changing
                    if prog.read(0.02):
                        last = time.perf_counter()
                complete.append(last - t)
                cpu_complete.append(prog.cpu_seconds() - c)
                press(prog, ESC)
                prog.drain(quiet=0.3, limit=5)
    finally:
        stop_desk(prog)
        for p in (sandbox, Path(f"{sandbox}-wal"), Path(f"{sandbox}-shm")):
            p.unlink(missing_ok=True)
    return {"customers": customers, "queries": queries, "runs": runs,
            "first_screenful_p50_ms": median(first) * 1000,
            "first_screenful_p95_ms": percentile(first, 95) * 1000,
            "complete_p50_ms": median(complete) * 1000,
            "complete_p95_ms": percentile(complete, 95) * 1000,
            # CPU of the program (all threads), Enter until the first screenful is read from
            # the pty / until the list is complete: the wall-clock figures grow with the load.
            "cpu_first_screenful_p50_ms": median(cpu_first) * 1000,
            "cpu_complete_p50_ms": median(cpu_complete) * 1000}


def part_lock(desk: Desk, hold: float) -> dict:
    prog, db = desk.start()
    try:
        to_achternaam(prog)
        type_text(prog, "Ab", GAP)
        prog.drain(quiet=1.5, limit=5)  # its draft saved
        conn = sqlite3.connect(db, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        mark = len(prog.output)
        started = time.perf_counter()
        during: list[float] = []
        n = 0
        while time.perf_counter() - started < hold:
            n += 1
            data = TAB if n % 8 == 0 else b"x"  # leaving a field saves the draft
            during.append(key(prog, data, 0.05))
        shown = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", bytes(prog.output[mark:]))
        waiting_shown = b"andere balie schrijft" in shown
        conn.execute("COMMIT")
        conn.close()
        after = type_text(prog, "yz", GAP)
        prog.drain(quiet=1.5, limit=10)
    finally:
        stop_desk(prog)
    return {"hold_s": hold, "keys": len(during),
            "longest_stall_ms": max(during + after) * 1000,
            "p50_ms": median(during) * 1000, "p99_ms": percentile(during, 99) * 1000,
            "busy_line_shown": waiting_shown, "ms": [x * 1000 for x in during]}


def _registering(index: int, path: str, stop, ready) -> None:
    """A counter that registers customers without pause until ``stop`` is set."""
    sys.path.insert(0, str(HERE))
    import registrations as reg

    service, rng = reg.counter_service(path, index)
    ready.release()
    n = 0
    while not stop.is_set():
        n += 1
        try:
            reg.register_one(service, reg.person(rng, f"load{index}.{n}"))
        except Exception:  # a busy database is part of the load
            pass


def part_load(desk: Desk, counters: int, chars: int) -> dict:
    text = (TEXT * 10)[:chars]
    prog, db = desk.start()
    try:
        to_achternaam(prog)
        idle = type_text(prog, text, GAP)
        for _ in range(len(text)):
            key(prog, b"\x7f", 0.05)  # Backspace: the field empty again
        prog.drain(quiet=1.5, limit=5)
        conn = sqlite3.connect(db)
        before = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
        conn.close()
        ctx = mp.get_context("spawn")
        stop, ready = ctx.Event(), ctx.Semaphore(0)
        procs = [ctx.Process(target=_registering, args=(i, str(db), stop, ready))
                 for i in range(counters)]
        for p in procs:
            p.start()
        for _ in procs:
            ready.acquire(timeout=300)
        time.sleep(1.0)
        loaded = type_text(prog, text, GAP)
        stop.set()
        for p in procs:
            p.join(timeout=120)
        conn = sqlite3.connect(db)
        registered = conn.execute("SELECT count(*) FROM customers").fetchone()[0] - before
        conn.close()
    finally:
        stop_desk(prog)
    return {"counters": counters, "keys": len(text),
            "idle_p50_ms": median(idle) * 1000, "idle_p99_ms": percentile(idle, 99) * 1000,
            "loaded_p50_ms": median(loaded) * 1000,
            "loaded_p99_ms": percentile(loaded, 99) * 1000,
            "ratio_p99": percentile(loaded, 99) / percentile(idle, 99),
            "registered_meanwhile": registered,
            "idle_ms": [x * 1000 for x in idle], "loaded_ms": [x * 1000 for x in loaded]}


# -- report ---------------------------------------------------------------------------------------
def capacity(out: dict) -> dict | None:
    """Clerks per core at a human pace: a registration's CPU over the time it takes a clerk
    (the customer at the desk included: ``MINUTES_PER_REGISTRATION``), plus an idle session."""
    reg, idle = out.get("registration"), out.get("idle")
    if not reg:
        return None
    per_registration = reg["cpu_median_s"]
    seconds = MINUTES_PER_REGISTRATION * 60
    busy = per_registration / seconds + (idle["desk_percent"] / 100 if idle else 0.0)
    return {"minutes_per_registration": MINUTES_PER_REGISTRATION,
            "core_share_per_clerk": busy, "clerks_per_core": 1 / busy if busy else None}


# A registration at the desk takes a few minutes with the customer (ID, questions, card):
# the manual's procedure, unhurried. The pace of the CPU figure is the typing alone.
MINUTES_PER_REGISTRATION = 3.0


def report(out: dict) -> str:
    found = rows(out)
    c = capacity(out)
    text = table(["figure", "tui-desk", "reference", "ratio", "target", "met"], found)
    if c:
        text += (f"\ncapacity: {c['clerks_per_core']:.0f} clerks per core, each registering "
                 f"one customer every {c['minutes_per_registration']:.0f} minutes "
                 f"({c['core_share_per_clerk'] * 100:.2f} % of a core per clerk)")
    return text


def rows(out: dict) -> list[list[object]]:
    """The figures against their targets: figure, tui-desk, reference, ratio, target, met."""
    rows: list[list[object]] = []
    e = out.get("echo")
    if e:
        rows.append(["echo p50 / p95", f"{e['desk_p50_ms']:.1f} / {e['desk_p95_ms']:.1f} ms",
                     f"{e['bare_p50_ms']:.1f} / {e['bare_p95_ms']:.1f} ms (styled bare Input)",
                     f"{e['ratio_p50']:.2f}x", *at_most(e["ratio_p50"], 1.3, "x")])
        rows.append(["CPU per key", f"{e['desk_cpu_ms_per_key']:.1f} ms",
                     f"{e['bare_cpu_ms_per_key']:.1f} ms",
                     f"{e['desk_cpu_ms_per_key'] / e['bare_cpu_ms_per_key']:.2f}x", "", ""])
    g = out.get("registration")
    if g:
        rows.append(["CPU per registration", f"{g['cpu_median_s']:.2f} s", "", "",
                     *at_most(g["cpu_median_s"], 1.0, " s")])
    r = out.get("ready")
    if r:
        for name, label, target in (("ctrl_n", "Ctrl+N -> step 1", 150),
                                    ("alt_z", "Alt+Z -> Zoek klant", 100)):
            warm, cold = r[f"{name}_warm_median_ms"], r[f"{name}_cold_median_ms"]
            cpu_warm = r.get(f"{name}_warm_cpu_median_ms", float("nan"))
            cpu_cold = r.get(f"{name}_cold_cpu_median_ms", float("nan"))
            rows.append([f"{label} warm / cold",
                         f"{warm:.0f} / {cold:.0f} ms (CPU {cpu_warm:.0f} / {cpu_cold:.0f} ms)",
                         f"{r['bare_first_key_median_ms']:.0f} ms (bare: first key)", "",
                         *at_most(warm, target, " ms warm")])
    if r and r.get("ctrl_n_after_2s_median_ms") is not None:
        rows.append(["Ctrl+N 2 s after start (first of the session)",
                     f"{r['ctrl_n_after_2s_median_ms']:.0f} ms (CPU "
                     f"{r['ctrl_n_after_2s_cpu_median_ms']:.0f} ms)", "", "", "", ""])
    i = out.get("idle")
    if i:
        rows.append(["idle CPU per session", f"{i['desk_percent']:.3f} %",
                     f"{i['bare_styled_percent']:.3f} % (styled) / "
                     f"{i['bare_default_blinking_percent']:.3f} % (blinking)", "",
                     *at_most(i["desk_percent"], 0.1, " %")])
    s = out.get("search")
    if s:
        rows.append([f"Enter -> first screenful, {s['customers']:,} customers (p50 / p95)",
                     f"{s['first_screenful_p50_ms']:.0f} / {s['first_screenful_p95_ms']:.0f} ms",
                     f"all rows {s['complete_p50_ms']:.0f} ms; CPU "
                     f"{s.get('cpu_first_screenful_p50_ms', float('nan')):.0f} / "
                     f"{s.get('cpu_complete_p50_ms', float('nan')):.0f} ms", "",
                     *at_most(s["first_screenful_p50_ms"], 30, " ms")])
    k = out.get("lock")
    if k:
        rows.append([f"longest stall, lock held {k['hold_s']:.0f} s",
                     f"{k['longest_stall_ms']:.0f} ms", f"echo p50 {k['p50_ms']:.1f} ms", "",
                     *at_most(k["longest_stall_ms"], 100, " ms")])
    lo = out.get("load")
    if lo:
        rows.append([f"echo p99 with {lo['counters']} counters registering",
                     f"{lo['loaded_p99_ms']:.1f} ms", f"idle {lo['idle_p99_ms']:.1f} ms",
                     f"{lo['ratio_p99']:.2f}x", *at_most(lo["ratio_p99"], 2, "x")])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gap", type=float, default=GAP, help="seconds between keys")
    ap.add_argument("--idle", type=float, default=30.0, help="seconds of idle measured")
    ap.add_argument("--counters", type=int, default=20)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    out: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="tui-desk-bench-"))
    try:
        desk = Desk(tmp)
        for part in a.parts:
            started = time.perf_counter()
            if part == "echo":
                out["echo"] = part_echo(desk, a.runs, a.gap)
            elif part == "registration":
                out["registration"] = part_registration(desk, a.runs, a.gap)
            elif part == "ready":
                out["ready"] = part_ready(desk, a.runs)
            elif part == "idle":
                out["idle"] = part_idle(desk, a.idle)
            elif part == "search":
                out["search"] = part_search(desk, a.runs)
            elif part == "lock":
                out["lock"] = part_lock(desk, 5.0)
            elif part == "load":
                out["load"] = part_load(desk, a.counters, 40)
            print(f"  {part}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["capacity"] = capacity(out)
    return publish("desk", "The desk in a pty (80x24), key by key", out, report(out), a.json)


if __name__ == "__main__":
    raise SystemExit(main())
