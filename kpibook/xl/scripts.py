"""The bodies of the Recompute, Consolidate, Audit and Calibrate buttons, over xlwings' Book API.

The same bodies run in every runtime: classic xlwings hands them `xw.Book.caller()` (see
kpibook.xl.classic); xlwings Lite and xlwings Server hand them the workbook as
`xw.Book(json=...)` (see kpibook.xl.lite). They only use what all of those support: sheet
names, named ranges, reading values, adding a sheet, writing values and a fill colour.

Where the buttons read and write. A generated scorecard is protected (its sheets and its
structure), and returned workbooks are inputs that kpibook never changes. So the buttons
live in HR's own workbook (`kpibook xl setup` makes one), which has a "kpibook" sheet with
these named cells:

    kpibook_input    a returned workbook or a folder of them (.xlsx); Calibrate: the summary.xlsx
    kpibook_output   Consolidate: where to write the department summary (optional);
                     Calibrate: where to write the calibration workbook (optional)
    kpibook_spec     the roles.toml to use (optional)
    kpibook_status   where the last button writes what it did

Each button writes its result into a sheet of that workbook ("kpibook Recompute",
"kpibook Summary", "kpibook Issues", "kpibook Audit"). Recompute also works in a workbook
that holds a Scorecard sheet itself and can take a new sheet (an unprotected copy, or a
scorecard open in xlwings Lite): then it compares Excel's live values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpibook.errors import KpibookError
from kpibook.formula_text import column_index
from kpibook.layout import LAST_PARAM_COLUMN, SCORECARD
from kpibook.messages import t
from kpibook.spec import Spec
from kpibook.xl import core

INPUT = "kpibook_input"
OUTPUT = "kpibook_output"
SPEC = "kpibook_spec"
STATUS = "kpibook_status"
CONTROL_SHEET = "kpibook"
RECOMPUTE_SHEET = "kpibook Recompute"
SUMMARY_SHEET = "kpibook Summary"
ISSUES_SHEET = "kpibook Issues"
AUDIT_SHEET = "kpibook Audit"
CALIBRATION_SHEET = "kpibook Calibration"
DIFFERENCE_FILL = "#FFC7CE"  # Excel's light red "bad" fill
SCORECARD_COLUMNS = column_index(LAST_PARAM_COLUMN)  # A..AJ hold everything a recomputation needs
INPUT_CELL = "B3"  # where `kpibook xl setup` puts kpibook_input

RECOMPUTE_HEADER = ["file", "employee_id", "cell", "item", "name", "actual", "target", "Excel", "Python", "agrees"]


@dataclass(frozen=True)
class ScriptResult:
    ok: bool
    message: str


# ---------------------------------------------------------------------------------------
# Reading the workbook's settings and the scorecards
# ---------------------------------------------------------------------------------------


def named_value(book: Any, name: str) -> Any:
    """The value of a workbook-scoped named cell, or None when the workbook has no such name."""
    if not book.names.contains(name):
        return None
    value = book.names[name].refers_to_range.value
    if isinstance(value, str):
        value = value.strip().strip('"').strip()
    return value if value not in ("", None) else None


def spec_of(book: Any) -> Spec:
    path = named_value(book, SPEC)
    return core.active_spec(str(path) if path else None)


def where_input() -> str:
    """Where the buttons read their input, in the words of the run's language."""
    return t("button.where_input", name=INPUT, sheet=CONTROL_SHEET, cell=INPUT_CELL)


def workbook_paths(source: Any) -> list[Path]:
    """The .xlsx/.xlsm files named by a path: the file itself, or every one in a folder (recursively)."""
    path = Path(str(source)).expanduser()
    if path.is_file():
        return [path]
    if path.is_dir():
        found = [p for p in path.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith("~$")]
        return sorted(found)
    raise KpibookError(t("button.no_such_path", path=source, where=where_input()))


def read_scorecard_file(path: Path) -> list[list[Any]]:
    """The Scorecard sheet's values as the file keeps them: what Excel last calculated and saved."""
    import openpyxl  # only the buttons need it; keeps `import kpibook.xl.udfs` light

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken or foreign file: say which and go on with the others
        raise KpibookError(t("button.unreadable_workbook", path=path, reason=exc)) from None
    try:
        if SCORECARD not in wb.sheetnames:
            raise KpibookError(t("button.not_a_scorecard", path=path, sheet=SCORECARD))
        return [list(row) for row in wb[SCORECARD].iter_rows(max_col=SCORECARD_COLUMNS, values_only=True)]
    finally:
        wb.close()


