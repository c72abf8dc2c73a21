"""`kpibook demo`: the whole cycle on the bundled spec and sample roster.

generate -> managers fill the workbooks (most complete, a few half-done, one never returned,
one with a target "adjusted" by hand) -> HR changes the roster after generation (a target
raised for someone whose manager already filled in the workbook on the shared drive, and the
missing person moved to another manager) and generates again: the ledger reissues, carrying
the entries over -> the old copy that was already sent back is superseded -> status writes
the reminders -> consolidate -> audit -> calibrate (two planted moves, one without a reason) ->
consolidate again with the calibration. Everything lands under one folder, and the result says
where each output is.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.fill import fill_workbook, manager_actuals, patch_cells, rewrite_scorecard
from kpibook.generate import generate
from kpibook.layout import RoleLayout
from kpibook.manifest import read_manifest
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.resources import bundled_spec_path, samples_dir
from kpibook.spec import Spec, load_spec

DEMO_PERIOD = "2026Q4"
SEED = 2026
# The calibration meeting's two moves: a grade raised with its reason, one lowered without.
DEMO_MOVES = {"E1001": ("A", "带教三名新人 / mentored three new hires"), "E1019": ("A", "")}


@dataclass
class DemoResult:
    out_dir: Path
    workbooks: Path
    returned: Path
    summary: Path
    summary_csv: Path
    audit_report: Path
    report: Path  # the department report page (HTML)
    reminders: Path | None = None
    roster: Path | None = None  # the roster as HR changed it after generation
    calibration: Path | None = None  # the meeting's workbook, with two planted moves
    calibrated_summary: Path | None = None  # the summary again, with the calibration applied
    lines: list[str] = field(default_factory=list)  # what happened, for the CLI to print
    exit_code: int = 0


def demo(out_dir: str | Path = "demo-out") -> DemoResult:
    out = Path(out_dir)
    spec = load_spec(bundled_spec_path())
    workbooks, returned = out / "workbooks", out / "returned"
    for folder in (workbooks, returned, out / "reminders"):
        if folder.exists():
            shutil.rmtree(folder)  # the demo's own output from an earlier run
    result = DemoResult(
        out, workbooks, returned, out / "summary.xlsx", out / "summary.csv", out / "audit.txt", out / "report.html"
    )
    generated = generate(samples_dir() / "roster.csv", DEMO_PERIOD, workbooks, spec=spec)
    seconds = f"{generated.seconds:.2f}"
    result.lines.append(t("demo.generated", count=len(generated.written), seconds=seconds, out=workbooks))
    missing_id = _fill_as_managers(spec, generated.written, workbooks, returned, result)
    _change_and_reissue(spec, out, missing_id, result)

    from kpibook.audit import audit
    from kpibook.consolidate import consolidate
    from kpibook.status import status

    chased = status([returned], workbooks / "manifest.csv", spec=spec, reminders=out / "reminders")
    result.reminders = out / "reminders"
    result.lines.append(t("demo.status_heading"))
    result.lines += [f"  {line}" for line in chased.lines()]
    result.lines += [t("demo.reminder_written", path=path) for path in chased.reminders]

    summary = consolidate(
        [returned], result.summary, spec=spec, manifest=workbooks / "manifest.csv", csv=result.summary_csv
    )
    result.lines.append(t("cli.summary", out=result.summary) + t("cli.summary_csv", csv=result.summary_csv))
    result.lines += [f"  {line}" for line in summary.status_lines()]
    from kpibook.report import report

    result.lines.append(t("demo.report", path=report(result.summary, result.report, spec=spec).out))
    audited = audit([returned], spec=spec)
    result.audit_report.write_text("\n".join(audited.lines()) + "\n", encoding="utf-8")
    result.lines.append(t("demo.audit_report", path=result.audit_report, verdict=audited.verdict_line()))
    _calibrate(spec, workbooks, returned, result)
    result.exit_code = 0
    return result


def _calibrate(spec: Spec, workbooks: Path, returned: Path, result: DemoResult) -> None:
    """The calibration meeting: one move with its reason, one without (reported, not applied)."""
    from kpibook.calibrate import calibrate
    from kpibook.calibration_fill import fill_calibration
    from kpibook.consolidate import consolidate

    (result.out_dir / "calibration.xlsx").unlink(missing_ok=True)  # the demo's own, from an earlier run
    blank = calibrate(result.summary, result.out_dir / "calibration.xlsx", spec=spec)
    result.calibration = fill_calibration(blank.out, blank.out, DEMO_MOVES, spec)
    result.lines.append(t("demo.calibration_book", path=result.calibration, moves=_moves_text()))
    result.calibrated_summary = result.out_dir / "summary-calibrated.xlsx"
    calibrated = consolidate(
        [returned], result.calibrated_summary, spec=spec, manifest=workbooks / "manifest.csv",
        calibration=result.calibration,
    )  # fmt: skip
    reported = [i for i in calibrated.issues if i.code.startswith("calibration.")]
    result.lines.append(t("demo.calibrated", path=result.calibrated_summary, count=len(reported)))


def _moves_text() -> str:
    return "; ".join(
        f"{who} -> {grade} ({reason or t('demo.no_reason')})" for who, (grade, reason) in DEMO_MOVES.items()
    )


def _fill_as_managers(spec: Spec, written: list[Path], workbooks: Path, returned: Path, result: DemoResult) -> str:
    """Most managers fill everything; two leave inputs blank; one workbook never comes back;
    one manager raises a target by hand (the audit catches it); one fills the workbook where it
    lies on the shared drive, as well as sending a copy. Returns the missing employee's id."""
    from kpibook.read import read_workbook

    rng = random.Random(SEED)
    missing_id = ""
    for index, path in enumerate(sorted(written)):
        if index == 5:
            result.lines.append(t("demo.not_returned", name=path.name))
            missing_id = read_workbook(path).metadata["employee_id"]
            continue
        metadata = read_workbook(path).metadata
        role_id = metadata["role_id"]
        blank_rate = 0.3 if index in (3, 11) else 0.0
        actuals = manager_actuals(spec.role(role_id), rng, blank_rate=blank_rate)
        dest = returned / path.relative_to(workbooks)
        fill_workbook(path, dest, spec, actuals, comments={next(iter(actuals), ""): "见 CRM 报表 / see CRM report"})
        if blank_rate == 0.0:
            _sign(spec, role_id, dest, metadata, late=index == 2)
        if index == 8:
            _raise_a_target(dest)
            result.lines.append(t("demo.tampered", name=dest.name))
        if metadata["employee_id"] == "E1001":  # also filled on the shared drive: the reissue carries it
            shutil.copyfile(dest, path)
    return missing_id


