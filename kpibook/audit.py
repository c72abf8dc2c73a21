"""The audit: is each returned workbook exactly what kpibook generated for that person?

Finance signs off on appraisal results because they feed bonuses. `audit_workbook` compares a
returned workbook with what the spec generates for its role (kpibook.layout) and with what was
signed into it at generation (the fingerprint in `_kpibook`), and reports every difference as
a `Finding`: where (file, sheet, cell), what was expected, what is there, how serious.

Severity: "error" means the calculation, its inputs fixed by HR, or the evidence of them can no
longer be trusted (a formula, target, weight or parameter changed; metadata forged; a cached
score that no spreadsheet computed). "warning" means something changed that does not alter
any score kpibook computes but that finance should know about (validation relaxed, an input
cell locked, a tool that did not recalculate). Any finding makes the workbook not clean.

Harmless rewrites by spreadsheets are not findings: formulas are compared after
`formula_text.normalize` (case, spaces, `_xlfn.`) and, failing that, without `$` (the same
cell computes the same either way); Excel's shared formulas are expanded by the reader;
numbers at 15 significant digits (LibreOffice rounds there when it saves); LibreOffice's xlsx
export writes an empty <workbookProtection/> whatever it holds, so the structure lock is not
checked on files it saved.

Cached values. A file saved by a spreadsheet carries the value of every formula; kpibook
recomputes them all with the scoring core (from the actuals and the signed targets) and never
trusts them, but a cached value that disagrees is evidence: `cached_value` (error) — a
forged total, or a file edited by a tool that does not calculate after a spreadsheet saved it.
When *every* cache is still the blank workbook's while actuals are filled in, the file was
filled by a tool that does not recalculate (kpibook.fill with cache_values=False, scripts):
one `stale_cache` warning, since Excel recalculates such a file when it opens it. A file
without caches (openpyxl drops them all) has nothing to compare: no finding.

Versions. The fingerprint is checked against the metadata's own layout digest; the digest is
then compared with the given spec's role. A workbook from another roles.toml whose role is
unchanged gets an `other_spec` warning and the full cell-by-cell audit; one whose role changed
gets an `other_spec` error and no cell-by-cell comparison (it would list every difference
between the two versions, not tampering).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from kpibook import scoring
from kpibook.discover import find_workbooks
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.fingerprint import Key, load_key, verify
from kpibook.formula_text import column_letter, functions_used, normalize, split_cell, to_r1c1
from kpibook.layout import (
    AUDIT,
    COLUMNS,
    HEADER_FIELDS,
    INSTRUCTIONS,
    METADATA,
    ROLE_ID_CELL,
    SCORECARD,
    RoleLayout,
)
from kpibook.read import UnreadableWorkbook, WorkbookData, cell_text, parse_name_ref, read_workbook
from kpibook.scoring import ExcelError, RoleScores
from kpibook.spec import Role, Spec, load_spec

ERROR = "error"
WARNING = "warning"

# Every finding the audit can make: code -> (severity, what it means). Codes are stable: the
# department summary's Issues sheet and scripts reading `--json` rely on them.
CODES: dict[str, tuple[str, str]] = {
    # the workbook cannot be read (kpibook.read refuses it)
    "unreadable": (ERROR, "the file is not a readable kpibook workbook (the reader says why)"),
    # formulas
    "formula_missing": (ERROR, "a formula cell holds a constant or nothing: overwritten, pasted over or deleted"),
    "formula_changed": (ERROR, "a formula differs from the one the spec generates"),
    "column_inconsistent": (ERROR, "a formula differs from the rest of its column (R1C1), e.g. one cell edited"),
    "extra_formula": (ERROR, "a formula where the generated workbook has a fixed value or label"),
    "formula_in_input": (WARNING, "an input cell holds a formula instead of a typed value"),
    "function_not_allowed": (ERROR, "a formula uses a function outside kpibook's allowed list"),
    "external_link": (ERROR, "the workbook links to another file"),
    # what HR fixed at generation
    "target_changed": (ERROR, "a target cell differs from the target signed at generation"),
    "weight_changed": (ERROR, "a KPI or dimension weight differs from the spec"),
    "parameter_changed": (ERROR, "a scoring parameter (method, floor, cap, bands, grade table) differs from the spec"),
    "fingerprint_mismatch": (ERROR, "the signed metadata (identity, period, targets, spec) was edited"),
    "key_unknown": (WARNING, "signed with another key: the fingerprint cannot be checked with this key"),
    "other_spec": (ERROR, "generated from another version of roles.toml"),
    "role_unknown": (ERROR, "the workbook's role is not in this roles.toml"),
    "identity_changed": (
        ERROR,
        "a header cell (employee, department, manager, period, role) differs from the metadata",
    ),
    "metadata_missing": (ERROR, "the hidden _kpibook sheet, or a key of it, is missing"),
    "metadata_changed": (ERROR, "the hidden _kpibook sheet's rows were edited"),
    # protection and structure
    "display_forged": (
        ERROR,
        "a number format shows a fixed figure or text, or hides the value, instead of what the cell holds",
    ),
    "cell_unlocked": (ERROR, "a formula or fixed cell is unlocked: anyone can overwrite it"),
    "input_locked": (WARNING, "an input cell is locked: the manager cannot type into it"),
    "sheet_unprotected": (ERROR, "a sheet's protection was removed"),
    "structure_unlocked": (WARNING, "the workbook structure is unlocked: sheets can be added, renamed or unhidden"),
    "validation_removed": (WARNING, "an actual cell lost its data validation (any value can be typed)"),
    "validation_widened": (WARNING, "an actual cell's data validation accepts more than the spec allows"),
    "validation_changed": (WARNING, "an actual cell's data validation differs from the spec (narrower)"),
    "name_missing": (ERROR, "a defined name of the contract is missing"),
    "name_changed": (ERROR, "a defined name points to another cell (rows or columns inserted or deleted?)"),
    "name_extra": (WARNING, "a defined name kpibook did not create"),
    "extra_sheet": (ERROR, "a sheet kpibook did not create (visible or hidden)"),
    "sheet_missing": (WARNING, "a sheet of the generated workbook was deleted"),
    "sheet_renamed": (WARNING, "the scorecard sheet was renamed"),
    "sheet_state": (WARNING, "a sheet was hidden or unhidden"),
    # cached values
    "cached_value": (
        ERROR,
        "a cached value differs from kpibook's recomputation: forged, or not computed by a spreadsheet",
    ),
    "stale_cache": (WARNING, "cached values are the blank workbook's: saved by a tool that does not recalculate"),
}

REQUIRED_METADATA = (
    "format_version",
    "kpibook_version",
    "spec_sha256",
    "layout_sha256",
    "role_id",
    "employee_id",
    "period",
    "generated_at",
    "key_id",
    "targets",
    "fingerprint",
)
KNOWN_METADATA = frozenset(REQUIRED_METADATA) | {
    "spec_version",
    "employee_name",
    "department",
    "manager",
    "scorecard_sheet",
    "issue",  # the ledger's issue number (kpibook.manifest)
}
# metadata key -> the scorecard header cell that shows the same value
IDENTITY_CELLS = {
    "employee_id": HEADER_FIELDS["employee_id"][1],
    "employee_name": HEADER_FIELDS["employee_name"][1],
    "department": HEADER_FIELDS["department"][1],
    "manager": HEADER_FIELDS["manager"][1],
    "period": HEADER_FIELDS["period"][1],
    "spec_version": HEADER_FIELDS["spec_version"][1],
    "role_id": ROLE_ID_CELL[1],
}
BUILTIN_NAME = re.compile(r"^_xlnm\.", re.IGNORECASE)
_EXTERNAL_REF = re.compile(r"\[\d+\]|'\[|\[[^\]]*\.xls", re.IGNORECASE)
_STRING = re.compile(r'"(?:[^"]|"")*"')
_NUMBER = re.compile(r"(?<![A-Z0-9_.$])(\d+(?:\.\d*)?(?:E[+-]?\d+)?)")


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    file: str
    sheet: str
    cell: str
    code: str
    severity: str  # "error" | "warning"
    expected: str
    found: str
    message: str

    @property
    def where(self) -> str:
        return "!".join(p for p in (self.file, self.sheet, self.cell) if p)

    def line(self) -> str:
        """One line: "file!Sheet!Cell: message: expected …, found …; severity [code]"."""
        text = f"{self.where}: {self.message}"
        if self.expected or self.found:
            text += f": expected {self.expected or '(nothing)'}, found {self.found or '(nothing)'}"
        return _one_line(f"{text}; {self.severity} [{self.code}]")


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


@dataclass
class WorkbookAudit:
    path: Path
    data: WorkbookData | None = None
    findings: list[Finding] = field(default_factory=list)
    role_id: str = ""
    employee_id: str = ""
    employee_name: str = ""
    department: str = ""
    manager: str = ""
    period: str = ""
    targets: dict[str, float] = field(default_factory=dict)  # by KPI id, as signed at generation
    actuals: dict[str, object] = field(default_factory=dict)  # by KPI id, the cell values as typed
    comments: dict[str, str] = field(default_factory=dict)  # by KPI id
    signoff: dict[str, object] = field(default_factory=dict)  # layout.signoff_cells keys -> values
    scores: RoleScores | None = None  # the scoring core's recomputation from actuals and targets
    unreadable: UnreadableWorkbook | None = None

    @property
    def verdict(self) -> str:
        """clean | findings | unreadable | unverifiable (signed with a key that was not given, and
        nothing else wrong that can be seen without it: "cannot verify, give the key", not tampered)."""
        if self.unreadable is not None:
            return "unreadable"
        if any(f.code == "key_unknown" for f in self.findings) and not self.errors:
            return "unverifiable"
        return "findings" if self.findings else "clean"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def verdict_line(self) -> str:
        who = f" ({self.employee_id} {self.employee_name}, {self.role_id})" if self.employee_id else ""
        if self.verdict == "clean":
            return f"OK   {self.path}{who}: clean"
        if self.verdict == "unreadable" and self.unreadable is not None:
            return _one_line(f"FAIL {self.path}: unreadable: {self.unreadable.message}")
        if self.verdict == "unverifiable":
            key_id = self.data.metadata.get("key_id", "?") if self.data else "?"
            return (
                f"CANNOT VERIFY {self.path}{who}: signed with key {key_id}, which was not given; "
                "give that key (--key-file or KPIBOOK_KEY_FILE) to check it. Not a sign of tampering."
            )
        errors, warnings = len(self.errors), len(self.warnings)
        counts = ", ".join(p for p in (_plural(errors, "error"), _plural(warnings, "warning")) if not p.startswith("0"))
        return f"FAIL {self.path}{who}: {_plural(len(self.findings), 'finding')} ({counts})"

    def as_dict(self) -> dict[str, object]:
        scores = self.scores
        return {
            "file": str(self.path),
            "verdict": self.verdict,
            "employee_id": self.employee_id,
            "employee_name": self.employee_name,
            "role_id": self.role_id,
            "period": self.period,
            "department": self.department,
            "manager": self.manager,
            "total_score": _json_value(scores.total) if scores else None,
            "grade": _json_value(scores.grade) if scores else None,
            "findings": [asdict(f) for f in self.findings],
        }


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _json_value(value: object) -> object:
    return str(value) if isinstance(value, ExcelError) else value


@dataclass
class AuditResult:
    workbooks: list[WorkbookAudit] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, why): Office lock files, links
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return [f for w in self.workbooks for f in w.findings]

    @property
    def clean(self) -> bool:
        return all(w.verdict == "clean" for w in self.workbooks)

    @property
    def exit_code(self) -> int:
        """0 clean; 1 findings; 2 nothing could be verified (every workbook needs another key)."""
        if self.workbooks and all(w.verdict == "unverifiable" for w in self.workbooks):
            return 2
        return 0 if self.clean else 1

    def lines(self) -> list[str]:
        """The text report: each workbook's finding lines, then its verdict line; skipped files last."""
        out: list[str] = []
        for workbook in self.workbooks:
            out += [f.line() for f in workbook.findings if workbook.verdict != "unreadable"]
            out.append(workbook.verdict_line())
        out += [f"SKIP {path}: {why}" for path, why in self.skipped]
        return out

    def verdict_line(self) -> str:
        """One line for the whole run."""
        counts = self.as_dict()["summary"]
        assert isinstance(counts, dict)
        text = (
            f"{_plural(counts['workbooks'], 'workbook')} audited: {counts['clean']} clean, "
            f"{counts['with_findings']} with findings ({_plural(counts['errors'], 'error')}, "
            f"{_plural(counts['warnings'], 'warning')}), {counts['unreadable']} unreadable"
        )
        if counts["unverifiable"]:
            text += f", {counts['unverifiable']} cannot be verified without their key"
        return text + (f"; {len(self.skipped)} skipped" if self.skipped else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "workbooks": [w.as_dict() for w in self.workbooks],
            "skipped": [{"file": str(p), "reason": why} for p, why in self.skipped],
            "summary": {
                "workbooks": len(self.workbooks),
                "clean": sum(w.verdict == "clean" for w in self.workbooks),
                "with_findings": sum(w.verdict == "findings" for w in self.workbooks),
                "unreadable": sum(w.verdict == "unreadable" for w in self.workbooks),
                "unverifiable": sum(w.verdict == "unverifiable" for w in self.workbooks),
                "errors": sum(len(w.errors) for w in self.workbooks),
                "warnings": sum(len(w.warnings) for w in self.workbooks),
            },
        }


