"""The scoring core's Python equals its Excel formulas, computed by an independent engine.

The engine is the `formulas` package (a pure-Python spreadsheet calculator). Every method is
checked on generated inputs (tests/cases.py): blanks, empty text, "N/A" in any case, other
text, numbers stored as text, error values, zero, negatives, huge values, decimals and actuals
whose raw points land exactly on a rounding half. Numbers must be equal exactly (==), text
equal, "" equal to an empty result, and an error must meet an error.

Two substitutions where `formulas` departs from Excel and LibreOffice: its ROUND rounds the
binary value (its ROUND(1.005, 2) is 1.00; Excel and LibreOffice give 1.01), so the engine
gets the spreadsheet's ROUND, transcribed here from LibreOffice's rtl::math::round
independently of kpibook's own `excel_round`; and its ISNUMBER is TRUE for text that looks
like a number ("0"), so the engine gets one that is TRUE for numbers only.
tests/test_parity_libreoffice.py checks the real thing, ROUND and ISNUMBER included.

The hypothesis profile sets the number of cases: "dev" (default) 300 per method, "ci"
(HYPOTHESIS_PROFILE=ci, set by .ci/run) 2,000 per method.
"""

from __future__ import annotations

import functools
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import formulas
import numpy as np
import pytest
import schedula
from formulas.functions import Error, XlError, wrap_ranges_func, wrap_ufunc
from formulas.functions.info import FalseArray, iserror
from hypothesis import event, given, settings
from hypothesis import strategies as st

from kpibook import scoring
from kpibook.scoring import METHODS, ExcelError, RuleParams, excel_round, kpi_score
from tests import cases
from tests.cases import Case, HypothesisSource, Table, same

# ---------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------


def spreadsheet_round(x: float, digits: int) -> float:
    """LibreOffice's ROUND (rtl_math_round, mode Corrected), step by step."""
    if not math.isfinite(x) or x == 0:
        return x
    value = abs(x)
    if value >= 2.0**52 or value == math.floor(value):
        return x
    digits = min(digits, 52 - (math.frexp(value)[1] - 1))
    factor = float(f"1e{digits}")
    value *= factor
    if value < 2.0**52:
        value = math.floor(approx_value(value + 0.5))
    value /= factor
    return -value if x < 0 else value


def approx_value(value: float) -> float:
    """rtl_math_approxValue for a positive value: 15 significant digits, unless exact enough."""
    if value > 2.0**41 or value == math.floor(value):
        return value
    numerator, denominator = value.as_integer_ratio()
    if denominator.bit_length() - 1 <= 11:
        return value
    exponent = 14 - math.floor(math.log10(value))
    factor = float(f"1e{abs(exponent)}")
    scaled = value * factor if exponent >= 0 else value / factor
    rounded = math.floor(scaled) + (1 if scaled - math.floor(scaled) >= 0.5 else 0)
    return rounded / factor if exponent >= 0 else rounded * factor


