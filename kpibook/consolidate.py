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

from kpibook import cycle_checks, scoring
from kpibook.audit import Finding, WorkbookAudit, audit_workbook
from kpibook.calibration_apply import apply_calibration
from kpibook.discover import ERROR, WARNING, find_workbooks, looks_like_copy
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key
from kpibook.layout import METADATA
from kpibook.manifest import ManifestEntry, read_manifest
from kpibook.messages import current_language, set_language, t
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
    issue: int = 1  # the _kpibook issue number (checked against the ledger)
    targets_sha256: str = ""  # digest of the signed targets (checked against the ledger)
    unverified_key: str = ""  # the key id it was signed with, when this run's key cannot verify it
    signoff: dict[str, object] = field(default_factory=dict)  # summary columns (records.SIGNOFF_COLUMNS)

    @property
    def recognised(self) -> bool:
        return bool(self.employee_id)

    def reject(self, issue: Issue) -> None:
        self.status = REJECTED
        self.issues.append(issue)


# ---------------------------------------------------------------------------------------
# The library call
# ---------------------------------------------------------------------------------------


def consolidate(  # noqa: PLR0913 - one keyword per option of `kpibook consolidate`, as sqlite-utils does
    inputs: Sequence[str | Path] | str | Path,
    out: str | Path,
    *,
    spec: Spec | str | Path | None = None,
    manifest: str | Path | None = None,
    csv: str | Path | None = None,
    key: Key | None = None,
    workers: int | None = None,
    period: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
    require_signoff: bool = False,
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
        raise OutputError([Problem(str(manifest), t("consolidate.output_is_manifest"))])
    calibration_path = Path(calibration) if calibration else None
    outputs = [p for p in (out_path, csv_path, calibration_path) if p]
    files, issues = discover([Path(p) for p in inputs], exclude=outputs)
    if not files and entries is None:
        where = ", ".join(map(str, inputs))
        raise KpibookError([Problem(where, t("consolidate.no_workbooks"))])
    result = review(
        files,
        spec,
        key,
        entries,
        period=expected_period,
        workers=workers,
        timeout=timeout,
        progress=progress,
        require_signoff=require_signoff,
    )
    result.out, result.csv = out_path, csv_path
    if calibration_path is not None:  # the meeting's decisions (kpibook.calibration_apply)
        result.calibration = apply_calibration(calibration_path, result.employees, spec, key, result.period)
        issues += result.calibration.issues
    result.issues = sort_issues(issues + result.issues)
    write_summary(out_path, result, spec, key)
    if csv_path is not None:
        write_csv(csv_path, result, spec)
    if html_path is not None:
        result.html = report(out_path, html_path, spec=spec, key=key).out
    result.seconds = time.perf_counter() - started
    return result


def review(  # noqa: PLR0913 - consolidate's reading options, passed through
    files: Sequence[Path],
    spec: Spec,
    key: Key,
    entries: Sequence[ManifestEntry] | None,
    *,
    period: str = "",
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
    require_signoff: bool = False,
) -> ConsolidateResult:
    """Steps 2 and 3 without writing anything: the result's rows and issues (its `out` and `csv`
    are unset). `kpibook status` shares it with consolidate, so both judge a workbook alike."""
    outcomes = read_workbooks(files, spec, key, workers, timeout, progress, require_signoff)
    employees, issues, consolidated_period = roll_up(outcomes, entries, period)
    cycle_checks.refuse_all_unverifiable(outcomes)
    issues += [i for o in outcomes for i in o.issues]
    findings = [f for o in outcomes for f in o.findings]
    return ConsolidateResult(Path(), None, employees, sort_issues(issues), findings, len(files), consolidated_period)


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
    require_signoff: bool = False,
) -> list[WorkbookOutcome]:
    """Audits every file in isolated workers; a file that hangs or kills its worker is rejected."""
    names = [str(f) for f in files]
    task = functools.partial(examine, spec=spec, key=key, require_signoff=require_signoff, lang=current_language())
    outcomes: list[WorkbookOutcome | None] = [None] * len(names)
    for done, (index, result) in enumerate(map_isolated(task, names, workers=workers, timeout=timeout), 1):
        outcomes[index] = result if isinstance(result, WorkbookOutcome) else _failed(names[index], result)
        if progress:
            progress(done, len(names))
    return [o for o in outcomes if o is not None]


