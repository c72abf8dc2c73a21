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

# (corpus folder, the folder of its returned workbooks, the consolidate.py arguments)
CORPORA: list[tuple[str, Path, list[str]]] = [
    (
        "filled by kpibook",
        CACHE / "filled2000" / "returned",
        ["--n", "2000", "--dir", str(CACHE / "filled2000"), "--reuse"],
    ),
]
if shutil.which("soffice"):
    lo = CACHE / "lo600"
    CORPORA.append(
        (
            "saved by LibreOffice",
            lo / "saved-by-libreoffice",
            ["--n", "600", "--saved-by", "libreoffice", "--dir", str(lo)],
        )
    )
else:
    print("soffice not found: the LibreOffice-saved corpus is not measured", file=sys.stderr)
if shutil.which("ssconvert"):
    gnumeric = CACHE / "gnumeric300"
    CORPORA.append(
        (
            "saved by Gnumeric",
            gnumeric / "saved-by-gnumeric",
            ["--n", "300", "--saved-by", "gnumeric", "--dir", str(gnumeric)],
        )
    )
else:
    print("ssconvert not found: the Gnumeric-saved corpus is not measured", file=sys.stderr)

RUNS: list[tuple[str, list[str]]] = [("generate.py", ["1000"])]
RUNS += [("consolidate.py", args) for _, _, args in CORPORA]
RUNS += [("reconcile.py", ["--n", "2000"])]
RUNS += [("stages.py", [str(folder), "--n", "600"]) for _, folder, _ in CORPORA]

for script, args in RUNS:
    print(f"== bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)
