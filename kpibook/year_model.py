"""The year computed in Python: each person's quarters, annual score, grade, coefficient and
payout, from the quarters' summary rows and the year's rules (kpibook.year_rules).

This is the Python side of YEAR.xlsx's formulas (kpibook.year_book writes the same arithmetic
as Excel formulas; tests recalculate the workbook in LibreOffice and compare). Core layer: it
reads no files; kpibook.annual gives it verified summary rows and the roster's optional
bonus_base / hired / left.

A quarter's state for a person:
- `counted`: an `ok` row in that quarter's summary;
- `not_employed`: absent from the quarter's summary, or outside the roster's hired/left dates;
- `not_returned`: employed (in the summary or by the roster's dates) but not `ok`, or the
  quarter's summary was not given.
The year is `incomplete` when any quarter is not_returned, `partial` when some quarter was not
employed, else `ok`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kpibook.scoring import excel_round
from kpibook.spec import Grade
from kpibook.year_rules import QUARTERS, YearRules

OK, PARTIAL, INCOMPLETE = "ok", "partial", "incomplete"
YEAR_STATUSES = (OK, PARTIAL, INCOMPLETE)
COUNTED, NOT_EMPLOYED, NOT_RETURNED = "counted", "not_employed", "not_returned"
PAY_DAY_OF_MONTH = 15  # a month is worked when the person was employed on its 15th
MONTHS_PER_QUARTER = 3


@dataclass(frozen=True)
class Employment:
    """What the roster says about a person for the year (every field optional)."""

    bonus_base: float | None = None
    hired: dt.date | None = None
    left: dt.date | None = None

    def employed_on(self, day: dt.date) -> bool:
        return (self.hired is None or self.hired <= day) and (self.left is None or self.left >= day)

    def employed_during(self, start: dt.date, end: dt.date) -> bool:
        return (self.hired is None or self.hired <= end) and (self.left is None or self.left >= start)

    @property
    def has_dates(self) -> bool:
        return self.hired is not None or self.left is not None


@dataclass
class QuarterCell:
    """One person in one quarter: what the year sheet shows for it."""

    state: str  # counted | not_employed | not_returned
    score: float | None = None  # only when counted
    grade: str = ""  # the final (calibrated) grade where the summary has one
    role_id: str = ""
    manager: str = ""
    summary_status: str = ""  # the status in that quarter's summary ("" when absent)
    dimensions: dict[str, float] = field(default_factory=dict)


@dataclass
class YearRow:
    employee_id: str
    employee_name: str
    department: str
    manager: str  # the last quarter's
    role_id: str  # the last quarter's
    quarters: dict[str, QuarterCell]
    changes: str = ""  # "role Q1 a -> Q3 b; manager ..." when either changed during the year
    status: str = OK
    counted: int = 0
    annual_score: float | None = None
    annual_grade: str = ""
    coefficient: float | None = None
    months: int | None = None
    bonus_base: float | None = None
    payout: float | None = None


def quarter_dates(year: int, quarter: str) -> tuple[dt.date, dt.date]:
    index = QUARTERS.index(quarter)
    start = dt.date(year, 3 * index + 1, 1)
    end = dt.date(year + (index == 3), (3 * index + 4) % 12 or 12, 1) - dt.timedelta(days=1)
    return start, end


def months_worked(employment: Employment, year: int) -> int:
    """The months of `year` in which the person was employed on the 15th."""
    return sum(employment.employed_on(dt.date(year, m, PAY_DAY_OF_MONTH)) for m in range(1, 13))


def year_rows(
    year: int,
    quarters: Mapping[str, Sequence[Mapping[str, object]] | None],
    rules: YearRules,
    grades: Sequence[Grade],
    employment: Mapping[str, Employment] | None = None,
) -> list[YearRow]:
    """One row per person found in any quarter's summary, by employee id.
    `quarters` maps Q1..Q4 to that summary's Employees rows, None when it was not given."""
    employment = employment or {}
    by_person: dict[str, dict[str, Mapping[str, object]]] = {}
    for quarter in QUARTERS:
        for entry in quarters.get(quarter) or ():
            by_person.setdefault(str(entry["employee_id"]), {})[quarter] = entry
    rows = []
    for employee_id, entries in sorted(by_person.items()):
        job = employment.get(employee_id, Employment())
        cells = {q: _cell(year, q, entries.get(q), quarters.get(q) is not None, job) for q in QUARTERS}
        rows.append(_row(employee_id, entries, cells, job, year, rules, grades))
    return rows


