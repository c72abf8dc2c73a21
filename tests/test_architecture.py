"""The import graph of `kpibook/`: no cycles, and every import runs down the layer order.

    core      -> knows nothing about files: the spec, the scoring rules, periods, messages
    workbook  -> builds, reads and writes files: layout, OOXML, roster, manifest, outputs
    verify    -> what a workbook should be, and the checks against it (audit)
    cycle     -> the commands of the appraisal cycle (generate, consolidate, summary, ...)
    edges     -> cli, xlwings, the package's public surface

A module may import modules of its own layer or of the layers above it in this list, never of
a later one. Every import counts: module level, inside functions, and under TYPE_CHECKING.
A new module must be given its layer in LAYERS below; the test fails until it is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.common import ROOT

PACKAGE = ROOT / "kpibook"

LAYER_ORDER = ("core", "workbook", "verify", "cycle", "edges")

# Module (or package prefix ending in ".") -> layer. Longest match wins.
LAYERS: dict[str, str] = {
    "kpibook.version": "core",
    "kpibook.errors": "core",
    "kpibook.resources": "core",
    "kpibook.messages": "core",
    "kpibook.catalogue": "core",
    "kpibook.catalogue.": "core",
    "kpibook.period": "core",
    "kpibook.formula_text": "core",
    "kpibook.numbers": "core",
    "kpibook.methods": "core",
    "kpibook.scoring": "core",
    "kpibook.toml_reader": "core",
    "kpibook.spec": "core",
    "kpibook.spec_reader": "core",
    "kpibook.guideline": "core",
    "kpibook.targets": "core",
    "kpibook.year_rules": "core",
    "kpibook.year_model": "core",
    "kpibook.templating": "core",
    "kpibook.kpi_text": "core",
    "kpibook.svg": "core",
    "kpibook.layout": "workbook",
    "kpibook.print_setup": "workbook",
    "kpibook.ooxml": "workbook",
    "kpibook.as_excel": "workbook",
    "kpibook.xlsx_package": "workbook",
    "kpibook.fingerprint": "workbook",
    "kpibook.signing": "workbook",
    "kpibook.outputs": "workbook",
    "kpibook.manifest": "workbook",
    "kpibook.roster": "workbook",
    "kpibook.roster_table": "workbook",
    "kpibook.build": "workbook",
    "kpibook.read": "workbook",
    "kpibook.sheet_cells": "workbook",
    "kpibook.shared_parts": "workbook",
    "kpibook.fill": "workbook",
    "kpibook.discover": "workbook",
    "kpibook.pool": "workbook",
    "kpibook.year_book": "workbook",
    "kpibook.year_sheets": "workbook",
    "kpibook.year_export": "workbook",
    "kpibook.year_roster": "workbook",
    "kpibook.calibration_book": "workbook",
    "kpibook.calibration_sheets": "workbook",
    "kpibook.calibration_cache": "workbook",
    "kpibook.calibration_fill": "workbook",
    "kpibook.calibration_audit": "verify",
    "kpibook.engines": "verify",
    "kpibook.audit": "verify",
    "kpibook.audit.": "verify",
    "kpibook.year_audit": "verify",
    "kpibook.records": "cycle",
    "kpibook.summary": "cycle",
    "kpibook.summary_print": "cycle",
    "kpibook.summary_kpis": "cycle",
    "kpibook.summary_meta": "cycle",
    "kpibook.summary_read": "cycle",
    "kpibook.generate": "cycle",
    "kpibook.reconcile": "cycle",
    "kpibook.status": "cycle",
    "kpibook.reminders": "cycle",
    "kpibook.progress": "cycle",
    "kpibook.signoff": "cycle",
    "kpibook.cycle_checks": "cycle",
    "kpibook.consolidate": "cycle",
    "kpibook.demo": "cycle",
    "kpibook.annual": "cycle",
    "kpibook.demo_year": "cycle",
    "kpibook.report": "cycle",
    "kpibook.calibrate": "cycle",
    "kpibook.calibration_apply": "cycle",
    "kpibook": "edges",
    "kpibook.__main__": "edges",
    "kpibook.cli": "edges",
    "kpibook.cli_usage": "edges",
    "kpibook.xl": "edges",
    "kpibook.xl.": "edges",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """Every kpibook module that `name` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "kpibook")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] != "kpibook":
                continue
            # `from kpibook import scoring` imports the module kpibook.scoring, not the package.
            subs = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
            found.update(subs or {base})
            if len(subs) < len(node.names):
                found.add(base)
    return {m for m in found if m in modules and m != name}


def layer_of(name: str) -> str | None:
    best = None
    for key, layer in LAYERS.items():
        hit = name == key or (key.endswith(".") and name.startswith(key))
        if hit and (best is None or len(key) > len(best[0])):
            best = (key, layer)
    return best[1] if best else None


def graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in graph() if layer_of(m) is None]
    assert not unplaced, f"give these modules a layer in tests/test_architecture.py LAYERS: {unplaced}"


def test_imports_follow_the_layer_order() -> None:
    wrong = []
    for name, deps in graph().items():
        mine = layer_of(name)
        if mine is None:
            continue
        for dep in sorted(deps):
            theirs = layer_of(dep)
            if theirs is None or name.startswith(dep + "."):
                continue  # a package's own __init__ runs before its submodules: not a dependency
            if LAYER_ORDER.index(theirs) > LAYER_ORDER.index(mine):
                wrong.append(f"{name} ({mine}) imports {dep} ({theirs})")
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    edges = {n: {d for d in deps if not n.startswith(d + ".")} for n, deps in graph().items()}
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_cycle_finder_finds_what_is_there(edges: dict[str, set[str]], expected: list[str] | None) -> None:
    assert find_cycle(edges) == expected


def test_layer_of_prefers_the_longest_match() -> None:
    assert layer_of("kpibook.audit.codes") == "verify"
    assert layer_of("kpibook.xl.core") == "edges"
    assert layer_of("kpibook") == "edges"
    assert layer_of("kpibook.nonexistent") is None


def test_nothing_in_the_repository_points_outside_it() -> None:
    """The contract lives in docs/contract.md; no text file refers to ../shared or other parents."""
    texts = [ROOT / "README.md", *ROOT.glob("docs/*.md"), *PACKAGE.rglob("*.py"), *ROOT.glob("templates/*")]
    outside = [str(p.relative_to(ROOT)) for p in texts if "../shared" in p.read_text(encoding="utf-8")]
    assert not outside, f"these files point outside the repository: {outside}"


def test_the_audit_takes_what_a_workbook_holds_from_the_layout() -> None:
    """The audit compares with the role's layout, never with the builder's or the demo filler's
    own code: what a workbook should contain has one home (kpibook.layout)."""
    reaching = {
        (name, dep)
        for name, deps in graph().items()
        if name == "kpibook.audit" or name.startswith("kpibook.audit.")
        for dep in deps
        if dep in ("kpibook.build", "kpibook.fill")
    }
    assert not reaching, f"the audit imports the builder or the filler: {sorted(reaching)}"
    assert "kpibook.layout" in graph()["kpibook.audit.expected"]


MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_stay_short() -> None:
    """No module of kpibook/ over 700 lines, no function over 80: a newcomer can read either whole."""
    too_long = []
    for name, path in all_modules().items():
        text = path.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > MAX_MODULE_LINES:
            too_long.append(f"module {name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"function {name}.{node.name}: {length} lines")
    assert not too_long, "split these:\n" + "\n".join(too_long)
