"""The role spec: the bundled roles.toml is valid and complete; every broken spec is refused
with exit 2, one clear message naming the TOML key, and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpibook.cli import main
from kpibook.errors import SpecError
from kpibook.resources import bundled_spec_path
from kpibook.scoring import METHODS
from kpibook.spec import load_spec, parse_number, parse_spec
from tests.common import ROOT

SPECS = Path(__file__).resolve().parent / "specs"
BROKEN = SPECS / "broken"

# broken spec -> text its error message must contain (the TOML key path, or what is wrong with the file)
EXPECTED = {
    "allow_na_flag_text.toml": "roles.tester.dimensions.results.kpis[1].allow_na (line 60)",
    "bands_not_ascending.toml": "roles.tester.dimensions.process.kpis[1].bands (line 112)",
    "cap_below_floor.toml": "roles.tester.dimensions.results.kpis[0].cap (line 47)",
    "dimension_weights.toml": "roles.tester.dimensions[*].weight",
    "duplicate_kpi_id.toml": "kpis[0].id (line 86): KPI id 't_revenue' is used twice",
    "grades_gap.toml": "grades: gap between 'C' (max 75) and 'B' (min 80)",
    "grades_overlap.toml": "grades: 'C' (max 85) overlaps 'B' (min 80)",
    "invalid_kpi_id.toml": "roles.tester.dimensions.results.kpis[0].id (line 36): 'Revenue-1' is not a valid id",
    "invalid_toml.toml": "is not valid TOML",
    "inverse_ratio_higher.toml": "roles.tester.dimensions.results.kpis[1].direction (line 54)",
    "kpi_weights.toml": "roles.tester.dimensions.results.kpis[*].weight",
    "linear_zero_equals_target.toml": "roles.tester.dimensions.results.kpis[2].target (line 72)",
    "missing_department.toml": "department: is missing",
    "missing_target.toml": "roles.tester.dimensions.results.kpis[0].target (line 36): is missing",
    "not_utf8_gbk.toml": "is not UTF-8",
    "ratio_target_zero.toml": "roles.tester.dimensions.results.kpis[0].target (line 42)",
    "threshold_without_penalty.toml": "roles.tester.dimensions.process.kpis[0].penalty (line 86)",
    "unknown_method.toml": "roles.tester.dimensions.results.kpis[0].method (line 41)",
    "unknown_unit.toml": "roles.tester.dimensions.results.kpis[0].unit (line 39)",
    "weight_wrong_type.toml": "roles.tester.dimensions.results.weight (line 33)",
}


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m kpibook ARGS` under the C locale with UTF-8 mode off: stdout starts as ASCII."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_CTYPE")}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0")
    return subprocess.run(
        [sys.executable, "-m", "kpibook", *args],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        cwd=cwd,
        env=env,
        timeout=60,
    )


# -- the bundled spec ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_spec(bundled_spec_path())


def test_bundled_spec_has_four_roles_and_36_kpis(bundled) -> None:
    assert [r.id for r in bundled.roles] == [
        "sales_manager",
        "sales_specialist",
        "marketing_specialist",
        "sales_support",
    ]
    assert bundled.kpi_count == 36
    assert [len(r.kpis) for r in bundled.roles] == [10, 10, 8, 8]


def test_bundled_weights_add_up_to_100(bundled) -> None:
    for role in bundled.roles:
        assert sum(d.weight for d in role.dimensions) == 100, role.id
        for dimension in role.dimensions:
            assert sum(k.weight for k in dimension.kpis) == 100, (role.id, dimension.id)


def test_bundled_spec_uses_every_method(bundled) -> None:
    assert {k.method for r in bundled.roles for k in r.kpis} == set(METHODS)


def test_bundled_roles_have_five_bilingual_duties_and_labels(bundled) -> None:
    for role in bundled.roles:
        assert len(role.duties) == 5, role.id
        assert all(d.zh and d.en for d in role.duties)
        for kpi in role.kpis:
            assert kpi.name_zh and kpi.name_en and kpi.source_zh and kpi.source_en, kpi.id


def test_minimal_valid_spec_loads() -> None:
    spec = load_spec(SPECS / "valid_minimal.toml")
    assert spec.kpi_count == 6
    assert {k.method for k in spec.roles[0].kpis} == set(METHODS)


# -- the command --------------------------------------------------------------------------


def test_spec_check_cli_lists_the_bundled_spec() -> None:
    result = run_cli("spec", "check", str(bundled_spec_path()))
    assert result.returncode == 0, result.stderr
    assert "4 roles, 36 KPIs" in result.stdout
    assert "市场销售部" in result.stdout  # Chinese survives the C locale
    assert "sm_revenue" in result.stdout and "ratio" in result.stdout
    assert result.stderr == ""


def test_spec_check_defaults_to_bundled_spec(tmp_path: Path) -> None:
    result = run_cli("spec", "check", cwd=tmp_path)  # no ./roles.toml here
    assert result.returncode == 0, result.stderr
    assert "36 KPIs" in result.stdout


def test_spec_check_prefers_local_roles_toml(tmp_path: Path) -> None:
    (tmp_path / "roles.toml").write_bytes((SPECS / "valid_minimal.toml").read_bytes())
    result = run_cli("spec", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 role, 6 KPIs" in result.stdout


def test_missing_spec_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("spec", "check", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert "nope.toml: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec"]) == 2
    assert main(["generate", "--period", "2026Q4"]) == 2  # --roster and --out missing
    assert main(["no-such-command"]) == 2
    assert main(["--version"]) == 0
    assert "kpibook 0.1.0" in capsys.readouterr().out


# -- broken specs -------------------------------------------------------------------------


def test_there_are_enough_broken_specs() -> None:
    files = sorted(p.name for p in BROKEN.glob("*.toml"))
    assert files == sorted(EXPECTED), "every broken spec needs its expected message in EXPECTED"
    assert len(files) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_spec_is_refused(name: str) -> None:
    result = run_cli("spec", "check", str(BROKEN / name))
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("kpibook: ")
    assert EXPECTED[name] in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_spec_raises_spec_error_in_the_library(name: str) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(BROKEN / name)
    assert EXPECTED[name] in str(caught.value)
    assert caught.value.exit_code == 2


def test_not_utf8_written_in_the_test(tmp_path: Path) -> None:
    """A spec saved as Latin-1 (é as one byte) is refused, naming the byte."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'format_version = 1\nspec_version = "caf\xe9"\n')
    result = run_cli("spec", "check", str(path))
    assert result.returncode == 2
    assert "is not UTF-8 text (byte" in result.stderr
    assert "Traceback" not in result.stderr


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (SPECS / "valid_minimal.toml").read_bytes())
    assert load_spec(path).kpi_count == 6


