"""Numbers as HR types them, in a TOML file or a roster cell: 12, "1,200", "95%".

One rule for both, so that a target means the same wherever it is written.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any


def parse_number(value: Any) -> float | None:
    """A number from TOML or a roster cell: 12, 12.5, "1,200", "95%" (= 0.95). None if not a finite number.

    "95%" is read as the decimal 95 / 100, so it gives exactly the double 0.95 as a spreadsheet
    does (95 * 0.01 would give 0.9500000000000001).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a double
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            decimal = Decimal(text)
        except InvalidOperation:
            return None
        if not decimal.is_finite():
            return None
        number = float(decimal / 100 if percent else decimal)
        return number if math.isfinite(number) else None
    return None
