"""Where consolidate's time goes, per workbook, stage by stage (CPU time, one process).

    .venv/bin/python bench/stages.py FOLDER [--n 600]

Runs `kpibook.consolidate.examine` (everything consolidate does for one file: read, audit,
score, check the actuals) over the workbooks under FOLDER, with a timer around each stage's
function. The timers are exclusive (a stage's time leaves out the stages it calls), so the
rows add up to the total. Stages a version of kpibook does not have are left out, so the same
script measures the code before and after a change (PYTHONPATH=<other checkout>).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # kpibook itself comes from the environment (or PYTHONPATH)

# (row label, module, attribute path): the function whose calls make the stage
STAGES: list[tuple[str, str, str]] = [
    ("read the file", "kpibook.xlsx_package", "read_bytes"),
    ("zip directory, sizes, zip-bomb checks", "kpibook.xlsx_package", "check_members"),
    ("inflate every XML part, DTD checks", "kpibook.xlsx_package", "Parts.check_all_xml"),
    ("macro check (content types)", "kpibook.xlsx_package", "macro_contents"),
    ("workbook.xml and its relationships", "kpibook.read", "_read_book"),
    ("shared strings and styles", "kpibook.read", "_SheetReader.__init__"),
    ("sheet cells (scorecard, metadata, others)", "kpibook.read", "_SheetReader.read_all"),
    ("other reading (zip object, WorkbookData)", "kpibook.read", "read_workbook"),
    ("scoring core (every computation)", "kpibook.scoring", "score_role"),
    ("cached values against the engines' rule", "kpibook.audit.run", "check_cached_values"),
    ("audit checks (formulas, locks, validation...)", "kpibook.audit.run", "audit_workbook"),
    ("consolidate's own per-file work", "kpibook.consolidate", "examine"),
]

_spent: dict[str, float] = defaultdict(float)
_stack: list[float] = []  # per open stage: time spent in the stages it called


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        _stack.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            inner = _stack.pop()
            elapsed = time.process_time() - started
            _spent[label] += elapsed - inner
            if _stack:
                _stack[-1] += elapsed

    return wrapper


def _install() -> list[str]:
    """Wraps each stage's function wherever it is looked up; returns the labels installed."""
    installed = []
    for label, module_name, path in STAGES:
        module = importlib.import_module(module_name)
        owner: Any = module
        *parents, name = path.split(".")
        try:
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, name)
        except AttributeError:
            continue
        wrapped = _timed(label, original)
        setattr(owner, name, wrapped)
        if not parents:  # modules that imported the name keep their own reference: replace it too
            for other in list(sys.modules.values()):
                if getattr(other, "__name__", "").startswith("kpibook") and getattr(other, name, None) is original:
                    setattr(other, name, wrapped)
        installed.append(label)
    return installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=600)
    args = parser.parse_args(argv)
    # the module, not the function of the same name that kpibook/__init__ exports
    consolidate = importlib.import_module("kpibook.consolidate")
    from kpibook.fingerprint import load_key
    from kpibook.spec import load_spec

    spec, key = load_spec(ROOT / "roles.toml"), load_key()
    files = [str(p) for p in sorted(args.folder.rglob("*.xlsx"))[: args.n]]
    for file in files[:50]:  # imports, caches: the steady state is what a run of thousands sees
        consolidate.examine(file, spec, key)
    labels = _install()
    started = time.process_time()
    for file in files:
        consolidate.examine(file, spec, key)
    total = (time.process_time() - started) / len(files) * 1000
    print(f"{len(files)} workbooks under {args.folder}: ms of CPU per workbook")
    for label in labels:
        print(f"  {label:48s} {_spent[label] / len(files) * 1000:6.2f}")
    print(f"  {'total (examine, timers included)':48s} {total:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
