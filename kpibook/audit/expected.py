"""What the spec generates for a role: every formula, fixed value, validation rule and name a
returned workbook must still hold, prepared once per (spec content, role) from the role's
layout (kpibook.layout), the same definitions the builder writes and the demo filler fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kpibook.formula_text import normalize, split_cell
from kpibook.layout import COLUMNS, HEADER_FIELDS, ROLE_ID_CELL, RoleLayout, actual_rule
from kpibook.read import parse_name_ref
from kpibook.spec import Spec

REQUIRED_METADATA = (
    "format_version",
    "kpibook_version",
    "spec_sha256",
    "layout_sha256",
    "role_id",
    "employee_id",
    "period",
    "generated_at",
    "key_id",
    "targets",
    "fingerprint",
)
KNOWN_METADATA = frozenset(REQUIRED_METADATA) | {
    "spec_version",
    "employee_name",
    "department",
    "manager",
    "scorecard_sheet",
    "issue",  # the ledger's issue number (kpibook.manifest)
}
# metadata key -> the scorecard header cell that shows the same value
IDENTITY_CELLS = {
    "employee_id": HEADER_FIELDS["employee_id"][1],
    "employee_name": HEADER_FIELDS["employee_name"][1],
    "department": HEADER_FIELDS["department"][1],
    "manager": HEADER_FIELDS["manager"][1],
    "period": HEADER_FIELDS["period"][1],
    "spec_version": HEADER_FIELDS["spec_version"][1],
    "role_id": ROLE_ID_CELL[1],
}


@dataclass(frozen=True)
class ExpectedWorkbook:
    """What a role's workbook holds as the spec generates it, in the forms the checks compare."""

    layout: RoleLayout
    formulas: dict[str, str]  # cell -> normalized formula
    blocks: dict[str, tuple[str, ...]]  # cell -> the cells of its column block (blocks of 2+ cells)
    constants: dict[str, tuple[str, object, str]]  # cell -> (code, value, what) for weights and parameters
    target_cells: dict[str, str]  # KPI id -> target cell
    inputs: frozenset[str]
    validations: dict[str, dict[str, str]]  # actual cell -> expected validation
    names: dict[str, str]  # defined name -> A1 cell
    blank: dict[str, object]  # formula cell -> the blank workbook's value


_EXPECTED: dict[tuple[str, str], ExpectedWorkbook] = {}


def expected_workbook(spec: Spec, role_id: str) -> ExpectedWorkbook:
    """What the spec generates for a role; prepared once per (spec content, role)."""
    cache_key = (spec.sha256, role_id)
    if cache_key not in _EXPECTED:
        if len(_EXPECTED) > 64:
            _EXPECTED.clear()
        _EXPECTED[cache_key] = _prepare(spec, role_id)
    return _EXPECTED[cache_key]


def _prepare(spec: Spec, role_id: str) -> ExpectedWorkbook:
    layout = RoleLayout(spec.role(role_id), spec.grades)
    formulas = {cell: norm(text) for cell, text in layout.formulas.items()}
    blocks: dict[str, tuple[str, ...]] = {}
    for column_formula in layout.column_formulas():
        if column_formula.first_row != column_formula.last_row:
            cells = tuple(
                f"{column_formula.column}{r}" for r in range(column_formula.first_row, column_formula.last_row + 1)
            )
            for cell in cells:
                blocks[cell] = cells
    constants: dict[str, tuple[str, object, str]] = {}
    for row, kpi in layout.iter_kpis():
        constants[f"{COLUMNS['weight']}{row}"] = ("weight_changed", kpi.weight, f"weight of KPI {kpi.id}")
        for column, value in layout.parameter_values(kpi).items():
            constants[f"{column}{row}"] = ("parameter_changed", value, f"scoring parameter of KPI {kpi.id}")
    for dimension in layout.role.dimensions:
        row = layout.dimension_rows[dimension.id]
        constants[f"{COLUMNS['weight']}{row}"] = (
            "weight_changed",
            dimension.weight,
            f"weight of dimension {dimension.id}",
        )
        constants[f"{COLUMNS['dim_id']}{row}"] = ("parameter_changed", dimension.id, "dimension id of the subtotal")
    for row, grade in zip(layout.grade_table_rows, layout.grades, strict=True):
        constants[f"N{row}"] = ("parameter_changed", grade.min, f"grade table: lowest total of grade {grade.grade}")
        constants[f"O{row}"] = ("parameter_changed", grade.grade, "grade table: grade")
    validations = {}
    for row, kpi in layout.iter_kpis():
        cell = f"{COLUMNS['actual']}{row}"
        rule = actual_rule(kpi, cell)
        validations[cell] = {
            "type": rule.type,
            "operator": rule.operator or "between",
            "formula1": rule.formula1,
            "formula2": rule.formula2 or "",
        }
    names = {}
    for name, text in layout.defined_names.items():
        target = parse_name_ref(text)
        if target:
            names[name] = target[1]
    return ExpectedWorkbook(
        layout=layout,
        formulas=formulas,
        blocks=blocks,
        constants=constants,
        target_cells={k.id: layout.kpi_cell(k.id, "target") for k in layout.role.kpis},
        inputs=frozenset(layout.input_cells()),
        validations=validations,
        names=names,
        blank=dict(layout.blank_values()),
    )


@lru_cache(maxsize=65536)
def position(cell: str) -> tuple[int, int]:
    """ "H8" -> (8, 8): (row, column), cached (the checks ask for the same cells again and again)."""
    return split_cell(cell)


@lru_cache(maxsize=4096)
def norm(formula: str) -> str:
    """A formula in the form compared: formula_text.normalize, cached."""
    return normalize(formula)
