"""Cached values for the calibration workbook's formulas, so previewers that do not calculate
(WeChat, DingTalk, phone apps, Excel's Protected View, pandas) show what a spreadsheet would.

kpibook.calibration_sheets records, beside every formula it writes, the value that formula gives
for the calibrated grades and reasons typed in the rows (none in the workbook calibrate writes;
the meeting's in one kpibook.calibration_fill fills), using the helpers here;
`with_cached_values` then puts those values into the saved file through kpibook.ooxml. The
workbook keeps fullCalcOnLoad, so spreadsheets recompute everything anyway.

Text comparisons fold case, as `=` on text does in Excel (and in LibreOffice reading .xlsx).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence

from kpibook import ooxml
from kpibook.calibration_book import check_text

Cached = dict[str, dict[str, object]]  # sheet name -> cell reference -> cached value

_SHEET_TARGET = re.compile(rb'<sheet\b[^>]*\bname="([^"]*)"[^>]*\br:id="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(Id|Target)="([^"]*)"')


def same(a: object, b: object) -> bool:
    """`a=b` for the text cells here: equal ignoring case."""
    return str(a or "").lower() == str(b or "").lower()


def count(values: Iterable[object], target: object) -> int:
    """SUMPRODUCT(--(range=target))."""
    return sum(1 for v in values if same(v, target))


def share(part: float, whole: float) -> object:
    """IF(whole=0,"",part/whole)."""
    return "" if whole == 0 else part / whole


def mean(values: Iterable[float]) -> float:
    numbers = list(values)
    return math.fsum(numbers) / len(numbers)


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def matches(typed: str, grades: Sequence[str]) -> bool:
    """NOT(ISNA(MATCH(typed,grades,0))): an exact match ignoring case, where ? stands for any one
    character, * for any run of characters and ~ makes the next one literal (as in Excel)."""
    pattern, escaped = "", False
    for char in typed:
        if escaped or char not in "?*~":
            pattern, escaped = pattern + re.escape(char), False
        elif char == "~":
            escaped = True
        else:
            pattern += "." if char == "?" else ".*"
    if escaped:
        pattern += re.escape("~")
    return any(re.fullmatch(pattern, grade, re.IGNORECASE | re.DOTALL) for grade in grades)


def blank_text(text: str) -> bool:
    """LEN(TRIM(text))=0: nothing but spaces."""
    return text.strip(" ") == ""


def final_grade(old: str, new: str, why: str, grades: Sequence[str]) -> str:
    """A row's final_grade formula (kpibook.calibration_book.row_formulas): the calibrated grade
    when it changes the grade, is on the scale and has a reason; the formula grade otherwise."""
    if new == "" or same(new, old) or not matches(new, grades) or blank_text(why):
        return old
    return new


def check(old: str, new: str, why: str, grades: Sequence[str]) -> str:
    """A row's check formula: "" when unchanged, the flag of what is missing, or "✓ old → new"."""
    if new == "" or same(new, old):
        return ""
    if not matches(new, grades):
        return check_text("not_a_grade")
    return check_text("reason_needed") if blank_text(why) else f"✓ {old} → {new}"


def with_cached_values(xlsx: bytes, cached: Mapping[str, Mapping[str, object]]) -> bytes:
    """The workbook with each formula cell of `cached`'s sheets holding its value beside the
    formula (a number as a number, anything else as text); every other byte stays."""
    parts = _sheet_parts(xlsx)
    changes = {parts[name]: _filler(values) for name, values in cached.items() if values}
    return ooxml.rewrite_parts(xlsx, changes)


def _sheet_parts(xlsx: bytes) -> dict[str, str]:
    """Sheet name -> its zip member, from the workbook and its relationships."""
    parts = dict((info.filename, data) for info, data in ooxml.read_parts(xlsx))
    workbook, rels = parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"]
    attributes = [dict(_ATTRIBUTE.findall(element)) for element in _RELATIONSHIP.findall(rels)]
    targets = {a[b"Id"]: a[b"Target"].decode().lstrip("/") for a in attributes}
    return {
        name.decode(): targets[rid] if targets[rid].startswith("xl/") else f"xl/{targets[rid]}"
        for name, rid in _SHEET_TARGET.findall(workbook)
    }


def _filler(values: Mapping[str, object]) -> Callable[[bytes], bytes]:
    return lambda data: ooxml.cache_formulas(data, values.__getitem__)