# ---------------------------------------------------------------------------------------------
# What the spec generates for a role, prepared once per role
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Expected:
    layout: RoleLayout
    formulas: dict[str, str]  # cell -> normalized formula
    blocks: dict[str, tuple[str, ...]]  # cell -> the cells of its column block (blocks of 2+ cells)
    constants: dict[str, tuple[str, object, str]]  # cell -> (code, value, what) for weights and parameters
    target_cells: dict[str, str]  # KPI id -> target cell
    inputs: frozenset[str]
    validations: dict[str, dict[str, str]]  # actual cell -> expected validation
    names: dict[str, str]  # defined name -> A1 cell
    blank: dict[str, object]  # formula cell -> the blank workbook's value


_EXPECTED: dict[tuple[str, str], _Expected] = {}


def _expected(spec: Spec, role_id: str) -> _Expected:
    """What the spec generates for a role; prepared once per (spec content, role)."""
    cache_key = (spec.sha256, role_id)
    if cache_key not in _EXPECTED:
        if len(_EXPECTED) > 64:
            _EXPECTED.clear()
        _EXPECTED[cache_key] = _prepare(spec, role_id)
    return _EXPECTED[cache_key]


def _prepare(spec: Spec, role_id: str) -> _Expected:
    from kpibook.build import _validation, blank_cached_values  # the generator's own definitions
    from kpibook.period import parse_period

    layout = RoleLayout(spec.role(role_id), spec.grades)
    formulas = {cell: _norm(text) for cell, text in layout.formulas.items()}
    blocks: dict[str, tuple[str, ...]] = {}
    for column_formula in layout.column_formulas():
        if column_formula.first_row != column_formula.last_row:
            cells = tuple(
                f"{column_formula.column}{r}" for r in range(column_formula.first_row, column_formula.last_row + 1)
            )
            for cell in cells:
                blocks[cell] = cells
    constants: dict[str, tuple[str, object, str]] = {}
    for row, kpi in layout.iter_kpis():
        constants[f"{COLUMNS['weight']}{row}"] = ("weight_changed", kpi.weight, f"weight of KPI {kpi.id}")
        for column, value in layout.parameter_values(kpi).items():
            constants[f"{column}{row}"] = ("parameter_changed", value, f"scoring parameter of KPI {kpi.id}")
    for dimension in layout.role.dimensions:
        row = layout.dimension_rows[dimension.id]
        constants[f"{COLUMNS['weight']}{row}"] = (
            "weight_changed",
            dimension.weight,
            f"weight of dimension {dimension.id}",
        )
        constants[f"{COLUMNS['dim_id']}{row}"] = ("parameter_changed", dimension.id, "dimension id of the subtotal")
    for row, grade in zip(layout.grade_table_rows, layout.grades, strict=True):
        constants[f"N{row}"] = ("parameter_changed", grade.min, f"grade table: lowest total of grade {grade.grade}")
        constants[f"O{row}"] = ("parameter_changed", grade.grade, "grade table: grade")
    period = parse_period("2026Q4")  # only the rule of a validation is compared, not its prompt text
    validations = {}
    for row, kpi in layout.iter_kpis():
        cell = f"{COLUMNS['actual']}{row}"
        dv = _validation(kpi, cell, period)
        validations[cell] = {
            "type": dv.type or "none",
            "operator": dv.operator or "between",
            "formula1": dv.formula1 or "",
            "formula2": dv.formula2 or "",
        }
    names = {}
    for name, text in layout.defined_names.items():
        target = parse_name_ref(text)
        if target:
            names[name] = target[1]
    return _Expected(
        layout=layout,
        formulas=formulas,
        blocks=blocks,
        constants=constants,
        target_cells={k.id: layout.kpi_cell(k.id, "target") for k in layout.role.kpis},
        inputs=frozenset(layout.input_cells()),
        validations=validations,
        names=names,
        blank=dict(blank_cached_values(layout)),
    )


