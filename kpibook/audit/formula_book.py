"""The formula book (`kpibook audit --explain`): every distinct formula of a role's workbook in
R1C1 and A1 form with what it computes and the spec rule behind it, then each KPI's rule. It
describes the spec, not a returned workbook, so finance can check the arithmetic once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kpibook import scoring
from kpibook.audit.expected import position
from kpibook.audit.values import show
from kpibook.errors import KpibookError, OutputError, Problem
from kpibook.formula_text import to_r1c1
from kpibook.layout import COLUMNS, SCORECARD, RoleLayout
from kpibook.messages import t
from kpibook.spec import Role, Spec


@dataclass(frozen=True)
class FormulaBookEntry:
    """One line of the formula book: a distinct formula of a role's workbook, or one KPI's rule."""

    role_id: str
    role_name: str
    kind: str  # "formula" | "kpi"
    number: int
    key: str  # "kpi.score", ... or the KPI id
    cells: str  # "Scorecard!I8:I17"
    r1c1: str
    a1: str
    words: str
    rule: str


def explain(spec: Spec, role_id: str | None = None) -> list[FormulaBookEntry]:
    """The formula book: for each role (or the one given), each distinct formula in R1C1 and A1
    form with what it computes and the spec rule behind it, then each KPI's own scoring rule."""
    if role_id is not None and role_id not in spec.role_ids:
        raise KpibookError(
            [
                Problem(
                    f"{spec.source or 'roles.toml'}: roles",
                    t("audit.explain_no_role", role=repr(role_id), roles=", ".join(spec.role_ids)),
                )
            ]
        )
    roles: list[Role] = [spec.role(role_id)] if role_id else list(spec.roles)
    entries: list[FormulaBookEntry] = []
    for role in roles:
        layout = RoleLayout(role, spec.grades)
        name = f"{role.name_zh} {role.name_en}"
        for number, formula in enumerate(layout.column_formulas(), 1):
            row, col = position(f"{formula.column}{formula.first_row}")
            entries.append(
                FormulaBookEntry(
                    role.id,
                    name,
                    "formula",
                    number,
                    formula.key,
                    f"{SCORECARD}!{formula.cells}",
                    "=" + to_r1c1(formula.formula[1:], row, col),
                    formula.formula,
                    formula.words,
                    formula.rule,
                )
            )
        for number, (row, kpi) in enumerate(layout.iter_kpis(), 1):
            method = scoring.METHODS[kpi.method]
            params = ", ".join(
                f"{label} {COLUMNS[key]}{row} = {show(value)}"
                for label, key, value in (
                    ("code", "code", method.code),
                    ("direction", "direction", kpi.direction),
                    ("zero/penalty", "param", kpi.param),
                    ("floor", "floor", kpi.floor),
                    ("cap", "cap", kpi.cap),
                    ("N/A ok", "na", 1 if kpi.allow_na else 0),
                )
            )
            entries.append(
                FormulaBookEntry(
                    role.id,
                    name,
                    "kpi",
                    number,
                    kpi.id,
                    f"{SCORECARD}!{layout.kpi_cell(kpi.id, 'score')}",
                    f"method {kpi.method} (CHOOSE branch {method.code}: {method.excel})",
                    params,
                    f"{kpi.name_zh} / {kpi.name_en}: {scoring.describe_rule(scoring.rule_of(kpi), kpi.unit)}",
                    f"roles.toml: roles[{role.id}].dimensions[{kpi.dimension_id}].kpis[{kpi.id}] (weight {kpi.weight:g}%)",
                )
            )
    return entries


def explain_lines(entries: Sequence[FormulaBookEntry]) -> list[str]:
    """The formula book as text."""
    lines: list[str] = []
    role = None
    for e in entries:
        if e.role_id != role:
            role = e.role_id
            lines += ([""] if lines else []) + [f"== {e.role_id}: {e.role_name} =="]
        if e.kind == "formula":
            lines += [
                "",
                f"{e.number}. {e.key}  {e.cells}",
                f"   R1C1: {e.r1c1}",
                f"   A1:   {e.a1}",
                f"   computes: {e.words}",
                f"   spec: {e.rule}",
            ]
        else:
            if e.number == 1:
                lines += ["", "KPI rules (the score formula's parameters per row):"]
            lines += [f"  {e.key}  {e.cells}: {e.words}", f"      {e.r1c1}; {e.a1}", f"      {e.rule}"]
    return lines


def write_formula_book(entries: Sequence[FormulaBookEntry], out: str | Path) -> Path:
    """The formula book as an .xlsx (formulas shown as text, never evaluated), written atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from kpibook import print_setup
    from kpibook.outputs import atomic_write
    from kpibook.print_setup import row_height

    out = Path(out)
    wb = Workbook()
    sheets = {"formula": wb.active, "kpi": wb.create_sheet("KPI rules")}
    sheets["formula"].title = "Formula book"
    headers = {
        "formula": (
            "role",
            "#",
            "cells",
            "formula (R1C1)",
            "formula (A1, first cell)",
            "what it computes",
            "spec rule",
        ),
        "kpi": ("role", "#", "KPI", "score cell", "method", "parameters", "rule in words", "spec"),
    }
    widths = {"formula": (14, 4, 20, 56, 56, 48, 36), "kpi": (14, 4, 20, 12, 44, 48, 56, 40)}
    for kind, ws in sheets.items():
        ws.append(headers[kind])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, width in enumerate(widths[kind]):
            ws.column_dimensions[chr(65 + i)].width = width
        ws.freeze_panes = "A2"
    for e in entries:
        row: tuple[object, ...]
        if e.kind == "formula":
            row = (e.role_id, e.number, e.cells, e.r1c1, e.a1, e.words, e.rule)
        else:
            row = (e.role_id, e.number, e.key, e.cells, e.r1c1, e.a1, e.words, e.rule)
        ws = sheets[e.kind]
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # formula text is shown, never evaluated
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for kind, ws in sheets.items():  # landscape A4, fitted to the width, the header row repeated
        for cells in ws.iter_rows(min_row=2):  # wrapped rows sized explicitly: no program auto-fits them
            ws.row_dimensions[cells[0].row].height = row_height(
                [(str(c.value), w) for c, w in zip(cells, widths[kind])]
            )
        print_setup.apply(ws, area=f"A1:{chr(64 + ws.max_column)}{ws.max_row}", title_rows="1:1")
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        atomic_write(out, buffer.getvalue())
    except OSError as exc:
        raise OutputError([Problem(str(out), t("audit.explain_cannot_write", reason=exc.strerror))]) from None
    return out
