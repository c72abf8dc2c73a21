"""Sign-off: the employee's and manager's signatures, their dates and the overall comment, as
the summary shows them, and what is wrong with them.

A date is a real date: a number (how Excel stores a date typed into the date cell) or text in
an unambiguous form (2027-01-05, 2027/1/5, 2027年1月5日). Anything else ("下周一") is reported
at its cell. With `require`, a workbook without both signatures and dates is incomplete.
"""

from __future__ import annotations

import datetime as dt
import re

from kpibook.discover import WARNING
from kpibook.layout import RoleLayout
from kpibook.messages import t
from kpibook.records import SIGNOFF_COLUMNS, Issue

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's (and LibreOffice's) 1900 system
LAST_SERIAL = 2958465  # 9999-12-31
_TEXT_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# summary column -> the layout's sign-off cell key
CELL_OF = dict(
    zip(
        SIGNOFF_COLUMNS,
        ("employee_signature", "employee_date", "manager_signature", "manager_date", "overall_comment"),
        strict=True,
    )
)


def as_date(value: object) -> dt.date | None:
    """The date a cell holds, or None when it holds no date (blank or not a date)."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        if 1 <= value <= LAST_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    match = _TEXT_DATE.match(str(value))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def read_signoff(
    values: dict[str, object], layout: RoleLayout, file: str, sheet: str, require: bool
) -> tuple[dict[str, object], list[Issue], bool]:
    """(summary values by SIGNOFF_COLUMNS, issues, complete) from the sign-off cells' values
    (keyed as layout.signoff_cells). `complete` is False when `require` and a signature is missing."""
    cells = layout.signoff_cells
    shown: dict[str, object] = {}
    issues: list[Issue] = []
    for column, key in CELL_OF.items():
        value = values.get(key)
        if column.endswith("_date"):
            date = as_date(value)
            if value not in (None, "") and date is None:
                issues.append(
                    Issue(file, sheet, cells[key], WARNING, t("signoff.bad_date", value=value), "signoff.date")
                )
            shown[column] = date
        else:
            shown[column] = "" if value is None else str(value).strip()
    complete = True
    if require:
        for who in ("employee", "manager"):
            name, signed_on = shown[f"signoff.{who}"], shown[f"signoff.{who}_date"]
            if not name or signed_on is None:
                complete = False
                where = f"{cells[f'{who}_signature']}, {cells[f'{who}_date']}"
                message = t("signoff.missing", who=t(f"signoff.who.{who}"), cells=where)
                issues.append(Issue(file, sheet, cells[f"{who}_signature"], WARNING, message, "signoff.missing"))
    return shown, issues, complete
