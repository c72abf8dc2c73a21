"""Which cached values a conforming spreadsheet engine may have written for a scorecard.

kpibook recomputes every score itself and never trusts a cached value, but a cached value that
no spreadsheet could have computed is evidence of a forged display. Spreadsheets do not all
agree to the last digit, and an honest save must not be called a forgery:

- **Decimal halves.** ROUND(x, 2) of a value that is a decimal half at the rounding digit
  (81.905) is 81.91 under Excel's rule (15 significant digits, then half away from zero, which
  kpibook and LibreOffice follow) but 81.9 in Gnumeric; HyperFormula and the `formulas`
  package also round some such halves down.
- **Pasted full-precision actuals.** A file stores 15 significant digits; LibreOffice caches
  the score it computed from the 17-digit value that was pasted.

The rule, stated once: a cached formula value is accepted when it is what the scoring core
computes from the cell's own inputs as the file caches them (the actual for a KPI score, the
cached KPI scores for a dimension, the cached dimension scores for the total), with those inputs
moved by at most one part in 10**12. That moves a result only where it sits on a rounding half
or a band edge; anything else (a different figure) is still refused. Each cell is judged from
its inputs' cached values, so a forged total is caught even when the scores under it are honest,
and every KPI score is pinned to the actual the manager typed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from kpibook import scoring
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.spec import Dimension

NUDGE = 1e-12  # the relative move of an input that reaches a rounding half but no other figure

Same = Callable[[object, object], bool]


@dataclass
class EngineJudgement:
    """The cached values that differ from kpibook's recomputation, sorted by what explains them."""

    refused: list[str] = field(default_factory=list)  # no conforming engine caches this: evidence
    rounded: list[str] = field(default_factory=list)  # where an engine rounded a half its way: accepted


def nudged(value: object) -> list[object]:
    """`value` and the values one part in 10**12 either side of it (numbers only)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [value]
    number = float(value)
    return [number, number * (1 - NUDGE), number * (1 + NUDGE)]


def _nudge_all(values: Sequence[scoring.Value], factor: float) -> list[scoring.Value]:
    return [v * factor if isinstance(v, float) else v for v in values]


def kpi_candidates(rule: scoring.RuleParams, actual: object) -> list[scoring.Value]:
    """Every score an engine may cache for a KPI with this rule and this stored actual."""
    return [scoring.kpi_score(rule, a) for a in nudged(actual)]


def dimension_candidates(scores: Sequence[scoring.Value], weights: Sequence[float]) -> list[scoring.Value]:
    return [scoring.dimension_score(_nudge_all(scores, f), weights) for f in (1.0, 1 - NUDGE, 1 + NUDGE)]


def total_candidates(dims: Sequence[scoring.Value], weights: Sequence[float], pending: int) -> list[scoring.Value]:
    return [scoring.total_score(_nudge_all(dims, f), weights, pending) for f in (1.0, 1 - NUDGE, 1 + NUDGE)]


def _one(function: Callable[..., object], *args: object) -> list[object]:
    """The single candidate of a cell whose formula involves no rounding."""
    return [function(*args)]


class _Judge:
    """Walks the scorecard from actuals to grade, judging each cached value from its inputs."""

    def __init__(self, layout: RoleLayout, cached: Mapping[str, object], want: Mapping[str, object], same: Same):
        self.layout, self.cached, self.want, self.same = layout, cached, want, same
        self.result = EngineJudgement()

    def accept(self, ref: str, candidates: Callable[[], Sequence[object]]) -> object:
        """The value the engine used for `ref`: its cached value when some candidate explains it
        (recorded as rounded when it differs from kpibook's), else kpibook's (recorded as refused).
        The candidates are computed only for a cached value that differs from kpibook's (rare)."""
        want = self.want[ref]
        if ref not in self.cached:
            return want
        found = self.cached[ref]
        if self.same(found, want):
            return want
        others = candidates()
        if any(self.same(found, c) for c in others):
            if not self.same(found, others[0]):  # its own rounding, not a consequence of one above
                self.result.rounded.append(ref)
            return float(found) if isinstance(found, int) and not isinstance(found, bool) else found
        self.result.refused.append(ref)
        return want

    def run(self, actuals: Mapping[str, object], targets: Mapping[str, float]) -> EngineJudgement:
        layout = self.layout
        kpis: dict[str, scoring.Value] = {}
        for row, kpi in layout.iter_kpis():
            rule = scoring.rule_of(kpi, targets.get(kpi.id))
            actual = actuals.get(kpi.id)
            score = self.accept(f"{COLUMNS['score']}{row}", functools.partial(kpi_candidates, rule, actual))
            kpis[kpi.id] = score  # type: ignore[assignment]
            weight = kpi.weight
            self.accept(f"{COLUMNS['weighted']}{row}", functools.partial(_one, scoring.kpi_weighted, score, weight))
            self.accept(f"{COLUMNS['pending']}{row}", functools.partial(_one, scoring.kpi_pending, score))
            self.accept(
                f"{COLUMNS['counted']}{row}", functools.partial(_one, scoring.kpi_counted_weight, score, weight)
            )
        pending = sum(scoring.kpi_pending(s) for s in kpis.values())
        dims = [
            self.accept(layout.dimension_score_cell(d.id), functools.partial(self._dimension_candidates, d, kpis))
            for d in layout.role.dimensions
        ]
        weights = [d.weight for d in layout.role.dimensions]
        total = self.accept(layout.total_cell, functools.partial(total_candidates, dims, weights, pending))  # type: ignore[arg-type]
        grades = layout.grades
        grade = scoring.grade_of(total, [g.min for g in grades], [g.grade for g in grades])  # type: ignore[arg-type]
        self.accept(layout.grade_cell, functools.partial(list, [grade]))
        self.accept(layout.pending_cell, functools.partial(list, [pending]))
        return self.result

    @staticmethod
    def _dimension_candidates(dimension: Dimension, kpis: Mapping[str, scoring.Value]) -> list[scoring.Value]:
        return dimension_candidates([kpis[k.id] for k in dimension.kpis], [k.weight for k in dimension.kpis])


def judge_cached(
    layout: RoleLayout,
    actuals: Mapping[str, object],
    targets: Mapping[str, float],
    cached: Mapping[str, object],
    want: Mapping[str, object],
    same: Same,
) -> EngineJudgement:
    """Sorts the cached formula values (`cached`, by cell) that differ from kpibook's
    recomputation (`want`) into those a conforming engine may write and those none would."""
    return _Judge(layout, cached, want, same).run(actuals, targets)
