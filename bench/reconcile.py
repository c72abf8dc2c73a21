"""Benchmark: `kpibook generate` reconciling a folder of N issued workbooks where 5% changed.

    .venv/bin/python bench/reconcile.py --n 10000
    .venv/bin/python bench/reconcile.py --n 10000 --dir /tmp/kpireconcile   # keep the files

Issues N workbooks (a roster over the bundled spec's four roles), fills 1% of them in place
(a manager typing into the copy on the shared drive), then changes 5% of the roster: half get
a new target, half a new manager (a carried or blank reissue each). Measures:

  dry run     generate --dry-run: read the ledger, compare roster and spec with it, look into
              the changed workbooks for entries. Nothing is written.
  reconcile   generate: the same plan, carried out (old files moved aside, new issues written,
              entries carried, the ledger rewritten).
  floor       generating only the changed employees' workbooks into an empty folder: the
              writing any reconcile has to do.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpibook.fill import fill_workbook, manager_actuals  # noqa: E402
from kpibook.generate import generate  # noqa: E402
from kpibook.manifest import MANIFEST, read_manifest  # noqa: E402
from kpibook.read import read_workbook  # noqa: E402
from kpibook.spec import Spec, load_spec  # noqa: E402

PERIOD = "2026Q4"
CHANGED = 0.05
FILLED = 0.01


def roster_rows(spec: Spec, n: int) -> list[dict[str, str]]:
    managers = [f"经理{i:03d}" for i in range(max(1, n // 8))]
    rows = []
    for i in range(n):
        role = spec.roles[i % len(spec.roles)]
        rows.append(
            {
                "employee_id": f"E{i:06d}",
                "name": f"员工{i}",
                "role": role.id,
                "department": f"市场销售部/组{i % 17:02d}",
                "manager": managers[i % len(managers)],
                "target": "",
            }
        )
    return rows


def write_roster(path: Path, spec: Spec, rows: list[dict[str, str]]) -> Path:
    """The roster CSV; a row's "target" (if any) overrides the first KPI of its role."""
    kpi_of = {r.id: r.kpis[0].id for r in spec.roles}
    columns = ["employee_id", "name", "role", "department", "manager"] + [f"target.{k}" for k in kpi_of.values()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            targets = {f"target.{kpi_of[row['role']]}": row["target"]}
            writer.writerow([row[c] for c in columns[:5]] + [targets.get(c, "") for c in columns[5:]])
    return path


def change(spec: Spec, rows: list[dict[str, str]], rng: random.Random) -> list[int]:
    """5% of the rows changed: even picks a new target, odd a new manager. Returns their indexes."""
    picked = sorted(rng.sample(range(len(rows)), int(len(rows) * CHANGED)))
    managers = sorted({r["manager"] for r in rows})
    for k, i in enumerate(picked):
        row = rows[i]
        if k % 2 == 0:
            default = spec.role(row["role"]).kpis[0].target
            row["target"] = repr(float(default) * 0.9)  # lower: stays within every KPI's bounds
        else:
            row["manager"] = managers[(managers.index(row["manager"]) + 1) % len(managers)]
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="employees (default 2000)")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed after)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="kpibook-reconcile-"))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    try:
        run(folder, args.n)
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(folder: Path, n: int) -> None:
    spec, rng = load_spec(), random.Random(16)
    rows = roster_rows(spec, n)
    out = folder / "issued"
    started = time.perf_counter()
    generate(write_roster(folder / "roster.csv", spec, rows), PERIOD, out, spec=spec)
    first = time.perf_counter() - started
    entries = read_manifest(out / MANIFEST)
    for entry in rng.sample(entries, int(n * FILLED)):  # typed into the shared-drive copy
        path = out / entry.file
        role = spec.role(read_workbook(path).metadata["role_id"])
        fill_workbook(path, path, spec, manager_actuals(role, rng))
    picked = change(spec, rows, rng)
    roster = write_roster(folder / "roster-changed.csv", spec, rows)
    started = time.perf_counter()
    plan = generate(roster, PERIOD, out, spec=spec, dry_run=True)
    dry = time.perf_counter() - started
    started = time.perf_counter()
    done = generate(roster, PERIOD, out, spec=spec)
    took = time.perf_counter() - started
    only_changed = write_roster(folder / "changed-only.csv", spec, [rows[i] for i in picked])
    started = time.perf_counter()
    generate(only_changed, PERIOD, folder / "floor", spec=spec)
    floor = time.perf_counter() - started
    assert plan.counts == done.counts, "the dry run planned what the run did"
    print(f"\n{n} employees, {len(picked)} changed ({CHANGED:.0%}), {int(n * FILLED)} filled in place")
    print("  " + ", ".join(f"{k} {v}" for k, v in done.counts.items()))
    print(f"  first issue (generate into an empty folder) {first:8.2f} s")
    print(f"  dry run (plan only)                         {dry:8.2f} s")
    print(f"  reconcile (plan + carry out + ledger)       {took:8.2f} s")
    print(f"  floor: generate the {len(picked)} changed only     {floor:8.2f} s   ratio {took / floor:.1f}x")


if __name__ == "__main__":
    raise SystemExit(main())