@lru_cache(maxsize=65536)
def _position(cell: str) -> tuple[int, int]:
    return split_cell(cell)


@lru_cache(maxsize=4096)
def _norm(formula: str) -> str:
    return normalize(formula)


# ---------------------------------------------------------------------------------------------
# One workbook
# ---------------------------------------------------------------------------------------------


class _Report:
    """Collects the findings of one workbook."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.flagged: set[tuple[str, str]] = set()  # (sheet, cell) already reported

    def add(
        self,
        code: str,
        sheet: str,
        cell: str,
        message: str,
        expected: str = "",
        found: str = "",
        severity: str | None = None,
    ) -> None:
        severity = severity or CODES[code][0]
        self.findings.append(Finding(self.file, sheet, cell, code, severity, expected, found, message))
        self.flagged.add((sheet, cell))


def audit_workbook(
    path: str | Path, spec: Spec, key: Key | None = None, data: WorkbookData | None = None
) -> WorkbookAudit:
    """Audits one returned workbook against `spec` (and the fingerprint key). Never raises for a
    bad file: an unreadable one gets verdict "unreadable" and one finding saying why."""
    path = Path(path)
    result = WorkbookAudit(path)
    report = _Report(str(path))
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

    _check_workbook(data, report)
    if not card:
        report.add(
            "name_missing",
            "",
            "",
            "no sheet holds the kpibook named cells (total_score, employee_id...) and "
            "the metadata names none: the scorecard cannot be found",
        )
        return result
    _check_metadata(data, report)
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
    expected = _expected(spec, role.id)
    # a workbook whose role changed in the spec since it was generated is one finding (other_spec):
    # its cells cannot be compared one by one with a layout they were not made from
    same_layout = _check_signature(data, spec, expected, key, report)
    result.targets = _targets(data, expected, report, compare_cells=same_layout)
    _read_entries(data, expected, result)
    result.scores = scoring.score_role(role, spec.grades, result.actuals, result.targets)
    _check_identity(data, report)
    _check_names(data, expected, report, same_layout)
    _check_functions(data, report)
    if same_layout:
        _check_locks(data, expected, report)
        _check_display(data, expected, report)
        _check_formulas(data, expected, report)
        _check_constants(data, expected, report)
        _check_validations(data, expected, report)
        _check_cached_values(data, expected, result, report)
    return result


def _show(value: object) -> str:
    """A cell's value as a finding shows it."""
    if value is None:
        return "an empty cell"
    if value == "":
        return '"" (empty text)'
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, ExcelError):
        return value.code
    return json.dumps(str(value), ensure_ascii=False)


