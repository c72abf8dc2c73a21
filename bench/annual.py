"""Benchmark: `kpibook annual` for N employees x 4 quarters, against the floor.

    .venv/bin/python bench/annual.py --n 10000

Writes four quarter summaries of N employees with kpibook's own summary writer (signed as
consolidate signs them; 2% join in Q2, 2% leave in Q3, 1% have a Q4 workbook not returned),
and a pay roster (bonus_base, hired, left), then measures:

  floor    kpibook.summary_read.read_summary on the four summaries: reading and verifying
           them (the digest and the HMAC) is what any use of the quarters must do first.
  annual   kpibook.annual.annual end to end: the same four reads, the roster, the year's rows,
           YEAR.xlsx (live formulas, totals, trend with its chart, audit sheet, signature) and
           finance's CSV with its control file.
  audit    kpibook.year_audit.year_findings on the YEAR.xlsx written (for reference).

Prints wall and CPU seconds and the ratio annual / floor.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpibook.annual import annual  # noqa: E402
from kpibook.fingerprint import load_key  # noqa: E402
from kpibook.resources import bundled_spec_path  # noqa: E402
from kpibook.spec import load_spec  # noqa: E402
from kpibook.summary_read import read_summary  # noqa: E402
from kpibook.year_audit import year_findings  # noqa: E402
from tests.year_cases import random_people, write_quarter  # noqa: E402


def build(folder: Path, n: int) -> tuple[list[Path], Path]:
    spec, key = load_spec(bundled_spec_path()), load_key()
    people = random_people(n, 2026, spec)
    rng = random.Random(13)
    hires = {p["employee_id"] for p in people if rng.random() < 0.02}
    leavers = {p["employee_id"] for p in people if rng.random() < 0.02} - hires
    lost = {p["employee_id"] for p in people if rng.random() < 0.01}
    summaries = []
    for index, period in enumerate(("2026Q1", "2026Q2", "2026Q3", "2026Q4")):
        rows = []
        for p in people:
            eid = p["employee_id"]
            if (index == 0 and eid in hires) or (index == 3 and eid in leavers):
                continue
            score = round(min(118.0, max(30.0, float(p["total_score"]) + rng.uniform(-8, 8))), 2)  # type: ignore[arg-type]
            status = "missing" if index == 3 and eid in lost else "ok"
            rows.append({**p, "total_score": score if status == "ok" else None, "status": status})
        summaries.append(write_quarter(folder / f"summary_{period}.xlsx", period, rows, spec, key))
    roster = folder / "pay_roster.csv"
    lines = ["employee_id,bonus_base,hired,left"]
    for p in people:
        eid = str(p["employee_id"])
        hired = "2026-05-04" if eid in hires else "2023-01-01"
        left = "2026-08-20" if eid in leavers else ""
        lines.append(f"{eid},{20000 + rng.randrange(0, 40000, 100)},{hired},{left}")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return summaries, roster


def timed(label: str, action) -> float:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {label:8} {wall:7.2f} s wall  {cpu:7.2f} s CPU")
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="employees (default 10000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpibench-year-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        summaries, roster = build(folder, args.n)
        print(f"{args.n} employees x 4 quarters: summaries built in {time.perf_counter() - started:.1f} s")
        key = load_key()
        floor = timed("floor", lambda: [read_summary(s, key) for s in summaries])
        out = folder / "YEAR.xlsx"
        year = timed("annual", lambda: annual(summaries, out, csv=folder / "payout.csv", roster=roster))
        timed("audit", lambda: year_findings(out, key))
        print(f"  YEAR.xlsx {out.stat().st_size / 1e6:.1f} MB; annual / floor = {year / floor:.2f} (CPU)")


if __name__ == "__main__":
    main()
