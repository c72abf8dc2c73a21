"""The roster: who is appraised, in which role, with which per-person targets.

`kpibook.roster_table` finds the table in the file (CSV in UTF-8 or GBK, any delimiter, or
any sheet of an .xlsx; headers in Chinese or English below any title rows); this module checks
every row: required values, one row per employee, a role the spec knows (by id or by its
Chinese or English name), per-person targets the KPI can take. Every problem is reported with
the row Excel shows and the column as the file names it, all at once, and nothing is
generated from an invalid roster.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.errors import Problem, RosterError
from kpibook.messages import t
from kpibook.roster_table import REQUIRED_COLUMNS, TARGET_PREFIX, RosterTable, header_key, read_rows, read_table

__all__ = ["read_rows"]  # also read from here by kpibook.year_roster
from kpibook.spec import Kpi, Spec, parse_number, target_problems

MAX_TEXT = 200


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str
    role_id: str
    department: str
    manager: str
    email: str = ""
    targets: dict[str, float] = field(default_factory=dict)  # per-person overrides only
    row: int = 0  # the roster row as Excel shows it, for messages

    def all_targets(self, spec: Spec) -> dict[str, float]:
        """Every KPI target of the employee's role: the roster's override, else the spec's default."""
        return {k.id: self.targets.get(k.id, k.target) for k in spec.role(self.role_id).kpis}


@dataclass(frozen=True)
class Roster:
    """The employees of a roster and how its file was read (for the user to see)."""

    employees: list[Employee]
    table: RosterTable

    @property
    def note(self) -> str:
        return self.table.note(len(self.employees))


def clean_text(value: object) -> str:
    """Text fit for a workbook cell: control characters removed, whitespace trimmed."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def safe_file_part(text: str, limit: int = 40) -> str:
    """A piece of a file name from untrusted text: letters (any script), digits, - and _ only."""
    cleaned = re.sub(r"[^\w\-]+", "_", unicodedata.normalize("NFC", text), flags=re.UNICODE).strip("._")
    return cleaned[:limit] or "x"


def read_roster(path: str | Path, spec: Spec, sheet: str | None = None) -> list[Employee]:
    """The employees of the roster at `path`; RosterError lists every problem at once."""
    return load_roster(path, spec, sheet).employees


def load_roster(path: str | Path, spec: Spec, sheet: str | None = None) -> Roster:
    """The roster at `path` with a note of how it was read (encoding, delimiter or sheet)."""
    table = read_table(Path(path), sheet)
    checker = _RowChecker(table, spec)
    problems = checker.header_problems()
    employees = [e for row_no, cells in table.rows if (e := checker.employee(row_no, cells)) is not None]
    problems += checker.problems
    if not employees and not problems:
        problems.append(Problem(table.where, t("roster.no_employees")))
    if problems:
        raise RosterError(problems, title=t("roster.title", file=table.where, count=len(problems)))
    return Roster(employees, table)


class _RowChecker:
    """Checks the roster's rows one by one, collecting every problem."""

    def __init__(self, table: RosterTable, spec: Spec) -> None:
        self.table, self.spec = table, spec
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.kpis = {k.id: (r.id, k) for r in spec.roles for k in r.kpis}
        self.roles = role_names(spec)

    def header_problems(self) -> list[Problem]:
        problems = []
        for column in self.table.columns:
            if column.startswith(TARGET_PREFIX) and column[len(TARGET_PREFIX) :] not in self.kpis:
                where = t("roster.where_header_column", file=self.table.where, column=self.table.labels[column])
                problems.append(Problem(where, t("roster.unknown_kpi", kpi=column[len(TARGET_PREFIX) :])))
        return problems

    def cell(self, row_no: int, column: str) -> str:
        label = self.table.labels.get(column, column)
        return t("roster.where_cell", file=self.table.where, row=row_no, column=label)

    def employee(self, row_no: int, cells: list[str]) -> Employee | None:
        """The employee on one row (None for an empty row); its problems go to `problems`."""
        if not any(c.strip() for c in cells):
            return None
        values = {c: clean_text(cells[i]) if i < len(cells) else "" for c, i in self.table.columns.items()}
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                self.problems.append(Problem(self.cell(row_no, column), t("roster.cell_empty")))
            elif len(values[column]) > MAX_TEXT:
                self.problems.append(Problem(self.cell(row_no, column), t("roster.cell_too_long", limit=MAX_TEXT)))
        emp_id = values["employee_id"]
        if emp_id in self.seen:
            where = self.cell(row_no, "employee_id")
            self.problems.append(Problem(where, t("roster.duplicate_id", value=emp_id, row=self.seen[emp_id])))
        elif emp_id:
            self.seen[emp_id] = row_no
        role_id = self.role(row_no, values["role"])
        targets = self.targets(row_no, values, role_id)
        name, department, manager = values["name"], values["department"], values["manager"]
        return Employee(emp_id, name, role_id, department, manager, values.get("email", ""), targets, row_no)

    def role(self, row_no: int, text: str) -> str:
        """The role id a cell means (id, Chinese or English name); the text itself when none."""
        if not text:
            return ""
        role_id = self.roles.get(header_key(text))
        if role_id is not None:
            return role_id
        close = difflib.get_close_matches(header_key(text), list(self.roles), n=1, cutoff=0.6)
        if close:
            hint = self.roles[close[0]]
            message = t("roster.role_hint", value=text, hint=hint, name=self.spec.role(hint).name_zh)
        else:
            names = ", ".join(f"{r.id} ({r.name_zh})" for r in self.spec.roles)
            message = t("roster.role_unknown", value=text, roles=names)
        self.problems.append(Problem(self.cell(row_no, "role"), message))
        return text

    def targets(self, row_no: int, values: dict[str, str], role_id: str) -> dict[str, float]:
        targets: dict[str, float] = {}
        for column, text in values.items():
            kpi_id = column[len(TARGET_PREFIX) :]
            if not column.startswith(TARGET_PREFIX) or not text or kpi_id not in self.kpis:
                continue
            owner, kpi = self.kpis[kpi_id]
            where = self.cell(row_no, column)
            if role_id in self.spec.role_ids and owner != role_id:
                self.problems.append(
                    Problem(where, t("roster.target_wrong_role", kpi=kpi_id, owner=owner, role=role_id))
                )
                continue
            number = parse_number(text)
            if number is None:
                self.problems.append(Problem(where, t("roster.target_not_number", value=text)))
                continue
            self.problems += [Problem(where, message) for message in target_messages(kpi, number)]
            targets[kpi_id] = number
        return targets


def target_messages(kpi: Kpi, number: float) -> list[str]:
    """What is wrong with a roster target for `kpi`, with "did you mean 95%?" for a percentage
    typed as a whole number."""
    messages = [t("roster.target_problem", value=f"{number:g}", issue=issue) for issue in target_problems(kpi, number)]
    if kpi.min <= number <= kpi.max:
        return messages
    bounds = {"value": f"{number:g}", "min": f"{kpi.min:g}", "max": f"{kpi.max:g}"}
    if kpi.unit == "%" and 1 < number <= 100:
        return [*messages, t("roster.target_percent_hint", fraction=f"{number / 100:g}", **bounds)]
    return [*messages, t("roster.target_bounds", **bounds)]


def role_names(spec: Spec) -> dict[str, str]:
    """Every way a roster may name a role (id, Chinese name, English name) -> the role id."""
    names: dict[str, str] = {}
    for role in spec.roles:
        for text in (role.id, role.name_zh, role.name_en):
            names.setdefault(header_key(text), role.id)
    return names
