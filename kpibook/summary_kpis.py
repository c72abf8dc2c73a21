"""The summary's KPIs sheet: attainment per KPI across the employees whose workbook is ok.

Values, not formulas: the KPI scores are not in the Employees table, so there is nothing for a
formula to read; each figure is computed here from the recomputed scores."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kpibook import scoring
from kpibook.records import OK, ConsolidateResult
from kpibook.spec import Spec

KPI_COLUMNS = (
    "role_id", "kpi_id", "kpi_zh", "kpi_en", "dimension_id", "unit", "weight", "default_target",
    "scored", "na", "mean_score", "min_score", "max_score", "at_or_above_100",
)  # fmt: skip


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiStats:
    scored: int
    na: int
    mean: float | None
    low: float | None
    high: float | None
    at_target: int


def kpi_stats(result: ConsolidateResult) -> dict[tuple[str, str], KpiStats]:
    """(role id, KPI id) -> the KPI's attainment across the role's ok employees."""
    values: dict[tuple[str, str], list[scoring.Value]] = {}
    for r in result.employees:
        if r.status == OK:
            for kpi_id, value in r.kpis.items():
                values.setdefault((r.role_id, kpi_id), []).append(value)
    stats = {}
    for key, scores in values.items():
        numbers = [v for v in scores if isinstance(v, float)]
        stats[key] = KpiStats(
            scored=len(numbers),
            na=sum(1 for v in scores if v == scoring.NA),
            mean=math.fsum(numbers) / len(numbers) if numbers else None,
            low=min(numbers) if numbers else None,
            high=max(numbers) if numbers else None,
            at_target=sum(1 for v in numbers if v >= 100),
        )
    return stats


def kpi_rows(result: ConsolidateResult, spec: Spec) -> list[list[object]]:
    stats = kpi_stats(result)
    none = KpiStats(0, 0, None, None, None, 0)
    rows: list[list[object]] = []
    for role in spec.roles:
        for kpi in role.kpis:
            s = stats.get((role.id, kpi.id), none)
            rows.append(
                [
                    role.id,
                    kpi.id,
                    kpi.name_zh,
                    kpi.name_en,
                    kpi.dimension_id,
                    kpi.unit,
                    kpi.weight,
                    kpi.target,
                    s.scored,
                    s.na,
                    s.mean,
                    s.low,
                    s.high,
                    s.at_target,
                ]
            )
    return rows
