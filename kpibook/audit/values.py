"""How the audit compares a found cell value with an expected one, and shows values in findings.

Numbers are equal at 15 significant digits (LibreOffice rounds there when it saves).
"""

from __future__ import annotations

import json
import math
import re

from kpibook.messages import t
from kpibook.scoring import ExcelError

STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')  # a string literal of a formula


def show(value: object) -> str:
    """A cell's value as a finding shows it (no value at all in words of the run's language)."""
    if value is None:
        return t("audit.value.empty_cell")
    if value == "":
        return t("audit.value.empty_text")
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


def shorten_pair(expected: str, found: str, width: int) -> tuple[str, str]:
    """Expected and found cut to about `width` characters each, both around the first character
    where they differ (so a changed formula shows its change, not its first 900 characters)."""
    if len(expected) <= width and len(found) <= width:
        return expected, found
    at = 0
    while at < min(len(expected), len(found)) and expected[at] == found[at]:
        at += 1
    return _window(expected, at, width), _window(found, at, width)


def _window(text: str, at: int, width: int) -> str:
    if len(text) <= width:
        return text
    start = max(0, min(at - width // 3, len(text) - width))
    end = start + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
