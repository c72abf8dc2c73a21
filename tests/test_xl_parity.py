"""A function called from Excel gives the same number as the workbook's own formula.

Every employee of the sample roster (24 workbooks, all four roles) is filled with actuals -
plausible, edge (bounds, zero, negative), messy (text, N/A, blanks) - WITHOUT kpibook's cached
values; LibreOffice recalculates them. Then, for every KPI row, KPIBOOK_SCORE is called with
exactly the cells that row's score formula reads (actual H, target G, the locked parameter
cells P..AH), as Excel would hand them over, and must equal LibreOffice's result in column I.
KPIBOOK_KPI_SCORE, KPIBOOK_TOTAL, KPIBOOK_GRADE and KPIBOOK_CHECK are held to the same
recalculated workbooks.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from kpibook import scoring
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.formula_text import column_index
from kpibook.generate import generate
from kpibook.layout import COLUMNS, FROM_COLUMNS, POINTS_COLUMNS, RoleLayout
from kpibook.spec import Kpi, Role
from kpibook.xl import core
from kpibook.xl.udfs import KPIBOOK_CHECK, KPIBOOK_GRADE, KPIBOOK_KPI_SCORE, KPIBOOK_SCORE, KPIBOOK_TOTAL
from tests.common import ROOT, bundled_spec
from tests.lo import recalculate

SPEC = bundled_spec()

pytestmark = pytest.mark.libreoffice


def edge_actuals(role: Role, index: int) -> dict[str, object]:
    """Bounds, zero, negatives and the target itself, rotating over the KPIs."""
    picks = []
    for i, kpi in enumerate(role.kpis):
        options = [kpi.min, kpi.max, 0, kpi.target, -1, kpi.target * 1.5]
        if kpi.bands:
            options += [kpi.bands[0].start - 0.01, kpi.bands[-1].start]
        picks.append((kpi.id, options[(i + index) % len(options)]))
    return dict(picks)


def messy_actuals(role: Role, rng: random.Random) -> dict[str, object]:
    """What managers also type: text, N/A in any case (allowed or not), spaces, blanks."""
    actuals = manager_actuals(role, rng, na_rate=0.5)
    for kpi in role.kpis:
        actuals[kpi.id] = rng.choice([actuals[kpi.id], "abc", "N/A", "n/a", " ", None, actuals[kpi.id]])
    return {k: v for k, v in actuals.items() if v is not None}


def actuals_for(role: Role, index: int, rng: random.Random) -> dict[str, object]:
    kind = index % 4
    if kind == 0:
        return manager_actuals(role, rng, na_rate=0.3)
    if kind == 1:
        return edge_actuals(role, index)
    if kind == 2:
        return messy_actuals(role, rng)
    return manager_actuals(role, rng, na_rate=0.2, blank_rate=0.3)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, soffice) -> dict[str, list[list[object]]]:
    """Each recalculated workbook's Scorecard values (A1:AJ), by file name."""
    root = tmp_path_factory.mktemp("xl_parity")
    result = generate(ROOT / "samples" / "roster.csv", "2026Q4", root / "blank", spec=SPEC)
    rng = random.Random(2026)
    filled = []
    for index, path in enumerate(sorted(result.written)):
        role = SPEC.role(openpyxl.load_workbook(path, read_only=True)["Scorecard"]["O2"].value)
        dest = root / "filled" / f"{index:02d}_{path.name}"
        filled.append(fill_workbook(path, dest, SPEC, actuals_for(role, index, rng), cache_values=False))
    return {path.name: scorecard(path) for path in recalculate(filled, root / "lo")}