def is_number(value: Any) -> bool:
    """ISNUMBER as Excel and LibreOffice define it: a number, not text that looks like one."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


# The two substitutions (see the module docstring): formulas' ROUND rounds the binary value,
# and its ISNUMBER("0") is TRUE for the text "0" (Excel and LibreOffice: FALSE).
FUNCTIONS = formulas.get_functions()
FUNCTIONS["ROUND"] = wrap_ufunc(lambda x, d: spreadsheet_round(x, int(d)))
FUNCTIONS["ISNUMBER"] = wrap_ranges_func(functools.partial(iserror, check=is_number, array=FalseArray))


def to_engine(value: Any) -> Any:
    if value is None:
        return schedula.EMPTY
    if isinstance(value, ExcelError):
        return Error.errors[value.code]
    return value


def from_engine(result: Any) -> Any:
    if isinstance(result, np.ndarray):
        assert result.size == 1, result
        result = result.ravel()[0]
    if isinstance(result, XlError):
        return ExcelError(str(result))
    if result is schedula.EMPTY:
        return None
    if isinstance(result, (bool, np.bool_)):
        return bool(result)
    if isinstance(result, (int, float, np.integer, np.floating)):
        return float(result)
    return result


class Formula:
    """One formula compiled once; called with a mapping of its cells and ranges to values."""

    def __init__(self, formula: str) -> None:
        self.text = formula
        self.function = formulas.Parser().ast("=" + formula)[1].compile()
        self.inputs = list(self.function.inputs)

    def __call__(self, cells: Mapping[str, Any]) -> Any:
        single = {k.split(":")[0]: v for k, v in cells.items() if ":" in k and len(set(k.split(":"))) == 1}
        args = []
        for name in self.inputs:
            value = cells[name] if name in cells else single[name]  # the engine writes A1:A1 as A1
            if isinstance(value, list):  # a range: one row or one column of values
                shape = (1, len(value)) if _is_row(name) else (len(value), 1)
                args.append(np.array([to_engine(v) for v in value], dtype=object).reshape(shape))
            else:
                args.append(to_engine(value))
        return from_engine(self.function(*args))


def _is_row(range_name: str) -> bool:
    start, _, end = range_name.partition(":")
    end = end or start
    return start.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# ---------------------------------------------------------------------------------------
# One KPI row
# ---------------------------------------------------------------------------------------

ROW = 8
REFS = cases.refs(ROW)


@functools.cache
def kpi_formula() -> Formula:
    return Formula(scoring.kpi_score_formula(REFS))


def row_cells(case: Case) -> dict[str, Any]:
    """The row's cells by A1 name, ranges as lists (blank band slots as None)."""
    params = cases.parameter_cells(case.rule)
    cells: dict[str, Any] = {f"{col}{ROW}": value for col, value in params.items()}
    cells[REFS["a"]] = case.actual
    cells[REFS["froms"]] = [params.get(col) for col in cases.FROM_COLUMNS]
    cells[REFS["points"]] = [params.get(col) for col in cases.POINTS_COLUMNS]
    cells.setdefault(REFS["from1"], None)
    return cells


def engine_score(case: Case) -> Any:
    return kpi_formula()(row_cells(case))


def describe(case: Case, python: Any, sheet: Any) -> str:
    return f"{case.method}: actual={case.actual!r} rule={case.rule} -> Python {python!r}, formula {sheet!r}"


def outcome(value: Any) -> str:
    if isinstance(value, float):
        return "number"
    if isinstance(value, ExcelError):
        return "error"
    return repr(value)


@pytest.mark.parametrize("method", list(METHODS))
@given(data=st.data())
def test_kpi_score_matches_formulas_engine(method: str, data: st.DataObject) -> None:
    case = cases.case(HypothesisSource(data), method)
    python = kpi_score(case.rule, case.actual)
    sheet = engine_score(case)
    event(f"{method}: {outcome(python)}")
    assert same(python, sheet), describe(case, python, sheet)


SEEDED_CASES = 500  # per method; the same generator and seed as the LibreOffice workbook


@pytest.mark.parametrize("method", list(METHODS))
def test_seeded_cases_match_formulas_engine(method: str) -> None:
    mismatches = []
    for case in cases.cases(method, SEEDED_CASES):
        python = kpi_score(case.rule, case.actual)
        sheet = engine_score(case)
        if not same(python, sheet):
            mismatches.append(describe(case, python, sheet))
    assert not mismatches, "\n".join(mismatches[:20])


def rule(method: str, target: float = 100.0, **kw: Any) -> RuleParams:
    return RuleParams(method=method, target=target, **kw)


BANDS = ((0.0, 0.0), (80.0, 60.0), (90.0, 80.0), (100.0, 100.0), (110.0, 110.0))
RATING = ((1.0, 20.0), (2.0, 50.0), (3.0, 80.0), (4.0, 100.0), (5.0, 115.0))

