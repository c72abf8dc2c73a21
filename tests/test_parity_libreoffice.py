"""The scoring core's Python equals what LibreOffice Calc computes from its formulas.

One workbook, written with openpyxl and recalculated by headless LibreOffice (tests/lo.py):
- sheet "KPIs": 2,000 generated cases per method (tests/cases.py, seeded, so the same on
  every run), one per row, with the row's parameter cells laid out as a kpibook workbook
  lays them out and the KPI score formula in column I, identical in every row in R1C1 terms;
- sheet "Halves": 2,000 more cases per arithmetic method whose raw points sit exactly on a
  rounding half (x.xx5, reached through the method's arithmetic), scored as ROUND(raw, 2):
  where ROUND's handling of binary noise shows;
- sheet "Tables": a few hundred random role tables (KPI scores -> weighted points, counted
  weights, pending flags -> dimension scores -> total -> grade), one block per table.
LibreOffice's cached values are read back and compared with kpibook.scoring: numbers exactly
(==), "" with an empty cell (LibreOffice writes an empty text result that openpyxl reads
as None), text equal, an error with any error. Zero mismatches are required.
LibreOffice writes a value into the file with 15 significant digits, which is exact for every
ROUNDed result; the one unrounded helper column (a KPI's weighted points) is compared at
those 15 digits.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import openpyxl
import pytest

from kpibook import scoring
from kpibook.scoring import METHODS, ExcelError, kpi_score
from tests import cases
from tests.cases import Case, Table, same
from tests.lo import cached_values, recalculate

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

CASES_PER_METHOD = 2000
HALF_METHODS = ("ratio", "inverse_ratio", "linear", "threshold")
TABLES = 300
FIRST_ROW = 2
ERROR_FORMULAS = {"#N/A": "=NA()", "#DIV/0!": "=1/0", "#VALUE!": '=VALUE("x")'}
UNROUNDED = {"weighted"}  # score * weight / 100: the only computed cells that are not ROUNDed
ERROR_TEXT = re.compile(r"^(#[A-Z0-9/]+[!?]?|#N/A|Err:\d+)$")


def input_cell(value: Any) -> Any:
    """What to write in an input cell so that it holds `value` (errors need a formula)."""
    if isinstance(value, ExcelError):
        return ERROR_FORMULAS[value.code]
    if value == "":
        return '=""'  # openpyxl cannot store an empty text constant; a formula can return one
    return value


def from_sheet(value: Any) -> Any:
    """A cached value as kpibook.scoring represents it: errors as ExcelError."""
    if isinstance(value, str) and ERROR_TEXT.match(value):
        return ExcelError(value)
    return value


# ---------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------


def write_kpi_sheet(ws: Any) -> list[tuple[int, Case]]:
    header = {"H": "actual", "I": "score", **{col: key for key, col in cases.COLUMNS.items() if key != "a"}}
    for col, label in header.items():
        ws[f"{col}1"] = label
    rows = []
    row = FIRST_ROW
    for method in METHODS:
        for case in cases.cases(method, CASES_PER_METHOD):
            for col, value in cases.parameter_cells(case.rule).items():
                ws[f"{col}{row}"] = value
            if case.actual is not None:
                ws[f"H{row}"] = input_cell(case.actual)
            ws[f"A{row}"] = method
            ws[f"I{row}"] = "=" + scoring.kpi_score_formula(cases.refs(row))
            rows.append((row, case))
            row += 1
    return rows


def write_halves_sheet(ws: Any) -> list[tuple[int, Case]]:
    rows = []
    row = FIRST_ROW
    for method in HALF_METHODS:
        for case in cases.half_cases(method, CASES_PER_METHOD):
            for col, value in cases.parameter_cells(case.rule).items():
                ws[f"{col}{row}"] = value
            ws[f"H{row}"] = case.actual
            ws[f"A{row}"] = method
            ws[f"I{row}"] = f"=ROUND({METHODS[method].excel.format(**cases.refs(row))},2)"
            rows.append((row, case))
            row += 1
    return rows


def write_table(ws: Any, top: int, t: Table) -> dict[str, Any]:
    """One role table from row `top`; returns the cell (or cells) of each computed value."""
    n, m, g = len(t.kpis), len(t.dimensions), len(t.grades)
    last = top + n - 1

    def col(c: str, first: int = top, end: int = last) -> str:
        return f"{c}{first}:{c}{end}"

    cells: dict[str, Any] = {"weighted": [], "counted": [], "pending": [], "dimension": []}
    for i, (dim, weight, score) in enumerate(t.kpis):
        r = top + i
        ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = dim, weight, input_cell(score)
        refs = {"score": f"C{r}", "w": f"B{r}"}
        ws[f"D{r}"] = "=" + scoring.KPI_WEIGHTED.format(**refs)
        ws[f"E{r}"] = "=" + scoring.KPI_COUNTED_WEIGHT.format(**refs)
        ws[f"F{r}"] = "=" + scoring.KPI_PENDING.format(**refs)
        cells["weighted"].append(f"D{r}")
        cells["counted"].append(f"E{r}")
        cells["pending"].append(f"F{r}")
    for j, (dim, weight) in enumerate(t.dimensions):
        r = top + j
        ws[f"H{r}"], ws[f"I{r}"] = dim, weight
        ws[f"J{r}"] = "=" + scoring.DIMENSION_SCORE.format(
            dims=col("A"), dim=f"H{r}", pendings=col("F"), weighteds=col("D"), counteds=col("E")
        )
        cells["dimension"].append(f"J{r}")
    for k, (low, grade) in enumerate(t.grades):
        ws[f"P{top + k}"], ws[f"Q{top + k}"] = low, grade
    ws[f"L{top}"] = "=" + scoring.TOTAL_SCORE.format(
        pendings=col("F"), dim_weights=col("I", top, top + m - 1), dim_scores=col("J", top, top + m - 1)
    )
    ws[f"M{top}"] = "=" + scoring.GRADE.format(
        total=f"L{top}", grade_mins=col("P", top, top + g - 1), grade_names=col("Q", top, top + g - 1)
    )
    ws[f"N{top}"] = "=" + scoring.PENDING_COUNT.format(pendings=col("F"))
    cells.update(total=f"L{top}", grade=f"M{top}", pending_count=f"N{top}")
    return cells


@pytest.fixture(scope="module")
def recalculated(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("parity_lo")
    wb = openpyxl.Workbook()
    kpi_sheet = wb.active
    kpi_sheet.title = "KPIs"
    rows = write_kpi_sheet(kpi_sheet)
    halves = write_halves_sheet(wb.create_sheet("Halves"))
    table_sheet = wb.create_sheet("Tables")
    tables = cases.tables(TABLES)
    blocks = []
    top = 1
    for t in tables:
        blocks.append((t, write_table(table_sheet, top, t)))
        top += max(len(t.kpis), len(t.dimensions), len(t.grades)) + 1
    source = tmp / "parity.xlsx"
    wb.save(source)
    [out] = recalculate([source], tmp / "out")
    return {
        "path": out,
        "rows": rows,
        "kpis": cached_values(out, "KPIs"),
        "halves": halves,
        "halves_values": cached_values(out, "Halves"),
        "blocks": blocks,
        "tables": cached_values(out, "Tables"),
    }


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


def test_score_formula_is_the_same_in_every_row(recalculated: dict[str, Any]) -> None:
    """Identical in R1C1 terms: only the row number differs between rows."""
    texts = {
        re.sub(r"([A-Z]+)\d+", r"\1{r}", scoring.kpi_score_formula(cases.refs(row))) for row, _ in recalculated["rows"]
    }
    assert len(texts) == 1


@pytest.mark.parametrize("method", list(METHODS))
def test_kpi_scores_match_libreoffice(method: str, recalculated: dict[str, Any], parity_report: list[str]) -> None:
    sheet = recalculated["kpis"]
    kinds: Counter[str] = Counter()
    mismatches = []
    for row, case in recalculated["rows"]:
        if case.method != method:
            continue
        python = kpi_score(case.rule, case.actual)
        value = from_sheet(sheet.get(f"I{row}"))
        kinds[
            "number" if isinstance(python, float) else "error" if isinstance(python, ExcelError) else repr(python)
        ] += 1
        if not same(python, value):
            mismatches.append(
                f"row {row}: actual={case.actual!r} {case.rule} -> Python {python!r}, LibreOffice {value!r}"
            )
    total = sum(kinds.values())
    assert total == CASES_PER_METHOD
    parity_report.append(
        f"LibreOffice {method:14} {total} cases, {len(mismatches)} mismatches  "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    assert not mismatches, f"{len(mismatches)} mismatches in {recalculated['path']}:\n" + "\n".join(mismatches[:20])


@pytest.mark.parametrize("method", HALF_METHODS)
def test_rounding_halves_match_libreoffice(method: str, recalculated: dict[str, Any], parity_report: list[str]) -> None:
    sheet = recalculated["halves_values"]
    mismatches = []
    count = 0
    for row, case in recalculated["halves"]:
        if case.method != method:
            continue
        count += 1
        try:
            python: Any = scoring.excel_round(METHODS[method].python(case.actual, case.rule))
        except ZeroDivisionError:
            python = ExcelError("#DIV/0!")
        value = from_sheet(sheet.get(f"I{row}"))
        if not same(python, value):
            mismatches.append(
                f"row {row}: actual={case.actual!r} {case.rule} -> Python {python!r}, LibreOffice {value!r}"
            )
    parity_report.append(f"LibreOffice {method:14} {count} rounding halves, {len(mismatches)} mismatches")
    assert count == CASES_PER_METHOD
    assert not mismatches, "\n".join(mismatches[:20])


def test_role_tables_match_libreoffice(recalculated: dict[str, Any], parity_report: list[str]) -> None:
    sheet = recalculated["tables"]
    mismatches = []
    checked = Counter()
    for t, cells in recalculated["blocks"]:
        python = cases.python_table(t)
        for key, want in python.items():
            refs = cells[key] if isinstance(cells[key], list) else [cells[key]]
            wants = want if isinstance(want, list) else [want]
            for ref, w in zip(refs, wants, strict=True):
                checked[key] += 1
                got = from_sheet(sheet.get(ref))
                if key in UNROUNDED and isinstance(w, float):
                    w = float(f"{w:.15g}")  # LibreOffice stores 15 significant digits in the file
                if not same(w, got):
                    mismatches.append(f"{ref} ({key}): Python {w!r}, LibreOffice {got!r} in {t}")
    complete = sum(1 for t, _ in recalculated["blocks"] if all(scoring.kpi_pending(s) == 0 for _, _, s in t.kpis))
    parity_report.append(
        f"LibreOffice tables: {len(recalculated['blocks'])} role tables ({complete} complete), "
        f"{sum(checked.values())} cells, {len(mismatches)} mismatches"
    )
    assert not mismatches, "\n".join(mismatches[:20])


def test_grades_come_out_for_complete_tables(recalculated: dict[str, Any]) -> None:
    """The comparison is not vacuous: most complete tables get a total and a grade."""
    sheet = recalculated["tables"]
    graded = sum(1 for _, cells in recalculated["blocks"] if isinstance(from_sheet(sheet.get(cells["grade"])), str))
    assert graded > TABLES // 2
