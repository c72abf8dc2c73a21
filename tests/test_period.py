"""Every PERIOD form the contract names, its dates and due date, and the ones that are not periods."""

from __future__ import annotations

import datetime as dt

import pytest

from kpibook.errors import KpibookError
from kpibook.period import DAYS_TO_RETURN, parse_period


@pytest.mark.parametrize(
    ("text", "label", "kind", "start", "end"),
    [
        ("2026Q4", "2026Q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026q1", "2026Q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (" 2026Q2 ", "2026Q2", "quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026H1", "2026H1", "half", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("2026H2", "2026H2", "half", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2026", "2026", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-11", "2026-11", "month", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("2028-02", "2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
        ("2027-02", "2027-02", "month", dt.date(2027, 2, 1), dt.date(2027, 2, 28)),
    ],
)
def test_periods(text: str, label: str, kind: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.label, period.kind, period.start, period.end) == (label, kind, start, end)
    assert period.due == end + dt.timedelta(days=DAYS_TO_RETURN)
    assert str(period) == label


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "2026H3", "2026-13", "2026-00", "26Q4", "Q4 2026", "", "2026-1"])
def test_not_periods(text: str) -> None:
    with pytest.raises(KpibookError) as caught:
        parse_period(text)
    assert "2026Q4" in str(caught.value)  # the message shows the forms that work


def test_chinese_words_per_kind() -> None:
    assert [parse_period(p).words_zh for p in ("2026Q4", "2026H2", "2026", "2026-11")] == [
        "季度",
        "半年度",
        "年度",
        "月度",
    ]
