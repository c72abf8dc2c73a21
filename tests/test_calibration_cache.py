"""The calibration workbook carries the cached value of every formula, the value LibreOffice
computes, so previewers that do not calculate show the same numbers as a spreadsheet."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from kpibook.audit import audit
from kpibook.calibrate import calibrate
from kpibook.calibration_sheets import make_book, workbook_bytes
from kpibook.demo import demo
from kpibook.fingerprint import Key
from kpibook.guideline import Person
from kpibook.resources import bundled_spec_path
from kpibook.spec import parse_spec
from kpibook.summary_read import read_summary
from tests.lo import recalculate
from tests.test_calibrate import EVERY_KIND, SPEC_TEXT

SHEETS = ("Calibration", "Distribution")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The workbook calibrate writes for the demo, and one with every kind of limit."""
    folder = tmp_path_factory.mktemp("calcache")
    demo(folder / "out")
    blank = folder / "calibration.xlsx"
    calibrate(folder / "out" / "summary.xlsx", blank, spec=bundled_spec_path())
    spec = parse_spec(SPEC_TEXT.replace('rounding = "nearest"', 'rounding = "down"') + EVERY_KIND)
    employees = [e for e in read_summary(folder / "out" / "summary.xlsx").employees if e["status"] == "ok"]
    people = [
        Person(str(e["employee_id"]), str(e["manager"]), str(e["role_id"]), str(e["department"]),
               float(e["total_score"]), str(e["grade"]), str(e["grade"]), str(e["employee_name"]))  # type: ignore[arg-type]
        for e in employees
    ]  # fmt: skip
    people.sort(key=lambda p: (p.department, -p.total_score))
    every = folder / "every.xlsx"
    every.write_bytes(
        workbook_bytes(make_book(spec, period="2026Q4", summary_sha256="", people=people), Key(b"t", "t"))
    )
    return [blank, every]


def formula_cells(path: Path) -> dict[str, list[str]]:
    book = openpyxl.load_workbook(path)
    try:
        return {
            name: [
                c.coordinate
                for row in book[name].iter_rows()
                for c in row
                if isinstance(c.value, ArrayFormula) or (isinstance(c.value, str) and c.value.startswith("="))
            ]
            for name in SHEETS
        }
    finally:
        book.close()


def values(path: Path) -> dict[str, dict[str, object]]:
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        return {name: {c.coordinate: c.value for row in book[name].iter_rows() for c in row} for name in SHEETS}
    finally:
        book.close()


def test_every_formula_has_a_value_and_recalculation_stays_on(books: list[Path]) -> None:
    for path in books:
        with zipfile.ZipFile(path) as archive:
            assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")
            for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
                cells = re.findall(rb"<c [^>]*>(?:(?!</c>).)*<f[ >](?:(?!</c>).)*</c>", archive.read(part), re.S)
                assert cells, part
                assert all(b"<v>" in c or b't="str"' in c for c in cells), part
        cached = values(path)
        formulas = formula_cells(path)
        assert len(formulas["Distribution"]) > 30
        assert all(cached["Calibration"][ref] is not None for ref in formulas["Calibration"] if ref[0] in "HK")


@pytest.mark.libreoffice
def test_cached_values_equal_libreoffice(books: list[Path], tmp_path: Path) -> None:
    recalculated = recalculate(books, tmp_path / "lo")
    for path, theirs_path in zip(books, recalculated):
        ours, theirs = values(path), values(theirs_path)
        compared = 0
        for sheet, refs in formula_cells(path).items():
            for ref in refs:
                mine, lo = ours[sheet][ref], theirs[sheet][ref]
                where = f"{path.name}!{sheet}!{ref}"
                if isinstance(lo, (int, float)) and not isinstance(lo, bool):
                    assert isinstance(mine, (int, float)), (where, mine, lo)
                    assert mine == pytest.approx(lo, abs=1e-9, rel=0), where
                else:
                    assert (mine or "") == (lo or ""), (where, mine, lo)
                compared += 1
        assert compared > 100, path


def test_the_audit_passes_on_the_new_file(books: list[Path]) -> None:
    result = audit([books[0]], spec=bundled_spec_path())
    assert result.exit_code == 0 and not result.findings, result.lines()
