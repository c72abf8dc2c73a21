"""The audit's vocabulary: every finding code with its severity, and the result types.

Codes are stable: the department summary's Issues sheet and scripts reading `kpibook audit
--json` rely on them. `Report` collects one workbook's findings as the checks make them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpibook.audit.values import shorten_pair
from kpibook.messages import t
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


# What to do about each code: the catalogue key of its next step (kpibook/catalogue/audit.py, "audit.todo.*").
TODO: dict[str, str] = {
    "unreadable": "audit.todo.unreadable",
    "target_changed": "audit.todo.signed",
    "weight_changed": "audit.todo.signed",
    "parameter_changed": "audit.todo.signed",
    "fingerprint_mismatch": "audit.todo.signed",
    "formula_in_input": "audit.todo.retype",
    "validation_removed": "audit.todo.validation",
    "validation_widened": "audit.todo.validation",
    "validation_changed": "audit.todo.validation",
    "cached_value": "audit.todo.cached",
    "stale_cache": "audit.todo.stale",
    "sheet_renamed": "audit.todo.renamed",
    "other_spec": "audit.todo.other_spec",
    "role_unknown": "audit.todo.other_spec",
    "key_unknown": "audit.todo.key",
    "sheet_unprotected": "audit.todo.unprotected",
    "engine_rounding": "audit.todo.none",
}  # every other code: "audit.todo.tampered" (ask the manager, have HR reissue)

# The next step for the findings of the other workbooks the audit checks (codes "year.*" from
# kpibook.year_audit, "calibration.*" from kpibook.calibration_audit).
_OTHER_WORKBOOKS: dict[str, str] = {"year": "audit.todo.year", "calibration": "audit.todo.calibration"}

# A finding line shortens expected and found to this many characters around their first difference
# (a replaced formula is hundreds of characters long); --json and the Audit sheet keep them whole.
SHORT = 60


@dataclass(frozen=True)
class Finding:
    """One difference found in one workbook. Its wording comes from the message catalogue
    (`key`, `fields`), rendered in the run's language when shown; `code` is the stable id."""

    file: str
    sheet: str
    cell: str
    code: str
    severity: str  # "error" | "warning"
    expected: str
    found: str
    literal: str = ""  # a message given as text rather than a catalogue key (English only)
    key: str = ""  # messages.CATALOGUE key: audit.<code>[.<variant>]
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, made: dict[str, str]) -> Finding:
        """A finding made elsewhere as a dict whose "message" is already worded (kpibook.year_audit)."""
        return cls(
            made["file"],
            made.get("sheet", ""),
            made.get("cell", ""),
            made["code"],
            made["severity"],
            made.get("expected", ""),
            made.get("found", ""),
            literal=made.get("message", ""),
        )

    @property
    def where(self) -> str:
        return "!".join(p for p in (self.file, self.sheet, self.cell) if p)

    @property
    def message(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """What is wrong, in `lang` (default: the run's language)."""
        return t(self.key, lang, **dict(self.fields)) if self.key else self.literal

    def todo(self, lang: str | None = None) -> str:
        """What to do about it."""
        prefix = self.code.split(".", 1)[0] if "." in self.code else ""
        default = _OTHER_WORKBOOKS.get(prefix, "audit.todo.tampered")
        return t(TODO.get(self.code, default), lang, **dict(self.fields))

    def sentence(self, lang: str | None = None, width: int | None = SHORT) -> str:
        """What is wrong, expected and found (shortened to `width` around the first difference;
        None keeps them whole) and what to do, without the place: an Issues row's message."""
        if not (self.expected or self.found):
            return one_line(t("audit.finding.plain", lang, message=self.text(lang), todo=self.todo(lang)))
        expected, found = (
            (self.expected, self.found) if width is None else shorten_pair(self.expected, self.found, width)
        )
        nothing = t("audit.nothing", lang)
        return one_line(
            t(
                "audit.finding",
                lang,
                message=self.text(lang),
                expected=expected or nothing,
                found=found or nothing,
                todo=self.todo(lang),
            )
        )

    def line(self, lang: str | None = None) -> str:
        """One line: "file!Sheet!Cell: error [code] message; expected …, found …; to do: …"."""
        severity = t(f"audit.severity.{self.severity}", lang)
        return one_line(f"{self.where}: {severity} [{self.code}] {self.sentence(lang)}")

    def as_dict(self, lang: str | None = None) -> dict[str, str]:
        """Everything, whole (for --json)."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "code": self.code,
            "severity": self.severity,
            "expected": self.expected,
            "found": self.found,
            "message": self.text(lang),
            "todo": self.todo(lang),
        }


def word(name: str, **fields: object) -> str:
    """An expected or found value that is words, not a cell's content ("locked", "no such name"),
    in the run's language (catalogue "audit.value.<name>")."""
    return t(f"audit.value.{name}", None, **fields)


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
    def label(self) -> str:
        """OK (clean), WARN (warnings only) or FAIL (an error, or unreadable): the worst finding."""
        if self.unreadable is not None or self.errors:
            return "FAIL"
        return "WARN" if self.warnings else "OK"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def verdict_line(self, lang: str | None = None) -> str:
        """ "OK   file (id name, role): clean", "WARN …" or "FAIL …" with the counts."""
        who = f" ({self.employee_id} {self.employee_name}, {self.role_id})" if self.employee_id else ""
        if self.unreadable is not None:
            return one_line(f"FAIL {self.path}: {t('audit.verdict.unreadable', lang, reason=self.unreadable.message)}")
        if self.verdict == "clean":  # info lines (an engine's rounding) may follow: they are not findings
            return f"OK   {self.path}{who}: {t('audit.verdict.clean', lang)}"
        if self.verdict == "unverifiable":  # a key that was not given: not a sign of tampering
            key_id = self.data.metadata.get("key_id", "?") if self.data else "?"
            return f"{self.label:<4} {self.path}{who}: {t('audit.verdict.unverifiable', lang, key_id=key_id)}"
        counts = t(
            "audit.verdict.counts",
            lang,
            findings=len(self.errors) + len(self.warnings),
            errors=len(self.errors),
            warnings=len(self.warnings),
        )
        return f"{self.label:<4} {self.path}{who}: {counts}"

    def lines(self, lang: str | None = None) -> list[str]:
        """The verdict line, then one indented line per finding."""
        return [self.verdict_line(lang)] + ["  " + f.line(lang) for f in self.findings]

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        scores = self.scores
        return {
            "file": str(self.path),
            "verdict": self.verdict,
            "label": self.label,
            "employee_id": self.employee_id,
            "employee_name": self.employee_name,
            "role_id": self.role_id,
            "period": self.period,
            "department": self.department,
            "manager": self.manager,
            "total_score": _json_value(scores.total) if scores else None,
            "grade": _json_value(scores.grade) if scores else None,
            "findings": [f.as_dict(lang) for f in self.findings],
        }


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

    def lines(self, lang: str | None = None) -> list[str]:
        """The text report: per workbook its verdict line and finding lines; skipped files; the
        run's summary line last."""
        out = [line for workbook in self.workbooks for line in workbook.lines(lang)]
        out += [t("audit.skip", lang, path=path, reason=why) for path, why in self.skipped]
        return out + [self.verdict_line(lang)]

    def verdict_line(self, lang: str | None = None) -> str:
        """One line for the whole run."""
        counts = self.counts()
        text = t("audit.summary", lang, **counts)
        if counts["unverifiable"]:
            text += t("audit.summary.unverifiable", lang, unverifiable=counts["unverifiable"])
        return text + (t("audit.summary.skipped", lang, skipped=len(self.skipped)) if self.skipped else "")

    def counts(self) -> dict[str, int]:
        labels = [w.label for w in self.workbooks]
        return {
            "workbooks": len(self.workbooks),
            "clean": labels.count("OK"),
            "warned": labels.count("WARN"),
            "failed": labels.count("FAIL"),
            "with_findings": sum(w.verdict == "findings" for w in self.workbooks),
            "unreadable": sum(w.verdict == "unreadable" for w in self.workbooks),
            "unverifiable": sum(w.verdict == "unverifiable" for w in self.workbooks),
            "errors": sum(len(w.errors) for w in self.workbooks),
            "warnings": sum(len(w.warnings) for w in self.workbooks),
        }

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "workbooks": [w.as_dict(lang) for w in self.workbooks],
            "skipped": [{"file": str(p), "reason": why} for p, why in self.skipped],
            "summary": self.counts(),
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
        message: str = "",
        expected: str = "",
        found: str = "",
        severity: str | None = None,
        variant: str = "",
        **fields: object,
    ) -> None:
        """A finding. Its wording is the catalogue's "audit.<code>" (or "audit.<code>.<variant>")
        filled with `fields`; a `message` text instead is shown as given (English only)."""
        severity = severity or CODES[code][0]
        key = "" if message else f"audit.{code}" + (f".{variant}" if variant else "")
        values = tuple((name, str(value)) for name, value in fields.items())
        self.findings.append(Finding(self.file, sheet, cell, code, severity, expected, found, message, key, values))
        self.flagged.add((sheet, cell))
