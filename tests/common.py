"""What every test module shares: the repository's paths and the bundled spec, loaded once.

Fixtures built on these (`spec`, `sample_workbooks`) are in tests/conftest.py."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

from kpibook.read import read_workbook
from kpibook.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "samples" / "roster.csv"
SPEC_PATH = ROOT / "roles.toml"
PERIOD = "2026Q4"


@functools.cache
def bundled_spec() -> Spec:
    """The repository's roles.toml, parsed once per test process (a Spec is never changed)."""
    return load_spec(SPEC_PATH)


def read_entries(path: str | Path) -> dict[str, object]:
    """Values of the scorecard's input cells (the unlocked ones: actuals, comments, sign-off), by
    "Sheet!Cell", as the tests compare them. Raises UnreadableWorkbook when the file cannot be read."""
    data = read_workbook(path)
    entries: dict[str, object] = {}
    for ref, cell in data.cells.items():
        if not cell.locked and cell.formula is None:
            entries[f"{data.scorecard}!{ref}"] = cell.value
    for name in data.names:
        if name.startswith("kpi_") and name.endswith("_actual"):
            ref = data.ref(name)
            if ref:
                entries[f"{data.scorecard}!{ref}"] = data.value(name)
    return entries


def run_kpibook(args: list[str], locale: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m kpibook ARGS` in a fresh process whose only locale setting is LANG=locale."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = locale
    return subprocess.run(
        [sys.executable, "-m", "kpibook", *args], capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd
    )


def plant_chart_point(xlsx: Path, dest: Path, value: str, series: int = 0, index: int = 0) -> Path:
    """`dest`: `xlsx` with point `index` of the `series`-th numCache of its first chart showing
    `value` (a bar the cells do not hold), every other byte as it was."""
    from kpibook.ooxml import rewrite_parts

    def plant(data: bytes) -> bytes:
        start, end = list(re.finditer(rb"<c:numCache>.*?</c:numCache>", data, re.S))[series].span()
        point = re.compile(rb'(<c:pt idx="%d"><c:v>)[^<]*(</c:v>)' % index)
        assert point.search(data[start:end]), data[start:end]
        planted = point.sub(rb"\g<1>" + value.encode() + rb"\g<2>", data[start:end], count=1)
        return data[:start] + planted + data[end:]

    dest.write_bytes(rewrite_parts(xlsx, {"xl/charts/chart1.xml": plant}))
    return dest
