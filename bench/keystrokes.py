"""Bytes per keystroke: what the program writes to the terminal for each character typed into
a form field, in a pty of 80x24, against a bare Textual app with one Input.

tui-desk --demo is started, Ctrl+N opens step 1 of the registration (Klantgegevens), Tab three
times moves to Achternaam, and a surname is typed one character at a time. After each
character the bench reads until the program has been quiet for 150 ms; the next character
follows at once, well within the input cursor's 0.5 s blink (every key restarts the blink, so
no blink frame falls inside a measurement). The bare app (``bare_input_app.py``) gets the same
characters in its one Input. Both run with TERM=xterm-256color, once with Textual's colour
system as it detects it (256 colours) and once with TEXTUAL_COLOR_SYSTEM=standard, the
setting the README recommends for 16-colour thin terminals.

Also reported: the bytes of the first frame, and of opening step 1.

    python bench/keystrokes.py [--text Vermeulen-Jansen] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HERE, PtyProgram, child_env, median, table, write_json  # noqa: E402

QUIET = 0.15
TEXT = "Vermeulen-Jansen"
TODAY = dt.date(2026, 11, 28)


def _type(prog: PtyProgram, text: str) -> list[int]:
    sizes = []
    for ch in text:
        before = len(prog.output)
        prog.write(ch.encode())
        prog.drain(quiet=QUIET, limit=0.45)
        sizes.append(len(prog.output) - before)
    return sizes


def desk_run(env: dict[str, str], db: Path, text: str) -> dict:
    prog = PtyProgram([sys.executable, "-m", "tui_desk", "--demo", "--db", str(db)], env)
    try:
        if prog.wait_for(b"Zoek klant", 60) is None:
            raise SystemExit("tui-desk: first screen not seen")
        prog.drain(quiet=0.3, limit=5)
        first = len(prog.output)
        mark = len(prog.output)
        prog.write(b"\x0e")  # Ctrl+N (Wise: Ctrl+Alt+N)
        if prog.wait_for(b"Klantgegevens (stap 1)", 30, start=mark) is None:
            raise SystemExit("tui-desk: step 1 not seen")
        prog.drain(quiet=0.3, limit=5)
        open_step = len(prog.output) - mark
        for _ in range(3):  # Klantnummer -> Voorletters -> Voorvoegsel -> Achternaam
            prog.write(b"\t")
            prog.drain(quiet=0.3, limit=2)
        prog.drain(quiet=0.3, limit=3)
        sizes = _type(prog, text)
    finally:
        prog.stop(keys=(b"\x1b[24~", b"\x1b[24~"))
    # The draft proves where the characters went (every change is saved at once).
    import json
    import sqlite3

    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT data FROM registration_drafts ORDER BY id DESC LIMIT 1").fetchall()
    conn.close()
    surname = json.loads(rows[0][0])["values"].get("achternaam") if rows else None
    if surname != text:
        raise SystemExit(f"tui-desk: typed {text!r}, Achternaam holds {surname!r}")
    return {"first_frame": first, "open_step_1": open_step, "per_char": sizes}


def bare_run(env: dict[str, str], text: str) -> dict:
    prog = PtyProgram([sys.executable, str(HERE / "bare_input_app.py")], env)
    try:
        if prog.wait_for(b"BARE-INPUT-READY", 60) is None:
            raise SystemExit("bare input app: first screen not seen")
        prog.drain(quiet=0.3, limit=5)
        first = len(prog.output)
        sizes = _type(prog, text)
    finally:
        prog.stop(keys=(b"\x11",))
    return {"first_frame": first, "per_char": sizes}


def measure(text: str, runs: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="tui-desk-bench-"))
    try:
        return _measure(tmp, text, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(tmp: Path, text: str, runs: int) -> dict:
    from tui_desk.config import demo_config
    from tui_desk.store.demo import ensure_demo

    seeded = tmp / "seeded.sqlite3"
    ensure_demo(seeded, demo_config(), TODAY).close()
    copies = 0
    out: dict = {"text": text, "runs": runs, "colour_systems": {}}
    for label, extra in (("256 colours (detected)", {}),
                         ("standard (16 colours)", {"TEXTUAL_COLOR_SYSTEM": "standard"})):
        env = child_env(tmp, **extra)
        env.pop("COLORTERM", None)
        desk_sizes, bare_sizes, desk_first, bare_first, opens = [], [], [], [], []
        for _ in range(runs):
            b = bare_run(env, text)
            # A fresh copy each time: a run leaves its draft open, and the next start would
            # offer to resume it.
            copies += 1
            db = tmp / f"demo-{copies}.sqlite3"
            shutil.copyfile(seeded, db)
            d = desk_run(env, db, text)
            bare_sizes += b["per_char"]
            desk_sizes += d["per_char"]
            bare_first.append(b["first_frame"])
            desk_first.append(d["first_frame"])
            opens.append(d["open_step_1"])
        out["colour_systems"][label] = {
            "desk_bytes_per_char_median": median(desk_sizes),
            "bare_bytes_per_char_median": median(bare_sizes),
            "ratio": median(desk_sizes) / median(bare_sizes),
            "desk_bytes_per_char_max": max(desk_sizes),
            "bare_bytes_per_char_max": max(bare_sizes),
            "desk_first_frame_bytes": median(desk_first),
            "bare_first_frame_bytes": median(bare_first),
            "desk_open_step_1_bytes": median(opens),
            "desk_per_char": desk_sizes, "bare_per_char": bare_sizes,
        }
    return out


def report(out: dict) -> str:
    rows = []
    for label, r in out["colour_systems"].items():
        rows.append([label, r["bare_bytes_per_char_median"], r["desk_bytes_per_char_median"],
                     f"{r['ratio']:.2f}x", r["desk_bytes_per_char_max"],
                     r["bare_first_frame_bytes"], r["desk_first_frame_bytes"],
                     r["desk_open_step_1_bytes"]])
    return (table(["colour system", "bare B/char", "tui-desk B/char", "ratio",
                   "tui-desk max", "bare 1st frame B", "tui-desk 1st frame B",
                   "open step 1 B"], rows)
            + f"\nmedian over {len(out['text'])} characters x {out['runs']} runs "
              f"('{out['text']}' typed into Achternaam / the bare Input), pty 80x24")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", default=TEXT)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    out = measure(a.text, a.runs)
    print("Bytes per keystroke (pty 80x24)")
    print(report(out))
    print(f"-> {write_json('keystrokes', out, a.json)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
