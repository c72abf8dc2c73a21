"""Cached values for the calibration workbook's formulas, so previewers that do not calculate
(WeChat, DingTalk, phone apps, Excel's Protected View, pandas) show what a spreadsheet would.

kpibook.calibration_sheets records, beside every formula it writes, the value that formula gives
for the workbook as written (no calibrated grade or reason typed yet), using the helpers here;
`with_cached_values` then puts those values into the saved file through kpibook.ooxml. The
workbook keeps fullCalcOnLoad, so spreadsheets recompute everything anyway.

Text comparisons fold case, as `=` on text does in Excel (and in LibreOffice reading .xlsx).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping

from kpibook import ooxml

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


def with_cached_values(xlsx: bytes, cached: Mapping[str, Mapping[str, object]]) -> bytes:
    """The workbook with each formula cell of `cached`'s sheets holding its value beside the
    formula (a number as a number, anything else as text); every other byte stays."""
    parts = _sheet_parts(xlsx)
    changes = {parts[name]: _filler(values) for name, values in cached.items() if values}
    return ooxml.rewrite_parts(xlsx, changes)


def without_cached_values(xlsx: bytes, sheets: Iterable[str]) -> bytes:
    """The workbook with the cached values of these sheets' formulas removed: after an input
    was typed into the file they would be stale, and a reader that does not calculate must
    not show a value the formulas no longer give (spreadsheets compute them on open)."""
    parts = _sheet_parts(xlsx)
    return ooxml.rewrite_parts(xlsx, {parts[name]: ooxml.uncache_formulas for name in sheets})


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
