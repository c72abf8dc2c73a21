"""Cached values judged as a spreadsheet engine would (kpibook.engines), alone and in the audit.

A sales specialist's proposal rate of 49.143% against a 60% target is 81.905 points: Excel's
rule (and kpibook's, and LibreOffice's) gives 81.91; Gnumeric caches 81.9, and HyperFormula and
the `formulas` package round such halves down too. A workbook saved by such an engine
carries 81.9 and every value computed from it: that is not a forgery. A figure no engine
computes (81.8, or a total typed over) still is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from kpibook import scoring
from kpibook.audit import audit_workbook
from kpibook.audit.values import same
from kpibook.engines import judge_cached
from kpibook.fill import fill_workbook, patch_cells, rewrite_scorecard
from kpibook.generate import generate
from kpibook.layout import RoleLayout
from kpibook.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parents[1]
HALF = 0.49143  # / 0.6 * 100 = 81.905


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "roles.toml")


@pytest.fixture(scope="module")
def layout(spec: Spec) -> RoleLayout:
    return RoleLayout(spec.role("sales_specialist"), spec.grades)


def actuals_of(layout: RoleLayout, proposal_rate: float = HALF) -> dict[str, object]:
    values: dict[str, object] = {k.id: k.target for k in layout.role.kpis}
    values["ss_proposal_rate"] = proposal_rate
    return values


def engine_cache(layout: RoleLayout, actuals: dict[str, object], kpi_scores: dict[str, float]) -> dict[str, object]:
    """Every formula value an engine caches when it computed `kpi_scores` for some KPIs."""
    targets = {k.id: k.target for k in layout.role.kpis}
    scores = scoring.score_role(layout.role, layout.grades, actuals, targets)
    kpis = {**scores.kpis, **kpi_scores}
    dims = {
        d.id: scoring.dimension_score([kpis[k.id] for k in d.kpis], [k.weight for k in d.kpis])
        for d in layout.role.dimensions
    }
    total = scoring.total_score(list(dims.values()), [d.weight for d in layout.role.dimensions], 0)
    grade = scoring.grade_of(total, [g.min for g in layout.grades], [g.grade for g in layout.grades])
    return layout.formula_values(scoring.RoleScores(kpis, dims, total, grade, 0))


def judged(layout: RoleLayout, actuals: dict[str, object], cached: dict[str, object]):  # type: ignore[no-untyped-def]
    targets = {k.id: k.target for k in layout.role.kpis}
    want = layout.cell_values(actuals, targets)
    return judge_cached(layout, actuals, targets, cached, want, same)


def test_the_half_is_81_91_by_excels_rule(layout: RoleLayout) -> None:
    rule = scoring.rule_of(next(k for k in layout.role.kpis if k.id == "ss_proposal_rate"))
    assert f"{HALF / 0.6 * 100:.15g}" == "81.905"  # a decimal half at 15 significant digits
    assert scoring.kpi_score(rule, HALF) == 81.91


def test_an_engine_rounding_the_half_down_is_accepted(layout: RoleLayout) -> None:
    actuals = actuals_of(layout)
    cached = engine_cache(layout, actuals, {"ss_proposal_rate": 81.9})
    result = judged(layout, actuals, cached)
    score_cell = layout.kpi_cell("ss_proposal_rate", "score")
    assert result.refused == []
    assert score_cell in result.rounded


@pytest.mark.parametrize("figure", [81.8, 81.92, 90.0])
def test_a_score_no_engine_computes_is_refused(layout: RoleLayout, figure: float) -> None:
    actuals = actuals_of(layout)
    cached = engine_cache(layout, actuals, {"ss_proposal_rate": figure})
    assert layout.kpi_cell("ss_proposal_rate", "score") in judged(layout, actuals, cached).refused


def test_a_total_typed_over_honest_scores_is_refused(layout: RoleLayout) -> None:
    actuals = actuals_of(layout)
    cached = engine_cache(layout, actuals, {"ss_proposal_rate": 81.9})
    cached[layout.total_cell] = float(cached[layout.total_cell]) + 0.01  # type: ignore[arg-type]
    assert judged(layout, actuals, cached).refused == [layout.total_cell]


def test_a_rounding_half_is_not_a_licence_elsewhere(layout: RoleLayout) -> None:
    """Away from a half, one hundredth off is still refused."""
    actuals = actuals_of(layout, 0.4915)  # 81.91666..., no half anywhere near
    cached = engine_cache(layout, actuals, {"ss_proposal_rate": 81.91})
    refused = judged(layout, actuals, cached).refused
    assert refused[0] == layout.kpi_cell("ss_proposal_rate", "score")
    assert layout.total_cell in refused  # and every cell computed from it


def test_a_pasted_full_precision_actual(layout: RoleLayout) -> None:
    """Pasted 0.4914299999999996 is stored as 0.49143 (15 digits); the engine computed from the
    full value: 81.90499999999994, 81.9. kpibook, from the stored value, gives 81.91."""
    pasted = 0.4914299999999996
    stored = float(f"{pasted:.15g}")
    assert stored == HALF
    rule = scoring.rule_of(next(k for k in layout.role.kpis if k.id == "ss_proposal_rate"))
    engine_score = float(Decimal(pasted / 0.6 * 100).quantize(Decimal("0.01"), ROUND_HALF_UP))  # binary rounding
    assert engine_score == 81.9 and scoring.kpi_score(rule, stored) == 81.91
    cached = engine_cache(layout, actuals_of(layout), {"ss_proposal_rate": engine_score})
    assert judged(layout, actuals_of(layout, stored), cached).refused == []


def test_the_audit_calls_it_an_info_line_not_a_finding(spec: Spec, layout: RoleLayout, tmp_path: Path) -> None:
    generate(ROOT / "samples" / "roster.csv", "2026Q4", tmp_path / "gen", spec=spec)
    blank = next(p for p in sorted((tmp_path / "gen").rglob("*.xlsx")) if "E1006" in p.name)  # spec targets
    actuals = actuals_of(layout)
    filled = fill_workbook(blank, tmp_path / "filled.xlsx", spec, actuals)
    assert audit_workbook(filled, spec).verdict == "clean"
    engine = engine_cache(layout, actuals, {"ss_proposal_rate": 81.9})
    saved = rewrite_scorecard(filled, tmp_path / "engine.xlsx", lambda xml: patch_cells(xml, engine))
    audited = audit_workbook(saved, spec)
    assert audited.verdict == "clean", [f.line() for f in audited.findings]
    assert [(f.code, f.severity) for f in audited.findings] == [("engine_rounding", "info")]
    assert audited.scores is not None and audited.scores.kpis["ss_proposal_rate"] == 81.91

    forged = dict(engine, **{layout.total_cell: 99.0})
    tampered = rewrite_scorecard(filled, tmp_path / "forged.xlsx", lambda xml: patch_cells(xml, forged))
    findings = audit_workbook(tampered, spec).findings
    refused = [f for f in findings if f.code == "cached_value"]
    assert [f.cell for f in refused] == [layout.total_cell]
    assert "Excel or WPS" in refused[0].message and "send it again" in refused[0].message
