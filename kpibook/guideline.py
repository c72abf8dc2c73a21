"""The calibration guideline: how a department's grades should be distributed, as roles.toml
says it, and the arithmetic the calibration meeting uses (allowed headcounts, how many to move,
manager leniency). Pure Python, no files: the calibration workbook writes the same rules as
Excel formulas (kpibook.calibration_book) and the tests hold the two equal.

    [calibration]
    rounding = "nearest"         # how a share of a group becomes a number of people
    min_group = 5                # smaller groups are shown, never flagged
    [[calibration.limits]]
    grades = ["S", "A"]
    max = "30%"                  # and/or min; per = "all" | "department" | "role"

Rounding, stated once: the allowed headcount of a limit in a group of n people is
share x n rounded to a whole person, half up ("nearest", as SuccessFactors does: 19 people
at most 10% gives 2), or always down / always up when the spec says so. Spreadsheets do the
same with ROUND, ROUNDDOWN and ROUNDUP.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kpibook.errors import Problem
from kpibook.messages import t

ROUNDINGS = {"nearest": "ROUND", "down": "ROUNDDOWN", "up": "ROUNDUP"}
SCOPES = ("all", "department", "role")
DEFAULT_MANAGER_GAP = 5.0  # points between a manager's mean and the department's that count as normal
DEFAULT_MANAGER_MIN = 3  # teams smaller than this are never flagged: one person moves the mean too much

OK, OVER, UNDER, SMALL = "ok", "over", "under", "small"
LENIENT, SEVERE = "lenient", "severe"


@dataclass(frozen=True)
class Limit:
    """One line of the guideline: the share of `grades` in each group is at most / at least."""

    grades: tuple[str, ...]
    max: float | None
    min: float | None
    per: str = "all"  # all | department | role: the groups the share counts in
    role: str = ""  # only this role's employees ("" = everybody)
    department: str = ""  # only this department's employees

    def text(self) -> str:
        """ "S+A ≤ 30%", "D ≥ 5%", "B 40%–80%"."""
        names = "+".join(self.grades)
        if self.max is not None and self.min is not None:
            return f"{names} {_percent(self.min)}–{_percent(self.max)}"
        if self.max is not None:
            return f"{names} ≤ {_percent(self.max)}"
        return f"{names} ≥ {_percent(self.min or 0.0)}"

    def scope_text(self) -> str:
        parts = {"all": "all 全部", "department": "per department 按部门", "role": "per role 按岗位"}[self.per]
        if self.role:
            parts += f" · role {self.role}"
        if self.department:
            parts += f" · department {self.department}"
        return parts

    def applies(self, role_id: str, department: str) -> bool:
        return (not self.role or role_id == self.role) and (not self.department or department == self.department)


@dataclass(frozen=True)
class Guideline:
    limits: tuple[Limit, ...]
    rounding: str = "nearest"
    min_group: int = 1
    top_grades: tuple[str, ...] = ()
    manager_gap: float = DEFAULT_MANAGER_GAP
    manager_min: int = DEFAULT_MANAGER_MIN


def _percent(share: float) -> str:
    return f"{share * 100:g}%"


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


def headcount(share: float, people: int, rounding: str) -> int:
    """share x people as whole people, by the guideline's rounding (Excel ROUND/ROUNDDOWN/ROUNDUP).

    The product is first rounded to 9 decimals, as a spreadsheet's 15 significant digits
    would, so 0.1 x 30 is 3 and not 3.0000000000000004 (which ROUNDUP would make 4)."""
    product = round(share * people, 9)
    if rounding == "down":
        return math.floor(product)
    if rounding == "up":
        return math.ceil(product)
    return math.floor(product + 0.5)  # half away from zero, for the non-negative products here


@dataclass(frozen=True)
class Person:
    """What the guideline needs of one calibrated employee."""

    employee_id: str
    manager: str
    role_id: str
    department: str
    total_score: float
    grade: str  # the grade the formulas gave
    final_grade: str  # after calibration (the same when nothing changed)
    employee_name: str = ""


@dataclass(frozen=True)
class LimitCheck:
    """One limit in one group: allowed, before, after and how many to move."""

    limit: Limit
    group: str  # the department or role id; "" for all
    people: int
    allowed_max: int | None
    required_min: int | None
    before: int
    after: int

    @property
    def to_move(self) -> int:
        """People still to move out of (too many) or into (too few) the limit's grades."""
        over = self.after - self.allowed_max if self.allowed_max is not None else 0
        under = self.required_min - self.after if self.required_min is not None else 0
        return max(0, over, under)

    def status(self, min_group: int) -> str:
        if self.people < min_group:
            return SMALL
        if self.allowed_max is not None and self.after > self.allowed_max:
            return OVER
        if self.required_min is not None and self.after < self.required_min:
            return UNDER
        return OK


