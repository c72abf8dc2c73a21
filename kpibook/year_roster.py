"""The roster's optional pay columns for the year: `bonus_base`, `hired`, `left` (ISO dates),
matched by `employee_id` (headers in English or Chinese: 工号, 奖金基数, 入职日期, 离职日期).

The roster is read with kpibook.roster.read_rows (CSV in UTF-8 or .xlsx); every other column
is ignored here, so the same roster that generated the quarters can carry the pay columns.
Every problem names the row as Excel shows it and the column, all at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpibook.errors import Problem, RosterError
from kpibook.messages import t
from kpibook.roster import read_rows
from kpibook.spec import parse_number
from kpibook.year_model import Employment

HEADERS = {
    "employee_id": ("employee_id", "工号"),
    "bonus_base": ("bonus_base", "奖金基数"),
    "hired": ("hired", "入职日期"),
    "left": ("left", "离职日期"),
}


def read_employment(path: Path) -> dict[str, Employment]:
    """employee_id -> Employment, from the roster's optional pay columns."""
    header, rows = read_rows(path)
    where = {field: next((i for i, h in enumerate(header) if h in names), None) for field, names in HEADERS.items()}
    if where["employee_id"] is None:
        raise RosterError([Problem(t("roster.where_row", file=path, row=1), t("year.roster_no_id"))])
    problems: list[Problem] = []
    found: dict[str, Employment] = {}
    for number, cells in enumerate(rows, 2):

        def cell(field: str, cells: list[str] = cells) -> str:
            index = where[field]
            return cells[index].strip() if index is not None and index < len(cells) else ""

        employee_id = cell("employee_id")
        if not employee_id:
            continue

        def at(column: str, number: int = number) -> str:
            return t("roster.where_cell", file=path, row=number, column=column)

        base = _base(cell("bonus_base"), at("bonus_base"), problems)
        hired = _date(cell("hired"), at("hired"), problems)
        left = _date(cell("left"), at("left"), problems)
        if hired and left and left < hired:
            problems.append(Problem(at("left"), t("year.roster_left_before", left=left, hired=hired)))
        found[employee_id] = Employment(base, hired, left)
    if problems:
        raise RosterError(problems, title=t("year.roster_problems", count=len(problems)))
    return found


def _base(text: str, where: str, problems: list[Problem]) -> float | None:
    if not text:
        return None
    number = parse_number(text)
    if number is None or number < 0:
        problems.append(Problem(where, t("year.roster_base", value=text)))
        return None
    return number


def _date(text: str, where: str, problems: list[Problem]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        problems.append(Problem(where, t("year.roster_date", value=text)))
        return None
