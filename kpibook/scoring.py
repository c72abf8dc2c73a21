"""The scoring core: every rule once, its Python computation beside its Excel formula.

Nothing here touches files. A workbook computes a score with the formulas below; kpibook
recomputes the same score with the Python beside each formula, operation for operation in
the same order, so both give the same IEEE double and the same ROUND. Tests prove they agree
(tests/test_parity.py with the `formulas` engine and LibreOffice).

Values follow the spreadsheet's model: a number (float), "" (blank, nothing to score yet),
"N/A" (not applicable, weight shared by the rest of the dimension), "invalid" (the actual is
text or otherwise not a number) or an `ExcelError` ("#DIV/0!"...), which propagates.

Formulas are written with {placeholders} for the cells of the row they sit in; the workbook
layout (kpibook.layout) fills them with references, the same in every row in R1C1 terms.
Functions used: only those Excel 2010, LibreOffice Calc and WPS all have (ALLOWED_FUNCTIONS);
none are volatile.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kpibook.methods import METHOD_BY_CODE, METHODS, Method, RuleParams

if TYPE_CHECKING:
    from kpibook.spec import Grade, Kpi, Role

__all__ = ["METHOD_BY_CODE", "METHODS", "Method", "RuleParams"]  # the methods' home is kpibook.methods

NA = "N/A"
BLANK = ""
INVALID = "invalid"
DECIMALS = 2  # every score, subtotal and total is rounded to 2 decimals, as ROUND(x, 2)

ALLOWED_FUNCTIONS = frozenset(
    {"IF", "AND", "OR", "ISNUMBER", "ISTEXT", "ROUND", "MAX", "MIN", "CHOOSE", "LOOKUP", "SUMPRODUCT", "SUM"}
)


@dataclass(frozen=True)
class ExcelError:
    """An Excel error value such as #DIV/0!; it propagates through formulas."""

    code: str = "#VALUE!"

    def __str__(self) -> str:
        return self.code


Value = float | str | ExcelError


def excel_round(x: float, digits: int = DECIMALS) -> float:
    """ROUND(x, digits) as the spreadsheet computes it: half away from zero, 2.675 -> 2.68.

    Python's round() rounds half to even on the binary value (round(2.675, 2) == 2.67). The
    spreadsheet scales by 10**digits, adds 0.5 and floors the result *as seen to 15
    significant digits* (LibreOffice's rtl::math::round with approxFloor), which absorbs the
    binary noise of the arithmetic before it: 2.675 -> 2.68, 1.005 -> 1.01, and
    100*(86.9915-92.8)/(82.8-92.8) = 58.084999999999944 -> 58.09. Rounding the 15-digit
    decimal of x itself instead (58.0849999999999 -> 58.08) disagrees with LibreOffice on
    such sums, so this mirrors its steps operation for operation (tests/test_parity*.py).
    """
    if digits < 0:
        raise ValueError("excel_round rounds to decimals, digits >= 0")
    if not math.isfinite(x) or x == 0:
        return x + 0.0
    value = abs(x)
    if value >= _TWO_52 or value.is_integer():
        return x + 0.0  # integers (and numbers too large for decimals) are already round
    digits = min(digits, 52 - (math.frexp(value)[1] - 1))  # decimals the double can hold
    factor = _POWERS_OF_TEN[digits] if digits < len(_POWERS_OF_TEN) else 10.0**digits
    scaled = value * factor
    if scaled < _TWO_52:
        scaled = math.floor(_approx_value(scaled + 0.5))
    rounded = scaled / factor
    return (-rounded if x < 0 else rounded) + 0.0  # + 0.0 turns -0.0 into 0.0, as spreadsheets show it


_TWO_52 = 2.0**52
_POWERS_OF_TEN = [float(f"1e{n}") for n in range(17)]


