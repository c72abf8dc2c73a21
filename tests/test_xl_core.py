"""The bodies of the KPIBOOK_* worksheet functions, called with arguments shaped as Excel
passes them (scalars, 1x1 lists, rows, columns, 2-D ranges, blanks, text, error values in
each runtime's form). On Linux the xlwings decorators change nothing, so kpibook.xl.udfs's
functions are called directly: what Excel would call."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest

from kpibook import scoring
from kpibook.fill import fill_workbook, manager_actuals
from kpibook.generate import generate
from kpibook.layout import COLUMNS, RoleLayout
from kpibook.spec import load_spec
from kpibook.xl import core
from kpibook.xl.udfs import (
    FUNCTIONS,
    KPIBOOK_CHECK,
    KPIBOOK_GRADE,
    KPIBOOK_KPI_SCORE,
    KPIBOOK_RULE,
    KPIBOOK_SCORE,
    KPIBOOK_TOTAL,
)
from tests.common import ROOT, bundled_spec

SPEC = bundled_spec()
BANDS_FROM = [[0.8, 0.9, 1.0, 1.1, 1.1, 1.1]]  # as the workbook pads W:AB
BANDS_POINTS = [[60, 80, 100, 110, 110, 110]]


def is_error_text(value: object) -> bool:
    return isinstance(value, str) and value.startswith("#KPIBOOK! ") and "Traceback" not in value


# -- one cell in every shape Excel hands it over --------------------------------------------


@pytest.mark.parametrize("shape", [lambda v: v, lambda v: [[v]], lambda v: [v], lambda v: (v,)])
def test_a_cell_in_any_shape_scores_the_same(shape):
    assert KPIBOOK_SCORE(shape(4_500_000.0), shape(5_000_000), shape("ratio")) == 90.0
    assert KPIBOOK_SCORE(shape(4_500_000), shape(5_000_000.0), shape(1.0)) == 90.0  # Office.js ints, method code


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (None, ""),  # a blank cell (classic xlwings, Office.js null)
        ("", ""),  # a blank cell as Office.js values send it
        ([[None]], ""),
        ("abc", "invalid"),  # text is not a number: the workbook shows "invalid"
        (" ", "invalid"),  # a space is text, not blank, for Excel too
        (True, "invalid"),  # ISNUMBER(TRUE) is FALSE
        ("N/A", "invalid"),  # N/A only where the KPI allows it
        ("#DIV/0!", "#DIV/0!"),  # an error as text (xlwings err_to_str): it propagates
        ({"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}, "#N/A"),  # an Office.js error object
        ([[{"type": "Error", "basicValue": "#REF!"}]], "#REF!"),
    ],
)
def test_blanks_text_and_errors_as_the_workbook_shows_them(actual, expected):
    assert KPIBOOK_SCORE(actual, 100, "ratio") == expected


@pytest.mark.parametrize("allow", [1, 1.0, True, "TRUE", "yes", [[1]]])
def test_na_where_allowed_in_any_spelling(allow):
    assert KPIBOOK_SCORE("N/A", 0.9, "ratio", allow_na=allow) == "N/A"
    assert KPIBOOK_SCORE("n/a", 0.9, "ratio", allow_na=allow) == "N/A"  # Excel's = ignores case


@pytest.mark.parametrize("allow", [0, False, None, "no"])
def test_na_where_not_allowed_is_invalid(allow):
    assert KPIBOOK_SCORE("N/A", 0.9, "ratio", allow_na=allow) == "invalid"


def test_a_date_cell_counts_as_its_serial_number():
    serial = 45_000.0  # 2023-03-15 in Excel's 1900 date system
    date = dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
    assert KPIBOOK_SCORE(date, serial, "ratio") == 100.0
    assert KPIBOOK_SCORE(date.date(), serial, "ratio") == 100.0


# -- every method, by name and by code, against the scoring core -----------------------------


@pytest.mark.parametrize(
    ("method", "actual", "target", "options", "expected"),
    [
        ("ratio", 4_500_000, 5_000_000, {}, 90.0),
        ("ratio", 7_000_000, 5_000_000, {}, 120.0),  # the cap
        ("inverse_ratio", 45, 30, {"direction": -1}, 66.67),
        ("inverse_ratio", 0, 30, {"direction": "lower"}, 120.0),  # 0 or less earns the cap
        ("linear", 3.75, 4.5, {"param": 3.0}, 50.0),
        ("linear", 2.0, 4.5, {"param": 3.0}, 0.0),  # the floor
        ("threshold", 3, 2, {"param": 25, "direction": -1}, 75.0),
        ("threshold", 1, 2, {"param": 25, "direction": -1}, 100.0),
        ("bands", 0.95, 1.0, {"bands_from": BANDS_FROM, "bands_points": BANDS_POINTS}, 80.0),
        ("bands", 0.5, 1.0, {"bands_from": BANDS_FROM, "bands_points": BANDS_POINTS, "floor": 10}, 10.0),
        ("rating", 4, 4, {"bands_from": [1, 2, 3, 4, 5], "bands_points": [[0], [60], [80], [100], [120]]}, 100.0),
    ],
)
def test_each_method_matches_the_scoring_core(method, actual, target, options, expected):
    by_name = KPIBOOK_SCORE(actual, target, method, *_positional(options))
    by_code = KPIBOOK_SCORE(actual, target, scoring.METHODS[method].code, *_positional(options))
    assert by_name == by_code == expected
    bands = options.get("bands_from")
    rule = scoring.RuleParams(
        method,
        float(target),
        float(options.get("param", 0)),
        core.direction_of(options.get("direction")),
        float(options.get("floor", 0)),
        120.0,
        False,
        core.bands_of(bands, options["bands_points"]) if bands else (),
    )
    assert scoring.kpi_score(rule, float(actual)) == expected


def _positional(options: dict) -> list:
    names = ["param", "direction", "floor", "cap", "allow_na", "bands_from", "bands_points"]
    return [options.get(n) for n in names]


def test_bands_in_a_column_with_unused_trailing_slots():
    column_from = [[0.8], [0.9], [1.0], [None], [None], [None]]
    column_points = [[60], [80], [100], [None], [None], [None]]
    assert KPIBOOK_SCORE(0.95, 1, "bands", bands_from=column_from, bands_points=column_points) == 80.0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((1, 1, "foo"), "unknown method 'foo'"),
        ((1, 1, 9), "unknown method '9'"),
        ((1, None, "ratio"), "target is blank"),
        ((1, "abc", "ratio"), "target 'abc' is not a number"),
        ((1, "#N/A", "ratio"), "target is the error #N/A"),
        (([[1, 2]], 1, "ratio"), "actual must be one cell"),
        ((1, 1, "ratio", None, 2), "direction 2.0 must be 1 or -1"),
        ((1, 1, "ratio", None, None, 50, 10), "floor 50 is above cap 10"),
        ((1, 1, "ratio", None, None, None, None, "maybe"), "allow_na 'maybe' must be 1 or 0"),
        ((1, 1, "bands"), "need bands_from and bands_points"),
        ((1, 1, "bands", None, None, None, None, None, [1, 2], [5]), "bands_from has 2 values but bands_points has 1"),
        ((1, 1, "bands", None, None, None, None, None, [2, 1], [5, 6]), "must ascend"),
        ((1, 1, "bands", None, None, None, None, None, [[1, 2], [3, 4]], [[1, 2], [3, 4]]), "one row or one column"),
    ],
)
def test_mistakes_come_back_as_readable_text(args, words):
    result = KPIBOOK_SCORE(*args)
    assert is_error_text(result), result
    assert words in result


def test_numeric_text_parameters_read_as_numbers():
    assert KPIBOOK_SCORE(0.9, "90%", " Ratio ") == 100.0
    assert KPIBOOK_SCORE(900, "1,000", "ratio") == 90.0


def test_a_bug_still_comes_back_as_text_not_a_traceback():
    result = core.excel_result(lambda: 1 / 0)
    assert is_error_text(result) and "ZeroDivisionError" in result


def test_a_division_by_zero_in_the_rule_is_excels_error():
    assert KPIBOOK_SCORE(5, 0, "ratio") == "#DIV/0!"
    assert KPIBOOK_SCORE(5, 3, "linear", 3) == "#DIV/0!"


# -- by KPI id, totals and grades under the spec -------------------------------------------


def test_kpi_score_by_id_uses_the_specs_rule_and_target():
    for role in SPEC.roles:
        for kpi in role.kpis:
            actual = kpi.bands[-1].start if kpi.bands else kpi.target * 0.9
            expected = scoring.kpi_score(scoring.rule_of(kpi), actual)
            assert KPIBOOK_KPI_SCORE(kpi.id, actual) == core.to_excel(expected)
            assert KPIBOOK_KPI_SCORE([[kpi.id]], [[actual]], [[None]]) == core.to_excel(expected)
    assert KPIBOOK_KPI_SCORE("sm_revenue", 4_500_000, 4_500_000) == 100.0
    result = KPIBOOK_KPI_SCORE("no_such_kpi", 1)
    assert is_error_text(result) and "'no_such_kpi' is not in the spec" in result


@pytest.fixture(scope="module")
def role_cases() -> list[tuple]:
    rng = random.Random(6)
    cases = []
    for role in SPEC.roles:
        for blank_rate in (0.0, 0.0, 0.3):
            actuals = manager_actuals(role, rng, na_rate=0.3, blank_rate=blank_rate)
            targets = {k.id: k.target * rng.choice((0.8, 1.0, 1.25)) for k in role.kpis if not k.bands}
            cases.append((role, actuals, targets, scoring.score_role(role, SPEC.grades, actuals, targets)))
    return cases


def test_total_from_a_column_a_row_or_a_table(role_cases):
    for role, actuals, targets, expected in role_cases:
        column = [[actuals.get(k.id)] for k in role.kpis]
        target_column = [[targets.get(k.id)] for k in role.kpis]
        row = [actuals.get(k.id) for k in role.kpis]
        table = [[k.id, actuals.get(k.id), targets.get(k.id)] for k in reversed(role.kpis)]  # any order
        total = core.to_excel(expected.total)
        assert KPIBOOK_TOTAL(role.id, column, target_column) == total
        assert KPIBOOK_TOTAL([[role.id]], row, [list(targets.get(k.id) for k in role.kpis)]) == total
        assert KPIBOOK_TOTAL(role.id, table) == total
        assert KPIBOOK_GRADE(KPIBOOK_TOTAL(role.id, table)) == core.to_excel(expected.grade)
    assert any(r[3].total == "" for r in role_cases) and any(isinstance(r[3].total, float) for r in role_cases)


def test_total_mistakes_name_what_to_do():
    assert "has 10 KPIs but 2 actuals" in KPIBOOK_TOTAL("sales_manager", [[1], [2]])
    assert "'nobody' is not in the spec" in KPIBOOK_TOTAL("nobody", [[1]])
    assert "is not a KPI of role 'sales_manager'" in KPIBOOK_TOTAL("sales_manager", [["ss_revenue", 1], ["x", 2]])
    assert "not both" in KPIBOOK_TOTAL("sales_manager", [["sm_revenue", 1], ["sm_profit_margin", 2]], [[1]])


def test_grade_boundaries_follow_the_scale():
    for g in SPEC.grades:
        assert KPIBOOK_GRADE(g.min) == g.grade
        assert KPIBOOK_GRADE([[g.min + 0.5]]) == g.grade
    assert KPIBOOK_GRADE(None) == "" and KPIBOOK_GRADE("") == "" and KPIBOOK_GRADE([[None]]) == ""
    assert KPIBOOK_GRADE("#VALUE!") == "#VALUE!"
    assert "is below the grade scale" in KPIBOOK_GRADE(-1)
    assert "'abc' is not a number" in KPIBOOK_GRADE("abc")


def test_rule_in_words():
    assert "actual ÷ target" in KPIBOOK_RULE("sm_revenue")
    assert is_error_text(KPIBOOK_RULE(None))


def test_the_spec_comes_from_kpibook_spec(monkeypatch):
    minimal = ROOT / "tests" / "specs" / "valid_minimal.toml"
    monkeypatch.setenv(core.SPEC_ENV, str(minimal))
    spec = load_spec(minimal)
    kpi = spec.roles[0].kpis[0]
    assert core.active_spec().source == str(minimal)
    assert not is_error_text(KPIBOOK_KPI_SCORE(kpi.id, kpi.target))
    monkeypatch.setenv(core.SPEC_ENV, str(ROOT / "no-such-roles.toml"))
    result = KPIBOOK_GRADE(90)
    assert is_error_text(result) and "no-such-roles.toml" in result and "file not found" in result


def test_every_function_answers_with_text_not_an_exception():
    for function in FUNCTIONS:
        result = function(*([[["x", object()]]] * function.__code__.co_argcount))
        assert is_error_text(result), (function.__name__, result)


# -- the whole scorecard ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> list[Path]:
    """One filled workbook per role, with the values Excel stores when it saves (fill's cache)."""
    root = tmp_path_factory.mktemp("xl_core")
    result = generate(ROOT / "samples" / "roster.csv", "2026Q4", root / "blank", spec=SPEC)
    rng = random.Random(7)
    seen: dict[str, Path] = {}
    for path in result.written:
        role_id = openpyxl.load_workbook(path, read_only=True)["Scorecard"]["O2"].value
        if role_id not in seen:
            role = SPEC.role(role_id)
            seen[role_id] = fill_workbook(path, root / "filled" / path.name, SPEC, manager_actuals(role, rng))
    return list(seen.values())


def scorecard(path: Path) -> list[list]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return [list(r) for r in wb["Scorecard"].iter_rows(max_col=36, values_only=True)]


def test_check_is_ok_when_excels_values_are_the_recomputation(filled):
    assert len(filled) == 4
    for path in filled:
        assert KPIBOOK_CHECK(scorecard(path)) == "OK", path


def test_check_lists_each_cell_where_excel_differs(filled):
    values = scorecard(filled[0])
    layout = RoleLayout(SPEC.role(values[1][14]), SPEC.grades)
    row = layout.kpi_rows[layout.role.kpis[0].id]
    score_col = ord(COLUMNS["score"]) - 65
    values[row - 1][score_col] = 1.0  # Excel shows another score than the rule gives
    result = KPIBOOK_CHECK(values)
    assert result[0] == core.CHECK_HEADER
    assert [f"I{row}", layout.role.kpis[0].id, 1.0] == result[1][:3]
    assert len(result) == 2


def test_check_needs_the_sheet_from_a1(filled):
    values = scorecard(filled[0])
    shifted = [r[1:] for r in values]
    assert "not a role id" in KPIBOOK_CHECK(shifted)
    assert "needs rows 1 to" in KPIBOOK_CHECK(values[:10])
    other = [list(r) for r in values]
    other[7][14] = "not_this_kpi"
    assert "made from another spec" in KPIBOOK_CHECK(other)