# -- numbers as a roster or a spec writes them ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (12, 12.0),
        (12.5, 12.5),
        ("12", 12.0),
        (" 1,200 ", 1200.0),
        ("1,234,567.89", 1234567.89),
        ("-3", -3.0),
        ("95%", 0.95),
        (" 95 % ", 0.95),
        ("0.5%", 0.005),
        ("1e3", 1000.0),
        ("33.3%", 0.333),
        ("12.5%", 0.125),
        ("1_000", 1000.0),
        (float("nan"), None),
        (float("inf"), None),
        (10**400, None),
        ("1e400", None),
        ("", None),
        ("   ", None),
        ("N/A", None),
        ("abc", None),
        ("%", None),
        ("nan", None),
        ("inf", None),
        ("-Infinity", None),
        (True, None),
        (False, None),
        (None, None),
        ([1], None),
    ],
)
def test_parse_number(text: object, number: float | None) -> None:
    assert parse_number(text) == number


def test_a_mistake_is_reported_once_not_again_by_the_checks_built_on_it() -> None:
    """A weight written as "sixty" and a missing target: two problems, not also "weights add up to
    40" or "target is 0": the checks that need those values are skipped."""
    from kpibook.errors import SpecError
    from kpibook.spec import load_spec

    with pytest.raises(SpecError) as error:
        load_spec(SPECS / "cascade_two_mistakes.toml")
    assert [p.where.split(": ")[-1].split(" ")[0] for p in error.value.problems] == [
        "roles.r.dimensions.x.kpis[0].target",
        "roles.r.dimensions.x.kpis[0].weight",
    ]


