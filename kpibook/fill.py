"""Filling a generated workbook as a manager would in Excel: for the demo and the tests.

`fill_workbook` types actuals and comments into the input cells and, as a spreadsheet does
when it saves, stores the recalculated value of every formula cell (from the scoring core).
It patches the Scorecard's XML in place, so everything else in the file stays byte-identical.
`manager_actuals` invents plausible figures for a role (some N/A, some blanks on request).
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from kpibook import scoring
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.read import read_workbook
from kpibook.spec import Kpi, Role, Spec

SCORECARD_PART = "xl/worksheets/sheet1.xml"  # as kpibook generates it
_CELL = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(rb'\ss="\d+"')


def _value_xml(ref: str, style: bytes, value: object, formula: bytes | None = None) -> bytes:
    f = b"<f>%s</f>" % formula if formula is not None else b""
    r = ref.encode()
    if value is None or value == "" and formula is None:
        return (
            b'<c r="%s"%s/>' % (r, style) if formula is None else b'<c r="%s"%s t="str">%s<v></v></c>' % (r, style, f)
        )
    if isinstance(value, scoring.ExcelError):
        return b'<c r="%s"%s t="e">%s<v>%s</v></c>' % (r, style, f, value.code.encode())
    if isinstance(value, bool):
        return b'<c r="%s"%s t="b">%s<v>%d</v></c>' % (r, style, f, int(value))
    if isinstance(value, (int, float)):
        number = float(value)
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return b'<c r="%s"%s>%s<v>%s</v></c>' % (r, style, f, text.encode())
    text = escape(str(value)).encode()
    if formula is not None:
        return b'<c r="%s"%s t="str">%s<v>%s</v></c>' % (r, style, f, text)
    return b'<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (r, style, text)


def patch_cells(sheet_xml: bytes, values: Mapping[str, object]) -> bytes:
    """Sets the values of existing cells (keeping style and formula) in a worksheet's XML."""

    def replace(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        style_match = _STYLE.search(m.group(2))
        style = style_match.group(0) if style_match else b""
        formula = re.search(rb"<f>(.*?)</f>", m.group(3) or b"", re.S)
        return _value_xml(ref, style, values[ref], formula.group(1) if formula else None)

    patched = _CELL.sub(replace, sheet_xml)
    return patched


def scorecard_values(
    layout: RoleLayout,
    actuals: Mapping[str, object],
    targets: Mapping[str, float],
    comments: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """Every input and formula cell value after the manager typed `actuals` (by KPI id)."""
    scores = scoring.score_role(layout.role, layout.grades, actuals, targets)
    values: dict[str, object] = {}
    for row, kpi in layout.iter_kpis():
        values[f"{COLUMNS['actual']}{row}"] = actuals.get(kpi.id)
        if comments and kpi.id in comments:
            values[f"{COLUMNS['comment']}{row}"] = comments[kpi.id]
    values.update(layout.formula_values(scores))
    return values


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
    values = scorecard_values(layout, actuals, targets, comments)
    if not cache_values:
        values = {ref: v for ref, v in values.items() if ref not in layout.formulas}
    return rewrite_scorecard(source, dest, lambda xml: patch_cells(xml, values))


def rewrite_scorecard(source: Path, dest: Path, change: Callable[[bytes], bytes]) -> Path:
    """Copies a generated workbook to `dest` with its Scorecard XML passed through `change`;
    every other part stays byte-identical."""
    data = patch_scorecard(Path(source).read_bytes(), change)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return dest


def patch_scorecard(xlsx: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The bytes of a generated workbook with its Scorecard XML passed through `change`."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, change(data) if name == SCORECARD_PART else data)
    return buffer.getvalue()


def manager_actual(kpi: Kpi, rng: random.Random) -> object:
    """A plausible figure for one KPI: mostly around the target, sometimes far off."""
    if kpi.method == "rating":
        return rng.choice([b.start for b in kpi.bands])
    spread = rng.choice((0.1, 0.25, 0.5))
    value = kpi.target * (1 + rng.uniform(-spread, spread)) if kpi.target else rng.uniform(kpi.min, kpi.max)
    if kpi.method == "threshold":
        value = kpi.target + rng.choice((-1, 0, 0, 1, 2))
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
