"""`make bench`: every benchmark, each against its floor measured in the same run, then where
consolidate's time goes on each corpus (bench/stages.py).

The corpora are built once and cached in .bench-cache/ (the programs that save the returned
workbooks again are slow); later runs reuse them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / ".bench-cache"

# (name, the folder of its returned workbooks, the consolidate.py arguments)
CORPORA: list[tuple[str, Path, list[str]]] = [
    (
        "filled by kpibook",
        CACHE / "filled2000" / "returned",
        ["--n", "2000", "--dir", str(CACHE / "filled2000"), "--reuse"],
    )
]
# (program saving the filled workbooks again, the command it needs, how many, cache folder)
for program, command, n, folder in (
    ("libreoffice", "soffice", 600, "lo600"),
    ("gnumeric", "ssconvert", 300, "gnumeric300"),
):
    if shutil.which(command):
        saved = ["--n", str(n), "--saved-by", program, "--dir", str(CACHE / folder)]
        CORPORA.append((f"saved by {program}", CACHE / folder / f"saved-by-{program}", saved))
    else:
        print(f"{command} not found: the corpus saved by {program} is not measured", file=sys.stderr)

RUNS: list[tuple[str, list[str]]] = [("generate.py", ["1000"])]
RUNS += [("consolidate.py", args) for _, _, args in CORPORA]
RUNS += [("reconcile.py", ["--n", "2000"])]
RUNS += [("stages.py", [str(folder), "--n", "600"]) for _, folder, _ in CORPORA]

for script, args in RUNS:
    print(f"== bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)
