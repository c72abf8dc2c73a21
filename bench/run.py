"""`make bench`: both benchmarks at a size that runs in about a minute."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script, args in (("generate.py", ["1000"]), ("consolidate.py", ["--n", "2000"])):
    print(f"== bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)