def group_of(limit: Limit, person: Person) -> str:
    return {"all": "", "department": person.department, "role": person.role_id}[limit.per]


def check(guideline: Guideline, people: Sequence[Person]) -> list[LimitCheck]:
    """Every limit in every group it counts in, in the guideline's order (groups sorted)."""
    checks = []
    for limit in guideline.limits:
        members = [p for p in people if limit.applies(p.role_id, p.department)]
        groups = sorted({group_of(limit, p) for p in members}) or [""]
        for group in groups:
            in_group = [p for p in members if group_of(limit, p) == group]
            n = len(in_group)
            checks.append(
                LimitCheck(
                    limit=limit,
                    group=group,
                    people=n,
                    allowed_max=None if limit.max is None else headcount(limit.max, n, guideline.rounding),
                    required_min=None if limit.min is None else headcount(limit.min, n, guideline.rounding),
                    before=sum(1 for p in in_group if p.grade in limit.grades),
                    after=sum(1 for p in in_group if p.final_grade in limit.grades),
                )
            )
    return checks


@dataclass(frozen=True)
class ManagerStats:
    manager: str
    people: int
    mean: float
    median: float
    top_share: float  # share of the top grades, before calibration
    gap: float  # mean minus the department's mean: + lenient, - severe
    flag: str  # lenient | severe | ""


def manager_stats(guideline: Guideline, people: Sequence[Person]) -> list[ManagerStats]:
    """Per manager (sorted by name): headcount, mean and median score, share of top grades and
    the gap to the department's mean, flagged when the team has at least `manager_min` people
    and its mean is more than `manager_gap` points above (lenient) or below (severe)."""
    if not people:
        return []
    overall = math.fsum(p.total_score for p in people) / len(people)
    stats = []
    for manager in sorted({p.manager for p in people}):
        scores = [p.total_score for p in people if p.manager == manager]
        top = sum(1 for p in people if p.manager == manager and p.grade in guideline.top_grades)
        mean = math.fsum(scores) / len(scores)
        gap = mean - overall
        flag = ""
        if len(scores) >= guideline.manager_min:
            flag = LENIENT if gap > guideline.manager_gap else SEVERE if gap < -guideline.manager_gap else ""
        stats.append(
            ManagerStats(manager, len(scores), mean, float(statistics.median(scores)), top / len(scores), gap, flag)
        )
    return stats


# ---------------------------------------------------------------------------------------
# Reading it from roles.toml
# ---------------------------------------------------------------------------------------


def parse_guideline(
    raw: object,
    text: str,
    source: str,
    grades: Sequence[str],
    roles: Iterable[str],
    number: Callable[[object], float | None],
) -> tuple[Guideline | None, list[Problem]]:
    """The [calibration] table of a spec (None when there is none) and every problem in it.

    `number` is the spec's own reading of a number ("10%" or 0.1: kpibook.spec.parse_number),
    passed in so that this module does not import the spec that imports it."""
    if raw is None:
        return None, []
    reader = _GuidelineReader(text, source, tuple(grades), set(roles), number)
    guideline = reader.guideline(raw)
    return (None if reader.problems else guideline), reader.problems


