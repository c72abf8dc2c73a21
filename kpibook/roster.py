"""The roster: who is appraised, in which role, with which per-person targets.

CSV (UTF-8, with or without BOM) or .xlsx; columns employee_id, name, role, department,
manager, optional email, optional target.<kpi_id>. Every problem is reported with its row
and column, all at once, and nothing is generated from an invalid roster.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kpibook.errors import Problem, RosterError
from kpibook.spec import Spec, parse_number, target_problems

REQUIRED_COLUMNS = ("employee_id", "name", "role", "department", "manager")
OPTIONAL_COLUMNS = ("email",)
TARGET_PREFIX = "target."
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
    row: int = 0  # roster row (1 = header), for messages

    def all_targets(self, spec: Spec) -> dict[str, float]:
        """Every KPI target of the employee's role: the roster's override, else the spec's default."""
        return {k.id: self.targets.get(k.id, k.target) for k in spec.role(self.role_id).kpis}


def clean_text(value: object) -> str:
    """Text fit for a workbook cell: control characters removed, whitespace trimmed."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def safe_file_part(text: str, limit: int = 40) -> str:
    """A piece of a file name from untrusted text: letters (any script), digits, - and _ only."""
    cleaned = re.sub(r"[^\w\-]+", "_", unicodedata.normalize("NFC", text), flags=re.UNICODE).strip("._")
    return cleaned[:limit] or "x"


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, from CSV or XLSX."""
    try:
        if path.suffix.lower() == ".xlsx":
            return _read_xlsx(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterError([Problem(str(path), "file not found; give the path of the roster (CSV or .xlsx)")]) from None
    except OSError as exc:
        raise RosterError([Problem(str(path), f"cannot be read ({exc}); check the path and permissions")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(
            [Problem(str(path), "is not UTF-8; save the CSV as 'CSV UTF-8' (Excel) or UTF-8 text")]
        ) from None
    rows = [row for row in csv.reader(io.StringIO(text))]
    if not rows:
        raise RosterError([Problem(str(path), "is empty; it needs a header row and one row per employee")])
    return [h.strip() for h in rows[0]], rows[1:]


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    import openpyxl

    from kpibook.read import cell_text

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise RosterError(
            [Problem(str(path), f"is not a readable .xlsx ({type(exc).__name__}); save it again from Excel")]
        ) from None
    try:
        sheet = wb.worksheets[0]
        rows = [["" if v is None else cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise RosterError([Problem(f"{path} (sheet 1)", "is empty; it needs a header row and one row per employee")])
    return [h.strip() for h in rows[0]], rows[1:]


def read_roster(path: str | Path, spec: Spec) -> list[Employee]:
    path = Path(path)
    header, rows = read_rows(path)
    problems: list[Problem] = []
    name = path.name
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterError(
            [
                Problem(
                    f"{name} header",
                    f"column(s) {', '.join(missing)} missing; the header must have "
                    f"{', '.join(REQUIRED_COLUMNS)} (and optionally email, target.<kpi_id>)",
                )
            ]
        )
    duplicates = {h for h in header if header.count(h) > 1 and h}
    if duplicates:
        raise RosterError(
            [Problem(f"{name} header", f"column(s) {', '.join(sorted(duplicates))} appear twice; keep one")]
        )
    all_kpis = {k.id: (r.id, k) for r in spec.roles for k in r.kpis}
    for h in header:
        if h.startswith(TARGET_PREFIX) and h[len(TARGET_PREFIX) :] not in all_kpis:
            problems.append(
                Problem(
                    f"{name} header, column {h}",
                    f"no KPI {h[len(TARGET_PREFIX) :]!r} in the spec; "
                    "use target.<kpi_id> with an id from `kpibook spec check`",
                )
            )
    employees: list[Employee] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(rows):
        row_no = offset + 2
        if not any(cell.strip() for cell in raw):
            continue
        values = {h: clean_text(raw[i]) if i < len(raw) else "" for i, h in enumerate(header)}
        where = f"{name} row {row_no}"
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                problems.append(Problem(f"{where}, column {column}", "is empty; fill it in"))
            elif len(values[column]) > MAX_TEXT:
                problems.append(
                    Problem(f"{where}, column {column}", f"is longer than {MAX_TEXT} characters; shorten it")
                )
        emp_id, role_id = values["employee_id"], values["role"]
        if emp_id:
            if emp_id in seen:
                problems.append(
                    Problem(
                        f"{where}, column employee_id",
                        f"{emp_id!r} is also on row {seen[emp_id]}; each employee appears once",
                    )
                )
            seen.setdefault(emp_id, row_no)
        if role_id and role_id not in spec.role_ids:
            problems.append(
                Problem(
                    f"{where}, column role",
                    f"{role_id!r} is not a role of the spec; use one of {', '.join(spec.role_ids)}",
                )
            )
        targets: dict[str, float] = {}
        for column, text in values.items():
            if not column.startswith(TARGET_PREFIX) or not text or column[len(TARGET_PREFIX) :] not in all_kpis:
                continue
            kpi_id = column[len(TARGET_PREFIX) :]
            owner, kpi = all_kpis[kpi_id]
            cell = f"{where}, column {column}"
            if role_id in spec.role_ids and owner != role_id:
                problems.append(
                    Problem(cell, f"KPI {kpi_id!r} belongs to role {owner!r}, not {role_id!r}; leave it empty")
                )
                continue
            number = parse_number(text)
            if number is None:
                problems.append(Problem(cell, f"{text!r} is not a number; write e.g. 1200000 or 95%"))
                continue
            issues = target_problems(kpi, number)
            if not kpi.min <= number <= kpi.max:
                issues.append(f"is outside the KPI's input bounds [{kpi.min:g}, {kpi.max:g}]")
            problems += [Problem(cell, f"target {number:g} {issue}") for issue in issues]
            targets[kpi_id] = number
        employees.append(
            Employee(
                emp_id,
                values["name"],
                role_id,
                values["department"],
                values["manager"],
                values.get("email", ""),
                targets,
                row_no,
            )
        )
    if not employees and not problems:
        problems.append(Problem(name, "has no employees; add one row per employee under the header"))
    if problems:
        raise RosterError(problems, title=f"{name}: {len(problems)} problem(s) in the roster; nothing was generated")
    return employees
