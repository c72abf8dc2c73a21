"""Benchmark: `kpibook consolidate` on N returned workbooks, against the floor.

    .venv/bin/python bench/consolidate.py --n 2000          # builds the workbooks, then measures
    .venv/bin/python bench/consolidate.py --n 10000 --dir /tmp/kpibench --reuse

Builds a roster of N employees over the bundled spec's four roles, generates their workbooks
(kpibook.generate) and fills them as managers would (kpibook.fill: 95% complete, 5% with
blanks), then measures on the same files:

  floor          inflate every part; parse workbook.xml, the shared strings (if any) and the
                 scorecard's sheet XML with lxml and touch every cell: no checks, no values,
                 nothing kept. The least any reader that verifies formulas does.
  consolidate    kpibook.consolidate.consolidate: discovery, the hardened reader, the full
                 audit (formulas, fingerprint, cached values, locks, validation), the scoring
                 core, the roll-up, summary.xlsx and the CSV.

Both run on the same number of processes (--workers, default: every core), so the ratio
compares like with like. Prints ms per workbook, the ratio to the floor, and peak resident
memory (parent and the largest worker). See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import functools
import multiprocessing
import multiprocessing.connection
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpibook.fill import fill_workbook, manager_actuals  # noqa: E402
from kpibook.generate import generate  # noqa: E402
from kpibook.manifest import MANIFEST  # noqa: E402
from kpibook.pool import default_workers  # noqa: E402
from kpibook.spec import Spec, load_spec  # noqa: E402

PERIOD = "2026Q4"


# ---------------------------------------------------------------------------------------
# Building the returned folder
# ---------------------------------------------------------------------------------------


def write_roster(path: Path, spec: Spec, n: int) -> None:
    managers = [f"经理{i:03d}" for i in range(max(1, n // 8))]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "name", "role", "department", "manager"])
        for i in range(n):
            role = spec.roles[i % len(spec.roles)]
            department = f"市场销售部/组{i % 17:02d}"
            writer.writerow([f"E{i:06d}", f"员工{i}", role.id, department, managers[i % len(managers)]])


@functools.cache
def _spec() -> Spec:
    return load_spec()


def _fill_one(args: tuple[str, str, int]) -> None:
    source, dest, seed = args
    spec = _spec()
    rng = random.Random(seed)
    from kpibook.read import read_workbook

    role = spec.role(read_workbook(source).metadata["role_id"])
    blank_rate = 0.3 if seed % 20 == 0 else 0.0  # 1 in 20 comes back half-filled
    fill_workbook(source, dest, spec, manager_actuals(role, rng, blank_rate=blank_rate))


def build(folder: Path, n: int, workers: int) -> tuple[Path, Path]:
    """folder/blank (generated + manifest) and folder/returned (filled); returns (returned, manifest)."""
    spec = load_spec()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    roster = folder / "roster.csv"
    write_roster(roster, spec, n)
    started = time.perf_counter()
    generate(roster, PERIOD, folder / "blank", spec=spec)
    print(f"generated {n} workbooks in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    jobs = []
    for i, blank in enumerate(sorted((folder / "blank").rglob("*.xlsx"))):
        dest = folder / "returned" / blank.parent.name / blank.name
        jobs.append((str(blank), str(dest), i))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_fill_one, jobs, chunksize=64)
    print(f"filled {n} workbooks in {time.perf_counter() - started:.1f} s")
    return folder / "returned", folder / "blank" / MANIFEST


# ---------------------------------------------------------------------------------------
# The floor
# ---------------------------------------------------------------------------------------


_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}c"


def _floor_chunk(paths: list[str]) -> int:
    """Inflate every part; parse the workbook, the shared strings and the scorecard sheet;
    touch every cell. No checks, no values converted, nothing kept."""
    cells = 0
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        etree.fromstring(parts["xl/workbook.xml"])
        if "xl/sharedStrings.xml" in parts:
            etree.fromstring(parts["xl/sharedStrings.xml"])
        root = etree.fromstring(parts["xl/worksheets/sheet1.xml"])
        cells += sum(1 for _ in root.iter(_CELL))
    return cells


def _calamine_chunk(paths: list[str]) -> int:
    """Reference: python-calamine reading the scorecard's values (no formula text, no checks)."""
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in paths:
        rows += len(CalamineWorkbook.from_path(path).get_sheet_by_name("Scorecard").to_python())
    return rows