def _number(value: float) -> str:
    return f"{value:.15g}"


def _close(a: float, b: float) -> bool:
    """Equal as spreadsheets store them: 15 significant digits (or a relative 1e-12)."""
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b)) or f"{a:.15g}" == f"{b:.15g}"


def _same(found: object, expected: object) -> bool:
    """A found cell value against an expected one (numbers at 15 significant digits)."""
    if found == expected and type(found) is type(expected):  # the usual case, decided at once
        return True
    if isinstance(expected, bool) or isinstance(found, bool):
        return found is expected
    if isinstance(expected, (int, float)):
        return isinstance(found, float) and _close(found, float(expected))
    if isinstance(expected, ExcelError):
        return isinstance(found, ExcelError) and found.code == expected.code
    if expected is None:
        return found is None or found == ""
    return found == expected


# -- workbook-level ------------------------------------------------------------------------------


def _check_workbook(data: WorkbookData, report: _Report) -> None:
    card = data.scorecard or SCORECARD
    expected_sheets = {card: "visible", INSTRUCTIONS: "visible", AUDIT: "visible", METADATA: "hidden"}
    for sheet in data.sheet_names:
        state = data.sheet_states.get(sheet, "visible")
        if sheet not in expected_sheets:
            report.add(
                "extra_sheet",
                sheet,
                "",
                f"a {state} sheet that kpibook did not create: delete it, or send back the workbook as generated",
                expected="the sheets " + ", ".join(expected_sheets),
                found=sheet,
            )
            continue
        want = expected_sheets[sheet]
        if (want == "hidden") != (state in ("hidden", "veryHidden")):
            report.add("sheet_state", sheet, "", f"the sheet is {state}", expected=want, found=state)
    for sheet in (INSTRUCTIONS, AUDIT):
        if sheet not in data.sheet_names:
            report.add("sheet_missing", sheet, "", "the sheet was deleted", expected=sheet, found="no such sheet")
    if data.scorecard and data.scorecard != SCORECARD:
        report.add(
            "sheet_renamed",
            data.scorecard,
            "",
            "the scorecard sheet was renamed (kpibook reads it through its named cells, so nothing is lost)",
            expected=SCORECARD,
            found=data.scorecard,
        )
    for sheet in (card, METADATA):
        if sheet in data.sheet_protection and not data.sheet_protection[sheet]:
            report.add(
                "sheet_unprotected",
                sheet,
                "",
                "the sheet protection was removed: formulas and fixed cells can be edited",
                expected="protected",
                found="not protected",
            )
    for sheet in (INSTRUCTIONS, AUDIT):
        if sheet in data.sheet_protection and not data.sheet_protection[sheet]:
            report.add(
                "sheet_unprotected",
                sheet,
                "",
                "the sheet protection was removed",
                expected="protected",
                found="not protected",
                severity=WARNING,
            )
    # LibreOffice's xlsx export writes an empty <workbookProtection/> whatever lock it holds
    if not data.structure_locked and not (data.saved_by_libreoffice and data.workbook_protection):
        report.add(
            "structure_unlocked",
            "",
            "",
            "the workbook structure lock was removed",
            expected="structure locked",
            found="unlocked",
        )
    if data.external_links:
        report.add(
            "external_link",
            "",
            "",
            "the workbook holds links to other files (xl/externalLinks): remove them",
            expected="no external links",
            found="external links",
        )


def _check_metadata(data: WorkbookData, report: _Report) -> None:
    if not data.has_metadata_sheet:
        report.add(
            "metadata_missing",
            METADATA,
            "",
            "the hidden _kpibook sheet was deleted: the workbook's identity and targets cannot be verified",
            expected="a hidden _kpibook sheet",
            found="no such sheet",
        )
        return
    missing = [k for k in REQUIRED_METADATA if not data.metadata.get(k)]
    if missing:
        report.add(
            "metadata_missing",
            METADATA,
            "",
            "metadata rows are missing or empty",
            expected=", ".join(missing),
            found="not there",
        )
    for key in data.metadata_duplicates:
        report.add(
            "metadata_changed",
            METADATA,
            "",
            f"the metadata key {key!r} appears on more than one row",
            expected="one row",
            found="several rows",
        )
    for key in data.metadata:
        if key not in KNOWN_METADATA:
            report.add(
                "metadata_changed",
                METADATA,
                data.metadata_cells.get(key, ""),
                "a metadata row kpibook did not write",
                expected="no such key",
                found=key,
            )


def _check_signature(data: WorkbookData, spec: Spec, expected: _Expected, key: Key, report: _Report) -> bool:
    """Fingerprint and spec version. Returns True when the role's layout is the current spec's (so
    cell-by-cell comparisons with it are meaningful)."""
    md = data.metadata
    layout_sha = expected.layout.layout_sha256
    if not data.has_metadata_sheet:
        return True
    cell = data.metadata_cells.get
    signed_targets = _signed_targets(md)
    if md.get("fingerprint") and signed_targets is not None:
        if md.get("key_id") and md.get("key_id") != key.key_id:
            report.add(
                "key_unknown",
                METADATA,
                cell("key_id", ""),
                "the workbook was signed with another key; set "
                "KPIBOOK_KEY or KPIBOOK_KEY_FILE to the key used at generation to verify its targets",
                expected=key.key_id,
                found=md.get("key_id", ""),
            )
        else:
            genuine = verify(
                key,
                md["fingerprint"],
                layout_sha256=md.get("layout_sha256", ""),
                spec_sha256=md.get("spec_sha256", ""),
                role_id=md.get("role_id", ""),
                employee_id=md.get("employee_id", ""),
                period=md.get("period", ""),
                targets=signed_targets,
            )
            if not genuine:  # the valid fingerprint is never shown: it would let a forger complete the forgery
                report.add(
                    "fingerprint_mismatch",
                    METADATA,
                    cell("fingerprint", ""),
                    "the signed metadata (employee, role, period, targets or spec) was edited after generation",
                    expected="the fingerprint HR's key gives for these rows",
                    found=f"fingerprint {md['fingerprint'][:16]}…",
                )
    same_layout = md.get("layout_sha256", layout_sha) == layout_sha
    if md.get("spec_sha256") and md["spec_sha256"] != spec.sha256:
        detail = (
            "this role's formulas, weights and parameters are unchanged"
            if same_layout
            else "this role's formulas, weights or parameters differ, so cells are not compared one by one; "
            "audit with the roles.toml it was generated from"
        )
        report.add(
            "other_spec",
            METADATA,
            cell("spec_sha256", ""),
            f"generated from another version of roles.toml (spec_version {md.get('spec_version', '?')}): {detail}",
            expected=f"spec_sha256 {spec.sha256[:12]}… (spec_version {spec.spec_version})",
            found=f"spec_sha256 {md['spec_sha256'][:12]}…",
            severity=WARNING if same_layout else ERROR,
        )
    elif not same_layout:
        report.add(
            "other_spec",
            METADATA,
            cell("layout_sha256", ""),
            "the layout digest does not match this spec's role (generated by another kpibook version, or edited)",
            expected=layout_sha[:12] + "…",
            found=md.get("layout_sha256", "")[:12] + "…",
        )
    return same_layout


