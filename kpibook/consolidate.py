"""`consolidate`: the department roll-up, verified, from whatever managers send back.

    result = consolidate(["returned/"], "summary.xlsx", manifest="out/manifest.csv", csv="summary.csv")

1. Find every .xlsx under the inputs (regular files only; Office lock files and links out of
   the folder are noted and skipped).
2. Audit each workbook in an isolated worker process (kpibook.audit: identity from the
   _kpibook metadata and defined names, formulas, fingerprint, cached values) and check its
   actuals; the scoring core recomputes every score from the actuals and the generated targets.
3. Decide each employee's status across files: duplicates, wrong period, manifest entries
   that never came back.
4. Write summary.xlsx (kpibook.summary) and, on request, the CSV.

Status of an employee (one row each in the Employees sheet):
  ok          a kpibook workbook, untampered, every actual present and valid
  incomplete  a kpibook workbook, untampered, some actuals still blank
  rejected    cannot be used as it is: Issues says why and what to do
  missing     in the manifest, but no workbook came back

Duplicates: copies with identical bytes count once (a warning names the extra copy);
different workbooks for one employee are all rejected, since kpibook cannot know which one
the manager meant (an error on each names all of them).
"""

from __future__ import annotations

import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kpibook import scoring
from kpibook.audit import Finding, WorkbookAudit, audit_workbook
from kpibook.calibration_apply import apply_calibration
from kpibook.discover import ERROR, WARNING, find_workbooks, looks_like_copy
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.manifest import ManifestEntry, read_manifest
from kpibook.messages import t
from kpibook.outputs import check_suffix, check_writable
from kpibook.period import parse_period
from kpibook.pool import DEFAULT_TIMEOUT, TaskFailure, map_isolated
from kpibook.read import WorkbookData
from kpibook.records import INCOMPLETE, MISSING, OK, REJECTED, ConsolidateResult, EmployeeRow, Issue
from kpibook.report import check_report_writable, report
from kpibook.spec import Kpi, Role, Spec, load_spec
from kpibook.summary import is_summary_csv, is_summary_xlsx, write_csv, write_summary


