"""The department summary's records: an employee's status, the Employees columns, the Issues
rows and the result of `consolidate`. Consolidate makes them and the summary writer writes
them; both import them from here, so neither depends on the other for its vocabulary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpibook import scoring
from kpibook.audit import Finding
from kpibook.discover import ERROR, WARNING
from kpibook.messages import current_language, t

# The contract's vocabulary: an employee's status and the Employees columns, in this order.
OK, INCOMPLETE, REJECTED, MISSING = "ok", "incomplete", "rejected", "missing"
STATUSES = (OK, INCOMPLETE, REJECTED, MISSING)
# How a status is shown to people (zh, en); files for scripts (CSV, JSON) keep the ids.
STATUS_LABELS = {
    OK: ("正常", "ok"),
    INCOMPLETE: ("未完成", "incomplete"),
    REJECTED: ("退回", "rejected"),
    MISSING: ("未交", "missing"),
}
# Any shown form of a status back to its id (a summary read back may show labels).
STATUS_IDS = {label: status for status, labels in STATUS_LABELS.items() for label in (status, *labels)}
EMPLOYEE_COLUMNS = (
    "employee_id", "employee_name", "role_id", "department", "manager", "period",
    "status", "total_score", "grade", "file",
)  # fmt: skip
# After the dimension columns: the sign-off (dates are real dates) and the overall comment.
SIGNOFF_COLUMNS = (
    "signoff.employee",
    "signoff.employee_date",
    "signoff.manager",
    "signoff.manager_date",
    "overall_comment",
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One row of the Issues sheet: where, how bad, and what to do."""

    file: str
    sheet: str
    cell: str
    severity: str  # error (the workbook is rejected) | warning (reported, still counted) | info
    message: str
    code: str = ""  # machine-readable reason: "duplicate", "period", "actual.text", an audit code...

    def line(self) -> str:
        """ "file!Sheet!Cell: message (severity)", on one line."""
        where = "!".join(p for p in (self.file, self.sheet, self.cell) if p)
        return " ".join(f"{where}: {self.message} ({self.severity})".split())


@dataclass(slots=True)
class EmployeeRow:
    """One row of the Employees sheet."""

    employee_id: str
    employee_name: str
    role_id: str
    department: str
    manager: str
    period: str
    status: str
    total_score: float | None
    grade: str
    file: str
    dimensions: dict[str, float] = field(default_factory=dict)  # recomputed dimension points
    kpis: dict[str, scoring.Value] = field(default_factory=dict)  # recomputed KPI points (ok rows)
    signoff: dict[str, object] = field(default_factory=dict)  # SIGNOFF_COLUMNS -> value (dates as dt.date)

    def values(self) -> list[object]:
        return [getattr(self, c) for c in EMPLOYEE_COLUMNS]


@dataclass
class ConsolidateResult:
    out: Path
    csv: Path | None
    employees: list[EmployeeRow]
    issues: list[Issue]
    findings: list[Finding]  # the audit's, for the Audit sheet
    files_read: int
    period: str  # the period consolidated ("" when it could not be decided)
    seconds: float = 0.0
    html: Path | None = None  # the department report page, when asked for
    calibration: Any = None  # kpibook.calibration_apply.CalibrationApplied with --calibration

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.status for r in self.employees)
        return {s: counted.get(s, 0) for s in STATUSES}

    @property
    def problems(self) -> list[Issue]:
        return [i for i in self.issues if i.severity in (ERROR, WARNING)]

    @property
    def exit_code(self) -> int:
        """0: every employee ok and nothing reported; 1: anything to act on."""
        clean = all(r.status == OK for r in self.employees) and not self.problems
        return 0 if clean else 1

    def dataframe(self):  # -> pandas.DataFrame
        """The Employees rows as a pandas DataFrame (the contract's columns, then dim.<id>),
        for analysis in Python or a notebook: `kpibook.consolidate(...).dataframe()`."""
        import pandas as pd

        dims = sorted({d for row in self.employees for d in row.dimensions})
        header = list(EMPLOYEE_COLUMNS) + [f"dim.{d}" for d in dims] + list(SIGNOFF_COLUMNS)
        rows = [
            row.values() + [row.dimensions.get(d) for d in dims] + [row.signoff.get(c) for c in SIGNOFF_COLUMNS]
            for row in self.employees
        ]
        return pd.DataFrame(rows, columns=header)

    def status_lines(self) -> list[str]:
        """What happened, in a few lines for the terminal, in the run's language."""
        zh = current_language() == "zh"
        counts = ("，" if zh else ", ").join(
            f"{STATUS_LABELS[status][0 if zh else 1]} {n}" for status, n in self.counts.items()
        )
        totals = [r.total_score for r in self.employees if r.total_score is not None]
        errors = sum(1 for i in self.issues if i.severity == ERROR)
        warnings = sum(1 for i in self.issues if i.severity == WARNING)
        period = self.period or t("consolidate.period_not_decided")
        lines = [
            t("consolidate.status_read", files=self.files_read, seconds=f"{self.seconds:.1f}", period=period),
            t("consolidate.status_employees", count=len(self.employees), counts=counts),
        ]
        if totals:
            mean, low, high = (f"{v:.2f}" for v in (sum(totals) / len(totals), min(totals), max(totals)))
            lines.append(t("consolidate.status_totals", mean=mean, min=low, max=high))
        if errors or warnings:
            lines.append(t("consolidate.status_issues", errors=errors, warnings=warnings))
        else:
            lines.append(t("consolidate.status_no_issues"))
        return lines
