"""`kpibook audit YEAR.xlsx`: is this year workbook exactly what kpibook annual wrote?

Checks, each finding naming the sheet and cell: the signed metadata (HMAC under HR's key), the
digest of every value cell of the Year sheet and of the Rules sheet's rule cells (a changed
score, base or coefficient), every formula of Year against its column's one template, the
named rule cells, the protection of every sheet, every cached value a spreadsheet saved
against kpibook's own recomputation (kpibook.year_model) from the signed values, and every
point the Trend chart caches against the cell it draws (kpibook.as_excel.chart_mismatches).

Verify layer. It returns plain findings (the fields of kpibook.audit.Finding) so that audit's
entry point (kpibook.audit.run.audit) includes a YEAR.xlsx among the workbooks it audits with a short hook.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kpibook.as_excel import chart_mismatches
from kpibook.fingerprint import Key, load_key
from kpibook.formula_text import normalize
from kpibook.messages import t
from kpibook.spec import Grade
from kpibook.year_book import (
    FIRST_ROW,
    HEADER_ROW,
    KIND,
    METADATA,
    RULES,
    SHEETS,
    YEAR,
    Column,
    columns,
    formula,
    is_year_xlsx,
    letters,
    only_values,
    signature,
    value_header,
    values_digest,
)
from kpibook.year_model import QuarterCell, annual_score, grade_of, payout
from kpibook.year_rules import QUARTERS, YearRules

ERROR, WARNING = "error", "warning"
Add = Callable[..., None]  # year_findings' add(sheet, cell, code, expected, found, severity)
RULE_NAMES = ("quarter_weights", "grade_mins", "grade_names", "coefficients", "coefficient_cap")
GRADE_FIRST_ROW = 7  # kpibook.year_sheets.GRADE_FIRST_ROW (the Rules sheet's grade table)


def year_findings(path: str | Path, key: Key | None = None) -> list[dict[str, str]] | None:
    """The findings on a YEAR.xlsx (empty: clean); None when the file is not a year workbook."""
    path = Path(path)
    if not is_year_xlsx(path):
        return None
    key = key or load_key()
    findings: list[dict[str, str]] = []

    def add(
        sheet: str,
        cell: str,
        code: str,
        expected: object = "",
        found: object = "",
        severity: str = ERROR,
        message: str = "",
    ) -> None:
        findings.append(
            {
                "file": str(path),
                "sheet": sheet,
                "cell": cell,
                "code": f"year.{code}",
                "severity": severity,
                "expected": str(expected),
                "found": str(found),
                "message": message or t(f"year.audit.{code}"),
            }
        )

    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    meta = {
        str(r[0]): "" if r[1] is None else str(r[1]) for r in formulas[METADATA].iter_rows(values_only=True) if r[0]
    }
    if meta.get("kind") != KIND or signature(key, meta) != meta.get("fingerprint"):
        add(METADATA, "B1", "signature", "kpibook annual's signature", "a signature that does not verify")
        return findings
    periods = [f"{meta['period']}{q}" for q in QUARTERS]
    cols = columns(periods)
    where = letters(cols)
    ws = formulas[YEAR]
    header = [c.value for c in ws[HEADER_ROW]][: len(cols)]
    if header != [c.id for c in cols]:
        add(YEAR, f"A{HEADER_ROW}", "header", ",".join(c.id for c in cols), ",".join(map(str, header)))
        return findings
    rows = [list(r[: len(cols)]) for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    rules, grades, rule_cells = _rules(formulas[RULES])
    digest = values_digest(value_header(cols), (only_values(cols, r) for r in rows), rule_cells)
    if digest != meta.get("values_sha256") or str(len(rows)) != meta.get("rows"):
        add(YEAR, f"A{FIRST_ROW}", "values", f"{meta.get('rows')} signed rows", f"{len(rows)} rows, changed")
    _check_formulas(rows, cols, where, periods, add)
    _check_names(formulas, add)
    for sheet in SHEETS:
        if not formulas[sheet].protection.sheet:
            add(sheet, "", "unlocked", "protected", "not protected")
    _check_cached(cached[YEAR], cols, periods, rules, grades, add)
    for point in chart_mismatches(path):  # the Trend chart's bars against the cells they draw
        add(point.sheet, point.cell, "chart_cache", point.value, point.cached, message=point.message("annual"))
    return findings


def _rules(ws: Worksheet) -> tuple[YearRules, list[Grade], list[object]]:
    """The rules as the Rules sheet holds them, and its rule cells in the signed order."""
    weights = {q: float(ws.cell(4, 2 + i).value or 0) for i, q in enumerate(QUARTERS)}
    grades: list[Grade] = []
    coefficients: dict[str, float] = {}
    row = GRADE_FIRST_ROW
    while ws.cell(row, 1).value not in (None, ""):
        name = str(ws.cell(row, 1).value)
        grades.append(Grade(name, float(ws.cell(row, 2).value or 0), 0.0))
        coefficients[name] = float(ws.cell(row, 3).value or 0)
        row += 1
    cap = float(ws.cell(row + 1, 2).value or 0)
    cells = [*weights.values(), *(g.min for g in grades), *(g.grade for g in grades), *coefficients.values(), cap]
    return YearRules(weights, coefficients, cap), grades, cells


def _check_formulas(
    rows: list[list[object]], cols: list[Column], where: dict[str, str], periods: list[str], add: Add
) -> None:
    for number, cells in enumerate(rows, FIRST_ROW):
        for column, value in zip(cols, cells, strict=False):
            if column.template is None:
                continue
            want = formula(column, number, where, periods)
            if not isinstance(value, str) or normalize(value) != normalize(want):
                add(YEAR, f"{where[column.id]}{number}", "formula", want, value)


def _check_names(book: Workbook, add: Add) -> None:
    for name in RULE_NAMES:
        defined = book.defined_names.get(name)
        if defined is None or not str(defined.attr_text).startswith(f"{RULES}!"):
            add(RULES, "", "name", f"{name} on the {RULES} sheet", getattr(defined, "attr_text", "(none)"))


def _check_cached(
    ws: Worksheet, cols: list[Column], periods: list[str], rules: YearRules, grades: list[Grade], add: Add
) -> None:
    """Cached values a spreadsheet saved must be what kpibook computes from the signed values."""
    index = {c.id: i for i, c in enumerate(cols)}
    where = letters(cols)
    for number, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=len(cols), values_only=True), FIRST_ROW):
        if values[0] in (None, ""):
            continue
        scores = [values[index[f"score.{p}"]] for p in periods]
        cells = {q: QuarterCell("", s if isinstance(s, (int, float)) else None) for q, s in zip(QUARTERS, scores)}
        incomplete = values[index["status"]] == "incomplete"
        score = None if incomplete else annual_score(cells, rules.quarter_weights)
        grade = grade_of(score, grades) if score is not None else ""
        coefficient = rules.coefficient(grade) if grade else None
        months, base = values[index["months"]], values[index["bonus_base"]]
        pay = (
            payout(base, coefficient, months)
            if isinstance(base, (int, float)) and isinstance(months, (int, float))
            else None
        )
        expected = {"annual_score": score, "annual_grade": grade, "coefficient": coefficient, "payout": pay}
        expected["quarters"] = sum(s is not None for s in (c.score for c in cells.values()))
        for column_id, want in expected.items():
            found = values[index[column_id]]
            if found is None:
                continue  # no cached value (openpyxl wrote the file): nothing to compare
            if not _same(found, want):
                add(YEAR, f"{where[column_id]}{number}", "cached", _shown(want), _shown(found))


def _same(found: object, want: object) -> bool:
    if want is None or want == "":
        return found in ("", None)
    if isinstance(want, (int, float)) and isinstance(found, (int, float)):
        return abs(float(found) - float(want)) <= 1e-9 * max(1.0, abs(float(want)))
    return str(found) == str(want)


def _shown(value: object) -> str:
    return "(blank)" if value in (None, "") else str(value)