def _signed_targets(md: dict[str, str]) -> dict[str, float] | None:
    try:
        raw = json.loads(md.get("targets", ""))
        return {str(k): float(v) for k, v in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return None


def _targets(data: WorkbookData, expected: _Expected, report: _Report, compare_cells: bool) -> dict[str, float]:
    """The targets to score with: those signed into the metadata; each target cell must show them."""
    signed = _signed_targets(data.metadata)
    if signed is None and data.has_metadata_sheet and data.metadata.get("targets"):
        report.add(
            "metadata_changed",
            METADATA,
            data.metadata_cells.get("targets", ""),
            "the targets row is not valid JSON",
            expected='{"kpi_id": "target", ...}',
            found=data.metadata["targets"][:60],
        )
    targets: dict[str, float] = {}
    for kpi in expected.layout.role.kpis:
        cell = expected.target_cells[kpi.id]
        found = data.cells.get(cell)
        value = found.value if found else None
        if signed is not None and kpi.id in signed:
            targets[kpi.id] = signed[kpi.id]
            if compare_cells and not _same(value, signed[kpi.id]):
                report.add(
                    "target_changed",
                    data.scorecard,
                    cell,
                    f"the target of KPI {kpi.id} was changed",
                    expected=_number(signed[kpi.id]),
                    found=_show(value),
                )
        else:
            if signed is not None:
                report.add(
                    "metadata_changed",
                    METADATA,
                    data.metadata_cells.get("targets", ""),
                    f"the signed targets have no entry for KPI {kpi.id}",
                    expected=kpi.id,
                    found="missing",
                )
            targets[kpi.id] = value if isinstance(value, float) else kpi.target
    return targets


def _read_entries(data: WorkbookData, expected: _Expected, result: WorkbookAudit) -> None:
    layout = expected.layout
    for kpi in layout.role.kpis:
        ref = data.ref(f"kpi_{kpi.id}_actual") or layout.kpi_cell(kpi.id, "actual")
        cell = data.cells.get(ref)
        result.actuals[kpi.id] = cell.value if cell else None
        row = _position(ref)[0]
        comment = data.cells.get(f"{COLUMNS['comment']}{row}")
        if comment and comment.value not in (None, ""):
            result.comments[kpi.id] = cell_text(comment.value)
    for key, ref in layout.signoff_cells.items():
        cell = data.cells.get(ref)
        result.signoff[key] = cell.value if cell else None


def _value_at(data: WorkbookData, ref: str) -> object:
    cell = data.cells.get(ref)
    return cell.value if cell else None


def _check_identity(data: WorkbookData, report: _Report) -> None:
    if not data.has_metadata_sheet:
        return
    for key, ref in IDENTITY_CELLS.items():
        if key not in data.metadata:
            continue
        cell = data.cells.get(ref)
        shown = cell_text(cell.value) if cell else ""
        if shown != data.metadata[key]:
            where = f"{METADATA}!{data.metadata_cells.get(key, '')}"
            report.add(
                "identity_changed",
                data.scorecard,
                ref,
                f"the {key.replace('_', ' ')} shown here differs "
                f"from the one in the metadata ({where}): one of them was edited",
                expected=f"{json.dumps(data.metadata[key], ensure_ascii=False)} (as in {where})",
                found=_show(cell.value if cell else None),
            )


def _check_names(data: WorkbookData, expected: _Expected, report: _Report, compare_cells: bool) -> None:
    for name, cell in expected.names.items():
        text = data.names.get(name)
        if text is None:
            report.add(
                "name_missing",
                data.scorecard,
                cell,
                f"the defined name {name} was deleted",
                expected=f"{name} = {SCORECARD}!{_absolute(cell)}",
                found="no such name",
            )
            continue
        target = parse_name_ref(text)
        if target is None or target[0] != data.scorecard or (compare_cells and target[1] != cell):
            report.add(
                "name_changed",
                data.scorecard,
                cell,
                f"the defined name {name} points elsewhere (rows or columns inserted or deleted, or the name edited)",
                expected=f"{name} = {data.scorecard}!{_absolute(cell)}",
                found=f"{name} = {text}",
            )
    for name in data.names:
        if name not in expected.names and not BUILTIN_NAME.match(name):
            report.add(
                "name_extra",
                "",
                "",
                f"the defined name {name} was added",
                expected="no such name",
                found=f"{name} = {data.names[name]}",
            )
    for sheet, name, text in data.local_names:
        if not BUILTIN_NAME.match(name):
            report.add(
                "name_extra",
                sheet,
                "",
                f"the sheet-level name {name} was added",
                expected="no such name",
                found=f"{name} = {text}",
            )


def _absolute(cell: str) -> str:
    col = cell.rstrip("0123456789")
    return f"${col}${cell[len(col) :]}"


def _merge_covered(merged: list[str]) -> set[str]:
    """Cells hidden under a merged range (all but its top-left): they cannot be edited."""
    covered: set[str] = set()
    for ref in merged:
        corners = ref.split(":")
        if len(corners) != 2:
            continue
        try:
            (r1, c1), (r2, c2) = _position(corners[0]), _position(corners[1])
        except ValueError:
            continue
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue
        covered.update(f"{column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        covered.discard(f"{column_letter(c1)}{r1}")
    return covered


def _check_locks(data: WorkbookData, expected: _Expected, report: _Report) -> None:
    card = data.scorecard
    covered: set[str] | None = None
    for ref, cell in data.cells.items():
        if cell.locked or ref in expected.inputs:
            continue
        if covered is None:
            covered = _merge_covered(data.merged)
        if ref in covered and cell.formula is None and cell.value in (None, ""):
            continue
        important = (
            ref in expected.formulas
            or ref in expected.constants
            or cell.formula is not None
            or ref in expected.target_cells.values()
            or ref in IDENTITY_CELLS.values()
        )
        report.add(
            "cell_unlocked",
            card,
            ref,
            "the cell is unlocked: anyone can overwrite it even with the sheet protected",
            expected="locked",
            found="unlocked",
            severity=ERROR if important else WARNING,
        )
    for ref in sorted(expected.inputs, key=_order):
        cell = data.cells.get(ref)
        if cell is None or cell.locked:
            report.add(
                "input_locked",
                card,
                ref,
                "the input cell is locked: the manager cannot type into it",
                expected="unlocked",
                found="locked",
            )


_CONDITION = re.compile(r"\[[<>=]")
_QUOTED = re.compile(r'"([^"]*)"')
_SHOWS_VALUE = re.compile(r"[0#?@]|general|[ymdhs]", re.IGNORECASE)  # digit, text or date placeholders


@lru_cache(maxsize=1024)
def shows_fixed_display(code: str) -> bool:
    """True when a number format can show something other than the cell's value: a condition
    ([>=60]), literal digits ("99.5", \\9), or a section that hides or replaces the value (;;;,
    "A", 0;"OK"). Formats kpibook writes (0.00, 0.0%, #,##0, General...) and a unit suffix
    (0.00" 分") are not."""
    if not code:
        return False
    if _CONDITION.search(code) or any(re.search(r"\d", text) for text in _QUOTED.findall(code)):
        return True
    if re.search(r"\\\d", code):
        return True
    sections = _QUOTED.sub("", code).split(";")
    return any(not _SHOWS_VALUE.search(s) for s in sections[:3])


def _check_display(data: WorkbookData, expected: _Expected, report: _Report) -> None:
    cells = (
        set(expected.formulas)
        | set(expected.constants)
        | set(expected.target_cells.values())
        | set(IDENTITY_CELLS.values())
    )
    for ref in sorted(cells, key=_order):
        code = data.number_format(ref) if ref in data.cells else ""
        if shows_fixed_display(code):
            report.add(
                "display_forged",
                data.scorecard,
                ref,
                "the cell's number format does not show its value (what is printed or seen is not what kpibook reads)",
                expected="a plain number format",
                found=code,
            )


def _order(ref: str) -> tuple[int, int]:
    row, col = _position(ref)
    return row, col


def _check_functions(data: WorkbookData, report: _Report) -> None:
    card = data.scorecard
    formulas: list[tuple[str, str, str]] = [(card, ref, c.formula) for ref, c in data.cells.items() if c.formula]
    for sheet, cells in data.formulas_elsewhere.items():
        formulas += [(sheet, ref, text) for ref, text in cells.items()]
    formulas += [
        (card, v.get("sqref", ""), v[k]) for v in data.validations for k in ("formula1", "formula2") if v.get(k)
    ]
    formulas += [(card, "", text) for text in data.conditional_formulas]
    formulas += [("", "", text) for text in data.names.values()]
    formulas += [(sheet, "", text) for sheet, _name, text in data.local_names]
    for sheet, ref, text in formulas:
        banned, external = _formula_flags(text)
        if banned:
            report.add(
                "function_not_allowed",
                sheet,
                ref,
                "a formula uses functions outside kpibook's allowed list "
                f"({', '.join(sorted(scoring.ALLOWED_FUNCTIONS))})",
                expected="allowed functions only",
                found=", ".join(sorted(banned)) + f" in ={text}",
            )
        if external:
            report.add(
                "external_link",
                sheet,
                ref,
                "a formula refers to another workbook",
                expected="no external references",
                found=f"={text}",
            )


@lru_cache(maxsize=8192)
def _formula_flags(formula: str) -> tuple[frozenset[str], bool]:
    """(functions outside the allowed list, refers to another workbook) of a formula text."""
    banned = frozenset(functions_used(formula)) - scoring.ALLOWED_FUNCTIONS
    return banned, bool(_EXTERNAL_REF.search(_STRING.sub('""', formula)))


def _check_formulas(data: WorkbookData, expected: _Expected, report: _Report) -> None:
    card = data.scorecard
    status: dict[str, bool] = {}  # formula cell -> matches the spec
    for ref, want in expected.formulas.items():
        cell = data.cells.get(ref)
        status[ref] = cell is not None and cell.formula is not None and _formula_equal(cell.formula, want)
    for ref, want in expected.formulas.items():
        if status[ref]:
            continue
        cell = data.cells.get(ref)
        spec_text = expected.layout.formulas[ref]
        if cell is None or cell.formula is None:
            what = (
                "overwritten with a constant (typed or pasted over)"
                if cell and cell.value not in (None, "")
                else "deleted"
            )
            report.add(
                "formula_missing",
                card,
                ref,
                f"the formula was {what}",
                expected=spec_text,
                found=_show(cell.value if cell else None),
            )
            continue
        block = expected.blocks.get(ref, ())
        others = [c for c in block if c != ref]
        row, col = _position(ref)
        if others and all(status[c] for c in others):
            r1c1_want = to_r1c1(want, row, col)
            r1c1_found = to_r1c1(_norm(cell.formula), row, col)
            report.add(
                "column_inconsistent",
                card,
                ref,
                f"the formula differs from the rest of its column "
                f"({block[0]}:{block[-1]}) in R1C1 terms: {r1c1_found} instead of {r1c1_want}",
                expected=spec_text,
                found="=" + cell.formula,
            )
        else:
            report.add(
                "formula_changed",
                card,
                ref,
                "the formula differs from the one the spec generates",
                expected=spec_text,
                found="=" + cell.formula,
            )
    for ref, cell in data.cells.items():
        if cell.formula is None or ref in expected.formulas:
            continue
        if ref in expected.inputs:
            report.add(
                "formula_in_input",
                card,
                ref,
                "an input cell holds a formula: kpibook reads its computed value; type the figure instead",
                expected="a typed value",
                found="=" + cell.formula,
            )
        else:
            report.add(
                "extra_formula",
                card,
                ref,
                "a formula where the generated workbook has a fixed value or nothing",
                expected=_show(expected.constants[ref][1]) if ref in expected.constants else "no formula",
                found="=" + cell.formula,
            )


@lru_cache(maxsize=8192)
def _formula_equal(found: str, want_normalized: str) -> bool:
    got = _norm(found)
    return got == want_normalized or got.replace("$", "") == want_normalized.replace("$", "")


def _check_constants(data: WorkbookData, expected: _Expected, report: _Report) -> None:
    card = data.scorecard
    for ref, (code, want, what) in expected.constants.items():
        if (card, ref) in report.flagged:
            continue
        cell = data.cells.get(ref)
        found = cell.value if cell else None
        if not _same(found, want):
            report.add(code, card, ref, f"the {what} was changed", expected=_show(want), found=_show(found))


# -- data validation -------------------------------------------------------------------------------


def _covers(sqref: str, row: int, col: int) -> bool:
    for r1, c1, r2, c2 in _ranges(sqref):
        if r1 <= row <= r2 and c1 <= col <= c2:
            return True
    return False


@lru_cache(maxsize=4096)
def _ranges(sqref: str) -> tuple[tuple[int, int, int, int], ...]:
    """ "H8 H10:H12" -> ((8, 8, 8, 8), (10, 8, 12, 8)): (first row, first col, last row, last col)."""
    out = []
    for part in sqref.split():
        corners = part.replace("$", "").split(":")
        try:
            (r1, c1), (r2, c2) = _position(corners[0]), _position(corners[-1])
        except ValueError:
            continue
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return tuple(out)


def _canonical(formula: str) -> str:
    """A validation formula in comparable form: normalized, numbers as doubles (0.0 == 0)."""
    text = _norm(formula)
    out, last = [], 0
    for m in _STRING.finditer(text):  # string literals are kept as they are
        out += [_NUMBER.sub(lambda n: _number(float(n.group(1))), text[last : m.start()]), m.group(0)]
        last = m.end()
    out.append(_NUMBER.sub(lambda n: _number(float(n.group(1))), text[last:]))
    return "".join(out)


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _list_items(formula: str) -> set[str]:
    text = formula.strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return {item.strip() for item in text.split(",")}


def _compare_validation(want: dict[str, str], found: dict[str, str]) -> tuple[str, str] | None:
    """None when the found validation is the spec's; else (code, what differs)."""
    kind = found.get("type") or "none"
    if kind == "none":
        return "validation_removed", "any value is accepted"
    if not _true(found.get("showErrorMessage")) or (found.get("errorStyle") or "stop") != "stop":
        return "validation_widened", "a wrong value is no longer refused (the error alert is off or only warns)"
    if kind != want["type"] and not {kind, want["type"]} <= {"decimal", "whole"}:
        return "validation_widened", f"the rule type is {kind} instead of {want['type']}"
    if want["type"] in ("decimal", "whole"):
        operator = found.get("operator") or "between"
        low, high = _as_number(found.get("formula1", "")), _as_number(found.get("formula2", ""))
        want_low, want_high = float(want["formula1"]), float(want["formula2"])
        if operator != "between" or low is None or high is None:
            return "validation_widened", f"the rule is '{operator} {found.get('formula1')} {found.get('formula2')}'"
        wider = (
            low < want_low
            and not _close(low, want_low)
            or high > want_high
            and not _close(high, want_high)
            or (kind == "decimal" and want["type"] == "whole")
        )
        if wider:
            return "validation_widened", f"the rule accepts {kind} numbers from {_number(low)} to {_number(high)}"
        if not (_close(low, want_low) and _close(high, want_high) and kind == want["type"]):
            return "validation_changed", f"the rule accepts {kind} numbers from {_number(low)} to {_number(high)}"
        return None
    if want["type"] == "list":
        items, want_items = _list_items(found.get("formula1", "")), _list_items(want["formula1"])
        if items == want_items:
            return None
        return (
            "validation_changed" if items <= want_items else "validation_widened"
        ), f"the list is {found.get('formula1', '')}"
    if _canonical(found.get("formula1", "")) != _canonical(want["formula1"]):
        return "validation_widened", f"the rule is ={found.get('formula1', '')}"
    return None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true")


def _check_validations(data: WorkbookData, expected: _Expected, report: _Report) -> None:
    card = data.scorecard
    wanted = {_position(ref): ref for ref in expected.validations}
    found: dict[str, dict[str, str]] = {}
    for validation in data.validations:  # the first rule covering a cell is the one Excel applies
        for position, ref in wanted.items():
            if ref not in found and _covers(validation.get("sqref", ""), *position):
                found[ref] = validation
    for ref, want in expected.validations.items():
        rule = found.get(ref)
        problem = _compare_validation(want, rule) if rule else ("validation_removed", "any value can be typed")
        if problem:
            code, detail = problem
            rule_text = (
                f"={want['formula1']}"
                if want["type"] == "custom"
                else want["formula1"]
                if want["type"] == "list"
                else f"a {want['type']} number from {_number(float(want['formula1']))} "
                f"to {_number(float(want['formula2']))}"
            )
            verb = {"validation_removed": "removed", "validation_widened": "widened"}.get(code, "changed")
            report.add(
                code,
                card,
                ref,
                f"the data validation of this actual cell was {verb}",
                expected=f"{rule_text}, other values refused",
                found=detail,
            )


# -- cached values -------------------------------------------------------------------------------


def _check_cached_values(data: WorkbookData, expected: _Expected, result: WorkbookAudit, report: _Report) -> None:
    from kpibook.fill import scorecard_values  # the cell values a spreadsheet computes, from the scoring core

    layout = expected.layout
    card = data.scorecard
    # the formulas read the actuals where the layout puts them; a moved name (reported already)
    # must not make every cached value look forged
    actuals = {k.id: _value_at(data, layout.kpi_cell(k.id, "actual")) for k in layout.role.kpis}
    want = scorecard_values(layout, actuals, result.targets)
    cached: dict[str, object] = {}
    for ref in expected.formulas:
        cell = data.cells.get(ref)
        if cell is None or cell.formula is None or cell.value is None or (card, ref) in report.flagged:
            continue  # no cache (openpyxl and some tools write none), or the formula is reported already
        cached[ref] = cell.value
    wrong = [ref for ref, value in cached.items() if not _same(value, want[ref])]
    if not wrong:
        return
    if all(_same(value, expected.blank[ref]) for ref, value in cached.items()):
        total = layout.total_cell
        report.add(
            "stale_cache",
            card,
            total,
            "the cached values are the blank workbook's although actuals are "
            "filled in: the file was saved by a tool that does not recalculate (Excel recalculates it on "
            "opening; kpibook recomputes every score itself)",
            expected=f"total {_show(want[total])} (recalculated)",
            found=f"total {_show(cached.get(total))}",
        )
        return
    for ref in wrong:
        report.add(
            "cached_value",
            card,
            ref,
            "the cached value differs from the recomputation of this cell's "
            "formula from the actuals and targets (a forged or stale value)",
            expected=_show(want[ref]),
            found=_show(cached[ref]),
        )


# ---------------------------------------------------------------------------------------------
# Many workbooks
# ---------------------------------------------------------------------------------------------


def audit(inputs: Sequence[str | Path], spec: Spec | str | Path | None = None, key: Key | None = None) -> AuditResult:
    """Audits every workbook under `inputs` (files and folders, recursively) against the spec."""
    started = time.perf_counter()
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    key = key or load_key()
    paths, skipped = find_workbooks(inputs)
    result = AuditResult(skipped=[(Path(s.path), s.message) for s in skipped])
    for path in paths:
        result.workbooks.append(audit_workbook(path, spec, key))
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------------------------------------
# The formula book
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormulaBookEntry:
    """One line of the formula book: a distinct formula of a role's workbook, or one KPI's rule."""

    role_id: str
    role_name: str
    kind: str  # "formula" | "kpi"
    number: int
    key: str  # "kpi.score", ... or the KPI id
    cells: str  # "Scorecard!I8:I17"
    r1c1: str
    a1: str
    words: str
    rule: str


def explain(spec: Spec, role_id: str | None = None) -> list[FormulaBookEntry]:
    """The formula book: for each role (or the one given), each distinct formula in R1C1 and A1
    form with what it computes and the spec rule behind it, then each KPI's own scoring rule."""
    if role_id is not None and role_id not in spec.role_ids:
        raise KpibookError(
            [
                Problem(
                    f"{spec.source or 'roles.toml'}: roles",
                    f"there is no role {role_id!r}; the roles are {', '.join(spec.role_ids)}",
                )
            ]
        )
    roles: list[Role] = [spec.role(role_id)] if role_id else list(spec.roles)
    entries: list[FormulaBookEntry] = []
    for role in roles:
        layout = RoleLayout(role, spec.grades)
        name = f"{role.name_zh} {role.name_en}"
        for number, formula in enumerate(layout.column_formulas(), 1):
            row, col = _position(f"{formula.column}{formula.first_row}")
            entries.append(
                FormulaBookEntry(
                    role.id,
                    name,
                    "formula",
                    number,
                    formula.key,
                    f"{SCORECARD}!{formula.cells}",
                    "=" + to_r1c1(formula.formula[1:], row, col),
                    formula.formula,
                    formula.words,
                    formula.rule,
                )
            )
        for number, (row, kpi) in enumerate(layout.iter_kpis(), 1):
            method = scoring.METHODS[kpi.method]
            params = ", ".join(
                f"{label} {COLUMNS[key]}{row} = {_show(value)}"
                for label, key, value in (
                    ("code", "code", method.code),
                    ("direction", "direction", kpi.direction),
                    ("zero/penalty", "param", kpi.param),
                    ("floor", "floor", kpi.floor),
                    ("cap", "cap", kpi.cap),
                    ("N/A ok", "na", 1 if kpi.allow_na else 0),
                )
            )
            entries.append(
                FormulaBookEntry(
                    role.id,
                    name,
                    "kpi",
                    number,
                    kpi.id,
                    f"{SCORECARD}!{layout.kpi_cell(kpi.id, 'score')}",
                    f"method {kpi.method} (CHOOSE branch {method.code}: {method.excel})",
                    params,
                    f"{kpi.name_zh} / {kpi.name_en}: {scoring.describe_rule(scoring.rule_of(kpi), kpi.unit)}",
                    f"roles.toml: roles[{role.id}].dimensions[{kpi.dimension_id}].kpis[{kpi.id}] (weight {kpi.weight:g}%)",
                )
            )
    return entries


def explain_lines(entries: Sequence[FormulaBookEntry]) -> list[str]:
    """The formula book as text."""
    lines: list[str] = []
    role = None
    for e in entries:
        if e.role_id != role:
            role = e.role_id
            lines += ([""] if lines else []) + [f"== {e.role_id}: {e.role_name} =="]
        if e.kind == "formula":
            lines += [
                "",
                f"{e.number}. {e.key}  {e.cells}",
                f"   R1C1: {e.r1c1}",
                f"   A1:   {e.a1}",
                f"   computes: {e.words}",
                f"   spec: {e.rule}",
            ]
        else:
            if e.number == 1:
                lines += ["", "KPI rules (the score formula's parameters per row):"]
            lines += [f"  {e.key}  {e.cells}: {e.words}", f"      {e.r1c1}; {e.a1}", f"      {e.rule}"]
    return lines


def write_formula_book(entries: Sequence[FormulaBookEntry], out: str | Path) -> Path:
    """The formula book as an .xlsx (formulas shown as text, never evaluated), written atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from kpibook.outputs import atomic_write

    out = Path(out)
    wb = Workbook()
    sheets = {"formula": wb.active, "kpi": wb.create_sheet("KPI rules")}
    sheets["formula"].title = "Formula book"
    headers = {
        "formula": (
            "role",
            "#",
            "cells",
            "formula (R1C1)",
            "formula (A1, first cell)",
            "what it computes",
            "spec rule",
        ),
        "kpi": ("role", "#", "KPI", "score cell", "method", "parameters", "rule in words", "spec"),
    }
    widths = {"formula": (16, 4, 22, 80, 80, 60, 40), "kpi": (16, 4, 22, 14, 50, 60, 80, 50)}
    for kind, ws in sheets.items():
        ws.append(headers[kind])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, width in enumerate(widths[kind]):
            ws.column_dimensions[chr(65 + i)].width = width
        ws.freeze_panes = "A2"
    for e in entries:
        if e.kind == "formula":
            row = (e.role_id, e.number, e.cells, e.r1c1, e.a1, e.words, e.rule)
        else:
            row = (e.role_id, e.number, e.key, e.cells, e.r1c1, e.a1, e.words, e.rule)
        ws = sheets[e.kind]
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # formula text is shown, never evaluated
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        atomic_write(out, buffer.getvalue())
    except OSError as exc:
        raise OutputError(
            [Problem(str(out), f"cannot be written ({exc.strerror}); close it in Excel or choose another --out")]
        ) from None
    return out
