"""How the audit compares a found cell value with an expected one, and shows values in findings.

Numbers are equal at 15 significant digits (LibreOffice rounds there when it saves).
"""

from __future__ import annotations

import json
import math
import re

from kpibook.scoring import ExcelError

STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')  # a string literal of a formula


def show(value: object) -> str:
    """A cell's value as a finding shows it."""
    if value is None:
        return "an empty cell"
    if value == "":
        return '"" (empty text)'
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return shown_number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, ExcelError):
        return value.code
    return json.dumps(str(value), ensure_ascii=False)


def shown_number(value: float) -> str:
    """A number as findings show it: 15 significant digits, as spreadsheets store it."""
    return f"{value:.15g}"


def close(a: float, b: float) -> bool:
    """Equal as spreadsheets store them: 15 significant digits (or a relative 1e-12)."""
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b)) or f"{a:.15g}" == f"{b:.15g}"


def same(found: object, expected: object) -> bool:
    """A found cell value against an expected one (numbers at 15 significant digits)."""
    if found == expected and type(found) is type(expected):  # the usual case, decided at once
        return True
    if isinstance(expected, bool) or isinstance(found, bool):
        return found is expected
    if isinstance(expected, (int, float)):
        return isinstance(found, float) and close(found, float(expected))
    if isinstance(expected, ExcelError):
        return isinstance(found, ExcelError) and found.code == expected.code
    if expected is None:
        return found is None or found == ""
    return found == expected