def read_scorecard_sheet(sheet: Any) -> list[list[Any]]:
    """A Scorecard sheet's live values from Excel (errors as their text)."""
    last = sheet.used_range.last_cell
    rng = sheet.range((1, 1), (max(last.row, 1), max(last.column, SCORECARD_COLUMNS)))
    return rng.options(ndim=2, err_to_str=True).value


def sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


# ---------------------------------------------------------------------------------------
# Writing results
# ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> Any:
    """A value as it may be written into a cell: text from an input stays text, never a formula."""
    value = core.to_excel(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def write_table(book: Any, name: str, rows: Sequence[Sequence[Any]], highlight: Iterable[int] = ()) -> Any:
    """Writes `rows` (header first) into sheet `name`, made or emptied first; `highlight` are 0-based data rows."""
    if name in sheet_names(book):
        sheet = book.sheets[name]
        sheet.clear()
    else:
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    width = max(len(r) for r in rows)
    sheet["A1"].value = [[cell_text(v) for v in r] + [None] * (width - len(r)) for r in rows]
    for index in highlight:
        sheet.range((index + 2, 1), (index + 2, width)).color = DIFFERENCE_FILL
    sheet.autofit()
    return sheet


def set_status(book: Any, message: str) -> None:
    if book.names.contains(STATUS):
        book.names[STATUS].refers_to_range.value = cell_text(message)


def run(body: Callable[[Any], str], book: Any) -> ScriptResult:
    """Runs a button's body; a mistake becomes one readable message in kpibook_status, never a traceback."""
    try:
        result = ScriptResult(True, body(book))
    except KpibookError as exc:
        result = ScriptResult(
            False, "kpibook: " + "; ".join(str(p) if p.where != "kpibook" else p.message for p in exc.problems)
        )
    except Exception as exc:  # a bug: still one message, with what to report
        result = ScriptResult(False, "kpibook: " + t("button.unexpected", kind=type(exc).__name__, detail=exc))
    try:
        set_status(book, result.message)
    except Exception:  # the status cell is a convenience; the message is also returned
        pass
    return result


# ---------------------------------------------------------------------------------------
# The buttons
# ---------------------------------------------------------------------------------------


def recompute(book: Any) -> str:
    """Recompute: every KPI, dimension, total and grade, Excel's value beside Python's; differences in red."""
    spec = spec_of(book)
    source = named_value(book, INPUT)
    checks: list[tuple[str, core.ScorecardCheck | str]] = []
    if source is not None:
        for path in workbook_paths(source):
            try:
                checks.append((str(path), core.recompute_scorecard(read_scorecard_file(path), spec)))
            except KpibookError as exc:
                checks.append((str(path), exc.render()))
    elif SCORECARD in sheet_names(book):
        checks.append((book.name, core.recompute_scorecard(read_scorecard_sheet(book.sheets[SCORECARD]), spec)))
    else:
        raise KpibookError(t("button.nothing_to_recompute", where=where_input(), sheet=SCORECARD))
    rows: list[list[Any]] = [RECOMPUTE_HEADER]
    highlight: list[int] = []
    differing = unreadable = 0
    for label, check in checks:
        if isinstance(check, str):
            unreadable += 1
            highlight.append(len(rows) - 1)
            rows.append([label, "", "", "", check])
            continue
        differing += bool(check.disagreements)
        for r in check.rows:
            if not r.agrees:
                highlight.append(len(rows) - 1)
            rows.append(
                [
                    label,
                    check.employee_id,
                    r.cell,
                    r.item,
                    r.name,
                    r.actual,
                    r.target,
                    r.excel,
                    r.python,
                    t("button.agrees") if r.agrees else t("button.differs"),
                ]
            )
    write_table(book, RECOMPUTE_SHEET, rows, highlight)
    checked = len(checks) - unreadable
    not_read = t("button.recompute_unreadable", count=unreadable) if unreadable else ""
    return t("button.recompute_done", checked=checked, differing=differing, unreadable=not_read, sheet=RECOMPUTE_SHEET)


def default_summary_path(folder: Path) -> Path:
    """Beside the folder, not in it: the next run must not read the summary as a returned workbook."""
    return folder.parent / f"{folder.name}_summary.xlsx"


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in wb.sheetnames:
            return []
        return [list(row) for row in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def consolidate_folder(book: Any) -> str:
    """Consolidate: the same roll-up as `kpibook consolidate FOLDER --out SUMMARY`, shown in this workbook."""
    source = named_value(book, INPUT)
    if source is None:
        raise KpibookError(t("button.no_folder", where=where_input()))
    folder = Path(str(source)).expanduser()
    if not folder.is_dir():
        raise KpibookError(t("button.not_a_folder", path=folder, where=where_input()))
    output = named_value(book, OUTPUT)
    out = Path(str(output)).expanduser() if output else default_summary_path(folder)
    manifest = folder / "manifest.csv"
    try:
        from kpibook.consolidate import consolidate
    except ImportError:
        raise KpibookError(t("button.no_consolidate")) from None
    consolidate([folder], out, spec=spec_of(book), manifest=manifest if manifest.is_file() else None)
    from kpibook.records import OK, STATUS_IDS
    from kpibook.summary import EMPLOYEES_HEADER_ROW

    employees = sheet_rows(out, "Employees")[EMPLOYEES_HEADER_ROW - 1 :]  # the column ids' row, then the rows
    issues = sheet_rows(out, "Issues")
    if employees:
        status = employees[0].index("status") if "status" in employees[0] else None
        write_table(
            book,
            SUMMARY_SHEET,
            employees,
            [i for i, r in enumerate(employees[1:]) if status is not None and STATUS_IDS.get(r[status]) != OK],
        )
    if issues:
        write_table(book, ISSUES_SHEET, issues)
    return t(
        "button.consolidate_done",
        employees=max(len(employees) - 1, 0),
        issues=max(len(issues) - 1, 0),
        out=out,
        summary_sheet=SUMMARY_SHEET,
        issues_sheet=ISSUES_SHEET,
    )


def audit_active(book: Any) -> str:
    """Audit: the findings of the workbook(s) in kpibook_input, else of this workbook's own file."""
    source = named_value(book, INPUT)
    if source is None:
        own = Path(str(book.fullname))
        if not own.is_file():
            raise KpibookError(t("button.nothing_to_audit", where=where_input()))
        source = own
    try:
        from kpibook.audit import audit_workbook
    except ImportError:
        raise KpibookError(t("button.no_audit")) from None
    spec = spec_of(book)
    rows: list[list[Any]] = [["file", "finding"]]
    paths = workbook_paths(source)
    flagged = 0
    for path in paths:
        findings = list(audit_workbook(path, spec).findings)
        flagged += bool(findings)
        rows += [[str(path), f.line()] for f in findings]
    if len(rows) == 1:
        rows.append(["", t("button.no_findings")])
    write_table(book, AUDIT_SHEET, rows)
    return t("button.audit_done", count=len(paths), flagged=flagged, sheet=AUDIT_SHEET)


def default_calibration_path(summary: Path) -> Path:
    """Beside the summary: summary.xlsx -> summary_calibration.xlsx."""
    return summary.with_name(f"{summary.stem}_calibration.xlsx")


def calibrate_summary(book: Any) -> str:
    """Calibrate: the same call as `kpibook calibrate SUMMARY --out CALIBRATION` (kpibook.calibrate),
    for the summary in kpibook_input; what it found goes to the sheet "kpibook Calibration"."""
    source = named_value(book, INPUT)
    if source is None:
        raise KpibookError(t("button.no_summary", where=where_input()))
    summary = Path(str(source)).expanduser()
    output = named_value(book, OUTPUT)
    out = Path(str(output)).expanduser() if output else default_calibration_path(summary)
    from kpibook.calibrate import calibrate

    result = calibrate(summary, out, spec=spec_of(book))
    write_table(book, CALIBRATION_SHEET, [["kpibook calibrate"], *([line] for line in result.lines())])
    return t("button.calibrate_done", count=len(result.people), out=out)


BUTTONS: dict[str, Callable[[Any], str]] = {
    "recompute": recompute,
    "consolidate": consolidate_folder,
    "audit": audit_active,
    "calibrate": calibrate_summary,
}
