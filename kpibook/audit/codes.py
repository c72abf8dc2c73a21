"""The audit's vocabulary: every finding code with its severity, and the result types.

Codes are stable: the department summary's Issues sheet and scripts reading `kpibook audit
--json` rely on them. `Report` collects one workbook's findings as the checks make them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from kpibook.read import UnreadableWorkbook, WorkbookData
from kpibook.scoring import ExcelError, RoleScores

ERROR = "error"
WARNING = "warning"
INFO = "info"  # a note for finance, not a finding: the workbook stays clean

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
    "engine_rounding": (INFO, "the saving program rounded a decimal half its own way (kpibook engines): not a finding"),
}


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
        return one_line(f"{text}; {self.severity} [{self.code}]")


def one_line(text: str) -> str:
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
        return "findings" if any(f.severity != INFO for f in self.findings) else "clean"

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
            return one_line(f"FAIL {self.path}: unreadable: {self.unreadable.message}")
        if self.verdict == "unverifiable":
            key_id = self.data.metadata.get("key_id", "?") if self.data else "?"
            return (
                f"CANNOT VERIFY {self.path}{who}: signed with key {key_id}, which was not given; "
                "give that key (--key-file or KPIBOOK_KEY_FILE) to check it. Not a sign of tampering."
            )
        errors, warnings = len(self.errors), len(self.warnings)
        counts = ", ".join(p for p in (plural(errors, "error"), plural(warnings, "warning")) if not p.startswith("0"))
        return f"FAIL {self.path}{who}: {plural(len(self.findings), 'finding')} ({counts})"

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


def plural(n: int, noun: str) -> str:
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
            f"{plural(counts['workbooks'], 'workbook')} audited: {counts['clean']} clean, "
            f"{counts['with_findings']} with findings ({plural(counts['errors'], 'error')}, "
            f"{plural(counts['warnings'], 'warning')}), {counts['unreadable']} unreadable"
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


class Report:
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
