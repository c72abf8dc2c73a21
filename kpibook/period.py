"""Appraisal periods: 2026Q4 (quarter), 2026H2 (half), 2026 (year), 2026-11 (month)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kpibook.errors import KpibookError
from kpibook.messages import t

_PATTERNS = (
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)
DAYS_TO_RETURN = 14  # the due date: this many days after the period ends


@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # quarter | half | year | month
    start: dt.date
    end: dt.date

    @property
    def due(self) -> dt.date:
        return self.end + dt.timedelta(days=DAYS_TO_RETURN)

    @property
    def words_zh(self) -> str:
        return {"quarter": "季度", "half": "半年度", "year": "年度", "month": "月度"}[self.kind]

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    label = text.strip().upper()
    for pattern, kind in _PATTERNS:
        m = pattern.match(label)
        if not m:
            continue
        year = int(m.group(1))
        if kind == "year":
            first, last = 1, 12
        else:
            n = int(m.group(2))
            size = {"quarter": 3, "half": 6, "month": 1}[kind]
            first = (n - 1) * size + 1
            last = first + size - 1
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return Period(label, kind, dt.date(year, first, 1), end)
    raise KpibookError(t("general.bad_period", text=repr(text)))
