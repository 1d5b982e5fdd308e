"""The headline figures of the last run of each part (bench/results/*.json), against the targets.

    python bench/summary.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, at_most, machine, table, write_json


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def rows() -> list[list[object]]:
    out: list[list[object]] = []
    s = _load("startup")
    if s:
        d, b, r = s["programs"]["tui-desk --demo"], s["programs"]["bare textual app"], s["ratio"]
        out.append(["start-up to first screen", f"{d['startup_median_s'] * 1000:.0f} ms",
                    f"{b['startup_median_s'] * 1000:.0f} ms (bare app)", f"{r['startup']:.2f}x",
                    *at_most(r["startup"], 1.3, "x")])
        out.append(["peak memory (RSS)", f"{d['peak_rss_mib']:.1f} MiB",
                    f"{b['peak_rss_mib']:.1f} MiB (bare app)", f"{r['memory']:.2f}x",
                    *at_most(r["memory"], 1.5, "x")])
    sb = _load("sandbox")
    if sb:
        first = sb["parts"]["first start (open_sandbox)"]
        copy = sb["parts"]["copy_template"]
        out.append(["new trainee sandbox (first start)", f"{first['median_ms']:.0f} ms",
                    f"{sb['parts']['shutil.copyfile (reference)']['median_ms']:.1f} ms "
                    "(file copy)", f"{sb['ratio_copy_to_file']:.1f}x (copy only, "
                    f"{copy['median_ms']:.0f} ms)", "< 1 s",
                    "yes" if first["p95_ms"] < 1000 else "NO"])
    q = _load("search")
    if q:
        for kind, k in q["kinds"].items():
            extra = kind not in ("card", "surname prefix", "postcode + house number",
                                 "birth date")
            ok = k["program_p95_ms"] <= 20 and k["ratio_p95"] <= 1.5
            out.append([f"search p95, {kind}" + (" (extra)" if extra else ""),
                        f"{k['program_p95_ms']:.2f} ms", f"{k['direct_p95_ms']:.2f} ms (sqlite3)",
                        f"{k['ratio_p95']:.2f}x", "<= 20 ms, <= 1.5x",
                        "-" if extra else ("yes" if ok else "NO")])
    g = _load("registrations")
    if g:
        out.append(["registrations, service", f"{g['service']['per_second']:.0f} /s", "", "", "",
                    ""])
        out.append(["registration, screens (Pilot)", f"{g['pilot']['seconds']:.2f} s", "", "",
                    "", "yes" if g["pilot"]["completed"] else "NO"])
    c = _load("counters")
    if c:
        for r in c["runs"]:
            out.append([f"{r['counters']} counters: commit p50 / p99",
                        f"{r['commit_p50_ms']:.1f} / {r['commit_p99_ms']:.1f} ms", "", "",
                        "no errors", "yes" if r["errors"] == 0 else f"NO ({r['errors']})"])
    d = _load("desk")
    if d:
        import desk

        out.extend(desk.rows(d))
        c = desk.capacity(d)
        if c:
            out.append(["server capacity, clerks per core", f"{c['clerks_per_core']:.0f}",
                        f"one registration every {c['minutes_per_registration']:.0f} min", "",
                        "", ""])
    return out


def main() -> int:
    found = rows()
    m = machine()
    print(f"Summary ({m['cpu']}, {m['cores']} cores, Python {m['python']}, "
          f"Textual {m['textual']}, SQLite {m['sqlite']})")
    print(table(["figure", "tui-desk", "reference", "ratio", "target", "met"], found))
    write_json("summary", {"rows": found})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