# (rule, actual, expected) worked by hand: the formula and the Python must both give it.
KNOWN = [
    (rule("ratio", 5_000_000), 4_500_000.0, 90.0),
    (rule("ratio", 100), 2.675, 2.68),  # a rounding half: away from zero
    (rule("ratio", 100), 1.005, 1.01),  # binary 1.00499999999999989... still rounds up
    (rule("ratio", 100), 100.005, 100.01),
    (rule("ratio", 0.9), 0.95, 105.56),
    (rule("ratio", 100), 130.0, 120.0),  # the cap
    (rule("ratio", 100), -5.0, 0.0),  # the floor
    (rule("ratio", 0), 5.0, ExcelError("#DIV/0!")),
    (rule("ratio", 100), None, ""),
    (rule("ratio", 100), "", ""),
    (rule("ratio", 100, allow_na=True), "N/A", "N/A"),
    (rule("ratio", 100, allow_na=True), "n/a", "N/A"),
    (rule("ratio", 100, allow_na=False), "N/A", "invalid"),
    (rule("ratio", 100), "95", "invalid"),
    (rule("ratio", 100), ExcelError("#N/A"), ExcelError("#N/A")),
    (rule("inverse_ratio", 30, direction=-1), 45.0, 66.67),
    (rule("inverse_ratio", 30, direction=-1), 0.0, 120.0),
    (rule("inverse_ratio", 30, direction=-1), -3.0, 120.0),
    (rule("linear", 4.5, param=3.0), 3.75, 50.0),
    (rule("linear", 4.5, param=3.0), 2.0, 0.0),
    (rule("linear", 2.0, param=10.0, direction=-1), 6.0, 50.0),  # lower is better
    (rule("threshold", 2, param=25.0, direction=-1), 3.0, 75.0),
    (rule("threshold", 2, param=25.0, direction=-1), 1.0, 100.0),
    (rule("threshold", 0.95, param=10.0, direction=1), 0.9, 99.5),
    (rule("bands", 100, bands=BANDS), 95.0, 80.0),
    (rule("bands", 100, bands=BANDS), 80.0, 60.0),
    (rule("bands", 100, bands=BANDS), -1.0, 0.0),  # below the first band: the floor
    (rule("bands", 100, bands=BANDS, floor=10.0), -1.0, 10.0),
    (rule("bands", 100, bands=BANDS), 1e12, 110.0),
    (rule("bands", 0, bands=BANDS), 95.0, 80.0),  # a zero target is no matter for bands
    (rule("rating", 4, bands=RATING), 3.0, 80.0),
    (rule("rating", 4, bands=RATING), 3.5, 80.0),
    (rule("rating", 4, bands=RATING), 0.0, 0.0),
]


@pytest.mark.parametrize(("rule_", "actual", "expected"), KNOWN)
def test_known_scores(rule_: RuleParams, actual: Any, expected: Any) -> None:
    case = Case(rule_, actual)
    python = kpi_score(rule_, actual)
    assert same(python, None if expected == "" else expected), python
    assert same(python, engine_score(case)), describe(case, python, engine_score(case))


# ---------------------------------------------------------------------------------------
# ROUND: kpibook's excel_round against the transcription above
# ---------------------------------------------------------------------------------------


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_excel_round_is_the_spreadsheet_round_on_any_float(x: float) -> None:
    assert excel_round(x) == spreadsheet_round(x, 2) + 0.0


@given(st.integers(-(10**9), 10**9), st.sampled_from([1, 3, 7, 9, 11, 100, 0.3, 0.7, 1.1, 2.5]))
def test_excel_round_on_computed_halves(cents_and_half: int, divisor: float) -> None:
    """x = (n + 0.5) / 100 reached through arithmetic, as a score formula reaches it."""
    x = (cents_and_half + 0.5) * divisor / 100 / divisor
    assert excel_round(x) == spreadsheet_round(x, 2) + 0.0


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (2.675, 2.68),
        (1.005, 1.01),
        (0.285, 0.29),
        (-2.675, -2.68),
        (58.084999999999944, 58.09),
        (1e300, 1e300),
        (-0.001, 0.0),
        (0.125, 0.13),
        (2.5, 2.5),
        (-1.0, -1.0),
    ],
)
def test_excel_round_examples(x: float, expected: float) -> None:
    assert excel_round(x) == expected
    assert math.copysign(1, excel_round(-0.001)) == 1  # no "-0" in a workbook


# ---------------------------------------------------------------------------------------
# Whole tables: per-KPI helpers, dimension scores, total, grade
# ---------------------------------------------------------------------------------------

FIRST = 8  # first KPI row


@functools.cache
def row_formulas() -> dict[str, Formula]:
    refs = {"score": f"I{FIRST}", "w": f"F{FIRST}"}
    return {
        "weighted": Formula(scoring.KPI_WEIGHTED.format(**refs)),
        "counted": Formula(scoring.KPI_COUNTED_WEIGHT.format(**refs)),
        "pending": Formula(scoring.KPI_PENDING.format(**refs)),
    }


