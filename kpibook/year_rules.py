"""The year's rules from roles.toml's optional `[year]` table: how quarters combine into a year
and what a year's grade pays.

    [year]
    quarter_weights = { Q1 = 25, Q2 = 25, Q3 = 25, Q4 = 25 }   # optional: equal by default
    coefficient_cap = 1.5                                       # optional
    [year.coefficients]                                         # one per grade of [[grades]]
    S = 1.5
    ...

What a missing quarter means is fixed here, not configurable, because payroll depends on it
being the same every year: a quarter in which the person was not employed (not yet hired, or
already left: absent from that quarter's summary, or outside the roster's hired/left dates) is
left out and the year is pro-rated over the quarters worked; a quarter in which the person was
employed but whose workbook was not returned ok leaves the year incomplete (no grade, no pay)
until it is.

Core layer: no files; spec.py calls `parse_year` with the raw TOML and its text, so every
problem names the TOML key and its line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from kpibook.errors import Problem
from kpibook.messages import t

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
WEIGHT_TOTAL = 100.0
MAX_COEFFICIENT = 10.0  # a guard against a typo (15 for 1.5), not a policy


@dataclass(frozen=True)
class YearRules:
    """The `[year]` table, validated."""

    quarter_weights: dict[str, float] = field(default_factory=lambda: dict.fromkeys(QUARTERS, 25.0))
    coefficients: dict[str, float] = field(default_factory=dict)  # grade -> coefficient
    coefficient_cap: float | None = None

    def coefficient(self, grade: str) -> float:
        """The grade's coefficient, limited by the cap."""
        value = self.coefficients[grade]
        return value if self.coefficient_cap is None else min(value, self.coefficient_cap)

    @property
    def effective_cap(self) -> float:
        """The cap as the workbook's cap cell holds it: without a cap, the highest coefficient
        (so that MIN(cap, coefficient) changes nothing)."""
        highest = max(self.coefficients.values(), default=0.0)
        return highest if self.coefficient_cap is None else self.coefficient_cap


def parse_year(raw: Any, text: str, source: str, grades: list[str]) -> tuple[YearRules | None, list[Problem]]:
    """The `[year]` table (None when the spec has none) and the problems found in it."""
    if raw is None:
        return None, []
    lines = text.splitlines()
    problems: list[Problem] = []

    def report(path: str, code: str, **fields: object) -> None:
        parts = path.split(".")
        line = _line_of(lines, parts[-1]) or _line_of(lines, parts[0]) or _line_of(lines, "")
        where = f"{source}: year" + (f".{path}" if path else "") + (f" (line {line})" if line else "")
        problems.append(Problem(where, t(code, **fields)))  # type: ignore[arg-type]  # fields are the catalogue's

    if not isinstance(raw, dict):
        report("", "year.not_table")
        return None, problems
    for key in sorted(set(raw) - {"quarter_weights", "coefficients", "coefficient_cap"}):
        report(key, "year.unknown_key", key=key)
    weights = _weights(raw.get("quarter_weights"), report)
    coefficients = _coefficients(raw.get("coefficients"), grades, report)
    cap = _cap(raw.get("coefficient_cap"), report)
    return YearRules(weights, coefficients, cap), problems


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _weights(raw: Any, report: Any) -> dict[str, float]:
    if raw is None:
        return dict.fromkeys(QUARTERS, WEIGHT_TOTAL / len(QUARTERS))
    if not isinstance(raw, dict) or set(raw) != set(QUARTERS):
        report("quarter_weights", "year.weights_keys", found=", ".join(map(str, raw)) if isinstance(raw, dict) else raw)
        return dict.fromkeys(QUARTERS, WEIGHT_TOTAL / len(QUARTERS))
    weights: dict[str, float] = {}
    for quarter in QUARTERS:
        number = _number(raw[quarter])
        if number is None or number < 0:
            report(f"quarter_weights.{quarter}", "year.weight_value", value=raw[quarter])
            number = 0.0
        weights[quarter] = number
    total = sum(weights.values())
    if abs(total - WEIGHT_TOTAL) > 1e-9:
        report("quarter_weights", "year.weights_sum", total=f"{total:g}")
    return weights


def _coefficients(raw: Any, grades: list[str], report: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        report("coefficients", "year.coefficients_missing", grades=", ".join(grades))
        return {}
    values: dict[str, float] = {}
    for grade, value in raw.items():
        number = _number(value)
        if grade not in grades:
            report(f"coefficients.{grade}", "year.coefficient_grade", grade=grade, grades=", ".join(grades))
        elif number is None or not 0 <= number <= MAX_COEFFICIENT:
            report(f"coefficients.{grade}", "year.coefficient_value", grade=grade, value=value)
        else:
            values[grade] = number
    missing = [g for g in grades if g not in raw]
    if missing:
        report("coefficients", "year.coefficients_missing", grades=", ".join(missing))
    return values


def _cap(raw: Any, report: Any) -> float | None:
    if raw is None:
        return None
    number = _number(raw)
    if number is None or not 0 < number <= MAX_COEFFICIENT:
        report("coefficient_cap", "year.cap_value", value=raw)
        return None
    return number


def _line_of(lines: list[str], key: str) -> int | None:
    """The line of `key =` inside the [year] tables (with no key: of [year] itself), 1-based."""
    inside = False
    header = None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = bool(re.match(r"^\[\s*year\s*(\.|\])", stripped))
            if inside and header is None:
                header = number
            if inside and key and re.match(r"^\[\s*year\s*\.\s*" + re.escape(key) + r"\s*\]", stripped):
                return number
            continue
        if inside and key and re.match(r"^\s*" + re.escape(key) + r"\s*=", line):
            return number
    return None if key else header
