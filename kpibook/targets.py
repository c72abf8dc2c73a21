"""The targets of a period: the spec's default targets scaled to the period, or refused.

A KPI's `target_period` in roles.toml says what its target is per:

    quarter  an amount summed over a quarter (revenue, new customers): scaled by the
             period's length (x2 for a half-year, x4 for a year, /3 for a month)
    year     an amount summed over a year: scaled the same way from twelve months
    rate     a rate or a level (a percentage, a mean score, days per case): the same for
             every period

A KPI whose kind the spec does not give keeps its target only for a quarter (the reading
every spec had before the key existed); for any other period it has no target, and
generating refuses naming it, unless every employee of its role has their own target in the
roster's `target.<kpi_id>` column. A roster target is the person's target for the period
being generated and is never scaled. Never is a quarterly target silently used for a year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kpibook.errors import KpibookError, Problem
from kpibook.messages import t
from kpibook.period import Period
from kpibook.spec import Kpi, Spec

MONTHS = {"quarter": 3, "half": 6, "year": 12, "month": 1}  # length of each period kind
SUMMED = {"quarter": 3, "year": 12}  # months a summed target covers, by target_period


def default_target(kpi: Kpi, period: Period) -> float | None:
    """The spec's target of `kpi` for `period`, or None when the spec cannot give one."""
    if kpi.target_period == "rate":
        return kpi.target
    months = SUMMED.get(kpi.target_period)
    if months is None:  # kind not given: a quarterly target, for a quarter only
        return kpi.target if period.kind == "quarter" else None
    if MONTHS[period.kind] == months:
        return kpi.target
    return round(kpi.target * MONTHS[period.kind] / months, 2)  # to the cent, as a person would write it


def period_targets(spec: Spec, role_id: str, overrides: Mapping[str, float], period: Period) -> dict[str, float]:
    """Every KPI target of one person for `period`: the roster's own, else the spec's scaled default."""
    targets = {}
    for kpi in spec.role(role_id).kpis:
        target = overrides.get(kpi.id, default_target(kpi, period))
        if target is None:
            raise KpibookError([_missing(spec, role_id, kpi, period, 1)])
        targets[kpi.id] = target
    return targets


def check_period_targets(spec: Spec, people: Iterable[tuple[str, Mapping[str, float]]], period: Period) -> None:
    """Refuses, before anything is written, when a KPI has no target for `period` for someone
    (role id, roster targets), or when a scaled target leaves the KPI's input bounds."""
    missing: dict[tuple[str, str], int] = {}
    roles = set()
    for role_id, overrides in people:
        roles.add(role_id)
        for kpi in spec.role(role_id).kpis:
            if kpi.id not in overrides and default_target(kpi, period) is None:
                missing[(role_id, kpi.id)] = missing.get((role_id, kpi.id), 0) + 1
    problems = [_missing(spec, role, spec.role(role).kpi(kpi_id), period, n) for (role, kpi_id), n in missing.items()]
    problems += _out_of_bounds(spec, sorted(roles), period)
    if problems:
        raise KpibookError(problems, title=t("targets.title", period=period.label, count=len(problems)))


def _where(spec: Spec, role_id: str, kpi: Kpi) -> str:
    return f"{spec.source}: roles.{role_id}.dimensions.{kpi.dimension_id} KPI {kpi.id}"


def _missing(spec: Spec, role_id: str, kpi: Kpi, period: Period, people: int) -> Problem:
    return Problem(
        _where(spec, role_id, kpi),
        t("targets.missing", kpi=kpi.id, period=period.label, target=f"{kpi.target:g}", people=people),
    )


def _out_of_bounds(spec: Spec, role_ids: list[str], period: Period) -> list[Problem]:
    problems = []
    for role_id in role_ids:
        for kpi in spec.role(role_id).kpis:
            target = default_target(kpi, period)
            if target is not None and not kpi.min <= target <= kpi.max:
                fields = {"kpi": kpi.id, "target": f"{target:g}", "min": f"{kpi.min:g}", "max": f"{kpi.max:g}"}
                problems.append(Problem(_where(spec, role_id, kpi), t("targets.out_of_bounds", **fields)))
    return problems