def _sign(spec: Spec, role_id: str, path: Path, metadata: dict[str, str], late: bool) -> None:
    """Both sign-offs and an overall comment, as typed into the workbook; one manager types
    "下周一" ("next Monday") instead of a date, which the summary reports at its cell."""
    cells = RoleLayout(spec.role(role_id), spec.grades).signoff_cells
    signed_on = 46392.0  # 2027-01-05, as Excel stores a date
    values = {
        cells["employee_signature"]: metadata["employee_name"],
        cells["employee_date"]: signed_on,
        cells["manager_signature"]: metadata["manager"],
        cells["manager_date"]: "下周一" if late else signed_on,
        cells["overall_comment"]: "达成目标，继续保持 / on target, keep it up",
    }
    rewrite_scorecard(path, path, lambda xml: patch_cells(xml, values))


def _change_and_reissue(spec: Spec, out: Path, missing_id: str, result: DemoResult) -> None:
    """After generation HR raises E1001's revenue target (already filled in: the new issue carries
    the entries) and moves the missing employee to another manager; generate reconciles. E1001's
    manager then sends the new issue too, so the old copy in returned/ is superseded."""
    with open(samples_dir() / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["employee_id"] == "E1001":
            row["target.sm_revenue"] = "6500000"
        if row["employee_id"] == missing_id:
            row["manager"] = "陈总监" if row["manager"] != "陈总监" else "王芳"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    result.roster = out / "roster-changed.csv"
    atomic_write(result.roster, buffer.getvalue().encode("utf-8-sig"))
    workbooks = out / "workbooks"
    again = generate(result.roster, DEMO_PERIOD, workbooks, spec=spec)
    result.lines.append(t("demo.roster_changed"))
    result.lines += [f"  {line}" for line in again.change_lines()]
    current = next(e for e in read_manifest(workbooks / "manifest.csv") if e.employee_id == "E1001")
    resent = out / "returned" / "inbox" / Path(current.file).name
    resent.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(workbooks / current.file, resent)
    result.lines.append(t("demo.resent", issue=current.issue, name=resent.name))


def _raise_a_target(path: Path) -> None:
    """Halves the first KPI's target in the Scorecard XML, as someone editing the cell would."""

    def halve(xml: bytes) -> bytes:
        return re.sub(
            rb'(<c r="G8"[^>]*><v>)([^<]+)(</v>)',
            lambda m: m.group(1) + repr(float(m.group(2)) / 2).encode() + m.group(3),
            xml,
            count=1,
        )

    rewrite_scorecard(path, path, halve)
