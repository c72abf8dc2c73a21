"""YEAR.xlsx recalculated by LibreOffice equals Python's year: every formula column of every
row, the Totals per department and manager, the Trend's grade counts; and the file LibreOffice
saved still passes `kpibook audit`. Once on hand-made quarters (tests/test_annual.py's plan:
weights 10/20/30/40, cap 1.3, hires, leavers, incomplete years), once on the demo's year
(four quarters generated, filled, consolidated). And every formula cell of Totals and Trend in
kpibook's own file caches the value LibreOffice computes (issue 14 item 5)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kpibook.annual import AnnualResult, annual
from kpibook.demo_year import demo_year
from kpibook.resources import bundled_spec_path
from kpibook.spec import load_spec
from kpibook.year_audit import year_findings
from tests.lo import cached_values, recalculate
from tests.test_annual import ROSTER, spec_with_year, write_plan

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
COMPUTED = ("quarters", "annual_score", "annual_grade", "coefficient", "payout")


def planned_year(folder: Path) -> AnnualResult:
    spec = spec_with_year(
        "[year]\nquarter_weights = { Q1 = 10, Q2 = 20, Q3 = 30, Q4 = 40 }\ncoefficient_cap = 1.3\n"
        "[year.coefficients]\nS = 1.5\nA = 1.2\nB = 1.0\nC = 0.8\nD = 0.0\n"
    )
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    summaries = write_plan(folder, spec)
    return annual(summaries, folder / "YEAR.xlsx", csv=folder / "payout.csv", roster=folder / "roster.csv", spec=spec)


def demo(folder: Path) -> AnnualResult:
    return demo_year(folder, load_spec(bundled_spec_path())).year


def demo_without_q4(folder: Path) -> AnnualResult:
    """The demo's first three quarters only: no one has Q4 points, so each Q4 dimension mean is ""."""
    spec = load_spec(bundled_spec_path())
    made = demo_year(folder / "demo", spec)
    return annual(made.summaries[:3], folder / "YEAR.xlsx", roster=made.pay_roster, spec=spec)


def python_value(row: object, column: str) -> object:
    value = row.counted if column == "quarters" else getattr(row, column)
    return "" if value is None else value


@pytest.mark.parametrize("make", [planned_year, demo], ids=["planned", "demo"])
def test_libreoffice_recalculation_equals_python(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = make(tmp_path)
    [saved] = recalculate([result.out], tmp_path / "lo")
    cells = cached_values(saved, "Year")
    header = {cells[f"{c}2"]: c for c in "ABCDEFGHIJKLMN"}
    for number, row in enumerate(result.rows, 3):
        assert cells[f"A{number}"] == row.employee_id
        for column in COMPUTED:
            found = cells.get(f"{header[column]}{number}")
            want = python_value(row, column)
            found = "" if found is None else found
            assert found == (pytest.approx(want) if isinstance(want, float) else want), (row.employee_id, column)
    frame = result.dataframe()
    totals = cached_values(saved, "Totals")
    labels = {v: k for k, v in totals.items() if isinstance(v, str) and k.startswith("A")}
    for column in ("department", "manager"):
        for name, paid in frame.groupby(column)["payout"].apply(lambda s: pd.to_numeric(s).sum()).items():
            assert totals[f"D{labels[name][1:]}"] == pytest.approx(paid), (column, name)
    assert totals[f"D{labels['total'][1:]}"] == pytest.approx(result.payout_total)
    trend = cached_values(saved, "Trend")
    for r in range(4, 9):
        grade = trend[f"A{r}"]
        for i, quarter in enumerate(("Q1", "Q2", "Q3", "Q4")):
            counted = Counter(row.quarters[quarter].grade for row in result.rows)
            assert trend[f"{'BCDE'[i]}{r}"] == counted.get(grade, 0), (grade, quarter)
    assert year_findings(saved) == []  # LibreOffice's own save still audits clean


def formula_cells(path: Path, sheet: str) -> list[str]:
    """The cells of `sheet` that hold a formula, as kpibook wrote them."""
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.coordinate for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]


@pytest.mark.parametrize("make", [planned_year, demo, demo_without_q4], ids=["planned", "demo", "demo_q1_q3"])
def test_totals_and_trend_carry_the_values_libreoffice_computes(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 5: a reader that does not calculate (a previewer, pandas) sees in kpibook's
    own file, in every formula cell of Totals and Trend, what a spreadsheet computes."""
    result = make(tmp_path)
    [saved] = recalculate([result.out], tmp_path / "lo")
    for sheet in ("Totals", "Trend"):
        cells = formula_cells(result.out, sheet)
        assert len(cells) >= 10, sheet
        ours, theirs = cached_values(result.out, sheet), cached_values(saved, sheet)
        for ref in cells:
            want, found = theirs[ref], ours[ref]
            if isinstance(want, (int, float)):
                assert isinstance(found, (int, float)), (sheet, ref, found, want)
                assert found == pytest.approx(want, abs=1e-9, rel=0), (sheet, ref)
            else:  # text; openpyxl reads a cached "" (a mean with no points) as None on both sides
                assert found == want, (sheet, ref, found, want)