def _approx_value(value: float) -> float:
    """The positive `value` rounded to 15 significant digits (LibreOffice's rtl::math::approxValue)."""
    if value > 2.0**41 or value.is_integer():
        return value
    if value.as_integer_ratio()[1].bit_length() - 1 <= 11:  # at most 11 binary fraction digits: exact
        return value
    exponent = 14 - math.floor(math.log10(value))
    factor = _POWERS_OF_TEN[abs(exponent)] if abs(exponent) <= 16 else 10.0 ** abs(exponent)
    scaled = value * factor if exponent >= 0 else value / factor
    whole = math.floor(scaled)
    scaled = whole + 1 if scaled - whole >= 0.5 else whole  # std::round: half away from zero
    return scaled / factor if exponent >= 0 else scaled * factor


# ---------------------------------------------------------------------------------------
# The column formulas of the workbook, and their Python twins.
# ---------------------------------------------------------------------------------------

# KPI score: blank until entered; N/A where allowed; otherwise the method's raw points,
# clamped to [floor, cap] and rounded to 2 decimals; text that is not N/A is "invalid".
KPI_SCORE = (
    'IF({a}="","",IF(AND({na}=1,{a}="N/A"),"N/A",IF(ISNUMBER({a}),'
    "ROUND(MAX({floor},MIN({cap},CHOOSE({code},{branches}))),2)"
    ',"invalid")))'
)
# Points the KPI contributes to its dimension when nothing in it is N/A.
KPI_WEIGHTED = "IF(ISNUMBER({score}),{score}*{w}/100,0)"
# The weight that counts: 0 for N/A (and anything not yet scored).
KPI_COUNTED_WEIGHT = "IF(ISNUMBER({score}),{w},0)"
# 1 while the KPI still needs an input (blank, invalid text or an error), else 0.
KPI_PENDING = 'IF(ISNUMBER({score}),0,IF(ISTEXT({score}),IF({score}="N/A",0,1),1))'
# Dimension score: blank while any of its KPIs is pending; else its weighted mean of the
# scored KPIs (N/A KPIs drop out and their weight is shared by the rest).
DIMENSION_SCORE = (
    'IF(SUMPRODUCT(({dims}={dim})*{pendings})>0,"",'
    "ROUND(SUMPRODUCT(({dims}={dim})*{weighteds})/SUMPRODUCT(({dims}={dim})*{counteds})*100,2))"
)
TOTAL_SCORE = 'IF(SUM({pendings})>0,"",ROUND(SUMPRODUCT({dim_weights},{dim_scores})/100,2))'
GRADE = 'IF({total}="","",LOOKUP({total},{grade_mins},{grade_names}))'
PENDING_COUNT = "SUM({pendings})"


def kpi_score_formula(refs: Mapping[str, str]) -> str:
    """The score formula of one KPI row; `refs` maps placeholders to that row's cells."""
    branches = ",".join(m.excel for m in sorted(METHODS.values(), key=lambda m: m.code))
    return KPI_SCORE.format(branches=branches.format(**refs), **refs)


def is_na(value: Any) -> bool:
    return isinstance(value, str) and value.upper() == NA  # Excel's = ignores case


def kpi_score(rule: RuleParams, actual: Any) -> Value:
    """Python twin of KPI_SCORE. `actual` is what the cell holds: None/"" (blank), a number, text, ExcelError."""
    if isinstance(actual, ExcelError):
        return actual
    if actual is None or actual == "":
        return BLANK
    if rule.allow_na and is_na(actual):
        return NA
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return INVALID
    try:
        raw = METHODS[rule.method].python(float(actual), rule)
    except ZeroDivisionError:
        return ExcelError("#DIV/0!")
    except OverflowError:
        return ExcelError("#NUM!")
    if not math.isfinite(raw):
        return ExcelError("#NUM!")
    return excel_round(max(rule.floor, min(rule.cap, raw)))


def kpi_weighted(score: Value, weight: float) -> float:
    return score * weight / 100 if isinstance(score, float) else 0.0


