"""`audit` of a calibration workbook, as a scorecard is audited: its fixed cells and signature
(kpibook.calibration_book.read_calibration), every formula of the Calibration and Distribution
sheets against the workbook calibrate writes for the same verified rows under the spec, every
cached formula value against the value kpibook computes for what is typed in the rows
(kpibook.calibration_sheets.formula_values; a formula without a cached value is not judged), the
locks (only calibrated_grade and reason open), the list validation of the grades, and the inputs
themselves (a grade outside the scale, a change without a reason).

kpibook.audit calls `check_calibration` for every workbook `is_calibration` recognises and
turns what it returns into its own findings (this module does not import the audit, which
imports it).
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

from kpibook.as_excel import chart_mismatches
from kpibook.calibration_book import (
    DISTRIBUTION,
    FIRST_ROW,
    INPUTS,
    LETTER,
    SHEET,
    CalibrationData,
    read_calibration,
    table_rows,
)
from kpibook.calibration_cache import Cached
from kpibook.calibration_sheets import (
    CalibrationBook,
    formula_values,
    make_book,
    people_of,
    typed_inputs,
    workbook_bytes,
)
from kpibook.discover import ERROR, WARNING
from kpibook.errors import KpibookError
from kpibook.fingerprint import Key
from kpibook.messages import t
from kpibook.spec import Spec

Report = Callable[..., None]  # finding(sheet, cell, code, severity, message, expected="", found="")


@dataclass(frozen=True)
class CalibrationFinding:
    sheet: str
    cell: str
    code: str
    severity: str
    message: str
    expected: str = ""
    found: str = ""


@dataclass
class CalibrationCheck:
    period: str = ""
    findings: list[CalibrationFinding] = field(default_factory=list)


def check_calibration(path: Path, spec: Spec, key: Key) -> CalibrationCheck:
    result = CalibrationCheck()

    def finding(
        sheet: str, cell: str, code: str, severity: str, message: str, expected: str = "", found: str = ""
    ) -> None:
        result.findings.append(CalibrationFinding(sheet, cell, code, severity, message, expected, found))

    try:
        data = read_calibration(path, key)
    except KpibookError as exc:
        for problem in exc.problems:
            finding("", "", "calibration.unverified", ERROR, problem.message)
        return result
    result.period = data.period
    scale = {g.grade.casefold() for g in spec.grades}
    for row in data.rows:
        new = row.calibrated_grade
        if new and new.casefold() not in scale:
            finding(SHEET, f"{LETTER['calibrated_grade']}{row.row}", "calibration.not_a_grade", WARNING,
                    t("calibration.not_a_grade", employee=row.who, found=new, scale=", ".join(g.grade for g in spec.grades)))  # fmt: skip
        elif new and new.casefold() != row.grade.casefold() and not row.reason:
            finding(SHEET, f"{LETTER['reason']}{row.row}", "calibration.no_reason", WARNING,
                    t("calibration.no_reason", employee=row.who, before=row.grade, after=new))  # fmt: skip
    try:
        book = openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        finding("", "", "calibration.unverified", ERROR, t("calibration.not_calibration"))
        return result
    try:
        _check_structure(book, len(data.rows), finding)
        expected = _expected(spec, data, typed_inputs(table_rows(book[SHEET], path)))
        changed = _check_formulas(
            book, openpyxl.load_workbook(io.BytesIO(workbook_bytes(expected, Key(b"", "")))), finding
        )
    finally:
        book.close()
    _check_cached(path, formula_values(expected), changed, finding)
    _check_chart(path, finding)
    return result


def _expected(spec: Spec, data: CalibrationData, typed: dict[int, tuple[str, str]]) -> CalibrationBook:
    """The workbook calibrate writes for these (verified) rows under this spec, with what is typed."""
    return make_book(spec, period=data.period, summary_sha256="", people=people_of(data.rows), typed=typed)


def _formula(value: object) -> str | None:
    text = value.text if isinstance(value, ArrayFormula) else value
    return text.replace(" ", "") if isinstance(text, str) and text.startswith("=") else None


def _check_formulas(book: openpyxl.Workbook, expected: openpyxl.Workbook, finding: Report) -> set[tuple[str, str]]:
    """Every formula of Calibration and Distribution as calibrate writes it; no formula added.
    Returns the (sheet, cell) reported."""
    changed = set()
    for name in (SHEET, DISTRIBUTION):
        want, found = expected[name], book[name]
        cells = {c.coordinate for ws in (want, found) for row in ws.iter_rows() for c in row}
        for ref in sorted(cells, key=lambda x: (len(x), x)):
            a, b = _formula(want[ref].value), _formula(found[ref].value)
            if a != b:
                finding(name, ref, "calibration.formula", ERROR, t("calibration.formula"), a or "", b or str(found[ref].value or ""))  # fmt: skip
                changed.add((name, ref))
    return changed


def _check_cached(path: Path, want: Cached, changed: set[tuple[str, str]], finding: Report) -> None:
    """Every cached value of a formula against kpibook's value for what is typed in the rows: a
    value no spreadsheet computes was forged or left stale by a tool that does not calculate.
    An absent cache (openpyxl saves none) and a formula reported as changed are not judged."""
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return
    try:
        for name, values in want.items():
            for ref, value in values.items():
                cached = book[name][ref].value
                if cached is None or (name, ref) in changed or _agrees(value, cached):
                    continue
                finding(name, ref, "calibration.cached_value", ERROR, t("calibration.cached_value"), _shown(value), _shown(cached))  # fmt: skip
    finally:
        book.close()


def _check_chart(path: Path, finding: Report) -> None:
    """Every point the Distribution chart caches against the cell it draws: a bar showing a
    number the cells do not hold was forged (or left stale by a tool that does not calculate)."""
    for point in chart_mismatches(path):
        finding(point.sheet, point.cell, "calibration.chart_cache", ERROR, point.message("calibrate"), point.value, point.cached)  # fmt: skip


def _agrees(want: object, cached: object) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        number = isinstance(cached, (int, float)) and not isinstance(cached, bool)
        return number and math.isclose(float(cached), want, rel_tol=1e-12, abs_tol=1e-9)  # type: ignore[arg-type]
    return _shown(want) == _shown(cached)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _check_structure(book: openpyxl.Workbook, rows: int, finding: Report) -> None:
    for name in (SHEET, DISTRIBUTION):
        if name in book.sheetnames and not book[name].protection.sheet:
            finding(name, "", "calibration.unprotected", ERROR, t("calibration.unprotected"))
    ws = book[SHEET]
    last = FIRST_ROW + max(rows, 1) - 1
    inputs = {LETTER[n] for n in INPUTS}
    for r in range(FIRST_ROW, last + 1):
        for letter in LETTER.values():
            cell = ws[f"{letter}{r}"]
            if (letter in inputs) == bool(cell.protection.locked):
                finding(SHEET, cell.coordinate, "calibration.unlocked", ERROR, t("calibration.unlocked"),
                        "unlocked" if letter in inputs else "locked",
                        "locked" if cell.protection.locked else "unlocked")  # fmt: skip
    column = LETTER["calibrated_grade"]
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list" and f"{column}{FIRST_ROW}" in v.sqref]
    if not lists:
        finding(SHEET, f"{column}{FIRST_ROW}", "calibration.validation", ERROR, t("calibration.validation"))
