"""Targets of the period: a quarterly or yearly amount is scaled to a month, half-year or year;
a rate is kept; a KPI whose spec does not say what its target is per is refused for any period
but a quarter (never a quarterly target silently used for a year). Real workbooks, read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import kpibook
from kpibook.errors import KpibookError
from kpibook.layout import INSTRUCTIONS, SCORECARD, RoleLayout
from kpibook.period import parse_period
from kpibook.resources import bundled_spec_path
from kpibook.spec import load_spec, parse_spec
from kpibook.targets import default_target
from tests.common import ROOT

MINIMAL = ROOT / "tests" / "specs" / "valid_minimal.toml"
HEADER = "employee_id,name,role,department,manager,email"


def write_roster(path: Path, rows: list[str], extra: str = "") -> Path:
    path.write_text("\n".join([HEADER + extra, *rows]) + "\n", encoding="utf-8")
    return path


def target_cells(workbook: Path, spec_path: Path, role_id: str) -> dict[str, object]:
    """The Scorecard's target cell of every KPI, as the file holds it."""
    spec = load_spec(spec_path)
    layout = RoleLayout(spec.role(role_id), spec.grades)
    sheet = openpyxl.load_workbook(workbook)[SCORECARD]
    return {k.id: sheet[layout.kpi_cell(k.id, "target")].value for k in layout.role.kpis}


@pytest.mark.parametrize(
    ("period", "factor"),
    [("2026Q4", 1.0), ("2026H2", 2.0), ("2026", 4.0), ("2026-11", 1 / 3)],
)
def test_bundled_spec_scales_quarterly_amounts_and_keeps_rates(period: str, factor: float) -> None:
    spec = load_spec(bundled_spec_path())
    kinds = {k.target_period for r in spec.roles for k in r.kpis}
    assert kinds == {"quarter", "rate"}, "every KPI of the bundled spec says what its target is per"
    for kpi in (k for r in spec.roles for k in r.kpis):
        expected = kpi.target if kpi.target_period == "rate" else round(kpi.target * factor, 2)
        assert default_target(kpi, parse_period(period)) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("period", "revenue", "customers"), [("2026", 4_800_000.0, 24.0), ("2026-11", 400_000.0, 2.0)])
def test_generated_workbook_holds_the_period_target(
    tmp_path: Path, period: str, revenue: float, customers: float
) -> None:
    """A sales specialist's year (or month): revenue and new customers scaled, rates kept, the
    roster's own target for the period kept as given."""
    roster = write_roster(
        tmp_path / "roster.csv",
        ["E1,甲,sales_specialist,部,经理,,333", "E2,乙,sales_specialist,部,经理,,"],
        extra=",target.ss_visits",
    )
    result = kpibook.generate(roster, period, tmp_path / "out")
    assert len(result.written) == 2
    by_id = {p.name.split("_")[0]: p for p in result.written}
    first = target_cells(by_id["E1"], bundled_spec_path(), "sales_specialist")
    second = target_cells(by_id["E2"], bundled_spec_path(), "sales_specialist")
    for cells in (first, second):
        assert cells["ss_revenue"] == revenue  # 1,200,000 a quarter
        assert cells["ss_new_customers"] == customers  # 6 a quarter
        assert cells["ss_collection_rate"] == 0.95  # a rate: the same every period
        assert cells["ss_repeat_rate"] == 0.3
    assert first["ss_visits"] == 333  # the roster's own target for the period, not scaled
    sheet = openpyxl.load_workbook(by_id["E2"])[INSTRUCTIONS]
    words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert f"actual ÷ target ({revenue:,.10g} CNY)" in words, "the rule in words names the period's target"
    assert "1,200,000" not in words
    assert second["ss_visits"] == round(120 * (4 if period == "2026" else 1 / 3), 2)


def spec_without_kinds() -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    assert "target_period" not in text
    return text


