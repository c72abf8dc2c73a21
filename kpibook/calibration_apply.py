"""Reading the calibration back into the summary: `consolidate ... --calibration FILE`.

The workbook is verified first (kpibook.calibration_book.read_calibration: fixed cells and
signature); a workbook for another period or spec is refused (exit 2). Then, per employee who
is ok in this consolidation:

    final_grade = the calibrated grade when it is a grade of the scale and has a reason,
                  else the grade the formulas gave

An employee whose score or grade changed since the calibration (a workbook sent again), a
change without a reason and a grade not in the scale each become an Issues row, and that
change is not applied. The summary gets the columns `calibrated_grade`, `final_grade`,
`calibration_reason` and a sheet "Calibration" with every change and the distribution before
and after against the guideline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.calibration_book import LETTER, SHEET, CalibrationRow, read_calibration
from kpibook.discover import ERROR, WARNING
from kpibook.errors import KpibookError, Problem
from kpibook.fingerprint import Key
from kpibook.guideline import LimitCheck, Person, check
from kpibook.messages import t
from kpibook.records import OK, EmployeeRow, Issue
from kpibook.signing import cell_text
from kpibook.spec import Spec

COLUMNS = ("calibrated_grade", "final_grade", "calibration_reason")
SUMMARY_SHEET = "Calibration"


@dataclass(frozen=True)
class Change:
    employee_id: str
    employee_name: str
    manager: str
    before: str
    calibrated: str
    reason: str
    applied: bool


@dataclass
class CalibrationApplied:
    path: Path
    by_employee: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> the three columns
    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    checks: list[LimitCheck] = field(default_factory=list)
    grades: list[tuple[str, int, int]] = field(default_factory=list)  # grade, before, after (top first)
    min_group: int = 1

    def values(self, row: EmployeeRow) -> list[object]:
        """The three summary columns of one Employees row ("" for rows that are not ok)."""
        return list(self.by_employee.get(row.employee_id, ("", "", "")))


def final_grade(grade: str, calibrated: str, reason: str, scale: Sequence[str]) -> str:
    """The rule, once: the calibrated grade when it is in the scale and has a reason, else `grade`."""
    canonical = _in_scale(calibrated, scale)
    if not calibrated or canonical is None or canonical == grade or not reason.strip():
        return grade
    return canonical


def _in_scale(grade: str, scale: Sequence[str]) -> str | None:
    """The scale's spelling of `grade` (spreadsheets compare grades ignoring case), or None."""
    return next((g for g in scale if g.casefold() == grade.strip().casefold()), None)


def apply_calibration(
    path: str | Path, employees: Sequence[EmployeeRow], spec: Spec, key: Key, period: str
) -> CalibrationApplied:
    data = read_calibration(path, key)
    where = str(data.path)
    if period and data.period and data.period != period:
        raise KpibookError([Problem(where, t("calibration.other_period", found=data.period, expected=period))])
    if data.metadata.get("spec_sha256") != spec.sha256:
        raise KpibookError(
            [Problem(where, t("calibration.other_spec", found=data.metadata.get("spec_sha256", "")[:12]))]
        )
    ok_ids = {e.employee_id for e in employees if e.status == OK}
    if data.rows and not ok_ids.intersection(r.employee_id for r in data.rows):
        raise KpibookError([Problem(where, t("calibration.other_summary", count=len(data.rows)))])
    scale = [g.grade for g in spec.grades]
    applied = CalibrationApplied(data.path, min_group=spec.calibration.min_group if spec.calibration else 1)
    rows = {r.employee_id: r for r in data.rows}
    people = []
    for employee in employees:
        if employee.status != OK or employee.total_score is None:
            if employee.employee_id in rows:
                applied.issues.append(_not_ok(where, rows.pop(employee.employee_id), employee.status))
            continue
        row = rows.pop(employee.employee_id, None)
        final = _one(applied, where, employee, row, scale)
        people.append(
            Person(employee.employee_id, employee.manager, employee.role_id, employee.department,
                   employee.total_score, employee.grade, final, employee.employee_name)
        )  # fmt: skip
    for row in rows.values():  # in the calibration, not in this consolidation at all
        applied.issues.append(_not_ok(where, row, "absent"))
    applied.checks = check(spec.calibration, people) if spec.calibration else []
    applied.grades = [
        (g, sum(p.grade == g for p in people), sum(p.final_grade == g for p in people)) for g in reversed(scale)
    ]
    return applied