@functools.cache
def table_formulas(kpis: int, dims: int, grades: int) -> dict[str, Formula]:
    last = FIRST + kpis - 1
    first_dim = last + 2
    last_dim = first_dim + dims - 1
    total = last_dim + 2

    def column(col: str) -> str:
        return f"{col}{FIRST}:{col}{last}"

    return {
        "dimension": Formula(
            scoring.DIMENSION_SCORE.format(
                dims=column("N"),
                dim=f"N{first_dim}",
                pendings=column("AI"),
                weighteds=column("J"),
                counteds=column("AJ"),
            )
        ),
        "total": Formula(
            scoring.TOTAL_SCORE.format(
                pendings=column("AI"), dim_weights=f"F{first_dim}:F{last_dim}", dim_scores=f"I{first_dim}:I{last_dim}"
            )
        ),
        "grade": Formula(
            scoring.GRADE.format(
                total=f"I{total}",
                grade_mins=f"N{total}:N{total + grades - 1}",
                grade_names=f"O{total}:O{total + grades - 1}",
            )
        ),
        "pending_count": Formula(scoring.PENDING_COUNT.format(pendings=column("AI"))),
    }


def engine_table(t: Table) -> dict[str, Any]:
    """Every computed cell of the table, by the formulas engine (each stage fed the engine's own values)."""
    per_row = row_formulas()
    rows = {key: [f({f"I{FIRST}": s, f"F{FIRST}": w}) for _, w, s in t.kpis] for key, f in per_row.items()}
    f = table_formulas(len(t.kpis), len(t.dimensions), len(t.grades))
    last = FIRST + len(t.kpis) - 1
    first_dim = last + 2
    total_row = first_dim + len(t.dimensions) + 1
    ranges = {
        f"N{FIRST}:N{last}": [d for d, _, _ in t.kpis],
        f"AI{FIRST}:AI{last}": rows["pending"],
        f"J{FIRST}:J{last}": rows["weighted"],
        f"AJ{FIRST}:AJ{last}": rows["counted"],
    }
    dimension_scores = [f["dimension"]({**ranges, f"N{first_dim}": d}) for d, _ in t.dimensions]
    last_dim = first_dim + len(t.dimensions) - 1
    total = f["total"](
        {
            **ranges,
            f"F{first_dim}:F{last_dim}": [w for _, w in t.dimensions],
            f"I{first_dim}:I{last_dim}": dimension_scores,
        }
    )
    grade_rows = f"{total_row}:{{}}{total_row + len(t.grades) - 1}"
    grade = f["grade"](
        {
            f"I{total_row}": total if total is not None else "",
            "N" + grade_rows.format("N"): [m for m, _ in t.grades],
            "O" + grade_rows.format("O"): [g for _, g in t.grades],
        }
    )
    return {
        **rows,
        "dimension": dimension_scores,
        "total": total,
        "grade": grade,
        "pending_count": f["pending_count"](ranges),
    }


def table_mismatches(t: Table) -> Iterator[str]:
    python, sheet = cases.python_table(t), engine_table(t)
    for key, value in python.items():
        values, sheets = (value, sheet[key]) if isinstance(value, list) else ([value], [sheet[key]])
        for i, (p, s) in enumerate(zip(values, sheets, strict=True)):
            if not same(p, s):
                yield f"{key}[{i}]: Python {p!r}, formula {s!r} in {t}"


@settings(max_examples=min(settings().max_examples, 400))
@given(data=st.data())
def test_role_table_matches_formulas_engine(data: st.DataObject) -> None:
    t = cases.table(HypothesisSource(data))
    event("complete" if all(scoring.kpi_pending(s) == 0 for _, _, s in t.kpis) else "pending")
    problems = list(table_mismatches(t))
    assert not problems, "\n".join(problems)


def test_seeded_tables_match_formulas_engine() -> None:
    problems = [p for t in cases.tables(150) for p in table_mismatches(t)]
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------------------------------
# Summary (python -m tests.test_parity): counts and timing per method
# ---------------------------------------------------------------------------------------


def summary(count: int = 2000, emit: Callable[[str], Any] = print) -> Counter[str]:
    totals: Counter[str] = Counter()
    for method in METHODS:
        start = time.perf_counter()
        kinds: Counter[str] = Counter()
        for case in cases.cases(method, count):
            python = kpi_score(case.rule, case.actual)
            kinds[outcome(python)] += 1
            if not same(python, engine_score(case)):
                totals[f"{method} mismatches"] += 1
        totals[method] += count
        emit(
            f"{method:14} {count} cases, {totals[f'{method} mismatches']} mismatches, "
            f"{time.perf_counter() - start:.1f}s  {dict(kinds)}"
        )
    return totals


if __name__ == "__main__":
    summary()
