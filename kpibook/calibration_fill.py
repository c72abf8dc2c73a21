"""Filling a calibration workbook as the meeting would: a calibrated grade and a reason typed
into the two input cells of some rows, every other part of the file (chart, validation,
protection, metadata) left byte for byte as calibrate wrote it, except the formulas' cached
values, which typing makes stale and which are therefore removed (spreadsheets recompute). The demo plants its moves
with it, and the tests use it to make filled workbooks.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from kpibook.calibration_book import DISTRIBUTION, FIRST_ROW, LETTER, SHEET
from kpibook.calibration_cache import without_cached_values
from kpibook.outputs import atomic_write

SHEET_PART = "xl/worksheets/sheet1.xml"  # calibrate writes the Calibration sheet first


def fill_calibration(source: Path, dest: Path, decisions: Mapping[str, tuple[str, str]]) -> Path:
    """Writes `dest`: `source` with (calibrated grade, reason) typed for each employee id given."""
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
    atomic_write(dest, without_cached_values(buffer.getvalue(), (SHEET, DISTRIBUTION)) if typed else buffer.getvalue())
    return dest