@dataclass(slots=True)
class WorkbookOutcome:
    """What a worker sends back for one file: small and picklable (never the cells)."""

    file: str
    status: str  # ok | incomplete | rejected, before the cross-file rules
    issues: list[Issue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sha256: str = ""
    employee_id: str = ""  # empty: not recognised as a kpibook workbook
    employee_name: str = ""
    role_id: str = ""
    department: str = ""
    manager: str = ""
    period: str = ""
    scores: scoring.RoleScores | None = None

    @property
    def recognised(self) -> bool:
        return bool(self.employee_id)

    def reject(self, issue: Issue) -> None:
        self.status = REJECTED
        self.issues.append(issue)


# ---------------------------------------------------------------------------------------
# The library call
# ---------------------------------------------------------------------------------------


def consolidate(
    inputs: Sequence[str | Path] | str | Path,
    out: str | Path,
    spec: Spec | str | Path | None = None,
    manifest: str | Path | None = None,
    csv: str | Path | None = None,
    key: Key | None = None,
    workers: int | None = None,
    period: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
    html: str | Path | None = None,
    calibration: str | Path | None = None,
) -> ConsolidateResult:
    """Reads every returned workbook under `inputs` and writes the department summary to `out`
    (and, with `html`, the department report page).

    Raises KpibookError (exit 2) when it cannot run: an input or the manifest not found or
    invalid, an invalid spec, an output that cannot be written. Problems with workbooks never
    raise: they are in the result's issues and the summary's Issues sheet.
    """
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    key = key or load_key()
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    out_path, csv_path = Path(out), Path(csv) if csv else None
    expected_period = parse_period(period).label if period else ""
    entries = read_manifest(Path(manifest)) if manifest else None
    check_suffix(out_path, ".xlsx", "--out")
    check_writable(out_path, is_summary_xlsx, "--out")
    if csv_path is not None:
        check_suffix(csv_path, ".csv", "--csv")
        check_writable(csv_path, is_summary_csv, "--csv")
    html_path = Path(html) if html else None
    if html_path is not None:
        check_report_writable(html_path, "--html")
    if manifest and any(p is not None and p.resolve() == Path(manifest).resolve() for p in (out_path, csv_path)):
        raise OutputError([Problem(str(manifest), "is the manifest; it would be overwritten. Choose another output")])
    calibration_path = Path(calibration) if calibration else None
    outputs = [p for p in (out_path, csv_path, calibration_path) if p]
    files, issues = discover([Path(p) for p in inputs], exclude=outputs)
    if not files and entries is None:
        where = ", ".join(map(str, inputs))
        raise KpibookError([Problem(where, "holds no .xlsx workbook; give the folder the returned workbooks are in")])
    outcomes = read_workbooks(files, spec, key, workers=workers, timeout=timeout, progress=progress)
    employees, more_issues, consolidated_period = roll_up(outcomes, entries, expected_period)
    issues += more_issues
    issues += [i for o in outcomes for i in o.issues]
    findings = [f for o in outcomes for f in o.findings]
    result = ConsolidateResult(out_path, csv_path, employees, issues, findings, len(files), consolidated_period)
    if calibration_path is not None:  # the meeting's decisions (kpibook.calibration_apply)
        result.calibration = apply_calibration(calibration_path, employees, spec, key, consolidated_period)
        result.issues += result.calibration.issues
    result.issues = sort_issues(result.issues)
    write_summary(out_path, result, spec, key)
    if csv_path is not None:
        write_csv(csv_path, result, spec)
    if html_path is not None:
        result.html = report(out_path, html_path, spec=spec, key=key).out
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------------------------------
# 1. Finding the workbooks
# ---------------------------------------------------------------------------------------


def discover(inputs: Sequence[Path], exclude: Sequence[Path] = ()) -> tuple[list[Path], list[Issue]]:
    """Every .xlsx under `inputs` (kpibook.discover's rule), with what was skipped as Issues rows."""
    files, skipped = find_workbooks(inputs, exclude)
    return sorted(files, key=str), [Issue(s.path, "", "", s.severity, s.message, s.code) for s in skipped]


# ---------------------------------------------------------------------------------------
# 2. Reading one workbook (in a worker process)
# ---------------------------------------------------------------------------------------


def read_workbooks(
    files: Sequence[Path],
    spec: Spec,
    key: Key,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> list[WorkbookOutcome]:
    """Audits every file in isolated workers; a file that hangs or kills its worker is rejected."""
    names = [str(f) for f in files]
    task = functools.partial(examine, spec=spec, key=key)
    outcomes: list[WorkbookOutcome | None] = [None] * len(names)
    for done, (index, result) in enumerate(map_isolated(task, names, workers=workers, timeout=timeout), 1):
        outcomes[index] = result if isinstance(result, WorkbookOutcome) else _failed(names[index], result)
        if progress:
            progress(done, len(names))
    return [o for o in outcomes if o is not None]


def _failed(file: str, failure: TaskFailure) -> WorkbookOutcome:
    if failure.kind == "timeout":
        message = (
            f"reading it {failure.detail}, so it was stopped; the file is probably damaged or built to "
            "stall readers. Ask for a fresh copy (open it in Excel and Save As .xlsx)."
        )
    elif failure.kind == "memory":
        message = (
            "reading it needed more memory than any kpibook workbook does, so it was stopped; the file is "
            "damaged or hostile. Ask for a fresh copy."
        )
    elif failure.kind == "crash":
        message = f"{failure.detail} while reading it; the file is damaged. Ask for a fresh copy."
    else:
        message = f"could not be read ({failure.detail}); ask for a fresh copy and report this to the kpibook team."
    return WorkbookOutcome(file, REJECTED, [Issue(file, "", "", ERROR, message, f"unreadable.{failure.kind}")])


def examine(file: str, spec: Spec, key: Key) -> WorkbookOutcome:
    """Audit one workbook and check its actuals: the per-file verdict (before cross-file rules)."""
    audit = audit_workbook(Path(file), spec, key)
    findings = list(audit.findings)
    if audit.unreadable is not None:
        reason = audit.unreadable
        issue = Issue(file, "", "", ERROR, _sentence(reason.message), f"unreadable.{reason.code}")
        return WorkbookOutcome(file, REJECTED, [issue], findings)
    outcome = WorkbookOutcome(
        file=file,
        status=OK,
        findings=findings,
        sha256=audit.data.sha256 if audit.data is not None else "",
        employee_id=_text(audit.employee_id),
        employee_name=_text(audit.employee_name),
        role_id=_text(audit.role_id),
        department=_text(audit.department),
        manager=_text(audit.manager),
        period=_text(audit.period),
        scores=audit.scores,
    )
    outcome.issues += [_issue_of(f) for f in findings]
    if any(f.severity == ERROR for f in findings):
        outcome.status = REJECTED
    if not outcome.recognised or audit.scores is None or outcome.role_id not in spec.role_ids:
        if outcome.status != REJECTED:  # the audit should have said why; never let it pass as ok
            outcome.reject(
                Issue(
                    file,
                    "",
                    "",
                    ERROR,
                    "is not a kpibook workbook this spec can score (no employee "
                    "or role in its _kpibook metadata); send back the workbook kpibook generated.",
                    "not_kpibook",
                )
            )
        outcome.scores = None
        return outcome
    blank, wrong = check_actuals(audit, spec.role(outcome.role_id))
    outcome.issues += wrong + blank
    if outcome.status == REJECTED or wrong:
        outcome.status = REJECTED
    elif blank:
        outcome.status = INCOMPLETE
    elif not isinstance(audit.scores.total, float):
        outcome.reject(
            Issue(
                file,
                audit.data.scorecard if audit.data else "",
                "",
                ERROR,
                f"the total cannot be computed ({audit.scores.total}); check the targets of this workbook with HR.",
                "total.error",
            )
        )
    return outcome


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _issue_of(finding: Finding) -> Issue:
    return Issue(
        finding.file,
        finding.sheet or "",
        finding.cell or "",
        finding.severity,
        finding.message,
        f"audit.{finding.code}",
    )


def check_actuals(audit: WorkbookAudit, role: Role) -> tuple[list[Issue], list[Issue]]:
    """(blank actuals, wrong actuals) of a recognised workbook, each naming its cell."""
    data, scores, actuals = audit.data, audit.scores, audit.actuals
    assert data is not None and scores is not None
    file, sheet = str(audit.path), data.scorecard
    blank: list[Issue] = []
    wrong: list[Issue] = []
    for kpi in role.kpis:
        cell = _cell_of(data, f"kpi_{kpi.id}_actual")
        value = actuals.get(kpi.id)
        score = scores.kpis.get(kpi.id)
        where = f"{kpi.name_zh} {kpi.name_en}"
        if score == scoring.BLANK:
            blank.append(
                Issue(
                    file,
                    sheet,
                    cell,
                    WARNING,
                    f"{where}: the actual is blank; enter it{' (or N/A)' if kpi.allow_na else ''} "
                    "and send the workbook back.",
                    "actual.blank",
                )
            )
        elif isinstance(score, scoring.ExcelError):
            wrong.append(
                Issue(
                    file,
                    sheet,
                    cell,
                    ERROR,
                    f"{where}: holds the error value {score}; type the figure itself (a number).",
                    "actual.error",
                )
            )
        elif score == scoring.INVALID:
            wrong.append(Issue(file, sheet, cell, ERROR, _invalid_message(kpi, value, where), "actual.text"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            message = bound_problem(kpi, float(value))
            if message:
                wrong.append(Issue(file, sheet, cell, ERROR, f"{where}: {message}", "actual.bounds"))
    return blank, wrong


def _cell_of(data: WorkbookData, name: str) -> str:
    return data.ref(name)  # "" when the name is gone (the audit reports that)


def _invalid_message(kpi: Kpi, value: object, where: str) -> str:
    if scoring.is_na(value):
        return f"{where}: N/A is not allowed for this KPI; enter a number."
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return f"{where}: {shown!r} is text, not a number; enter the figure as a number (no units or spaces)."


def bound_problem(kpi: Kpi, value: float) -> str:
    """What is wrong with a numeric actual against the KPI's bounds ("" when nothing)."""
    if value < kpi.min or value > kpi.max:
        return f"{_shown(value)} is outside the allowed range {_shown(kpi.min)} to {_shown(kpi.max)}; check the figure."
    if kpi.whole and value != int(value):
        return f"{_shown(value)} is not a whole number; enter a whole number."
    return ""


def _shown(value: float) -> str:
    return format(value, ",.12g")  # 1,000,000,000 rather than 1e+09


# ---------------------------------------------------------------------------------------
# 3. Across files: duplicates, periods, the manifest
# ---------------------------------------------------------------------------------------


def roll_up(
    outcomes: Sequence[WorkbookOutcome],
    manifest: Sequence[ManifestEntry] | None,
    period: str = "",
) -> tuple[list[EmployeeRow], list[Issue], str]:
    """Employees rows (manifest order, then other workbooks), cross-file issues, the period.

    Order matters: a workbook for another period is rejected first and, when the employee
    also sent one for the right period, appears only in Issues; only then are the remaining
    workbooks of one employee checked for duplicates.
    """
    issues: list[Issue] = []
    by_id: dict[str, list[WorkbookOutcome]] = defaultdict(list)
    for o in outcomes:
        if o.recognised:
            by_id[o.employee_id].append(o)
    period = _check_periods(by_id, manifest, period)
    by_id = {employee_id: _resolve_duplicates(employee_id, group, issues) for employee_id, group in by_id.items()}
    known = {e.employee_id: e for e in manifest} if manifest is not None else {}
    rows: list[EmployeeRow] = []
    unreadable = [o for o in outcomes if not o.recognised]
    claimed: set[str] = set()
    for entry in manifest or ():
        group = by_id.pop(entry.employee_id, None)
        if group is None:
            stray = _unreadable_for(entry, unreadable, claimed)
            if stray is not None:
                rows.append(_row(entry, [stray]))
                continue
            rows.append(_missing_row(entry))
            issues.append(
                Issue(
                    entry.file,
                    "",
                    "",
                    ERROR,
                    f"no workbook came back for {entry.employee_id} {entry.employee_name} "
                    f"({entry.role_id}, manager {entry.manager}); expected {entry.file}. Ask "
                    f"{entry.manager or 'the manager'} to send it.",
                    "missing",
                )
            )
            continue
        _check_against_manifest(entry, group)
        rows.append(_row(entry, group))
    for employee_id in sorted(by_id):
        group = by_id[employee_id]
        if manifest is not None:
            for o in group:
                issues.append(
                    Issue(
                        o.file,
                        "",
                        "",
                        WARNING,
                        f"{employee_id} {o.employee_name} is not in the manifest; the workbook is "
                        "listed as an extra row. Check that it belongs to this department and period.",
                        "not_in_manifest",
                    )
                )
        rows.append(_row(known.get(employee_id), group))
    for o in unreadable:  # no employee's: in Issues only, never a row (a blank id would be counted)
        if o.file not in claimed:
            o.issues = [_skipped(i) for i in o.issues]
    return rows, issues, period


def _skipped(issue: Issue) -> Issue:
    """A foreign workbook found among the returned ones: said so, as a warning (it was skipped)."""
    if issue.code not in ("unreadable.not_kpibook", "not_kpibook"):
        return issue
    return Issue(issue.file, issue.sheet, issue.cell, WARNING, t("consolidate.not_kpibook_skipped"), issue.code)


def _resolve_duplicates(employee_id: str, group: list[WorkbookOutcome], issues: list[Issue]) -> list[WorkbookOutcome]:
    """One employee's workbooks: identical copies kept once, different ones all rejected.
    Of identical copies the one kept is the one whose name does not look like a copy
    ("x - 副本.xlsx", "x (1).xlsx"), so the message asks to remove the copy, not the original."""
    first_of: dict[str, WorkbookOutcome] = {}
    distinct: list[WorkbookOutcome] = []
    for o in sorted(group, key=lambda o: looks_like_copy(o.file)):
        if o.sha256 and o.sha256 in first_of:
            issues.append(
                Issue(
                    o.file,
                    "",
                    "",
                    WARNING,
                    f"is an identical copy of {first_of[o.sha256].file}; counted once. Remove the extra copy.",
                    "duplicate.copy",
                )
            )
            continue
        first_of[o.sha256 or o.file] = o
        distinct.append(o)
    if len(distinct) > 1:
        files = ", ".join(o.file for o in distinct)
        for o in distinct:
            o.reject(
                Issue(
                    o.file,
                    "",
                    "",
                    ERROR,
                    f"{employee_id} was returned in {len(distinct)} different workbooks ({files}); kpibook "
                    "does not pick one. Keep only the right workbook in the folder and run consolidate "
                    "again.",
                    "duplicate",
                )
            )
    return distinct


def _check_periods(
    by_id: dict[str, list[WorkbookOutcome]],
    manifest: Sequence[ManifestEntry] | None,
    period: str,
) -> str:
    """Rejects workbooks for another period than the run's (--period, else the manifest's, else the
    majority's). An employee who also sent a workbook for the right period keeps only those."""
    expected_of: dict[str, str] = {}
    source = "--period"
    if not period and manifest:
        expected_of = {e.employee_id: _norm_period(e.period) for e in manifest}
        period, source = _majority(Counter(expected_of.values())) or "", "the manifest"
    if not period:
        counted = Counter(_norm_period(o.period) for group in by_id.values() for o in group)
        period = _majority(counted) or ""
        source = "most of the returned workbooks"
        if not period and len(counted) > 1:
            found = ", ".join(f"{p or '(none)'}: {n}" for p, n in sorted(counted.items()))
            for group in by_id.values():
                for o in group:
                    o.reject(
                        Issue(
                            o.file,
                            "",
                            "",
                            ERROR,
                            f"the workbooks returned are for different periods ({found}) and none is the "
                            "majority; run consolidate again with --manifest or --period to say which period "
                            "this summary is for.",
                            "period.ambiguous",
                        )
                    )
            return ""
    for employee_id, group in by_id.items():
        expected = expected_of.get(employee_id, period)
        if not expected:
            continue
        wrong = [o for o in group if _norm_period(o.period) != expected]
        for o in wrong:
            o.reject(
                Issue(
                    o.file,
                    "",
                    "",
                    ERROR,
                    f"is for period {o.period or '(none)'}, but this summary is for {expected} (from "
                    f"{source}); send the workbook generated for {expected}.",
                    "period",
                )
            )
        right = [o for o in group if _norm_period(o.period) == expected]
        if right:  # the wrong-period files stay in Issues only; the row is the right period's
            group[:] = right
    return period


def _norm_period(text: str) -> str:
    return text.strip().upper()


def _majority(counted: Counter[str]) -> str | None:
    top = counted.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def _check_against_manifest(entry: ManifestEntry, group: list[WorkbookOutcome]) -> None:
    for o in group:
        if o.role_id != entry.role_id:
            o.reject(
                Issue(
                    o.file,
                    "",
                    "",
                    ERROR,
                    f"was generated for role {o.role_id}, but the manifest lists {entry.employee_id} as "
                    f"{entry.role_id}; send the workbook generated with this manifest.",
                    "role_mismatch",
                )
            )


def _unreadable_for(
    entry: ManifestEntry, unreadable: list[WorkbookOutcome], claimed: set[str]
) -> WorkbookOutcome | None:
    """An unreadable file that by its name is this employee's (generate names files <id>_<name>.xlsx)."""
    expected = Path(entry.file).name.casefold()
    for o in unreadable:
        name = Path(o.file).name.casefold()
        if o.file not in claimed and (name == expected or name.startswith(entry.employee_id.casefold() + "_")):
            claimed.add(o.file)
            return o
    return None


def _missing_row(entry: ManifestEntry) -> EmployeeRow:
    return EmployeeRow(
        entry.employee_id,
        entry.employee_name,
        entry.role_id,
        entry.department,
        entry.manager,
        entry.period,
        MISSING,
        None,
        "",
        "",
    )


def _row(entry: ManifestEntry | None, group: list[WorkbookOutcome]) -> EmployeeRow:
    """The row of one employee from their workbook(s): the manifest's names where it has them."""
    first = group[0]
    status = REJECTED if len(group) > 1 or any(o.status == REJECTED for o in group) else first.status
    row = EmployeeRow(
        employee_id=entry.employee_id if entry else first.employee_id,
        employee_name=entry.employee_name if entry else first.employee_name,
        role_id=entry.role_id if entry else first.role_id,
        department=entry.department if entry else first.department,
        manager=entry.manager if entry else first.manager,
        period=first.period or (entry.period if entry else ""),
        status=status,
        total_score=None,
        grade="",
        file="; ".join(o.file for o in group),
    )
    scores = first.scores
    if status in (OK, INCOMPLETE) and scores is not None:
        row.dimensions = {d: v for d, v in scores.dimensions.items() if isinstance(v, float)}
    if status == OK and scores is not None and isinstance(scores.total, float):
        row.total_score = scores.total
        row.grade = str(scores.grade)
        row.kpis = scores.kpis  # shared, not copied: 10,000 rows add up
    return row


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """By file, then sheet and cell in reading order; discovery notes first within a file."""

    def order(issue: Issue) -> tuple[str, str, int, str]:
        column = issue.cell.rstrip("0123456789")
        row = issue.cell[len(column) :]
        return issue.file, issue.sheet, int(row) if row.isdigit() else 0, column

    return sorted(issues, key=order)
