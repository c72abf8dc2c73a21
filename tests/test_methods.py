"""One home per scoring method: every method is complete, and no module outside
kpibook/methods.py branches on a method's name (they ask the method object instead)."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from kpibook import scoring
from kpibook.messages import CATALOGUE
from kpibook.methods import LIST, METHODS, NUMBER, RuleParams

PACKAGE = Path(__file__).resolve().parents[1] / "kpibook"
HOME = PACKAGE / "methods.py"


def _method_names_in(node: ast.AST) -> set[str]:
    """Method names written as string constants in `node` (a constant, or a tuple/list/set of them)."""
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return {i.value for i in items if isinstance(i, ast.Constant) and i.value in METHODS}


def branches_on_method_names(path: Path) -> list[str]:
    """`x == "rating"`, `name in ("bands", "rating")`, `case "linear":` in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                found += [f"{path.name}:{node.lineno} {name}" for name in _method_names_in(operand)]
        elif isinstance(node, ast.MatchValue):
            found += [f"{path.name}:{node.lineno} {name}" for name in _method_names_in(node.value)]
    return found


def test_no_module_outside_the_method_home_branches_on_method_names() -> None:
    modules = [p for p in sorted(PACKAGE.rglob("*.py")) if p != HOME]
    assert len(modules) > 20
    found = [hit for path in modules for hit in branches_on_method_names(path)]
    assert found == [], f"ask the method object (kpibook.methods) instead: {found}"


def test_the_grep_test_does_catch_a_branch(tmp_path: Path) -> None:
    """The test above can fail: a module that branches on a name is found."""
    module = tmp_path / "bad.py"
    module.write_text('def f(kpi):\n    return kpi.method == "rating" or kpi.method in ("bands", "x")\n')
    assert branches_on_method_names(module) == ["bad.py:2 rating", "bad.py:2 bands"]


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_is_complete(name: str) -> None:
    method = METHODS[name]
    assert method.name == name
    assert method.input_kind in (NUMBER, LIST)
    for key in method.required:
        assert f"spec.needs_{key}" in CATALOGUE, f"{name}: no message for its missing {key}"
    if method.input_kind == LIST:
        assert method.has_bands and method.sample is not None, "a list input picks from the band starts"
    rule = RuleParams(name, 10.0, param=5.0 if method.param_key else 0.0, bands=((0.0, 0.0), (5.0, 100.0)))
    assert isinstance(method.describe(rule, "10"), str) and " / " in method.describe(rule, "10")
    for code, _fields in method.check_target(0.0, 0.0, method.direction or 1):
        assert code in CATALOGUE


def test_codes_are_distinct_and_the_score_formula_holds_every_branch() -> None:
    codes = sorted(m.code for m in METHODS.values())
    assert codes == list(range(1, len(METHODS) + 1))
    refs = {k: k.upper() for k in ("a", "t", "p", "d", "floor", "cap", "from1", "froms", "points", "na", "code")}
    formula = scoring.kpi_score_formula(refs)
    assert formula.count("IF(A<=0,CAP,T/A*100)") == 1
    assert f"CHOOSE(CODE,{METHODS['ratio'].excel.format(**refs)}," in formula


def test_a_seventh_method_registered_in_one_place_is_picked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering a method in METHODS alone: the score formula gets its branch, the Python
    computes it, the spec accepts it and its target check speaks, the demo filler uses it."""
    from dataclasses import replace

    from kpibook import fill, spec

    half = replace(
        METHODS["ratio"],
        name="half_ratio",
        code=len(METHODS) + 1,
        python=lambda a, r: a / r.target * 50,
        excel="{a}/{t}*50",
        direction=None,
    )
    monkeypatch.setitem(METHODS, "half_ratio", half)
    monkeypatch.setitem(scoring.METHOD_BY_CODE, half.code, half)
    refs = {k: k.upper() for k in ("a", "t", "p", "d", "floor", "cap", "from1", "froms", "points", "na", "code")}
    assert scoring.kpi_score_formula(refs).count("A/T*50") == 1
    assert scoring.kpi_score(RuleParams("half_ratio", 10.0), 8.0) == 40.0
    text = (Path(__file__).parent / "specs" / "valid_minimal.toml").read_text(encoding="utf-8")
    first_ratio = text.index('method = "ratio"')
    changed = text[:first_ratio] + 'method = "half_ratio"' + text[first_ratio + len('method = "ratio"') :]
    kpi = next(k for k in spec.parse_spec(changed).roles[0].kpis if k.method == "half_ratio")
    assert spec.target_problems(kpi, 0.0), "the method's target check applies to roster targets"
    assert isinstance(fill.manager_actual(kpi, random.Random(1)), float)