class _GuidelineReader:
    def __init__(
        self,
        text: str,
        source: str,
        grades: tuple[str, ...],
        roles: set[str],
        number: Callable[[object], float | None],
    ) -> None:
        self.number = number
        self.lines = text.splitlines()
        self.source = source
        self.grades = grades
        self.roles = roles
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, table: int | None = None, key: str | None = None) -> None:
        line = self.line_of(table, key)
        where = f"{self.source}: {path}" + (f" (line {line})" if line else "")
        self.problems.append(Problem(where, message))

    def line_of(self, table: int | None, key: str | None) -> int | None:
        """The line of `key` in [calibration] (table None) or in the table-th [[calibration.limits]]."""
        header = re.compile(
            r"^\s*\[\[\s*calibration\.limits\s*\]\]" if table is not None else r"^\s*\[\s*calibration\s*\]"
        )
        starts = [i for i, line in enumerate(self.lines) if header.match(line)]
        index = table or 0
        if index >= len(starts):
            return None
        start = starts[index]
        if key:
            pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            for i in range(start + 1, len(self.lines)):
                if self.lines[i].lstrip().startswith("["):
                    break
                if pattern.match(self.lines[i]):
                    return i + 1
        return start + 1

    def guideline(self, raw: object) -> Guideline | None:
        if not isinstance(raw, dict):
            self.problem("calibration", t("guideline.not_table"))
            return None
        known = {"rounding", "min_group", "top_grades", "manager_gap", "manager_min", "per", "limits"}
        for key in sorted(set(raw) - known):
            self.problem(f"calibration.{key}", t("guideline.unknown_key", keys=", ".join(sorted(known))), None, key)
        rounding = raw.get("rounding", "nearest")
        if rounding not in ROUNDINGS:
            self.problem("calibration.rounding", t("guideline.rounding", found=repr(rounding)), None, "rounding")
        per = self.scope(raw.get("per", "all"), "calibration.per", None)
        limits_raw = raw.get("limits")
        if not isinstance(limits_raw, list) or not limits_raw or not all(isinstance(x, dict) for x in limits_raw):
            self.problem("calibration.limits", t("guideline.no_limits"))
            limits_raw = []
        limits = [self.limit(x, i, per) for i, x in enumerate(limits_raw)]
        top = self.grade_list(raw.get("top_grades", list(self.grades[-2:])), "calibration.top_grades", None)
        return Guideline(
            limits=tuple(x for x in limits if x is not None),
            rounding=str(rounding),
            min_group=self.whole(raw, "min_group", 1),
            top_grades=top,
            manager_gap=self.points(raw, "manager_gap", DEFAULT_MANAGER_GAP),
            manager_min=self.whole(raw, "manager_min", DEFAULT_MANAGER_MIN),
        )

    def scope(self, value: object, path: str, table: int | None) -> str:
        if value not in SCOPES:
            self.problem(path, t("guideline.per", found=repr(value)), table, "per")
            return "all"
        return str(value)

    def whole(self, raw: dict, key: str, default: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(f"calibration.{key}", t("guideline.whole", found=repr(value)), None, key)
            return default
        return value

    def points(self, raw: dict, key: str, default: float) -> float:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.problem(f"calibration.{key}", t("guideline.points", found=repr(value)), None, key)
            return default
        return float(value)

    def grade_list(self, value: object, path: str, table: int | None) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(g, str) for g in items):
            self.problem(path, t("guideline.grades_type", found=repr(value)), table, path.rsplit(".", 1)[-1])
            return ()
        unknown = [g for g in items if g not in self.grades]
        if unknown:
            self.problem(
                path,
                t("guideline.grade_unknown", found=", ".join(unknown), scale=", ".join(self.grades)),
                table,
                path.rsplit(".", 1)[-1],
            )
        return tuple(g for g in items if g in self.grades)

    def share(self, value: object, path: str, table: int, key: str) -> float | None:
        if value is None:
            return None
        number = self.number(value)
        if number is None or not 0 <= number <= 1:
            self.problem(path, t("guideline.share", found=repr(value)), table, key)
            return None
        return number

    def limit(self, raw: dict, index: int, default_per: str) -> Limit | None:
        path = f"calibration.limits[{index}]"
        known = {"grades", "max", "min", "per", "role", "department"}
        for key in sorted(set(raw) - known):
            self.problem(f"{path}.{key}", t("guideline.unknown_key", keys=", ".join(sorted(known))), index, key)
        before = len(self.problems)
        grades = self.grade_list(raw.get("grades"), f"{path}.grades", index)
        high = self.share(raw.get("max"), f"{path}.max", index, "max")
        low = self.share(raw.get("min"), f"{path}.min", index, "min")
        if "max" not in raw and "min" not in raw:
            self.problem(path, t("guideline.no_bound"), index)
        elif high is not None and low is not None and low > high:
            self.problem(path, t("guideline.min_above_max", low=_percent(low), high=_percent(high)), index, "min")
        per = self.scope(raw.get("per", default_per), f"{path}.per", index)
        role = raw.get("role", "")
        if role and role not in self.roles:
            self.problem(
                f"{path}.role",
                t("guideline.role", found=repr(role), roles=", ".join(sorted(self.roles))),
                index,
                "role",
            )
        department = raw.get("department", "")
        if not isinstance(department, str):
            self.problem(f"{path}.department", t("guideline.department", found=repr(department)), index, "department")
            department = ""
        if len(self.problems) > before:
            return None
        return Limit(grades, high, low, per, str(role), department.strip())