@pytest.mark.parametrize("period", ["2026", "2026-11", "2026H1"])
def test_a_target_of_unknown_kind_is_refused_for_a_period_other_than_a_quarter(tmp_path: Path, period: str) -> None:
    spec_path = tmp_path / "roles.toml"
    spec_path.write_text(spec_without_kinds(), encoding="utf-8")
    spec = load_spec(spec_path)
    role = spec.roles[0]
    roster = write_roster(tmp_path / "roster.csv", [f"E1,甲,{role.id},部,经理,", f"E2,乙,{role.id},部,经理,"])
    out = tmp_path / "out"
    with pytest.raises(KpibookError) as caught:
        kpibook.generate(roster, period, out, spec=spec_path)
    message = str(caught.value)
    for kpi in role.kpis:
        assert f"KPI {kpi.id} has no target for {period}" in message
        assert f"target.{kpi.id}" in message
    assert "target_period" in message and "2 person(s)" in message
    assert not out.exists() or not any(out.rglob("*.xlsx")), "nothing is written"
    cli = subprocess.run(
        [sys.executable, "-m", "kpibook", "generate", "--roster", str(roster), "--period", period, "--out", str(out)]
        + ["--spec", str(spec_path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert cli.returncode == 2, cli.stderr
    assert f"has no target for {period}" in cli.stderr and "Traceback" not in cli.stderr


def test_a_quarter_keeps_the_old_reading_and_roster_targets_make_a_year_possible(tmp_path: Path) -> None:
    spec_path = tmp_path / "roles.toml"
    spec_path.write_text(spec_without_kinds(), encoding="utf-8")
    role = load_spec(spec_path).roles[0]
    plain = write_roster(tmp_path / "plain.csv", [f"E1,甲,{role.id},部,经理,"])
    quarter = kpibook.generate(plain, "2026Q4", tmp_path / "q", spec=spec_path)
    assert target_cells(quarter.written[0], spec_path, role.id) == {k.id: k.target for k in role.kpis}
    columns = "".join(f",target.{k.id}" for k in role.kpis)
    own = {k.id: k.target for k in role.kpis}  # every person's own target for the year...
    first = role.kpis[0]
    own[first.id] = min(first.max, first.target * 4)  # ...one of them a year's amount
    row = f"E1,甲,{role.id},部,经理," + "".join(f",{own[k.id]!r}" for k in role.kpis)
    year_roster = write_roster(tmp_path / "year.csv", [row], extra=columns)
    year = kpibook.generate(year_roster, "2026", tmp_path / "y", spec=spec_path)
    assert target_cells(year.written[0], spec_path, role.id) == own


def test_target_period_is_checked_in_the_spec() -> None:
    text = spec_without_kinds().replace("target = ", 'target_period = "weekly"\ntarget = ', 1)
    with pytest.raises(KpibookError) as caught:
        parse_spec(text)
    assert "'weekly' is not a target period" in str(caught.value)
    assert ".target_period (line " in str(caught.value)


def test_a_year_target_is_divided_for_a_quarter() -> None:
    text = spec_without_kinds().replace("target = ", 'target_period = "year"\ntarget = ', 1)
    kpi = next(k for k in parse_spec(text).roles[0].kpis if k.target_period == "year")
    assert default_target(kpi, parse_period("2026Q1")) == round(kpi.target / 4, 2)
    assert default_target(kpi, parse_period("2026")) == kpi.target
    assert default_target(kpi, parse_period("2026-03")) == round(kpi.target / 12, 2)


@pytest.mark.libreoffice
def test_a_year_workbook_scores_against_the_years_target_in_libreoffice(tmp_path: Path) -> None:
    """Filled as a manager would (cache values off), recalculated by LibreOffice: a year's revenue
    of 4,800,000 meets the year's target (100 points), not 400% of the quarter's (capped at 120)."""
    from kpibook.fill import fill_workbook
    from kpibook.read import read_workbook
    from kpibook.scoring import score_role
    from tests.lo import cached_values, recalculate

    spec = load_spec(bundled_spec_path())
    role = spec.role("sales_specialist")
    roster = write_roster(tmp_path / "roster.csv", ["E1,甲,sales_specialist,部,经理,"])
    (blank,) = kpibook.generate(roster, "2026", tmp_path / "out").written
    actuals: dict[str, object] = {k.id: "N/A" if k.allow_na else k.target for k in role.kpis}
    actuals["ss_revenue"] = 4_800_000
    actuals["ss_new_customers"] = 12  # half the year's 24
    filled = fill_workbook(blank, tmp_path / "filled" / blank.name, spec, actuals, cache_values=False)
    (recalculated,) = recalculate([filled], tmp_path / "lo")
    values = cached_values(recalculated, SCORECARD)
    layout = RoleLayout(role, spec.grades)
    assert values[layout.kpi_cell("ss_revenue", "score")] == 100
    assert values[layout.kpi_cell("ss_new_customers", "score")] == 50
    targets = {k: float(v) for k, v in json.loads(read_workbook(blank).metadata["targets"]).items()}
    expected = score_role(role, spec.grades, actuals, targets)
    assert values[layout.total_cell] == expected.total