def _floor_child(conn: multiprocessing.connection.Connection, files: list[str], workers: int, calamine: bool) -> None:
    chunks = [files[i::workers] for i in range(workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_calamine_chunk if calamine else _floor_chunk, chunks)
    took = time.perf_counter() - started
    conn.send((took, cpu_seconds()))


def floor(files: list[str], workers: int, calamine: bool = False) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the floor (`_floor_chunk`) over every file on `workers` processes."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_floor_child, args=(child, files, workers, calamine))
    process.start()
    result = parent.recv()
    process.join()
    return result


# ---------------------------------------------------------------------------------------


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest child so far, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, children


def _consolidate_child(
    conn: multiprocessing.connection.Connection, returned: Path, manifest: Path, folder: Path, workers: int
) -> None:
    from kpibook.consolidate import consolidate

    before, _ = peak_rss_mb()
    started = time.perf_counter()
    result = consolidate(
        [returned], folder / "summary.xlsx", manifest=manifest, csv=folder / "summary.csv", workers=workers
    )
    took = time.perf_counter() - started
    parent, child = peak_rss_mb()
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    conn.send((took, cpu_seconds(), counts, before, parent, child))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time, not inflated by
    whatever else the machine runs at the time."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


Measured = tuple[float, float, str, float, float, float]  # wall s, CPU s, counts, RSS before, parent, worker


def measure(returned: Path, manifest: Path, folder: Path, workers: int) -> Measured:
    """Runs consolidate in a fresh process, so that its peak memory (and its workers') is its own."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_consolidate_child, args=(child, returned, manifest, folder, workers))
    process.start()
    result = parent.recv()
    process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="returned workbooks (default 2000)")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed after)")
    parser.add_argument("--reuse", action="store_true", help="reuse the workbooks already in --dir")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument(
        "--saved-by",
        choices=("libreoffice", "gnumeric"),
        help="measure the filled workbooks as saved again by this program (bench/corpus.py; cached in --dir)",
    )
    args = parser.parse_args(argv)

    folder = args.dir or Path(tempfile.mkdtemp(prefix="kpibook-bench-"))
    try:
        if args.saved_by:
            from bench.corpus import build_corpus

            returned, manifest = build_corpus(args.saved_by, args.n, folder, args.workers)
        elif args.reuse and (folder / "returned").is_dir():
            returned, manifest = folder / "returned", folder / "blank" / MANIFEST
        else:
            returned, manifest = build(folder, args.n, args.workers)
        files = sorted(str(p) for p in returned.rglob("*.xlsx"))
        n = len(files)
        size = sum(os.path.getsize(f) for f in files) / n
        for f in files:  # both measurements read from the page cache, not the disk
            Path(f).read_bytes()
        floor(files[: min(n, 200)], args.workers)  # warm the imports
        floor_s, floor_cpu = floor(files, args.workers)
        calamine_s, calamine_cpu = floor(files, args.workers, calamine=True)
        took, cpu, counts, rss_before, rss_parent, rss_child = measure(returned, manifest, folder, args.workers)
        corpus = f"saved by {args.saved_by}" if args.saved_by else "filled by kpibook"
        print(f"\n{n} workbooks {corpus} ({size / 1024:.0f} KB each), {args.workers} worker(s): {counts}")
        print(f"{'':46s}{'wall s':>8s} {'ms/workbook':>12s} {'CPU ms/workbook':>16s}")
        for label, wall, busy in (
            ("floor (unzip all, parse, touch every cell)", floor_s, floor_cpu),
            ("python-calamine, values only (reference)", calamine_s, calamine_cpu),
            ("consolidate (verify + score + summary)", took, cpu),
        ):
            print(f"  {label:44s}{wall:8.2f} {wall / n * 1000:12.2f} {busy / n * 1000:16.2f}")
        print(f"  ratio to the floor: {took / floor_s:.1f}x wall, {cpu / floor_cpu:.1f}x CPU")
        print(
            f"  projected for 10,000 workbooks: {took / n * 10000:.0f} s wall "
            f"(CPU alone on {args.workers} cores: {cpu / n * 10000 / args.workers:.0f} s)"
        )
        print(
            f"  peak RSS: parent {rss_parent:.0f} MB (before consolidate {rss_before:.0f} MB), "
            f"largest worker {rss_child:.0f} MB"
        )
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
