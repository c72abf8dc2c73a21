"""`make bench`: every benchmark, each against its floor measured in the same run.

The corpora of workbooks saved by other programs take minutes to build (the programs are
slow); they are cached in .bench-cache/ and reused by later runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / ".bench-cache"

RUNS: list[tuple[str, list[str]]] = [
    ("generate.py", ["1000"]),
    ("consolidate.py", ["--n", "2000"]),
    ("reconcile.py", ["--n", "2000"]),
]
if shutil.which("soffice"):
    RUNS.append(("consolidate.py", ["--n", "600", "--saved-by", "libreoffice", "--dir", str(CACHE / "lo600")]))
else:
    print("soffice not found: the LibreOffice-saved corpus is not measured", file=sys.stderr)
if shutil.which("ssconvert"):
    RUNS.append(("consolidate.py", ["--n", "300", "--saved-by", "gnumeric", "--dir", str(CACHE / "gnumeric300")]))

for script, args in RUNS:
    print(f"== bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)
