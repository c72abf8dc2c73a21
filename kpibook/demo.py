"""`kpibook demo`: the whole cycle on the bundled spec and sample roster.

generate -> managers fill the workbooks (most complete, a few half-done, one never returned,
one with a target "adjusted" by hand) -> consolidate -> audit -> calibrate (two planted moves,
one without a reason) -> consolidate again with the calibration. Everything lands under one
folder, and the result says where each output is.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.fill import fill_workbook, manager_actuals, rewrite_scorecard
from kpibook.generate import generate
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
    calibration: Path | None = None  # the meeting's workbook, with two planted moves
    calibrated_summary: Path | None = None  # the summary again, with the calibration applied
    lines: list[str] = field(default_factory=list)  # what happened, for the CLI to print
    exit_code: int = 0


def demo(out_dir: str | Path = "demo-out") -> DemoResult:
    out = Path(out_dir)
    spec = load_spec(bundled_spec_path())
    workbooks, returned = out / "workbooks", out / "returned"
    for folder in (workbooks, returned):
        if folder.exists():
            shutil.rmtree(folder)  # the demo's own output from an earlier run
    result = DemoResult(
        out, workbooks, returned, out / "summary.xlsx", out / "summary.csv", out / "audit.txt", out / "report.html"
    )
    generated = generate(samples_dir() / "roster.csv", DEMO_PERIOD, workbooks, spec=spec)
    result.lines.append(f"Generated {len(generated.written)} workbooks in {generated.seconds:.2f} s: {workbooks}")
    _fill_as_managers(spec, generated.written, workbooks, returned, result)

    from kpibook.audit import audit
    from kpibook.consolidate import consolidate

    summary = consolidate(
        [returned], result.summary, spec=spec, manifest=workbooks / "manifest.csv", csv=result.summary_csv
    )
    result.lines.append(f"Department summary: {result.summary}  (CSV: {result.summary_csv})")
    result.lines += [f"  {line}" for line in summary.status_lines()]
    from kpibook.report import report

    result.lines.append(f"Department report: {report(result.summary, result.report, spec=spec).out}")
    audited = audit([returned], spec=spec)
    result.audit_report.write_text("\n".join(audited.lines()) + "\n", encoding="utf-8")
    result.lines.append(f"Audit report: {result.audit_report}  ({audited.verdict_line()})")
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
    result.calibration = fill_calibration(blank.out, blank.out, DEMO_MOVES)
    result.lines.append(f"Calibration workbook: {result.calibration}  (planted: {_moves_text()})")
    result.calibrated_summary = result.out_dir / "summary-calibrated.xlsx"
    calibrated = consolidate(
        [returned], result.calibrated_summary, spec=spec, manifest=workbooks / "manifest.csv",
        calibration=result.calibration,
    )  # fmt: skip
    reported = [i for i in calibrated.issues if i.code.startswith("calibration.")]
    result.lines.append(f"Calibrated summary: {result.calibrated_summary}  ({len(reported)} calibration issue(s))")


def _moves_text() -> str:
    return "; ".join(f"{who} -> {grade} ({reason or 'no reason'})" for who, (grade, reason) in DEMO_MOVES.items())


def _fill_as_managers(spec, written: list[Path], workbooks: Path, returned: Path, result: DemoResult) -> None:  # type: ignore[no-untyped-def]
    """Most managers fill everything; two leave inputs blank; one workbook never comes back;
    one manager raises a target by hand (the audit catches it)."""
    from kpibook.read import read_workbook

    rng = random.Random(SEED)
    for index, path in enumerate(sorted(written)):
        if index == 5:
            result.lines.append(f"Not returned (shows as missing): {path.name}")
            continue
        role_id = read_workbook(path).metadata["role_id"]
        blank_rate = 0.3 if index in (3, 11) else 0.0
        actuals = manager_actuals(spec.role(role_id), rng, blank_rate=blank_rate)
        dest = returned / path.relative_to(workbooks)
        fill_workbook(path, dest, spec, actuals, comments={next(iter(actuals), ""): "见 CRM 报表 / see CRM report"})
        if index == 8:
            _raise_a_target(dest)
            result.lines.append(f"Tampered on purpose (a target edited by hand): {dest.name}")


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