def _cell(year: int, quarter: str, entry: Mapping[str, object] | None, given: bool, job: Employment) -> QuarterCell:
    employed = job.employed_during(*quarter_dates(year, quarter)) if job.has_dates else None
    if entry is None:
        state = NOT_RETURNED if (not given and employed is not False) or (given and employed) else NOT_EMPLOYED
        return QuarterCell(state)
    status = str(entry.get("status") or "")
    total = entry.get("total_score")
    cell = QuarterCell(
        NOT_RETURNED,
        grade=str(entry.get("final_grade") or entry.get("grade") or ""),
        role_id=str(entry.get("role_id") or ""),
        manager=str(entry.get("manager") or ""),
        summary_status=status,
        dimensions={
            str(k)[4:]: float(v)
            for k, v in entry.items()
            if str(k).startswith("dim.") and isinstance(v, (int, float)) and not isinstance(v, bool)
        },
    )
    if status == "ok" and isinstance(total, (int, float)):
        cell.state, cell.score = COUNTED, float(total)
    elif employed is False:
        cell.state = NOT_EMPLOYED
    return cell


def _row(
    employee_id: str,
    entries: Mapping[str, Mapping[str, object]],
    cells: dict[str, QuarterCell],
    job: Employment,
    year: int,
    rules: YearRules,
    grades: Sequence[Grade],
) -> YearRow:
    last = entries[max(entries)]
    row = YearRow(
        employee_id=employee_id,
        employee_name=str(last.get("employee_name") or ""),
        department=str(last.get("department") or ""),
        manager=str(last.get("manager") or ""),
        role_id=str(last.get("role_id") or ""),
        quarters=cells,
        changes=describe_changes(cells),
        bonus_base=job.bonus_base,
    )
    states = [c.state for c in cells.values()]
    row.counted = states.count(COUNTED)
    row.status = INCOMPLETE if NOT_RETURNED in states else PARTIAL if NOT_EMPLOYED in states else OK
    if row.status == INCOMPLETE or not row.counted:
        row.status = INCOMPLETE
        return row
    row.annual_score = annual_score(cells, rules.quarter_weights)
    row.annual_grade = grade_of(row.annual_score, grades) if row.annual_score is not None else ""
    row.coefficient = rules.coefficient(row.annual_grade) if row.annual_grade else None
    row.months = months_worked(job, year) if job.has_dates else MONTHS_PER_QUARTER * row.counted
    row.payout = payout(row.bonus_base, row.coefficient, row.months)
    return row


def annual_score(cells: Mapping[str, QuarterCell], weights: Mapping[str, float]) -> float | None:
    """ROUND(SUMPRODUCT(scores, weights) / SUMPRODUCT(--ISNUMBER(scores), weights), 2), summed in
    quarter order as the spreadsheet does. None when the counted quarters weigh nothing."""
    weighted = 0.0
    counted = 0.0
    for quarter in QUARTERS:
        score = cells[quarter].score
        weighted += (score if score is not None else 0.0) * weights[quarter]
        counted += weights[quarter] if score is not None else 0.0
    return excel_round(weighted / counted, 2) if counted else None


def grade_of(score: float, grades: Sequence[Grade]) -> str:
    """LOOKUP(score, grade_mins, grade_names): the band with the highest min at or below it."""
    found = ""
    for grade in sorted(grades, key=lambda g: g.min):
        if grade.min <= score:
            found = grade.grade
    return found


def payout(base: float | None, coefficient: float | None, months: float | None) -> float | None:
    """ROUND(base * coefficient * months / 12, 2): to the fen, half away from zero."""
    if base is None or coefficient is None or months is None:
        return None
    return excel_round(base * coefficient * months / 12, 2)


def describe_changes(cells: Mapping[str, QuarterCell]) -> str:
    """ "role Q1 a → Q3 b; manager Q2 x → Q3 y": each change of role or manager, in quarter order."""
    parts = []
    for attribute, label in (("role_id", "role"), ("manager", "manager")):
        steps: list[str] = []
        previous = ""
        for quarter, cell in cells.items():
            value = getattr(cell, attribute)
            if value and value != previous:
                steps.append(f"{quarter} {value}")
                previous = value
        if len(steps) > 1:
            parts.append(f"{label} " + " → ".join(steps))
    return "; ".join(parts)
