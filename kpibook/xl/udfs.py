"""kpibook's worksheet functions for Excel (the contract's module).

Each function is a thin registration of a body in kpibook.xl.core. The decorators are
xlwings' own `xw.func` / `xw.arg`, which xlwings resolves when it is imported:

- Windows with the classic add-in: "UDF Modules" = kpibook.xl.udfs (see `kpibook xl setup`),
  then "Import Functions" on the xlwings ribbon turns them into VBA worksheet functions;
- xlwings Lite / xlwings Server (`XLWINGS_ON_SERVER=true`, needs an xlwings license key, e.g.
  the free `noncommercial` one): the same decorators register them as Office.js custom
  functions (`custom_functions_meta` reads them at import time);
- anywhere else (Linux, macOS classic): the decorators change nothing, so this module imports
  and its functions are plain Python.

Arguments are typed `Any` on purpose: xlwings reads annotations as converters, and `Any` is
the one that hands over values unchanged. Every argument keeps Excel's error values as text
(`err_to_str`) so that an error in an input cell comes back as that error, as in the workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw

from kpibook.xl import core

# Argument descriptions, shown by Excel's function wizard and by `kpibook xl functions`.
ARGS: dict[str, str] = {
    "actual": "The actual: a number, N/A where the KPI allows it, or blank",
    "target": "The target (column G of the scorecard)",
    "method": "Scoring method: ratio, inverse_ratio, linear, threshold, bands, rating (or its code 1-6, column Q)",
    "param": "linear: the actual that earns 0 points; threshold: points lost per unit beyond the limit (column S)",
    "direction": "1 higher is better, -1 lower is better (column R); default 1",
    "floor": "Lowest points (column T); default 0",
    "cap": "Highest points (column U); default 120",
    "allow_na": "1 if N/A is allowed (column V); default 0",
    "bands_from": "bands/rating: where each band starts, ascending (W:AB)",
    "bands_points": "bands/rating: the points of each band (AC:AH)",
    "kpi_id": "A KPI id of the spec, e.g. sm_revenue",
    "role_id": "A role id of the spec, e.g. sales_manager",
    "actuals": "The role's actual column in KPI order (e.g. H8:H17), or a table: KPI id, actual[, target]",
    "targets": "Optional: the role's target column in KPI order (e.g. G8:G17); blank keeps the spec's target",
    "score": "A total score",
    "scorecard": "The Scorecard sheet from A1, e.g. Scorecard!A1:AJ60",
}
RANGE_ARGS = frozenset({"bands_from", "bands_points", "actuals", "targets", "scorecard"})


def _arg(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """xlwings' argument options: the description, errors as text, ranges always 2-D."""
    options: dict[str, Any] = {"doc": ARGS[name], "err_to_str": True}
    if name in RANGE_ARGS:
        options["ndim"] = 2
    return xw.arg(name, **options)


@xw.func
@_arg("actual")
@_arg("target")
@_arg("method")
@_arg("param")
@_arg("direction")
@_arg("floor")
@_arg("cap")
@_arg("allow_na")
@_arg("bands_from")
@_arg("bands_points")
def KPIBOOK_SCORE(  # noqa: N802, PLR0913 - Excel's function name and its arguments
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
) -> Any:
    """One KPI's points from its actual, target and scoring rule: the same number as the scorecard's score formula."""
    return core.excel_result(
        core.score, actual, target, method, param, direction, floor, cap, allow_na, bands_from, bands_points
    )


@xw.func
@_arg("kpi_id")
@_arg("actual")
@_arg("target")
def KPIBOOK_KPI_SCORE(kpi_id: Any, actual: Any, target: Any = None) -> Any:  # noqa: N802
    """One KPI's points by its KPI id under the role spec (target: the spec's unless given)."""
    return core.excel_result(core.kpi_score, kpi_id, actual, target)


@xw.func
@_arg("role_id")
@_arg("actuals")
@_arg("targets")
def KPIBOOK_TOTAL(role_id: Any, actuals: Any, targets: Any = None) -> Any:  # noqa: N802
    """A role's total score from its KPI actuals (and targets); blank while an actual is missing."""
    return core.excel_result(core.total, role_id, actuals, targets)


@xw.func
@_arg("score")
def KPIBOOK_GRADE(score: Any) -> Any:  # noqa: N802
    """The grade of a total score under the role spec's grade scale."""
    return core.excel_result(core.grade, score)


@xw.func
@_arg("scorecard")
def KPIBOOK_CHECK(scorecard: Any) -> Any:  # noqa: N802
    """Recomputes a whole Scorecard sheet in Python: OK, or a table of the cells where Excel and Python differ."""
    return core.excel_result(core.check, scorecard)


@xw.func
@_arg("kpi_id")
def KPIBOOK_RULE(kpi_id: Any) -> Any:  # noqa: N802
    """A KPI's scoring rule in words (Chinese and English)."""
    return core.excel_result(core.describe, kpi_id)


FUNCTIONS: tuple[Callable[..., Any], ...] = (
    KPIBOOK_SCORE,
    KPIBOOK_KPI_SCORE,
    KPIBOOK_TOTAL,
    KPIBOOK_GRADE,
    KPIBOOK_CHECK,
    KPIBOOK_RULE,
)

__all__ = [f.__name__ for f in FUNCTIONS]