# -- spec check points at the right role's line -------------------------------------------


def _bundled_kpis() -> list[tuple[str, str, int, str]]:
    spec = load_spec(bundled_spec_path())
    return [(r.id, d.id, n, k.id) for r in spec.roles for d in r.dimensions for n, k in enumerate(d.kpis)]


@pytest.mark.parametrize("key", ["weight", "unit"])
@pytest.mark.parametrize(("role", "dimension", "position", "kpi"), _bundled_kpis())
def test_a_broken_kpi_key_is_reported_at_its_own_line_and_role(
    role: str, dimension: str, position: int, kpi: str, key: str
) -> None:
    """Dimension ids such as `results` repeat across roles: the line must be this role's."""
    lines = bundled_spec_path().read_text(encoding="utf-8").splitlines()
    start = lines.index(f'id = "{kpi}"')
    line = next(i for i in range(start, len(lines)) if lines[i].startswith(f"{key} ="))
    lines[line] = f'{key} = "sixty"' if key == "weight" else f'{key} = "RMB"'
    with pytest.raises(SpecError) as caught:
        parse_spec("\n".join(lines) + "\n", source="roles.toml")
    assert [p.where for p in caught.value.problems] == [
        f"roles.toml: roles.{role}.dimensions.{dimension}.kpis[{position}].{key} (line {line + 1})"
    ]


def test_a_duplicate_is_reported_at_the_duplicates_line() -> None:
    lines = bundled_spec_path().read_text(encoding="utf-8").splitlines()
    original, copy = lines.index('id = "ss_revenue"'), lines.index('id = "mk_exposure"')
    lines[copy] = 'id = "ss_revenue"'
    with pytest.raises(SpecError) as caught:
        parse_spec("\n".join(lines), source="roles.toml")
    (problem,) = [p for p in caught.value.problems if "used twice" in p.message]
    assert problem.where.endswith(f"kpis[0].id (line {copy + 1})")
    assert problem.where.startswith("roles.toml: roles.marketing_specialist.dimensions.")
    assert f"first at roles.sales_specialist.dimensions.results.kpis[0].id (line {original + 1})" in problem.message


def test_spec_messages_speak_chinese_too() -> None:
    from kpibook import messages

    text = (BROKEN / "kpi_weights.toml").read_text(encoding="utf-8")
    previous = messages._chosen
    try:
        messages.set_language("zh")
        with pytest.raises(SpecError) as caught:
            parse_spec(text, source="roles.toml")
    finally:
        messages._chosen = previous
    assert "角色规格中有 1 个问题" in str(caught.value)
    assert "roles.tester.dimensions.results.kpis[*].weight (第 30 行)：维度 'results':指标权重合计 90" in str(
        caught.value
    )


def test_a_band_written_over_several_lines_is_reported_at_its_own_line() -> None:
    lines = bundled_spec_path().read_text(encoding="utf-8").splitlines()
    start = lines.index('id = "sm_team_attainment"')
    band = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("{ from = 0.8,"))
    lines[band] = lines[band].replace("from = 0.8", 'from = "0.8x"')
    with pytest.raises(SpecError) as caught:
        parse_spec("\n".join(lines), source="roles.toml")
    wheres = [p.where for p in caught.value.problems]
    assert wheres[0] == f"roles.toml: roles.sales_manager.dimensions.team.kpis[0].bands[2].from (line {band + 1})"