def issue_row(file: str, sheet: str, cell: str, severity: str, code: str, key: str = "", **fields: object) -> Issue:
    """An Issues row whose message is the catalogue's `consolidate.<key or code>` in the run's
    language; `code` is the stable id scripts rely on."""
    message = t(f"consolidate.{key or code}", **fields)  # type: ignore[arg-type]  # fields never include lang
    return Issue(file, sheet, cell, severity, message, code)


def _failed(file: str, failure: TaskFailure) -> WorkbookOutcome:
    known = failure.kind in ("timeout", "memory", "crash")
    key = f"unreadable.{failure.kind}" if known else "unreadable.other"
    found = issue_row(file, "", "", ERROR, f"unreadable.{failure.kind}", key, detail=failure.detail)
    return WorkbookOutcome(file, REJECTED, [found])


def examine(file: str, spec: Spec, key: Key, require_signoff: bool = False, lang: str | None = None) -> WorkbookOutcome:
    """Audit one workbook and check its actuals: the per-file verdict (before cross-file rules).
    `lang`: the run's language (a spawned worker does not inherit it)."""
    if lang is not None:
        set_language(lang)
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
            outcome.reject(issue_row(file, "", "", ERROR, "not_kpibook"))
        outcome.scores = None
        return outcome
    _cycle_fields(outcome, audit)
    blank, wrong = check_actuals(audit, spec.role(outcome.role_id))
    outcome.issues += wrong + blank
    if outcome.status == REJECTED or wrong:
        outcome.status = REJECTED
    elif blank:
        outcome.status = INCOMPLETE
    elif not isinstance(audit.scores.total, float):
        sheet = audit.data.scorecard if audit.data else ""
        outcome.reject(issue_row(file, sheet, "", ERROR, "total.error", total=audit.scores.total))
    outcome.signoff = cycle_checks.apply_signoff(outcome, audit, spec, require_signoff)
    return outcome


def _cycle_fields(outcome: WorkbookOutcome, audit: WorkbookAudit) -> None:
    """Issue number, targets digest and key verifiability (kpibook.cycle_checks)."""
    outcome.issue = cycle_checks.issue_number(audit)
    outcome.targets_sha256 = cycle_checks.signed_targets_digest(audit)
    outcome.unverified_key = cycle_checks.unverified_key(audit)
    if outcome.unverified_key and audit.data is not None:
        cell = audit.data.metadata_cells.get("key_id", "")
        cycle_checks.reject_unverifiable(outcome, outcome.unverified_key, METADATA, cell)


