"""Preparing HR's workbook for kpibook's Excel functions and buttons (`kpibook xl setup`).

`setup_workbook` writes a workbook with two extra sheets:

- "xlwings.conf": the classic add-in's settings sheet (key in column A, value in B), with
  "UDF Modules" = kpibook.xl.udfs;kpibook.xl.classic so that "Import Functions" finds the
  KPIBOOK_* functions and the three buttons, and the Python interpreter where kpibook is
  installed when it is known;
- "kpibook": the named cells the buttons read (kpibook_input, kpibook_output, kpibook_spec)
  and write (kpibook_status), with instructions and the VBA macros to paste.

An existing workbook is never changed: the result is a copy (by default beside it, named
<name>_kpibook.xlsm). Employee scorecards are refused: adding sheets would alter a returned
workbook and the audit would flag it.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kpibook import ooxml
from kpibook.errors import OutputError, Problem
from kpibook.layout import METADATA
from kpibook.messages import t
from kpibook.outputs import atomic_write
from kpibook.xl import scripts

CONF_SHEET = "xlwings.conf"
UDF_MODULES = "kpibook.xl.udfs;kpibook.xl.classic"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SUFFIXES = (".xlsx", ".xlsm")

# The named cells of the "kpibook" sheet: name -> (cell, label).
CONTROL_CELLS: dict[str, tuple[str, str]] = {
    scripts.INPUT: (scripts.INPUT_CELL, "输入 Input: a returned workbook, or a folder of them"),
    scripts.OUTPUT: ("B4", "汇总文件 Summary file for Consolidate (optional; default: beside the folder)"),
    scripts.SPEC: ("B5", "考核标准 Role spec roles.toml (optional; default: the bundled one)"),
    scripts.STATUS: ("B6", "状态 Status of the last button"),
}


@dataclass(frozen=True)
class SetupResult:
    out: Path
    copied_from: Path | None  # None: a new workbook
    settings: dict[str, str]  # what the xlwings.conf sheet holds


def interpreter_settings(interpreter: str | None = None) -> dict[str, str]:
    """Interpreter_Win / Interpreter_Mac: the Python that has kpibook, when known (else the add-in's own)."""
    path = interpreter or (sys.executable if sys.platform in ("win32", "darwin") else None)
    if not path:
        return {}
    windows = bool(re.match(r"^[A-Za-z]:[\\/]|^\\\\", path)) or (interpreter is None and sys.platform == "win32")
    return {"Interpreter_Win" if windows else "Interpreter_Mac": path}


def default_output(source: Path) -> Path:
    return source.with_name(f"{source.stem}_kpibook.xlsm")


def instructions() -> list[str]:
    from kpibook.xl.classic import vba_module
    from kpibook.xl.udfs import FUNCTIONS

    lines = [
        "按钮 Buttons (classic xlwings: the VBA macros below; xlwings Lite: the scripts kpibook_recompute, "
        "kpibook_consolidate, kpibook_audit, kpibook_calibrate)",
        "  Recompute: Excel's scores beside Python's recomputation, differences in red -> sheet 'kpibook Recompute'",
        "  Consolidate: the department summary of the folder in B3 -> sheets 'kpibook Summary', 'kpibook Issues'",
        "  Audit: the findings of the workbook(s) in B3 (else of this workbook's file) -> sheet 'kpibook Audit'",
        "  Calibrate: the calibration workbook for the summary.xlsx in B3 (written to B4, else beside it) "
        "-> sheet 'kpibook Calibration'",
        "",
        "函数 Worksheet functions: " + ", ".join(f.__name__ for f in FUNCTIONS),
        '  e.g. =KPIBOOK_SCORE(4500000, 5000000, "ratio")  ->  90',
        "  e.g. =KPIBOOK_CHECK('[E1001_王芳_2026Q4.xlsx]Scorecard'!$A$1:$AJ$60)  ->  OK, or where Excel and Python differ",
        "",
        "VBA (Alt+F11 > Insert > Module, paste; then Developer > Insert > Button):",
    ]
    return lines + vba_module().splitlines()


def _build(source: Path | None, settings: dict[str, str], values: dict[str, str]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName

    if source is None:
        wb = openpyxl.Workbook()
        wb.active.title = scripts.CONTROL_SHEET
    else:
        try:
            wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
        except Exception as exc:
            raise OutputError([Problem(str(source), t("xl.unreadable", reason=exc))]) from None
        if METADATA in wb.sheetnames:
            raise OutputError([Problem(str(source), t("xl.scorecard"))])
        for name in (scripts.CONTROL_SHEET, CONF_SHEET):
            if name in wb.sheetnames:
                del wb[name]
        wb.create_sheet(scripts.CONTROL_SHEET, 0)
    control = wb[scripts.CONTROL_SHEET]
    control["A1"] = "kpibook"
    control["A1"].font = Font(bold=True, size=14)
    for name, (cell, label) in CONTROL_CELLS.items():
        row = int(cell[1:])
        control[f"A{row}"] = label
        control[cell] = values.get(name)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{scripts.CONTROL_SHEET}'!$B${row}")
    for offset, line in enumerate(instructions()):
        control.cell(row=8 + offset, column=1, value=line)
    control.column_dimensions["A"].width = 70
    control.column_dimensions["B"].width = 60
    conf = wb.create_sheet(CONF_SHEET)
    for row, (key, value) in enumerate(settings.items(), start=1):
        conf.cell(row=row, column=1, value=key)
        conf.cell(row=row, column=2, value=value)
    conf.column_dimensions["A"].width = 20
    conf.column_dimensions["B"].width = 60
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def macro_enabled(xlsx: bytes) -> bytes:
    """The same package declared macro-enabled, as an .xlsm must be (openpyxl only does so when it carries VBA)."""
    return ooxml.rewrite_parts(xlsx, {"[Content_Types].xml": lambda data: data.replace(XLSX_MAIN, XLSM_MAIN)})


def setup_workbook(
    workbook: str | Path,
    out: str | Path | None = None,
    input_path: str | None = None,
    spec: str | None = None,
    interpreter: str | None = None,
    force: bool = False,
) -> SetupResult:
    """Writes the workbook prepared for kpibook: a new one at `workbook`, or a copy of an existing one at `out`."""
    workbook = Path(workbook)
    source = workbook if workbook.exists() else None
    target = Path(out) if out else (default_output(workbook) if source else workbook)
    for path in (workbook, target):
        if path.suffix.lower() not in SUFFIXES:
            raise OutputError([Problem(str(path), t("xl.suffix"))])
    if source is not None and not source.is_file():
        raise OutputError([Problem(str(source), t("xl.not_a_file"))])
    if source is not None and target.resolve() == source.resolve():
        raise OutputError([Problem(str(target), t("xl.in_place"))])
    if target.exists() and not force:
        raise OutputError([Problem(str(target), t("xl.exists"))])
    settings = {"UDF Modules": UDF_MODULES} | interpreter_settings(interpreter)
    values = {k: v for k, v in ((scripts.INPUT, input_path), (scripts.SPEC, spec)) if v}
    data = _build(source, settings, values)
    if target.suffix.lower() == ".xlsm" and b"vbaProject" not in data:
        data = macro_enabled(data)
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise OutputError([Problem(str(target), t("xl.cannot_write", reason=exc.strerror))]) from None
    return SetupResult(target, source, settings)