def scorecard(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return [list(r) for r in wb["Scorecard"].iter_rows(max_col=column_index(COLUMNS["counted"]), values_only=True)]
    finally:
        wb.close()


def at(values: list[list[object]], column: str, row: int) -> object:
    line = values[row - 1]
    index = column_index(column) - 1
    return line[index] if index < len(line) else None


def formula_inputs(values: list[list[object]], row: int) -> list[object]:
    """The cells the row's score formula reads, in KPIBOOK_SCORE's order, as Excel hands them over."""
    keys = ("actual", "target", "method", "param", "direction", "floor", "cap", "na")
    single = [at(values, COLUMNS[key], row) for key in keys]
    bands_from = [[at(values, col, row) for col in FROM_COLUMNS]]  # a 1x6 range arrives as a 2-D list
    bands_points = [[at(values, col, row) for col in POINTS_COLUMNS]]
    return single + [bands_from, bands_points]


def same(excel: object, ours: object) -> bool:
    return core.same(None if excel == "" else excel, ours)


def test_score_equals_the_workbook_formula_for_every_kpi_of_every_role(recalculated):
    roles, methods, kinds = set(), set(), set()
    compared = 0
    for name, values in recalculated.items():
        role = SPEC.role(at(values, "O", 2))
        layout = RoleLayout(role, SPEC.grades)
        for row, kpi in layout.iter_kpis():
            assert at(values, COLUMNS["kpi_id"], row) == kpi.id
            for column, expected in layout.parameter_values(kpi).items():
                assert at(values, column, row) == expected, (name, f"{column}{row}")  # the right cells are read
            ours = KPIBOOK_SCORE(*formula_inputs(values, row))
            excel = at(values, COLUMNS["score"], row)
            assert same(excel, ours), (name, kpi.id, at(values, COLUMNS["actual"], row), excel, ours)
            roles.add(role.id)
            methods.add(kpi.method)
            kinds.add(
                type(ours).__name__
                if not isinstance(ours, str)
                else ours
                if ours in ("", "N/A", "invalid")
                else "error"
                if ours.startswith("#")
                else "text"
            )
            compared += 1
    assert roles == set(SPEC.role_ids)
    assert methods == set(scoring.METHODS)
    assert {"float", "", "N/A", "invalid"} <= kinds  # numbers, blanks, N/A and invalid text were all compared
    assert len(recalculated) == 24
    assert compared == sum(len(SPEC.role(at(v, "O", 2)).kpis) for v in recalculated.values())


def test_kpi_score_total_and_grade_equal_the_workbook(recalculated):
    pending_seen = scored_seen = False
    for name, values in recalculated.items():
        role = SPEC.role(at(values, "O", 2))
        layout = RoleLayout(role, SPEC.grades)
        for row, kpi in layout.iter_kpis():
            actual, target = at(values, COLUMNS["actual"], row), at(values, COLUMNS["target"], row)
            assert same(at(values, COLUMNS["score"], row), KPIBOOK_KPI_SCORE(kpi.id, actual, target)), (name, kpi.id)
        rows = list(layout.kpi_rows.values())
        actuals = [[at(values, COLUMNS["actual"], r)] for r in rows]  # H8:H17 as a 2-D column
        targets = [[at(values, COLUMNS["target"], r)] for r in rows]
        total = KPIBOOK_TOTAL(role.id, actuals, targets)
        excel_total = at(values, *_split(layout.total_cell))
        assert same(excel_total, total), (name, excel_total, total)
        assert same(at(values, *_split(layout.grade_cell)), KPIBOOK_GRADE(excel_total)), name
        pending_seen |= total == ""
        scored_seen |= isinstance(total, float)
    assert pending_seen and scored_seen


def _split(cell: str) -> tuple[str, int]:
    column = cell.rstrip("0123456789")
    return column, int(cell[len(column) :])


def test_check_finds_nothing_to_report_in_recalculated_workbooks(recalculated):
    for name, values in recalculated.items():
        assert KPIBOOK_CHECK(values) == "OK", name


def test_check_reports_values_that_excel_did_not_calculate(tmp_path):
    """A workbook saved by a tool that does not calculate keeps the blank workbook's stale values."""
    result = generate(ROOT / "samples" / "roster.csv", "2026Q4", tmp_path / "blank", spec=SPEC)
    path = sorted(result.written)[0]
    role = SPEC.role(openpyxl.load_workbook(path, read_only=True)["Scorecard"]["O2"].value)
    actuals = {k.id: _value(k) for k in role.kpis}
    stale = fill_workbook(path, tmp_path / "stale.xlsx", SPEC, actuals, cache_values=False)
    report = KPIBOOK_CHECK(scorecard(stale))
    layout = RoleLayout(role, SPEC.grades)
    differing = {r[0] for r in report[1:]}
    assert {layout.kpi_cell(k.id, "score") for k in role.kpis} <= differing
    assert layout.total_cell in differing and layout.grade_cell in differing


def _value(kpi: Kpi) -> float:
    return kpi.bands[-1].start if kpi.bands else kpi.target
