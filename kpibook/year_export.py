"""Finance's export of the year: payroll-ready CSV rows and a control file.

The CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) has the contract's columns in
order (employee_id ... status), then `score.<PERIOD>` per quarter. Beside it, `<name>.control.csv`
holds the row count, the payout sum (the exact decimal sum of the payout column as written)
and the CSV's sha256, so finance can check that nothing was lost or changed on the way to
payroll. Amounts are written with 2 decimals, scores with 2, coefficients as given.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from kpibook.outputs import check_writable, replace_file
from kpibook.year_model import YearRow
from kpibook.year_rules import QUARTERS

CSV_COLUMNS = (
    "employee_id", "employee_name", "department", "manager", "role_id", "quarters", "annual_score",
    "annual_grade", "coefficient", "months", "bonus_base", "payout", "status",
)  # fmt: skip
CONTROL_COLUMNS = ("file", "rows", "payout_sum", "sha256")
BOM = "\ufeff"


def csv_header(periods: Sequence[str]) -> list[str]:
    return [*CSV_COLUMNS, *(f"score.{p}" for p in periods)]


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _plain(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def csv_row(row: YearRow, periods: Sequence[str]) -> list[str]:
    return [
        row.employee_id,
        row.employee_name,
        row.department,
        row.manager,
        row.role_id,
        str(row.counted),
        _money(row.annual_score),
        row.annual_grade,
        _plain(row.coefficient),
        _plain(row.months),
        _money(row.bonus_base),
        _money(row.payout),
        row.status,
        *(_money(row.quarters[q].score) for q in QUARTERS[: len(periods)]),
    ]


def control_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.control.csv")


def write_year_csv(path: Path, rows: Sequence[YearRow], periods: Sequence[str]) -> Path:
    """Writes the CSV and its control file; returns the control file's path."""
    lines = [csv_row(r, periods) for r in rows]
    data = _csv_bytes([csv_header(periods), *lines])
    control = control_path(path)
    check_writable(control, is_year_control, "--csv")
    payout_sum = sum((Decimal(line[CSV_COLUMNS.index("payout")] or "0") for line in lines), Decimal("0"))
    replace_file(path, data)
    summary = [
        list(CONTROL_COLUMNS),
        [path.name, str(len(lines)), f"{payout_sum:.2f}", hashlib.sha256(data).hexdigest()],
    ]
    replace_file(control, _csv_bytes(summary))
    return control


def _csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _first_line(path: Path) -> list[str]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return []
    return head.decode("utf-8-sig", "replace").split("\r\n", 1)[0].split("\n", 1)[0].split(",")


def is_year_csv(path: Path) -> bool:
    """True for a year CSV kpibook wrote (what --csv may replace)."""
    return _first_line(path)[: len(CSV_COLUMNS)] == list(CSV_COLUMNS)


def is_year_control(path: Path) -> bool:
    return _first_line(path) == list(CONTROL_COLUMNS)
