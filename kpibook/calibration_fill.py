"""Filling a calibration workbook as the meeting would: a calibrated grade and a reason typed
into the two input cells of some rows, every other part of the file (validation, protection,
metadata) left as calibrate wrote it, except the formulas' cached values, which typing makes
stale: they are written again with the values the formulas now give, computed by the rules
calibrate caches the blank workbook's values with (kpibook.calibration_sheets.formula_values),
and the Distribution chart's caches after them (kpibook.as_excel), so previewers and pandas show
the meeting's counts, flags and bars. The demo plants its moves with it, and the tests use it to make filled workbooks.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from kpibook.as_excel import as_excel_writes
from kpibook.calibration_book import FIRST_ROW, LETTER, SHEET, calibration_rows, table_rows
from kpibook.calibration_cache import with_cached_values
from kpibook.calibration_sheets import formula_values, make_book, people_of, typed_inputs
from kpibook.outputs import atomic_write
from kpibook.spec import Spec

SHEET_PART = "xl/worksheets/sheet1.xml"  # calibrate writes the Calibration sheet first


def fill_calibration(source: Path, dest: Path, decisions: Mapping[str, tuple[str, str]], spec: Spec) -> Path:
    """Writes `dest`: `source` with (calibrated grade, reason) typed for each employee id given,
    and every formula's cached value recomputed under `spec` (the one the workbook was made with)."""
    book = openpyxl.load_workbook(source, read_only=True)
    try:
        ids = [r[0] for r in book[SHEET].iter_rows(min_row=FIRST_ROW, max_col=1, values_only=True)]
    finally:
        book.close()
    row_of = {str(v): FIRST_ROW + i for i, v in enumerate(ids) if v is not None}
    typed = {}
    for employee_id, (grade, reason) in decisions.items():
        row = row_of[employee_id]  # KeyError: the employee is not in this calibration
        typed[f"{LETTER['calibrated_grade']}{row}"] = grade
        typed[f"{LETTER['reason']}{row}"] = reason

    def type_into(match: re.Match[str]) -> str:
        ref, style = match.group(1), match.group(2)
        text = typed.get(ref, "")
        if not text:
            return match.group(0)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'

    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == SHEET_PART:
                xml = re.sub(
                    r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)(?: t="n")?\s*(?:/>|></c>)',
                    type_into,
                    data.decode("utf-8"),
                )
                data = xml.encode("utf-8")
            out.writestr(info, data)
    atomic_write(dest, recached(buffer.getvalue(), spec, source) if typed else buffer.getvalue())
    return dest


def recached(xlsx: bytes, spec: Spec, source: Path) -> bytes:
    """The workbook with every Calibration and Distribution formula caching the value it gives
    for the grades and reasons now typed in the table."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    try:
        values = table_rows(book[SHEET], source)
    finally:
        book.close()
    typed = make_book(spec, period="", summary_sha256="", people=people_of(calibration_rows(values)),
                      typed=typed_inputs(values))  # fmt: skip
    return as_excel_writes(with_cached_values(xlsx, formula_values(typed)))  # the chart follows the new values
