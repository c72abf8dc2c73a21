"""Filling a generated workbook as a manager would in Excel: for the demo and the tests.

`fill_workbook` types actuals and comments into the input cells and, as a spreadsheet does
when it saves, stores the recalculated value of every formula cell (from the scoring core).
It patches the Scorecard's XML in place, so everything else in the file stays byte-identical.
`manager_actuals` invents plausible figures for a role (some N/A, some blanks on request).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from kpibook import ooxml, scoring
from kpibook.layout import SCORECARD_PART, RoleLayout
from kpibook.methods import LIST, METHODS
from kpibook.read import read_workbook
from kpibook.spec import Kpi, Role, Spec

_CELL = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(rb'\ss="\d+"')


def patch_cells(sheet_xml: bytes, values: Mapping[str, object]) -> bytes:
    """Sets the values of existing cells (keeping style and formula) in a worksheet's XML."""

    def replace(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        style_match = _STYLE.search(m.group(2))
        style = style_match.group(0) if style_match else b""
        formula = re.search(rb"<f>(.*?)</f>", m.group(3) or b"", re.S)
        return ooxml.cell(ref, values[ref], style, formula.group(0) if formula else None)

    patched = _CELL.sub(replace, sheet_xml)
    return patched


def fill_workbook(
    source: str | Path,
    dest: str | Path,
    spec: Spec,
    actuals: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    cache_values: bool = True,
) -> Path:
    """Copies a generated workbook to `dest` with `actuals` typed in. With `cache_values`, formula
    cells carry their recalculated values (as Excel saves them); without, they keep the blank
    workbook's values (as a tool that does not calculate would leave them)."""
    source, dest = Path(source), Path(dest)
    metadata = read_workbook(source).metadata
    layout = RoleLayout(spec.role(metadata["role_id"]), spec.grades)
    targets = {k: float(v) for k, v in json.loads(metadata["targets"]).items()}
    values = layout.cell_values(actuals, targets, comments)
    if not cache_values:
        values = {ref: v for ref, v in values.items() if ref not in layout.formulas}
    return rewrite_scorecard(source, dest, lambda xml: patch_cells(xml, values))


def rewrite_scorecard(source: Path, dest: Path, change: Callable[[bytes], bytes]) -> Path:
    """Copies a generated workbook to `dest` with its Scorecard XML passed through `change`;
    every other part stays byte-identical."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(patch_scorecard(Path(source).read_bytes(), change))
    return dest


def patch_scorecard(xlsx: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The bytes of a generated workbook with its Scorecard XML passed through `change`."""
    return ooxml.rewrite_parts(xlsx, {SCORECARD_PART: change})


def manager_actual(kpi: Kpi, rng: random.Random) -> object:
    """A plausible figure for one KPI: mostly around the target, sometimes far off."""
    method = METHODS[kpi.method]
    if method.input_kind == LIST and method.sample is not None:
        return method.sample(scoring.rule_of(kpi), rng)
    spread = rng.choice((0.1, 0.25, 0.5))
    value = kpi.target * (1 + rng.uniform(-spread, spread)) if kpi.target else rng.uniform(kpi.min, kpi.max)
    if method.sample is not None:  # a method whose typical actual is not "around the target"
        value = method.sample(scoring.rule_of(kpi), rng)
    value = min(kpi.max, max(kpi.min, value))
    if kpi.whole:
        return int(round(value))
    return round(value, 4 if kpi.unit == "%" else 2)


def manager_actuals(role: Role, rng: random.Random, na_rate: float = 0.2, blank_rate: float = 0.0) -> dict[str, object]:
    """Actuals for every KPI of a role as a manager might type them: N/A where allowed, some blanks."""
    actuals: dict[str, object] = {}
    for kpi in role.kpis:
        if blank_rate and rng.random() < blank_rate:
            continue
        actuals[kpi.id] = "N/A" if kpi.allow_na and rng.random() < na_rate else manager_actual(kpi, rng)
    return actuals