def _one(
    applied: CalibrationApplied, where: str, employee: EmployeeRow, row: CalibrationRow | None, scale: list[str]
) -> str:
    """The final grade of one ok employee; records the three columns, the change and any issue."""
    grade = employee.grade
    if row is None:
        who = f"{employee.employee_id} {employee.employee_name}"
        applied.issues.append(
            Issue(where, SHEET, "", WARNING, t("calibration.absent", employee=who), "calibration.absent")
        )
    if row is None or not row.calibrated_grade:
        applied.by_employee[employee.employee_id] = ("", grade, row.reason if row else "")
        return grade
    who = f"{employee.employee_id} {employee.employee_name}"
    if cell_text(row.total_score) != cell_text(employee.total_score) or row.grade != grade:
        applied.issues.append(
            Issue(where, SHEET, f"{LETTER['total_score']}{row.row}", WARNING,
                  t("calibration.stale", employee=who, then=cell_text(row.total_score), grade=row.grade,
                    now=cell_text(employee.total_score), grade_now=grade), "calibration.stale")
        )  # fmt: skip
        applied.by_employee[employee.employee_id] = ("", grade, "")
        return grade
    final = final_grade(grade, row.calibrated_grade, row.reason, scale)
    canonical = _in_scale(row.calibrated_grade, scale)
    if canonical is None:
        applied.issues.append(
            Issue(where, SHEET, f"{LETTER['calibrated_grade']}{row.row}", ERROR,
                  t("calibration.not_a_grade", employee=who, found=row.calibrated_grade, scale=", ".join(scale)),
                  "calibration.not_a_grade")
        )  # fmt: skip
    elif canonical != grade and not row.reason.strip():
        applied.issues.append(
            Issue(where, SHEET, f"{LETTER['reason']}{row.row}", ERROR,
                  t("calibration.no_reason", employee=who, before=grade, after=canonical), "calibration.no_reason")
        )  # fmt: skip
    shown = canonical or row.calibrated_grade
    applied.by_employee[employee.employee_id] = (shown, final, row.reason)
    if shown != grade:
        applied.changes.append(
            Change(employee.employee_id, employee.employee_name, employee.manager, grade, shown, row.reason,
                   final != grade)
        )  # fmt: skip
    return final


def _not_ok(where: str, row: CalibrationRow, status: str) -> Issue:
    return Issue(
        where, SHEET, f"A{row.row}", WARNING, t("calibration.not_ok_now", employee=row.who, status=status),
        "calibration.not_ok_now",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# The summary's "Calibration" sheet (values: the record of what the meeting decided)
# ---------------------------------------------------------------------------------------


def sheet_rows(applied: CalibrationApplied) -> list[list[object]]:
    """The rows of the summary's Calibration sheet: changes, distribution, the limits."""
    rows: list[list[object]] = [
        [f"校准 Calibration: {applied.path.name}"],
        [],
        ["调整 Changes"],
        ["employee_id", "employee_name", "manager", "before", "calibrated", "applied", "reason"],
    ]
    rows += [
        [c.employee_id, c.employee_name, c.manager, c.before, c.calibrated, "yes" if c.applied else "NO", c.reason]
        for c in applied.changes
    ] or [["(无调整 no changes)"]]
    rows += [[], ["等级分布 Distribution"], ["grade", "before", "after", "change"]]
    rows += [[g, b, a, a - b] for g, b, a in applied.grades]
    rows += [[], ["指引 Guideline limits (after calibration)"]]
    rows += [["limit", "scope", "group", "people", "max", "min", "before", "after", "to move", "status"]]
    for c in applied.checks:
        rows.append(
            [c.limit.text(), c.limit.scope_text(), c.group or "(all)", c.people, c.allowed_max, c.required_min,
             c.before, c.after, c.to_move, c.status(applied.min_group)]
        )  # fmt: skip
    broken = [c for c in applied.checks if c.status(applied.min_group) in ("over", "under")]
    rows += [[], [f"仍未满足的指引 Limits still broken: {len(broken)}"]]
    rows += [[c.limit.text(), c.group or "(all)", f"{c.status(applied.min_group)} by {c.to_move}"] for c in broken]
    return rows
