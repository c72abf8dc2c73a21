"""`calibrate`: the calibration workbook, from a verified department summary.

    result = calibrate("summary.xlsx", "calibration.xlsx")       # key: KPIBOOK_KEY / demo

Only employees whose status is `ok` take part (kpibook recomputed their score from verified
inputs); the others are listed on the sheet "Not calibrated" with the reason the summary gives.
The meeting types a calibrated grade and a reason per person; `kpibook consolidate
--calibration` reads it back (kpibook.calibration_apply).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.calibration_book import is_blank_calibration, is_calibration
from kpibook.calibration_sheets import NotCalibrated, make_book, workbook_bytes
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.guideline import Guideline, LimitCheck, ManagerStats, Person
from kpibook.messages import t
from kpibook.outputs import check_writable, replace_file
from kpibook.records import OK, STATUS_LABELS
from kpibook.spec import Spec, load_spec
from kpibook.summary_read import SummaryData, read_summary
from kpibook.version import __version__


@dataclass
class CalibrateResult:
    out: Path
    period: str
    people: list[Person]
    not_calibrated: list[NotCalibrated]
    guideline: Guideline | None
    checks: list[LimitCheck] = field(default_factory=list)
    managers: list[ManagerStats] = field(default_factory=list)
    exit_code: int = 0

    def lines(self) -> list[str]:
        """What the meeting will see first, in a few lines for the terminal."""
        lines = [
            t("calibrate.written", out=self.out, period=self.period),
            "  " + t("calibrate.counts", people=len(self.people), others=len(self.not_calibrated)),
        ]
        if self.guideline is None:
            lines.append(f"  {t('calibrate.no_guideline')}")
        min_group = self.guideline.min_group if self.guideline else 1
        for c in self.checks:
            status = c.status(min_group)
            if status in ("over", "under"):
                group = f" ({c.group})" if c.group else ""
                lines.append(
                    "  " + t("calibrate.limit_broken", limit=c.limit.text(), group=group, count=c.before,
                             people=c.people, status=t(f"calibrate.{status}"), move=c.to_move)
                )  # fmt: skip
        for m in self.managers:
            if m.flag:
                lines.append(
                    "  " + t("calibrate.manager_flag", manager=m.manager, mean=f"{m.mean:.2f}", gap=f"{m.gap:+.2f}",
                             flag=t(f"calibrate.{m.flag}"))
                )  # fmt: skip
        return lines


def calibrate(
    summary: str | Path, out: str | Path, spec: Spec | str | Path | None = None, key: Key | None = None
) -> CalibrateResult:
    """Writes the calibration workbook for the summary at `summary` to `out`.

    Raises KpibookError (exit 2) when the summary cannot be trusted (kpibook.summary_read), was
    made with another spec, has nobody to calibrate, or `out` cannot be written."""
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    key = key or load_key()
    out = Path(out)
    if out.is_file() and not is_calibration(out):  # say what --out may replace in calibrate's words
        raise OutputError([Problem(str(out), t("calibrate.not_ours"))])
    if out.is_file() and not is_blank_calibration(out):
        raise OutputError([Problem(str(out), t("calibrate.filled"))])
    check_writable(out, is_calibration, "--out")
    data = read_summary(summary, key)
    if data.spec_sha256 != spec.sha256:
        raise KpibookError(
            [Problem(str(data.path), t("calibrate.other_spec", found=data.spec_sha256[:12], expected=spec.sha256[:12]))]
        )
    people = calibrated_people(data)
    if not people:
        raise KpibookError([Problem(str(data.path), t("calibrate.nobody"))])
    book = make_book(
        spec,
        period=data.period,
        summary_sha256=data.metadata.get("employees_sha256", ""),
        people=people,
        not_calibrated=not_calibrated(data),
        extra_metadata={
            "summary_file": data.path.name,
            "kpibook_version": __version__,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )
    replace_file(out, workbook_bytes(book, key))
    return CalibrateResult(out, data.period, people, book.not_calibrated, book.guideline, book.checks, book.managers)


def calibrated_people(data: SummaryData) -> list[Person]:
    """The summary's ok employees, by department, then best score first, then id."""
    people = [
        Person(
            employee_id=_text(e.get("employee_id")),
            manager=_text(e.get("manager")),
            role_id=_text(e.get("role_id")),
            department=_text(e.get("department")),
            total_score=float(e["total_score"]),  # type: ignore[arg-type]
            grade=_text(e.get("grade")),
            final_grade=_text(e.get("grade")),
            employee_name=_text(e.get("employee_name")),
        )
        for e in data.employees
        if e.get("status") == OK and isinstance(e.get("total_score"), (int, float))
    ]
    return sorted(people, key=lambda p: (p.department, -p.total_score, p.employee_id))


def department_ranks(people: list[Person]) -> list[int]:
    """Each person's rank in their department by total score (1 = best; ties share a rank),
    the rule of the workbook's dept_rank formula."""
    return [
        1 + sum(1 for o in people if o.department == p.department and o.total_score > p.total_score) for p in people
    ]


def not_calibrated(data: SummaryData) -> list[NotCalibrated]:
    """Employees who are not ok, with the first error or warning the summary gives for them."""
    rows = []
    for e in data.employees:
        status = str(e.get("status", ""))
        if status == OK:
            continue
        employee_id = _text(e.get("employee_id"))
        files = {f.strip() for f in _text(e.get("file")).split(";") if f.strip()}
        why = next(
            (
                _text(i.get("message"))
                for i in data.issues
                if i.get("severity") in ("error", "warning")
                and (_text(i.get("file")) in files or (employee_id and employee_id in _text(i.get("message"))))
            ),
            "",
        )
        zh, en = STATUS_LABELS.get(status, (status, status))
        rows.append(
            NotCalibrated(
                employee_id, _text(e.get("employee_name")), _text(e.get("manager")), f"{zh} {en}",
                t("calibrate.why_not", status=en, why=why).strip(),
            )
        )  # fmt: skip
    return rows


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
