"""The bodies of kpibook's Excel functions: plain Python over the scoring core.

Both xlwings runtimes call these same bodies: the classic add-in (kpibook.xl.udfs on
Windows) and xlwings Lite / xlwings Server (the same module, registered as Office.js custom
functions). Nothing here imports xlwings; arguments arrive "Excel-shaped":

- one cell: a scalar, or a 1x1 list; a blank cell is None (or "");
- a range: a 1-D list (one row or column) or a 2-D list of rows;
- numbers: float (or int from Office.js); dates: datetime (classic) - Excel sees a number;
- error values: the error's text ("#DIV/0!") with xlwings' err_to_str, an Office.js error
  object {"type": "Error", "basicValue": "#DIV/0!"}, or None when a runtime drops them.

A function returns what the workbook's own formula would show: a number, "" (blank),
"N/A", "invalid" or an error code such as "#DIV/0!". A user mistake becomes readable text
"#KPIBOOK! <what is wrong and what to do>", never a traceback (`excel_result`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpibook import scoring
from kpibook.errors import KpibookError
from kpibook.formula_text import split_cell
from kpibook.layout import COLUMNS, HEADER_FIELDS, LAST_PARAM_COLUMN, ROLE_ID_CELL, RoleLayout
from kpibook.spec import DIRECTIONS, Role, Spec, default_spec_path, load_spec, parse_number

ERROR_PREFIX = "#KPIBOOK!"
SPEC_ENV = "KPIBOOK_SPEC"  # path of the roles.toml the Excel functions use (default: ./roles.toml, else bundled)
OK = "OK"

# Excel's error values, as xlwings hands them over with err_to_str (and as Office.js names them).
ERROR_CODES = frozenset(
    {
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#DATA!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#GETTING_DATA",
    }
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 in Excel's 1900 date system (after the 1900 leap bug)

Out = Any  # what a function returns to Excel: float, str or a 2-D list


class XlInputError(KpibookError):
    """An argument given to a kpibook function in Excel cannot be used."""


def fail(message: str) -> XlInputError:
    return XlInputError(message)


# ---------------------------------------------------------------------------------------
# The active spec: the functions read it once and again only when the file changes.
# ---------------------------------------------------------------------------------------


def spec_path() -> Path:
    configured = os.environ.get(SPEC_ENV, "").strip()
    return Path(configured).expanduser() if configured else default_spec_path()


@functools.lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int, _size: int) -> Spec:  # mtime and size only key the cache
    return load_spec(path)


def active_spec(path: str | Path | None = None) -> Spec:
    """The spec at `path`, else $KPIBOOK_SPEC, else ./roles.toml, else the bundled one."""
    target = Path(path).expanduser() if path else spec_path()
    try:
        stat = target.stat()
    except OSError:
        return load_spec(target)  # raises SpecError naming the file and what to do
    return _load(str(target), stat.st_mtime_ns, stat.st_size)


# ---------------------------------------------------------------------------------------
# Excel-shaped arguments
# ---------------------------------------------------------------------------------------


def cell_value(value: Any, what: str = "value") -> Any:
    """One cell's value as the scoring core reads it: None (blank), float, bool, str or ExcelError."""
    while isinstance(value, (list, tuple)):
        if len(value) == 0:
            return None
        if len(value) > 1:
            raise fail(f"{what} must be one cell, not a range of {len(value)} cells")
        value = value[0]
    if isinstance(value, dict):  # an Office.js data type: errors, formatted numbers
        if value.get("type") == "Error":
            return scoring.ExcelError(str(value.get("basicValue") or "#VALUE!"))
        value = value.get("basicValue")
    if isinstance(value, str):
        if value == "":
            return None
        return scoring.ExcelError(value) if value in ERROR_CODES else value
    if isinstance(value, bool) or value is None or isinstance(value, scoring.ExcelError):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):  # a date cell: Excel calculates with its serial number
        return (value - _EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    return str(value)


def rows_of(value: Any) -> list[list[Any]]:
    """A range as a 2-D list of cell values; a scalar is a 1x1 range."""
    if not isinstance(value, (list, tuple)):
        return [[cell_value(value)]]
    if len(value) == 0:
        return []
    if not any(isinstance(v, (list, tuple)) for v in value):
        return [[cell_value(v) for v in value]]
    return [[cell_value(v) for v in (row if isinstance(row, (list, tuple)) else [row])] for row in value]


def cells_of(value: Any) -> list[Any]:
    """The cells of a range (one row or one column), in order."""
    rows = rows_of(value)
    if len(rows) > 1 and any(len(r) > 1 for r in rows):
        raise fail(f"expected one row or one column, got {len(rows)} rows x {max(len(r) for r in rows)} columns")
    return [v for r in rows for v in r]


def number(value: Any, what: str, default: float | None = None) -> float:
    """A numeric parameter: a number, or text that reads as one ("95%", "1,200")."""
    value = cell_value(value, what)
    if value is None:
        if default is None:
            raise fail(f"{what} is blank; give a number")
        return default
    if isinstance(value, scoring.ExcelError):
        raise fail(f"{what} is the error {value.code}; fix that cell first")
    parsed = parse_number(value)
    if parsed is None:
        raise fail(f"{what} {value!r} is not a number")
    return parsed


def text(value: Any, what: str) -> str:
    value = cell_value(value, what)
    if value is None:
        raise fail(f"{what} is blank")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def method_name(value: Any) -> str:
    """A method by name ("ratio") or by the code the workbook keeps in column Q (1..6)."""
    raw = cell_value(value, "method")
    if isinstance(raw, float) and raw.is_integer() and int(raw) in scoring.METHOD_BY_CODE:
        return scoring.METHOD_BY_CODE[int(raw)].name
    name = text(raw, "method").lower()
    if name not in scoring.METHODS:
        codes = f"{min(scoring.METHOD_BY_CODE)}-{max(scoring.METHOD_BY_CODE)}"
        raise fail(f"unknown method {name!r}; use one of {', '.join(scoring.METHODS)} (or their codes {codes})")
    return name


def direction_of(value: Any) -> int:
    raw = cell_value(value, "direction")
    if raw is None:
        return 1
    if isinstance(raw, float) and raw in (1.0, -1.0):
        return int(raw)
    if isinstance(raw, str) and raw.strip().lower() in DIRECTIONS:
        return DIRECTIONS[raw.strip().lower()]
    raise fail(f'direction {raw!r} must be 1 or -1 ("higher" or "lower")')


def flag(value: Any, what: str) -> bool:
    raw = cell_value(value, what)
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return raw == 1.0
    if isinstance(raw, str) and raw.strip().lower() in ("true", "yes", "y", "false", "no", "n"):
        return raw.strip().lower() in ("true", "yes", "y")
    raise fail(f"{what} {raw!r} must be 1 or 0 (TRUE or FALSE)")


def bands_of(starts: Any, points: Any) -> tuple[tuple[float, float], ...]:
    """The bands of a KPI row (W:AB and AC:AH in the workbook); trailing blanks are unused slots."""
    if starts is None or points is None:
        raise fail("the bands and rating methods need bands_from and bands_points (e.g. W8:AB8 and AC8:AH8)")
    froms = _trim(cells_of(starts))
    pts = _trim(cells_of(points))
    if not froms or len(froms) != len(pts):
        raise fail(
            f"bands_from has {len(froms)} values but bands_points has {len(pts)}; give one points value per band"
        )
    bands = tuple(
        (number(s, f"bands_from #{i}"), number(p, f"bands_points #{i}"))
        for i, (s, p) in enumerate(zip(froms, pts, strict=True), start=1)
    )
    if any(a[0] > b[0] for a, b in zip(bands, bands[1:], strict=False)):
        raise fail(f"bands_from {[b[0] for b in bands]} must ascend (LOOKUP reads an ascending table)")
    return bands


def _trim(values: list[Any]) -> list[Any]:
    while values and values[-1] is None:
        values.pop()
    return values


# ---------------------------------------------------------------------------------------
# Results going back to Excel
# ---------------------------------------------------------------------------------------


def to_excel(value: Any) -> Any:
    """A scoring value as a cell shows it: ExcelError -> its code, everything else as is."""
    if isinstance(value, scoring.ExcelError):
        return value.code
    if isinstance(value, list):
        return [[to_excel(v) for v in row] for row in value]
    return value


def error_text(message: str) -> str:
    return f"{ERROR_PREFIX} {message}"


def excel_result(body: Callable[..., Any], *args: Any) -> Out:
    """Runs a function body; a user mistake comes back as "#KPIBOOK! ..." text, never a traceback."""
    try:
        return to_excel(body(*args))
    except KpibookError as exc:
        return error_text("; ".join(p.message if p.where in ("kpibook", "") else str(p) for p in exc.problems))
    except Exception as exc:  # a bug must still not show Excel a traceback
        return error_text(f"unexpected {type(exc).__name__}: {exc} - please report this to the kpibook maintainers")


# ---------------------------------------------------------------------------------------
# The function bodies
# ---------------------------------------------------------------------------------------


def score(  # noqa: PLR0913 - KPIBOOK_SCORE's arguments, as Excel passes them
    actual: Any,
    target: Any,
    method: Any,
    param: Any = None,
    direction: Any = None,
    floor: Any = None,
    cap: Any = None,
    allow_na: Any = None,
    bands_from: Any = None,
    bands_points: Any = None,
) -> scoring.Value:
    """KPIBOOK_SCORE: one KPI's points from its actual, target and rule - the workbook's score formula."""
    name = method_name(method)
    rule = scoring.RuleParams(
        method=name,
        target=number(target, "target"),
        param=number(param, "param", 0.0),
        direction=direction_of(direction),
        floor=number(floor, "floor", 0.0),
        cap=number(cap, "cap", 120.0),
        allow_na=flag(allow_na, "allow_na"),
        bands=bands_of(bands_from, bands_points) if scoring.METHODS[name].has_bands else (),
    )
    if rule.floor > rule.cap:
        raise fail(f"floor {rule.floor:g} is above cap {rule.cap:g}")
    return scoring.kpi_score(rule, cell_value(actual, "actual"))


def find_kpi(spec: Spec, kpi_id: str) -> tuple[Role, Any]:
    for role in spec.roles:
        for kpi in role.kpis:
            if kpi.id == kpi_id:
                return role, kpi
    raise fail(f"KPI {kpi_id!r} is not in the spec {spec.source}; use a KPI id such as {spec.roles[0].kpis[0].id!r}")


def kpi_score(kpi_id: Any, actual: Any, target: Any = None, spec: Spec | None = None) -> scoring.Value:
    """KPIBOOK_KPI_SCORE: one KPI's points by its id, under the active spec (target: the spec's by default)."""
    spec = spec or active_spec()
    _, kpi = find_kpi(spec, text(kpi_id, "kpi_id"))
    goal = None if cell_value(target, "target") is None else number(target, "target")
    return scoring.kpi_score(scoring.rule_of(kpi, goal), cell_value(actual, "actual"))


def find_role(spec: Spec, role_id: Any) -> Role:
    wanted = text(role_id, "role_id")
    try:
        return spec.role(wanted)
    except KeyError:
        raise fail(f"role {wanted!r} is not in the spec {spec.source}; use one of {', '.join(spec.role_ids)}") from None


def role_inputs(role: Role, actuals: Any, targets: Any = None) -> tuple[dict[str, Any], dict[str, float]]:
    """Actuals and targets by KPI id from a role's KPI table as Excel passes it.

    `actuals` is either one column (or row) of actuals in the workbook's KPI order, or a table
    whose first column holds KPI ids, then the actual, then optionally the target.
    `targets` (optional) is one column of targets in KPI order; blank keeps the spec's target.
    """
    kpis = role.kpis
    rows = rows_of(actuals)
    keyed = bool(rows) and len(rows[0]) >= 2 and len(rows) > 1
    by_id: dict[str, Any] = {}
    goals: dict[str, float] = {}
    if keyed:
        known = {k.id for k in kpis}
        for i, row in enumerate(rows, start=1):
            if all(v is None for v in row):
                continue
            kpi_id = text(row[0], f"KPI id in row {i}")
            if kpi_id not in known:
                raise fail(
                    f"row {i}: {kpi_id!r} is not a KPI of role {role.id!r}; "
                    f"its KPIs are {', '.join(k.id for k in kpis)}"
                )
            by_id[kpi_id] = row[1]
            if len(row) > 2 and row[2] is not None:
                goals[kpi_id] = number(row[2], f"target of {kpi_id}")
        if targets is not None:
            raise fail("give targets either as the third column of the table or as the targets range, not both")
        return by_id, goals
    values = cells_of(actuals)
    if len(values) != len(kpis):
        raise fail(
            f"role {role.id!r} has {len(kpis)} KPIs but {len(values)} actuals were given; give its whole "
            "actual column (e.g. H8:H17) or a table of KPI id and actual"
        )
    by_id = {k.id: v for k, v in zip(kpis, values, strict=True)}
    if targets is not None:
        given = cells_of(targets)
        if len(given) != len(kpis):
            raise fail(f"role {role.id!r} has {len(kpis)} KPIs but {len(given)} targets were given")
        goals = {k.id: number(t, f"target of {k.id}") for k, t in zip(kpis, given, strict=True) if t is not None}
    return by_id, goals


def role_scores(role_id: Any, actuals: Any, targets: Any = None, spec: Spec | None = None) -> scoring.RoleScores:
    spec = spec or active_spec()
    role = find_role(spec, role_id)
    by_id, goals = role_inputs(role, actuals, targets)
    return scoring.score_role(role, spec.grades, by_id, goals)


def total(role_id: Any, actuals: Any, targets: Any = None, spec: Spec | None = None) -> scoring.Value:
    """KPIBOOK_TOTAL: a role's total score from its KPI table ("" while an actual is missing)."""
    return role_scores(role_id, actuals, targets, spec).total


def grade(total_score: Any, spec: Spec | None = None) -> scoring.Value:
    """KPIBOOK_GRADE: the grade of a total score under the spec's grade scale ("" for a blank total)."""
    spec = spec or active_spec()
    value = cell_value(total_score, "score")
    if value is None or value == "":
        return scoring.BLANK
    if isinstance(value, scoring.ExcelError):
        return value
    points = number(value, "score")
    lowest = spec.grades[0]
    if points < lowest.min:
        raise fail(f"score {points:g} is below the grade scale (grade {lowest.grade} starts at {lowest.min:g})")
    return scoring.grade_of(points, [g.min for g in spec.grades], [g.grade for g in spec.grades])


# ---------------------------------------------------------------------------------------
# The whole scorecard: Excel's values beside Python's recomputation
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    """One value of the scorecard, as Excel shows it and as Python recomputes it."""

    cell: str  # where Excel's value sits, e.g. "I8"
    item: str  # KPI id, "dim.<id>", "total_score", "grade", "inputs_missing" or "spec_version"
    name: str  # the KPI's or dimension's name
    actual: Any
    target: Any
    excel: Any
    python: Any
    agrees: bool


@dataclass(frozen=True)
class ScorecardCheck:
    role_id: str
    employee_id: str
    rows: tuple[CheckRow, ...]

    @property
    def disagreements(self) -> tuple[CheckRow, ...]:
        return tuple(r for r in self.rows if not r.agrees)


def _index(cell: str) -> tuple[int, int]:
    """'H8' -> (7, 7): 0-based row and column in a range that starts at A1."""
    row, col = split_cell(cell)
    return row - 1, col - 1


def _at(rows: Sequence[Sequence[Any]], cell: str) -> Any:
    r, c = _index(cell)
    if r >= len(rows) or c >= len(rows[r]):
        return None
    return rows[r][c]


def same(excel: Any, python: Any) -> bool:
    """Whether Excel's value and Python's agree; numbers to 15 significant digits (what files keep)."""
    if isinstance(python, scoring.ExcelError):
        return excel == python or excel == python.code
    if isinstance(python, (int, float)) and not isinstance(python, bool):
        return (
            isinstance(excel, (int, float))
            and not isinstance(excel, bool)
            and math.isclose(excel, python, rel_tol=1e-12, abs_tol=1e-12)
        )
    if python in ("", None):
        return excel in ("", None)
    return excel == python


def recompute_scorecard(values: Any, spec: Spec | None = None) -> ScorecardCheck:
    """Recomputes a Scorecard sheet in Python. `values` is the sheet from A1 (e.g. A1:AJ60)."""
    spec = spec or active_spec()
    rows = rows_of(values)
    role_cell = ROLE_ID_CELL[1]
    role_id = _at(rows, role_cell)
    if not isinstance(role_id, str) or role_id not in spec.role_ids:
        raise fail(
            f"{role_cell} holds {role_id!r}, not a role id of the spec {spec.source}; give the Scorecard sheet "
            "from A1 (e.g. Scorecard!A1:AJ60)"
        )
    role = spec.role(role_id)
    layout = RoleLayout(role, spec.grades)
    if len(rows) < layout.pending_row:
        raise fail(
            f"the range ends at row {len(rows)}; the scorecard of role {role_id!r} needs rows 1 to "
            f"{layout.pending_row} (e.g. Scorecard!A1:{LAST_PARAM_COLUMN}{layout.last_row})"
        )
    actuals: dict[str, Any] = {}
    targets: dict[str, float] = {}
    for row, kpi in layout.iter_kpis():
        found = _at(rows, f"{COLUMNS['kpi_id']}{row}")
        if found != kpi.id:
            raise fail(
                f"{COLUMNS['kpi_id']}{row} holds {found!r} but role {role_id!r} has KPI {kpi.id!r} there: this "
                f"scorecard was made from another spec than {spec.source}"
            )
        actuals[kpi.id] = _at(rows, layout.kpi_cell(kpi.id, "actual"))
        goal = _at(rows, layout.kpi_cell(kpi.id, "target"))
        if isinstance(goal, float):
            targets[kpi.id] = goal
    python = scoring.score_role(role, spec.grades, actuals, targets)
    checks: list[CheckRow] = []

    def add(cell: str, item: str, name: str, value: Any, actual: Any = None, target: Any = None) -> None:
        excel = _at(rows, cell)
        checks.append(CheckRow(cell, item, name, actual, target, excel, value, same(excel, value)))

    version_cell = HEADER_FIELDS["spec_version"][1]
    version = _at(rows, version_cell)
    if version is not None and str(version) != spec.spec_version:
        checks.append(
            CheckRow(
                version_cell, "spec_version", "spec version 考核标准版本", None, None, version, spec.spec_version, False
            )
        )
    for _, kpi in layout.iter_kpis():
        add(
            layout.kpi_cell(kpi.id, "score"),
            kpi.id,
            f"{kpi.name_zh} {kpi.name_en}",
            python.kpis[kpi.id],
            actuals[kpi.id],
            targets.get(kpi.id, _at(rows, layout.kpi_cell(kpi.id, "target"))),
        )
    for dimension in role.dimensions:
        add(
            layout.dimension_score_cell(dimension.id),
            f"dim.{dimension.id}",
            f"{dimension.name_zh} {dimension.name_en}",
            python.dimensions[dimension.id],
        )
    add(layout.total_cell, "total_score", "总分 Total score", python.total)
    add(layout.grade_cell, "grade", "等级 Grade", python.grade)
    add(layout.pending_cell, "inputs_missing", "待填项 Inputs missing", float(python.pending))
    employee = _at(rows, HEADER_FIELDS["employee_id"][1])
    return ScorecardCheck(role_id, "" if employee is None else str(employee), tuple(checks))


CHECK_HEADER = ["cell", "item", "Excel", "Python"]


def check(scorecard: Any, spec: Spec | None = None) -> Any:
    """KPIBOOK_CHECK: "OK" when Excel's values equal Python's recomputation, else where they differ."""
    result = recompute_scorecard(scorecard, spec)
    if not result.disagreements:
        return OK
    differ = result.disagreements
    return [CHECK_HEADER] + [[r.cell, r.item, "" if r.excel is None else r.excel, r.python] for r in differ]


def describe(kpi_id: Any, spec: Spec | None = None) -> str:
    """KPIBOOK_RULE: a KPI's scoring rule in words (Chinese and English), as the instructions sheet says it."""
    spec = spec or active_spec()
    _, kpi = find_kpi(spec, text(kpi_id, "kpi_id"))
    return scoring.describe_rule(scoring.rule_of(kpi), kpi.unit)
