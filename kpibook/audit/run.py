"""Running the audit: one workbook (`audit_workbook`), or every workbook under some folders
(`audit`). The checks themselves live in kpibook.audit.checks, .validation and .cached.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from kpibook import scoring
from kpibook.audit.cached import check_cached_values
from kpibook.audit.checks import (
    check_constants,
    check_display,
    check_formulas,
    check_functions,
    check_identity,
    check_locks,
    check_metadata,
    check_names,
    check_signature,
    check_workbook,
    read_entries,
    targets_to_score,
)
from kpibook.audit.codes import AuditResult, Finding, Report, WorkbookAudit
from kpibook.audit.expected import expected_workbook
from kpibook.audit.validation import check_validations
from kpibook.calibration_audit import check_calibration
from kpibook.calibration_book import is_calibration
from kpibook.discover import find_workbooks
from kpibook.fingerprint import Key, load_key
from kpibook.layout import METADATA
from kpibook.read import UnreadableWorkbook, WorkbookData, cell_text, read_workbook
from kpibook.spec import Spec, load_spec
from kpibook.year_audit import year_findings


def audit_workbook(
    path: str | Path, spec: Spec, key: Key | None = None, data: WorkbookData | None = None
) -> WorkbookAudit:
    """Audits one returned workbook against `spec` (and the fingerprint key). Never raises for a
    bad file: an unreadable one gets verdict "unreadable" and one finding saying why."""
    path = Path(path)
    result = WorkbookAudit(path)
    report = Report(str(path))
    result.findings = report.findings
    if data is None:
        try:
            data = read_workbook(path)
        except UnreadableWorkbook as exc:
            result.unreadable = exc
            report.add(
                "unreadable", "", "", exc.message, expected="an .xlsx workbook kpibook generated", found=exc.code
            )
            return result
    result.data = data
    key = key or load_key()
    metadata = data.metadata
    card = data.scorecard
    result.employee_id = metadata.get("employee_id") or cell_text(data.value("employee_id"))
    result.employee_name = metadata.get("employee_name") or cell_text(data.value("employee_name"))
    result.role_id = metadata.get("role_id") or cell_text(data.value("role_id"))
    result.period = metadata.get("period") or cell_text(data.value("period"))
    result.department = metadata.get("department", "")
    result.manager = metadata.get("manager", "")

    check_workbook(data, report)
    if not card:
        report.add(
            "name_missing",
            "",
            "",
            "no sheet holds the kpibook named cells (total_score, employee_id...) and "
            "the metadata names none: the scorecard cannot be found",
        )
        return result
    check_metadata(data, report)
    try:
        role = spec.role(result.role_id)
    except KeyError:
        report.add(
            "role_unknown",
            METADATA if data.has_metadata_sheet else card,
            data.metadata_cells.get("role_id", ""),
            f"role {result.role_id!r} is not in "
            f"{spec.source or 'the spec'}: audit with the roles.toml this workbook was generated from",
            expected=", ".join(spec.role_ids),
            found=result.role_id,
        )
        return result
    expected = expected_workbook(spec, role.id)
    # a workbook whose role changed in the spec since it was generated is one finding (other_spec):
    # its cells cannot be compared one by one with a layout they were not made from
    same_layout = check_signature(data, spec, expected, key, report)
    result.targets = targets_to_score(data, expected, report, compare_cells=same_layout)
    read_entries(data, expected, result)
    result.scores = scoring.score_role(role, spec.grades, result.actuals, result.targets)
    check_identity(data, report)
    check_names(data, expected, report, same_layout)
    check_functions(data, report)
    if same_layout:
        check_locks(data, expected, report)
        check_display(data, expected, report)
        check_formulas(data, expected, report)
        check_constants(data, expected, report)
        check_validations(data, expected, report)
        check_cached_values(data, expected, result, report)
    return result


def audit(inputs: Sequence[str | Path], spec: Spec | str | Path | None = None, key: Key | None = None) -> AuditResult:
    """Audits every workbook under `inputs` (files and folders, recursively) against the spec."""
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    key = key or load_key()
    paths, skipped = find_workbooks(inputs)
    result = AuditResult(skipped=[(Path(s.path), s.message) for s in skipped])
    for path in paths:
        year = year_findings(path, key)  # a YEAR.xlsx of kpibook annual is checked as the year
        if year is not None:
            result.workbooks.append(WorkbookAudit(Path(path), findings=[Finding(**f) for f in year]))
            continue
        checked = is_calibration(path)  # a calibration workbook is checked by its own rules
        result.workbooks.append(_calibration_audit(path, spec, key) if checked else audit_workbook(path, spec, key))
    result.seconds = time.perf_counter() - started
    return result


def _calibration_audit(path: Path, spec: Spec, key: Key) -> WorkbookAudit:
    """kpibook.calibration_audit's findings as this audit's (the calibration's own module)."""
    checked = check_calibration(path, spec, key)
    found = [
        Finding(str(path), f.sheet, f.cell, f.code, f.severity, f.expected, f.found, f.message)
        for f in checked.findings
    ]
    return WorkbookAudit(path, findings=found, period=checked.period)
