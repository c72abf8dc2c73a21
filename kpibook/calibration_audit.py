"""`audit` of a calibration workbook, as a scorecard is audited: its fixed cells and signature
(kpibook.calibration_book.read_calibration), every computed formula against what calibrate
writes, the locks (only calibrated_grade and reason open), the list validation of the grades,
and the inputs themselves (a grade outside the scale, a change without a reason).

kpibook.audit calls `check_calibration` for every workbook `is_calibration` recognises and
turns what it returns into its own findings (this module does not import the audit, which
imports it).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from kpibook.calibration_book import (
    DISTRIBUTION,
    FIRST_ROW,
    INPUTS,
    LETTER,
    SHEET,
    read_calibration,
    row_formulas,
)
from kpibook.discover import ERROR, WARNING
from kpibook.errors import KpibookError
from kpibook.fingerprint import Key
from kpibook.messages import t
from kpibook.spec import Spec


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

    def finding(sheet: str, cell: str, code: str, severity: str, message: str, expected: str = "", found: str = ""):  # type: ignore[no-untyped-def]
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
        _check_structure(book, len(data.rows), len(spec.grades), finding)
    finally:
        book.close()
    return result


def _check_structure(book: openpyxl.Workbook, rows: int, grades: int, finding) -> None:  # type: ignore[no-untyped-def]
    for name in (SHEET, DISTRIBUTION):
        if name in book.sheetnames and not book[name].protection.sheet:
            finding(name, "", "calibration.unprotected", ERROR, t("calibration.unprotected"))
    ws = book[SHEET]
    last = FIRST_ROW + max(rows, 1) - 1
    inputs = {LETTER[n] for n in INPUTS}
    for r in range(FIRST_ROW, last + 1):
        for name, formula in row_formulas(r, last, grades).items():
            cell = ws[f"{LETTER[name]}{r}"]
            if str(cell.value).replace(" ", "") != formula.replace(" ", ""):
                finding(SHEET, cell.coordinate, "calibration.formula", ERROR, t("calibration.formula"),
                        formula, str(cell.value or ""))  # fmt: skip
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