def kpi_counted_weight(score: Value, weight: float) -> float:
    return weight if isinstance(score, float) else 0.0


def kpi_pending(score: Value) -> int:
    return 0 if isinstance(score, float) or score == NA else 1


def dimension_score(scores: Sequence[Value], weights: Sequence[float]) -> Value:
    """Python twin of DIMENSION_SCORE, over the dimension's KPIs in row order."""
    if sum(kpi_pending(s) for s in scores) > 0:
        return BLANK
    weighted = 0.0
    counted = 0.0
    for score, weight in zip(scores, weights):
        weighted += kpi_weighted(score, weight)
        counted += kpi_counted_weight(score, weight)
    if counted == 0:
        return ExcelError("#DIV/0!")
    return excel_round(weighted / counted * 100)


def total_score(dimension_scores: Sequence[Value], dimension_weights: Sequence[float], pending: int) -> Value:
    """Python twin of TOTAL_SCORE."""
    if pending > 0:
        return BLANK
    total = 0.0
    for score, weight in zip(dimension_scores, dimension_weights):
        if not isinstance(score, float):
            return score if isinstance(score, ExcelError) else ExcelError("#VALUE!")
        total += weight * score
    return excel_round(total / 100)


def grade_of(total: Value, grade_mins: Sequence[float], grade_names: Sequence[str]) -> Value:
    """Python twin of GRADE: the grade whose band holds the total (bands ascending by min)."""
    if isinstance(total, ExcelError):
        return total
    if not isinstance(total, float):
        return BLANK
    index = bisect.bisect_right(list(grade_mins), total) - 1
    return grade_names[index] if index >= 0 else ExcelError("#N/A")


# ---------------------------------------------------------------------------------------
# A whole role's scorecard, as the workbook computes it.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleScores:
    kpis: dict[str, Value]  # by KPI id
    dimensions: dict[str, Value]  # by dimension id
    total: Value
    grade: Value
    pending: int  # inputs still missing or invalid


def rule_of(kpi: Kpi, target: float | None = None) -> RuleParams:
    """The parameter cells of a KPI's row, for `target` (default: the spec's)."""
    return RuleParams(
        method=kpi.method,
        target=kpi.target if target is None else target,
        param=kpi.param,
        direction=kpi.direction,
        floor=kpi.floor,
        cap=kpi.cap,
        allow_na=kpi.allow_na,
        bands=tuple((b.start, b.points) for b in kpi.bands),
    )


def score_role(
    role: Role,
    grades: Sequence[Grade],
    actuals: Mapping[str, Any],
    targets: Mapping[str, float] | None = None,
) -> RoleScores:
    """Everything the role's workbook computes, from its actuals (by KPI id) and targets."""
    targets = targets or {}
    kpi_scores = {k.id: kpi_score(rule_of(k, targets.get(k.id)), actuals.get(k.id)) for k in role.kpis}
    pending = sum(kpi_pending(s) for s in kpi_scores.values())
    dim_scores = {
        d.id: dimension_score([kpi_scores[k.id] for k in d.kpis], [k.weight for k in d.kpis]) for d in role.dimensions
    }
    total = total_score(list(dim_scores.values()), [d.weight for d in role.dimensions], pending)
    grade = grade_of(total, [g.min for g in grades], [g.grade for g in grades])
    return RoleScores(kpi_scores, dim_scores, total, grade, pending)


def describe_rule(rule: RuleParams, unit: str = "") -> str:
    """The rule of one KPI in plain words (bilingual), for the instructions and the formula book."""
    t = f"{rule.target:.4g} ({rule.target:.2%})" if unit == "%" else f"{rule.target:,.10g}{' ' + unit if unit else ''}"
    limits = f"; 得分范围 points kept within {rule.floor:g}–{rule.cap:g}"
    text = METHODS[rule.method].describe(rule, t)
    na = "; 可填 N/A / N/A allowed" if rule.allow_na else ""
    return text + limits + na
