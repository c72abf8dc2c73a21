"""Bench: `generate` against its floor, the bare cost of zipping the same finished XML parts.

    python bench/generate.py [N]        (default N = 1000 workbooks)

The floor takes every generated workbook's own parts (read back beforehand, untimed) and
times only zipping them (zipfile's default level 6) and writing the file, in CPU time (the
machine is shared: wall time says more about the neighbours than about kpibook). The ratio says what
generation costs beyond that unavoidable work (building templates, stamping, hashing, the
manifest). Goal (issue 15): <= 1.0x the floor per workbook.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpibook.generate import generate  # noqa: E402


def big_roster(path: Path, n: int) -> None:
    with open(ROOT / "samples" / "roster.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["employee_id"] = f"B{i:06d}"
            row["name"] = f"{row['name']}{i}"
            writer.writerow(row)


def floor_seconds(files: list[Path], out: Path) -> float:
    parts = []
    for path in files:
        with zipfile.ZipFile(path) as archive:
            parts.append([(info.filename, archive.read(info.filename)) for info in archive.infolist()])
    out.mkdir()
    started = time.process_time()
    for i, members in enumerate(parts):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
        (out / f"{i}.xlsx").write_bytes(buffer.getvalue())
    return time.process_time() - started


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        big_roster(roster, n)
        started = time.process_time()
        result = generate(roster, "2026Q4", Path(tmp) / "out")
        seconds = time.process_time() - started
        floor = floor_seconds(result.written, Path(tmp) / "floor")
    per, per_floor = seconds * 1000 / n, floor * 1000 / n
    print(f"generate: {n} workbooks in {seconds:.2f} s CPU = {per:.2f} ms/workbook")
    print(f"floor (zip the same parts at level 6 + write): {floor:.2f} s CPU = {per_floor:.2f} ms/workbook")
    print(f"ratio to floor: {seconds / floor:.2f}x CPU (goal <= 1.0x)")


if __name__ == "__main__":
    main()