def _sentence(text: str) -> str:
    text = text.strip()
    if text.endswith((".", "!", "?", "。", "！", "？")):
        return text[:1].upper() + text[1:]
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)  # a Chinese sentence ends in its own full stop
    return text[:1].upper() + text[1:] + ("。" if chinese else ".")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _issue_of(finding: Finding) -> Issue:
    """An audit finding as an Issues row: the audit's own sentence (what is wrong, expected and
    found, what to do), so the summary and `kpibook audit` say the same thing."""
    return Issue(
        finding.file,
        finding.sheet or "",
        finding.cell or "",
        finding.severity,
        finding.sentence(),
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
            key = "actual.blank_na" if kpi.allow_na else "actual.blank"
            blank.append(issue_row(file, sheet, cell, WARNING, "actual.blank", key, kpi=where))
        elif isinstance(score, scoring.ExcelError):
            wrong.append(issue_row(file, sheet, cell, ERROR, "actual.error", kpi=where, value=score))
        elif score == scoring.INVALID:
            wrong.append(_invalid(file, sheet, cell, value, where))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            message = bound_problem(kpi, float(value))
            if message:
                wrong.append(Issue(file, sheet, cell, ERROR, f"{where}: {message}", "actual.bounds"))
    return blank, wrong


def _cell_of(data: WorkbookData, name: str) -> str:
    return data.ref(name)  # "" when the name is gone (the audit reports that)


def _invalid(file: str, sheet: str, cell: str, value: object, where: str) -> Issue:
    if scoring.is_na(value):
        return issue_row(file, sheet, cell, ERROR, "actual.text", "actual.na_not_allowed", kpi=where)
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return issue_row(file, sheet, cell, ERROR, "actual.text", kpi=where, value=shown)


def bound_problem(kpi: Kpi, value: float) -> str:
    """What is wrong with a numeric actual against the KPI's bounds ("" when nothing); a
    percentage typed as a whole number (95 for 95%) gets "did you mean 95%?"."""
    bounds = {"value": _shown(value), "min": _shown(kpi.min), "max": _shown(kpi.max)}
    if value < kpi.min or value > kpi.max:
        if kpi.unit == "%" and 1 < value <= 100 and kpi.min <= value / 100 <= kpi.max:
            return t("consolidate.actual.percent_hint", fraction=_shown(value / 100), **bounds)
        return t("consolidate.actual.bounds", **bounds)
    if kpi.whole and value != int(value):
        return t("consolidate.actual.whole", value=_shown(value))
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
    cycle_checks.check_ledger(by_id, manifest or (), issues)  # type: ignore[arg-type]
    by_id = {employee_id: _resolve_duplicates(employee_id, group, issues) for employee_id, group in by_id.items()}
    known = {e.employee_id: e for e in manifest} if manifest is not None else {}
    rows: list[EmployeeRow] = []
    unreadable = [o for o in outcomes if not o.recognised]
    claimed: set[str] = set()
    for entry in manifest or ():
        if entry.withdrawn:  # reported (check_ledger), never counted, never missing
            continue
        group = by_id.pop(entry.employee_id, None)
        if group is None:
            stray = _unreadable_for(entry, unreadable, claimed)
            if stray is not None:
                rows.append(_row(entry, [stray]))
                continue
            rows.append(_missing_row(entry))
            issues.append(
                issue_row(
                    entry.file, "", "", ERROR, "missing",
                    id=entry.employee_id, name=entry.employee_name, role=entry.role_id,
                    manager=entry.manager or t("consolidate.the_manager"), expected=entry.file,
                )
            )  # fmt: skip
            continue
        _check_against_manifest(entry, group)
        rows.append(_row(entry, group))
    for employee_id in sorted(by_id):
        group = by_id[employee_id]
        if manifest is not None:
            for o in group:
                issues.append(
                    issue_row(o.file, "", "", WARNING, "not_in_manifest", id=employee_id, name=o.employee_name)
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
            issues.append(issue_row(o.file, "", "", WARNING, "duplicate.copy", original=first_of[o.sha256].file))
            continue
        first_of[o.sha256 or o.file] = o
        distinct.append(o)
    if len(distinct) > 1:
        files = ", ".join(o.file for o in distinct)
        for o in distinct:
            o.reject(issue_row(o.file, "", "", ERROR, "duplicate", id=employee_id, count=len(distinct), files=files))
    return distinct


def _check_periods(
    by_id: dict[str, list[WorkbookOutcome]],
    manifest: Sequence[ManifestEntry] | None,
    period: str,
) -> str:
    """Rejects workbooks for another period than the run's (--period, else the manifest's, else the
    majority's). An employee who also sent a workbook for the right period keeps only those."""
    expected_of: dict[str, str] = {}
    source = t("consolidate.source.option")
    if not period and manifest:
        expected_of = {e.employee_id: _norm_period(e.period) for e in manifest}
        period, source = _majority(Counter(expected_of.values())) or "", t("consolidate.source.manifest")
    if not period:
        counted = Counter(_norm_period(o.period) for group in by_id.values() for o in group)
        period = _majority(counted) or ""
        source = t("consolidate.source.majority")
        if not period and len(counted) > 1:
            found = ", ".join(f"{p or t('consolidate.none')}: {n}" for p, n in sorted(counted.items()))
            for group in by_id.values():
                for o in group:
                    o.reject(issue_row(o.file, "", "", ERROR, "period.ambiguous", found=found))
            return ""
    for employee_id, group in by_id.items():
        expected = expected_of.get(employee_id, period)
        if not expected:
            continue
        wrong = [o for o in group if _norm_period(o.period) != expected]
        for o in wrong:
            found = o.period or t("consolidate.none")
            o.reject(issue_row(o.file, "", "", ERROR, "period", found=found, expected=expected, source=source))
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
                issue_row(
                    o.file, "", "", ERROR, "role_mismatch", found=o.role_id, id=entry.employee_id, role=entry.role_id
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
    row.signoff = first.signoff
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
